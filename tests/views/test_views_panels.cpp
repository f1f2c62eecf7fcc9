// test_views_panels.cpp — what the lecture panels draw, against values computed another way: score arrows at
// their own points, the unclipped x̂₀, the exact x̂₀ of a finite data set, sampler timing repeats.
// Not drawing: these are pure functions of views.h (the plot layer's own maths is tests/plot).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/metrics.h"
#include "core/rng.h"
#include "one_gaussian.h"
#include "views/views.h"

using namespace difflab;

TEST_CASE("score arrows: each arrow starts at its grid point and points along the exact score there") {
  // A non-square grid so that mixing up the x and y arrays (or reading them with the wrong stride, the
  // lesson 08 bug) puts arrows at points where the field has another value.
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s);
  const GridSpec grid{-3, 1, -1, 2.5, 7};
  const Field f = field_on_grid(exact, 10, grid);
  const float scale = arrow_scale(f, 0.3f);
  const std::vector<Arrow> arrows = score_arrows(f, scale);
  REQUIRE(arrows.size() == 49);
  float longest = 0;
  for (int r = 0; r < grid.n; ++r)
    for (int c = 0; c < grid.n; ++c) {
      const Arrow& a = arrows[r * grid.n + c];
      CHECK(a.x == doctest::Approx(grid.x_at(c)));
      CHECK(a.y == doctest::Approx(grid.y_at(r)));
      const auto q = exact.evaluate(a.x, a.y, 10);  // the score at the arrow's own start
      CHECK(a.u == doctest::Approx(scale * q.score[0]).epsilon(1e-4));
      CHECK(a.v == doctest::Approx(scale * q.score[1]).epsilon(1e-4));
      longest = std::max(longest, std::hypot(a.u, a.v));
    }
  CHECK(longest == doctest::Approx(0.3f));
  // For one Gaussian the score points at the mean of the diffused data: the arrow at the far corner
  // (−3, 2.5) points right and down.
  CHECK(arrows.front().u > 0);
  CHECK(arrows.front().v < 0);
}

TEST_CASE("the unclipped x0 is (xt - sqrt(1 - alpha_bar) eps)/sqrt(alpha_bar) = Tweedie's E(x0 | xt)") {
  // A far point (6, 6) and a near one; evaluate() computes E[x₀ | xₜ] in closed form, not from ε.
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s);
  const std::vector<float> xt = {6.0f, 6.0f, -0.2f, 0.4f};
  const std::vector<float> x0 = unclipped_x0(exact, xt, 60);
  for (int i = 0; i < 2; ++i) {
    const auto q = exact.evaluate(xt[2 * i], xt[2 * i + 1], 60);
    CHECK(x0[2 * i] == doctest::Approx(q.x0[0]).epsilon(1e-4));
    CHECK(x0[2 * i + 1] == doctest::Approx(q.x0[1]).epsilon(1e-4));
  }
}

TEST_CASE("timing repeats keep the samples and report the fastest run") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s);
  SamplerConfig ddim;
  ddim.kind = SamplerKind::Ddim;
  ddim.steps = 5;
  ddim.eta = 0.5;
  const auto once = compare_samplers(exact, {ddim}, standard_normal(200, 1), 2, {}, 1);
  const auto thrice = compare_samplers(exact, {ddim}, standard_normal(200, 1), 2, {}, 3);
  CHECK(once[0].samples == thrice[0].samples);  // η > 0: the noise restarts from the seed each repeat
  CHECK(std::isfinite(thrice[0].milliseconds));
  CHECK(thrice[0].milliseconds > 0);
}

TEST_CASE(
    "the exact x0 of a finite data set: the nearest point at small noise, the plain mean at large noise") {
  // Three "images" of 4 pixels. Near alpha_bar = 1 the posterior sits on the point xₜ came from; near 0 every
  // weight is equal and E[x₀ | xₜ] is the average (lesson 10's blurry average).
  const std::vector<float> data = {1, 1, -1, -1, -1, 1, 1, -1, 0.5f, 0.5f, 0.5f, 0.5f};
  const std::vector<float> second = {-1, 1, 1, -1};
  std::vector<float> xt(4);
  const double sharp = 0.999;
  for (int k = 0; k < 4; ++k) xt[k] = static_cast<float>(std::sqrt(sharp) * second[k] + 0.02);
  const std::vector<float> near = empirical_posterior_mean(data, 4, xt, sharp);
  for (int k = 0; k < 4; ++k) CHECK(near[k] == doctest::Approx(second[k]).epsilon(1e-3));
  const std::vector<float> far = empirical_posterior_mean(data, 4, {3.0f, -2.0f, 0.5f, 1.0f}, 1e-12);
  for (int k = 0; k < 4; ++k)
    CHECK(far[k] == doctest::Approx((data[k] + data[4 + k] + data[8 + k]) / 3).epsilon(1e-4));
  // In between, the closed form with two points: weight of point 1 = sigmoid((d₂² − d₁²)/(2(1−ᾱ))).
  const std::vector<float> two = {1, 0, -1, 0};
  const double ab = 0.5, x = 0.3;
  const double d1 = (x - std::sqrt(ab)) * (x - std::sqrt(ab)), d2 = (x + std::sqrt(ab)) * (x + std::sqrt(ab));
  const double w1 = 1 / (1 + std::exp(-(d2 - d1) / (2 * (1 - ab))));
  const std::vector<float> mid = empirical_posterior_mean(two, 2, {static_cast<float>(x), 0.0f}, ab);
  CHECK(mid[0] == doctest::Approx(w1 - (1 - w1)).epsilon(1e-5));
}

TEST_CASE("live quality points: every 50 steps up to 250, then every 250") {
  CHECK(next_quality_step(0, 50, 250, 250) == 50);
  CHECK(next_quality_step(50, 50, 250, 250) == 100);
  CHECK(next_quality_step(199, 50, 250, 250) == 200);
  CHECK(next_quality_step(240, 50, 250, 250) == 250);
  CHECK(next_quality_step(250, 50, 250, 250) == 500);
  CHECK(next_quality_step(730, 50, 250, 250) == 750);
  // A warm start at step 300 (the shipped early checkpoint) measures at 500 next.
  CHECK(next_quality_step(300, 50, 250, 250) == 500);
  CHECK(next_quality_step(0, 0, 0, 250) == 250);
}
