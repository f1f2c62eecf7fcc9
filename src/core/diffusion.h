// diffusion.h — the forward process q(xₜ|x₀), the posterior q(xₜ₋₁|xₜ,x₀), and ε / x₀ / v conversions.
// Not samplers or losses; every function works on n points of any dimension, stored row-major.
#pragma once

#include <string>

#include "core/schedule.h"

namespace difflab {

// What a network predicts. Conversions follow ../shared/MATH.md (v as in Salimans & Ho 2022).
enum class Prediction { Eps, X0, V };
std::string prediction_name(Prediction p);
bool parse_prediction(const std::string& name, Prediction* p);

// The reverse-process variance σₜ² of p_θ(xₜ₋₁|xₜ) (Ho et al. 2020, §3.2).
enum class VarianceKind { FixedSmall, FixedLarge };
std::string variance_kind_name(VarianceKind v);
bool parse_variance_kind(const std::string& name, VarianceKind* v);

// σₜ² as improved-diffusion defines it: fixed_small = β̃ₜ with index 0 clipped to β̃ at index 1,
// fixed_large = (β̃ at index 1, β₁, β₂, …).
double reverse_variance(const NoiseSchedule& s, int t, VarianceKind kind);

// xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε  (Ho et al. 2020, eq. 4 reparameterised). count = n·dim values.
void q_sample(const NoiseSchedule& s, int t, const float* x0, const float* eps, int count, float* xt);

// x̂₀ = (xₜ − √(1−ᾱₜ) ε̂)/√ᾱₜ and its inverse.
inline double x0_from_eps(const NoiseSchedule& s, int t, double xt, double eps) {
  return (xt - s.sqrt_one_minus_alpha_bar[t] * eps) / s.sqrt_alpha_bar[t];
}
inline double eps_from_x0(const NoiseSchedule& s, int t, double xt, double x0) {
  return (xt - s.sqrt_alpha_bar[t] * x0) / s.sqrt_one_minus_alpha_bar[t];
}
// v = √ᾱ ε − √(1−ᾱ) x₀;  x̂₀ = √ᾱ xₜ − √(1−ᾱ) v̂;  ε̂ = √ᾱ v̂ + √(1−ᾱ) xₜ.
inline double v_from(const NoiseSchedule& s, int t, double x0, double eps) {
  return s.sqrt_alpha_bar[t] * eps - s.sqrt_one_minus_alpha_bar[t] * x0;
}
inline double x0_from_v(const NoiseSchedule& s, int t, double xt, double v) {
  return s.sqrt_alpha_bar[t] * xt - s.sqrt_one_minus_alpha_bar[t] * v;
}
inline double eps_from_v(const NoiseSchedule& s, int t, double xt, double v) {
  return s.sqrt_alpha_bar[t] * v + s.sqrt_one_minus_alpha_bar[t] * xt;
}
// ε̂ from any prediction of the network.
inline double eps_from_prediction(const NoiseSchedule& s, int t, Prediction p, double xt, double out) {
  switch (p) {
    case Prediction::Eps:
      return out;
    case Prediction::X0:
      return eps_from_x0(s, t, xt, out);
    case Prediction::V:
      return eps_from_v(s, t, xt, out);
  }
  return out;
}
// The regression target for a prediction type, given the x₀ and ε that made xₜ.
inline double prediction_target(const NoiseSchedule& s, int t, Prediction p, double x0, double eps) {
  switch (p) {
    case Prediction::Eps:
      return eps;
    case Prediction::X0:
      return x0;
    case Prediction::V:
      return v_from(s, t, x0, eps);
  }
  return eps;
}

// Posterior mean μ̃ₜ(xₜ, x₀) = coef1·x₀ + coef2·xₜ  (Ho et al. 2020, eq. 7).
inline double posterior_mean(const NoiseSchedule& s, int t, double x0, double xt) {
  return s.posterior_mean_coef1[t] * x0 + s.posterior_mean_coef2[t] * xt;
}

// Score from ε: ∇ log pₜ(x) = −ε/√(1 − ᾱₜ).
inline double score_from_eps(const NoiseSchedule& s, int t, double eps) {
  return -eps / s.sqrt_one_minus_alpha_bar[t];
}

}  // namespace difflab
