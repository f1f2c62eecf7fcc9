// optimizer.h — what follows backward() in every trainer: divergence checks, global-norm clipping, AdamW,
// an EMA of the weights, and the last good state to fall back to. Works on flat buffers; knows no layers.
// Not a loss and not a model (tiny-cuda-nn's split: Trainer(model, optimizer, loss)).
#pragma once

#include <memory>

#include "nn/backend.h"

namespace difflab {

struct OptimizerSettings {
  AdamWConfig adamw;
  float grad_clip = 1.0f;    // global-norm clipping; 0 = off
  float ema_decay = 0.995f;  // with warm-up min(decay, (1 + step)/(10 + step)); 0 = off
  int backup_every = 50;     // steps between copies of the last good state; 0 = only the initial one
};

class Optimizer {
 public:
  // `params` and `grads` are the model's flat buffers; the EMA starts equal to params.
  Optimizer(Backend& backend, Tensor params, Tensor grads);

  // After backward(): returns false, with the last good state restored, when the loss or the gradient
  // norm is not finite; otherwise clips, steps AdamW and the EMA, and backs up every backup_every steps.
  bool step(double loss, const OptimizerSettings& settings, double* grad_norm);

  int step_count() const { return step_; }
  int last_good_step() const { return backup_step_; }
  Tensor ema() const { return ema_; }
  // After new weights were written into params (and ema): zero the moments, set the step, back up.
  void reset(int step);

 private:
  void backup();
  void restore();
  Backend& backend_;
  Tensor params_, grads_;
  std::unique_ptr<Storage> storage_;  // m, v, EMA and the backup copies of params, m, v, EMA
  Tensor m_, v_, ema_, backup_params_, backup_m_, backup_v_, backup_ema_;
  int step_ = 0, backup_step_ = 0;
};

}  // namespace difflab
