// bench_dit.h — the classroom DiT against the classroom U-Net at matched parameters (`difflab bench --dit
// K`): both trained K steps on Fashion-MNIST from the same seed and batches. Not the general benchmark
// (cli_bench.cpp) and not the models (nn/dit.h, nn/unet.h).
#pragma once

#include <string>
#include <vector>

namespace difflab {

struct DiTBenchRow {
  std::string model;  // "unet classroom", "dit classroom"
  size_t params = 0;
  double gflop_per_image = 0;  // forward
  double train_img_per_s = 0;
  double first_loss = 0, last_loss = 0;  // mean L_simple of the first and the last 10 % of the K steps
};

// Trains each model `steps` steps (batch 64, lr 1e-3, seed 0, `threads` threads) on the CPU.
std::vector<DiTBenchRow> bench_dit(int steps, int threads);
void print_dit_bench(const std::vector<DiTBenchRow>& rows, int steps, int threads);

}  // namespace difflab
