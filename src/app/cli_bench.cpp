// cli_bench.cpp — `difflab bench`: training steps/s of the reference MLP and 2-D sampling time.
// Not a test: it prints throughput; bench/compare_torch.sh runs it beside PyTorch and prints ratios.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <thread>

#include <sstream>
#include <vector>
#include "app/bench_backend.h"
#include "app/bench_cfg.h"
#include "app/bench_dit.h"
#include "app/cli.h"
#include "nn/backend_factory.h"
#include "nn/cpu/gemm.h"
#include "nn/mlp_denoiser.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/image_trainer.h"
#include "train/trainer.h"

namespace difflab {
namespace {

using Clock = std::chrono::steady_clock;

double train_steps_per_second(int batch, int threads, double seconds) {
  Trainer trainer(bench_mlp_config(batch, threads));
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
  Trainer trainer(bench_mlp_config(32, threads));
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

// Synthetic 28×28 images (no data set needed): the speed of a step does not depend on the pixels.
ImageDataset synthetic_images() {
  ImageDataset d;
  d.count = 256;
  d.height = d.width = 28;
  d.pixels = standard_normal(d.count * d.dim(), 5);
  return d;
}

struct UNetBench {
  double train_img_per_s = 0, train_gflop_per_s = 0, sample_16x1000_s = 0;
  int sample_steps_measured = 0;
};

// Issue 5's benchmark: batch 64, forward + backward + AdamW (grad clipping and EMA on, as in training), all
// threads; sampling 16 images with DDPM, timed over a few steps and extrapolated to 1000.
UNetBench bench_unet(const std::string& arch, int threads, double seconds) {
  ImageTrainConfig c;
  unet_preset(arch, &c.model);
  c.threads = threads;
  c.batch = 64;
  c.backup_every = 0;
  ImageTrainer trainer(c, synthetic_images());
  trainer.step();  // warm-up: first-touch of every buffer
  int steps = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    trainer.step();
    ++steps;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds || steps < 2);
  UNetBench r;
  r.train_img_per_s = steps * 64.0 / elapsed;
  r.train_gflop_per_s = r.train_img_per_s * 3 * trainer.model().forward_flops_per_image() / 1e9;
  UNetDenoiser denoiser(trainer.model(), trainer.schedule(), trainer.ema_params());
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.clip_x0 = true;
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(16 * 784, 1), 2);
  sampler.step();  // warm-up at batch 16
  const int measured = std::max(3, static_cast<int>(seconds * 10));
  const auto s0 = Clock::now();
  for (int i = 0; i < measured && !sampler.done(); ++i) sampler.step();
  r.sample_steps_measured = measured;
  r.sample_16x1000_s = std::chrono::duration<double>(Clock::now() - s0).count() / measured * 1000;
  return r;
}

// GFLOP/s of one 3×3 convolution, forward and forward + backward, batch 64 (config A's 28×28 and 14×14
// layers).
std::pair<double, double> bench_conv(Backend& backend, const ConvShape& s, double seconds) {
  auto in = backend.create_storage(static_cast<size_t>(s.batch) * s.height * s.width * s.in_channels);
  const int rows = s.batch * s.out_height() * s.out_width(), K2C = 9 * s.in_channels;
  auto out = backend.create_storage(static_cast<size_t>(rows) * s.out_channels);
  auto w = backend.create_storage(static_cast<size_t>(K2C) * s.out_channels + s.out_channels);
  auto g = backend.create_storage(static_cast<size_t>(K2C) * s.out_channels + s.out_channels);
  auto d_in = backend.create_storage(in->size);
  const Tensor tin{in.get(), 0, s.batch * s.height * s.width, s.in_channels},
      tout{out.get(), 0, rows, s.out_channels};
  const Tensor tw{w.get(), 0, K2C, s.out_channels},
      tb{w.get(), static_cast<size_t>(K2C) * s.out_channels, 1, s.out_channels};
  const Tensor gw{g.get(), 0, K2C, s.out_channels},
      gb{g.get(), static_cast<size_t>(K2C) * s.out_channels, 1, s.out_channels};
  const Tensor tdin{d_in.get(), 0, tin.rows, tin.cols};
  auto rate = [&](bool with_backward) {
    int n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
      backend.conv2d_forward(tout, tin, tw, tb, s);
      if (with_backward) backend.conv2d_backward(tdin, gw, gb, tout, tin, tw, s, false);
      ++n;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds / 4 || n < 2);
    return n * s.flops() * (with_backward ? 3 : 1) / elapsed / 1e9;
  };
  rate(true);  // warm-up
  return {rate(false), rate(true)};
}

}  // namespace

