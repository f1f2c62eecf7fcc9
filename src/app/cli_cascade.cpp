// cli_cascade.cpp — `difflab cascade train|sample|measure`: the two-stage cascade (14×14 base, 28×28
// super-resolution on the upsampled base) on Fashion-MNIST. Not the models or their loss (train/cascade.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/progress.h"
#include "data/idx.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "train/cascade.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/image_grid.h"
#include "train/image_quality.h"
#include "train/image_trainer.h"

namespace difflab {
namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string number(double v, const char* format = "%.6g") {
  char b[64];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

Checkpoint stage_checkpoint(const ImageNet& net, const ScheduleConfig& schedule, std::vector<float> ema,
                            int steps, uint64_t seed, const char* stage) {
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = net.config_map();
  ck.schedule = schedule;
  ck.dataset = "fashion-mnist";
  ck.step = steps;
  ck.seed = seed;
  ck.ema_params = std::move(ema);
  ck.extra["cascade_stage"] = stage;
  return ck;
}

int cascade_train(int argc, char** argv) {
  ArgParser p("difflab cascade train --stage base|sr --out CKPT [options]",
              "Trains one stage of the cascade on Fashion-MNIST: the class-conditional 14x14 base U-Net\n"
              "(images 2x2-average-pooled), or the 28x28 super-resolution U-Net (in_channels 3: the noisy\n"
              "image, the bilinear-upsampled 14x14 image noised to a random level s ~ U(0, 0.5) as\n"
              "noise-conditioning augmentation, and s itself as a constant plane). Writes the EMA weights.");
  p.option("stage", "base|sr", "which stage")
      .option("out", "CKPT", "checkpoint to write")
      .option("steps", "N", "training steps", "1500")
      .option("batch", "N", "minibatch", "32")
      .option("lr", "LR", "AdamW learning rate", "0.002")
      .option("seed", "N", "seed", "0")
      .option("threads", "N", "threads for large ops", "1")
      .flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 3)) return 0;
  const std::string stage = p.require("stage"), out = p.require("out");
  if (stage != "base" && stage != "sr") throw UsageError("--stage must be base or sr, not '" + stage + "'");
  const int steps = p.get_int("steps", 1, 1000000), batch = p.get_int("batch", 1, 4096);
  const int threads = p.get_int("threads", 1, 256);
  const float lr = static_cast<float>(p.get_double("lr", 1e-7, 1));
  const uint64_t seed = static_cast<uint64_t>(p.get_int("seed", 0, 1 << 30));
  const bool quiet = p.get_flag("quiet");
  const ImageDataset train = load_image_dataset("fashion-mnist", true);
  const auto start = std::chrono::steady_clock::now();
  Checkpoint ck;
  if (stage == "base") {
    ImageTrainConfig config;
    config.model = cascade_base_config();
    config.steps = steps;
    config.batch = batch;
    config.optimizer.lr = lr;
    config.seed = seed;
    config.threads = threads;
    ImageTrainer trainer(config, downsample_dataset(train));
    std::fprintf(stderr, "training the base: %s, %zu parameters, %d steps\n", describe(config.model).c_str(),
                 trainer.model().num_params(), steps);
    ProgressBar bar("base", steps);
    double loss = NAN;
    while (trainer.step_count() < steps) {
      const StepResult r = trainer.step();
      if (r.diverged) throw std::runtime_error("training diverged; try a smaller --lr");
      loss = std::isnan(loss) ? r.loss : 0.98 * loss + 0.02 * r.loss;
      if (!quiet) bar.update(trainer.step_count(), "loss " + number(loss, "%.4f"));
    }
    ck = stage_checkpoint(trainer.model(), config.schedule, trainer.read_params(true), steps, seed, "base");
  } else {
    const ScheduleConfig schedule_config{ScheduleKind::Linear, 1000, 1e-4, 0.02};
    const NoiseSchedule schedule = make_schedule(schedule_config);
    auto backend = make_backend(BackendKind::cpu);
    backend->set_threads(threads);
    UNet net(cascade_sr_config(), *backend);
    net.init_params(seed);
    TrainLoop loop;
    TrainPart& part =
        loop.add_part("model", net, {AdamWConfig{lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.999f, 100});
    CascadeSrObjective objective(net, schedule, train, batch, kCascadeTrainAugMax, 0.1, seed);
    std::fprintf(stderr, "training the SR stage: %s, %zu parameters, %d steps, aug s ~ U(0, %g)\n",
                 describe(net.config()).c_str(), net.num_params(), steps, kCascadeTrainAugMax);
    ProgressBar bar("sr", steps);
    double loss = NAN;
    while (loop.step_count() < steps) {
      const StepResult r = loop.step(objective);
      if (r.diverged) throw std::runtime_error("training diverged; try a smaller --lr");
      loss = std::isnan(loss) ? r.loss : 0.98 * loss + 0.02 * r.loss;
      if (!quiet) bar.update(loop.step_count(), "loss " + number(loss, "%.4f"));
    }
    std::vector<float> ema(net.num_params());
    backend->read(part.ema(), ema.data());
    ck = stage_checkpoint(net, schedule_config, std::move(ema), steps, seed, "sr");
    ck.extra["aug_train_max"] = number(kCascadeTrainAugMax);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ck.extra["batch"] = std::to_string(batch);
  ck.extra["lr"] = number(lr);
  ck.extra["train_seconds"] = number(seconds, "%.0f");
  save_checkpoint(out, ck);
  std::fprintf(stderr, "done: %d steps in %.1f s; wrote %s\n", steps, seconds, out.c_str());
  return 0;
}

// labels[i] = i mod 10 (class-balanced), or all `label`.
std::vector<int> cascade_labels(int label, int n) {
  std::vector<int> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = label >= 0 ? label : i % 10;
  return labels;
}

int cascade_sample(int argc, char** argv) {
  ArgParser p("difflab cascade sample --base CKPT --sr CKPT --class K --n N --out PNG [options]",
              "Samples the cascade: 14x14 base samples of class K, upsampled (bilinear), noised to level s,\n"
              "then the 28x28 super-resolution stage. The PNG has three rows: the base (shown 2x), its\n"
              "upsampling, and the SR output.");
  p.option("base", "CKPT", "the 14x14 base stage", "checkpoints/fashion-mnist-cascade-base.ckpt")
      .option("sr", "CKPT", "the 28x28 SR stage", "checkpoints/fashion-mnist-cascade-sr.ckpt")
      .option("class", "K", "class 0..9", "0")
      .option("n", "N", "samples", "8")
      .option("out", "PNG", "image to write")
      .option("aug", "S", "noise-augmentation level s of the conditioning image", number(kCascadeSampleAug))
      .option("steps", "N", "DDIM steps of each stage", "20")
      .option("seed", "N", "seed", "1")
      .option("threads", "N", "threads for large ops", "1");
  if (!p.parse(argc, argv, 3)) return 0;
  const int threads = p.get_int("threads", 1, 256);
  auto base = load_cascade_stage(p.get("base"), CascadeStageKind::Base, threads);
  auto sr = load_cascade_stage(p.get("sr"), CascadeStageKind::Sr, threads);
  const int classes = base->net->num_classes();
  const int label = p.get_int("class", 0, 1 << 20);
  if (label >= classes)
    throw UsageError("--class " + std::to_string(label) + " is out of range: the base has classes 0.." +
                     std::to_string(classes - 1));
  const int n = p.get_int("n", 1, 256), steps = p.get_int("steps", 1, 1000);
  const double s = p.get_double("aug", 0, 1);
  const uint64_t seed = static_cast<uint64_t>(p.get_int("seed", 0, 1 << 30));
  const std::string out = p.require("out");
  const std::vector<int> labels = cascade_labels(label, n);
  ProgressBar bar("cascade", 2);
  double t0 = cpu_seconds();
  const std::vector<float> low = sample_cascade_base(*base, n, labels, steps, seed);
  const double base_s = cpu_seconds() - t0;
  bar.update(1, "base");
  t0 = cpu_seconds();
  const std::vector<float> high = sample_cascade_sr(*sr, low, n, labels, s, steps, seed + 100);
  const double sr_s = cpu_seconds() - t0;
  bar.update(2, "sr");
  // Rows: the base shown at 28×28 by pixel doubling, the bilinear upsampling, the SR output.
  std::vector<float> grid;
  const std::vector<float> up = upsample_2x(low.data(), n, kCascadeLowSide);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < kCascadeHighSide; ++r)
      for (int c = 0; c < kCascadeHighSide; ++c)
        grid.push_back(low[static_cast<size_t>(i) * 196 + (r / 2) * kCascadeLowSide + c / 2]);
  grid.insert(grid.end(), up.begin(), up.end());
  grid.insert(grid.end(), high.begin(), high.end());
  write_png_grid(out, grid, 3 * n, kCascadeHighSide, kCascadeHighSide, n);
  std::printf("class %d, %d samples, DDIM %d, aug s = %g: CPU ms per sample base %.1f, SR %.1f; wrote %s\n",
              label, n, steps, s, 1e3 * base_s / n, 1e3 * sr_s / n, out.c_str());
  return 0;
}

int cascade_measure(int argc, char** argv) {
  ArgParser p(
      "difflab cascade measure [options]",
      "FID (shipped classifier features, against test images) and CPU ms per sample of (a) the cascade,\n"
      "(b) the 14x14 base upsampled bilinearly without SR, (c) the pixel class-conditional U-Net, with\n"
      "the same class-balanced labels, DDIM steps and no guidance.");
  p.option("base", "CKPT", "the 14x14 base stage", "checkpoints/fashion-mnist-cascade-base.ckpt")
      .option("sr", "CKPT", "the 28x28 SR stage", "checkpoints/fashion-mnist-cascade-sr.ckpt")
      .option("pixel", "CKPT", "the pixel-space class-conditional U-Net",
              "checkpoints/fashion-mnist-classroom-cond.ckpt")
      .option("fid-samples", "N", "samples per FID (n/10 per class)", "500")
      .option("aug", "S", "noise-augmentation level s at sampling", number(kCascadeSampleAug))
      .option("steps", "N", "DDIM steps", "20")
      .option("threads", "N", "threads for large ops", "1");
  if (!p.parse(argc, argv, 3)) return 0;
  const int threads = p.get_int("threads", 1, 256);
  auto base = load_cascade_stage(p.get("base"), CascadeStageKind::Base, threads);
  auto sr = load_cascade_stage(p.get("sr"), CascadeStageKind::Sr, threads);
  const int n = p.get_int("fid-samples", 10, 100000) / 10 * 10, steps = p.get_int("steps", 1, 1000);
  const double s = p.get_double("aug", 0, 1);
  const std::vector<int> labels = cascade_labels(-1, n);
  ProgressBar bar("measure", 3);
  double t0 = cpu_seconds();
  const std::vector<float> low = sample_cascade_base(*base, n, labels, steps, 1);
  const double base_s = cpu_seconds() - t0;
  t0 = cpu_seconds();
  const std::vector<float> up = upsample_2x(low.data(), n, kCascadeLowSide);
  const double up_s = cpu_seconds() - t0;
  bar.update(1, "base");
  t0 = cpu_seconds();
  const std::vector<float> high = sample_cascade_sr(*sr, low, n, labels, s, steps, 101);
  const double sr_s = cpu_seconds() - t0;
  bar.update(2, "sr");
  const Checkpoint pixel_ck = load_checkpoint(p.get("pixel"));
  UNet pixel(unet_config_from_map(pixel_ck.model_config), *base->backend);
  base->backend->write(pixel.params(), pixel_ck.ema_params.data());
  const NoiseSchedule pixel_schedule = make_schedule(pixel_ck.schedule);
  t0 = cpu_seconds();
  std::vector<float> pixel_images;
  {
    SamplerConfig sc;
    sc.record_trajectory = false;
    sc.clip_x0 = true;
    sc.kind = SamplerKind::Ddim;
    sc.steps = steps;
    UNetConditionalDenoiser conditional(pixel, pixel_schedule);
    CfgDenoiser guided(conditional, labels, 0.0);
    Sampler sampler(guided, sc);
    sampler.begin(standard_normal(n * 784, 1), 2);
    sampler.run();
    pixel_images = sampler.x();
  }
  const double pixel_s = cpu_seconds() - t0;
  bar.update(3, "pixel");
  auto classifier = load_classifier(default_classifier_path(), threads);
  const ImageDataset test = load_image_dataset("fashion-mnist", false);
  const int n_ref = 1000;
  const FidReference reference = make_fid_reference(*classifier->model, test.pixels.data(), n_ref,
                                                    test.image(n_ref), std::min(n, test.count - n_ref));
  // The test images' own 14×14 → 28×28 round trip: what a perfect base scores without SR.
  const std::vector<float> test_low = downsample_2x(test.image(n_ref), n, kCascadeHighSide);
  const std::vector<float> test_up = upsample_2x(test_low.data(), n, kCascadeLowSide);
  // Visible noise: SR samples rougher (mean squared Laplacian) than 99 % of the test images.
  std::vector<double> test_rough(n);
  for (int i = 0; i < n; ++i) test_rough[i] = image_roughness(test.image(n_ref + i), kCascadeHighSide);
  std::sort(test_rough.begin(), test_rough.end());
  const double rough_q99 = test_rough[static_cast<size_t>(0.99 * (n - 1))];
  int noisy = 0;
  for (int i = 0; i < n; ++i)
    noisy += image_roughness(high.data() + static_cast<size_t>(i) * 784, kCascadeHighSide) > rough_q99;
  std::printf("parameters: base %zu, SR %zu (in_channels %d, %s), pixel %zu\n", base->net->num_params(),
              sr->net->num_params(), sr->net->channels(), cascade_sr_reads_s(*sr) ? "reads s" : "not told s",
              pixel.num_params());
  std::printf(
      "visible noise: %d of %d SR samples (%.1f %%) rougher (mean squared Laplacian) than 99 %% of the test "
      "images (threshold %.4f)\n",
      noisy, n, 100.0 * noisy / n, rough_q99);
  std::printf(
      "CPU ms per sample (DDIM %d, %d samples, %d thread): cascade %.2f (base %.2f + SR %.2f), "
      "base upsampled %.2f, pixel U-Net %.2f\n",
      steps, n, threads, 1e3 * (base_s + up_s + sr_s) / n, 1e3 * base_s / n, 1e3 * sr_s / n,
      1e3 * (base_s + up_s) / n, 1e3 * pixel_s / n);
  std::printf(
      "FID vs %d test images (%d samples, floor %.3f): cascade %.3f, base upsampled %.3f, pixel U-Net "
      "%.3f, test images through 14x14 and back %.3f\n",
      n_ref, n, reference.floor, fid_to_reference(*classifier->model, high.data(), n, reference),
      fid_to_reference(*classifier->model, up.data(), n, reference),
      fid_to_reference(*classifier->model, pixel_images.data(), n, reference),
      fid_to_reference(*classifier->model, test_up.data(), n, reference));
  return 0;
}

}  // namespace

int cli_cascade(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "train") return cascade_train(argc, argv);
  if (sub == "sample") return cascade_sample(argc, argv);
  if (sub == "measure") return cascade_measure(argc, argv);
  if (sub == "--help" || sub == "-h" || sub.empty()) {
    std::printf(
        "usage: difflab cascade train|sample|measure [options]   (each has --help)\n"
        "  train    train the 14x14 base (--stage base) or the 28x28 super-resolution stage (--stage sr)\n"
        "  sample   base -> bilinear upsample -> noise augmentation -> SR, as a PNG\n"
        "  measure  FID and CPU ms per sample: cascade, base upsampled, pixel U-Net\n");
    return sub.empty() ? 2 : 0;
  }
  throw UsageError("unknown subcommand '" + sub + "' (train, sample or measure)");
}

}  // namespace difflab
