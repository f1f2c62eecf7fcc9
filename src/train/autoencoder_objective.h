// autoencoder_objective.h — one training step of the latent autoencoder: reconstruction MSE plus β times the
// KL divergence of q(z | x) = 𝒩(μ, diag σ²) from 𝒩(0, I) (Stable Diffusion's "KL-f" autoencoder, Rombach et
// al. 2022 §3, without its perceptual and adversarial terms). Not the networks (nn/autoencoder.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "data/idx.h"
#include "nn/autoencoder.h"
#include "train/train_loop.h"

namespace difflab {

struct AutoencoderObjectiveSettings {
  int batch = 64;
  // Weight of the KL term. 0 = a plain autoencoder (z = μ, log σ² unused); > 0 samples z = μ + σ ε.
  double beta = 1e-3;
};

// loss = (1/(B·784)) Σ (x̂ − x)² + β · (1/(B·L)) Σ ½ (μ² + σ² − 1 − log σ²), L = latent_dim(): both terms are
// means per number, so β does not depend on the image or latent size. log σ² is clamped to [−30, 20] (as
// Stable Diffusion's DiagonalGaussianDistribution does). The loop must have one part, "model".
class AutoencoderObjective final : public Objective {
 public:
  AutoencoderObjective(Autoencoder& model, const ImageDataset& data, AutoencoderObjectiveSettings settings,
                       uint64_t seed);
  std::string name() const override { return "autoencoder (MSE + β·KL)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"mse", mse_}, {"kl", kl_}};
  }
  StepResult step(TrainLoop& loop) override;
  AutoencoderObjectiveSettings& settings() { return settings_; }

  // The loss at fixed x [B, 784] and ε [B, L], and the same with every gradient written (tests).
  double loss(const std::vector<float>& x, const std::vector<float>& eps);
  double gradients(const std::vector<float>& x, const std::vector<float>& eps);
  double last_mse() const { return mse_; }
  double last_kl() const { return kl_; }

 private:
  double run(const std::vector<float>& x, const std::vector<float>& eps, bool backward);
  Autoencoder& model_;
  const ImageDataset& data_;
  AutoencoderObjectiveSettings settings_;
  Rng rng_;
  double mse_ = 0, kl_ = 0;
  std::vector<float> x_, eps_, moments_, z_, x_hat_, d_x_hat_, d_z_, d_moments_;
};

// Mean squared reconstruction error per pixel of the first n images of `data` (n ≤ 0: all) through
// decode(μ(x)), in [−1, 1] units, in batches of 256.
double reconstruction_mse(Autoencoder& model, const ImageDataset& data, int n = 0);

}  // namespace difflab
