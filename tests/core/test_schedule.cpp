// test_schedule.cpp — schedule quantities against closed forms written here, independently of schedule.cpp.
// Not a test of samplers.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/diffusion.h"
#include "core/schedule.h"

using namespace difflab;

TEST_CASE("linear schedule: alpha_bar matches the product of (1 - beta) and DDPM's published end value") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  long double product = 1;
  for (int t = 0; t < 1000; ++t) {
    const long double beta = 1e-4L + (0.02L - 1e-4L) * t / 999.0L;
    CHECK(s.beta[t] == doctest::Approx(static_cast<double>(beta)).epsilon(1e-12));
    product *= 1 - beta;
    CHECK(s.alpha_bar[t] == doctest::Approx(static_cast<double>(product)).epsilon(1e-10));
  }
  // numpy: cumprod(1 - linspace(1e-4, 0.02, 1000)) → [499] 0.07858724288177824, [-1] 4.035829765375676e-05
  CHECK(s.alpha_bar[499] == doctest::Approx(0.07858724288177824).epsilon(1e-10));
  CHECK(s.alpha_bar[999] == doctest::Approx(4.035829765375676e-05).epsilon(1e-8));
}

TEST_CASE(
    "cosine schedule: alpha_bar equals f((t+1)/T)/f(0) while no beta is capped (Nichol & Dhariwal 2021)") {
  const int T = 1000;
  const NoiseSchedule s = make_schedule({ScheduleKind::Cosine, T, 0, 0});
  auto f = [](double u) { return std::pow(std::cos((u + 0.008) / 1.008 * std::numbers::pi / 2), 2); };
  for (int t : {0, 1, 10, 250, 499, 900})
    CHECK(s.alpha_bar[t] == doctest::Approx(f((t + 1.0) / T) / f(0)).epsilon(1e-9));
  CHECK(s.beta[0] == doctest::Approx(4.128422482196914e-05).epsilon(1e-9));  // numpy value
  CHECK(s.beta[T - 1] == doctest::Approx(0.999));                            // the cap
  CHECK(s.alpha_bar[499] == doctest::Approx(0.4938435904406382).epsilon(1e-9));
}

TEST_CASE("quadratic schedule is linspace of square roots, squared") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Quadratic, 10, 1e-4, 0.02});
  for (int t = 0; t < 10; ++t) {
    const double r = std::sqrt(1e-4) + (std::sqrt(0.02) - std::sqrt(1e-4)) * t / 9.0;
    CHECK(s.beta[t] == doctest::Approx(r * r).epsilon(1e-12));
  }
}

TEST_CASE("sigmoid schedule: alpha_bar runs from 1 towards 0 monotonically and betas stay in 0 … 0.999") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Sigmoid, 200, 0, 0});
  CHECK(sigmoid_alpha_bar(0) == doctest::Approx(1.0));
  CHECK(sigmoid_alpha_bar(1) == doctest::Approx(1e-9).epsilon(1e-3));
  for (int t = 1; t < 200; ++t) CHECK(s.alpha_bar[t] < s.alpha_bar[t - 1]);
  for (double b : s.beta) CHECK((b > 0 && b <= 0.999));
}

TEST_CASE("posterior quantities follow Ho et al. eq. 7 with the index conventions of MATH.md") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 50, 1e-4, 0.02});
  CHECK(s.alpha_bar_prev[0] == 1.0);
  CHECK(s.posterior_variance[0] == 0.0);
  CHECK(s.posterior_log_variance_clipped[0] == doctest::Approx(std::log(s.posterior_variance[1])));
  for (int t = 1; t < 50; ++t) {
    const double ab = s.alpha_bar[t], abp = s.alpha_bar[t - 1], b = s.beta[t];
    CHECK(s.alpha_bar_prev[t] == doctest::Approx(abp));
    CHECK(s.posterior_variance[t] == doctest::Approx(b * (1 - abp) / (1 - ab)));
    CHECK(s.posterior_mean_coef1[t] == doctest::Approx(b * std::sqrt(abp) / (1 - ab)));
    CHECK(s.posterior_mean_coef2[t] == doctest::Approx((1 - abp) * std::sqrt(1 - b) / (1 - ab)));
    CHECK(s.snr[t] == doctest::Approx(ab / (1 - ab)));
    CHECK(s.vlb_weight[t] == doctest::Approx(b * b / (2 * s.posterior_variance[t] * (1 - b) * (1 - ab))));
  }
  // The posterior mean of the true x₀ is a convex-like combination that maps xₜ = √ᾱ x₀ (no noise) to
  // √ᾱₜ₋₁ x₀: coef1 + coef2·√αₜ·√ᾱₜ₋₁/√ᾱₜ… checked directly: μ̃(x₀, √ᾱₜ x₀) = √ᾱₜ₋₁ x₀.
  for (int t = 1; t < 50; ++t)
    CHECK(posterior_mean(s, t, 1.0, s.sqrt_alpha_bar[t]) == doctest::Approx(std::sqrt(s.alpha_bar[t - 1])));
}

TEST_CASE("eps, x0 and v conversions invert each other (Salimans & Ho 2022)") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Cosine, 100, 0, 0});
  for (int t : {0, 37, 99}) {
    const double x0 = 0.7, eps = -1.3;
    const double xt = s.sqrt_alpha_bar[t] * x0 + s.sqrt_one_minus_alpha_bar[t] * eps;
    CHECK(x0_from_eps(s, t, xt, eps) == doctest::Approx(x0));
    CHECK(eps_from_x0(s, t, xt, x0) == doctest::Approx(eps));
    const double v = v_from(s, t, x0, eps);
    CHECK(x0_from_v(s, t, xt, v) == doctest::Approx(x0));
    CHECK(eps_from_v(s, t, xt, v) == doctest::Approx(eps));
  }
}

TEST_CASE("bad schedule parameters are rejected with a message") {
  CHECK_THROWS_WITH_AS(make_schedule({ScheduleKind::Linear, 1, 1e-4, 0.02}), doctest::Contains("T must be"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_schedule({ScheduleKind::Linear, 4001, 1e-4, 0.02}), doctest::Contains("4000"),
                       std::invalid_argument);
  CHECK_THROWS_AS(make_schedule({ScheduleKind::Linear, 10, 0.5, 0.1}), std::invalid_argument);
  ScheduleKind k;
  CHECK(parse_schedule_kind("squaredcos_cap_v2", &k));
  CHECK(k == ScheduleKind::Cosine);
  CHECK_FALSE(parse_schedule_kind("exponential", &k));
}
