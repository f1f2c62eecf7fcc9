// cli_sample_ip.cpp — `difflab sample --model FILE.ipa --reference N`: an IP-Adapter (train/ip_adapter.h)
// with its base U-Net and CLIP, sampled with test image N as the image prompt at --ip-scale λ (and --label K
// as the class prompt); writes the reference, then the samples, as one PNG grid. Not the adapter or the
// training.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/cli.h"
#include "app/progress.h"
#include "app/sampler_options.h"
#include "data/idx.h"
#include "sample/sampler.h"
#include "sample/sampler_table.h"
#include "train/classifier_trainer.h"
#include "train/image_grid.h"
#include "train/ip_adapter.h"

namespace difflab {

bool is_ip_adapter_file(const std::string& path) {
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".ipa") return true;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char head[20] = {};
  const size_t got = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  return got == sizeof head && std::string(head, sizeof head) == "DIFFLAB-IP-ADAPTER 1";
}

int sample_ip_adapter(const ArgParser& p, SamplerConfig sc, uint64_t seed, const std::string& out) {
  if (out.size() < 4 || out.substr(out.size() - 4) != ".png") throw UsageError("--out must be a .png file");
  if (!p.given("reference"))
    throw UsageError("an IP-Adapter --model needs --reference N (test image N is the image prompt)");
  const std::string path = p.get("model");
  if (!std::filesystem::exists(path)) throw UsageError("--model " + path + ": no such file");
  const int threads = p.get_int("threads", 1, 256);
  LoadedIpAdapter ip;
  try {  // a truncated or damaged .ipa, a missing base: the user's files, exit code 2 as for a bad argument
    ip = load_ip_adapter_bundle(path, p.given("ip-base") ? p.get("ip-base") : "", "", threads);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  UNet& net = ip.net();
  const ImageDataset test = load_image_dataset(ip.base->checkpoint->dataset, false);
  if (test.dim() != net.dim())
    throw UsageError(ip.base->checkpoint->dataset + ": the test images are not the U-Net's size");
  const double wanted = p.get_double("reference", -1e9, 1e9);
  if (wanted != static_cast<int>(wanted) || wanted < 0 || wanted >= test.count)
    throw UsageError("--reference " + p.get("reference") + ": the test image index must be 0 … " +
                     std::to_string(test.count - 1));
  const int reference = static_cast<int>(wanted);
  const int label = p.has("label") ? p.get_int("label", -1, net.num_classes() - 1) : -1;
  const float scale = static_cast<float>(p.get_double("ip-scale", 0, 100));
  const int n = p.given("n") ? p.get_int("n", 1, 10000) : 8;
  const int columns = p.get_int("columns", 1, 1000);
  sc.steps = p.has("steps") ? p.get_int("steps", 1, max_sampler_steps(sc, ip.base->schedule.T())) : 0;
  sc.clip_x0 = true;
  sc.record_trajectory = false;
  const std::vector<float> e = ip.clip->model->encode_images(test.image(reference), 1);
  IpAdapterDenoiser den(net, *ip.adapter, ip.base->schedule, e, {label}, scale);
  Sampler sampler(den, sc);
  sampler.begin(standard_normal(n * net.dim(), seed), seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  const auto start = std::chrono::steady_clock::now();
  sampler.run([&](int done) {
    if (!p.get_flag("quiet")) bar.update(done);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<float> grid(test.image(reference), test.image(reference) + net.dim());
  grid.insert(grid.end(), sampler.x().begin(), sampler.x().end());
  write_png_grid(out, grid, n + 1, net.height(), net.width(), columns);
  const int ref_class = test.labels.empty() ? -1 : test.labels[reference];
  std::fprintf(stderr,
               "%s: IP-Adapter λ = %g, reference test image %d (class %d), label %d: %d images, %zu steps, "
               "%.1f s → %s (the reference first, then the samples)\n",
               sampler_kind_name(sc.kind).c_str(), scale, reference, ref_class, label, n,
               sampler.timesteps().size(), seconds, out.c_str());
  if (ref_class >= 0 && std::filesystem::exists(default_classifier_path())) {
    auto judge = load_classifier(default_classifier_path(), threads);
    const std::vector<int> verdict = classify(*judge->model, sampler.x().data(), n);
    int same = 0;
    for (int v : verdict) same += v == ref_class;
    std::printf("classifier: %d of %d samples are the reference's class %d (agreement %.3f)\n", same, n,
                ref_class, static_cast<double>(same) / n);
  }
  return 0;
}

}  // namespace difflab
