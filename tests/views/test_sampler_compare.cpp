// test_sampler_compare.cpp — one x_T for every sampler, the NFE each spends, convergence (exact denoiser).
// Not the samplers' own accuracy tests (tests/sample/) and not the panel's drawing.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/gaussian_mixture.h"
#include "sample/nfe_sweep.h"
#include "sample/sampler_table.h"
#include "views/sampler_compare.h"

using namespace difflab;

namespace {

// Two well separated modes: the ODE's map from x_T to x₀ bends (a single Gaussian's would be linear).
GaussianMixture2D two_modes() {
  GaussianMixture2D g;
  g.weights = {0.5, 0.5};
  g.means = {{-1.5, 0.5}, {1.5, -0.5}};
  g.covariances = {{0.1, 0.0, 0.1}, {0.1, 0.0, 0.1}};
  return g;
}

// The panel's 2-D schedule (the shipped checkpoints' one): linear, T = 100, β 1e-3 … 0.2.
NoiseSchedule panel_schedule_2d() {
  return make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
}

// Every sampler of the table, the ones on the schedule's steps with trailing spacing (start at t = T − 1).
std::vector<SamplerConfig> every_sampler() {
  std::vector<SamplerConfig> configs;
  for (const SamplerInfo& info : sampler_table()) {
    SamplerConfig c;
    c.kind = info.kind;
    c.spacing = Spacing::Trailing;
    configs.push_back(c);
  }
  return configs;
}

// What a sampler spends for N steps, from the papers: Heun 2N − 1 (Karras et al. 2022, Alg. 1: the last
// step to σ = 0 is Euler), predictor–corrector N·(correctors + 1), every other sampler one per step.
int expected_nfe(const SamplerConfig& c, int steps) {
  if (c.kind == SamplerKind::OdeHeun || c.kind == SamplerKind::EdmHeun ||
      c.kind == SamplerKind::EdmStochastic)
    return 2 * steps - 1;
  if (c.kind == SamplerKind::Langevin) return steps * (c.corrector_steps + 1);
  return steps;
}

}  // namespace

TEST_CASE("every sampler's first evaluation sees the same x_T at the same noise level") {
  const NoiseSchedule s = panel_schedule_2d();
  ExactDenoiser exact(two_modes(), s);
  SamplerCompareOptions options;
  options.samplers = every_sampler();
  options.nfe = 20;
  const std::vector<float> x_T = standard_normal(2 * 64, 11);
  const SamplerComparison c = compare_at_budget(exact, options, x_T, {});
  REQUIRE(c.runs.size() == sampler_table().size());
  for (const SamplerCompareRun& run : c.runs) {
    CAPTURE(run.name);
    REQUIRE(run.steps > 0);
    REQUIRE(run.first_input.size() == x_T.size());
    double largest = 0;
    for (size_t k = 0; k < x_T.size(); ++k)
      largest = std::max(largest, std::abs(double(run.first_input[k]) - x_T[k]));
    CHECK(largest < 1e-6);  // σ-step samplers go through x̃ = x/√ᾱ and back: float rounding at most
    // ᾱ at t = T − 1 of the schedule (σ_max = σ(T − 1) for the σ-steps).
    CHECK(run.first_alpha_bar == doctest::Approx(s.alpha_bar[s.T() - 1]).epsilon(1e-9));
    REQUIRE(run.sigmas.size() == static_cast<size_t>(run.steps) + 1);
    CHECK(run.sigmas.front() ==
          doctest::Approx(std::sqrt((1 - s.alpha_bar[s.T() - 1]) / s.alpha_bar[s.T() - 1])));
    CHECK(run.sigmas.back() == 0);
  }
}

TEST_CASE("σ-step samplers walk Karras et al.'s eq. 5 with ρ = 7 between the schedule's σ(0) and σ(T − 1)") {
  const NoiseSchedule s = panel_schedule_2d();
  ExactDenoiser exact(two_modes(), s);
  SamplerCompareOptions options;
  SamplerConfig edm;
  edm.kind = SamplerKind::EdmEuler;
  options.samplers = {edm};
  options.nfe = 8;
  const SamplerComparison c = compare_at_budget(exact, options, standard_normal(2 * 4, 1), {});
  const auto sigma = [&](int t) { return std::sqrt((1 - s.alpha_bar[t]) / s.alpha_bar[t]); };
  const double lo = std::pow(sigma(0), 1 / 7.0), hi = std::pow(sigma(s.T() - 1), 1 / 7.0);
  REQUIRE(c.runs[0].sigmas.size() == 9);
  for (int i = 0; i < 8; ++i)
    CHECK(c.runs[0].sigmas[i] == doctest::Approx(std::pow(hi + i / 7.0 * (lo - hi), 7)));
  CHECK(c.runs[0].sigmas[8] == 0);
}

