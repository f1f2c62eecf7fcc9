// schedule.cpp — builds β schedules and their derived quantities (see schedule.h).
// Not the samplers: they read these arrays.
#include "core/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace difflab {
namespace {

constexpr double kMaxBeta = 0.999;  // Nichol & Dhariwal 2021, §3.2: prevents singularities near t = T

// Sigmoid schedule parameters (Chen 2023, "On the importance of noise scheduling", Alg. 1).
constexpr double kSigmoidStart = -3.0, kSigmoidEnd = 3.0, kSigmoidTau = 1.0;

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// βᵢ = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999) for a continuous ᾱ(u).
std::vector<double> betas_from_alpha_bar(int T, double (*alpha_bar)(double)) {
  std::vector<double> beta(T);
  for (int i = 0; i < T; ++i) {
    const double ratio = alpha_bar((i + 1.0) / T) / alpha_bar(static_cast<double>(i) / T);
    beta[i] = std::min(1.0 - ratio, kMaxBeta);
  }
  return beta;
}

}  // namespace

double cosine_alpha_bar(double u) {
  const double f = std::cos((u + 0.008) / 1.008 * std::numbers::pi / 2.0);
  return f * f;
}

double sigmoid_alpha_bar(double u) {
  const double v_start = sigmoid(kSigmoidStart / kSigmoidTau);
  const double v_end = sigmoid(kSigmoidEnd / kSigmoidTau);
  const double v = sigmoid((u * (kSigmoidEnd - kSigmoidStart) + kSigmoidStart) / kSigmoidTau);
  return std::clamp((v_end - v) / (v_end - v_start), 1e-9, 1.0);
}

NoiseSchedule make_schedule(const ScheduleConfig& config) {
  const int T = config.T;
  if (T < 2 || T > 4000)
    throw std::invalid_argument("T must be between 2 and 4000 (got " + std::to_string(T) + ")");
  const bool uses_range = config.kind == ScheduleKind::Linear || config.kind == ScheduleKind::Quadratic;
  if (uses_range &&
      !(config.beta_start > 0.0 && config.beta_start <= config.beta_end && config.beta_end < 1.0))
    throw std::invalid_argument("the β range must satisfy 0 < beta_start <= beta_end < 1 (got " +
                                std::to_string(config.beta_start) + " … " + std::to_string(config.beta_end) +
                                ")");

  NoiseSchedule s;
  s.config = config;
  s.beta.resize(T);
  switch (config.kind) {
    case ScheduleKind::Linear:  // linspace(β_start, β_end, T), not rescaled by 1000/T
      for (int i = 0; i < T; ++i)
        s.beta[i] = config.beta_start + (config.beta_end - config.beta_start) * i / (T - 1.0);
      break;
    case ScheduleKind::Quadratic: {  // linspace(√β_start, √β_end, T)²  (diffusers' scaled_linear)
      const double a = std::sqrt(config.beta_start), b = std::sqrt(config.beta_end);
      for (int i = 0; i < T; ++i) {
        const double r = a + (b - a) * i / (T - 1.0);
        s.beta[i] = r * r;
      }
      break;
    }
    case ScheduleKind::Cosine:
      s.beta = betas_from_alpha_bar(T, cosine_alpha_bar);
      break;
    case ScheduleKind::Sigmoid:
      s.beta = betas_from_alpha_bar(T, sigmoid_alpha_bar);
      break;
  }

  auto resize_all = [T](auto&... v) { (v.resize(T), ...); };
  resize_all(s.alpha, s.alpha_bar, s.alpha_bar_prev, s.sqrt_alpha_bar, s.sqrt_one_minus_alpha_bar,
             s.posterior_variance, s.posterior_log_variance_clipped, s.posterior_mean_coef1,
             s.posterior_mean_coef2, s.snr, s.vlb_weight);
  double product = 1.0;
  for (int t = 0; t < T; ++t) {
    s.alpha[t] = 1.0 - s.beta[t];
    s.alpha_bar_prev[t] = product;
    product *= s.alpha[t];
    s.alpha_bar[t] = product;
    s.sqrt_alpha_bar[t] = std::sqrt(product);
    s.sqrt_one_minus_alpha_bar[t] = std::sqrt(1.0 - product);
    // Ho et al. 2020, eq. 7: the posterior q(xₜ₋₁ | xₜ, x₀).
    const double one_minus = 1.0 - s.alpha_bar[t];
    s.posterior_variance[t] = s.beta[t] * (1.0 - s.alpha_bar_prev[t]) / one_minus;
    s.posterior_mean_coef1[t] = s.beta[t] * std::sqrt(s.alpha_bar_prev[t]) / one_minus;
    s.posterior_mean_coef2[t] = (1.0 - s.alpha_bar_prev[t]) * std::sqrt(s.alpha[t]) / one_minus;
    s.snr[t] = s.alpha_bar[t] / one_minus;
  }
  for (int t = 0; t < T; ++t)
    s.posterior_log_variance_clipped[t] = std::log(s.posterior_variance[t == 0 ? 1 : t]);
  for (int t = 0; t < T; ++t) {
    const double sigma2 = std::exp(s.posterior_log_variance_clipped[t]);
    s.vlb_weight[t] = s.beta[t] * s.beta[t] / (2.0 * sigma2 * s.alpha[t] * (1.0 - s.alpha_bar[t]));
  }
  return s;
}

std::string schedule_kind_name(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Linear:
      return "linear";
    case ScheduleKind::Quadratic:
      return "quadratic";
    case ScheduleKind::Cosine:
      return "cosine";
    case ScheduleKind::Sigmoid:
      return "sigmoid";
  }
  return "?";
}

bool parse_schedule_kind(const std::string& name, ScheduleKind* kind) {
  if (name == "linear")
    *kind = ScheduleKind::Linear;
  else if (name == "quadratic" || name == "scaled_linear")
    *kind = ScheduleKind::Quadratic;
  else if (name == "cosine" || name == "squaredcos_cap_v2")
    *kind = ScheduleKind::Cosine;
  else if (name == "sigmoid")
    *kind = ScheduleKind::Sigmoid;
  else
    return false;
  return true;
}

std::string schedule_formula(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Linear:
      return "βₜ = linspace(β_start, β_end, T) (Ho et al. 2020; diffusers 'linear')";
    case ScheduleKind::Quadratic:
      return "βₜ = linspace(√β_start, √β_end, T)² (diffusers 'scaled_linear')";
    case ScheduleKind::Cosine:
      return "ᾱ(u) = cos²(((u+0.008)/1.008)·π/2), βᵢ = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999) "
             "(Nichol & Dhariwal 2021; diffusers 'squaredcos_cap_v2')";
    case ScheduleKind::Sigmoid:
      return "ᾱ(u) = (σ(3) − σ(6u − 3))/(σ(3) − σ(−3)), βᵢ = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999) "
             "(Chen 2023, start −3, end 3, τ = 1)";
  }
  return "";
}

}  // namespace difflab
