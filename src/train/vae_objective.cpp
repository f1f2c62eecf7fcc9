// vae_objective.cpp — the negative ELBO of the 2-D VAE and its gradients through backend ops.
// Not the networks: nn/vae.cpp.
#include "train/vae_objective.h"

#include <cmath>
#include <numbers>

namespace difflab {

VaeObjective::VaeObjective(VaeModel& model, const PointSet& train, VaeObjectiveSettings settings,
                           uint64_t seed)
    : model_(model), train_(train), settings_(settings), rng_(seed) {}

double VaeObjective::loss(const std::vector<float>& x, const std::vector<float>& eps) {
  return run(x, eps, false);
}
double VaeObjective::gradients(const std::vector<float>& x, const std::vector<float>& eps) {
  return run(x, eps, true);
}

double VaeObjective::run(const std::vector<float>& x, const std::vector<float>& eps, bool backward) {
  const int B = static_cast<int>(x.size() / 2), d = model_.config().latent;
  const double beta = settings_.beta;
  enc_.resize(static_cast<size_t>(B) * 2 * d);
  model_.encoder().forward(x.data(), B, enc_.data());
  z_.resize(static_cast<size_t>(B) * d);
  double kl = 0;
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < d; ++j) {
      const double mu = enc_[i * 2 * d + j], lv = enc_[i * 2 * d + d + j];
      z_[i * d + j] = static_cast<float>(mu + std::exp(0.5 * lv) * eps[i * d + j]);
      kl += 0.5 * (mu * mu + std::exp(lv) - 1 - lv);
    }
  dec_.resize(2 * static_cast<size_t>(B));
  model_.decoder().forward(z_.data(), B, dec_.data());
  const double log_sigma = model_.log_sigma(), inv_var = std::exp(-2 * log_sigma);
  double sq = 0;
  for (int k = 0; k < 2 * B; ++k) sq += (x[k] - dec_[k]) * static_cast<double>(x[k] - dec_[k]);
  const double recon = 0.5 * sq * inv_var + 2 * B * (log_sigma + 0.5 * std::log(2 * std::numbers::pi));
  recon_ = recon / B;
  kl_ = kl / B;
  const double total = recon_ + beta * kl_;
  if (!backward) return total;
  // ∂/∂dec = −(x − dec)/σ² / B; ∂/∂log σ = Σ (1 − (x − dec)²/σ²) / B.
  d_dec_.resize(dec_.size());
  for (int k = 0; k < 2 * B; ++k) d_dec_[k] = static_cast<float>(-(x[k] - dec_[k]) * inv_var / B);
  d_z_.resize(z_.size());
  model_.decoder().backward(d_dec_.data(), d_z_.data());
  d_enc_.resize(enc_.size());
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < d; ++j) {
      const double mu = enc_[i * 2 * d + j], lv = enc_[i * 2 * d + d + j], dz = d_z_[i * d + j];
      d_enc_[i * 2 * d + j] = static_cast<float>(dz + beta * mu / B);
      d_enc_[i * 2 * d + d + j] = static_cast<float>(dz * eps[i * d + j] * 0.5 * std::exp(0.5 * lv) +
                                                     beta * 0.5 * (std::exp(lv) - 1) / B);
    }
  model_.encoder().backward(d_enc_.data(), nullptr);
  const float g_log_sigma =
      model_.config().learned_sigma ? static_cast<float>((2 * B - sq * inv_var) / B) : 0.0f;
  model_.backend().write(model_.log_sigma_grad(), &g_log_sigma);
  return total;
}

StepResult VaeObjective::step(TrainLoop& loop) {
  const int B = settings_.batch, n = train_.size(), d = model_.config().latent;
  x_.resize(2 * static_cast<size_t>(B));
  for (int i = 0; i < B; ++i) {
    const size_t k = rng_.below(n);
    x_[2 * i] = train_.xy[2 * k];
    x_[2 * i + 1] = train_.xy[2 * k + 1];
  }
  eps_.resize(static_cast<size_t>(B) * d);
  for (float& v : eps_) v = static_cast<float>(rng_.normal());
  StepResult r;
  r.loss = gradients(x_, eps_);
  r.diverged = !loop.update(loop.part("model"), r.loss, &r.grad_norm);
  return r;
}

}  // namespace difflab
