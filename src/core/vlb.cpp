// vlb.cpp — Monte-Carlo estimate of the variational bound with exact per-step Gaussian KLs.
// Not a training loss. Naming: Ho et al. 2020 eq. 5; Nichol & Dhariwal 2021 §2.
#include "core/vlb.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <Eigen/Dense>

namespace difflab {

double gaussian_kl(double mean1, double var1, double mean2, double var2) {
  const double d = mean1 - mean2;
  return 0.5 * (std::log(var2 / var1) + (var1 + d * d) / var2 - 1.0);
}

double gaussian_log_density(double x, double mean, double var) {
  const double d = x - mean;
  return -0.5 * (std::log(2 * std::numbers::pi * var) + d * d / var);
}

double discretized_gaussian_log_likelihood(double x, double mean, double var) {
  const double inv_std = 1.0 / std::sqrt(var);
  const double half_bin = 1.0 / 255.0;
  auto cdf = [](double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); };
  const double plus = (x - mean + half_bin) * inv_std, minus = (x - mean - half_bin) * inv_std;
  double p;
  if (x < -0.999) p = cdf(plus);
  else if (x > 0.999) p = 1.0 - cdf(minus);
  else p = cdf(plus) - cdf(minus);
  return std::log(std::max(p, 1e-12));
}

namespace {

// KL(𝒩(μ̃, β̃I) ‖ 𝒩(m, C)) and −log 𝒩(x₀; m, C), with C isotropic or full.
double kl_to_reverse(const double* posterior_mean, double posterior_var, const double* mean, const double* cov,
                     int cov_size, int dim) {
  if (cov_size == 1) {
    double kl = 0;
    for (int d = 0; d < dim; ++d) kl += gaussian_kl(posterior_mean[d], posterior_var, mean[d], cov[0]);
    return kl;
  }
  Eigen::Map<const Eigen::MatrixXd> c(cov, dim, dim);
  Eigen::LLT<Eigen::MatrixXd> llt(c);
  Eigen::VectorXd diff = Eigen::Map<const Eigen::VectorXd>(posterior_mean, dim) -
                         Eigen::Map<const Eigen::VectorXd>(mean, dim);
  const Eigen::MatrixXd inverse = llt.solve(Eigen::MatrixXd::Identity(dim, dim));
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  return 0.5 * (posterior_var * inverse.trace() + diff.dot(inverse * diff) - dim + log_det -
                dim * std::log(posterior_var));
}

double decoder_nll(const float* x0, const double* mean, const double* cov, int cov_size, int dim,
                   DecoderKind decoder) {
  double nll = 0;
  if (cov_size == 1) {
    for (int d = 0; d < dim; ++d)
      nll -= decoder == DecoderKind::ContinuousGaussian ? gaussian_log_density(x0[d], mean[d], cov[0])
                                                        : discretized_gaussian_log_likelihood(x0[d], mean[d], cov[0]);
    return nll;
  }
  if (decoder != DecoderKind::ContinuousGaussian)
    throw std::invalid_argument("the discretized decoder needs an isotropic reverse variance");
  Eigen::Map<const Eigen::MatrixXd> c(cov, dim, dim);
  Eigen::LLT<Eigen::MatrixXd> llt(c);
  Eigen::VectorXd diff(dim);
  for (int d = 0; d < dim; ++d) diff[d] = x0[d] - mean[d];
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  return 0.5 * (diff.dot(llt.solve(diff)) + log_det + dim * std::log(2 * std::numbers::pi));
}

// Shared body: for each t, draw ε, form xₜ, ask for the reverse kernel (and optionally ε̂).
VlbTerms evaluate_impl(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0, int dim,
                       DecoderKind decoder, Rng& rng, std::vector<std::vector<float>>* eps_used) {
  const int n = static_cast<int>(x0.size()) / dim, T = s.T();
  if (n == 0) throw std::invalid_argument("no data points to evaluate the bound on");
  VlbTerms out;
  out.per_t.assign(T, 0.0);
  // L_T: closed form per coordinate.
  const double ab_T = s.alpha_bar[T - 1];
  for (float v : x0) out.prior += gaussian_kl(std::sqrt(ab_T) * v, 1.0 - ab_T, 0.0, 1.0);
  out.prior /= n;

  std::vector<float> eps(x0.size()), xt(x0.size());
  ReverseGaussian reverse;
  std::vector<double> posterior(dim);
  if (eps_used) eps_used->assign(T, {});
  for (int t = 0; t < T; ++t) {
    for (float& e : eps) e = static_cast<float>(rng.normal());
    q_sample(s, t, x0.data(), eps.data(), static_cast<int>(x0.size()), xt.data());
    kernel(xt.data(), n, t, &reverse);
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      const double* mean = &reverse.mean[static_cast<size_t>(i) * dim];
      const double* cov = &reverse.cov[static_cast<size_t>(i) * reverse.cov_size];
      if (t == 0) {
        sum += decoder_nll(&x0[static_cast<size_t>(i) * dim], mean, cov, reverse.cov_size, dim, decoder);
      } else {
        for (int d = 0; d < dim; ++d) {
          const size_t k = static_cast<size_t>(i) * dim + d;
          posterior[d] = posterior_mean(s, t, x0[k], xt[k]);
        }
        sum += kl_to_reverse(posterior.data(), s.posterior_variance[t], mean, cov, reverse.cov_size, dim);
      }
    }
    out.per_t[t] = sum / n;
    if (eps_used) (*eps_used)[t] = eps;
  }
  out.decoder = out.per_t[0];
  for (int t = 1; t < T; ++t) out.diffusion += out.per_t[t];
  out.total = out.prior + out.diffusion + out.decoder;
  return out;
}

}  // namespace

