// bench_cfg.cpp — `difflab bench --cfg`: what class conditioning costs the classroom U-Net, measured side by
// side: training images/s with and without the class embedding, and one CFG network evaluation (the
// conditional and null passes batched into 2n rows) against one unconditional evaluation. Not the general
// bench (cli_bench).
#include "app/bench_cfg.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/stopwatch.h"
#include "nn/unet_conditional.h"
#include "nn/unet_denoiser.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "train/image_trainer.h"

namespace difflab {
namespace {

using Clock = std::chrono::steady_clock;

ImageDataset labelled_synthetic_images() {
  ImageDataset d;
  d.count = 256;
  d.height = d.width = 28;
  d.pixels = standard_normal(d.count * d.dim(), 5);
  d.num_classes = 10;
  for (int i = 0; i < d.count; ++i) d.labels.push_back(i % 10);
  return d;
}

double train_rate(ImageTrainer& trainer, double seconds) {
  int steps = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    trainer.step();
    ++steps;
    elapsed = seconds_since(start);
  } while (elapsed < seconds || steps < 2);
  return steps * 64.0 / elapsed;
}

}  // namespace

CfgBench bench_cfg(int threads, double seconds, int rounds) {
  ImageTrainConfig base;
  unet_preset("classroom", &base.model);
  base.threads = threads;
  base.batch = 64;
  base.backup_every = 0;
  ImageTrainConfig cond = base;
  cond.model.num_classes = 10;
  ImageTrainer plain_trainer(base, labelled_synthetic_images());
  ImageTrainer cond_trainer(cond, labelled_synthetic_images());
  plain_trainer.step();  // warm-up: first touch of every buffer
  cond_trainer.step();
  CfgBench r;
  r.threads = threads;
  r.rounds = rounds;
  // Interleaved rounds, best of each: the machine's load swings more than the difference measured.
  for (int i = 0; i < rounds; ++i) {
    r.train_plain_img_per_s = std::max(r.train_plain_img_per_s, train_rate(plain_trainer, seconds));
    r.train_cond_img_per_s = std::max(r.train_cond_img_per_s, train_rate(cond_trainer, seconds));
  }
  // One network evaluation of n = 64 images at t = 500: unconditional (the plain U-Net), the conditional
  // U-Net's null class, and CFG at γ = 3 (one forward of 128 rows) and as two separate passes.
  const int n = 64, D = 784, t = 500;
  const std::vector<float> x = standard_normal(n * D, 9);
  std::vector<float> eps(n * D), eps2(n * D);
  const std::vector<int> labels = [] {
    std::vector<int> l(64);
    for (int i = 0; i < 64; ++i) l[i] = i % 10;
    return l;
  }();
  UNetDenoiser plain(plain_trainer.model(), plain_trainer.schedule(), plain_trainer.ema_params(), -1, n);
  UNetConditionalDenoiser conditional(cond_trainer.model(), cond_trainer.schedule(),
                                      cond_trainer.ema_params(), n);
  CfgDenoiser guided(conditional, labels, 3.0);
  auto best_ms = [&](const auto& evaluate) {
    evaluate();  // warm-up at this batch size
    double best = 1e30;
    for (int i = 0; i < 3 * rounds; ++i) {
      const auto start = Clock::now();
      evaluate();
      best = std::min(best, 1e3 * seconds_since(start));
    }
    return best;
  };
  r.nfe_plain_ms = best_ms([&] { plain.predict_eps(x.data(), n, t, eps.data()); });
  r.nfe_cfg_batched_ms = best_ms([&] { guided.predict_eps(x.data(), n, t, eps.data()); });
  r.nfe_cfg_two_passes_ms = best_ms([&] {
    conditional.predict_eps_labels(x.data(), n, t, labels.data(), eps.data());
    conditional.predict_eps_class(x.data(), n, t, -1, eps2.data());
  });
  return r;
}

void print_cfg_bench(const CfgBench& r, bool json) {
  if (json) {
    std::printf(
        "{\n  \"threads\": %d,\n  \"rounds\": %d,\n  \"classroom_train_img_per_s\": %.2f,\n"
        "  \"classroom_cond_train_img_per_s\": %.2f,\n  \"train_ratio\": %.4f,\n  "
        "\"nfe64_unconditional_ms\": "
        "%.3f,\n  \"nfe64_cfg_batched_ms\": %.3f,\n  \"nfe64_cfg_two_passes_ms\": %.3f,\n  "
        "\"cfg_cost_ratio\": "
        "%.4f\n}\n",
        r.threads, r.rounds, r.train_plain_img_per_s, r.train_cond_img_per_s,
        r.train_cond_img_per_s / r.train_plain_img_per_s, r.nfe_plain_ms, r.nfe_cfg_batched_ms,
        r.nfe_cfg_two_passes_ms, r.nfe_cfg_batched_ms / r.nfe_plain_ms);
    return;
  }
  std::printf(
      "classroom U-Net, batch 64, %d thread(s), best of %d interleaved rounds:\n"
      "  train: unconditional %.1f images/s, class-conditional (10 classes, label dropout 0.1) %.1f images/s "
      "(ratio %.3f)\n"
      "  one network evaluation of 64 images: unconditional %.2f ms, CFG batched (one forward of 128 rows) "
      "%.2f ms (ratio %.3f), CFG as two passes %.2f ms (ratio %.3f)\n",
      r.threads, r.rounds, r.train_plain_img_per_s, r.train_cond_img_per_s,
      r.train_cond_img_per_s / r.train_plain_img_per_s, r.nfe_plain_ms, r.nfe_cfg_batched_ms,
      r.nfe_cfg_batched_ms / r.nfe_plain_ms, r.nfe_cfg_two_passes_ms,
      r.nfe_cfg_two_passes_ms / r.nfe_plain_ms);
}

}  // namespace difflab
