// cli_latent.cpp — `difflab latent ae|train|sample|measure`: latent diffusion on Fashion-MNIST (Rombach et
// al. 2022) — the autoencoder, the U-Net in its latent, decoded samples, and the cost against pixel space.
// Not the models (nn/autoencoder.h, nn/unet.h) nor their losses (train/autoencoder_objective.h,
// image_trainer.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "data/captions.h"
#include "data/idx.h"
#include "nn/backend_factory.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "train/autoencoder_objective.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/clip_objective.h"
#include "train/image_grid.h"
#include "train/image_quality.h"
#include "train/image_trainer.h"
#include "train/latent_diffusion.h"
#include "train/text_latent.h"

namespace difflab {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds of the process: with --threads 1 every op runs on the calling thread, so this is the work done,
// whatever else the machine runs (wall-clock rates on a shared machine move with the load).
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

// `difflab latent ae`: trains the autoencoder, measures its reconstruction and its latents' scale factor.
int latent_ae(int argc, char** argv, int first) {
  ArgParser p(
      "difflab latent ae --out AE.ckpt [options]",
      "Trains the convolutional autoencoder of latent diffusion (28x28 <-> 4x8x8) on Fashion-MNIST with\n"
      "MSE + beta*KL (nn/autoencoder.h), then reports the reconstruction MSE on test images and writes\n"
      "the scale factor 1/std of the training latents (as Stable Diffusion's 0.18215) into the checkpoint.");
  p.option("out", "CKPT", "checkpoint to write")
      .option("dataset", "D", "image data set", "fashion-mnist")
      .option("steps", "N", "optimizer steps", "1500")
      .option("batch", "B", "minibatch size", "64")
      .option("lr", "LR", "AdamW learning rate", "2e-3")
      .option("beta", "B", "weight of the KL term (0 = plain autoencoder)", "1e-3")
      .option("channels", "C0,C1", "encoder/decoder widths", "16,32")
      .option("latent-channels", "Z", "latent channels", "4")
      .option("ema-decay", "D", "EMA decay of the weights", "0.999")
      .option("seed", "S", "random seed", "0")
      .option("threads", "N", "threads for large ops", "1")
      .option("model", "autoencoder", "(difflab train --model autoencoder: the same command)");
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, first)) return 0;
  if (p.given("model") && p.get("model") != "autoencoder")
    throw UsageError("--model must be autoencoder here");
  const std::string out = p.require("out");
  check_writable_output(out);
  AutoencoderConfig config;
  config.channels.clear();
  for (double v : parse_number_list(p.get("channels"), "channels", 2))
    config.channels.push_back(static_cast<int>(v));
  config.latent_channels = p.get_int("latent-channels", 1, 64);
  validate(config);
  const int steps = p.get_int("steps", 1, 10000000);
  AutoencoderObjectiveSettings settings{p.get_int("batch", 1, 4096), p.get_double("beta", 0, 1e6)};
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const ImageDataset train = load_image_dataset(p.get("dataset"), true);
  const ImageDataset test = load_image_dataset(p.get("dataset"), false);
  if (train.height != 28 || train.width != 28 || train.channels != 1)
    throw UsageError("the autoencoder takes 28x28 grayscale images");
  auto backend = make_backend(BackendKind::cpu);
  backend->set_threads(p.get_int("threads", 1, 256));
  Autoencoder model(config, *backend);
  model.init_params(seed);
  TrainLoop loop;
  const float lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  TrainPart& part = loop.add_part("model", model,
                                  {{lr, 0.9f, 0.999f, 1e-8f, 0.0f},
                                   1.0f,
                                   static_cast<float>(p.get_double("ema-decay", 0, 0.999999)),
                                   100});
  AutoencoderObjective objective(model, train, settings, seed);
  std::fprintf(stderr, "training: %s, %zu parameters, beta %g, batch %d, %d steps\n",
               describe(config).c_str(), model.num_params(), settings.beta, settings.batch, steps);
  ProgressBar bar("ae", steps);
  const bool quiet = p.get_flag("quiet");
  double mse = NAN;
  const auto start = Clock::now();
  while (loop.step_count() < steps) {
    const StepResult r = loop.step(objective);
    if (r.diverged) throw std::runtime_error("training diverged; try a smaller --lr");
    mse = std::isnan(mse) ? objective.last_mse() : 0.98 * mse + 0.02 * objective.last_mse();
    if (!quiet)
      bar.update(loop.step_count(),
                 "mse " + number(mse, "%.4f") + " kl " + number(objective.last_kl(), "%.3f"));
  }
  const double seconds = seconds_since(start);
  std::fprintf(stderr, "done: %d steps in %.1f s (%.1f images/s)\n", steps, seconds,
               steps * static_cast<double>(settings.batch) / seconds);
  // Measure and scale with the EMA weights (the ones the checkpoint keeps).
  std::vector<float> ema(model.num_params());
  backend->read(part.ema(), ema.data());
  backend->write(model.params(), ema.data());
  const double test_mse = reconstruction_mse(model, test, 2000);
  const int n_scale = std::min(train.count, 10000);
  const double scale = latent_scale_factor(encode_means(model, train.pixels.data(), n_scale));
  std::printf("reconstruction MSE (2000 test images, [-1, 1] units): %.5f\n", test_mse);
  std::printf("scale factor (1/std of %d training latents): %.5f\n", n_scale, scale);
  Checkpoint ck;
  ck.architecture = "autoencoder";
  ck.model_config = model.config_map();
  ck.denoiser = false;
  ck.dataset = p.get("dataset");
  ck.loss = "mse+kl";
  ck.step = loop.step_count();
  ck.seed = seed;
  ck.ema_params = ema;
  ck.extra["beta"] = number(settings.beta);
  ck.extra["scale_factor"] = number(scale, "%.9g");
  ck.extra["recon_mse_test"] = number(test_mse);
  ck.extra["batch"] = std::to_string(settings.batch);
  ck.extra["lr"] = number(lr);
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

