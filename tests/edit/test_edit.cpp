// test_edit.cpp — inversion and editing (edit/inversion_edit.h, edit/edit_study.h) on a small random U-Net:
// the null-text objective's gradient against finite differences, the row-conditioned CFG against the label
// CFG of sample/guided.h, the round trip of DDIM, null-text inversion beating plain inversion under CFG,
// SDEdit at t₀ = 0 and the messages for a wrong image size or a class that does not exist.
// Not the shipped checkpoint's numbers (README and lesson 17 report those, made by `difflab invert/edit`).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/rng.h"
#include "edit/edit_study.h"
#include "nn/unet.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "train/image_grid.h"

using namespace difflab;

namespace {

UNetConfig small_config() {
  UNetConfig c;
  c.channels = {8, 16};
  c.attention = {0, 0};
  c.mid_attention = false;
  c.groups = 4;
  c.head_dim = 8;
  c.height = c.width = 8;
  c.num_classes = 3;
  return c;
}

std::vector<float> normal(size_t n, uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(scale * rng.normal());
  return v;
}

struct Fixture {
  std::unique_ptr<Backend> backend = make_cpu_backend();
  UNet net{small_config(), *backend};
  NoiseSchedule schedule = make_schedule(ScheduleConfig{});  // linear, T = 1000, β 1e-4 … 0.02
  Fixture() { net.init_params(21); }
};

}  // namespace

TEST_CASE("the null-text step's gradient is the finite difference of its loss") {
  Fixture f;
  const int n = 2, D = f.net.dim(), C = f.net.cond_dim();
  const std::vector<float> x = normal(static_cast<size_t>(n) * D, 1), target = normal(x.size(), 2, 0.5);
  const std::vector<float> cond = class_row(f.net, 1);
  std::vector<float> rows = normal(static_cast<size_t>(n) * C, 3), grad(rows.size());
  NullTextStep step(f.net, f.schedule, x.data(), n, 600, 500, cond, 4.0, target.data());
  step.loss(rows.data(), grad.data());
  double norm = 0;
  for (float g : grad) norm += g * g;
  REQUIRE(norm > 1e-12);
  for (int k : {0, 3, C + 5, 2 * C - 1}) {
    const float keep = rows[k], h = 1e-2f;
    rows[k] = keep + h;
    const double up = step.loss(rows.data(), nullptr);
    rows[k] = keep - h;
    const double down = step.loss(rows.data(), nullptr);
    rows[k] = keep;
    CHECK(grad[k] == doctest::Approx((up - down) / (2.0 * h)).epsilon(3e-2).scale(1e-5));
  }
}

TEST_CASE("the null-text step's loss is the squared distance of the guided DDIM step to the target") {
  Fixture f;
  const int D = f.net.dim();
  const std::vector<float> x = normal(D, 4), target = normal(D, 5);
  const double gamma = 2.5;
  const std::vector<float> null = class_row(f.net, -1);
  NullTextStep step(f.net, f.schedule, x.data(), 1, 300, 250, class_row(f.net, 2), gamma, target.data());
  const double loss = step.loss(null.data(), nullptr);
  // The same step from sample/guided.h's CfgDenoiser (labels, not rows) and DDIM eq. 12 written out.
  UNetConditionalDenoiser conditional(f.net, f.schedule);
  CfgDenoiser guided(conditional, 2, gamma);
  std::vector<float> eps(D);
  guided.predict_eps(x.data(), 1, 300, eps.data());
  const double ab = f.schedule.alpha_bar[300], ab_prev = f.schedule.alpha_bar[250];
  double expected = 0;
  for (int i = 0; i < D; ++i) {
    const double x0 = (x[i] - std::sqrt(1 - ab) * eps[i]) / std::sqrt(ab);
    const double prev = std::sqrt(ab_prev) * x0 + std::sqrt(1 - ab_prev) * eps[i];
    CHECK(step.x_prev()[i] == doctest::Approx(prev).epsilon(1e-4));
    expected += (prev - target[i]) * (prev - target[i]) / D;
  }
  CHECK(loss == doctest::Approx(expected).epsilon(1e-4));
}

TEST_CASE("RowCfgDenoiser with the class rows gives sample/guided.h's CFG") {
  Fixture f;
  const int n = 3, D = f.net.dim();
  const std::vector<float> x = normal(static_cast<size_t>(n) * D, 6);
  UNetConditionalDenoiser conditional(f.net, f.schedule);
  for (double gamma : {0.0, 1.0, 7.5}) {
    CfgDenoiser by_label(conditional, 0, gamma);
    RowCfgDenoiser by_row(f.net, f.schedule, class_row(f.net, 0), gamma);
    std::vector<float> a(x.size()), b(x.size());
    by_label.predict_eps(x.data(), n, 420, a.data());
    by_row.predict_eps(x.data(), n, 420, b.data());
    for (size_t k = 0; k < a.size(); ++k) REQUIRE(b[k] == doctest::Approx(a[k]).epsilon(1e-5).scale(1e-6));
  }
}

