// test_views.cpp — the panels' computations against closed forms and the exact denoiser.
// Not drawing: these are the numbers the lecture panels plot.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "core/metrics.h"
#include "core/rng.h"
#include "data/idx.h"
#include "one_gaussian.h"
#include "views/views.h"

using namespace difflab;

TEST_CASE("a heat map cell is centred on its grid point: half a step beyond the first and last points") {
  // A map on ±6 with 97 points: step 0.125, cells from −6.0625 to 6.0625 (lesson 08's error map: ±8, 129).
  const GridSpec g{-6, 6, -4, 2, 97};
  CHECK(g.x_step() == doctest::Approx(0.125));
  CHECK(g.y_step() == doctest::Approx(0.0625));
  for (int i : {0, 1, 48, 96}) {
    // Cell i spans [x_min − step/2 + i·step, x_min + step/2 + i·step]: its centre is x_at(i).
    CHECK(g.x_min - g.x_step() / 2 + (i + 0.5) * g.x_step() == doctest::Approx(g.x_at(i)));
    CHECK(g.y_max + g.y_step() / 2 - (i + 0.5) * g.y_step() == doctest::Approx(g.y_at(i)));
  }
  CHECK(g.x_at(48) == doctest::Approx(0.0));  // the origin is a grid point
}

TEST_CASE("noised points follow x_t = sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) eps, and t = -1 is the data") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  const std::vector<float> x0 = {1, 2, -3, 0.5}, eps = {0.1f, -0.2f, 0.3f, 1.0f};
  CHECK(noised_points(s, -1, x0, eps) == x0);
  const auto xt = noised_points(s, 40, x0, eps);
  for (int k = 0; k < 4; ++k)
    CHECK(xt[k] ==
          doctest::Approx(std::sqrt(s.alpha_bar[40]) * x0[k] + std::sqrt(1 - s.alpha_bar[40]) * eps[k]));
}

TEST_CASE("the exact density grid integrates to one and matches the Gaussian closed form") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  GridSpec grid{-8, 8, -8, 8, 161};
  const auto log_p = log_density_grid(one_gaussian(0.5, -0.3), s, 30, grid);
  const double cell = (16.0 / 160) * (16.0 / 160);
  double mass = 0;
  for (float v : log_p) mass += std::exp(v) * cell;
  CHECK(mass == doctest::Approx(1.0).epsilon(1e-3));
  // Centre value: log 𝒩(√ᾱμ; √ᾱμ, C) = −log 2π − ½ log det C at the grid point nearest the mean.
  const double ab = s.alpha_bar[30];
  const double a = ab + 1 - ab, b = 0.6 * ab, c = 0.8 * ab + 1 - ab;
  const int row = 80, column = 80;  // (0, 0)
  const double dx = 0 - std::sqrt(ab) * 0.5, dy = 0 + std::sqrt(ab) * 0.3, det = a * c - b * b;
  const double quad = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
  CHECK(log_p[row * 161 + column] ==
        doctest::Approx(-std::log(2 * std::numbers::pi) - 0.5 * std::log(det) - 0.5 * quad).epsilon(1e-5));
}

TEST_CASE("the image strip starts at the image and ends uncorrelated with it") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  const std::vector<float> image = synthetic_image();
  REQUIRE(image.size() == 784);
  const auto strip = noising_strip(s, image, {-1, 0, 999}, 3);
  REQUIRE(strip.size() == 3 * 784);
  for (int k = 0; k < 784; ++k) CHECK(strip[k] == image[k]);
  auto correlation = [&](int which) {
    double sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
    for (int k = 0; k < 784; ++k) mx += image[k] / 784.0, my += strip[which * 784 + k] / 784.0;
    for (int k = 0; k < 784; ++k) {
      const double a = image[k] - mx, b = strip[which * 784 + k] - my;
      sxy += a * b, sxx += a * a, syy += b * b;
    }
    return sxy / std::sqrt(sxx * syy);
  };
  CHECK(correlation(1) > 0.99);
  CHECK(std::abs(correlation(2)) < 0.1);
}

