// test_fast_samplers.cpp — EDM, DPM-Solver++(2M), UniPC and the reverse SDE against closed forms (Karras eq.
// 5, the affine probability-flow map of a Gaussian) and against the converged ODE solution of a Gaussian
// mixture. Not the older samplers' identities (test_samplers.cpp); every reference here comes from outside
// the code tested.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/gaussian_mixture.h"
#include "data/toy2d.h"
#include "gaussian_moments.h"
#include "sample/sampler_table.h"

using namespace difflab;

namespace {

const NoiseSchedule& ddpm_schedule() {
  static const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  return s;
}

GaussianMixture2D one_gaussian() {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{0.5, -0.3}};
  g.covariances = {{1.0, 0.6, 0.8}};
  return g;
}

GaussianMixture2D three_modes() {
  GaussianMixture2D g;
  g.weights = {0.3, 0.4, 0.3};
  g.means = {{-1.5, 0.0}, {1.0, 1.0}, {0.5, -1.2}};
  g.covariances = {{0.1, 0.0, 0.1}, {0.1, 0.03, 0.1}, {0.05, 0.0, 0.1}};
  return g;
}

SamplerConfig config(SamplerKind kind, int steps, SigmaSpacing sigmas = SigmaSpacing::Karras) {
  SamplerConfig c;
  c.kind = kind;
  c.steps = steps;
  c.sigmas = sigmas;
  c.spacing = Spacing::Trailing;  // DDIM and sde-euler start at t = T − 1, where σ-steps start (σ_max)
  c.record_trajectory = false;
  return c;
}

std::vector<float> run(Denoiser& d, const SamplerConfig& c, const std::vector<float>& x_T,
                       uint64_t seed = 1) {
  Sampler s(d, c);
  s.begin(x_T, seed);
  s.run();
  return s.x();
}

// Root mean square over points of the endpoint distance.
double rms_distance(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
  return std::sqrt(sum / (a.size() / 2));
}

// The exact probability-flow map of N(μ, Σ) from ᾱ_T: x₀ = μ + Σ^{1/2} C^{−1/2} (x_T − √ᾱ_T μ), C = ᾱ_T Σ +
// (1 − ᾱ_T) I.
std::vector<float> exact_flow(const std::vector<float>& x_T, double alpha_bar_T) {
  Eigen::Matrix2d covariance;
  covariance << 1.0, 0.6, 0.6, 0.8;
  const Eigen::Vector2d mean(0.5, -0.3);
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(covariance);
  Eigen::Vector2d scale;
  for (int i = 0; i < 2; ++i)
    scale[i] = std::sqrt(eig.eigenvalues()[i] / (alpha_bar_T * eig.eigenvalues()[i] + 1 - alpha_bar_T));
  const Eigen::Matrix2d map = eig.eigenvectors() * scale.asDiagonal() * eig.eigenvectors().transpose();
  std::vector<float> x0(x_T.size());
  for (size_t i = 0; i < x_T.size() / 2; ++i) {
    const Eigen::Vector2d x =
        mean + map * (Eigen::Vector2d(x_T[2 * i], x_T[2 * i + 1]) - std::sqrt(alpha_bar_T) * mean);
    x0[2 * i] = static_cast<float>(x[0]);
    x0[2 * i + 1] = static_cast<float>(x[1]);
  }
  return x0;
}

}  // namespace

