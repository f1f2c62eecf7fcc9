// test_samplers.cpp — samplers with the exact denoiser against the papers' identities and closed forms.
// Not a model test: the exact mixture denoiser stands in for a perfectly trained network.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/gaussian_mixture.h"
#include "gaussian_moments.h"
#include "sample/inversion.h"
#include "sample/sampler.h"

using namespace difflab;

namespace {

GaussianMixture2D correlated_gaussian() {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.5, -0.3}};
  g.covariances = {{1.0, 0.6, 0.8}};
  return g;
}

std::vector<float> run(Denoiser& d, SamplerConfig c, const std::vector<float>& x_T, uint64_t seed) {
  c.record_trajectory = false;
  Sampler s(d, c);
  s.begin(x_T, seed);
  s.run();
  return s.x();
}

// The exact probability-flow map for Gaussian data: x₀ = μ + Σ^{1/2} C_T^{-1/2} (x_T − √ᾱ_T μ),
// C_T = ᾱ_T Σ + (1 − ᾱ_T) I (all these matrices share Σ's eigenvectors, so the flow is linear).
Eigen::Vector2d exact_flow(const Eigen::Vector2d& x_T, double ab_T) {
  Eigen::Matrix2d S;
  S << 1.0, 0.6, 0.6, 0.8;
  const Eigen::Vector2d mu(0.5, -0.3);
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(S);
  const Eigen::Vector2d lambda = eig.eigenvalues();
  const Eigen::Matrix2d V = eig.eigenvectors();
  Eigen::Vector2d scale;
  for (int i = 0; i < 2; ++i) scale[i] = std::sqrt(lambda[i] / (ab_T * lambda[i] + 1 - ab_T));
  return mu + V * scale.asDiagonal() * V.transpose() * (x_T - std::sqrt(ab_T) * mu);
}

}  // namespace

TEST_CASE("timestep lists match diffusers' leading, trailing and linspace spacings") {
  CHECK(make_timesteps(1000, 10, Spacing::Leading) ==
        std::vector<int>{900, 800, 700, 600, 500, 400, 300, 200, 100, 0});
  CHECK(make_timesteps(1000, 10, Spacing::Trailing) ==
        std::vector<int>{999, 899, 799, 699, 599, 499, 399, 299, 199, 99});
  CHECK(make_timesteps(1000, 10, Spacing::Linspace) ==
        std::vector<int>{999, 888, 777, 666, 555, 444, 333, 222, 111, 0});
  // numpy values for N = 7 (linspace rounds half to even: 166.5 → 166, 499.5 → 500, 832.5 → 832).
  CHECK(make_timesteps(1000, 7, Spacing::Leading) == std::vector<int>{852, 710, 568, 426, 284, 142, 0});
  CHECK(make_timesteps(1000, 7, Spacing::Trailing) == std::vector<int>{999, 856, 713, 570, 428, 285, 142});
  CHECK(make_timesteps(1000, 7, Spacing::Linspace) == std::vector<int>{999, 832, 666, 500, 333, 166, 0});
  CHECK_THROWS_AS(make_timesteps(100, 101, Spacing::Leading), std::invalid_argument);
}

TEST_CASE("DDIM with eta = 0 and the exact denoiser converges to the exact probability-flow map") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  ExactDenoiser oracle(correlated_gaussian(), s);
  const std::vector<float> x_T = standard_normal(2 * 64, 9);
  std::vector<double> errors;
  for (int steps : {10, 100, 1000}) {
    SamplerConfig c;
    c.kind = SamplerKind::Ddim;
    c.steps = steps;
    c.spacing = Spacing::Trailing;  // starts at t = T − 1
    const std::vector<float> x0 = run(oracle, c, x_T, 1);
    double max_error = 0;
    for (int i = 0; i < 64; ++i) {
      const Eigen::Vector2d expected = exact_flow({x_T[2 * i], x_T[2 * i + 1]}, s.alpha_bar[999]);
      max_error = std::max(max_error, (Eigen::Vector2d(x0[2 * i], x0[2 * i + 1]) - expected).norm());
    }
    errors.push_back(max_error);
  }
  // First-order convergence: ten times the steps, about a tenth of the error.
  CHECK(errors[1] < errors[0] / 5);
  CHECK(errors[2] < errors[1] / 5);
  CHECK(errors[2] < 1e-2);
}

TEST_CASE("the probability-flow Heun solver is far more accurate than Euler at the same step count") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  ExactDenoiser oracle(correlated_gaussian(), s);
  const std::vector<float> x_T = standard_normal(2 * 32, 4);
  auto error_of = [&](SamplerKind kind) {
    SamplerConfig c;
    c.kind = kind;
    c.steps = 20;
    c.spacing = Spacing::Trailing;
    const std::vector<float> x0 = run(oracle, c, x_T, 1);
    double e = 0;
    for (int i = 0; i < 32; ++i)
      e = std::max(e, (Eigen::Vector2d(x0[2 * i], x0[2 * i + 1]) -
                       exact_flow({x_T[2 * i], x_T[2 * i + 1]}, s.alpha_bar[999]))
                          .norm());
    return e;
  };
  CHECK(error_of(SamplerKind::OdeHeun) < 0.5 * error_of(SamplerKind::OdeEuler));
}

TEST_CASE("ode-euler is exactly DDIM with eta = 0 (MATH.md: DDIM is the ODE's Euler step)") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Cosine, 100, 0, 0});
  ExactDenoiser oracle(correlated_gaussian(), s);
  const std::vector<float> x_T = standard_normal(2 * 16, 2);
  SamplerConfig ddim, euler;
  ddim.kind = SamplerKind::Ddim;
  euler.kind = SamplerKind::OdeEuler;
  ddim.steps = euler.steps = 17;
  const auto a = run(oracle, ddim, x_T, 1), b = run(oracle, euler, x_T, 1);
  for (size_t k = 0; k < a.size(); ++k) CHECK(a[k] == doctest::Approx(b[k]).epsilon(1e-4));
}

