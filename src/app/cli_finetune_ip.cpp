// cli_finetune_ip.cpp — `difflab finetune --method ip-adapter`: trains an IP-Adapter (Ye et al. 2023) on the
// frozen class-conditional U-Net (null class), or loads one (--adapter), samples from an image prompt and
// reports the shipped classifier's verdicts. Not the method itself (train/ip_adapter.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/args.h"
#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "data/idx.h"
#include "nn/classifier.h"
#include "sample/sampler.h"
#include "train/cfg_sweep.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/clip_objective.h"
#include "train/image_grid.h"
#include "train/image_quality.h"
#include "train/ip_adapter.h"
#include "train/model_source.h"

namespace difflab {

namespace {

// "N" = test image N of the data set; "idx:FILE:N" = image N of an IDX file.
struct Reference {
  std::vector<float> image;
  int label = -1;
};

Reference parse_image_prompt(const std::string& spec, const ImageDataset& test, int dim) {
  Reference r;
  std::string file, index = spec;
  if (spec.rfind("idx:", 0) == 0) {
    const size_t colon = spec.rfind(':');
    if (colon <= 3) throw UsageError("--image-prompt " + spec + ": write idx:FILE:N");
    file = spec.substr(0, colon);
    index = spec.substr(colon + 1);
  }
  int i = -1;
  try {
    size_t used = 0;
    i = std::stoi(index, &used);
    if (used != index.size()) i = -1;
  } catch (const std::exception&) {
    i = -1;
  }
  const ImageDataset loaded = file.empty() ? ImageDataset{} : load_image_dataset(file, true);
  const ImageDataset& d = file.empty() ? test : loaded;
  if (d.dim() != dim)
    throw UsageError("--image-prompt " + spec + ": images are " + std::to_string(d.height) + "×" +
                     std::to_string(d.width) + "×" + std::to_string(d.channels) + ", the U-Net's are 28×28");
  if (i < 0 || i >= d.count)
    throw UsageError("--image-prompt " + spec + ": the index must be 0 … " + std::to_string(d.count - 1));
  r.image.assign(d.image(i), d.image(i) + dim);
  r.label = d.labels.empty() ? -1 : d.labels[i];
  return r;
}

std::vector<int> classify(LoadedClassifier& c, const std::vector<float>& x, int n) {
  const int K = c.model->config().num_classes, D = static_cast<int>(x.size() / n);
  std::vector<int> out;
  for (int from = 0; from < n; from += 100) {
    const int m = std::min(100, n - from);
    std::vector<float> logits(static_cast<size_t>(m) * K);
    c.model->forward(x.data() + static_cast<size_t>(from) * D, m, logits.data());
    for (int i = 0; i < m; ++i)
      out.push_back(static_cast<int>(std::max_element(logits.begin() + i * K, logits.begin() + (i + 1) * K) -
                                     (logits.begin() + i * K)));
  }
  return out;
}

}  // namespace

int finetune_ip_adapter(const ArgParser& p, bool quiet) {
  const bool trained = !p.given("adapter");
  std::string base_path = p.given("base") ? p.get("base") : "";
  if (!trained) {
    const std::string adapter_path = p.get("adapter");
    if (!std::filesystem::exists(adapter_path))
      throw UsageError("--adapter " + adapter_path + ": no such file");
    if (base_path.empty()) base_path = find_base_checkpoint(adapter_path, ip_adapter_base(adapter_path));
  }
  if (base_path.empty()) throw UsageError("--base CKPT is needed to train an IP-Adapter");
  if (!std::filesystem::exists(base_path))
    throw UsageError("--base " + base_path + ": no such file (the class-conditional U-Net, e.g. " +
                     "checkpoints/fashion-mnist-classroom-cond.ckpt)");
  if (trained) check_writable_output(p.require("out"));
  const int threads = p.get_int("threads", 1, 256);
  BackendChoice choice;
  std::unique_ptr<LoadedModel> loaded =
      load_model(base_path, "", std::nullopt, backend_from_options(p), &choice);
  print_backend_note(choice);
  if (!loaded->is_image() || loaded->num_classes <= 0)
    throw UsageError("--base " + base_path + " is not a class-conditional image U-Net");
  UNet& net = loaded->unet();
  net.backend().set_threads(threads);
  net.backend().write(net.params(), loaded->checkpoint->ema_params.data());
  auto clip = load_clip(p.given("clip-model") ? p.get("clip-model") : default_clip_path(), threads);
  const std::string dataset = p.given("dataset") ? p.get("dataset") : loaded->checkpoint->dataset;
  const ImageDataset test = load_image_dataset(dataset, false);
  if (test.dim() != net.dim())
    throw UsageError(dataset + ": images are not the U-Net's size (" + std::to_string(net.height()) + "×" +
                     std::to_string(net.width()) + ")");
  IpAdapterConfig ac;
  ac.embed_dim = clip->model->embed_dim();
  IpAdapter adapter(ac, net.attention_sites(), net.backend());
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  adapter.init_params(seed);
  if (trained) {
    IpAdapterTrainConfig tc;
    tc.steps = p.given("steps") ? p.get_int("steps", 1, 1000000) : 300;
    tc.batch = p.get_int("batch", 1, 1024);
    tc.lr = p.given("lr") ? static_cast<float>(p.get_double("lr", 1e-12, 10)) : 1e-3f;
    tc.seed = seed;
    ImageDataset train = load_image_dataset(dataset, true);
    const int n_train = std::min(train.count, p.get_int("train-n", 1, 1000000));
    train.count = n_train;
    train.pixels.resize(static_cast<size_t>(n_train) * train.dim());
    train.labels.resize(n_train);
    std::vector<float> emb = clip->model->encode_images(train.pixels.data(), n_train);
    IpAdapterTrainer trainer(net, adapter, loaded->schedule, train, std::move(emb), tc);
    ProgressBar bar("ip-adapter", tc.steps);
    double smoothed = NAN;
    const auto start = std::chrono::steady_clock::now();
    for (int s = 1; s <= tc.steps; ++s) {
      const double loss = trainer.step();
      if (!std::isfinite(loss)) throw std::runtime_error("IP-Adapter training diverged (loss not finite)");
      smoothed = std::isnan(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      if (!quiet) bar.update(s, "loss " + std::to_string(smoothed).substr(0, 6));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "ip-adapter: %d steps in %.1f s (%zu adapter parameters)\n", tc.steps, seconds,
                 adapter.params().size());
    save_ip_adapter(p.get("out"), adapter, base_path);
    std::fprintf(stderr, "wrote %s (the adapter only; base %s)\n", p.get("out").c_str(), base_path.c_str());
  } else {
    load_ip_adapter(p.get("adapter"), adapter, nullptr);
  }
  const int sample_steps = p.get_int("sample-steps", 1, 1000);
  const int text_class = p.given("class") ? p.get_int("class", -1, net.num_classes() - 1) : -1;
  // One image prompt: samples at each λ.
  const std::vector<double> scales = parse_gamma_list(p.get("ip-scales"));
  if (p.given("image-prompt")) {
    const Reference ref = parse_image_prompt(p.get("image-prompt"), test, net.dim());
    const std::vector<float> e = clip->model->encode_images(ref.image.data(), 1);
    const int n = p.get_int("samples", 1, 256);
    std::vector<float> grid;
    for (double scale : scales) {
      IpAdapterDenoiser den(net, adapter, loaded->schedule, e, {text_class}, static_cast<float>(scale));
      SamplerConfig sc = fid_sampler_config(sample_steps);
      sc.record_trajectory = false;
      Sampler sampler(den, sc);
      sampler.begin(standard_normal(n * net.dim(), seed + 7000), seed + 7001);
      sampler.run();
      grid.insert(grid.end(), sampler.x().begin(), sampler.x().end());
      std::printf("λ = %g: %d samples from the image prompt (class %d), text class %d\n", scale, n, ref.label,
                  text_class);
    }
    if (p.given("samples-out")) {
      write_png_grid(p.get("samples-out"), grid, static_cast<int>(grid.size() / net.dim()), net.height(),
                     net.width(), n);
      std::fprintf(stderr, "wrote %s (one row per λ)\n", p.get("samples-out").c_str());
    }
  }
  // The metric: the classifier's class of each sample against the reference's class (null class), and with
  // a text class ≠ the reference's class, how λ moves the verdict from the text's class to the image's.
  const int eval_n = p.get_int("eval-n", 0, 10000);
  if (eval_n > 0) {
    auto judge = load_classifier(p.get("classifier"), threads);
    std::vector<float> refs(test.pixels.begin(),
                            test.pixels.begin() + static_cast<std::ptrdiff_t>(eval_n) * net.dim());
    const std::vector<float> emb = clip->model->encode_images(refs.data(), eval_n);
    std::vector<int> nulls(eval_n, -1), texts(eval_n);
    for (int i = 0; i < eval_n; ++i) texts[i] = (test.labels[i] + 1 + i % 9) % net.num_classes();
    for (int with_text = 0; with_text < 2; ++with_text)
      for (double scale : scales) {
        IpAdapterDenoiser den(net, adapter, loaded->schedule, emb, with_text ? texts : nulls,
                              static_cast<float>(scale));
        SamplerConfig sc = fid_sampler_config(sample_steps);
        sc.record_trajectory = false;
        Sampler sampler(den, sc);
        sampler.begin(standard_normal(eval_n * net.dim(), seed + 9000), seed + 9001);
        sampler.run();
        const std::vector<int> verdict = classify(*judge, sampler.x(), eval_n);
        int image = 0, text = 0;
        for (int i = 0; i < eval_n; ++i)
          image += verdict[i] == test.labels[i], text += verdict[i] == texts[i];
        if (with_text)
          std::printf(
              "text class ≠ image's, λ = %g: classifier says the image's class %.3f, the text's %.3f\n",
              scale, double(image) / eval_n, double(text) / eval_n);
        else
          std::printf(
              "null class, λ = %g: classifier agrees with the reference image's class %.3f (%d images)\n",
              scale, double(image) / eval_n, eval_n);
        std::fflush(stdout);
      }
  }
  return 0;
}

}  // namespace difflab
