// test_interpolation.cpp — DDIM latent interpolation (Song et al. 2021, §5.3) against slerp's definition and,
// for Gaussian data, against the closed-form (affine) probability-flow map. Not a test of DDIM itself
// (tests/sample).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/gaussian_mixture.h"
#include "sample/sampler.h"
#include "views/interpolation.h"

using namespace difflab;

TEST_CASE("slerp keeps the ends, walks the great circle at constant angular speed and keeps equal norms") {
  const std::vector<float> a = {1, 0, 0}, b = {0, 2, 0};
  CHECK(slerp(a, b, 0) == a);
  const std::vector<float> end = slerp(a, b, 1);
  for (int k = 0; k < 3; ++k) CHECK(end[k] == doctest::Approx(b[k]));
  // θ = 90°: x(α) = cos(απ/2) a + sin(απ/2) b (sin θ = 1).
  const std::vector<float> third = slerp(a, b, 1.0 / 3);
  CHECK(third[0] == doctest::Approx(std::cos(M_PI / 6)));
  CHECK(third[1] == doctest::Approx(2 * std::sin(M_PI / 6)));
  // Equal norms stay equal all the way (a linear blend would shrink to 1/√2 in the middle).
  const std::vector<float> c = {0, 1, 0};
  const std::vector<float> middle = slerp(a, c, 0.5);
  CHECK(std::hypot(middle[0], middle[1]) == doctest::Approx(1.0));
  // Parallel vectors: the linear limit.
  CHECK(slerp({1, 1}, {2, 2}, 0.5) == std::vector<float>{1.5f, 1.5f});
  CHECK_THROWS_AS(slerp({1, 2}, {1}, 0.5), std::invalid_argument);
}

TEST_CASE("DDIM interpolation of a Gaussian is the closed-form flow map of the slerped latents") {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.5, -0.3}};
  g.covariances = {{1.0, 0.6, 0.8}};
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  ExactDenoiser oracle(g, s);
  const std::vector<float> a = {1.2f, -0.4f}, b = {-0.7f, 1.5f};
  const LatentInterpolation result = ddim_interpolate(oracle, a, b, 9, 200);
  REQUIRE(result.samples.size() == 18);
  CHECK(result.alphas.front() == 0);
  CHECK(result.alphas.back() == 1);
  // x₀ = μ + Σ^{1/2} C^{−1/2} (x_T − √ᾱ_T μ), C = ᾱ_T Σ + (1 − ᾱ_T) I: the exact ODE map from t = T − 1.
  Eigen::Matrix2d covariance;
  covariance << 1.0, 0.6, 0.6, 0.8;
  const Eigen::Vector2d mean(0.5, -0.3);
  const double alpha_bar_T = s.alpha_bar[999];
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(covariance);
  Eigen::Vector2d scale;
  for (int i = 0; i < 2; ++i)
    scale[i] = std::sqrt(eig.eigenvalues()[i] / (alpha_bar_T * eig.eigenvalues()[i] + 1 - alpha_bar_T));
  const Eigen::Matrix2d map = eig.eigenvectors() * scale.asDiagonal() * eig.eigenvectors().transpose();
  for (int i = 0; i < 9; ++i) {
    const std::vector<float> latent = slerp(a, b, result.alphas[i]);
    CHECK(result.latents[2 * i] == latent[0]);
    const Eigen::Vector2d expected =
        mean + map * (Eigen::Vector2d(latent[0], latent[1]) - std::sqrt(alpha_bar_T) * mean);
    CHECK(result.samples[2 * i] == doctest::Approx(expected[0]).epsilon(0.01).scale(1));
    CHECK(result.samples[2 * i + 1] == doctest::Approx(expected[1]).epsilon(0.01).scale(1));
  }
  CHECK_THROWS_AS(ddim_interpolate(oracle, a, {1.0f}, 5, 10), std::invalid_argument);
  CHECK_THROWS_AS(ddim_interpolate(oracle, a, b, 1, 10), std::invalid_argument);
}

TEST_CASE("in high dimension slerp keeps the norm of x_T and lerp's midpoint loses a factor 1/sqrt 2") {
  // Two independent x_T ~ 𝒩(0, I) in d = 784 (a 28×28 image): each norm ≈ √d = 28, nearly orthogonal
  // (cos θ ~ 1/√d), so ‖(a + b)/2‖ ≈ √(d/2) = 28/√2 while the great circle keeps ≈ √d all the way.
  const std::vector<float> a = standard_normal(784, 21), b = standard_normal(784, 22);
  auto norm = [](const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    return std::sqrt(s);
  };
  const double end_norm = 0.5 * (norm(a) + norm(b));
  CHECK(end_norm == doctest::Approx(28).epsilon(0.05));
  CHECK(slerp(a, b, 0) == a);  // exact ends: the weights are 1 and 0 exactly
  CHECK(slerp(a, b, 1) == b);
  CHECK(norm(slerp(a, b, 0.5)) == doctest::Approx(end_norm).epsilon(0.03));
  CHECK(norm(lerp(a, b, 0.5)) / end_norm == doctest::Approx(1 / std::sqrt(2.0)).epsilon(0.05));
  CHECK(lerp(a, b, 0) == a);
  CHECK(lerp(a, b, 1) == b);
  CHECK_THROWS_AS(lerp({1, 2}, {1}, 0.5), std::invalid_argument);
}

TEST_CASE("ddim_interpolate with options: the lerp path, its norms, endpoints decoded as alone") {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.5, -0.3}};
  g.covariances = {{1.0, 0.6, 0.8}};
  ExactDenoiser oracle(g, make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02}));
  const std::vector<float> a = {1.2f, -0.4f}, b = {-0.7f, 1.5f};
  InterpolationOptions options;
  options.count = 5;
  options.steps = 20;
  options.path = LatentPath::Lerp;
  int reports = 0;
  options.progress = [&](double) { ++reports; };
  const LatentInterpolation r = ddim_interpolate(oracle, a, b, options);
  CHECK(reports == 20);
  REQUIRE(r.latent_norms.size() == 5);
  for (int i = 0; i < 5; ++i) {
    const std::vector<float> latent = lerp(a, b, r.alphas[i]);
    CHECK(r.latents[2 * i] == latent[0]);
    CHECK(r.latents[2 * i + 1] == latent[1]);
    CHECK(r.latent_norms[i] == doctest::Approx(std::hypot(latent[0], latent[1])));
  }
  // The first decoded point is DDIM of a on its own (the exact denoiser treats points independently).
  SamplerConfig c;
  c.kind = SamplerKind::Ddim;
  c.steps = 20;
  c.spacing = Spacing::Trailing;
  Sampler sampler(oracle, c);
  sampler.begin(a, 0);
  sampler.run();
  CHECK(r.samples[0] == doctest::Approx(sampler.x()[0]));
  CHECK(r.samples[1] == doctest::Approx(sampler.x()[1]));
}
