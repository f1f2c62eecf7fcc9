// flow_ode.h — integrates the flow ODE dx/dt = v(x, t) from noise (t = 1) to data (t = 0) with Euler or Heun
// steps, uniform in t, and measures how straight the paths are. Not a VP sampler (sample/sampler.h runs a
// flow model through VelocityDenoiser) and not training.
#pragma once

#include <string>
#include <vector>

#include "core/flow.h"

namespace difflab {

enum class FlowMethod { Euler, Heun };
std::string flow_method_name(FlowMethod m);
bool parse_flow_method(const std::string& name, FlowMethod* m);

struct FlowPath {
  std::vector<float> x;                    // the endpoints (t = 0), n × dim
  std::vector<std::vector<float>> states;  // when kept: x at t = 1, t₁, …, 0 (steps + 1 states)
  int velocity_evaluations = 0;  // per point: N for Euler, 2N − 1 for Heun (no second call at t = 0)
  // Liu et al. 2023's straightness S = ∫₀¹ E‖(x₁ − x₀) − v(xₜ, t)‖² dt, with the velocities the integrator
  // used (Heun: the average of its two), x₁ the start and x₀ the end of each path. 0 for straight paths.
  double straightness = 0;
};

// Integrates n points `noise` (n × field.dim()) over `steps` ≥ 1 uniform steps t = 1 → 0. Throws
// std::invalid_argument for steps < 1 or a noise array that is not a whole number of points.
FlowPath integrate_flow(VelocityField& field, const std::vector<float>& noise, int steps, FlowMethod method,
                        bool keep_states = false);

}  // namespace difflab
