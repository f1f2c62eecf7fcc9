// vlb.cpp — Monte-Carlo estimate of the variational bound with exact per-step Gaussian KLs, every t or strata
// of t. Not a training loss. Naming: Ho et al. 2020 eq. 5; Nichol & Dhariwal 2021 §2.
#include "core/vlb.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>

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
  if (x < -0.999)
    p = cdf(plus);
  else if (x > 0.999)
    p = 1.0 - cdf(minus);
  else
    p = cdf(plus) - cdf(minus);
  return std::log(std::max(p, 1e-12));
}

namespace {

// KL(𝒩(μ̃, β̃I) ‖ 𝒩(m, C)) and −log 𝒩(x₀; m, C), with C isotropic or full.
double kl_to_reverse(const double* posterior_mean, double posterior_var, const double* mean,
                     const double* cov, int cov_size, int dim) {
  if (cov_size == 1) {
    double kl = 0;
    for (int d = 0; d < dim; ++d) kl += gaussian_kl(posterior_mean[d], posterior_var, mean[d], cov[0]);
    return kl;
  }
  Eigen::Map<const Eigen::MatrixXd> c(cov, dim, dim);
  Eigen::LLT<Eigen::MatrixXd> llt(c);
  Eigen::VectorXd diff =
      Eigen::Map<const Eigen::VectorXd>(posterior_mean, dim) - Eigen::Map<const Eigen::VectorXd>(mean, dim);
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
      nll -= decoder == DecoderKind::ContinuousGaussian
                 ? gaussian_log_density(x0[d], mean[d], cov[0])
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

// L_T = KL(q(x_T|x₀) ‖ 𝒩(0, I)) in closed form per coordinate, averaged over the n points.
double prior_term(const NoiseSchedule& s, const std::vector<float>& x0, int n) {
  const double ab_T = s.alpha_bar[s.T() - 1];
  double prior = 0;
  for (float v : x0) prior += gaussian_kl(std::sqrt(ab_T) * v, 1.0 - ab_T, 0.0, 1.0);
  return prior / n;
}

// Scratch that one term of the bound needs, reused from t to t.
struct TermScratch {
  std::vector<float> eps, xt;
  std::vector<double> posterior;
  ReverseGaussian reverse;
};

// The one per-t routine of every estimate: draw ε (one per coordinate, from rng), form xₜ, ask the reverse
// kernel, and average over the n points L₀ = −log p(x₀|x₁) at t = 0, else KL(q(xₜ₋₁|xₜ, x₀) ‖ p(xₜ₋₁|xₜ)) (Ho
// et al. 2020, eq. 5). Leaves the ε it drew in scratch.eps.
double term_at(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0, int dim,
               DecoderKind decoder, int t, Rng& rng, TermScratch& scratch) {
  const int n = static_cast<int>(x0.size()) / dim;
  scratch.eps.resize(x0.size());
  scratch.xt.resize(x0.size());
  scratch.posterior.resize(dim);
  for (float& e : scratch.eps) e = static_cast<float>(rng.normal());
  q_sample(s, t, x0.data(), scratch.eps.data(), static_cast<int>(x0.size()), scratch.xt.data());
  ReverseGaussian& reverse = scratch.reverse;
  kernel(scratch.xt.data(), n, t, &reverse);
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double* mean = &reverse.mean[static_cast<size_t>(i) * dim];
    const double* cov = &reverse.cov[static_cast<size_t>(i) * reverse.cov_size];
    if (t == 0) {
      sum += decoder_nll(&x0[static_cast<size_t>(i) * dim], mean, cov, reverse.cov_size, dim, decoder);
    } else {
      for (int d = 0; d < dim; ++d) {
        const size_t k = static_cast<size_t>(i) * dim + d;
        scratch.posterior[d] = posterior_mean(s, t, x0[k], scratch.xt[k]);
      }
      sum +=
          kl_to_reverse(scratch.posterior.data(), s.posterior_variance[t], mean, cov, reverse.cov_size, dim);
    }
  }
  return sum / n;
}

int point_count(const std::vector<float>& x0, int dim) {
  const int n = static_cast<int>(x0.size()) / dim;
  if (n == 0) throw std::invalid_argument("no data points to evaluate the bound on");
  return n;
}

// Every t in order 0, 1, …, T−1, one term_at each; after_term(t, ε) sees each draw (for L_simple).
VlbTerms evaluate_impl(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0,
                       int dim, DecoderKind decoder, Rng& rng,
                       const std::function<void(int t, const std::vector<float>& eps)>& after_term) {
  const int n = point_count(x0, dim), T = s.T();
  VlbTerms out;
  out.per_t.assign(T, 0.0);
  out.prior = prior_term(s, x0, n);
  TermScratch scratch;
  for (int t = 0; t < T; ++t) {
    out.per_t[t] = term_at(kernel, s, x0, dim, decoder, t, rng, scratch);
    if (after_term) after_term(t, scratch.eps);
  }
  out.decoder = out.per_t[0];
  for (int t = 1; t < T; ++t) out.diffusion += out.per_t[t];
  out.total = out.prior + out.diffusion + out.decoder;
  return out;
}

// The reverse kernel of a denoiser: mean from x̂₀ (clipped to [−1, 1] when asked) through the posterior (Ho et
// al. 2020, eq. 7), isotropic variance from `variance`. The ε̂ of the last call stays in *eps_hat.
ReverseKernel denoiser_kernel(Denoiser& model, VarianceKind variance, bool clip_x0,
                              std::vector<float>* eps_hat) {
  return [&model, variance, clip_x0, eps_hat](const float* xt, int n, int t, ReverseGaussian* out) {
    const NoiseSchedule& s = model.schedule();
    const int dim = model.dim();
    eps_hat->resize(static_cast<size_t>(n) * dim);
    model.predict_eps(xt, n, t, eps_hat->data());
    out->cov_size = 1;
    out->mean.resize(static_cast<size_t>(n) * dim);
    out->cov.assign(n, reverse_variance(s, t, variance));
    for (size_t k = 0; k < out->mean.size(); ++k) {
      double x0_hat = x0_from_eps(s, t, xt[k], (*eps_hat)[k]);
      if (clip_x0) x0_hat = std::clamp(x0_hat, -1.0, 1.0);
      out->mean[k] = posterior_mean(s, t, x0_hat, xt[k]);
    }
  };
}

}  // namespace

