// cli_classifier.cpp — `difflab classifier train|eval`: the CNN whose features the image FID uses, and
// (--noise-conditional) the noise-conditional CNN p(y | xₜ, t) of classifier guidance.
// Not the distance itself (train/frechet_distance.h, reported by `difflab eval`) nor the guidance
// (sample/guided.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "data/idx.h"
#include "train/classifier_trainer.h"
#include "train/image_noise_classifier_trainer.h"

namespace difflab {
namespace {

// `classifier train --noise-conditional`: p(y | xₜ, t) on noised images, for classifier guidance.
int noise_classifier_train(int argc, char** argv) {
  ImageNoiseClassifierTrainConfig c;
  ArgParser p(
      "difflab classifier train --noise-conditional --out CKPT [--dataset D --steps N --batch B --lr LR "
      "--seed S --threads N]",
      "Trains the noise-conditional classifier p(y | x_t, t) of classifier guidance (Dhariwal & Nichol "
      "2021):\n"
      "a CNN (conv 16 -> stride-2 -> conv 32 -> stride-2 conv 64 -> pool -> Linear 10, GroupNorm, a time\n"
      "embedding shifting every stage) on x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, t uniform over the\n"
      "image schedule (linear 1e-4 ... 0.02, T = 1000, the U-Net's). Prints its test accuracy at t = 0, "
      "250,\n"
      "500 and 750. The shipped checkpoints/fashion-mnist-noise-classifier.ckpt was made with the defaults\n"
      "and --threads 1.");
  p.flag("noise-conditional", "train the noise-conditional classifier (this command)");
  p.option("out", "CKPT", "checkpoint to write")
      .option("dataset", "D", "fashion-mnist | fashion-mnist:DIR | idx:IMAGES,LABELS (labels needed)",
              c.dataset)
      .option("steps", "N", "optimisation steps", std::to_string(c.steps))
      .option("batch", "B", "images per step", std::to_string(c.batch))
      .option("lr", "LR", "peak AdamW learning rate", "0.002")
      .option("seed", "S", "seed of the initial weights, images, t and noise", "0")
      .option("threads", "N", "threads", "1");
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 3)) return 0;
  const std::string out = p.require("out");
  check_writable_output(out);
  c.dataset = p.get("dataset");
  c.steps = p.get_int("steps", 1, 10000000);
  c.batch = p.get_int("batch", 2, 4096);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.threads = p.get_int("threads", 1, 256);
  ImageDataset train = load_image_dataset(c.dataset, true);
  const ImageDataset test = load_image_dataset(c.dataset, false);
  std::fprintf(stderr, "data: %s\n", train.description.c_str());
  ImageNoiseClassifierTrainer trainer(c, std::move(train));
  std::fprintf(stderr, "training: %s, %zu parameters\n", describe(c).c_str(), trainer.model().num_params());
  const bool quiet = p.get_flag("quiet");
  ProgressBar bar("train", trainer.total_steps());
  double smoothed_loss = NAN, smoothed_accuracy = NAN;
  int failures = 0;
  const auto start = std::chrono::steady_clock::now();
  while (trainer.step_count() < trainer.total_steps()) {
    const double loss = trainer.step();
    if (!std::isfinite(loss)) {
      if (++failures > 5) {
        std::fprintf(stderr, "error: training keeps diverging; try a smaller --lr\n");
        return 1;
      }
      continue;
    }
    smoothed_loss = std::isnan(smoothed_loss) ? loss : 0.98 * smoothed_loss + 0.02 * loss;
    const double a = trainer.last_batch_accuracy();
    smoothed_accuracy = std::isnan(smoothed_accuracy) ? a : 0.98 * smoothed_accuracy + 0.02 * a;
    if (!quiet) {
      char extra[96];
      std::snprintf(extra, sizeof extra, "loss %.4f  train acc (all t) %.3f", smoothed_loss,
                    smoothed_accuracy);
      bar.update(trainer.step_count(), extra);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  save_checkpoint(out, trainer.to_checkpoint());
  std::printf("trained %d steps in %.1f s\n", trainer.step_count(), seconds);
  for (int t : {0, 250, 500, 750})
    if (t < trainer.schedule().T())
      std::printf("test accuracy at t = %d: %.4f (2000 images)\n", t, trainer.accuracy(test, 2000, t));
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

int classifier_train(int argc, char** argv) {
  for (int i = 3; i < argc; ++i)
    if (std::string(argv[i]) == "--noise-conditional") return noise_classifier_train(argc, argv);
  ClassifierTrainConfig c;
  ArgParser p(
      "difflab classifier train --out CKPT [--dataset D --epochs N --batch B --lr LR --seed S --threads N]",
      "Trains the feature classifier (conv 32 → stride-2 → conv 64 → stride-2 conv 128 → global average\n"
      "pool → 128 features → Linear 10, GroupNorm + SiLU after every conv) with AdamW (warm-up, cosine "
      "decay,\n"
      "EMA of the weights) on the training split, then prints the test accuracy.\n"
      "The shipped checkpoints/fashion-mnist-classifier.ckpt was made with the defaults.");
  p.option("out", "CKPT", "checkpoint to write")
      .option("dataset", "D", "fashion-mnist | fashion-mnist:DIR | idx:IMAGES,LABELS (labels needed)",
              c.dataset)
      .option("epochs", "N", "passes over the training set", std::to_string(c.epochs))
      .option("batch", "B", "images per step", std::to_string(c.batch))
      .option("lr", "LR", "peak AdamW learning rate", "0.003")
      .option("weight-decay", "WD", "decoupled weight decay", "0.01")
      .option("seed", "S", "seed of the initial weights, shuffles and flips", "0")
      .option("threads", "N", "threads (default: all cores)");
  p.flag("flip", "random horizontal flips (off by default: Fashion-MNIST's shoes all point the same way)");
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 3)) return 0;
  c.flip = p.get_flag("flip");
  const std::string out = p.require("out");
  c.dataset = p.get("dataset");
  c.epochs = p.get_int("epochs", 1, 1000);
  c.batch = p.get_int("batch", 2, 4096);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  c.optimizer.weight_decay = static_cast<float>(p.get_double("weight-decay", 0, 10));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.threads = p.given("threads") ? p.get_int("threads", 1, 256)
                                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ImageDataset train = load_image_dataset(c.dataset, true);
  ImageDataset test = load_image_dataset(c.dataset, false);
  std::fprintf(stderr, "data: %s\n", train.description.c_str());
  ClassifierTrainer trainer(c, std::move(train));
  std::fprintf(stderr, "training: %s, %zu parameters\n", describe(c).c_str(), trainer.model().num_params());
  const bool quiet = p.get_flag("quiet");
  ProgressBar bar("train", trainer.total_steps());
  double smoothed_loss = NAN, smoothed_accuracy = NAN;
  int failures = 0;
  const auto start = std::chrono::steady_clock::now();
  while (trainer.step_count() < trainer.total_steps()) {
    const double loss = trainer.step();
    if (!std::isfinite(loss)) {
      std::fprintf(stderr, "\nstep %d: non-finite loss; restored the last good state\n",
                   trainer.step_count());
      if (++failures > 5) {
        std::fprintf(stderr, "error: training keeps diverging; try a smaller --lr\n");
        return 1;
      }
      continue;
    }
    smoothed_loss = std::isnan(smoothed_loss) ? loss : 0.98 * smoothed_loss + 0.02 * loss;
    const double a = trainer.last_batch_accuracy();
    smoothed_accuracy = std::isnan(smoothed_accuracy) ? a : 0.98 * smoothed_accuracy + 0.02 * a;
    if (!quiet) {
      char extra[96];
      std::snprintf(extra, sizeof extra, "epoch %d  loss %.4f  train acc %.3f",
                    1 + (trainer.step_count() - 1) / trainer.steps_per_epoch(), smoothed_loss,
                    smoothed_accuracy);
      bar.update(trainer.step_count(), extra);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double accuracy = trainer.accuracy(test);
  save_checkpoint(out, trainer.to_checkpoint());
  std::printf("trained %d steps (%d epochs) in %.1f s\ntest accuracy: %.4f (%d images)\nwrote %s\n",
              trainer.step_count(), c.epochs, seconds, accuracy, test.count, out.c_str());
  return 0;
}

int classifier_eval(int argc, char** argv) {
  ArgParser p("difflab classifier eval --model CKPT [--dataset D] [--n N] [--format json]",
              "Accuracy of a classifier checkpoint on the test split (the first --n images; default all).");
  p.option("model", "CKPT", "classifier checkpoint", default_classifier_path())
      .option("dataset", "D", "data set (default: the checkpoint's)")
      .option("n", "N", "test images (0 = all)", "0")
      .option("threads", "N", "threads (default: all cores)")
      .option("format", "text|json", "output format", "text");
  if (!p.parse(argc, argv, 3)) return 0;
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto loaded = load_classifier(p.get("model"), threads);
  const std::string dataset = p.given("dataset") ? p.get("dataset") : loaded->checkpoint.dataset;
  const ImageDataset test = load_image_dataset(dataset, false);
  if (test.dim() != loaded->model->dim())
    throw std::runtime_error(dataset + ": images are " + std::to_string(test.height) + "×" +
                             std::to_string(test.width) + ", the classifier's are " +
                             std::to_string(loaded->model->config().height) + "×" +
                             std::to_string(loaded->model->config().width));
  const int n =
      std::min(test.count, p.get_int("n", 0, 100000000) == 0 ? test.count : p.get_int("n", 0, 100000000));
  const auto start = std::chrono::steady_clock::now();
  const double accuracy = classifier_accuracy(*loaded->model, test, n);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (format == "json") {
    std::printf(
        "{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"images\": %d,\n  \"accuracy\": %.6f,\n"
        "  \"seconds\": %.3f\n}\n",
        p.get("model").c_str(), dataset.c_str(), n, accuracy, seconds);
    return 0;
  }
  std::printf("model: %s (%s)\ndata: %s, first %d test images\naccuracy: %.4f (%.1f s)\n",
              p.get("model").c_str(), describe(loaded->model->config()).c_str(), test.description.c_str(), n,
              accuracy, seconds);
  return 0;
}

}  // namespace

int cli_classifier(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "train") return classifier_train(argc, argv);
  if (sub == "eval") return classifier_eval(argc, argv);
  if (sub.empty() || sub == "--help" || sub == "-h") {
    std::printf(
        "usage: difflab classifier train --out CKPT [options]   train the feature classifier\n"
        "       difflab classifier train --noise-conditional --out CKPT [options]\n"
        "                                                   p(y | x_t, t) for classifier guidance\n"
        "       difflab classifier eval --model CKPT [options]  its test accuracy\n"
        "The classifier's pooled features are what `difflab eval` compares with the Fréchet distance.\n");
    return sub.empty() ? 2 : 0;
  }
  throw UsageError("unknown subcommand '" + sub + "' (train or eval)");
}

}  // namespace difflab
