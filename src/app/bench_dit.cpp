// bench_dit.cpp — `difflab bench --dit K`: the classroom U-Net and the classroom DiT (652,204 against 636,465
// parameters) trained K steps each through the same ImageTrainer, objective, seed and batch size, with their
// training images/s and loss. Not a sample-quality measure (FID: `difflab eval`).
#include "app/bench_dit.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "nn/dit.h"
#include "nn/unet.h"
#include "train/image_trainer.h"

namespace difflab {

std::vector<DiTBenchRow> bench_dit(int steps, int threads) {
  std::vector<DiTBenchRow> rows;
  for (const char* family : {"unet", "dit"}) {
    ImageTrainConfig c;
    c.dataset = "fashion-mnist";
    c.steps = steps;
    c.threads = threads;
    c.seed = 0;
    unet_preset("classroom", &c.model);
    if (std::string(family) == "dit") {
      DiTConfig d;
      dit_preset("classroom", &d);
      c.family = "dit";
      c.family_config = dit_config_map(d);
    }
    ImageTrainer trainer(c);
    DiTBenchRow row;
    row.model = std::string(family) + " classroom";
    row.params = trainer.model().num_params();
    row.gflop_per_image = trainer.model().forward_flops_per_image() / 1e9;
    const int tenth = std::max(1, steps / 10);
    double first = 0, last = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int s = 0; s < steps; ++s) {
      const double loss = trainer.step().loss;
      if (s < tenth) first += loss;
      if (s >= steps - tenth) last += loss;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    row.train_img_per_s = steps * static_cast<double>(c.batch) / seconds;
    row.first_loss = first / tenth;
    row.last_loss = last / tenth;
    rows.push_back(row);
  }
  return rows;
}

void print_dit_bench(const std::vector<DiTBenchRow>& rows, int steps, int threads) {
  std::printf("DiT vs U-Net, Fashion-MNIST, %d steps of batch 64 each, lr 1e-3, seed 0, %d thread(s), CPU\n",
              steps, threads);
  std::printf("%-16s %10s %12s %14s %14s %14s\n", "model", "params", "GFLOP/img", "train img/s", "loss first",
              "loss last");
  for (const DiTBenchRow& r : rows)
    std::printf("%-16s %10zu %12.4f %14.1f %14.4f %14.4f\n", r.model.c_str(), r.params, r.gflop_per_image,
                r.train_img_per_s, r.first_loss, r.last_loss);
  std::printf("(loss first/last: mean L_simple over the first and the last 10 %% of the steps)\n");
}

}  // namespace difflab
