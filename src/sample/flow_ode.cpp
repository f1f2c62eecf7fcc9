// flow_ode.cpp — Euler and Heun on the flow ODE, t = 1 → 0 in uniform steps, with the straightness integral.
// Not a VP sampler: see flow_ode.h.
#include "sample/flow_ode.h"

#include <stdexcept>

namespace difflab {

std::string flow_method_name(FlowMethod m) {
  return m == FlowMethod::Euler ? "euler" : "heun";
}

bool parse_flow_method(const std::string& name, FlowMethod* m) {
  if (name == "euler")
    *m = FlowMethod::Euler;
  else if (name == "heun")
    *m = FlowMethod::Heun;
  else
    return false;
  return true;
}

FlowPath integrate_flow(VelocityField& field, const std::vector<float>& noise, int steps, FlowMethod method,
                        bool keep_states) {
  if (steps < 1) throw std::invalid_argument("the flow ODE needs at least 1 step");
  const size_t D = static_cast<size_t>(field.dim());
  if (D == 0 || noise.size() % D != 0)
    throw std::invalid_argument("flow ODE: the noise is not a whole number of points of the field's size");
  const int n = static_cast<int>(noise.size() / D);
  FlowPath path;
  path.x = noise;
  if (keep_states) path.states.push_back(path.x);
  std::vector<float> v(noise.size()), v2(noise.size()), trial(noise.size());
  std::vector<std::vector<float>> used;  // the velocity each step moved by, for the straightness
  used.reserve(static_cast<size_t>(steps));
  for (int i = 0; i < steps; ++i) {
    const double t = 1.0 - static_cast<double>(i) / steps, t_next = 1.0 - static_cast<double>(i + 1) / steps;
    const double h = t_next - t;  // negative
    field.predict_velocity(path.x.data(), n, t, v.data());
    ++path.velocity_evaluations;
    if (method == FlowMethod::Heun && i + 1 < steps) {
      for (size_t k = 0; k < v.size(); ++k) trial[k] = static_cast<float>(path.x[k] + h * v[k]);
      field.predict_velocity(trial.data(), n, t_next, v2.data());
      ++path.velocity_evaluations;
      for (size_t k = 0; k < v.size(); ++k) v[k] = 0.5f * (v[k] + v2[k]);
    }
    for (size_t k = 0; k < v.size(); ++k) path.x[k] = static_cast<float>(path.x[k] + h * v[k]);
    used.push_back(v);
    if (keep_states) path.states.push_back(path.x);
  }
  // x₁ − x₀ of each path against every velocity it moved by, each step weighted by its length 1/N.
  double total = 0;
  for (const auto& u : used)
    for (size_t k = 0; k < u.size(); ++k) {
      const double e = (noise[k] - path.x[k]) - u[k];
      total += e * e;
    }
  path.straightness = n > 0 ? total / steps / n : 0.0;
  return path;
}

}  // namespace difflab