UNetConfig latent_unet_config(int latent_channels, int classes) {
  UNetConfig c;
  unet_preset("classroom", &c);  // the pixel classroom U-Net's levels and widths: 16,32,64 (8 → 4 → 2 here)
  c.height = c.width = kAutoencoderLatentSide;
  c.in_channels = latent_channels;
  c.num_classes = classes;
  return c;
}

// `difflab latent train --text`: the same U-Net conditioned on captions through the frozen mini-CLIP and a
// trainable projection (train/text_latent.h); two TrainLoop parts, one checkpoint (U-Net + text_projection).
int latent_train_text(ArgParser& p, LatentModels& models, ImageDataset latents, int threads) {
  const std::string out = p.require("out");
  auto clip = load_clip(p.given("clip-model") ? p.get("clip-model") : default_clip_path(), threads);
  UNetConfig config = latent_unet_config(latents.channels, 0);
  UNet unet(config, *models.backend);
  CondProjection projection(clip->model->embed_dim(), unet.cond_dim(), *models.backend);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  unet.init_params(seed);
  projection.init_params(seed + 1);
  const int steps = p.get_int("steps", 1, 10000000);
  TextLatentSettings s;
  s.batch = p.get_int("batch", 1, 4096);
  s.caption_dropout = static_cast<float>(p.get_double("label-dropout", 0, 1));
  s.seed = seed;
  const float lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  const OptimizerSettings settings{{lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.999f, 100};
  TrainLoop loop;
  TrainPart& unet_part = loop.add_part("unet", unet, settings);
  TrainPart& projection_part = loop.add_part("projection", projection, settings);
  const ScheduleConfig schedule_config{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  const NoiseSchedule schedule = make_schedule(schedule_config);
  TextEmbedder text(*clip->model);
  TextLatentObjective objective(unet, projection, text, latents, schedule, s);
  std::fprintf(stderr, "training (text): %s, %zu + %zu parameters, caption dropout %g\n",
               describe(config).c_str(), unet.num_params(), projection.num_params(), s.caption_dropout);
  ProgressBar bar("latent-text", steps);
  const bool quiet = p.get_flag("quiet");
  double smoothed = NAN;
  const auto start = Clock::now();
  while (loop.step_count() < steps) {
    const StepResult r = loop.step(objective);
    if (r.diverged) throw std::runtime_error("training diverged; try a smaller --lr");
    smoothed = std::isnan(smoothed) ? r.loss : 0.98 * smoothed + 0.02 * r.loss;
    if (!quiet) bar.update(loop.step_count(), "loss " + number(smoothed, "%.4f"));
  }
  std::fprintf(stderr, "done: %d steps in %.1f s; final smoothed loss %.4f\n", steps, seconds_since(start),
               smoothed);
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = unet.config_map();
  ck.schedule = schedule_config;
  ck.prediction = Prediction::Eps;
  ck.dataset = "latent:" + p.get("dataset");
  ck.loss = "simple";
  ck.step = loop.step_count();
  ck.seed = seed;
  ck.ema_params.resize(unet.num_params());
  models.backend->read(unet_part.ema(), ck.ema_params.data());
  std::vector<float> projection_params(projection.num_params());
  models.backend->read(projection_part.ema(), projection_params.data());
  put_text_projection(ck, projection_params, projection.embedding_dim());
  ck.extra["conditioning"] = "text: mini-CLIP embedding -> text_projection (e W + b; null row = b)";
  ck.extra["scale_factor"] = number(models.scale, "%.9g");
  ck.extra["batch"] = std::to_string(s.batch);
  ck.extra["lr"] = number(lr);
  ck.extra["final_loss"] = number(smoothed);
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

// `difflab latent train`: encodes the training set and trains the classroom U-Net in the latent.
int latent_train(int argc, char** argv) {
  ArgParser p(
      "difflab latent train --ae AE.ckpt --out LDM.ckpt [options]",
      "Encodes the training images with the autoencoder (mu, times its scale factor) and trains the\n"
      "classroom U-Net (16,32,64) on the 4x8x8 latents with class labels and label dropout (for CFG).");
  p.option("ae", "CKPT", "the autoencoder (difflab latent ae)")
      .option("out", "CKPT", "checkpoint to write")
      .option("dataset", "D", "image data set", "fashion-mnist")
      .option("steps", "N", "optimizer steps", "3000")
      .option("batch", "B", "minibatch size", "64")
      .option("lr", "LR", "AdamW learning rate", "1e-3")
      .option("classes", "K", "class embedding (0 = unconditional)", "10")
      .option("label-dropout", "P", "share of steps trained with the null class", "0.1")
      .option("seed", "S", "random seed", "0")
      .option("threads", "N", "threads for large ops", "1")
      .option("clip-model", "CKPT", "the frozen mini-CLIP for --text (default: the shipped one)");
  p.flag("quiet", "no progress bar");
  p.flag("text",
         "condition on captions (mini-CLIP text embedding + projection; --label-dropout = caption dropout)");
  if (!p.parse(argc, argv, 3)) return 0;
  const std::string out = p.require("out");
  check_writable_output(out);
  const int threads = p.get_int("threads", 1, 256);
  auto models = load_latent_models(p.require("ae"), "", threads);
  const ImageDataset images = load_image_dataset(p.get("dataset"), true);
  auto start = Clock::now();
  ImageDataset latents = encode_dataset(*models->autoencoder, images, models->scale);
  std::fprintf(stderr, "encoded %d images in %.1f s: %s, scale factor %.5f\n", latents.count,
               seconds_since(start), latents.description.c_str(), models->scale);
  if (p.get_flag("text")) return latent_train_text(p, *models, std::move(latents), threads);
  ImageTrainConfig c;
  c.dataset = p.get("dataset");
  c.model = latent_unet_config(latents.channels, p.get_int("classes", 0, 100000));
  c.steps = p.get_int("steps", 1, 10000000);
  c.batch = p.get_int("batch", 1, 4096);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  c.label_dropout = static_cast<float>(p.get_double("label-dropout", 0, 1));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.threads = threads;
  ImageTrainer trainer(c, std::move(latents));
  std::fprintf(stderr, "training: %s, %zu parameters\n", describe(c).c_str(), trainer.model().num_params());
  ProgressBar bar("latent", c.steps);
  const bool quiet = p.get_flag("quiet");
  double smoothed = NAN;
  start = Clock::now();
  while (trainer.step_count() < c.steps) {
    const StepResult r = trainer.step();
    if (r.diverged) throw std::runtime_error("training diverged; try a smaller --lr");
    smoothed = std::isnan(smoothed) ? r.loss : 0.98 * smoothed + 0.02 * r.loss;
    if (!quiet) bar.update(trainer.step_count(), "loss " + number(smoothed, "%.4f"));
  }
  const double seconds = seconds_since(start);
  std::fprintf(stderr, "done: %d steps in %.1f s (%.1f images/s); final smoothed loss %.4f\n", c.steps,
               seconds, c.steps * static_cast<double>(c.batch) / seconds, smoothed);
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.prediction = Prediction::Eps;
  ck.dataset = "latent:" + c.dataset;
  ck.loss = "simple";
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  ck.ema_params = trainer.read_params(true);
  ck.extra["scale_factor"] = number(models->scale, "%.9g");
  ck.extra["batch"] = std::to_string(c.batch);
  ck.extra["lr"] = number(c.optimizer.lr);
  ck.extra["final_loss"] = number(smoothed);
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

// Labels for n samples: one class for all, or (class −2) every class in turn, `per` each.
std::vector<int> grid_labels(int label, int classes, int per) {
  std::vector<int> labels;
  if (label >= -1) return {label};
  for (int k = 0; k < classes; ++k)
    for (int i = 0; i < per; ++i) labels.push_back(k);
  return labels;
}

// `difflab latent sample --prompt` / `--eval-prompts`: the text-conditioned model (train/text_latent.h).
int latent_sample_text(ArgParser& p, LatentModels& m, const std::string& out) {
  int E = 0;
  const std::vector<float> params = get_text_projection(m.unet_checkpoint, &E, m.unet->cond_dim());
  CondProjection projection(E, m.unet->cond_dim(), *m.backend);
  m.backend->write(projection.params(), params.data());
  const int threads = p.get_int("threads", 1, 256);
  auto clip = load_clip(p.given("clip-model") ? p.get("clip-model") : default_clip_path(), threads);
  if (clip->model->embed_dim() != E) throw UsageError("the CLIP's embedding size is not the projection's");
  TextEmbedder text(*clip->model);
  const int per = p.get_int("n", 1, 4096);
  const double gamma = p.get_double("guidance", -100, 100);
  const int steps = p.get_int("steps", 1, 1000);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const double clip_x0 = p.get_double("clip", 0, 1e6);
  auto draw = [&](const std::string& prompt, uint64_t s) {
    const std::vector<float> z = sample_text_latents(*m.unet, projection, m.schedule, text.embed(prompt), per,
                                                     gamma, steps, s, clip_x0);
    return decode_latents(*m.autoencoder, z.data(), per, m.scale);
  };
  const auto start = Clock::now();
  if (!p.get_flag("eval-prompts")) {
    const std::string prompt = p.get("prompt");
    std::fprintf(stderr, "prompt \"%s\" -> tokens \"%s\"\n", prompt.c_str(),
                 caption_tokenizer().decode(caption_tokenizer().encode(prompt)).c_str());
    const std::vector<float> images = draw(prompt, seed);
    std::fprintf(stderr, "%d samples in %.2f s\n", per, seconds_since(start));
    write_png_grid(out, images, per, 28, 28, std::min(per, 8));
    std::fprintf(stderr, "wrote %s\n", out.c_str());
    return 0;
  }
  auto classifier = load_classifier(default_classifier_path(), threads);
  std::vector<float> grid;
  std::string json = "{\"guidance\": " + number(gamma) + ", \"samples_per_prompt\": " + std::to_string(per) +
                     ", \"ddim_steps\": " + std::to_string(steps) + ", \"prompts\": [";
  double total = 0;
  int count = 0;
  for (int k = 0; k < kCaptionClasses; ++k)
    for (CaptionLanguage language : {CaptionLanguage::Es, CaptionLanguage::En}) {
      const std::string prompt = class_prompt(language, k);
      const std::vector<float> images = draw(prompt, seed + 1000 * static_cast<uint64_t>(count));
      const std::vector<int> predicted = classify(*classifier->model, images.data(), per);
      int hits = 0;
      for (int label : predicted) hits += label == k;
      const double accuracy = static_cast<double>(hits) / per;
      total += accuracy;
      if (language == CaptionLanguage::Es) grid.insert(grid.end(), images.begin(), images.end());
      json += std::string(count ? ", " : "") + "{\"class\": " + std::to_string(k) + ", \"prompt\": \"" +
              prompt + "\", \"accuracy\": " + number(accuracy, "%.3f") + "}";
      std::fprintf(stderr, "%-32s %.3f\n", prompt.c_str(), accuracy);
      ++count;
    }
  json += "], \"mean_accuracy\": " + number(total / count, "%.4f") + "}";
  std::printf("%s\n", json.c_str());
  write_png_grid(out, grid, per * kCaptionClasses, 28, 28, per);
  std::fprintf(stderr, "%d prompts in %.1f s; wrote %s (one row per class, Spanish prompts)\n", count,
               seconds_since(start), out.c_str());
  return 0;
}

// `difflab latent sample`: DDIM in the latent with CFG, decoded through the autoencoder.
int latent_sample(int argc, char** argv) {
  ArgParser p(
      "difflab latent sample --ae AE.ckpt --model LDM.ckpt --out GRID.png [options]",
      "Samples the latent U-Net (DDIM, eta = 0, classifier-free guidance gamma) and decodes the latents\n"
      "through the autoencoder into a PNG grid (one row per class with --class all).");
  p.option("ae", "CKPT", "the autoencoder")
      .option("model", "CKPT", "the latent U-Net (difflab latent train)")
      .option("out", "PNG", "grid to write")
      .option("class", "K|all", "class to draw (-1 = none), or all: one row per class", "all")
      .option("n", "N", "images (one class) or images per class (all)", "8")
      .option("guidance", "G", "guidance weight gamma", "3")
      .option("steps", "N", "DDIM steps", "50")
      .option("seed", "S", "random seed", "0")
      .option("clip", "C", "clip x0 to [-C, C] in the (unit-variance) latent; 0 = off", "2")
      .option("threads", "N", "threads for large ops", "1")
      .option("prompt", "TEXT", "a text-conditioned model (train --text): draw this prompt (\"bolso\")")
      .option("clip-model", "CKPT",
              "the mini-CLIP the text model was trained with (default: the shipped one)");
  p.flag(
      "eval-prompts",
      "text model: sample --n per class prompt (es and en), print the shipped classifier's accuracy as JSON");
  if (!p.parse(argc, argv, 3)) return 0;
  const std::string out = p.require("out");
  check_writable_output(out);
  auto m = load_latent_models(p.require("ae"), p.require("model"), p.get_int("threads", 1, 256));
  if (p.given("prompt") || p.get_flag("eval-prompts")) return latent_sample_text(p, *m, out);
  const int per = p.get_int("n", 1, 4096);
  const bool all = p.get("class") == "all";
  const int classes = m->unet->num_classes();
  const int label = all ? -2 : p.get_int("class", -1, std::max(classes - 1, -1));
  const std::vector<int> labels = grid_labels(label, classes, per);
  const int n = all ? per * classes : per;
  const auto start = Clock::now();
  const std::vector<float> z =
      sample_latents(*m->unet, m->schedule, Tensor{}, n, labels, p.get_double("guidance", -100, 100),
                     p.get_int("steps", 1, 1000), static_cast<uint64_t>(p.get_double("seed", 0, 1e15)),
                     p.get_double("clip", 0, 1e6));
  const std::vector<float> images = decode_latents(*m->autoencoder, z.data(), n, m->scale);
  std::fprintf(stderr, "%d samples in %.2f s\n", n, seconds_since(start));
  write_png_grid(out, images, n, 28, 28, all ? per : std::min(n, 8));
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

// Images/s of `steps` training steps of a fresh U-Net `config` on `data` (after one warm-up step).
double train_images_per_second(const UNetConfig& config, ImageDataset data, int steps, int threads) {
  ImageTrainConfig c;
  c.model = config;
  c.threads = threads;
  ImageTrainer trainer(c, std::move(data));
  trainer.step();
  const double start = cpu_seconds();
  for (int s = 0; s < steps; ++s) trainer.step();
  return steps * static_cast<double>(c.batch) / (cpu_seconds() - start);
}

// `difflab latent measure`: reconstruction, training img/s, ms per sample and FID, latent against pixel
// space.
int latent_measure(int argc, char** argv) {
  ArgParser p(
      "difflab latent measure --ae AE.ckpt --model LDM.ckpt [options]",
      "Measures what latent diffusion buys against the pixel classroom U-Net at the same depth\n"
      "(16,32,64: 28->14->7 in pixels, 8->4->2 in the latent): reconstruction MSE, training images/s,\n"
      "milliseconds per sample (DDIM, CFG, decoding included) and FID from the shipped classifier.\n"
      "Rates are CPU time of the process (with --threads 1: the work, whatever the machine's load).");
  p.option("ae", "CKPT", "the autoencoder")
      .option("model", "CKPT", "the latent U-Net")
      .option("pixel", "CKPT", "the pixel-space class-conditional U-Net",
              "checkpoints/fashion-mnist-classroom-cond.ckpt")
      .option("classifier", "CKPT", "the FID feature classifier (default: the shipped one)")
      .option("train-steps", "N", "timed training steps of each U-Net (batch 64)", "20")
      .option("fid-samples", "N", "samples per FID (n/10 per class)", "500")
      .option("steps", "N", "DDIM steps", "20")
      .option("guidance", "G", "guidance weight gamma", "3")
      .option("threads", "N", "threads for large ops", "1");
  if (!p.parse(argc, argv, 3)) return 0;
  const int threads = p.get_int("threads", 1, 256);
  auto m = load_latent_models(p.require("ae"), p.require("model"), threads);
  const ImageDataset train = load_image_dataset("fashion-mnist", true);
  const ImageDataset test = load_image_dataset("fashion-mnist", false);
  std::printf("reconstruction MSE (2000 test images, [-1, 1] units): %.5f\n",
              reconstruction_mse(*m->autoencoder, test, 2000));
  // Training speed: the same U-Net levels and widths, fresh weights, the same batch.
  const int train_steps = p.get_int("train-steps", 1, 100000);
  ImageDataset small_train = train;
  small_train.count = 4096;
  small_train.pixels.resize(static_cast<size_t>(4096) * 784);
  small_train.labels.resize(4096);
  ImageDataset latents = encode_dataset(*m->autoencoder, small_train, m->scale);
  UNetConfig pixel_config = latent_unet_config(1, 10);
  pixel_config.height = pixel_config.width = 28;
  const double latent_ips = train_images_per_second(m->unet->config(), latents, train_steps, threads);
  const double pixel_ips = train_images_per_second(pixel_config, small_train, train_steps, threads);
  std::printf("training images per CPU second (batch 64, %d threads): latent %.1f, pixel %.1f, ratio %.2f\n",
              threads, latent_ips, pixel_ips, latent_ips / pixel_ips);
  std::printf("forward GFLOP per image: latent %.4f, pixel %.4f\n", m->unet->forward_flops_per_image() / 1e9,
              UNet(pixel_config, *m->backend).forward_flops_per_image() / 1e9);
  // Sampling cost and FID: n/10 samples of each class with the same sampler settings in both spaces.
  const int n = p.get_int("fid-samples", 10, 100000) / 10 * 10;
  const int steps = p.get_int("steps", 1, 1000);
  const double gamma = p.get_double("guidance", -100, 100);
  std::vector<int> labels = grid_labels(-2, 10, n / 10);
  double start = cpu_seconds();
  const std::vector<float> z = sample_latents(*m->unet, m->schedule, Tensor{}, n, labels, gamma, steps, 1);
  const double latent_sample_s = cpu_seconds() - start;
  start = cpu_seconds();
  const std::vector<float> latent_images = decode_latents(*m->autoencoder, z.data(), n, m->scale);
  const double decode_s = cpu_seconds() - start;
  const Checkpoint pixel_ck = load_checkpoint(p.get("pixel"));
  UNet pixel(unet_config_from_map(pixel_ck.model_config), *m->backend);
  m->backend->write(pixel.params(), pixel_ck.ema_params.data());
  const NoiseSchedule pixel_schedule = make_schedule(pixel_ck.schedule);
  start = cpu_seconds();
  std::vector<float> pixel_images;
  {
    SamplerConfig sc;
    sc.record_trajectory = false;
    sc.clip_x0 = true;
    sc.kind = SamplerKind::Ddim;
    sc.steps = steps;
    UNetConditionalDenoiser conditional(pixel, pixel_schedule);
    CfgDenoiser guided(conditional, labels, gamma);
    Sampler sampler(guided, sc);
    sampler.begin(standard_normal(n * 784, 1), 2);
    sampler.run();
    pixel_images = sampler.x();
  }
  const double pixel_sample_s = cpu_seconds() - start;
  std::printf(
      "CPU ms per sample (DDIM %d, gamma %g, %d samples): latent %.2f (+ decode %.2f), pixel %.2f, ratio "
      "%.2f\n",
      steps, gamma, n, 1e3 * latent_sample_s / n, 1e3 * decode_s / n, 1e3 * pixel_sample_s / n,
      pixel_sample_s / (latent_sample_s + decode_s));
  auto classifier =
      load_classifier(p.given("classifier") ? p.get("classifier") : default_classifier_path(), threads);
  const int n_ref = 1000;
  const FidReference reference = make_fid_reference(*classifier->model, test.pixels.data(), n_ref,
                                                    test.image(n_ref), std::min(n, test.count - n_ref));
  const FidReference ae_reference = reference;
  const std::vector<float> reconstructed = [&] {
    const std::vector<float> mu = encode_means(*m->autoencoder, test.image(n_ref), n);
    return decode_latents(*m->autoencoder, mu.data(), n, 1.0);
  }();
  std::printf(
      "FID vs %d test images (%d samples; floor %.3f): latent %.3f, pixel %.3f, AE reconstructions %.3f\n",
      n_ref, n, reference.floor, fid_to_reference(*classifier->model, latent_images.data(), n, reference),
      fid_to_reference(*classifier->model, pixel_images.data(), n, reference),
      fid_to_reference(*classifier->model, reconstructed.data(), n, ae_reference));
  return 0;
}

}  // namespace

int cli_train_autoencoder(int argc, char** argv) {
  return latent_ae(argc, argv, 2);
}

int cli_latent(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "ae") return latent_ae(argc, argv, 3);
  if (sub == "train") return latent_train(argc, argv);
  if (sub == "sample") return latent_sample(argc, argv);
  if (sub == "measure") return latent_measure(argc, argv);
  if (sub == "--help" || sub == "-h" || sub.empty()) {
    std::printf(
        "usage: difflab latent ae|train|sample|measure [options]   (each has --help)\n"
        "  ae       train the autoencoder (28x28 <-> 4x8x8, MSE + beta*KL)\n"
        "  train    train the classroom U-Net in its latent (class-conditional, or --text: captions)\n"
        "  sample   sample the latent U-Net with CFG (--prompt for a --text model) and decode\n"
        "  measure  reconstruction, img/s, ms per sample and FID against the pixel U-Net\n");
    return sub.empty() ? 2 : 0;
  }
  throw UsageError("unknown subcommand '" + sub + "' (ae, train, sample or measure)");
}

}  // namespace difflab
