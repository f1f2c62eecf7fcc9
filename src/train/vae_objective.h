// vae_objective.h — one VAE training step (Kingma & Welling 2014) on 2-D data: the negative ELBO with the
// reparameterisation z = μ + σ ⊙ ε and a β weight on the KL term (Higgins et al. 2017).
// Not the networks (nn/vae.h) and not threaded (the trilemma panel runs it on a worker).
#pragma once

#include <vector>

#include "core/rng.h"
#include "data/toy2d.h"
#include "nn/vae.h"
#include "train/train_loop.h"

namespace difflab {

struct VaeObjectiveSettings {
  int batch = 256;
  double beta = 1.0;  // weight of KL(q(z|x) ‖ 𝒩(0, I))
};

// Per point: −log 𝒩(x; dec(z), σ²I) + β·KL(𝒩(μ, diag e^{log σ²}) ‖ 𝒩(0, I)), z = μ + e^{log σ²/2} ε,
// averaged over the batch; in nats. The loop must have one part, "model" (the whole VaeModel).
class VaeObjective : public Objective {
 public:
  VaeObjective(VaeModel& model, const PointSet& train, VaeObjectiveSettings settings, uint64_t seed);
  std::string name() const override { return "VAE (ELBO)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"reconstruction", recon_}, {"kl", kl_}};
  }
  StepResult step(TrainLoop& loop) override;

  // The loss at fixed x [B, 2] and ε [B, latent], and the same with every gradient written (tests).
  double loss(const std::vector<float>& x, const std::vector<float>& eps);
  double gradients(const std::vector<float>& x, const std::vector<float>& eps);

 private:
  double run(const std::vector<float>& x, const std::vector<float>& eps, bool backward);
  VaeModel& model_;
  const PointSet& train_;
  VaeObjectiveSettings settings_;
  Rng rng_;
  double recon_ = 0, kl_ = 0;
  std::vector<float> x_, eps_, enc_, z_, dec_, d_dec_, d_z_, d_enc_;
};

}  // namespace difflab