TEST_CASE("DDIM coefficients: one step from t to t_prev maps x0 + noise to the DDIM update") {
  Fixture f;
  // With ε̂ ≡ ε exact for xₜ = √ᾱ x₀ + √(1 − ᾱ) ε, the step lands on √ᾱ_prev x₀ + √(1 − ᾱ_prev) ε.
  const double x0 = 0.3, eps = -1.2;
  const double ab = f.schedule.alpha_bar[700], ab_prev = f.schedule.alpha_bar[600];
  const double xt = std::sqrt(ab) * x0 + std::sqrt(1 - ab) * eps;
  const DdimStepCoefficients k = ddim_step_coefficients(f.schedule, 700, 600);
  CHECK(k.c_x * xt + k.c_eps * eps ==
        doctest::Approx(std::sqrt(ab_prev) * x0 + std::sqrt(1 - ab_prev) * eps));
  const DdimStepCoefficients last = ddim_step_coefficients(f.schedule, 19, -1);
  const double x19 = std::sqrt(f.schedule.alpha_bar[19]) * x0 + std::sqrt(1 - f.schedule.alpha_bar[19]) * eps;
  CHECK(last.c_x * x19 + last.c_eps * eps == doctest::Approx(x0));
}

TEST_CASE("the DDIM round trip improves with steps and null-text inversion restores it under CFG") {
  Fixture f;
  const int D = f.net.dim();
  const std::vector<float> x = normal(D, 7, 0.5);
  const CfgRoundTrip coarse = cfg_round_trip(f.net, f.schedule, x, 1, 1.0, 5);
  const CfgRoundTrip fine = cfg_round_trip(f.net, f.schedule, x, 1, 1.0, 100);
  CHECK(fine.error.mse < coarse.error.mse);
  // PSNR on the [−1, 1] range (peak-to-peak 2): an error of 0.2 everywhere is MSE 0.04, 20 dB exactly;
  // 0.02 everywhere is 40 dB.
  const ReconstructionError e20 =
      reconstruction_error(std::vector<float>(D, 0.2f), std::vector<float>(D, 0.0f));
  CHECK(e20.mse == doctest::Approx(0.04));
  CHECK(e20.psnr == doctest::Approx(20.0));
  CHECK(reconstruction_error(std::vector<float>(5, -0.51f), std::vector<float>(5, -0.49f)).psnr ==
        doctest::Approx(40.0).epsilon(1e-4));
  const double gamma = 5;
  const CfgRoundTrip plain = cfg_round_trip(f.net, f.schedule, x, 1, gamma, 20);
  NullTextConfig config;
  config.label = 1;
  config.gamma = gamma;
  config.steps = 20;
  config.inner_iterations = 20;
  config.learning_rate = 5e-2;
  const NullTextResult nt = null_text_invert(f.net, f.schedule, x, config);
  const ReconstructionError restored = reconstruction_error(nt.reconstruction, x);
  MESSAGE("plain γ=5 MSE " << plain.error.mse << ", null-text " << restored.mse << ", γ=1 "
                           << fine.error.mse);
  CHECK(restored.mse < 0.5 * plain.error.mse);
  // Decoding the pivot's x_T with the optimised null rows is the same reconstruction.
  const std::vector<float> again =
      decode_with_class(f.net, f.schedule, nt.pivot.x_T, nt.pivot.timesteps, 1, gamma, &nt);
  for (int i = 0; i < D; ++i)
    CHECK(again[i] == doctest::Approx(nt.reconstruction[i]).epsilon(1e-3).scale(1e-3));
}

TEST_CASE("SDEdit from t0 = 0 returns the input up to the first level's noise") {
  Fixture f;
  const int D = f.net.dim();
  const std::vector<float> x = normal(D, 8, 0.5);
  RowCfgDenoiser guided(f.net, f.schedule, class_row(f.net, 2), 3.0);
  const std::vector<float> out = sdedit(guided, x, 0, 10, 1);
  // x₀ = (x_0 − √(1 − ᾱ₀) ε̂)/√ᾱ₀ with 1 − ᾱ₀ = β₁ = 1e-4: within a few hundredths of x.
  for (int i = 0; i < D; ++i) CHECK(std::abs(out[i] - x[i]) < 0.1);
  CHECK_THROWS_WITH_AS(sdedit(guided, x, 1000, 10, 1), "t0 must lie in 0 … T − 1", std::invalid_argument);
}

TEST_CASE("a class that does not exist and an image of the wrong size are refused by name") {
  Fixture f;
  CHECK_THROWS_WITH_AS(class_row(f.net, 3), "class 3 does not exist (the model has classes 0 … 2)",
                       std::invalid_argument);
  const std::string path = (std::filesystem::temp_directory_path() / "difflab_edit_wrong_size.png").string();
  write_png_grid(path, std::vector<float>(2 * 64, 0.0f), 2, 8, 8, 2, 2);  // 2 images: 22 × 12 pixels
  CHECK_THROWS_WITH_AS(load_image_file(path, 8, 8),
                       ("the image " + path + " is 22×12 pixels; the model takes 8×8").c_str(),
                       std::invalid_argument);
  write_png_grid(path, std::vector<float>(64, 1.0f), 1, 8, 8, 1, 0);
  const std::vector<float> white = load_image_file(path, 8, 8);
  CHECK(white.size() == 64);
  CHECK(white[10] == doctest::Approx(1.0f));
  std::filesystem::remove(path);
}

TEST_CASE("null-text inversion at gamma 1 optimises nothing and is the plain DDIM round trip") {
  Fixture f;
  const std::vector<float> x = normal(f.net.dim(), 9, 0.5);
  NullTextConfig config;
  config.label = 0;
  config.gamma = 1.0;
  config.steps = 8;
  const NullTextResult nt = null_text_invert(f.net, f.schedule, x, config);
  CHECK(nt.iterations == 0);
  const CfgRoundTrip plain = cfg_round_trip(f.net, f.schedule, x, 0, 1.0, 8);
  const ReconstructionError a = reconstruction_error(nt.reconstruction, x);
  CHECK(a.mse == doctest::Approx(plain.error.mse).epsilon(1e-4));
}
