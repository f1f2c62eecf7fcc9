// cli_guidance.cpp — `difflab sample --class K|all --guidance G [--guidance-kind classifier]` and `difflab
// eval
// --guidance-sweep` / `--guidance-match` for a class-conditional U-Net checkpoint. Not the guidance
// (nn/unet_conditional.h) nor the sweep (train/cfg_sweep.h).
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
#include "train/image_noise_classifier_trainer.h"
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
  const std::string kind = p.given("guidance-kind") ? p.get("guidance-kind") : "cfg";
  if (kind != "cfg" && kind != "classifier")
    throw UsageError("--guidance-kind for images must be cfg or classifier");
  if (kind == "cfg" && p.given("classifier"))
    throw UsageError("--classifier is for --guidance-kind classifier");
  std::unique_ptr<LoadedImageNoiseClassifier> noise_classifier;
  std::unique_ptr<Denoiser> guided;
  if (kind == "classifier") {
    // Dhariwal & Nichol (2021): the unconditional ε̂ (the null class) − γ σₜ ∇ₓ log p(y | xₜ, t).
    if (klass.empty()) throw UsageError("--guidance-kind classifier needs --class K or --class all");
    const std::string path = p.given("classifier") ? p.get("classifier") : default_noise_classifier_path();
    if (!std::filesystem::exists(path))
      throw std::runtime_error("no noise classifier at " + path +
                               " (train one with `difflab classifier train --noise-conditional --out " +
                               path + "`)");
    try {
      noise_classifier = load_image_noise_classifier(path, p.get_int("threads", 1, 256));
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    if (noise_classifier->model->dim() != model.unet().dim() || noise_classifier->model->num_classes() < K)
      throw UsageError(path + ": the noise classifier's images or classes do not match the U-Net's");
    if (noise_classifier->schedule.T() != model.schedule.T())
      throw UsageError(
          "the noise classifier was trained with T = " + std::to_string(noise_classifier->schedule.T()) +
          ", the model has T = " + std::to_string(model.schedule.T()));
    guided = std::make_unique<ClassifierGuidedDenoiser>(conditional, *noise_classifier->model, labels, gamma);
  } else {
    guided = std::make_unique<CfgDenoiser>(conditional, labels, gamma);
  }
  const int D = model.unet().dim();
  Sampler sampler(*guided, sc);
  sampler.begin(standard_normal(n * D, seed), seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  const auto start = std::chrono::steady_clock::now();
  sampler.run([&](int done) {
    if (!p.get_flag("quiet")) bar.update(done);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_png_grid(out, sampler.x(), n, model.unet().config().height, model.unet().config().width, columns);
  const int nfe = sampler.network_evaluations();
  std::fprintf(
      stderr,
      "%s, %s γ = %g: %d images, %zu steps, %d network evaluations (%ld forward passes of %ld image rows), "
      "%.1f s, %.2f ms per NFE → %s\n",
      sampler_kind_name(sc.kind).c_str(), kind == "cfg" ? "CFG" : "classifier guidance", gamma, n,
      sampler.timesteps().size(), nfe, conditional.forward_calls(), conditional.forward_rows(), seconds,
      nfe > 0 ? 1e3 * seconds / nfe : 0.0, out.c_str());
  return 0;
}

void add_guidance_sweep_options(ArgParser& p) {
  p.option("guidance-sweep", "LIST",
           "images, class-conditional checkpoint: instead of the above, CFG samples of every class at each γ "
           "(e.g. 0,1,2,3,5,7.5): the classifier's accuracy on them per class, FID against each class's test "
           "images and pooled FID; --n samples per class (default 50), DDIM --fid-steps (default 20 here)")
      .option("guidance-kind", "cfg|classifier",
              "--guidance-sweep: classifier-free (cfg) or classifier guidance with --noise-classifier (the "
              "null class's ε̂ − γ σₜ ∇ log p(y|xₜ), Dhariwal & Nichol 2021)",
              "cfg")
      .option("noise-classifier", "CKPT",
              "classifier guidance: the noise-conditional classifier (classifier train --noise-conditional)",
              default_noise_classifier_path())
      .option("guidance-match", "G",
              "images, class-conditional checkpoint: CFG at γ = G, classifier guidance at each --cg-scales, "
              "and the scale whose classifier accuracy is closest to CFG's: FID of both at matched accuracy")
      .option("cg-scales", "LIST", "--guidance-match: classifier-guidance scales to try",
              "0,1,2,5,10,20,40,70,100");
}

namespace {

// What a sweep needs besides the model: its settings, the test images and the FID/accuracy classifier.
struct SweepInputs {
  CfgSweepConfig config;
  ImageDataset test;
  std::unique_ptr<LoadedClassifier> classifier;
  std::unique_ptr<LoadedImageNoiseClassifier> noise_classifier;  // classifier guidance only
};

SweepInputs sweep_inputs(const ArgParser& p, LoadedModel& model, bool needs_noise_classifier) {
  if (model.unet().config().num_classes == 0)
    throw UsageError("the guidance sweep needs a class-conditional checkpoint (train it with --classes K)");
  SweepInputs in;
  in.config.per_class = p.given("n") ? p.get_int("n", 2, 500) : 50;
  in.config.sampler =
      fid_sampler_config(p.given("fid-steps") ? p.get_int("fid-steps", 1, model.schedule.T()) : 20);
  in.config.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const std::string classifier_path = p.get("classifier");
  if (!std::filesystem::exists(classifier_path))
    throw std::runtime_error("no classifier checkpoint at " + classifier_path +
                             " (make one with `difflab classifier train --out " + classifier_path + "`)");
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  model.backend->set_threads(threads);
  if (needs_noise_classifier) {
    const std::string path = p.get("noise-classifier");
    if (!std::filesystem::exists(path))
      throw std::runtime_error("no noise classifier at " + path +
                               " (train one with `difflab classifier train --noise-conditional --out " +
                               path + "`)");
    in.noise_classifier = load_image_noise_classifier(path, threads);
    if (in.noise_classifier->schedule.T() != model.schedule.T())
      throw UsageError(
          "the noise classifier was trained with T = " + std::to_string(in.noise_classifier->schedule.T()) +
          ", the model has T = " + std::to_string(model.schedule.T()));
  }
  const std::string dataset = p.given("dataset") ? p.get("dataset") : model.checkpoint->dataset;
  in.test = load_image_dataset(dataset, false);
  in.classifier = load_classifier(classifier_path, threads);
  return in;
}

CfgSweepResult run_sweep(const ArgParser& p, LoadedModel& model, SweepInputs& in, const char* label) {
  ProgressBar bar(label, 1);
  const bool quiet = p.get_flag("quiet");
  long last_total = 0;
  try {
    return run_cfg_sweep(model.unet(), model.schedule, *in.classifier->model, in.test, in.config,
                         [&](long done, long total) {
                           if (total != last_total) {
                             bar = ProgressBar(label, total);
                             last_total = total;
                           }
                           if (!quiet) bar.update(done);
                         });
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
}

// One point as a JSON object (indent: spaces before it).
std::string point_json(const CfgSweepPoint& q, int K, const char* indent) {
  std::string text;
  char line[512];
  std::snprintf(line, sizeof line,
                "%s{\"gamma\": %g, \"accuracy\": %.6g, \"class_fid\": %.6g, \"fid\": %.6g, \"nfe\": %d, "
                "\"seconds\": %.3f,\n%s \"accuracy_per_class\": [",
                indent, q.gamma, q.accuracy, q.class_fid, q.fid, q.network_evaluations, q.seconds, indent);
  text += line;
  for (int k = 0; k < K; ++k) {
    std::snprintf(line, sizeof line, "%s%.4g", k ? ", " : "", q.accuracy_per_class[k]);
    text += line;
  }
  text += "],\n" + std::string(indent) + " \"fid_per_class\": [";
  for (int k = 0; k < K; ++k) {
    std::snprintf(line, sizeof line, "%s%.5g", k ? ", " : "", q.fid_per_class[k]);
    text += line;
  }
  return text + "]}";
}

std::string point_csv_header(int K) {
  std::string text = "gamma,accuracy,class_fid,fid,nfe,seconds";
  for (int k = 0; k < K; ++k) text += ",acc_" + std::to_string(k);
  for (int k = 0; k < K; ++k) text += ",fid_" + std::to_string(k);
  return text + "\n";
}

std::string point_csv(const CfgSweepPoint& q, int K) {
  char line[512];
  std::snprintf(line, sizeof line, "%g,%.4f,%.4f,%.4f,%d,%.2f", q.gamma, q.accuracy, q.class_fid, q.fid,
                q.network_evaluations, q.seconds);
  std::string text = line;
  for (int k = 0; k < K; ++k) {
    std::snprintf(line, sizeof line, ",%.3f", q.accuracy_per_class[k]);
    text += line;
  }
  for (int k = 0; k < K; ++k) {
    std::snprintf(line, sizeof line, ",%.4f", q.fid_per_class[k]);
    text += line;
  }
  return text + "\n";
}

std::vector<double> gamma_list(const ArgParser& p, const std::string& option) {
  try {
    return parse_gamma_list(p.get(option));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--" + option + ": " + e.what());
  }
}

}  // namespace

int eval_guidance_sweep(const ArgParser& p, LoadedModel& model, const std::string& format) {
  const std::string kind = p.get("guidance-kind");
  if (kind != "cfg" && kind != "classifier")
    throw UsageError("--guidance-kind for images must be cfg or classifier");
  const std::vector<double> gammas = gamma_list(p, "guidance-sweep");
  SweepInputs in = sweep_inputs(p, model, kind == "classifier");
  in.config.gammas = gammas;
  if (kind == "classifier") {
    in.config.kind = GuidanceKind::Classifier;
    in.config.noise_classifier = in.noise_classifier->model.get();
  }
  const CfgSweepResult r = run_sweep(p, model, in, "guidance sweep");
  const int K = r.num_classes;
  std::string text;
  char line[512];
  if (format == "json") {
    text += "{\n  \"model\": \"" + p.get("model") + "\",\n  \"guidance_kind\": \"" + kind + "\",\n";
    std::snprintf(
        line, sizeof line,
        "  \"sampler\": \"ddim\",\n  \"steps\": %d,\n  \"samples_per_class\": %d,\n  \"classes\": %d,\n"
        "  \"class_fid_floor\": %.6g,\n  \"fid_floor\": %.6g,\n  \"points\": [\n",
        in.config.sampler.steps, r.per_class, K, r.class_fid_floor_mean, r.fid_floor);
    text += line;
    for (size_t i = 0; i < r.points.size(); ++i)
      text += point_json(r.points[i], K, "    ") + (i + 1 < r.points.size() ? ",\n" : "\n");
    text += "  ]\n}\n";
  } else {
    std::snprintf(line, sizeof line,
                  "# %s sweep: DDIM %d steps, %d samples per class, the same x_T at every γ; FID on the "
                  "classifier's features (class FID floor %.3g, pooled floor %.3g)\n",
                  kind == "cfg" ? "CFG" : "classifier-guidance", in.config.sampler.steps, r.per_class,
                  r.class_fid_floor_mean, r.fid_floor);
    text += line;
    text += point_csv_header(K);
    for (const CfgSweepPoint& q : r.points) text += point_csv(q, K);
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}

int eval_guidance_match(const ArgParser& p, LoadedModel& model, const std::string& format) {
  const double target_gamma = p.get_double("guidance-match", 0, 100);
  const std::vector<double> scales = gamma_list(p, "cg-scales");
  SweepInputs in = sweep_inputs(p, model, true);
  in.config.gammas = {target_gamma};
  const CfgSweepResult cfg = run_sweep(p, model, in, "CFG");
  in.config.gammas = scales;
  in.config.kind = GuidanceKind::Classifier;
  in.config.noise_classifier = in.noise_classifier->model.get();
  const CfgSweepResult cg = run_sweep(p, model, in, "classifier guidance");
  const CfgSweepPoint& reference = cfg.points.front();
  const CfgSweepPoint& matched = closest_accuracy(cg, reference.accuracy);
  const int K = cfg.num_classes;
  std::string text;
  char line[512];
  if (format == "json") {
    text += "{\n  \"model\": \"" + p.get("model") + "\",\n  \"noise_classifier\": \"" +
            p.get("noise-classifier") + "\",\n";
    std::snprintf(line, sizeof line,
                  "  \"sampler\": \"ddim\",\n  \"steps\": %d,\n  \"samples_per_class\": %d,\n  \"classes\": "
                  "%d,\n  \"class_fid_floor\": %.6g,\n  \"fid_floor\": %.6g,\n",
                  in.config.sampler.steps, cfg.per_class, K, cfg.class_fid_floor_mean, cfg.fid_floor);
    text += line;
    text += "  \"cfg\":\n" + point_json(reference, K, "    ") + ",\n  \"classifier_guidance\": [\n";
    for (size_t i = 0; i < cg.points.size(); ++i)
      text += point_json(cg.points[i], K, "    ") + (i + 1 < cg.points.size() ? ",\n" : "\n");
    std::snprintf(line, sizeof line,
                  "  ],\n  \"matched\": {\"cfg_gamma\": %g, \"cfg_accuracy\": %.6g, \"cfg_class_fid\": %.6g, "
                  "\"cfg_fid\": %.6g,\n    \"cg_scale\": %g, \"cg_accuracy\": %.6g, \"cg_class_fid\": %.6g, "
                  "\"cg_fid\": %.6g}\n}\n",
                  reference.gamma, reference.accuracy, reference.class_fid, reference.fid, matched.gamma,
                  matched.accuracy, matched.class_fid, matched.fid);
    text += line;
  } else {
    std::snprintf(line, sizeof line,
                  "# CFG at γ = %g against classifier guidance (scales %s): DDIM %d steps, %d samples per "
                  "class, the same x_T; class FID floor %.3g, pooled floor %.3g\n",
                  target_gamma, p.get("cg-scales").c_str(), in.config.sampler.steps, cfg.per_class,
                  cfg.class_fid_floor_mean, cfg.fid_floor);
    text += line;
    text += "kind," + point_csv_header(K);
    text += "cfg," + point_csv(reference, K);
    for (const CfgSweepPoint& q : cg.points) text += "classifier," + point_csv(q, K);
    std::snprintf(line, sizeof line,
                  "# matched accuracy: CFG γ = %g: accuracy %.3f, class FID %.3f, FID %.3f; classifier "
                  "guidance scale %g: accuracy %.3f, class FID %.3f, FID %.3f\n",
                  reference.gamma, reference.accuracy, reference.class_fid, reference.fid, matched.gamma,
                  matched.accuracy, matched.class_fid, matched.fid);
    text += line;
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace difflab
