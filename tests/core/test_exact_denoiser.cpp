// test_exact_denoiser.cpp — the exact mixture denoiser against finite differences and closed forms.
// Not a sampler test.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/gaussian_mixture.h"
#include "core/metrics.h"
#include "core/rng.h"

using namespace difflab;

namespace {
GaussianMixture2D three_component_mixture() {
  GaussianMixture2D m;
  m.weights = {0.2, 0.5, 0.3};
  m.means = {{-1.5, 0.3}, {1.0, 1.0}, {0.2, -1.4}};
  m.covariances = {{0.3, 0.1, 0.2}, {0.05, 0.0, 0.4}, {0.0, 0.0, 0.0}};  // the last is a delta
  return m;
}
}  // namespace

TEST_CASE("exact score equals the finite-difference gradient of log p_t for a Gaussian mixture") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-4, 0.04});
  ExactDenoiser oracle(three_component_mixture(), s);
  const double h = 1e-5;
  for (int t : {0, 5, 40, 99}) {
    for (auto [x, y] : {std::pair{0.1, 0.2}, {-1.2, 0.9}, {2.0, -1.0}, {0.25, -1.3}}) {
      const ExactQuantities q = oracle.evaluate(x, y, t);
      const double gx = (oracle.evaluate(x + h, y, t).log_p - oracle.evaluate(x - h, y, t).log_p) / (2 * h);
      const double gy = (oracle.evaluate(x, y + h, t).log_p - oracle.evaluate(x, y - h, t).log_p) / (2 * h);
      CHECK(q.score[0] == doctest::Approx(gx).epsilon(1e-5).scale(1));
      CHECK(q.score[1] == doctest::Approx(gy).epsilon(1e-5).scale(1));
      // ε* = −√(1−ᾱ)·score and Tweedie's x̂₀.
      CHECK(q.eps[0] == doctest::Approx(-s.sqrt_one_minus_alpha_bar[t] * gx).epsilon(1e-5).scale(1));
      CHECK(q.x0[1] ==
            doctest::Approx((y + (1 - s.alpha_bar[t]) * gy) / s.sqrt_alpha_bar[t]).epsilon(1e-5).scale(1));
    }
  }
}

TEST_CASE("one Gaussian: log p_t, score and E(x0|xt) match the textbook closed form") {
  GaussianMixture2D m;
  m.weights = {1};
  m.means = {{0.5, -0.3}};
  m.covariances = {{1.0, 0.6, 0.8}};
  const NoiseSchedule s = make_schedule({ScheduleKind::Cosine, 50, 0, 0});
  ExactDenoiser oracle(m, s);
  const int t = 20;
  const double ab = s.alpha_bar[t];
  // C = ᾱΣ + (1−ᾱ)I; log p = −log 2π − ½ log det C − ½ dᵀC⁻¹d.
  const double a = ab * 1.0 + 1 - ab, b = ab * 0.6, c = ab * 0.8 + 1 - ab, det = a * c - b * b;
  const double x = 1.1, y = 0.4, dx = x - std::sqrt(ab) * 0.5, dy = y + std::sqrt(ab) * 0.3;
  const double ux = (c * dx - b * dy) / det, uy = (-b * dx + a * dy) / det;
  const ExactQuantities q = oracle.evaluate(x, y, t);
  CHECK(q.log_p ==
        doctest::Approx(-std::log(2 * std::numbers::pi) - 0.5 * std::log(det) - 0.5 * (dx * ux + dy * uy)));
  CHECK(q.score[0] == doctest::Approx(-ux));
  CHECK(q.score[1] == doctest::Approx(-uy));
  // E[x₀|xₜ] = μ + √ᾱ Σ C⁻¹ (x − √ᾱ μ).
  CHECK(q.x0[0] == doctest::Approx(0.5 + std::sqrt(ab) * (1.0 * ux + 0.6 * uy)));
  CHECK(q.x0[1] == doctest::Approx(-0.3 + std::sqrt(ab) * (0.6 * ux + 0.8 * uy)));
}

TEST_CASE("a mixture of deltas (a point set) gives E(x0|xt) as the softmax-weighted average of its points") {
  const std::vector<float> points = {0, 0, 2, 0, 0, 3};
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 20, 1e-4, 0.1});
  ExactDenoiser oracle(GaussianMixture2D::from_points(points), s);
  const int t = 10;
  const double ab = s.alpha_bar[t], sa = std::sqrt(ab);
  const double x = 0.7, y = 0.4;
  double w[3], total = 0;
  for (int k = 0; k < 3; ++k) {
    const double dx = x - sa * points[2 * k], dy = y - sa * points[2 * k + 1];
    w[k] = std::exp(-(dx * dx + dy * dy) / (2 * (1 - ab)));
    total += w[k];
  }
  const ExactQuantities q = oracle.evaluate(x, y, t);
  CHECK(q.x0[0] == doctest::Approx((w[1] * 2) / total));
  CHECK(q.x0[1] == doctest::Approx((w[2] * 3) / total));
}

TEST_CASE("mixture mean, covariance and sampling agree") {
  const GaussianMixture2D m = three_component_mixture();
  std::vector<float> xy;
  m.sample(200000, 7, &xy, nullptr);
  double mx = 0, my = 0;
  for (size_t i = 0; i < xy.size(); i += 2) mx += xy[i], my += xy[i + 1];
  mx /= 100000.0 * 2, my /= 100000.0 * 2;
  const auto mean = m.mean();
  CHECK(mx == doctest::Approx(mean[0]).epsilon(0.01).scale(1));
  CHECK(my == doctest::Approx(mean[1]).epsilon(0.01).scale(1));
}

TEST_CASE("invalid mixtures are rejected with a message") {
  GaussianMixture2D m;
  CHECK_THROWS_WITH(m.validate_and_normalise(), doctest::Contains("at least one"));
  m.weights = {1, -1};
  m.means = {{0, 0}, {1, 1}};
  m.covariances = {{1, 0, 1}, {1, 0, 1}};
  CHECK_THROWS_WITH(m.validate_and_normalise(), doctest::Contains("negative"));
  m.weights = {1, 1};
  m.covariances = {{1, 0, 1}, {1, 2, 1}};
  CHECK_THROWS_WITH(m.validate_and_normalise(), doctest::Contains("positive semi-definite"));
}

TEST_CASE("sliced W2: zero for identical sets, a/sqrt(2) for a shift by a along x") {
  std::vector<float> a;
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0, 0}};
  g.covariances = {{1, 0, 1}};
  g.sample(4000, 3, &a, nullptr);
  CHECK(sliced_wasserstein2(a, a) == doctest::Approx(0.0));
  std::vector<float> b = a;
  for (size_t i = 0; i < b.size(); i += 2) b[i] += 0.8f;
  // Each projection shifts by 0.8·cos θ, so W₂² averages 0.64·E[cos²θ] = 0.32.
  CHECK(sliced_wasserstein2(a, b, 2000) == doctest::Approx(0.8 / std::sqrt(2.0)).epsilon(0.02));
}
