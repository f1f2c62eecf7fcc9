// bench_backend.cpp — the per-backend bench of issue 11 §5 (see bench_backend.h).
// Not a test: it prints throughput; numbers on llvmpipe measure correctness code, not a GPU.
#include "app/bench_backend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>

#include "core/rng.h"
#include "nn/mlp_denoiser.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/image_trainer.h"

namespace difflab {

TrainConfig bench_mlp_config(int batch, int threads) {
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

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs `op` in doubling batches, each ended by `sync`, until one batch lasts `seconds`; returns calls/s.
double rate_of(const std::function<void()>& op, const std::function<void()>& sync, double seconds) {
  op();  // warm-up: first touch, shader and pipeline caches
  sync();
  for (long n = 1;; n *= 2) {
    const auto start = Clock::now();
    for (long i = 0; i < n; ++i) op();
    sync();
    const double elapsed = seconds_since(start);
    if (elapsed >= seconds || n >= (1L << 20)) return n / elapsed;
  }
}

// "not supported yet" for the ops a backend lacks (they throw std::logic_error).
bool run_row(const char* label, const std::function<void()>& row) {
  try {
    row();
    return true;
  } catch (const std::logic_error& e) {
    std::printf("  %-34s not supported yet (%s)\n", label, e.what());
  } catch (const std::exception& e) {
    std::printf("  %-34s failed: %s\n", label, e.what());
  }
  return false;
}

std::string chosen_note(const BackendChoice& c) {
  return c.requested == BackendKind::automatic ? " [auto -> " + backend_kind_name(c.chosen) + "]" : "";
}

ImageDataset synthetic_images() {
  ImageDataset d;
  d.count = 256;
  d.height = d.width = 28;
  d.pixels = standard_normal(d.count * d.dim(), 5);
  return d;
}

double cpu_clock_ghz() {
  std::ifstream max_freq("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  double khz = 0;
  if (max_freq >> khz && khz > 0) return khz / 1e6;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("cpu MHz", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return std::stod(line.substr(colon + 1)) / 1e3;
    }
  return 0;
}

}  // namespace

PeakEstimate assumed_fp32_peak(const Backend& backend, int threads) {
  const std::string d = backend.device_description();
  if (d.find("H200") != std::string::npos)
    return {67000, "NVIDIA H200 datasheet: 67 TFLOP/s fp32 non-tensor (16,896 CUDA cores x 2 x 1.98 GHz)"};
  if (d.find("H100") != std::string::npos)
    return {67000, "NVIDIA H100 SXM datasheet: 67 TFLOP/s fp32 non-tensor"};
  const bool llvmpipe = d.find("llvmpipe") != std::string::npos;
  if (backend.name() != "cpu" && !llvmpipe) return {0, "unknown device: no peak assumed"};
  // cores × SIMD floats × 2 (an FMA is two flops) × clock, one FMA per cycle per core (cores with two FMA
  // ports reach twice this).
  int floats = 4;
  const char* isa = "SSE";
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx512f")) {
    floats = 16;
    isa = "AVX-512";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    floats = 8;
    isa = "AVX2";
  }
#endif
  if (llvmpipe && d.find("256 bits") != std::string::npos) floats = 8, isa = "AVX2 (llvmpipe: 256 bits)";
  const int cores =
      llvmpipe ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : std::max(1, threads);
  const double ghz = cpu_clock_ghz();
  if (!(ghz > 0)) return {0, "CPU clock unknown: no peak assumed"};
  char text[200];
  std::snprintf(text, sizeof text, "estimate: %d cores x %s %d floats x 2 (FMA) x %.2f GHz, one FMA/cycle",
                cores, isa, floats, ghz);
  return {cores * floats * 2.0 * ghz, text};
}

void run_backend_bench(const BackendBenchOptions& o) {
  BackendChoice choice;
  auto device = make_backend(o.kind, &choice);  // the backend the GEMM rows use (auto: as for a large model)
  device->set_threads(o.threads);
  const PeakEstimate peak = assumed_fp32_peak(*device, o.threads);
  std::printf("backend %s: %s%s\n", backend_kind_name(o.kind).c_str(), device->device_description().c_str(),
              chosen_note(choice).c_str());
  if (!choice.note.empty()) std::printf("  %s\n", choice.note.c_str());
  if (peak.gflops > 0)
    std::printf("assumed fp32 peak: %.0f GFLOP/s (%s)\n", peak.gflops, peak.source.c_str());
  else
    std::printf("assumed fp32 peak: none (%s)\n", peak.source.c_str());

  // GEMM: out[n, n] = in[n, n]·W[n, n] + bias, 2n³ flops.
  std::printf("GEMM (linear_forward, fp32):\n");
  double last_seconds_per_call = 0;
  int last_n = 0;
  for (int n : o.gemm_sizes) {
    char label[64];
    std::snprintf(label, sizeof label, "%d x %d x %d", n, n, n);
    const double flops = 2.0 * n * n * n;
    if (last_n > 0) {
      const double estimate = last_seconds_per_call * flops / (2.0 * last_n * last_n * last_n);
      if (estimate > 10) {
        std::printf("  %-34s skipped: one call would take about %.0f s here (> 10 s)\n", label, estimate);
        continue;
      }
    }
    run_row(label, [&] {
      const size_t nn = static_cast<size_t>(n) * n;
      auto a = device->create_storage(nn), w = device->create_storage(nn + n),
           out = device->create_storage(nn);
      const Tensor ta{a.get(), 0, n, n}, tw{w.get(), 0, n, n}, tb{w.get(), nn, 1, n},
          tout{out.get(), 0, n, n};
      device->upload(ta, standard_normal(nn, 1).data());
      device->upload(tw, standard_normal(nn, 2).data());
      const double calls = rate_of([&] { device->linear_forward(tout, ta, tw, tb); },
                                   [&] { device->synchronize(); }, o.seconds / 2);
      last_seconds_per_call = 1.0 / calls;
      last_n = n;
      const double gflops = calls * flops / 1e9;
      if (peak.gflops > 0)
        std::printf("  %-34s %10.1f GFLOP/s  (%.1f %% of peak)\n", label, gflops, 100 * gflops / peak.gflops);
      else
        std::printf("  %-34s %10.1f GFLOP/s\n", label, gflops);
    });
    std::fflush(stdout);
  }

  if (o.mlp) {
    std::printf("reference MLP (99,074 parameters), training (forward + backward + AdamW):\n");
    for (int batch : {32, 256, 1024, 4096}) {
      char label[64];
      std::snprintf(label, sizeof label, "batch %d", batch);
      run_row(label, [&] {
        TrainConfig c = bench_mlp_config(batch, o.threads);
        c.backend = o.kind;
        Trainer trainer(c);
        const double rate =
            rate_of([&] { trainer.step(); }, [&] { trainer.backend().synchronize(); }, o.seconds);
        std::printf("  %-34s %10.1f steps/s  (%.3f M samples/s)%s\n", label, rate, rate * batch / 1e6,
                    chosen_note(trainer.backend_choice()).c_str());
      });
      std::fflush(stdout);
    }
    run_row("sample 1000 points, DDIM-50", [&] {
      TrainConfig c = bench_mlp_config(32, o.threads);
      c.backend = o.kind;
      Trainer trainer(c);
      MlpDenoiser denoiser(trainer.model(), trainer.schedule(), Prediction::Eps);
      SamplerConfig sc;
      sc.kind = SamplerKind::Ddim;
      sc.steps = 50;
      sc.record_trajectory = false;
      double best = 1e30;
      for (int r = 0; r < 3; ++r) {
        Sampler sampler(denoiser, sc);
        const auto start = Clock::now();
        sampler.begin(standard_normal(2 * 1000, r), r + 1);
        sampler.run();
        best = std::min(best, seconds_since(start));
      }
      std::printf("  %-34s %10.2f ms%s\n", "sample 1000 points, DDIM-50", best * 1e3,
                  chosen_note(trainer.backend_choice()).c_str());
    });
  }

  for (const std::string& arch : o.unets) {
    ImageTrainConfig c;
    if (!unet_preset(arch, &c.model)) continue;
    c.threads = o.threads;
    c.batch = 64;
    c.backup_every = 0;
    c.backend = o.kind;
    std::printf("U-Net %s (%zu parameters), batch 64:\n", arch.c_str(), unet_param_count(c.model));
    std::unique_ptr<ImageTrainer> trainer;
    run_row("train (fwd + bwd + AdamW + EMA)", [&] {
      trainer = std::make_unique<ImageTrainer>(c, synthetic_images());
      trainer->step();
      trainer->backend().synchronize();
      int steps = 0;
      const auto start = Clock::now();
      do {
        trainer->step();
        ++steps;
      } while (seconds_since(start) < o.seconds || steps < 2);
      trainer->backend().synchronize();
      const double img_per_s = steps * 64.0 / seconds_since(start);
      std::printf("  %-34s %10.1f images/s  (%.1f GFLOP/s)%s\n", "train (fwd + bwd + AdamW + EMA)", img_per_s,
                  img_per_s * 3 * trainer->model().forward_flops_per_image() / 1e9,
                  chosen_note(trainer->backend_choice()).c_str());
    });
    std::fflush(stdout);
    run_row("sample 16 images, DDIM-50", [&] {
      if (!trainer) trainer = std::make_unique<ImageTrainer>(c, synthetic_images());
      UNetDenoiser denoiser(trainer->model(), trainer->schedule(), trainer->ema_params());
      SamplerConfig sc;
      sc.kind = SamplerKind::Ddim;
      sc.steps = 50;
      sc.clip_x0 = true;
      sc.record_trajectory = false;
      Sampler sampler(denoiser, sc);
      sampler.begin(standard_normal(16 * 784, 1), 2);
      sampler.step();  // warm-up at batch 16
      int measured = 1;
      const auto start = Clock::now();
      while (!sampler.done() && seconds_since(start) < 4 * o.seconds) {
        sampler.step();
        ++measured;
      }
      const double per_step = seconds_since(start) / std::max(1, measured - 1);
      std::printf("  %-34s %10.2f s  (%.1f ms per step, %d steps timed)\n", "sample 16 images, DDIM-50",
                  per_step * 50, per_step * 1e3, measured - 1);
    });
    std::fflush(stdout);
  }
}

}  // namespace difflab