VlbTerms evaluate_vlb(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0, int dim,
                      DecoderKind decoder, Rng& rng) {
  return evaluate_impl(kernel, s, x0, dim, decoder, rng, nullptr);
}

VlbTerms evaluate_vlb(Denoiser& model, VarianceKind variance, const std::vector<float>& x0, DecoderKind decoder,
                      Rng& rng, bool clip_x0) {
  const NoiseSchedule& s = model.schedule();
  const int dim = model.dim(), T = s.T();
  std::vector<double> l_simple(T, 0.0);
  std::vector<float> eps_hat;
  // The kernel remembers the ε̂ it computed so L_simple comes from the same draws.
  std::vector<std::vector<float>> eps_hat_per_t(T);
  ReverseKernel kernel = [&](const float* xt, int n, int t, ReverseGaussian* out) {
    eps_hat.resize(static_cast<size_t>(n) * dim);
    model.predict_eps(xt, n, t, eps_hat.data());
    eps_hat_per_t[t] = eps_hat;
    out->cov_size = 1;
    out->mean.resize(static_cast<size_t>(n) * dim);
    out->cov.assign(n, reverse_variance(s, t, variance));
    for (size_t k = 0; k < out->mean.size(); ++k) {
      double x0_hat = x0_from_eps(s, t, xt[k], eps_hat[k]);
      if (clip_x0) x0_hat = std::clamp(x0_hat, -1.0, 1.0);
      out->mean[k] = posterior_mean(s, t, x0_hat, xt[k]);
    }
  };
  std::vector<std::vector<float>> eps_used;
  VlbTerms terms = evaluate_impl(kernel, s, x0, dim, decoder, rng, &eps_used);
  terms.l_simple_per_t.assign(T, 0.0);
  for (int t = 0; t < T; ++t) {
    double sum = 0;
    for (size_t k = 0; k < x0.size(); ++k) {
      const double d = eps_used[t][k] - eps_hat_per_t[t][k];
      sum += d * d;
    }
    terms.l_simple_per_t[t] = sum / static_cast<double>(x0.size());
    terms.l_simple += terms.l_simple_per_t[t] / T;
  }
  return terms;
}

}  // namespace difflab
