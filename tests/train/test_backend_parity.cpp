// test_backend_parity.cpp — the GL backend against the CPU on whole models (issue 11 §4): one training step,
// a 200-step loss curve, DDIM-50 from the same x_T, and checkpoints that cross backends.
// Not the op-by-op checks (tests/nn/test_backend_ops.cpp) and not a speed test; skipped without OpenGL 4.3.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/image_trainer.h"
#include "train/model_source.h"
#include "train/trainer.h"

#include "gl_parity.h"

using namespace difflab;

namespace {

using test::gl_here;
using test::relative_error;

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - b[i]));
  return m;
}

// The 2-D MLP (tiny-diffusion's 128×3, 99,074 parameters) at a test-sized batch.
TrainConfig mlp_config(BackendKind backend) {
  TrainConfig c;
  c.dataset = "moons";
  c.batch = 64;
  c.train_points = 512;
  c.eval_points = 2;
  c.backend = backend;
  c.seed = 3;
  return c;
}

// The classroom U-Net at batch 4 on synthetic 28×28 images (the same pixels for both backends).
ImageTrainConfig unet_config(BackendKind backend) {
  ImageTrainConfig c;
  unet_preset("classroom", &c.model);
  c.batch = 4;
  c.threads = 1;
  c.backup_every = 0;
  c.backend = backend;
  c.seed = 5;
  return c;
}

ImageDataset synthetic_images() {
  ImageDataset d;
  d.count = 16;
  d.height = d.width = 28;
  d.pixels = standard_normal(d.count * d.dim(), 11);
  for (float& p : d.pixels) p = std::clamp(p * 0.5f, -1.0f, 1.0f);
  return d;
}

std::vector<float> ddim50(Denoiser& denoiser, const std::vector<float>& x_T, bool clip) {
  SamplerConfig sc;
  sc.kind = SamplerKind::Ddim;
  sc.steps = 50;
  sc.clip_x0 = clip;
  sc.record_trajectory = false;
  Sampler sampler(denoiser, sc);
  sampler.begin(x_T, 1);
  sampler.run();
  return sampler.x();
}

std::vector<float> ddim50_from(const std::string& checkpoint, BackendKind backend,
                               const std::vector<float>& x_T) {
  auto loaded = load_model(checkpoint, "", std::nullopt, backend);
  CHECK(loaded->backend->name() == backend_kind_name(backend));
  return ddim50(loaded->model(), x_T, loaded->is_image());
}

}  // namespace

TEST_CASE("one MLP training step on gl gives the CPU's parameters to 1e-4 relative") {
  if (!gl_here()) return;
  Trainer cpu(mlp_config(BackendKind::cpu)), gl(mlp_config(BackendKind::gl));
  REQUIRE(gl.backend().name() == "gl");
  // Same seed: the same initial weights, minibatch, t and ε on both (drawn on the host).
  CHECK(relative_error(gl.read_params(false), cpu.read_params(false)) == 0.0);
  const double loss_cpu = cpu.step().loss, loss_gl = gl.step().loss;
  CHECK(loss_gl == doctest::Approx(loss_cpu).epsilon(1e-4));
  const double e = relative_error(gl.read_params(false), cpu.read_params(false));
  MESSAGE("MLP, one step: relative parameter error " << e);
  CHECK(e <= 1e-4);
}

TEST_CASE("one classroom U-Net training step on gl gives the CPU's parameters to 1e-4 relative") {
  if (!gl_here()) return;
  ImageTrainer cpu(unet_config(BackendKind::cpu), synthetic_images());
  ImageTrainer gl(unet_config(BackendKind::gl), synthetic_images());
  REQUIRE(gl.backend().name() == "gl");
  CHECK(relative_error(gl.read_params(false), cpu.read_params(false)) == 0.0);
  const double loss_cpu = cpu.step().loss, loss_gl = gl.step().loss;
  CHECK(loss_gl == doctest::Approx(loss_cpu).epsilon(1e-4));
  const double e = relative_error(gl.read_params(false), cpu.read_params(false));
  MESSAGE("U-Net classroom, one step: relative parameter error " << e);
  CHECK(e <= 1e-4);
}

