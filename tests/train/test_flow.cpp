// test_flow.cpp — flow matching and Reflow in 2-D: the change of variables, the exact velocity against its
// closed forms, the exact ODE's transport, straightness, training, Reflow and the checkpoint.
// Not VP samplers (tests/sample) and not the U-Net.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "core/flow.h"
#include "core/gaussian_mixture.h"
#include "core/metrics.h"
#include "sample/flow_ode.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/flow_trainer.h"
#include "train/model_source.h"

using namespace difflab;

namespace {
GaussianMixture2D one_gaussian(double mx, double my, double s) {
  GaussianMixture2D g;
  g.weights = {1.0};
  g.means = {{mx, my}};
  g.covariances = {Mat2{s * s, 0, s * s}};
  return g;
}

// A constant field: every path is a straight line.
struct ConstantField final : VelocityField {
  void predict_velocity(const float*, int n, double, float* v) override {
    for (int i = 0; i < n; ++i) v[2 * i] = 1.0f, v[2 * i + 1] = -2.0f;
  }
};
}  // namespace

TEST_CASE("flow time ↔ VP ᾱ: endpoints, round trip, and c(t) = √((1 − t)² + t²)") {
  CHECK(FlowTime::alpha_bar(0) == doctest::Approx(1.0));
  CHECK(FlowTime::alpha_bar(1) == doctest::Approx(0.0));
  CHECK(FlowTime::alpha_bar(0.5) == doctest::Approx(0.5));  // equal signal and noise
  CHECK(FlowTime::scale(0.5) == doctest::Approx(std::sqrt(0.5)));
  for (double t : {0.01, 0.2, 0.5, 0.77, 0.99})
    CHECK(FlowTime::from_alpha_bar(FlowTime::alpha_bar(t)) == doctest::Approx(t).epsilon(1e-12));
  CHECK(FlowTime::from_alpha_bar(0) == 1.0);
  CHECK(FlowTime::from_alpha_bar(1) == 0.0);
}