TEST_CASE("each sampler spends the evaluations its rule gives for the budget, and never more") {
  const NoiseSchedule s = panel_schedule_2d();
  ExactDenoiser exact(two_modes(), s);
  const std::vector<float> x_T = standard_normal(2 * 16, 4);
  for (int budget : {1, 2, 3, 7, 10, 35, 150}) {
    SamplerCompareOptions options;
    options.samplers = every_sampler();
    options.nfe = budget;
    const SamplerComparison c = compare_at_budget(exact, options, x_T, {});
    for (const SamplerCompareRun& run : c.runs) {
      CAPTURE(run.name);
      CAPTURE(budget);
      const int rule = steps_for_nfe(run.config, budget, s.T());
      if (rule > 0) CHECK(run.steps == rule);  // within T: exactly the sweep's rule
      if (run.steps == 0) {
        CHECK(rule == 0);
        continue;
      }
      CHECK(run.nfe == expected_nfe(run.config, run.steps));
      CHECK(run.model_calls == run.nfe);  // counted at the denoiser, outside the sampler
      CHECK(run.nfe <= budget);
    }
  }
  // Over T = 100: the schedule's samplers take all T steps and spend less than the budget.
  SamplerConfig ddim, heun, edm;
  ddim.kind = SamplerKind::Ddim;
  heun.kind = SamplerKind::OdeHeun;
  edm.kind = SamplerKind::EdmHeun;
  CHECK(steps_within_budget(ddim, 500, 100) == 100);
  CHECK(steps_within_budget(heun, 500, 100) == 100);
  CHECK(steps_within_budget(edm, 500, 100) == 250);
  CHECK(steps_within_budget(edm, 1, 100) == 1);  // one Euler step to σ = 0
  CHECK(steps_within_budget(ddim, 0, 100) == 0);
}

TEST_CASE("with the exact denoiser every deterministic sampler converges to the same endpoints") {
  const NoiseSchedule s = panel_schedule_2d();
  ExactDenoiser exact(two_modes(), s);
  const std::vector<float> x_T = standard_normal(2 * 200, 21);
  SamplerCompareOptions options;
  options.samplers = every_sampler();
  options.endpoint_error = true;
  options.reference_steps = 1000;
  // Endpoint RMS at 400 NFE, measured on this mixture (n = 200, seed 21): ddim and ode-euler 0.0169 (capped
  // at T = 100 steps), edm-euler 0.0055, ode-heun 7.2e-4, edm-heun 2.7e-4, dpm-solver++ 1.4e-4, unipc
  // 1.2e-5; at 10 NFE 0.17 … 2.2. The bounds are about twice the measurement: first order, then higher.
  struct Bound {
    const char* name;
    double at_400;
  };
  const Bound bounds[] = {{"ddim", 0.035},      {"ode-euler", 0.035}, {"edm-euler", 0.011},
                          {"ode-heun", 1.5e-3}, {"edm-heun", 6e-4},   {"dpm-solver++", 3e-4},
                          {"unipc", 3e-5}};
  std::vector<double> coarse, fine;
  std::vector<std::string> names;
  for (int budget : {10, 400}) {
    options.nfe = budget;
    const SamplerComparison c = compare_at_budget(exact, options, x_T, {});
    REQUIRE(c.converged.size() == x_T.size());
    for (const SamplerCompareRun& run : c.runs) {
      CAPTURE(run.name);
      CAPTURE(budget);
      if (sampler_info(run.config.kind).stochastic) {
        CHECK(std::isnan(run.endpoint_rms));  // a stochastic sample has no ODE twin
        continue;
      }
      REQUIRE(std::isfinite(run.endpoint_rms));
      (budget == 10 ? coarse : fine).push_back(run.endpoint_rms);
      if (budget == 10) names.push_back(run.name);
    }
  }
  REQUIRE(fine.size() == std::size(bounds));  // the seven deterministic samplers of the table
  REQUIRE(coarse.size() == fine.size());
  for (size_t k = 0; k < fine.size(); ++k) {
    CAPTURE(names[k]);
    CHECK(fine[k] < coarse[k]);
    for (const Bound& b : bounds)
      if (names[k] == b.name) CHECK(fine[k] < b.at_400);
  }
}
