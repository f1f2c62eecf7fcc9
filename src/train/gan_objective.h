// gan_objective.h — one GAN training step (Goodfellow et al. 2014) on 2-D data: a discriminator step on real
// and generated points, then a generator step with the non-saturating loss −log D(G(z)).
// Not the networks (nn/gan.h) and not threaded (the trilemma panel runs it on a worker).
#pragma once

#include <vector>

#include "core/rng.h"
#include "data/toy2d.h"
#include "nn/gan.h"
#include "train/train_loop.h"

namespace difflab {

struct GanObjectiveSettings {
  int batch = 256;
  int d_steps = 1;  // discriminator steps per generator step
};

// D's loss: mean softplus(−D(x)) over real x + mean softplus(D(G(z))) (binary cross-entropy on logits).
// G's loss: mean softplus(−D(G(z))), the non-saturating −log σ(D(G(z))).
// The loop must have parts "generator" and "discriminator" (model.generator(), model.discriminator()).
class GanObjective : public Objective {
 public:
  GanObjective(GanModel& model, const PointSet& train, GanObjectiveSettings settings, uint64_t seed);
  std::string name() const override { return "GAN (non-saturating)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"d_loss", d_loss_}, {"g_loss", g_loss_}};
  }
  StepResult step(TrainLoop& loop) override;

  // The losses at fixed inputs (for finite-difference tests): real x [B, 2], z [B, latent].
  double discriminator_loss(const std::vector<float>& x, const std::vector<float>& z);
  double generator_loss(const std::vector<float>& z);
  // Their gradients written into the model's grads (discriminator half, resp. generator half).
  double discriminator_gradients(const std::vector<float>& x, const std::vector<float>& z);
  double generator_gradients(const std::vector<float>& z);

 private:
  void draw(std::vector<float>* x, std::vector<float>* z);
  GanModel& model_;
  const PointSet& train_;
  GanObjectiveSettings settings_;
  Rng rng_;
  double d_loss_ = 0, g_loss_ = 0;
  std::vector<float> x_, z_, fake_, both_, logits_, d_logits_, d_fake_;
};

}  // namespace difflab
