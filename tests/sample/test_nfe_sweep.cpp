// test_nfe_sweep.cpp — the NFE sweep: steps per budget, the same x_T for every sampler, the converged
// reference. Not the samplers' accuracy (test_fast_samplers.cpp).
#include <doctest/doctest.h>

#include <cmath>

#include "core/gaussian_mixture.h"
#include "sample/nfe_sweep.h"

using namespace difflab;

TEST_CASE("steps_for_nfe spends at most the budget: Heun 2N − 1, Langevin N(c + 1), timesteps at most T") {
  SamplerConfig c;
  c.kind = SamplerKind::Ddim;
  CHECK(steps_for_nfe(c, 10, 100) == 10);
  CHECK(steps_for_nfe(c, 1000, 100) == 0);  // DDIM cannot take more steps than T
  c.kind = SamplerKind::EdmHeun;
  CHECK(steps_for_nfe(c, 10, 100) == 5);      // 9 evaluations
  CHECK(steps_for_nfe(c, 35, 100) == 18);     // EDM's 35 NFE
  CHECK(steps_for_nfe(c, 1000, 100) == 500);  // σ-steps are not bounded by T
  c.kind = SamplerKind::Langevin;
  c.corrector_steps = 1;
  CHECK(steps_for_nfe(c, 10, 100) == 5);
  CHECK(steps_for_nfe(c, 1, 100) == 0);
}

TEST_CASE(
    "the sweep runs every sampler from the same x_T and scores endpoints against the converged solution") {
  GaussianMixture2D g;
  g.weights = {0.5, 0.5};
  g.means = {{-1.0, 0.0}, {1.0, 0.5}};
  g.covariances = {{0.1, 0.0, 0.1}, {0.2, 0.05, 0.1}};
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
  ExactDenoiser oracle(g, s);
  NfeSweepOptions options;
  options.nfe = {1, 10, 100, 400};
  for (SamplerKind k :
       {SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::EdmHeun, SamplerKind::DpmSolverPP}) {
    SamplerConfig c;
    c.kind = k;
    c.spacing = Spacing::Trailing;
    options.samplers.push_back(c);
  }
  options.endpoint_error = true;
  options.reference_steps = 1000;
  std::vector<float> held_out;
  g.sample(300, 3, &held_out, nullptr);
  const auto points = sweep_nfe(oracle, options, standard_normal(2 * 300, 4), held_out);
  // ddpm and ddim: 1, 10, 100 (400 > T); edm-heun: 1 (N = 1), 10 (9), 100 (99), 400 (399); dpm-solver++: all
  // four.
  REQUIRE(points.size() == 3 + 3 + 4 + 4);
  for (const NfeSweepPoint& p : points) {
    CAPTURE(p.sampler);
    CAPTURE(p.nfe_target);
    CHECK(p.nfe <= p.nfe_target);
    CHECK(std::isfinite(p.swd));
    CHECK(std::isnan(p.endpoint_rms) == (p.sampler == "ddpm"));  // a stochastic sample has no ODE twin
  }
  // One evaluation is x̂₀ at σ_max for every deterministic sampler alike: the same endpoints.
  CHECK(points[3].endpoint_rms == doctest::Approx(points[6].endpoint_rms).epsilon(1e-5));
  CHECK(points[6].endpoint_rms == doctest::Approx(points[10].endpoint_rms).epsilon(1e-5));
  // Convergence towards the reference with the budget.
  CHECK(points[13].endpoint_rms < 1e-3);                       // dpm-solver++ at 400
  CHECK(points[9].endpoint_rms < 1e-3);                        // edm-heun at 400
  CHECK(points[5].endpoint_rms < points[4].endpoint_rms / 4);  // ddim 100 against 10
}

TEST_CASE("the sweep refuses a schedule whose ᾱ_T underflows (T = 1000 with the 2-D β range 1e-3 … 0.2)") {
  // Σβ = 1000 · (1e-3 + 0.2)/2 ≈ 100.5, so ᾱ_T ≈ e^−100.5 · (second-order terms) ≈ 1e-47 and σ_max ≈ 3e23:
  // the reference used to start there unconverged and every endpoint error read ≈ 135.
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.0, 0.0}};
  g.covariances = {{0.1, 0.0, 0.1}};
  const NoiseSchedule bad = make_schedule({ScheduleKind::Linear, 1000, 1e-3, 0.2});
  CHECK(bad.alpha_bar[999] < 1e-40);
  CHECK(sigma_max_problem(bad).find("σ_max") != std::string::npos);
  CHECK(sigma_max_problem(bad).find("--beta-end 0.02") != std::string::npos);
  ExactDenoiser oracle(g, bad);
  NfeSweepOptions options;
  options.nfe = {10};
  options.samplers.push_back(SamplerConfig{});
  options.endpoint_error = true;
  CHECK_THROWS_WITH_AS(sweep_nfe(oracle, options, standard_normal(20, 1), {}),
                       doctest::Contains("ᾱ at t = T − 1"), std::invalid_argument);
  // The schedules the project ships keep σ-steps usable: 2-D default, image default, cosine at T = 1000
  // (ᾱ_T ≈ 2.4e-9, σ_max ≈ 2e4).
  for (const ScheduleConfig& fine : {ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2},
                                     ScheduleConfig{ScheduleKind::Linear, 1000, 1e-4, 0.02},
                                     ScheduleConfig{ScheduleKind::Cosine, 1000, 1e-4, 0.02}})
    CHECK(sigma_max_problem(make_schedule(fine)).empty());
}

TEST_CASE("the sweep reports how far its reference moves when its steps are halved (converged: ≪ 1e-3)") {
  GaussianMixture2D g;
  g.weights = {0.5, 0.5};
  g.means = {{-1.0, 0.0}, {1.0, 0.5}};
  g.covariances = {{0.1, 0.0, 0.1}, {0.2, 0.05, 0.1}};
  ExactDenoiser oracle(g, make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2}));
  NfeSweepOptions options;
  options.nfe = {10};
  options.samplers.push_back(SamplerConfig{});
  options.endpoint_error = true;
  const std::vector<float> x_T = standard_normal(2 * 200, 4);
  double change = 0;
  options.reference_steps = 1000;
  sweep_nfe(oracle, options, x_T, {}, &change);
  CHECK(change < 1e-4);
  options.reference_steps = 10;  // Heun on 10 σ-steps against 5: far from converged
  sweep_nfe(oracle, options, x_T, {}, &change);
  CHECK(change > 1e-2);
}
