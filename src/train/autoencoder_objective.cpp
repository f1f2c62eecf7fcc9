// autoencoder_objective.cpp — the autoencoder's loss, its gradients through the reparameterisation, and the
// reconstruction error. Not the networks: nn/autoencoder.cpp.
#include "train/autoencoder_objective.h"

#include <algorithm>
#include <cmath>

namespace difflab {

AutoencoderObjective::AutoencoderObjective(Autoencoder& model, const ImageDataset& data,
                                           AutoencoderObjectiveSettings settings, uint64_t seed)
    : model_(model), data_(data), settings_(settings), rng_(seed * 0x9E3779B97F4A7C15ULL + 31) {}

double AutoencoderObjective::loss(const std::vector<float>& x, const std::vector<float>& eps) {
  return run(x, eps, false);
}
double AutoencoderObjective::gradients(const std::vector<float>& x, const std::vector<float>& eps) {
  return run(x, eps, true);
}

double AutoencoderObjective::run(const std::vector<float>& x, const std::vector<float>& eps, bool backward) {
  const int D = model_.image_dim(), L = model_.latent_dim(), z = model_.config().latent_channels;
  const int B = static_cast<int>(x.size() / D);
  const double beta = settings_.beta;
  const bool sample = beta > 0;
  moments_.resize(static_cast<size_t>(B) * 2 * L);
  model_.encode(x.data(), B, moments_.data());
  z_.resize(static_cast<size_t>(B) * L);
  double kl = 0;
  // moments: per latent position p (B·64 of them), 2z numbers: μ₀ … μ_{z−1}, log σ²₀ … log σ²_{z−1}.
  const size_t positions = static_cast<size_t>(B) * L / z;
  for (size_t p = 0; p < positions; ++p)
    for (int c = 0; c < z; ++c) {
      const double mu = moments_[p * 2 * z + c];
      const double lv = std::clamp(static_cast<double>(moments_[p * 2 * z + z + c]), -30.0, 20.0);
      const size_t k = p * z + c;
      z_[k] = static_cast<float>(sample ? mu + std::exp(0.5 * lv) * eps[k] : mu);
      kl += 0.5 * (mu * mu + std::exp(lv) - 1 - lv);
    }
  x_hat_.resize(static_cast<size_t>(B) * D);
  model_.decode(z_.data(), B, x_hat_.data());
  double sq = 0;
  for (size_t k = 0; k < x_hat_.size(); ++k) sq += (x_hat_[k] - x[k]) * static_cast<double>(x_hat_[k] - x[k]);
  const double n_pixels = static_cast<double>(B) * D, n_latent = static_cast<double>(B) * L;
  mse_ = sq / n_pixels;
  kl_ = kl / n_latent;
  const double total = mse_ + beta * kl_;
  if (!backward) return total;
  d_x_hat_.resize(x_hat_.size());
  for (size_t k = 0; k < x_hat_.size(); ++k)
    d_x_hat_[k] = static_cast<float>(2 * (x_hat_[k] - x[k]) / n_pixels);
  d_z_.resize(z_.size());
  model_.backward_decoder(d_x_hat_.data(), d_z_.data());
  d_moments_.assign(moments_.size(), 0.0f);
  for (size_t p = 0; p < positions; ++p)
    for (int c = 0; c < z; ++c) {
      const double mu = moments_[p * 2 * z + c];
      const double raw = moments_[p * 2 * z + z + c];
      const double lv = std::clamp(raw, -30.0, 20.0);
      const size_t k = p * z + c;
      const double dz = d_z_[k];
      d_moments_[p * 2 * z + c] = static_cast<float>(dz + beta * mu / n_latent);
      const double inside = raw > -30.0 && raw < 20.0 ? 1.0 : 0.0;  // the clamp's derivative
      const double d_lv = (sample ? dz * eps[k] * 0.5 * std::exp(0.5 * lv) : 0.0) +
                          beta * 0.5 * (std::exp(lv) - 1) / n_latent;
      d_moments_[p * 2 * z + z + c] = static_cast<float>(inside * d_lv);
    }
  model_.backward_encoder(d_moments_.data());
  return total;
}

StepResult AutoencoderObjective::step(TrainLoop& loop) {
  const int B = settings_.batch, D = model_.image_dim(), L = model_.latent_dim();
  x_.resize(static_cast<size_t>(B) * D);
  for (int i = 0; i < B; ++i) {
    const float* image = data_.image(static_cast<int>(rng_.below(data_.count)));
    std::copy(image, image + D, x_.begin() + static_cast<std::ptrdiff_t>(i) * D);
  }
  eps_.resize(static_cast<size_t>(B) * L);
  for (float& v : eps_) v = static_cast<float>(rng_.normal());
  StepResult r;
  r.loss = gradients(x_, eps_);
  r.diverged = !loop.update(loop.part("model"), r.loss, &r.grad_norm);
  return r;
}

double reconstruction_mse(Autoencoder& model, const ImageDataset& data, int n) {
  const int count = n > 0 ? std::min(n, data.count) : data.count, D = model.image_dim(),
            L = model.latent_dim();
  std::vector<float> moments, mu, x_hat;
  double sq = 0;
  for (int first = 0; first < count; first += 256) {
    const int b = std::min(256, count - first);
    moments.resize(static_cast<size_t>(b) * 2 * L);
    mu.resize(static_cast<size_t>(b) * L);
    x_hat.resize(static_cast<size_t>(b) * D);
    model.encode(data.image(first), b, moments.data());
    model.split_moments(moments.data(), b, mu.data(), nullptr);
    model.decode(mu.data(), b, x_hat.data());
    const float* x = data.image(first);
    for (size_t k = 0; k < x_hat.size(); ++k) sq += (x_hat[k] - x[k]) * static_cast<double>(x_hat[k] - x[k]);
  }
  return sq / (static_cast<double>(count) * D);
}

}  // namespace difflab