TEST_CASE("the exact velocity of one Gaussian equals its closed form E(ε − x₀ | xₜ)") {
  const double mx = 1.5, my = -0.5, s = 0.3;
  ExactVelocity field(one_gaussian(mx, my, s));
  for (double t : {0.05, 0.3, 0.5, 0.9, 1.0}) {
    const float x[4] = {0.2f, 0.7f, -1.1f, 2.0f};
    float v[4];
    field.predict_velocity(x, 2, t, v);
    // xₜ ~ 𝒩((1 − t)μ, ((1 − t)²s² + t²) I): E[x₀|x] = μ + (1−t)s²/V (x − (1−t)μ), E[ε|x] = t/V (x − (1−t)μ).
    const double V = (1 - t) * (1 - t) * s * s + t * t;
    for (int i = 0; i < 2; ++i) {
      const double mu[2] = {mx, my};
      for (int d = 0; d < 2; ++d) {
        const double r = x[2 * i + d] - (1 - t) * mu[d];
        const double expected = t / V * r - (mu[d] + (1 - t) * s * s / V * r);
        CHECK(v[2 * i + d] == doctest::Approx(expected).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("the exact velocity of a two-point set equals (x − E(x₀|x))/t with softmax posteriors") {
  const std::vector<float> points = {-1.0f, 0.0f, 2.0f, 1.0f};
  ExactVelocity field(GaussianMixture2D::from_points(points));
  const double t = 0.4;
  const float x[2] = {0.3f, 0.2f};
  float v[2];
  field.predict_velocity(x, 1, t, v);
  double w[2], z = 0;
  for (int k = 0; k < 2; ++k) {
    const double dx = x[0] - (1 - t) * points[2 * k], dy = x[1] - (1 - t) * points[2 * k + 1];
    w[k] = std::exp(-(dx * dx + dy * dy) / (2 * t * t));
    z += w[k];
  }
  for (int d = 0; d < 2; ++d) {
    const double x0 = (w[0] * points[d] + w[1] * points[2 + d]) / z;
    CHECK(v[d] == doctest::Approx((x[d] - x0) / t).epsilon(1e-5));
  }
}

TEST_CASE("the exact flow carries 𝒩(0, I) onto a Gaussian by the map ε ↦ μ + s ε (Heun, 100 steps)") {
  ExactVelocity field(one_gaussian(1.0, -2.0, 0.5));
  const std::vector<float> noise = standard_normal(200, 7);
  const FlowPath path = integrate_flow(field, noise, 100, FlowMethod::Heun);
  double worst = 0;
  for (size_t k = 0; k < noise.size(); ++k) {
    const double mu = k % 2 == 0 ? 1.0 : -2.0;
    worst = std::max(worst, std::abs(path.x[k] - (mu + 0.5 * noise[k])));
  }
  CHECK(worst < 2e-3);
  CHECK(path.velocity_evaluations == 199);  // Heun: 2N − 1
  // Its paths x(t) = (1 − t)μ + σ(t) ε with σ(t) = √((1 − t)² s² + t²) are curved: x₁ − x₀ − v = (1 − s −
  // σ'(t)) ε, so S = 2 ∫₀¹ (1 − s − σ'(t))² dt (two coordinates, E ε_d² = 1), here by a fine midpoint sum.
  const double s = 0.5;
  double expected = 0;
  const int m = 100000;
  for (int i = 0; i < m; ++i) {
    const double t = (i + 0.5) / m, sigma = std::sqrt((1 - t) * (1 - t) * s * s + t * t);
    const double dsigma = (t - (1 - t) * s * s) / sigma;
    expected += 2 * (1 - s - dsigma) * (1 - s - dsigma) / m;
  }
  // The sample mean of ε² over 100 points carries a few % of noise.
  CHECK(path.straightness == doctest::Approx(expected).epsilon(0.2));
  CHECK(expected > 0.1);
}

TEST_CASE("a diffusion denoiser read as a velocity is the flow's velocity, and back (the equivalence)") {
  GaussianMixture2D mix;
  mix.weights = {0.3, 0.7};
  mix.means = {{-1.0, 0.5}, {1.2, -0.4}};
  mix.covariances = {Mat2{0.05, 0.01, 0.04}, Mat2{0.02, 0, 0.08}};
  ExactDenoiser denoiser(mix, make_schedule(ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2}));
  ExactVelocity exact(mix);
  DenoiserVelocity as_velocity(denoiser);
  const float x[6] = {0.1f, 0.2f, -0.9f, 0.4f, 1.5f, -1.0f};
  for (double t : {0.1, 0.5, 0.8}) {
    float a[6], b[6];
    exact.predict_velocity(x, 3, t, a);
    as_velocity.predict_velocity(x, 3, t, b);
    for (int k = 0; k < 6; ++k) CHECK(b[k] == doctest::Approx(a[k]).epsilon(1e-4));
  }
  VelocityDenoiser as_denoiser(exact, denoiser.schedule());
  for (int t : {5, 40, 90}) {
    float a[6], b[6];
    denoiser.predict_eps(x, 3, t, a);
    as_denoiser.predict_eps(x, 3, t, b);
    for (int k = 0; k < 6; ++k) CHECK(b[k] == doctest::Approx(a[k]).epsilon(1e-4));
  }
}

TEST_CASE("straightness is 0 for straight paths, Euler costs N evaluations, bad arguments are refused") {
  ConstantField field;
  const FlowPath path = integrate_flow(field, standard_normal(20, 1), 4, FlowMethod::Euler, true);
  CHECK(path.straightness == doctest::Approx(0.0));
  CHECK(path.velocity_evaluations == 4);
  REQUIRE(path.states.size() == 5);
  CHECK(path.x[0] == doctest::Approx(path.states[0][0] - 1.0f));  // x₀ = x₁ − ∫v dt
  CHECK_THROWS_AS(integrate_flow(field, {0.0f, 0.0f}, 0, FlowMethod::Euler), std::invalid_argument);
  CHECK_THROWS_AS(integrate_flow(field, {0.0f}, 2, FlowMethod::Euler), std::invalid_argument);
}

TEST_CASE("flow matching learns 8 Gaussians, Reflow straightens the paths and improves 1-step samples") {
  FlowTrainConfig config;
  config.dataset = "8gaussians";
  config.steps = 1500;
  FlowTrainer flow(config);
  for (int i = 0; i < config.steps; ++i) REQUIRE_FALSE(flow.step().diverged);
  const FlowPath fine = flow.sample(1000, 50, FlowMethod::Heun, 11);
  const double w2_fine = sliced_wasserstein2(fine.x, flow.eval_data().xy);
  INFO("floor " << flow.swd_floor() << ", flow 50 Heun steps " << w2_fine);
  CHECK(w2_fine < 4 * flow.swd_floor() + 0.05);

  FlowTrainConfig reflow_config = config;
  reflow_config.seed = 1;
  FlowTrainer reflow(reflow_config, flow.make_pairs(8000, 50, 12));
  CHECK(reflow.reflow());
  for (int i = 0; i < config.steps; ++i) REQUIRE_FALSE(reflow.step().diverged);
  const FlowPath before = flow.sample(1000, 8, FlowMethod::Euler, 13);
  const FlowPath after = reflow.sample(1000, 8, FlowMethod::Euler, 13);
  INFO("straightness " << before.straightness << " → " << after.straightness);
  CHECK(after.straightness < 0.5 * before.straightness);
  const double one_before =
      sliced_wasserstein2(flow.sample(1000, 1, FlowMethod::Euler, 14).x, flow.eval_data().xy);
  const double one_after =
      sliced_wasserstein2(reflow.sample(1000, 1, FlowMethod::Euler, 14).x, flow.eval_data().xy);
  INFO("1-step W2 " << one_before << " → " << one_after);
  CHECK(one_after < 0.7 * one_before);
}

TEST_CASE("a flow checkpoint round-trips and samples through every VP sampler as a denoiser") {
  FlowTrainConfig config;
  config.steps = 50;
  FlowTrainer trainer(config);
  for (int i = 0; i < config.steps; ++i) trainer.step();
  const std::string path = (std::filesystem::temp_directory_path() / "difflab_test_flow.ckpt").string();
  save_checkpoint(path, trainer.checkpoint(true));
  Checkpoint loaded = load_checkpoint(path);
  CHECK(loaded.flow);
  CHECK(loaded.loss == "flow");
  auto model = model_from_checkpoint(loaded, path);
  REQUIRE(model->denoiser);
  // The loaded model's ε̂ equals ε̂ from the trainer's own EMA velocity through the same change of variables.
  MlpVelocity velocity(trainer.model(), trainer.ema_params());
  VelocityDenoiser direct(velocity, model->denoiser->schedule());
  const float x[4] = {0.5f, -0.3f, 1.0f, 2.0f};
  float a[4], b[4];
  model->denoiser->predict_eps(x, 2, 37, a);
  direct.predict_eps(x, 2, 37, b);
  for (int k = 0; k < 4; ++k) CHECK(a[k] == doctest::Approx(b[k]).epsilon(1e-5));
  std::filesystem::remove(path);
}