TEST_CASE("EDM σ-steps are Karras et al.'s eq. 5 (values from the closed form, σ_min = 0.002, σ_max = 80)") {
  const std::vector<double> sigmas = karras_sigmas(18, 0.002, 80, 7);
  // (80^{1/7} + i/17 (0.002^{1/7} − 80^{1/7}))^7, evaluated independently in Python.
  const double expected[] = {
      80,           57.58598472,  40.7855738,    28.3745846,    19.35245298,    12.91008238,
      8.400935309,  5.315194522,  3.25682152,    1.923339837,   1.088170637,    0.5853481232,
      0.2964422845, 0.1395164687, 0.05994731124, 0.02293451837, 0.007528019963, 0.002};
  REQUIRE(sigmas.size() == 19);
  for (int i = 0; i < 18; ++i) CHECK(sigmas[i] == doctest::Approx(expected[i]).epsilon(1e-9));
  CHECK(sigmas[18] == 0);
  CHECK(karras_sigmas(1, 0.002, 80, 7) == std::vector<double>{80, 0});
  // ρ → ∞ is uniform log σ: a constant ratio between neighbours.
  const std::vector<double> log_uniform = log_snr_sigmas(5, 0.01, 100);
  for (int i = 0; i < 4; ++i) CHECK(log_uniform[i + 1] / log_uniform[i] == doctest::Approx(0.1));
  CHECK_THROWS_AS(karras_sigmas(10, 0, 80, 7), std::invalid_argument);
  CHECK_THROWS_AS(karras_sigmas(10, 1, 0.5, 7), std::invalid_argument);
  CHECK_THROWS_AS(karras_sigmas(0, 0.002, 80, 7), std::invalid_argument);
}

TEST_CASE("a VP schedule's σ-steps run from σ(T−1) to σ(0) and map back to code indices through log σ") {
  const NoiseSchedule& s = ddpm_schedule();
  // σ = √((1 − ᾱ)/ᾱ) (Karras et al., Table 1); ᾱ₀ = 1 − β₁ = 0.9999.
  CHECK(sigma_at(s, 0) == doctest::Approx(std::sqrt(1e-4 / 0.9999)).epsilon(1e-12));
  SamplerConfig c = config(SamplerKind::EdmHeun, 18);
  ExactDenoiser oracle(one_gaussian(), s);
  Sampler sampler(oracle, c);
  const auto& levels = sampler.noise_levels();
  CHECK(levels.front().sigma == doctest::Approx(sigma_at(s, 999)).epsilon(1e-12));
  CHECK(levels.front().alpha_bar == doctest::Approx(s.alpha_bar[999]).epsilon(1e-9));
  CHECK(levels[17].sigma == doctest::Approx(sigma_at(s, 0)).epsilon(1e-12));
  CHECK(sampler.timesteps().front() == 999);
  CHECK(sampler.timesteps().back() == 0);
  for (int t : {0, 1, 250, 998, 999})
    CHECK(level_at_sigma(s, sigma_at(s, t)).t_continuous == doctest::Approx(t));
  // Halfway between two steps in log σ is t + ½.
  const double halfway = std::sqrt(sigma_at(s, 500) * sigma_at(s, 501));
  CHECK(level_at_sigma(s, halfway).t_continuous == doctest::Approx(500.5).epsilon(1e-9));
  CHECK(level_at_sigma(s, halfway).alpha_bar == doctest::Approx(1 / (1 + halfway * halfway)));
}

TEST_CASE("for a Gaussian every ODE sampler converges to the closed-form flow map, at its order") {
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(one_gaussian(), s);
  const std::vector<float> x_T = standard_normal(2 * 64, 11);
  const std::vector<float> exact = exact_flow(x_T, s.alpha_bar[999]);
  struct Case {
    SamplerKind kind;
    double order_ratio_lo, order_ratio_hi;  // error(N)/error(2N): ≈ 2 for first order, ≈ 4 second, ≈ 8 third
  };
  for (const Case& c : {Case{SamplerKind::EdmEuler, 1.8, 2.3}, Case{SamplerKind::EdmHeun, 3.5, 5.0},
                        Case{SamplerKind::DpmSolverPP, 3.5, 5.0}, Case{SamplerKind::UniPC, 6.0, 11.0}}) {
    CAPTURE(sampler_kind_name(c.kind));
    const double e40 = rms_distance(run(oracle, config(c.kind, 40), x_T), exact);
    const double e80 = rms_distance(run(oracle, config(c.kind, 80), x_T), exact);
    CAPTURE(e40);
    CAPTURE(e80);
    CHECK(e40 / e80 > c.order_ratio_lo);
    CHECK(e40 / e80 < c.order_ratio_hi);
    CHECK(rms_distance(run(oracle, config(c.kind, 1000), x_T), exact) <
          (c.kind == SamplerKind::EdmEuler ? 5e-3 : 3e-4));
  }
}

