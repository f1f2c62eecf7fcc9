// bench_backend.h — `difflab bench --backend cpu|gl|auto`: one table per backend (U-Net and MLP training,
// sampling, GEMM against the device's fp32 peak). Not the default `bench` (cli_bench.cpp), whose output is
// kept.
#pragma once

#include <string>
#include <vector>

#include "nn/backend_factory.h"
#include "train/trainer.h"

namespace difflab {

// tiny-diffusion's reference MLP setup (99,074 parameters), shared with the default bench.
TrainConfig bench_mlp_config(int batch, int threads);

struct BackendBenchOptions {
  BackendKind kind = BackendKind::cpu;
  int threads = 1;
  double seconds = 1.5;                                      // per measurement
  std::vector<std::string> unets = {"classroom", "A", "B"};  // U-Net presets to train and sample
  bool mlp = true;
  std::vector<int> gemm_sizes = {256, 1024, 4096};
};

// The assumed fp32 peak of what a backend runs on and where the number comes from.
struct PeakEstimate {
  double gflops = 0;  // 0 = unknown
  std::string source;
};
PeakEstimate assumed_fp32_peak(const Backend& backend, int threads);

// Prints the table on standard output. Rows whose ops the backend lacks say "not supported yet".
void run_backend_bench(const BackendBenchOptions& options);

}  // namespace difflab