TEST_CASE(
    "fields: score error between two Gaussians is the closed-form constant, and x0/score match Tweedie") {
  // Data N(m, Σ) noised to t has the score −Σₜ⁻¹(x − √ᾱ m) with Σₜ = ᾱΣ + (1 − ᾱ)I, so two means m, m' give
  // a score difference Σₜ⁻¹ √ᾱ (m' − m) that is the same at every point of the grid.
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s), shifted(one_gaussian(1.5, -0.3), s);
  const GridSpec grid{-2, 2, -2, 2, 9};
  const int t = 20;
  const Field a = field_on_grid(exact, t, grid), c = field_on_grid(shifted, t, grid);
  const double ab = s.alpha_bar[t];
  const double sa = ab * 1.0 + (1 - ab), sb = ab * 0.6,
               sc = ab * 0.8 + (1 - ab);                           // Σₜ = [[sa, sb], [sb, sc]]
  const double det = sa * sc - sb * sb, dm = std::sqrt(ab) * 1.0;  // √ᾱ (m' − m) = (dm, 0)
  const double expected = std::hypot(sc * dm / det, -sb * dm / det);
  const auto error = score_error(a, c);
  REQUIRE(error.size() == 81);
  for (float e : error) CHECK(e == doctest::Approx(expected).epsilon(1e-4));
  for (int i = 0; i < grid.n * grid.n; ++i) {
    const double x = a.grid.points()[2 * i], y = a.grid.points()[2 * i + 1];
    // Closed-form score of N(√ᾱ m, Σₜ) at (x, y), and Tweedie's x̂₀ = (x + (1 − ᾱ) score) / √ᾱ.
    const double dx = x - std::sqrt(ab) * 0.5, dy = y + std::sqrt(ab) * 0.3;
    const double score_x = -(sc * dx - sb * dy) / det, score_y = -(-sb * dx + sa * dy) / det;
    CHECK(a.score[2 * i] == doctest::Approx(score_x).epsilon(1e-4));
    CHECK(a.score[2 * i + 1] == doctest::Approx(score_y).epsilon(1e-4));
    CHECK(a.x0[2 * i] == doctest::Approx((x + (1 - ab) * score_x) / std::sqrt(ab)).epsilon(1e-4));
  }
}

TEST_CASE("for Gaussian data the ODE map is affine, so the warped grid's lines stay straight") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 200, 1e-3, 0.1});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s);
  const GridSpec bounds{-2, 2, -2, 2, 5};
  const int per_line = 9;
  const auto trajectory = warp_grid_by_ode(exact, SamplerKind::OdeHeun, 50, bounds, per_line);
  REQUIRE(trajectory.size() == 51);
  const std::vector<float>& end = trajectory.back();
  for (int line = 0; line < 2 * bounds.n; ++line) {
    // Distance of every point from the segment between the line's first and last points.
    const float* p = &end[2 * line * per_line];
    const double ax = p[0], ay = p[1], bx = p[2 * (per_line - 1)], by = p[2 * (per_line - 1) + 1];
    const double length = std::hypot(bx - ax, by - ay);
    REQUIRE(length > 0.1);
    for (int k = 1; k < per_line - 1; ++k) {
      const double cross = (bx - ax) * (p[2 * k + 1] - ay) - (by - ay) * (p[2 * k] - ax);
      CHECK(std::abs(cross) / length < 1e-3);
    }
  }
}

TEST_CASE("samplers compared from the same x_T report their network evaluations and sample quality") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s);
  SamplerConfig ddpm, ddim, heun;
  ddim.kind = SamplerKind::Ddim;
  ddim.steps = 10;
  heun.kind = SamplerKind::OdeHeun;
  heun.steps = 10;
  std::vector<float> reference;
  one_gaussian(0.5, -0.3).sample(2000, 4, &reference, nullptr);
  const auto runs = compare_samplers(exact, {ddpm, ddim, heun}, standard_normal(4000, 1), 2, reference);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].network_evaluations == 100);
  CHECK(runs[1].network_evaluations == 10);
  CHECK(runs[2].network_evaluations == 19);
  for (const auto& r : runs) CHECK(r.trajectory.front() == standard_normal(4000, 1));
  std::vector<float> other;
  one_gaussian(0.5, -0.3).sample(2000, 5, &other, nullptr);
  const double floor = sliced_wasserstein2(other, reference);
  CAPTURE(floor);
  CHECK(runs[0].swd < 2 * floor);    // ancestral sampling with the exact denoiser samples the data
  CHECK(runs[2].swd < runs[1].swd);  // at 10 steps Heun's ODE solution is closer than DDIM's (Euler)
}

