// mlp_denoiser.h — adapts an MlpModel (whatever it predicts: ε, x₀ or v) to the Denoiser interface.
// Not a model: it converts the network's output to ε̂ with the schedule it was trained for.
#pragma once

#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "nn/mlp.h"

namespace difflab {

class MlpDenoiser : public Denoiser {
 public:
  // `params` (a view of `model`'s size) selects the weights, e.g. the EMA copy; empty = the model's own.
  // `box`: where its training data lay (samplers clip x̂₀ into it); empty = unknown.
  MlpDenoiser(MlpModel& model, const NoiseSchedule& schedule, Prediction prediction, Tensor params = {},
              DataBox box = {})
      : model_(model), schedule_(schedule), prediction_(prediction), params_(params), box_(std::move(box)) {}
  const DataBox& data_box() const override { return box_; }
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    if (params_.empty())
      model_.use_own_params();
    else
      model_.set_params_view(params_);
    model_.forward_shared_t(xt, n, static_cast<float>(t), eps);
    model_.use_own_params();
    if (prediction_ == Prediction::Eps) return;
    for (int k = 0; k < 2 * n; ++k)
      eps[k] = static_cast<float>(eps_from_prediction(schedule_, t, prediction_, xt[k], eps[k]));
  }

 private:
  MlpModel& model_;
  const NoiseSchedule& schedule_;
  Prediction prediction_;
  Tensor params_;
  DataBox box_;
};

}  // namespace difflab
