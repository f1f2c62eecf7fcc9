// diffusion.cpp — forward process and name tables (see diffusion.h).
// Not the samplers.
#include "core/diffusion.h"

#include <cmath>

namespace difflab {

std::string prediction_name(Prediction p) {
  switch (p) {
    case Prediction::Eps:
      return "eps";
    case Prediction::X0:
      return "x0";
    case Prediction::V:
      return "v";
  }
  return "?";
}

bool parse_prediction(const std::string& name, Prediction* p) {
  if (name == "eps" || name == "epsilon")
    *p = Prediction::Eps;
  else if (name == "x0" || name == "sample")
    *p = Prediction::X0;
  else if (name == "v" || name == "v_prediction")
    *p = Prediction::V;
  else
    return false;
  return true;
}

std::string variance_kind_name(VarianceKind v) {
  return v == VarianceKind::FixedSmall ? "fixed_small" : "fixed_large";
}

bool parse_variance_kind(const std::string& name, VarianceKind* v) {
  if (name == "fixed_small")
    *v = VarianceKind::FixedSmall;
  else if (name == "fixed_large")
    *v = VarianceKind::FixedLarge;
  else
    return false;
  return true;
}

double reverse_variance(const NoiseSchedule& s, int t, VarianceKind kind) {
  if (kind == VarianceKind::FixedSmall) return std::exp(s.posterior_log_variance_clipped[t]);
  return t == 0 ? s.posterior_variance[1] : s.beta[t];
}

void q_sample(const NoiseSchedule& s, int t, const float* x0, const float* eps, int count, float* xt) {
  const float a = static_cast<float>(s.sqrt_alpha_bar[t]);
  const float b = static_cast<float>(s.sqrt_one_minus_alpha_bar[t]);
  for (int i = 0; i < count; ++i) xt[i] = a * x0[i] + b * eps[i];
}

}  // namespace difflab
