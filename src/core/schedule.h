// schedule.h — β schedules and every quantity derived from them, indexed by the code index t = 0 … T−1.
// Not the forward process or the samplers (diffusion.h, sample/); conventions as in ../shared/MATH.md.
#pragma once

#include <string>
#include <vector>

namespace difflab {

enum class ScheduleKind { Linear, Quadratic, Cosine, Sigmoid };

struct ScheduleConfig {
  ScheduleKind kind = ScheduleKind::Linear;
  int T = 1000;
  double beta_start = 1e-4;  // linear and quadratic only
  double beta_end = 0.02;
};

// Code index t is the paper's t+1: beta[t] = β_{t+1}, alpha_bar[t] = ∏_{s≤t} (1 − β_s).
struct NoiseSchedule {
  ScheduleConfig config;
  std::vector<double> beta;
  std::vector<double> alpha;                     // 1 − βₜ
  std::vector<double> alpha_bar;                 // ᾱₜ
  std::vector<double> alpha_bar_prev;            // ᾱₜ₋₁, with alpha_bar_prev[0] = 1
  std::vector<double> sqrt_alpha_bar;            // √ᾱₜ
  std::vector<double> sqrt_one_minus_alpha_bar;  // √(1 − ᾱₜ)
  std::vector<double> posterior_variance;  // β̃ₜ = βₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ); 0 at t = 0
  std::vector<double> posterior_log_variance_clipped;  // log β̃ₜ, index 0 reuses index 1
  std::vector<double> posterior_mean_coef1;  // βₜ√ᾱₜ₋₁/(1 − ᾱₜ)       (multiplies x₀)
  std::vector<double> posterior_mean_coef2;  // (1 − ᾱₜ₋₁)√αₜ/(1 − ᾱₜ) (multiplies xₜ)
  std::vector<double> snr;                   // ᾱₜ/(1 − ᾱₜ)
  // λₜ with Lₜ = λₜ‖ε − ε̂‖² for the fixed_small reverse variance (Ho et al. 2020, eq. 12):
  // λₜ = βₜ² / (2σₜ² αₜ (1 − ᾱₜ)) with σₜ² = exp(posterior_log_variance_clipped[t]). At t = 0 this is
  // the weight of ‖ε − ε̂‖² in the Gaussian decoder's −log p(x₀|x₁) (its constant left out).
  std::vector<double> vlb_weight;

  int T() const { return config.T; }
};

// Throws std::invalid_argument with a readable message for T outside 2 … 4000 or a bad β range.
NoiseSchedule make_schedule(const ScheduleConfig& config);

std::string schedule_kind_name(ScheduleKind kind);
// Accepts linear, quadratic (alias scaled_linear), cosine (alias squaredcos_cap_v2), sigmoid.
bool parse_schedule_kind(const std::string& name, ScheduleKind* kind);
// One line saying which formula a schedule uses, for the UI and --help.
std::string schedule_formula(ScheduleKind kind);

// The continuous ᾱ(u), u ∈ [0, 1], that the cosine and sigmoid schedules discretise.
double cosine_alpha_bar(double u);
double sigmoid_alpha_bar(double u);

}  // namespace difflab
