// cli_bench.cpp — `difflab bench`: training steps/s of the reference MLP and 2-D sampling time.
// Not a test: it prints throughput; bench/compare_torch.sh runs it beside PyTorch and prints ratios.
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "app/cli.h"
#include "nn/mlp_denoiser.h"
#include "sample/sampler.h"
#include "train/trainer.h"

namespace difflab {
namespace {

using Clock = std::chrono::steady_clock;

// tiny-diffusion's reference setup: 99,074 parameters, T = 50 linear, AdamW lr 1e-3 (weight decay 0.01,
// PyTorch's default), gradient clipping at 1, no EMA.
TrainConfig reference_config(int batch, int threads) {
  TrainConfig c;
  c.threads = threads;
  c.dataset = "moons";
  c.schedule = ScheduleConfig{ScheduleKind::Linear, 50, 1e-4, 0.02};
  c.batch = batch;
  c.optimizer.lr = 1e-3f;
  c.optimizer.weight_decay = 0.01f;
  c.grad_clip = 1.0f;
  c.ema_decay = 0.0f;
  c.backup_every = 0;
  c.eval_points = 2;
  return c;
}

double train_steps_per_second(int batch, int threads, double seconds) {
  Trainer trainer(reference_config(batch, threads));
  for (int i = 0; i < 20; ++i) trainer.step();  // warm-up: caches, page faults
  int steps = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 10; ++i) trainer.step();
    steps += 10;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return steps / elapsed;
}

double sample_ms(int points, int steps, int threads, int repeats) {
  Trainer trainer(reference_config(32, threads));
  MlpDenoiser denoiser(trainer.model(), trainer.schedule(), Prediction::Eps);
  SamplerConfig sc;
  sc.steps = steps;
  sc.record_trajectory = false;
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    Sampler sampler(denoiser, sc);
    const auto start = Clock::now();
    sampler.begin(standard_normal(2 * points, r), r + 1);
    sampler.run();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return best;
}

}  // namespace

int cli_bench(int argc, char** argv) {
  ArgParser p("difflab bench [--threads N] [--format json]",
              "Measures the reference MLP (tiny-diffusion's, 99,074 parameters): training steps/s at batch 32,\n"
              "256 and 1024, and the time to sample 1000 points with 50 DDPM steps. Quote ratios measured side\n"
              "by side (bench/compare_torch.sh), not single absolute times: this machine's timings swing.");
  p.option("threads", "N", "threads for large ops (small ones stay on one core)", std::to_string(std::max(1u, std::thread::hardware_concurrency())))
      .option("seconds", "S", "time per measurement", "1.5")
      .option("format", "text|json", "output format", "text");
  if (!p.parse(argc, argv, 2)) return 0;
  const int threads = p.get_int("threads", 1, 256);
  const double seconds = p.get_double("seconds", 0.05, 600);
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  std::map<int, double> train;
  for (int batch : {32, 256, 1024}) {
    train[batch] = train_steps_per_second(batch, threads, seconds);
  }
  const double sample = sample_ms(1000, 50, threads, 5);
  if (format == "json") {
    std::printf("{\n  \"threads\": %d,\n  \"params\": 99074,\n  \"train_steps_per_s\": {", threads);
    bool first = true;
    for (const auto& [batch, rate] : train) {
      std::printf("%s\"%d\": %.2f", first ? "" : ", ", batch, rate);
      first = false;
    }
    std::printf("},\n  \"sample_1000x50_ms\": %.3f\n}\n", sample);
  } else {
    std::printf("reference MLP (99,074 parameters), %d thread(s)\n", threads);
    for (const auto& [batch, rate] : train)
      std::printf("  train batch %4d: %8.1f steps/s  (%.2f M samples/s)\n", batch, rate, rate * batch / 1e6);
    std::printf("  sample 1000 points x 50 steps: %.2f ms\n", sample);
  }
  return 0;
}

}  // namespace difflab