TEST_CASE("Gaussian mixture, exact denoiser: errors against the converged ODE solution from the same x_T") {
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(three_modes(), s);
  const std::vector<float> x_T = standard_normal(2 * 200, 11);
  // The converged solution: Heun on 2,000 σ-steps (changes by < 1e-5 at 4,000).
  const std::vector<float> converged = run(oracle, config(SamplerKind::EdmHeun, 2000), x_T);
  CHECK(rms_distance(run(oracle, config(SamplerKind::EdmHeun, 4000), x_T), converged) < 1e-5);
  auto error = [&](SamplerKind kind, int nfe, SigmaSpacing sigmas = SigmaSpacing::Karras) {
    const bool heun = kind == SamplerKind::EdmHeun;  // 2N − 1 evaluations for N steps
    return rms_distance(run(oracle, config(kind, heun ? (nfe + 1) / 2 : nfe, sigmas), x_T), converged);
  };
  const double ddim10 = error(SamplerKind::Ddim, 10), ddim20 = error(SamplerKind::Ddim, 20);
  const double ddim35 = error(SamplerKind::Ddim, 35);
  CAPTURE(ddim10);
  CAPTURE(ddim20);
  SUBCASE("DPM-Solver++(2M) and UniPC beat DDIM at equal NFE; on logSNR steps already at 10") {
    // Measured: DDIM 0.175, DPM-Solver++ 0.116 (logSNR) / 0.242 (Karras ρ = 7, which spends its last steps
    // below the modes' width), UniPC 0.096 (logSNR) at 10 NFE; at 20 NFE 0.095 against 0.026 / 0.052.
    CHECK(error(SamplerKind::DpmSolverPP, 10, SigmaSpacing::LogSnr) < 0.8 * ddim10);
    CHECK(error(SamplerKind::UniPC, 10, SigmaSpacing::LogSnr) < 0.7 * ddim10);
    CHECK(error(SamplerKind::DpmSolverPP, 20, SigmaSpacing::LogSnr) < ddim20 / 3);
    CHECK(error(SamplerKind::DpmSolverPP, 20) < ddim20 / 1.5);
    CHECK(error(SamplerKind::UniPC, 20, SigmaSpacing::LogSnr) < ddim20 / 4);
    CHECK(error(SamplerKind::DpmSolverPP, 35) < ddim35 / 3);  // EDM's budget, Karras steps
  }
  SUBCASE("Heun on Karras steps beats Euler on Karras steps at equal NFE once the steps are small enough") {
    // Measured: 35 NFE 0.051 against 0.085; 99 NFE 0.010 against 0.036. (At 10 NFE Heun's first step from
    // σ_max ≈ 157 is far too long: 2.4 against 0.29.)
    CHECK(error(SamplerKind::EdmHeun, 35) < 0.75 * error(SamplerKind::EdmEuler, 35));
    CHECK(error(SamplerKind::EdmHeun, 99) < error(SamplerKind::EdmEuler, 99) / 3);
  }
  SUBCASE("every deterministic sampler converges to the same endpoints as NFE grows") {
    for (SamplerKind kind : {SamplerKind::Ddim, SamplerKind::OdeEuler, SamplerKind::EdmEuler,
                             SamplerKind::EdmHeun, SamplerKind::DpmSolverPP, SamplerKind::UniPC}) {
      CAPTURE(sampler_kind_name(kind));
      const double e100 = error(kind, 100), e1000 = error(kind, 1000);
      CAPTURE(e100);
      CAPTURE(e1000);
      CHECK(e1000 < e100 / 2);
      CHECK(e1000 < 0.015);
    }
    CHECK(error(SamplerKind::DpmSolverPP, 1000) < 3e-4);
    CHECK(error(SamplerKind::DpmSolverPP, 1000, SigmaSpacing::Timesteps) < 3e-4);
  }
}

