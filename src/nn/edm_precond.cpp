// edm_precond.cpp — the EDM-preconditioned MLP as a Denoiser, and σ_data of a point set (see edm_precond.h).
// Not training and not a sampler.
#include "nn/edm_precond.h"

#include <stdexcept>

namespace difflab {

double measure_sigma_data(const float* xy, size_t n) {
  if (n < 2) throw std::invalid_argument("σ_data needs at least two points");
  double mean[2] = {0, 0};
  for (size_t i = 0; i < n; ++i)
    for (int d = 0; d < 2; ++d) mean[d] += xy[2 * i + d];
  for (double& m : mean) m /= static_cast<double>(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i)
    for (int d = 0; d < 2; ++d) sum += (xy[2 * i + d] - mean[d]) * (xy[2 * i + d] - mean[d]);
  return std::sqrt(sum / (2.0 * static_cast<double>(n)));
}

void EdmMlpDenoiser::denoise(const float* x_tilde, int n, double sigma, float* denoised) {
  const double c_in = precond_.c_in(sigma), c_skip = precond_.c_skip(sigma), c_out = precond_.c_out(sigma);
  x_tilde_.resize(2 * static_cast<size_t>(n));
  for (size_t k = 0; k < x_tilde_.size(); ++k) x_tilde_[k] = static_cast<float>(c_in * x_tilde[k]);
  if (params_.empty())
    model_.use_own_params();
  else
    model_.set_params_view(params_);
  model_.forward_shared_t(x_tilde_.data(), n, static_cast<float>(EdmPrecond::c_noise(sigma)), denoised);
  model_.use_own_params();
  for (size_t k = 0; k < x_tilde_.size(); ++k)  // D = c_skip x̃ + c_out F
    denoised[k] = static_cast<float>(c_skip * x_tilde[k] + c_out * denoised[k]);
}

void EdmMlpDenoiser::predict_eps_at(const float* xt, int n, double alpha_bar, float* eps) {
  const double sigma = std::sqrt((1.0 - alpha_bar) / alpha_bar), sqrt_alpha_bar = std::sqrt(alpha_bar);
  const size_t count = 2 * static_cast<size_t>(n);
  std::vector<float> x_tilde(count);
  for (size_t k = 0; k < count; ++k) x_tilde[k] = static_cast<float>(xt[k] / sqrt_alpha_bar);  // x̃ = x/√ᾱ
  denoised_.resize(count);
  denoise(x_tilde.data(), n, sigma, denoised_.data());
  for (size_t k = 0; k < count; ++k)  // x̃ = x₀ + σ ε  ⇒  ε̂ = (x̃ − D)/σ
    eps[k] = static_cast<float>((static_cast<double>(x_tilde[k]) - denoised_[k]) / sigma);
}

}  // namespace difflab
