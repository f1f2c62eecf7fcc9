// flow_mlp.cpp — the MLP's forward pass read as a velocity. Not training: see flow_mlp.h.
#include "nn/flow_mlp.h"

namespace difflab {

void MlpVelocity::predict_velocity(const float* x, int n, double t, float* v) {
  ParamsView view(model_, params_);
  model_.forward_shared_t(x, n, static_cast<float>(t), v);
}

}  // namespace difflab
