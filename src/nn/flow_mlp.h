// flow_mlp.h — the 2-D MLP as a flow-matching velocity field v_θ(x, t), t ∈ [0, 1], and as a VP denoiser
// through the change of variables of core/flow.h, so every sampler runs it. Not training
// (train/flow_trainer.h).
#pragma once

#include "core/flow.h"
#include "nn/mlp.h"

namespace difflab {

// The MLP's time input for a flow model is t ∈ [0, 1]; times this (the model config's time_scale) it spans
// the range of the code index an ε-model sees, so the same sinusoidal embedding works.
constexpr float kFlowTimeScale = 1000.0f;

class MlpVelocity final : public VelocityField {
 public:
  // `params` (a view of the model's size) selects the weights, e.g. the EMA copy; empty = the model's own.
  explicit MlpVelocity(MlpModel& model, Tensor params = {}) : model_(model), params_(params) {}
  void predict_velocity(const float* x, int n, double t, float* v) override;

 private:
  MlpModel& model_;
  Tensor params_;
};

// A flow-matching MLP usable wherever a Denoiser is (sample, eval, panels): ε̂ from v (core/flow.h).
class FlowMlpDenoiser final : public Denoiser {
 public:
  FlowMlpDenoiser(MlpModel& model, const NoiseSchedule& schedule, Tensor params = {}, DataBox box = {})
      : velocity_(model, params), adapter_(velocity_, schedule, std::move(box)) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return adapter_.schedule(); }
  const DataBox& data_box() const override { return adapter_.data_box(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    adapter_.predict_eps(xt, n, t, eps);
  }
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override {
    adapter_.predict_eps_continuous(xt, n, t, alpha_bar, eps);
  }
  MlpVelocity& velocity() { return velocity_; }

 private:
  MlpVelocity velocity_;
  VelocityDenoiser adapter_;
};

}  // namespace difflab