TEST_CASE("200 MLP training steps on gl follow the CPU's loss curve to 2 %") {
  if (!gl_here()) return;
  Trainer cpu(mlp_config(BackendKind::cpu)), gl(mlp_config(BackendKind::gl));
  // Per-step losses are one minibatch each; compare them averaged over windows of 20 steps.
  double worst = 0;
  for (int window = 0; window < 10; ++window) {
    double sum_cpu = 0, sum_gl = 0;
    for (int i = 0; i < 20; ++i) sum_cpu += cpu.step().loss, sum_gl += gl.step().loss;
    const double rel = std::abs(sum_gl - sum_cpu) / sum_cpu;
    worst = std::max(worst, rel);
    CHECK_MESSAGE(rel <= 0.02, "steps " << window * 20 << "…" << window * 20 + 19 << ": cpu " << sum_cpu / 20
                                        << ", gl " << sum_gl / 20);
  }
  MESSAGE("MLP, 200 steps: worst 20-step loss difference " << 100 * worst << " %");
  CHECK(gl.step_count() == 200);
}

TEST_CASE("DDIM-50 from the same x_T gives the same samples on gl and cpu (1e-3)") {
  if (!gl_here()) return;
  const auto dir = std::filesystem::temp_directory_path() / "difflab_backend_parity";
  std::filesystem::create_directories(dir);
  SUBCASE("2-D MLP, 256 points") {
    Trainer trainer(mlp_config(BackendKind::cpu));
    for (int i = 0; i < 100; ++i) trainer.step();
    const std::string path = (dir / "mlp.ckpt").string();
    save_checkpoint(path, checkpoint_of(trainer, true));
    const std::vector<float> x_T = standard_normal(2 * 256, 21);
    const auto cpu = ddim50_from(path, BackendKind::cpu, x_T), gl = ddim50_from(path, BackendKind::gl, x_T);
    const double d = max_abs_difference(gl, cpu);
    MESSAGE("MLP DDIM-50: max |gl − cpu| = " << d);
    CHECK(d <= 1e-3);
  }
  SUBCASE("classroom U-Net, 2 images") {
    ImageTrainer trainer(unet_config(BackendKind::cpu), synthetic_images());
    trainer.step();
    const std::vector<float> ema = trainer.read_params(true);
    const std::vector<float> x_T = standard_normal(2 * 784, 22);
    UNetDenoiser on_cpu(trainer.model(), trainer.schedule(), trainer.ema_params());
    const auto cpu = ddim50(on_cpu, x_T, true);
    ImageTrainer gl_trainer(unet_config(BackendKind::gl), synthetic_images());
    gl_trainer.load_params(ema, ema, 1);
    UNetDenoiser on_gl(gl_trainer.model(), gl_trainer.schedule(), gl_trainer.ema_params());
    const auto gl = ddim50(on_gl, x_T, true);
    const double d = max_abs_difference(gl, cpu);
    MESSAGE("U-Net DDIM-50: max |gl − cpu| = " << d);
    CHECK(d <= 1e-3);
  }
}

TEST_CASE("a checkpoint trained on one backend loads and samples on the other") {
  if (!gl_here()) return;
  const auto dir = std::filesystem::temp_directory_path() / "difflab_backend_parity";
  std::filesystem::create_directories(dir);
  const std::vector<float> x_T = standard_normal(2 * 128, 31);
  for (BackendKind trained_on : {BackendKind::gl, BackendKind::cpu}) {
    CAPTURE(backend_kind_name(trained_on));
    Trainer trainer(mlp_config(trained_on));
    for (int i = 0; i < 50; ++i) trainer.step();
    const std::string path = (dir / ("trained_on_" + backend_kind_name(trained_on) + ".ckpt")).string();
    const Checkpoint written = checkpoint_of(trainer, false);
    save_checkpoint(path, written);
    // The file holds what the backend had: the raw weights as read back from it.
    CHECK(relative_error(load_checkpoint(path).params, trainer.read_params(false)) == 0.0);
    const auto cpu = ddim50_from(path, BackendKind::cpu, x_T), gl = ddim50_from(path, BackendKind::gl, x_T);
    for (float v : gl) REQUIRE(std::isfinite(v));
    CHECK(max_abs_difference(gl, cpu) <= 1e-3);
  }
}
