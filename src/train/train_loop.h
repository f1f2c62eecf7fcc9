// train_loop.h — the one training loop every model family shares: an objective computes gradients for one
// or more parts (model + optimizer: AdamW, clipping, EMA, last good state), the loop counts steps.
// Not a loss (objectives live beside their family, e.g. train/gan_objective.cpp) and not threaded
// (train/live_trainer.h runs a TrainJob on a worker).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "nn/model.h"
#include "train/optimizer.h"

namespace difflab {

struct StepResult {
  double loss = 0;  // this minibatch's objective
  double grad_norm = 0;
  bool diverged = false;
};

// A model being trained and its optimizer state. A GAN has two parts (generator, discriminator).
struct TrainPart {
  std::string name;  // "generator", "discriminator", "model"
  Model* model = nullptr;
  OptimizerSettings settings;
  std::unique_ptr<Optimizer> optimizer;
  Tensor ema() const { return settings.ema_decay > 0 ? optimizer->ema() : model->params(); }
};

// What one optimisation step means for a family. step() draws its own batch, runs forward and backward on
// its parts' models and calls TrainLoop::update(part, loss) for each part whose gradients it computed.
class Objective {
 public:
  virtual ~Objective() = default;
  virtual std::string name()
      const = 0;  // "diffusion (L_simple)", "GAN (non-saturating)", "VAE (ELBO, β = 1)"
  // Named scalars of the last step besides the loss (e.g. "d_loss", "kl"), for logs and live plots.
  virtual std::vector<std::pair<std::string, double>> last_metrics() const { return {}; }
  virtual StepResult step(class TrainLoop& loop) = 0;
};

class TrainLoop {
 public:
  TrainLoop() = default;
  // Adds a part (the optimizer is made here, on the model's backend, its EMA equal to the weights).
  TrainPart& add_part(const std::string& name, Model& model, const OptimizerSettings& settings);
  TrainPart& part(size_t index) { return parts_[index]; }
  const TrainPart& part(size_t index) const { return parts_[index]; }
  TrainPart& part(const std::string& name);
  size_t num_parts() const { return parts_.size(); }

  // One step of `objective`; counts it.
  StepResult step(Objective& objective);
  int step_count() const { return steps_; }
  // For objectives: clip, AdamW, EMA and backup for one part after its backward(). Returns false (with that
  // part's last good state restored) when the loss or the gradient norm is not finite.
  bool update(TrainPart& part, double loss, double* grad_norm);
  // After loading weights: every optimizer restarts its moments at `step`.
  void reset(int step);

 private:
  std::deque<TrainPart> parts_;  // add_part's references stay valid
  int steps_ = 0;
};

}  // namespace difflab
