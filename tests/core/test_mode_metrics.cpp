// test_mode_metrics.cpp — modes covered and high-quality fraction on hand-computed point sets.
// Not a test of sliced W₂ itself (test_training covers it); only that the floor and score use it.
#include <doctest/doctest.h>

#include <cmath>

#include "core/mode_metrics.h"

using namespace difflab;

namespace {
// Two isotropic modes at (−1, 0) and (1, 0), σ = 0.1 (3σ = 0.3), and one anisotropic mode at (0, 5) with
// σx = 1, σy = 0.1.
GaussianMixture2D three_modes() {
  GaussianMixture2D m;
  m.weights = {1, 1, 1};
  m.means = {{-1, 0}, {1, 0}, {0, 5}};
  m.covariances = {{0.01, 0, 0.01}, {0.01, 0, 0.01}, {1.0, 0, 0.01}};
  m.validate_and_normalise();
  return m;
}
}  // namespace

TEST_CASE("modes covered: a mode needs at least n/(4K) samples within 3σ") {
  const GaussianMixture2D m = three_modes();
  // n = 12, K = 3: the threshold is 12/12 = 1 sample per mode.
  std::vector<float> xy = {-1.0f, 0.29f,  // 0.29 < 0.3: near mode 0
                           -1.0f, 0.31f,  // 0.31 > 0.3: not near
                           1.2f,  0.0f,   // near mode 1 (0.2)
                           0.0f,  0.0f,   // between modes 0 and 1: 10σ from both
                           2.9f,  5.0f,   // mode 2 along x: Mahalanobis 2.9 ≤ 3
                           0.0f,  5.31f,  // mode 2 along y: 3.1 > 3
                           0,     0,     0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // 6 more far points at the origin
  const ModeCoverage c = mode_coverage(xy, m);
  CHECK(c.modes == 3);
  CHECK(c.samples == 12);
  CHECK(c.per_mode == std::vector<int>{1, 1, 1});
  CHECK(c.modes_covered == 3);
  CHECK(c.high_quality_fraction == doctest::Approx(3.0 / 12));
  // With 13 points the threshold is 13/12 > 1: one sample no longer covers a mode.
  xy.push_back(0);
  xy.push_back(0);
  CHECK(mode_coverage(xy, m).modes_covered == 0);
}

TEST_CASE("modes covered: collapsed samples cover one mode with full quality") {
  const GaussianMixture2D m = three_modes();
  std::vector<float> xy;
  for (int i = 0; i < 100; ++i) {
    xy.push_back(1.0f + 0.001f * i);
    xy.push_back(0.0f);
  }
  const ModeCoverage c = mode_coverage(xy, m);
  CHECK(c.modes_covered == 1);
  CHECK(c.per_mode == std::vector<int>{0, 100, 0});
  CHECK(c.high_quality_fraction == 1.0);
}

TEST_CASE("modes covered: non-finite samples count in n but near no mode") {
  const GaussianMixture2D m = three_modes();
  const std::vector<float> xy = {-1, 0, NAN, 0, 1, 0, 0, INFINITY};
  const ModeCoverage c = mode_coverage(xy, m);
  CHECK(c.samples == 4);
  CHECK(c.high_quality_fraction == 0.5);
  CHECK(c.modes_covered == 2);  // 4/(4·3) = 1/3: one sample suffices
}

TEST_CASE("modes covered: a delta mixture has no σ and is refused") {
  const GaussianMixture2D deltas = GaussianMixture2D::from_points({0, 0, 1, 1});
  CHECK_FALSE(has_labelled_modes(deltas));
  CHECK_THROWS_AS(mode_coverage({0, 0}, deltas), std::invalid_argument);
  CHECK(has_labelled_modes(three_modes()));
}

TEST_CASE("score_samples: data against data sits at the floor, modes scored when labelled") {
  const GaussianMixture2D m = three_modes();
  std::vector<float> a, b, c;
  std::vector<int> comp;
  m.sample(2000, 1, &a, &comp);
  m.sample(2000, 2, &b, &comp);
  m.sample(2000, 3, &c, &comp);
  const SampleScore s = score_samples(a, b, c, &m);
  CHECK(s.has_modes);
  CHECK(s.coverage.modes_covered == 3);
  // 3σ holds 1 − e^{−9/2} ≈ 98.9 % of a 2-D Gaussian's mass.
  CHECK(s.coverage.high_quality_fraction == doctest::Approx(1 - std::exp(-4.5)).epsilon(0.01));
  CHECK(s.swd < 2 * s.swd_floor);
  const SampleScore unlabelled = score_samples(a, b, c, nullptr);
  CHECK_FALSE(unlabelled.has_modes);
  std::vector<float> bad = a;
  bad[0] = NAN;
  CHECK(std::isinf(score_samples(bad, b, c, &m).swd));
}