TEST_CASE("DDIM with eta = 1 equals strided DDPM with fixed_small variance, draw for draw") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 200, 1e-4, 0.04});
  ExactDenoiser oracle(correlated_gaussian(), s);
  const std::vector<float> x_T = standard_normal(2 * 16, 3);
  SamplerConfig ddim, ddpm;
  ddim.kind = SamplerKind::Ddim;
  ddim.eta = 1.0;
  ddpm.kind = SamplerKind::Ddpm;
  ddim.steps = ddpm.steps = 25;
  const auto a = run(oracle, ddim, x_T, 77), b = run(oracle, ddpm, x_T, 77);
  for (size_t k = 0; k < a.size(); ++k) CHECK(a[k] == doctest::Approx(b[k]).epsilon(1e-4).scale(1));
}

TEST_CASE("DDPM with the exact denoiser reproduces the data's mean and covariance") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  ExactDenoiser oracle(correlated_gaussian(), s);
  const int n = 20000;
  for (VarianceKind v : {VarianceKind::FixedSmall, VarianceKind::FixedLarge}) {
    SamplerConfig c;
    c.variance = v;
    const auto x = run(oracle, c, standard_normal(2 * n, 5), 6);
    check_gaussian_moments(x, n, 0.04);
  }
}

TEST_CASE("samplers count network evaluations and record trajectories") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 50, 1e-4, 0.02});
  ExactDenoiser oracle(correlated_gaussian(), s);
  SamplerConfig c;
  c.kind = SamplerKind::OdeHeun;
  c.steps = 10;
  Sampler sampler(oracle, c);
  sampler.begin(standard_normal(8, 1), 2);
  sampler.run();
  CHECK(sampler.network_evaluations() == 19);  // 2 per step, 1 on the last (to σ = 0)
  CHECK(sampler.trajectory().size() == 11);
  CHECK(sampler.x0_trajectory().size() == 10);
  c.kind = SamplerKind::Langevin;
  c.corrector_steps = 2;
  Sampler pc(oracle, c);
  pc.begin(standard_normal(8, 1), 2);
  pc.run();
  CHECK(pc.network_evaluations() == 30);
}

TEST_CASE("DDIM inversion then DDIM sampling returns to the starting points, closer with more steps") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  ExactDenoiser oracle(correlated_gaussian(), s);
  std::vector<float> x0;
  correlated_gaussian().sample(16, 8, &x0, nullptr);
  std::vector<double> errors;
  for (int steps : {20, 200}) {
    const Inversion inv = ddim_invert(oracle, x0, steps, Spacing::Leading);
    CHECK(inv.timesteps.front() == 0);
    SamplerConfig c;
    c.kind = SamplerKind::Ddim;
    c.steps = steps;
    const auto back = run(oracle, c, inv.x_T, 1);
    double e = 0;
    for (size_t k = 0; k < x0.size(); ++k) e = std::max(e, static_cast<double>(std::abs(back[k] - x0[k])));
    errors.push_back(e);
  }
  CHECK(errors[1] < errors[0]);
  CHECK(errors[1] < 0.05);
}

namespace {

// A "network" that is badly wrong far from its data: ε̂ = −3 everywhere, so x̂₀ = (xₜ + 3√(1−ᾱₜ))/√ᾱₜ, which at
// large t lies far outside the data (the 2-D DDPM runaway). It declares its data box [−1, 2] × [0, 1].
struct WrongFarAway : Denoiser {
  NoiseSchedule s = make_schedule(ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2});
  DataBox box{{-1.0, 0.0}, {2.0, 1.0}};
  bool boxed = true;
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return s; }
  void predict_eps(const float*, int n, int, float* eps) override { std::fill(eps, eps + 2 * n, -3.0f); }
  const DataBox& data_box() const override {
    static const DataBox none;
    return boxed ? box : none;
  }
};

}  // namespace

TEST_CASE("samplers clip x̂₀ into the model's data box: the trajectory and the samples stay in it") {
  WrongFarAway model;
  for (SamplerKind kind : {SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::OdeHeun}) {
    CAPTURE(sampler_kind_name(kind));
    SamplerConfig c;
    c.kind = kind;
    Sampler s(model, c);
    s.begin(standard_normal(2 * 200, 3), 4);
    s.run();
    int outside = 0;
    for (const std::vector<float>& x0 : s.x0_trajectory())
      for (size_t k = 0; k < x0.size(); ++k)
        if (x0[k] < model.box.lo[k % 2] - 1e-5 || x0[k] > model.box.hi[k % 2] + 1e-5) ++outside;
    CHECK(outside == 0);
    // The last step returns x̂₀ itself (ᾱ₋₁ = 1), so the samples are in the box too.
    for (size_t k = 0; k < s.x().size(); ++k) {
      CHECK(s.x()[k] >= model.box.lo[k % 2] - 1e-4);
      CHECK(s.x()[k] <= model.box.hi[k % 2] + 1e-4);
    }
  }
  model.boxed = false;  // without the box the same model's samples land at 3·√(1−ᾱ₀)/√ᾱ₀ + x/√ᾱ₀, far away
  SamplerConfig c;
  const std::vector<float> x = run(model, c, standard_normal(2 * 200, 3), 4);
  double largest = 0;
  for (float v : x) largest = std::max(largest, std::abs(double(v)));
  CHECK(largest > 5);
}
