// cli_guidance.cpp — `difflab sample --class K|all --guidance G` and `difflab eval --guidance-sweep` for a
// class-conditional U-Net checkpoint. Not the guidance (nn/unet_conditional.h) nor the sweep
// (train/cfg_sweep.h).
#include "app/cli_guidance.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "app/cli.h"
#include "app/progress.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "train/cfg_sweep.h"
#include "train/classifier_trainer.h"
#include "train/image_grid.h"
#include "train/image_quality.h"

namespace difflab {

bool wants_image_guidance(const ArgParser& p) {
  return p.given("class") || p.given("guidance");
}

int sample_images_guided(const ArgParser& p, LoadedModel& model, SamplerConfig sc, uint64_t seed,
                         const std::string& out) {
  if (out.size() < 4 || out.substr(out.size() - 4) != ".png")
    throw UsageError("--out must be a .png file for images");
  const int K = model.unet().config().num_classes;
  if (K == 0)
    throw UsageError(
        "--class and --guidance need a class-conditional checkpoint (train it with --classes K)");
  if (p.given("label")) throw UsageError("give --class or --label, not both");
  const double gamma = p.given("guidance") ? p.get_double("guidance", 0, 100) : 1.0;
  const std::string klass = p.given("class") ? p.get("class") : "";
  if (klass.empty() && gamma != 0.0) throw UsageError("--guidance needs --class K or --class all");
  int columns = p.get_int("columns", 1, 1000);
  std::vector<int> labels;
  int n = 0;
  if (klass == "all") {
    columns = p.given("n") ? p.get_int("n", 1, 1000) : columns;
    n = K * columns;
    for (int i = 0; i < n; ++i) labels.push_back(i / columns);
  } else {
    n = p.given("n") ? p.get_int("n", 1, 10000) : 16;
    labels.assign(1, klass.empty() ? -1 : p.get_int("class", 0, K - 1));
  }
  sc.clip_x0 = true;
  sc.record_trajectory = false;
  UNetConditionalDenoiser conditional(model.unet(), model.schedule);
  CfgDenoiser guided(conditional, labels, gamma);
  const int D = model.unet().dim();
  Sampler sampler(guided, sc);
  sampler.begin(standard_normal(n * D, seed), seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  const auto start = std::chrono::steady_clock::now();
  while (!sampler.done()) {
    sampler.step();
    if (!p.get_flag("quiet")) bar.update(sampler.steps_done());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_png_grid(out, sampler.x(), n, model.unet().config().height, model.unet().config().width, columns);
  const int nfe = sampler.network_evaluations();
  std::fprintf(
      stderr,
      "%s, γ = %g: %d images, %zu steps, %d network evaluations (%ld forward passes of %ld image rows), "
      "%.1f s, %.2f ms per NFE → %s\n",
      sampler_kind_name(sc.kind).c_str(), gamma, n, sampler.timesteps().size(), nfe,
      conditional.forward_calls(), conditional.forward_rows(), seconds, nfe > 0 ? 1e3 * seconds / nfe : 0.0,
      out.c_str());
  return 0;
}

void add_guidance_sweep_options(ArgParser& p) {
  p.option("guidance-sweep", "LIST",
           "images, class-conditional checkpoint: instead of the above, CFG samples of every class at each γ "
           "(e.g. 0,1,2,3,5,7.5): the classifier's accuracy on them per class, FID against each class's test "
           "images and pooled FID; --n samples per class (default 50), DDIM --fid-steps (default 20 here)");
}

int eval_guidance_sweep(const ArgParser& p, LoadedModel& model, const std::string& format) {
  if (model.unet().config().num_classes == 0)
    throw UsageError("--guidance-sweep needs a class-conditional checkpoint (train it with --classes K)");
  std::vector<double> gammas;
  try {
    gammas = parse_gamma_list(p.get("guidance-sweep"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--guidance-sweep: ") + e.what());
  }
  CfgSweepConfig config;
  config.gammas = gammas;
  config.per_class = p.given("n") ? p.get_int("n", 2, 500) : 50;
  config.sampler =
      fid_sampler_config(p.given("fid-steps") ? p.get_int("fid-steps", 1, model.schedule.T()) : 20);
  config.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const std::string classifier_path = p.get("classifier");
  if (!std::filesystem::exists(classifier_path))
    throw std::runtime_error("no classifier checkpoint at " + classifier_path +
                             " (make one with `difflab classifier train --out " + classifier_path + "`)");
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  model.backend->set_threads(threads);
  const std::string dataset = p.given("dataset") ? p.get("dataset") : model.checkpoint->dataset;
  const ImageDataset test = load_image_dataset(dataset, false);
  auto classifier = load_classifier(classifier_path, threads);
  ProgressBar bar("guidance sweep", 1);
  bool quiet = p.get_flag("quiet");
  long last_total = 0;
  CfgSweepResult r;
  try {
    r = run_cfg_sweep(model.unet(), model.schedule, *classifier->model, test, config,
                      [&](long done, long total) {
                        if (total != last_total) {
                          bar = ProgressBar("guidance sweep", total);
                          last_total = total;
                        }
                        if (!quiet) bar.update(done);
                      });
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  const int K = r.num_classes;
  std::string text;
  char line[512];
  if (format == "json") {
    text += "{\n  \"model\": \"" + p.get("model") + "\",\n";
    std::snprintf(
        line, sizeof line,
        "  \"sampler\": \"ddim\",\n  \"steps\": %d,\n  \"samples_per_class\": %d,\n  \"classes\": %d,\n"
        "  \"class_fid_floor\": %.6g,\n  \"fid_floor\": %.6g,\n  \"points\": [\n",
        config.sampler.steps, r.per_class, K, r.class_fid_floor_mean, r.fid_floor);
    text += line;
    for (size_t i = 0; i < r.points.size(); ++i) {
      const CfgSweepPoint& q = r.points[i];
      std::snprintf(
          line, sizeof line,
          "    {\"gamma\": %g, \"accuracy\": %.6g, \"class_fid\": %.6g, \"fid\": %.6g, \"nfe\": %d, "
          "\"seconds\": %.3f,\n     \"accuracy_per_class\": [",
          q.gamma, q.accuracy, q.class_fid, q.fid, q.network_evaluations, q.seconds);
      text += line;
      for (int k = 0; k < K; ++k) {
        std::snprintf(line, sizeof line, "%s%.4g", k ? ", " : "", q.accuracy_per_class[k]);
        text += line;
      }
      text += "],\n     \"fid_per_class\": [";
      for (int k = 0; k < K; ++k) {
        std::snprintf(line, sizeof line, "%s%.5g", k ? ", " : "", q.fid_per_class[k]);
        text += line;
      }
      text += i + 1 < r.points.size() ? "]},\n" : "]}\n";
    }
    text += "  ]\n}\n";
  } else {
    std::snprintf(line, sizeof line,
                  "# CFG sweep: DDIM %d steps, %d samples per class, the same x_T at every γ; FID on the "
                  "classifier's features (class FID floor %.3g, pooled floor %.3g)\n",
                  config.sampler.steps, r.per_class, r.class_fid_floor_mean, r.fid_floor);
    text += line;
    text += "gamma,accuracy,class_fid,fid,nfe,seconds";
    for (int k = 0; k < K; ++k) text += ",acc_" + std::to_string(k);
    for (int k = 0; k < K; ++k) text += ",fid_" + std::to_string(k);
    text += "\n";
    for (const CfgSweepPoint& q : r.points) {
      std::snprintf(line, sizeof line, "%g,%.4f,%.4f,%.4f,%d,%.2f", q.gamma, q.accuracy, q.class_fid, q.fid,
                    q.network_evaluations, q.seconds);
      text += line;
      for (int k = 0; k < K; ++k) {
        std::snprintf(line, sizeof line, ",%.3f", q.accuracy_per_class[k]);
        text += line;
      }
      for (int k = 0; k < K; ++k) {
        std::snprintf(line, sizeof line, ",%.4f", q.fid_per_class[k]);
        text += line;
      }
      text += "\n";
    }
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace difflab