TEST_CASE("the bound of the exact denoiser is below that of a wrong one, on the same draws") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 50, 1e-3, 0.3});
  ExactDenoiser exact(one_gaussian(0.5, -0.3), s), wrong(one_gaussian(0.9, -0.3), s);
  std::vector<float> x0;
  one_gaussian(0.5, -0.3).sample(2000, 9, &x0, nullptr);
  const BoundComparison b = compare_bounds(wrong, exact, VarianceKind::FixedSmall, x0, 5);
  CHECK(b.exact.total < b.model.total);
  // L_T = KL(𝒩(√ᾱ_T x₀, (1 − ᾱ_T) I) ‖ 𝒩(0, I)) = ½ Σ_d [(1 − ᾱ_T) + ᾱ_T x₀_d² − 1 − log(1 − ᾱ_T)], averaged
  // over the data; it does not depend on the model.
  const double ab = s.alpha_bar.back();
  double prior = 0;
  for (float v : x0) prior += 0.5 * ((1 - ab) + ab * v * v - 1 - std::log(1 - ab));
  prior /= x0.size() / 2;
  CHECK(b.exact.prior == doctest::Approx(prior).epsilon(1e-6));
  CHECK(b.model.prior == doctest::Approx(prior).epsilon(1e-6));
  // λₜ = βₜ² / (2 β̃ₜ αₜ (1 − ᾱₜ)) for t ≥ 1 (Ho et al. eq. 5 with σₜ² = β̃ₜ, ε-parameterised).
  for (int t = 1; t < s.T(); ++t) {
    const double posterior = s.beta[t] * (1 - s.alpha_bar[t - 1]) / (1 - s.alpha_bar[t]);
    CHECK(b.weights[t] ==
          doctest::Approx(s.beta[t] * s.beta[t] / (2 * posterior * s.alpha[t] * (1 - s.alpha_bar[t]))));
  }
}

TEST_CASE("EDM noise levels are sqrt((1 - alpha_bar)/alpha_bar), increasing in t") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Cosine, 100, 0, 0});
  const auto sigma = edm_sigmas(s);
  for (int t = 0; t < 100; ++t) CHECK(sigma[t] == doctest::Approx(std::sqrt(1 / s.alpha_bar[t] - 1)));
  for (int t = 1; t < 100; ++t) CHECK(sigma[t] > sigma[t - 1]);
}

namespace {
double pixel_correlation(const float* a, const float* b, int n) {
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  for (int k = 0; k < n; ++k) ma += a[k] / double(n), mb += b[k] / double(n);
  for (int k = 0; k < n; ++k)
    sab += (a[k] - ma) * (b[k] - mb), saa += (a[k] - ma) * (a[k] - ma), sbb += (b[k] - mb) * (b[k] - mb);
  return sab / std::sqrt(saa * sbb);
}
}  // namespace

TEST_CASE(
    "the image strip's source is the most contrasted image, and its noised tile keeps the closed-form "
    "correlation") {
  // Three 4-pixel images with variances 0, 1 and 0.25: the second wins; past `candidates` nothing counts.
  const std::vector<float> pixels = {0.5f,  0.5f, 0.5f,  0.5f, -1, 1, -1, 1,
                                     -0.5f, 0.5f, -0.5f, 0.5f, -2, 2, -2, 2};
  CHECK(highest_variance_image(pixels, 4, 3) == 1);
  CHECK(highest_variance_image(pixels, 4, 1) == 0);
  CHECK(highest_variance_image(pixels, 4, 4) == 3);
  // Lesson 02's strip: x₀ and xₜ = √ᾱ x₀ + √(1−ᾱ) ε correlate √(ᾱ v) / √(ᾱ v + 1 − ᾱ) (v: x₀'s pixel
  // variance). The first Fashion-MNIST test image (v = 0.29) gave 0.49 at t = 249 and no visible outline
  // (walkthrough of issue 10); the chosen one must keep at least 0.6 there.
  ImageDataset test;
  try {
    test = load_image_dataset("fashion-mnist", false);
  } catch (const std::exception&) {
    MESSAGE("Fashion-MNIST is not installed: only the synthetic part runs");
    return;
  }
  const int chosen = highest_variance_image(test.pixels, 784, 16);
  const std::vector<float> image(test.image(chosen), test.image(chosen) + 784);
  double mean = 0, var = 0;
  for (float v : image) mean += v / 784.0;
  for (float v : image) var += (v - mean) * (v - mean) / 784.0;
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  const double ab = s.alpha_bar[249], expected = std::sqrt(ab * var / (ab * var + 1 - ab));
  CHECK(expected >= 0.6);
  const auto strip = noising_strip(s, image, {-1, 249}, 3);
  CHECK(pixel_correlation(image.data(), strip.data() + 784, 784) == doctest::Approx(expected).epsilon(0.08));
}

TEST_CASE("a sum of terms carries the sign in its operator (lesson 06's caption read \"+ -4.001\")") {
  CHECK(signed_sum({0.0, 9.076, -4.001}, 3) == "0.000 + 9.076 − 4.001");
  CHECK(signed_sum({-1.5, 2.25}, 2) == "−1.50 + 2.25");
  CHECK(signed_sum({4.08686e-05, 5.7909, -4.0747}, 3) == "0.000 + 5.791 − 4.075");
  CHECK(signed_sum({-0.0001, 1.0}, 3) == "0.000 + 1.000");  // no "−0.000"
  CHECK(signed_sum({}, 3).empty());
}
