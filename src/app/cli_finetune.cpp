// cli_finetune.cpp — `difflab finetune`: textual inversion or DreamBooth of a class-conditional U-Net on a
// few images of a class it never saw, with the shipped classifier's verdict before and after. Not the methods
// themselves (train/personalize.h) and not sampling (`difflab sample --class TOKEN` reads what it writes).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "data/idx.h"
#include "nn/classifier.h"
#include "sample/sampler.h"
#include "train/cfg_sweep.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/controlnet.h"
#include "train/image_grid.h"
#include "train/image_quality.h"
#include "train/model_source.h"
#include "train/personalize.h"

namespace difflab {

int finetune_ip_adapter(const ArgParser& p, bool quiet);  // cli_finetune_ip.cpp

namespace {

std::string fixed(double v, int digits = 3) {
  char s[64];
  std::snprintf(s, sizeof s, "%.*f", digits, v);
  return s;
}

// "8", "bag" or "Bag" → 8 among the data's classes; a UsageError listing them otherwise.
int parse_class(const std::string& text, const ImageDataset& data) {
  std::string list;
  for (int k = 0; k < data.num_classes; ++k) {
    const std::string name = k < static_cast<int>(data.class_names.size()) ? data.class_names[k] : "";
    list.append(k ? ", " : "").append(std::to_string(k)).append(name.empty() ? "" : " " + name);
    std::string lower = name, wanted = text;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (char& ch : wanted) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (text == std::to_string(k) || (!name.empty() && lower == wanted)) return k;
  }
  throw UsageError("--subject " + text + ": the data set has no such class (" + list + ")");
}

struct Subject {
  std::vector<float> images;
  int count = 0;
  int label = -1;  // the class in the data set (what the classifier should say), −1 for an idx file
  std::string description;
};

Subject load_subject(const ArgParser& p, const std::string& dataset, int dim, int height, int width) {
  Subject s;
  const std::string spec = p.require("subject");
  const int count = p.get_int("subject-count", 1, 64);
  if (spec.rfind("idx:", 0) == 0) {
    const ImageDataset d = load_image_dataset(spec, true);
    if (d.dim() != dim)
      throw UsageError("--subject " + spec + ": images are " + std::to_string(d.height) + "×" +
                       std::to_string(d.width) + "×" + std::to_string(d.channels) +
                       ", the base model's are " + std::to_string(height) + "×" + std::to_string(width));
    s.count = std::min(count, d.count);
    s.images.assign(d.pixels.begin(), d.pixels.begin() + static_cast<std::ptrdiff_t>(s.count) * dim);
    s.description = std::to_string(s.count) + " images of " + spec;
    return s;
  }
  const ImageDataset d = load_image_dataset(dataset, true);
  if (d.dim() != dim)
    throw UsageError(dataset + ": images are " + std::to_string(d.height) + "×" + std::to_string(d.width) +
                     ", the base model's are " + std::to_string(height) + "×" + std::to_string(width));
  s.label = parse_class(spec, d);
  s.count = count;
  s.images = subject_images(d, s.label, count, p.get_int("subject-first", 0, 1000000));
  s.description =
      std::to_string(count) + " training images of class " + std::to_string(s.label) +
      (s.label < static_cast<int>(d.class_names.size()) ? " (" + d.class_names[s.label] + ")" : "");
  return s;
}

std::string accuracy_list(const GenerationAccuracy& a) {
  std::string out;
  for (size_t i = 0; i < a.classes.size(); ++i)
    out.append(i ? " " : "").append(std::to_string(a.classes[i])).append(":").append(fixed(a.accuracy[i], 2));
  return out;
}

// n images of h × w, each pixel repeated s × s times (nearest), so a slide shows them large enough.
std::vector<float> upscale(const std::vector<float>& images, int n, int h, int w, int s) {
  if (s <= 1) return images;
  std::vector<float> out(static_cast<size_t>(n) * h * w * s * s);
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < h * s; ++y)
      for (int x = 0; x < w * s; ++x)
        out[(static_cast<size_t>(i) * h * s + y) * w * s + x] =
            images[(static_cast<size_t>(i) * h + y / s) * w + x / s];
  return out;
}

// --method controlnet: trains the copy and the zero convolutions on (training image, its Sobel edges) with
// the base frozen, then samples from the edges of test images at each --control-scales value and reports how
// well the samples follow them (edge agreement).
int finetune_controlnet(const ArgParser& p, LoadedModel& loaded, const std::string& base_path,
                        const std::string& dataset, bool quiet) {
  if (p.given("out")) check_writable_output(p.get("out"));  // before minutes of training
  UNet& base = loaded.unet();
  const int steps = p.given("steps") ? p.get_int("steps", 1, 1000000) : 400;
  ControlNetConfig config;
  config.steps = steps;
  config.batch = p.get_int("batch", 1, 1024);
  config.lr = p.given("lr") ? static_cast<float>(p.get_double("lr", 1e-12, 10)) : 1e-3f;
  config.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const std::vector<double> scales = parse_gamma_list(p.get("control-scales"));
  const int n = p.get_int("control-n", 1, 256), sample_steps = p.get_int("sample-steps", 1, 1000);
  const int png_scale = p.get_int("png-scale", 1, 16);
  const ImageDataset train = load_image_dataset(dataset, true);
  const ImageDataset test = load_image_dataset(dataset, false);
  if (train.dim() != base.dim())
    throw UsageError(dataset + ": images are " + std::to_string(train.height) + "×" +
                     std::to_string(train.width) + ", the base model's are " + std::to_string(base.height()) +
                     "×" + std::to_string(base.width()));
  ControlNet net(base);
  const std::vector<float> edges = sobel_edges(test.pixels.data(), n, test.height, test.width);
  const std::vector<float> x_T = standard_normal(n * base.dim(), config.seed + 5000);
  auto agreement_at = [&](double scale, std::vector<float>* images) {
    ControlNetDenoiser denoiser(net, loaded.schedule, edges, -1, static_cast<float>(scale));
    const EdgeSamples s = sample_against_edges(denoiser, edges, x_T, base.height(), base.width(),
                                               sample_steps, config.seed + 5001);
    if (images) images->insert(images->end(), s.images.begin(), s.images.end());
    return s.mean_agreement();
  };
  std::printf("step 0 (zero convolutions): edge agreement %.3f at scale 1 (the base's own samples)\n",
              agreement_at(1.0, nullptr));
  TrainLoop loop;
  loop.add_part("copy", net.copy(), {{config.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
  loop.add_part("zero", net.zero_convs(), {{config.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
  ControlNetObjective objective(net, loaded.schedule, train, config);
  ProgressBar bar("controlnet", steps);
  double smoothed = NAN;
  const auto start = std::chrono::steady_clock::now();
  for (int s = 1; s <= steps; ++s) {
    const StepResult r = loop.step(objective);
    if (r.diverged) throw std::runtime_error("ControlNet training diverged (loss not finite)");
    smoothed = std::isnan(smoothed) ? r.loss : 0.95 * smoothed + 0.05 * r.loss;
    if (!quiet) bar.update(s, "loss " + fixed(smoothed, 4));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "controlnet: %d steps in %.1f s\n", steps, seconds);
  std::vector<float> grid = edges;
  for (float& v : grid) v = 2 * v - 1;  // edges [0, 1] shown as images [−1, 1]
  for (double scale : scales)
    std::printf("after %d steps: edge agreement %.3f at conditioning scale %g\n", steps,
                agreement_at(scale, &grid), scale);
  if (p.given("snapshots-out")) {
    const int rows = static_cast<int>(grid.size() / base.dim());
    write_png_grid(p.get("snapshots-out"), upscale(grid, rows, base.height(), base.width(), png_scale), rows,
                   base.height() * png_scale, base.width() * png_scale, n);
    std::fprintf(stderr, "wrote %s (the edge maps, then one row per scale)\n",
                 p.get("snapshots-out").c_str());
  }
  if (p.given("out")) {
    const float default_scale = static_cast<float>(p.get_double("control-scale", 0, 100));
    save_checkpoint(p.get("out"),
                    controlnet_checkpoint(net, *loaded.checkpoint, base_path, default_scale, steps));
    std::fprintf(stderr, "wrote %s (sample: difflab sample --model %s --control fashion-mnist --out x.png)\n",
                 p.get("out").c_str(), p.get("out").c_str());
  }
  return 0;
}

}  // namespace

int cli_finetune(int argc, char** argv) {
  ArgParser p(
      "difflab finetune --method textual-inversion|dreambooth|controlnet|ip-adapter --base CKPT --subject "
      "K|NAME|idx:FILE --out "
      "CKPT",
      "Personalises a class-conditional image U-Net (trained with --classes K) on a few images of a "
      "subject,\n"
      "e.g. a class the base never saw (`difflab train … --classes 10 --exclude-class 8`):\n"
      "  textual-inversion (Gal et al. 2022): learns one conditioning row with every weight frozen and "
      "writes\n"
      "    the base with that row as class --token;\n"
      "  dreambooth (Ruiz et al. 2023): fine-tunes the whole network on the subject labelled --token, with\n"
      "    the prior-preservation loss on images the base generated for the other classes (--prior-weight\n"
      "    0 turns it off);\n"
      "  controlnet (Zhang et al. 2023): a trainable copy of the U-Net reads the Sobel edges of training "
      "images\n"
      "    and adds its encoder features through zero-initialised 1×1 convolutions to the frozen base's "
      "decoder;\n"
      "    reports the edge agreement of samples drawn from test images' edges at each --control-scales (no\n"
      "    --subject); --out writes the copy and the zero convolutions (the base stays in its own file);\n"
      "  ip-adapter (Ye et al. 2023): new keys and values in the U-Net's attention read 4 tokens projected\n"
      "    from the mini-CLIP's image embedding, the base frozen; --out writes the adapter only (.ipa), and\n"
      "    --adapter FILE --image-prompt N --ip-scales LIST samples from one.\n"
      "The result samples with `difflab sample --model OUT --class TOKEN`. With --eval-per-class N the "
      "shipped\n"
      "classifier judges N guided samples per class before and after: the subject's fidelity (share of the\n"
      "token's samples called the subject's class) and the other classes' accuracy (drift).");
  p.option("method", "M", "textual-inversion | dreambooth | controlnet | ip-adapter")
      .option("base", "CKPT", "the class-conditional U-Net checkpoint to start from")
      .option("subject", "S", "a class of --dataset (number or name, e.g. 8 or bag) or idx:IMAGES")
      .option("subject-count", "N", "subject images (the first N of the class)", "4")
      .option("subject-first", "I", "skip the first I images of the class", "0")
      .option("dataset", "D", "where --subject's class comes from (default: the base's data set)")
      .option("token", "K", "the class id that means the subject (default: the subject's class)")
      .option("out", "CKPT", "checkpoint to write")
      .option("steps", "N",
              "optimisation steps (default 300 textual inversion, 200 DreamBooth, 400 ControlNet)")
      .option("batch", "B", "subject images per step (DreamBooth adds as many prior images)", "16")
      .option(
          "lr", "LR",
          "learning rate (default 0.02 textual inversion: Adam on the row; 2e-4 DreamBooth; 1e-3 ControlNet)")
      .option("prior-weight", "L", "dreambooth: λ of the prior-preservation loss (0 = off)", "1")
      .option("prior-per-class", "N", "dreambooth: generated images per other class for the prior", "8")
      .option("guidance", "G", "γ of the samples the prior, the snapshots and the evaluation use", "3")
      .option("sample-steps", "N", "DDIM steps of those samples", "20")
      .option("eval-per-class", "N", "samples per class for the classifier's verdict (0 = none)", "10")
      .option("classifier", "CKPT", "the classifier that judges the samples", default_classifier_path())
      .option("snapshot-every", "N", "steps between snapshots of the token's samples (0 = none)", "50")
      .option("snapshots-out", "FILE.png", "grid: one row of token samples per snapshot (step 0 first)")
      .option("snapshot-n", "N", "samples per snapshot", "8")
      .option("eval-out", "PREFIX",
              "write PREFIX-before.png and PREFIX-after.png: the evaluation's samples, one row per class "
              "(the other classes, then the token)")
      .option("subject-out", "FILE.png", "also write the subject images")
      .option("png-scale", "S", "PNGs: each pixel drawn S × S times", "1")
      .option("control-scales", "LIST", "controlnet: conditioning scales to sample at", "0,0.5,1,2")
      .option("control-n", "N", "controlnet: test images whose edges condition the samples", "8")
      .option("control-scale", "S", "controlnet: the conditioning scale --out records as its default", "1")
      .option("seed", "S", "random seed", "0")
      .option("adapter", "FILE", "ip-adapter: load this adapter instead of training one")
      .option("image-prompt", "N", "ip-adapter: test image N (or idx:FILE:N) as the image prompt")
      .option("ip-scales", "LIST", "ip-adapter: λ values to sample at", "0,0.5,1")
      .option("class", "K", "ip-adapter: the text class of the samples (-1 = none)")
      .option("samples", "N", "ip-adapter: samples per λ from --image-prompt", "8")
      .option("samples-out", "FILE.png", "ip-adapter: grid of those samples, one row per λ")
      .option("eval-n", "N", "ip-adapter: test images whose samples the classifier judges", "100")
      .option("train-n", "N", "ip-adapter: training images (their CLIP embeddings are the prompts)", "10000")
      .option("clip-model", "CKPT", "ip-adapter: the CLIP whose image embedding is the prompt")
      .option("threads", "N", "threads for large ops", "2");
  add_backend_option(p);
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 2)) return 0;
  const std::string method = p.require("method");
  const bool ti = method == "textual-inversion", db = method == "dreambooth";
  if (method == "ip-adapter") return finetune_ip_adapter(p, p.get_flag("quiet"));
  const bool control = method == "controlnet";
  if (!ti && !db && !control)
    throw UsageError("--method must be textual-inversion, dreambooth or controlnet");
  const std::string base_path = p.require("base");
  if (!std::filesystem::exists(base_path))
    throw UsageError("--base " + base_path +
                     ": no such file (train one with `difflab train --dataset "
                     "fashion-mnist --classes 10 --exclude-class 8 …`)");
  const bool quiet = p.get_flag("quiet");
  if (control) {
    BackendChoice choice;
    std::unique_ptr<LoadedModel> loaded =
        load_model(base_path, "", std::nullopt, backend_from_options(p), &choice);
    print_backend_note(choice);
    if (!loaded->is_image()) throw UsageError("--base " + base_path + " is not an image U-Net");
    loaded->unet().backend().set_threads(p.get_int("threads", 1, 256));
    return finetune_controlnet(p, *loaded, base_path,
                               p.given("dataset") ? p.get("dataset") : loaded->checkpoint->dataset, quiet);
  }
  const std::string out = p.require("out");
  check_writable_output(out);

  BackendChoice choice;
  std::unique_ptr<LoadedModel> loaded =
      load_model(base_path, "", std::nullopt, backend_from_options(p), &choice);
  print_backend_note(choice);
  if (!loaded->is_image() || loaded->num_classes <= 0)
    throw UsageError("--base " + base_path +
                     " is not a class-conditional image U-Net (train it with --classes K)");
  UNet& net = loaded->unet();
  net.backend().set_threads(p.get_int("threads", 1, 256));
  const Checkpoint& base_ck = *loaded->checkpoint;
  const std::string dataset = p.given("dataset") ? p.get("dataset") : base_ck.dataset;
  const Subject subject = load_subject(p, dataset, net.dim(), net.height(), net.width());
  const int K = net.num_classes();
  int token = subject.label;
  if (p.given("token")) token = p.get_int("token", 0, 100000);
  if (token < 0)
    throw UsageError("--token K is needed when the subject is an idx file (a class id of the base, 0 … " +
                     std::to_string(K - 1) + ")");
  if (token >= K)
    throw UsageError("--token " + std::to_string(token) + ": the base has classes 0 … " +
                     std::to_string(K - 1));
  const int steps = p.given("steps") ? p.get_int("steps", 1, 1000000) : (ti ? 300 : 200);
  const int batch = p.get_int("batch", 1, 1024);
  const double gamma = p.get_double("guidance", 0, 100);
  const int sample_steps = p.get_int("sample-steps", 1, 1000);
  const int eval_n = p.get_int("eval-per-class", 0, 10000);
  const int snapshot_every = p.get_int("snapshot-every", 0, 1000000);
  const int snapshot_n = p.get_int("snapshot-n", 1, 64);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const int png_scale = p.get_int("png-scale", 1, 16);
  std::fprintf(stderr, "base: %s (%d classes); subject: %s; token %d\n", base_path.c_str(), K,
               subject.description.c_str(), token);

  if (p.given("subject-out"))
    write_png_grid(p.get("subject-out"),
                   upscale(subject.images, subject.count, net.height(), net.width(), png_scale),
                   subject.count, net.height() * png_scale, net.width() * png_scale, subject.count);
  std::unique_ptr<LoadedClassifier> classifier;
  const int judge = subject.label >= 0 ? subject.label : token;  // what the classifier should call the token
  std::vector<int> others;
  for (int k = 0; k < K; ++k)
    if (k != token && k != judge) others.push_back(k);
  if (eval_n > 0 || snapshot_every > 0) {
    classifier = load_classifier(p.get("classifier"), p.get_int("threads", 1, 256));
    if (classifier->model->dim() != net.dim())
      throw UsageError(p.get("classifier") + ": the classifier's images are not the U-Net's size");
  }
  std::vector<float> weights = base_ck.ema_params;
  auto upload = [&] { net.backend().write(net.params(), weights.data()); };
  upload();

  std::vector<float> snapshots;
  std::vector<std::pair<int, double>> snapshot_accuracy;
  auto snapshot = [&](int step) {
    if (snapshot_every <= 0 || !classifier) return;
    const GenerationAccuracy a = generation_accuracy(net, loaded->schedule, *classifier->model, {token},
                                                     snapshot_n, gamma, sample_steps, seed + 1000);
    // The classifier's verdict is against the subject's class (the token may be another id).
    const std::vector<int> predicted = classify(*classifier->model, a.images.data(), snapshot_n);
    int right = 0;
    for (int v : predicted) right += v == judge;
    snapshot_accuracy.emplace_back(step, static_cast<double>(right) / snapshot_n);
    snapshots.insert(snapshots.end(), a.images.begin(), a.images.end());
    std::fprintf(stderr, "%ssnapshot at step %d: classifier calls %d of %d token samples class %d\n",
                 quiet ? "" : "\n", step, right, snapshot_n, judge);
  };
  auto evaluate = [&](const char* when) -> GenerationAccuracy {
    GenerationAccuracy a = generation_accuracy(net, loaded->schedule, *classifier->model, others, eval_n,
                                               gamma, sample_steps, seed + 2000);
    const GenerationAccuracy t = generation_accuracy(net, loaded->schedule, *classifier->model, {token},
                                                     eval_n, gamma, sample_steps, seed + 3000);
    const std::vector<int> predicted = classify(*classifier->model, t.images.data(), eval_n);
    int right = 0;
    for (int v : predicted) right += v == judge;
    a.classes.push_back(token);
    a.accuracy.push_back(static_cast<double>(right) / eval_n);
    a.images.insert(a.images.end(), t.images.begin(), t.images.end());
    if (p.given("eval-out")) {
      const std::string file = p.get("eval-out") + "-" + when + ".png";
      const int n = static_cast<int>(a.images.size() / net.dim());
      write_png_grid(file, upscale(a.images, n, net.height(), net.width(), png_scale), n,
                     net.height() * png_scale, net.width() * png_scale, eval_n);
      std::fprintf(stderr, "wrote %s\n", file.c_str());
    }
    std::printf("%s: subject fidelity %.3f (token %d samples called class %d), other classes %.3f (%s)\n",
                when, a.accuracy.back(), token, judge, a.mean, accuracy_list(a).c_str());
    return a;
  };

  Checkpoint ck = base_ck;
  ck.params.clear();
  ck.extra["finetune_method"] = method;
  ck.extra["finetune_base"] = std::filesystem::path(base_path).filename().string();
  ck.extra["finetune_token"] = std::to_string(token);
  ck.extra["finetune_steps"] = std::to_string(steps);
  ck.extra["finetune_subject"] = p.get("subject") + "x" + std::to_string(subject.count);
  GenerationAccuracy before;
  if (eval_n > 0) before = evaluate("before");
  const auto start = std::chrono::steady_clock::now();

  if (ti) {
    TextualInversionConfig tc;
    tc.steps = steps;
    tc.batch = batch;
    tc.lr = p.given("lr") ? static_cast<float>(p.get_double("lr", 1e-9, 100)) : 0.02f;
    tc.seed = seed;
    TextualInversion inversion(net, loaded->schedule, subject.images, subject.count, tc);
    write_class_row(net, &weights, token, inversion.row().data());  // step 0: the initial row (∅'s)
    upload();
    snapshot(0);
    ProgressBar bar("textual inversion", steps);
    double smoothed = NAN;
    for (int s = 1; s <= steps; ++s) {
      const double loss = inversion.step();
      if (!std::isfinite(loss)) throw std::runtime_error("textual inversion diverged (loss not finite)");
      smoothed = std::isnan(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      if (!quiet) bar.update(s, "loss " + fixed(smoothed, 4));
      if (snapshot_every > 0 && (s % snapshot_every == 0 || s == steps)) {
        write_class_row(net, &weights, token, inversion.row().data());
        upload();
        snapshot(s);
      }
    }
    write_class_row(net, &weights, token, inversion.row().data());
    upload();
    ck.extra["final_loss"] = fixed(smoothed, 5);
  } else {
    DreamBoothConfig dc;
    dc.steps = steps;
    dc.batch = batch;
    dc.lr = p.given("lr") ? static_cast<float>(p.get_double("lr", 1e-12, 10)) : 2e-4f;
    dc.prior_weight = static_cast<float>(p.get_double("prior-weight", 0, 100));
    dc.prior_per_class = p.get_int("prior-per-class", 1, 10000);
    dc.token = token;
    dc.seed = seed;
    std::vector<float> prior;
    std::vector<int> prior_labels;
    if (dc.prior_weight > 0) {
      std::fprintf(stderr, "prior: %d images of each of %zu other classes (γ = %g, DDIM %d)\n",
                   dc.prior_per_class, others.size(), gamma, sample_steps);
      prior = generate_per_class(net, loaded->schedule, dc.prior_per_class, gamma, sample_steps, seed + 4000,
                                 others);
      for (int k : others)
        for (int i = 0; i < dc.prior_per_class; ++i) prior_labels.push_back(k);
    }
    TrainLoop loop;
    loop.add_part("model", net, {{dc.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
    DreamBoothObjective objective(net, loaded->schedule, subject.images, subject.count, prior, prior_labels,
                                  dc);
    snapshot(0);
    ProgressBar bar(dc.prior_weight > 0 ? "dreambooth + prior" : "dreambooth", steps);
    double smoothed = NAN;
    for (int s = 1; s <= steps; ++s) {
      const StepResult r = loop.step(objective);
      if (r.diverged) throw std::runtime_error("DreamBooth diverged (loss not finite)");
      smoothed = std::isnan(smoothed) ? r.loss : 0.95 * smoothed + 0.05 * r.loss;
      if (!quiet) bar.update(s, "loss " + fixed(smoothed, 4));
      if (snapshot_every > 0 && (s % snapshot_every == 0 || s == steps)) snapshot(s);
    }
    net.backend().read(net.params(), weights.data());
    ck.extra["prior_weight"] = fixed(dc.prior_weight, 3);
    ck.extra["final_loss"] = fixed(smoothed, 5);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "%s: %d steps in %.1f s\n", method.c_str(), steps, seconds);
  ck.extra["finetune_seconds"] = fixed(seconds, 1);
  if (eval_n > 0) {
    const GenerationAccuracy after = evaluate("after");
    ck.extra["subject_fidelity_before"] = fixed(before.accuracy.back());
    ck.extra["subject_fidelity"] = fixed(after.accuracy.back());
    ck.extra["other_accuracy_before"] = fixed(before.mean);
    ck.extra["other_accuracy"] = fixed(after.mean);
  }
  if (!snapshot_accuracy.empty()) {
    std::string list;
    for (const auto& [step, acc] : snapshot_accuracy)
      list.append(list.empty() ? "" : ",").append(std::to_string(step)).append(":").append(fixed(acc, 3));
    ck.extra["snapshot_fidelity"] = list;
    std::printf("snapshots (step:fidelity): %s\n", list.c_str());
  }
  if (p.given("snapshots-out") && !snapshots.empty()) {
    const int rows = static_cast<int>(snapshots.size() / net.dim());
    write_png_grid(p.get("snapshots-out"), upscale(snapshots, rows, net.height(), net.width(), png_scale),
                   rows, net.height() * png_scale, net.width() * png_scale, snapshot_n);
    std::fprintf(stderr, "wrote %s (%d rows)\n", p.get("snapshots-out").c_str(), rows / snapshot_n);
  }
  ck.ema_params = weights;
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s (sample it with `difflab sample --model %s --class %d --guidance %g`)\n",
               out.c_str(), out.c_str(), token, gamma);
  return 0;
}

}  // namespace difflab