TEST_CASE(
    "--sigmas auto is each paper's placement: Karras ρ = 7 for EDM, uniform logSNR for DPM-Solver++ and "
    "UniPC") {
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(three_modes(), s);
  auto levels = [&](SamplerKind kind, SigmaSpacing sigmas) {
    SamplerConfig c = config(kind, 10, sigmas);
    Sampler sampler(oracle, c);
    std::vector<double> sigma;
    for (const NoiseLevel& level : sampler.noise_levels()) sigma.push_back(level.sigma);
    return sigma;
  };
  CHECK(SamplerConfig{}.sigmas == SigmaSpacing::Auto);
  for (SamplerKind kind : {SamplerKind::EdmHeun, SamplerKind::EdmStochastic, SamplerKind::EdmEuler})
    CHECK(levels(kind, SigmaSpacing::Auto) == levels(kind, SigmaSpacing::Karras));
  for (SamplerKind kind : {SamplerKind::DpmSolverPP, SamplerKind::UniPC}) {
    const std::vector<double> sigma = levels(kind, SigmaSpacing::Auto);
    CHECK(sigma == levels(kind, SigmaSpacing::LogSnr));
    // Uniform in λ = −log σ from σ(T − 1) to σ(0) (Lu et al. 2022, "logSNR" steps), then σ = 0.
    const double ratio = std::pow(sigma_at(s, 0) / sigma_at(s, 999), 1.0 / 9);
    for (int i = 0; i < 9; ++i) CHECK(sigma[i + 1] / sigma[i] == doctest::Approx(ratio).epsilon(1e-9));
    CHECK(sigma[10] == 0);
  }
}

TEST_CASE(
    "every deterministic sampler ends as DDIM and EDM do: the sample is the denoiser's x̂₀ at its last "
    "level") {
  // The endpoint convention behind the sweep's comparisons (k-diffusion's and diffusers' final σ = 0): the
  // last step lands on σ = 0 by a first-order step, i.e. on D(x; σ_last). No sampler stops at σ_min without
  // it.
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(three_modes(), s);
  const std::vector<float> x_T = standard_normal(2 * 16, 8);
  for (const SamplerInfo& info : sampler_table()) {
    if (info.stochastic) continue;
    for (SigmaSpacing sigmas : {SigmaSpacing::Auto, SigmaSpacing::Timesteps}) {
      CAPTURE(info.cli_name);
      CAPTURE(sigma_spacing_name(sigmas));
      SamplerConfig c = config(info.kind, 10, sigmas);
      c.record_trajectory = true;
      Sampler sampler(oracle, c);
      sampler.begin(x_T, 1);
      sampler.run();
      CHECK(sampler.noise_levels().back().sigma == 0);
      const NoiseLevel& last = sampler.noise_levels()[sampler.noise_levels().size() - 2];
      // x̂₀ of the last step, in the variables the sample is in (σ = 0: x̃ = x).
      const std::vector<float>& x0 = sampler.x0_trajectory().back();
      for (size_t k = 0; k < x_T.size(); ++k) CHECK(sampler.x()[k] == doctest::Approx(x0[k]).epsilon(1e-5));
      CHECK(last.sigma > 0);
    }
  }
}

