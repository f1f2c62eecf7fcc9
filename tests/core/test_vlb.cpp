// test_vlb.cpp — the variational bound against identities that hold exactly for Gaussian data.
// Not a test of training losses.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include <Eigen/Dense>

#include "core/gaussian_mixture.h"
#include "core/vlb.h"

using namespace difflab;

namespace {
const Eigen::Vector2d kMean(0.5, -0.3);
Eigen::Matrix2d data_covariance() {
  Eigen::Matrix2d s;
  s << 1.0, 0.6, 0.6, 0.8;
  return s;
}
}  // namespace

TEST_CASE("VLB identity: with the true reverse kernels the bound equals H(x0) + KL(q(x_T) || N(0, I))") {
  // Ho et al. 2020 eq. 5: with p(xₜ₋₁|xₜ) = q(xₜ₋₁|xₜ), L_vlb = E[−log q(x₀)] + KL(q(x_T) ‖ p(x_T)).
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 40, 1e-4, 0.05});
  const Eigen::Matrix2d S = data_covariance();
  const Eigen::Matrix2d I = Eigen::Matrix2d::Identity();
  // The true reverse kernel of Gaussian data, by Gaussian conditioning (written here, not in the library).
  ReverseKernel kernel = [&](const float* xt, int n, int t, ReverseGaussian* out) {
    const double abp = s.alpha_bar_prev[t], ab = s.alpha_bar[t], alpha = s.alpha[t], beta = s.beta[t];
    const Eigen::Matrix2d C1 = abp * S + (1 - abp) * I;
    const Eigen::Matrix2d Ct = alpha * C1 + beta * I;
    const Eigen::Matrix2d gain = std::sqrt(alpha) * C1 * Ct.inverse();
    const Eigen::Matrix2d cov = C1 - alpha * C1 * Ct.inverse() * C1;
    out->cov_size = 4;
    out->mean.resize(2 * n);
    out->cov.resize(4 * n);
    for (int i = 0; i < n; ++i) {
      const Eigen::Vector2d x(xt[2 * i], xt[2 * i + 1]);
      const Eigen::Vector2d m = std::sqrt(abp) * kMean + gain * (x - std::sqrt(ab) * kMean);
      out->mean[2 * i] = m[0], out->mean[2 * i + 1] = m[1];
      for (int k = 0; k < 4; ++k) out->cov[4 * i + k] = cov(k % 2, k / 2);
    }
  };
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{kMean[0], kMean[1]}};
  g.covariances = {{S(0, 0), S(0, 1), S(1, 1)}};
  std::vector<float> x0;
  g.sample(40000, 11, &x0, nullptr);
  Rng rng(5);
  const VlbTerms terms = evaluate_vlb(kernel, s, x0, 2, DecoderKind::ContinuousGaussian, rng);

  const double entropy = std::log(2 * std::numbers::pi * std::numbers::e) + 0.5 * std::log(S.determinant());
  const double abT = s.alpha_bar[s.T() - 1];
  const Eigen::Matrix2d CT = abT * S + (1 - abT) * I;
  const Eigen::Vector2d mT = std::sqrt(abT) * kMean;
  const double prior_kl = 0.5 * (CT.trace() + mT.squaredNorm() - 2 - std::log(CT.determinant()));
  CHECK(terms.total == doctest::Approx(entropy + prior_kl).epsilon(0.01));
  CHECK(terms.total == doctest::Approx(terms.prior + terms.diffusion + terms.decoder));
}

TEST_CASE(
    "exact denoiser: the bound is at least H(x0), beats a wrong model's, and L_simple(t) is Var(eps|x_t)") {
  GaussianMixture2D g;
  const Eigen::Matrix2d S = data_covariance();
  g.weights = {1};
  g.means = {{kMean[0], kMean[1]}};
  g.covariances = {{S(0, 0), S(0, 1), S(1, 1)}};
  std::vector<float> x0;
  g.sample(8000, 12, &x0, nullptr);
  const double entropy = std::log(2 * std::numbers::pi * std::numbers::e) + 0.5 * std::log(S.determinant());
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 100, 1e-4, 0.1});
  ExactDenoiser oracle(g, s);
  Rng rng(3);
  const VlbTerms terms =
      evaluate_vlb(oracle, VarianceKind::FixedSmall, x0, DecoderKind::ContinuousGaussian, rng);
  CHECK(terms.total > entropy);
  // A denoiser that is exact for other data (mean shifted by 0.5) must have a larger bound on this data.
  GaussianMixture2D wrong = g;
  wrong.means[0][0] += 0.5;
  ExactDenoiser wrong_oracle(wrong, s);
  Rng rng2(3);
  const VlbTerms wrong_terms =
      evaluate_vlb(wrong_oracle, VarianceKind::FixedSmall, x0, DecoderKind::ContinuousGaussian, rng2);
  CHECK(wrong_terms.total > terms.total + 0.1);
  // For Gaussian data ε given xₜ is Gaussian with covariance I − (1−ᾱ)C⁻¹, C = ᾱΣ + (1−ᾱ)I, so the
  // exact denoiser's E‖ε − ε*‖²/2 is half its trace.
  for (int t : {0, 10, 50, 99}) {
    const double ab = s.alpha_bar[t];
    const Eigen::Matrix2d C = ab * S + (1 - ab) * Eigen::Matrix2d::Identity();
    const double expected = 0.5 * (2 - (1 - ab) * C.inverse().trace());
    CHECK(terms.l_simple_per_t[t] == doctest::Approx(expected).epsilon(0.05));
  }
}

TEST_CASE("Gaussian KL and densities match their closed forms") {
  CHECK(gaussian_kl(0, 1, 0, 1) == doctest::Approx(0));
  CHECK(gaussian_kl(1, 2, 0, 1) == doctest::Approx(0.5 * (std::log(0.5) + 2 + 1 - 1)));
  CHECK(gaussian_log_density(0, 0, 1) == doctest::Approx(-0.5 * std::log(2 * std::numbers::pi)));
}

TEST_CASE("the discretized Gaussian decoder's 256 bin probabilities sum to one") {
  for (auto [mean, var] : {std::pair{0.0, 0.01}, {0.9, 1e-4}, {-1.2, 0.5}}) {
    double total = 0;
    for (int k = 0; k < 256; ++k)
      total += std::exp(discretized_gaussian_log_likelihood(-1.0 + 2.0 * k / 255, mean, var));
    CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
  }
}