VlbTerms evaluate_vlb(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0,
                      int dim, DecoderKind decoder, Rng& rng) {
  return evaluate_impl(kernel, s, x0, dim, decoder, rng, nullptr);
}

VlbTerms evaluate_vlb(Denoiser& model, VarianceKind variance, const std::vector<float>& x0,
                      DecoderKind decoder, Rng& rng, bool clip_x0) {
  const NoiseSchedule& s = model.schedule();
  const int T = s.T();
  std::vector<float> eps_hat;
  std::vector<double> l_simple(T, 0.0);
  // L_simple(t) from the same draws: the kernel has just left its ε̂ in eps_hat.
  auto after_term = [&](int t, const std::vector<float>& eps) {
    double sum = 0;
    for (size_t k = 0; k < eps.size(); ++k) {
      const double d = eps[k] - eps_hat[k];
      sum += d * d;
    }
    l_simple[t] = sum / static_cast<double>(eps.size());
  };
  VlbTerms terms = evaluate_impl(denoiser_kernel(model, variance, clip_x0, &eps_hat), s, x0, model.dim(),
                                 decoder, rng, after_term);
  terms.l_simple_per_t = l_simple;
  for (int t = 0; t < T; ++t) terms.l_simple += l_simple[t] / T;
  return terms;
}

std::vector<int> vlb_strata(int T, int strata, StrataSpacing spacing) {
  if (T < 2 || strata < 1 || strata > T - 1)
    throw std::invalid_argument("the number of strata must be between 1 and T − 1 = " +
                                std::to_string(T - 1));
  std::vector<int> bounds(strata + 1, 1);
  for (int k = 1; k <= strata; ++k) {
    if (spacing == StrataSpacing::Even) {
      bounds[k] = 1 + static_cast<int>(static_cast<int64_t>(k) * (T - 1) / strata);
    } else {
      const int geometric =
          static_cast<int>(std::lround(std::pow(static_cast<double>(T), double(k) / strata)));
      // At least one t per stratum, and room for one t in each of the strata still to come.
      bounds[k] = std::clamp(geometric, bounds[k - 1] + 1, T - (strata - k));
    }
  }
  return bounds;
}

VlbEstimate estimate_vlb_stratified(Denoiser& model, VarianceKind variance, const std::vector<float>& x0,
                                    DecoderKind decoder, int strata, Rng& rng, bool clip_x0,
                                    StrataSpacing spacing) {
  const NoiseSchedule& s = model.schedule();
  const int dim = model.dim(), n = point_count(x0, dim);
  const std::vector<int> bounds = vlb_strata(s.T(), strata, spacing);
  std::vector<float> eps_hat;
  const ReverseKernel kernel = denoiser_kernel(model, variance, clip_x0, &eps_hat);
  TermScratch scratch;
  VlbEstimate out;
  out.prior = prior_term(s, x0, n);
  // The same order of draws as evaluate_vlb: L₀ first, then t ascending, one per stratum.
  out.decoder = term_at(kernel, s, x0, dim, decoder, 0, rng, scratch);
  for (int k = 0; k < strata; ++k) {
    const int size = bounds[k + 1] - bounds[k];
    const int t = size > 1 ? bounds[k] + static_cast<int>(rng.below(static_cast<uint64_t>(size))) : bounds[k];
    const double term = term_at(kernel, s, x0, dim, decoder, t, rng, scratch);
    out.timesteps.push_back(t);
    out.terms.push_back(term);
    out.weights.push_back(size);
    out.diffusion += size * term;  // E[size · L_t] over t uniform in the stratum = the stratum's sum
  }
  out.total = out.prior + out.diffusion + out.decoder;
  return out;
}

}  // namespace difflab