TEST_CASE(
    "8gaussians, exact denoiser, T = 1000, β 1e-4 … 0.02: the orderings the README states, at 10 and 20 "
    "NFE") {
  // The configuration (README "Fast samplers"): errors against the converged ODE solution from the
  // same x_T, each sampler on its paper's step placement (DDIM on trailing timesteps, starting at T − 1).
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(Dataset2D::load("8gaussians").oracle_mixture(), s);
  const std::vector<float> x_T = standard_normal(2 * 500, 21);
  const std::vector<float> converged = run(oracle, config(SamplerKind::EdmHeun, 2000), x_T);
  auto error = [&](SamplerKind kind, int steps, SigmaSpacing sigmas = SigmaSpacing::Auto) {
    return rms_distance(run(oracle, config(kind, steps, sigmas), x_T), converged);
  };
  const double ddim10 = error(SamplerKind::Ddim, 10), ddim20 = error(SamplerKind::Ddim, 20);
  const double dpm10 = error(SamplerKind::DpmSolverPP, 10), dpm20 = error(SamplerKind::DpmSolverPP, 20);
  const double unipc10 = error(SamplerKind::UniPC, 10), unipc20 = error(SamplerKind::UniPC, 20);
  CAPTURE(ddim10);
  CAPTURE(ddim20);
  CAPTURE(dpm10);
  CAPTURE(dpm20);
  CAPTURE(unipc10);
  CAPTURE(unipc20);
  // Measured (500 points): DDIM 0.149 / 0.062, DPM-Solver++(2M) 0.094 / 0.014, UniPC 0.051 / 0.010. At 10 NFE
  // the λ-steps are h = ln(σ_max/σ_min)/9 ≈ 1.07 wide, as wide as the modes' whole σ ≈ 0.1 … 1 transition:
  // second order pays off from 20 NFE on (×4.6), much less at 10 (×1.6; UniPC ×2.9).
  CHECK(dpm10 < ddim10 / 1.3);
  CHECK(unipc10 < ddim10 / 2.3);
  CHECK(unipc10 < dpm10);
  CHECK(dpm20 < ddim20 / 3.5);
  CHECK(unipc20 < ddim20 / 5);
  // Karras ρ = 7 (EDM's placement) is the wrong one for these solvers here at 10 NFE: its last λ-steps (1.6,
  // 2.0) jump through the modes' width. Measured: 0.28, worse than DDIM.
  CHECK(error(SamplerKind::DpmSolverPP, 10, SigmaSpacing::Karras) > dpm10 * 2);
}

TEST_CASE("DPM-Solver++'s first step is DDIM's, and churn S_churn = 0 is EDM Heun, bit for bit") {
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(three_modes(), s);
  const std::vector<float> x_T = standard_normal(2 * 32, 3);
  Sampler dpm(oracle, config(SamplerKind::DpmSolverPP, 10, SigmaSpacing::Timesteps));
  Sampler ddim(oracle, config(SamplerKind::Ddim, 10));
  dpm.begin(x_T, 1);
  ddim.begin(x_T, 1);
  dpm.step();
  ddim.step();
  for (size_t k = 0; k < x_T.size(); ++k) CHECK(dpm.x()[k] == doctest::Approx(ddim.x()[k]).epsilon(1e-5));
  // …and the second step is not (it is second order; early on x̂₀ changes little, so the gap is small).
  dpm.step();
  ddim.step();
  double largest = 0;
  for (size_t k = 0; k < x_T.size(); ++k)
    largest = std::max(largest, std::abs(double(dpm.x()[k]) - ddim.x()[k]));
  CHECK(largest > 1e-4);  // float resolution near |x| ≈ 1 is 1e-7
  SamplerConfig churn_off = config(SamplerKind::EdmStochastic, 12);
  churn_off.s_churn = 0;
  CHECK(run(oracle, churn_off, x_T, 5) == run(oracle, config(SamplerKind::EdmHeun, 12), x_T, 5));
  SamplerConfig churn_on = config(SamplerKind::EdmStochastic, 12);
  CHECK(run(oracle, churn_on, x_T, 5) != run(oracle, config(SamplerKind::EdmHeun, 12), x_T, 5));
}

TEST_CASE("the stochastic samplers (EDM churn, reverse SDE) sample a Gaussian's mean and covariance") {
  const NoiseSchedule& s = ddpm_schedule();
  ExactDenoiser oracle(one_gaussian(), s);
  const int n = 20000;
  for (SamplerConfig c : {config(SamplerKind::EdmStochastic, 40), config(SamplerKind::SdeEuler, 1000)}) {
    CAPTURE(sampler_kind_name(c.kind));
    const std::vector<float> x = run(oracle, c, standard_normal(2 * n, 5), 6);
    check_gaussian_moments(x, n, 0.05);
  }
}