int cli_bench(int argc, char** argv) {
  ArgParser p(
      "difflab bench [--threads N] [--format json] [--backend cpu|gl|auto]",
      "Measures the reference MLP (tiny-diffusion's, 99,074 parameters): training steps/s at batch 32,\n"
      "256 and 1024, and the time to sample 1000 points with 50 DDPM steps. Quote ratios measured side\n"
      "by side (bench/compare_torch.sh), not single absolute times: this machine's timings swing.\n"
      "Then the image U-Nets of issue 5 (--unet A,B): training images/s at batch 64 (forward + backward +\n"
      "AdamW), 16 images x 1000 DDPM steps (timed over a few steps, extrapolated), and 3x3 conv GFLOP/s.\n"
      "With --backend: one table for that backend instead: GEMM GFLOP/s at 256, 1024 and 4096 against the\n"
      "device's assumed fp32 peak (printed with its source), MLP training steps/s at batch 32 … 4096,\n"
      "DDIM-50 sampling of 1000 points, and per U-Net (--unet, default classroom,A,B) training images/s and\n"
      "DDIM-50 of 16 images. Ops the backend lacks print \"not supported yet\".");
  p.option("threads", "N", "threads for large ops (small ones stay on one core)",
           std::to_string(std::max(1u, std::thread::hardware_concurrency())))
      .option("seconds", "S", "time per measurement", "1.5")
      .option("format", "text|json", "output format", "text")
      .option("unet", "LIST", "U-Net configs to measure (issue 5: batch 64, all threads), or none", "A,B")
      .option("mlp", "on|off", "measure the reference MLP", "on")
      .option("gemm", "LIST", "--backend: square GEMM sizes", "256,1024,4096");
  add_backend_option(p);
  p.flag("cfg",
         "instead: the classroom U-Net's training images/s with and without 10 classes, and one CFG network "
         "evaluation (conditional + null pass batched) against an unconditional one, interleaved");
  p.option(
      "dit", "K",
      "instead: the classroom U-Net and the classroom DiT (matched parameters) trained K steps each on "
      "Fashion-MNIST from the same seed: training images/s and the loss of the first and last 10 % of steps");
  if (!p.parse(argc, argv, 2)) return 0;
  const int threads = p.get_int("threads", 1, 256);
  const double seconds = p.get_double("seconds", 0.05, 600);
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  if (p.given("dit")) {
    const int steps = p.get_int("dit", 1, 1000000);
    print_dit_bench(bench_dit(steps, threads), steps, threads);
    return 0;
  }
  if (p.get_flag("cfg")) {
    print_cfg_bench(bench_cfg(threads, seconds), format == "json");
    return 0;
  }
  if (p.get("mlp") != "on" && p.get("mlp") != "off") throw UsageError("--mlp must be on or off");
  const bool mlp = p.get("mlp") == "on";
  if (p.given("backend")) {
    if (format != "text") throw UsageError("--backend prints text only");
    BackendBenchOptions o;
    o.kind = backend_from_options(p);
    o.threads = threads;
    o.seconds = seconds;
    o.mlp = mlp;
    if (p.given("unet")) {
      o.unets.clear();
      std::stringstream list(p.get("unet"));
      for (std::string arch; std::getline(list, arch, ',');) {
        UNetConfig check;
        if (arch != "none" && !unet_preset(arch, &check)) throw UsageError("--unet: classroom, A, B or none");
        if (arch != "none") o.unets.push_back(arch);
      }
    }
    o.gemm_sizes.clear();
    const std::string sizes = p.get("gemm");
    for (double n : parse_number_list(sizes, "gemm", std::count(sizes.begin(), sizes.end(), ',') + 1)) {
      if (n < 1 || n > 16384 || n != std::floor(n))
        throw UsageError("--gemm: sizes are whole numbers in 1 … 16384");
      o.gemm_sizes.push_back(static_cast<int>(n));
    }
    run_backend_bench(o);
    return 0;
  }
  std::map<int, double> train;
  double sample = NAN;
  if (mlp) {
    for (int batch : {32, 256, 1024}) train[batch] = train_steps_per_second(batch, threads, seconds);
    sample = sample_ms(1000, 50, threads, 5);
  }
  std::map<std::string, UNetBench> unet;
  std::vector<std::pair<std::string, std::pair<double, double>>> conv;
  if (p.get("unet") != "none") {
    std::stringstream list(p.get("unet"));
    for (std::string arch; std::getline(list, arch, ',');) {
      UNetConfig check;
      if (!unet_preset(arch, &check)) throw UsageError("--unet: classroom, A, B or none");
      unet[arch] = bench_unet(arch, threads, seconds);
    }
    auto backend = make_backend(BackendKind::cpu);
    backend->set_threads(threads);
    conv.push_back({"28x28 32->32", bench_conv(*backend, ConvShape{64, 28, 28, 32, 32, 3, 1, 1}, seconds)});
    conv.push_back({"14x14 64->64", bench_conv(*backend, ConvShape{64, 14, 14, 64, 64, 3, 1, 1}, seconds)});
  }
  if (format == "json") {
    std::printf(
        "{\n  \"threads\": %d,\n  \"gemm_kernels\": \"%s\",\n  \"params\": 99074,\n  \"train_steps_per_s\": "
        "{",
        threads, cpu::gemm_kernel_name());
    bool first = true;
    for (const auto& [batch, rate] : train) {
      std::printf("%s\"%d\": %.2f", first ? "" : ", ", batch, rate);
      first = false;
    }
    if (mlp)
      std::printf("},\n  \"sample_1000x50_ms\": %.3f", sample);
    else
      std::printf("},\n  \"sample_1000x50_ms\": null");
    if (!unet.empty()) {
      auto object = [&](const char* key, auto value) {
        std::printf(",\n  \"%s\": {", key);
        bool first_entry = true;
        for (const auto& [arch, r] : unet) {
          std::printf("%s\"%s\": %.3f", first_entry ? "" : ", ", arch.c_str(), value(r));
          first_entry = false;
        }
        std::printf("}");
      };
      object("unet_train_img_per_s", [](const UNetBench& r) { return r.train_img_per_s; });
      object("unet_train_gflop_per_s", [](const UNetBench& r) { return r.train_gflop_per_s; });
      object("unet_sample_16x1000_s", [](const UNetBench& r) { return r.sample_16x1000_s; });
      std::printf(",\n  \"unet_sample_steps_measured\": %d", unet.begin()->second.sample_steps_measured);
      std::printf(",\n  \"conv3x3_gflop_per_s\": {");
      for (size_t i = 0; i < conv.size(); ++i)
        std::printf("%s\"%s\": {\"forward\": %.1f, \"forward_backward\": %.1f}", i ? ", " : "",
                    conv[i].first.c_str(), conv[i].second.first, conv[i].second.second);
      std::printf("}");
    }
    std::printf("\n}\n");
  } else {
    std::printf("matrix kernels: %s\n", cpu::gemm_kernel_name());
    if (mlp) std::printf("reference MLP (99,074 parameters), %d thread(s)\n", threads);
    for (const auto& [batch, rate] : train)
      std::printf("  train batch %4d: %8.1f steps/s  (%.2f M samples/s)\n", batch, rate, rate * batch / 1e6);
    if (mlp) std::printf("  sample 1000 points x 50 steps: %.2f ms\n", sample);
    for (const auto& [arch, r] : unet)
      std::printf(
          "U-Net %s, batch 64, %d thread(s): train %.1f images/s (%.0f GFLOP/s); 16 images x 1000 DDPM steps "
          "%.1f s (extrapolated from %d steps)\n",
          arch.c_str(), threads, r.train_img_per_s, r.train_gflop_per_s, r.sample_16x1000_s,
          r.sample_steps_measured);
    for (const auto& [name, rates] : conv)
      std::printf("conv 3x3 %s, batch 64: forward %.1f GFLOP/s, forward+backward %.1f GFLOP/s\n",
                  name.c_str(), rates.first, rates.second);
  }
  return 0;
}

}  // namespace difflab
