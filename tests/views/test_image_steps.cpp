// test_image_steps.cpp — the per-step (xₜ, x̂₀) view against the definitions: x̂₀ from ε_θ at one step, the
// last x̂₀ against the sampler's output, determinism; on the exact Gaussian denoiser and the shipped U-Net.
// Not a test of the samplers' steps themselves (tests/sample).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/gaussian_mixture.h"
#include "train/model_source.h"
#include "views/image_steps.h"

using namespace difflab;

namespace {
ExactDenoiser gaussian_oracle() {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.5, -0.3}};
  g.covariances = {{1.0, 0.6, 0.8}};
  return ExactDenoiser(g, make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02}));
}
}  // namespace

TEST_CASE("image_steps keeps every step's x_t and x0-hat, the last x0-hat is DDIM's output") {
  ExactDenoiser oracle = gaussian_oracle();
  const std::vector<float> x_T = standard_normal(2 * 6, 3);
  ImageStepsConfig config;
  config.steps = 10;
  config.clip_x0 = false;
  const ImageSteps r = image_steps(oracle, x_T, config);
  REQUIRE(r.steps() == 10);
  REQUIRE(r.states.size() == 11);
  REQUIRE(r.x0_hats.size() == 10);
  CHECK(r.count == 6);
  CHECK(r.timesteps.front() == 999);  // trailing: the first step is where x_T lives
  CHECK(r.states.front() == x_T);
  // η = 0 and ᾱ = 1 after the last step: x₀ = √1 · x̂₀ + √0 · ε̂, bit for bit.
  CHECK(r.output() == r.x0_hats.back());
  // The same as the sampler run on its own.
  SamplerConfig c;
  c.kind = SamplerKind::Ddim;
  c.steps = 10;
  c.spacing = Spacing::Trailing;
  Sampler sampler(oracle, c);
  sampler.begin(x_T, 0);
  sampler.run();
  CHECK(r.output() == sampler.x());
  // x̂₀ at step 4 from its definition: (xₜ − √(1−ᾱₜ) ε(xₜ, t))/√ᾱₜ at that step's t.
  const int k = 4, t = r.timesteps[k];
  const double alpha_bar = oracle.schedule().alpha_bar[t];
  CHECK(r.alpha_bars[k] == doctest::Approx(alpha_bar));
  std::vector<float> eps(r.states[k].size());
  oracle.predict_eps(r.states[k].data(), r.count, t, eps.data());
  for (size_t i = 0; i < eps.size(); ++i) {
    const double expected = (r.states[k][i] - std::sqrt(1 - alpha_bar) * eps[i]) / std::sqrt(alpha_bar);
    CHECK(r.x0_hats[k][i] == doctest::Approx(expected).epsilon(1e-4));
  }
}

TEST_CASE("image_steps with DDPM: the last step's mean is x0-hat, the noise follows the seed") {
  ExactDenoiser oracle = gaussian_oracle();
  const std::vector<float> x_T = standard_normal(2 * 4, 8);
  ImageStepsConfig config;
  config.kind = SamplerKind::Ddpm;
  config.steps = 20;
  config.clip_x0 = false;
  config.noise_seed = 5;
  const ImageSteps a = image_steps(oracle, x_T, config), b = image_steps(oracle, x_T, config);
  CHECK(a.output() == b.output());  // deterministic given x_T and the seed
  for (size_t i = 0; i < a.output().size(); ++i)
    CHECK(a.output()[i] == doctest::Approx(a.x0_hats.back()[i]).epsilon(1e-5));
  config.noise_seed = 6;
  CHECK(image_steps(oracle, x_T, config).output() != a.output());
  config.kind = SamplerKind::EdmHeun;
  CHECK_THROWS_AS(image_steps(oracle, x_T, config), std::invalid_argument);
  config.kind = SamplerKind::Ddim;
  config.steps = 0;
  CHECK_THROWS_AS(image_steps(oracle, x_T, config), std::invalid_argument);
  config.steps = 10;
  CHECK_THROWS_AS(image_steps(oracle, {1, 2, 3}, config), std::invalid_argument);
}

TEST_CASE("image_steps on the shipped classroom U-Net: 4 images, 20 DDIM steps") {
  auto model = load_model(DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classroom.ckpt", "", std::nullopt);
  REQUIRE(model->model().dim() == 784);
  const std::vector<float> x_T = standard_normal(4 * 784, 11);
  ImageStepsConfig config;
  config.steps = 20;
  const auto start = std::chrono::steady_clock::now();
  int reports = 0;
  const ImageSteps r = image_steps(model->model(), x_T, config, [&](double) { ++reports; });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("4 images × 20 DDIM steps on the classroom U-Net: " << seconds << " s");
  CHECK(reports == 20);
  CHECK(r.output() == r.x0_hats.back());
  // x̂₀ at step 10 from ε_θ, clipped to [−1, 1] as the images are.
  const int k = 10, t = r.timesteps[k];
  const double alpha_bar = model->schedule.alpha_bar[t];
  std::vector<float> eps(r.states[k].size());
  model->model().predict_eps(r.states[k].data(), r.count, t, eps.data());
  int clipped = 0;
  for (size_t i = 0; i < eps.size(); ++i) {
    const double raw = (r.states[k][i] - std::sqrt(1 - alpha_bar) * eps[i]) / std::sqrt(alpha_bar);
    clipped += std::abs(raw) > 1;
    CHECK(r.x0_hats[k][i] == doctest::Approx(std::clamp(raw, -1.0, 1.0)).epsilon(1e-3).scale(1));
  }
  MESSAGE(clipped << " of " << eps.size() << " pixels clipped at step 10");
  // Determinism: the same x_T gives the same images.
  CHECK(image_steps(model->model(), x_T, config).output() == r.output());
}
