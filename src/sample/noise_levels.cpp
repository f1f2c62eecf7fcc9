// noise_levels.cpp — schedule steps and Karras σ-steps as noise levels (see noise_levels.h).
// Not a sampler.
#include "sample/noise_levels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace difflab {

std::string sigma_spacing_name(SigmaSpacing s) {
  switch (s) {
    case SigmaSpacing::Karras:
      return "karras";
    case SigmaSpacing::LogSnr:
      return "logsnr";
    case SigmaSpacing::Timesteps:
      return "timesteps";
    case SigmaSpacing::Auto:
      return "auto";
  }
  return "?";
}

bool parse_sigma_spacing(const std::string& name, SigmaSpacing* s) {
  if (name == "karras")
    *s = SigmaSpacing::Karras;
  else if (name == "logsnr")
    *s = SigmaSpacing::LogSnr;
  else if (name == "timesteps")
    *s = SigmaSpacing::Timesteps;
  else if (name == "auto")
    *s = SigmaSpacing::Auto;
  else
    return false;
  return true;
}

double sigma_at(const NoiseSchedule& s, int t) {
  if (t < 0) return 0.0;
  const double alpha_bar = s.alpha_bar[t];
  return std::sqrt((1.0 - alpha_bar) / alpha_bar);
}

NoiseLevel level_at_index(const NoiseSchedule& s, int t) {
  NoiseLevel level;
  level.t = t;
  level.t_continuous = t;
  level.alpha_bar = t < 0 ? 1.0 : s.alpha_bar[t];
  level.sigma = sigma_at(s, t);
  level.on_schedule = true;
  return level;
}

NoiseLevel level_at_sigma(const NoiseSchedule& s, double sigma) {
  if (!(sigma >= 0) || !std::isfinite(sigma)) throw std::invalid_argument("σ must be finite and ≥ 0");
  if (sigma == 0) return level_at_index(s, -1);
  NoiseLevel level;
  level.sigma = sigma;
  level.alpha_bar = 1.0 / (1.0 + sigma * sigma);  // Table 1: s(t) = 1/√(1 + σ²)
  level.on_schedule = false;
  const int T = s.T();
  const double log_sigma = std::log(sigma);
  if (log_sigma <= std::log(sigma_at(s, 0))) {
    level.t_continuous = 0;
  } else if (log_sigma >= std::log(sigma_at(s, T - 1))) {
    level.t_continuous = T - 1;
  } else {
    // σₜ increases with t: find the pair (low, low + 1) around σ and interpolate in log σ.
    int low = 0, high = T - 1;
    while (high - low > 1) {
      const int mid = (low + high) / 2;
      (std::log(sigma_at(s, mid)) <= log_sigma ? low : high) = mid;
    }
    const double log_low = std::log(sigma_at(s, low)), log_high = std::log(sigma_at(s, high));
    level.t_continuous = low + (log_sigma - log_low) / (log_high - log_low);
  }
  level.t = static_cast<int>(std::lround(level.t_continuous));
  return level;
}

std::vector<double> karras_sigmas(int steps, double sigma_min, double sigma_max, double rho) {
  if (steps < 1) throw std::invalid_argument("the number of σ-steps must be ≥ 1");
  if (!(sigma_min > 0) || !(sigma_max >= sigma_min) || !std::isfinite(sigma_max))
    throw std::invalid_argument("σ-steps need 0 < σ_min ≤ σ_max (got σ_min = " + std::to_string(sigma_min) +
                                ", σ_max = " + std::to_string(sigma_max) + ")");
  if (!(rho > 0) || !std::isfinite(rho)) throw std::invalid_argument("ρ must be > 0");
  std::vector<double> sigmas(steps + 1, 0.0);
  const double max_inv_rho = std::pow(sigma_max, 1.0 / rho), min_inv_rho = std::pow(sigma_min, 1.0 / rho);
  for (int i = 0; i < steps; ++i) {
    const double fraction = steps == 1 ? 0.0 : static_cast<double>(i) / (steps - 1);
    sigmas[i] = std::pow(max_inv_rho + fraction * (min_inv_rho - max_inv_rho), rho);  // eq. 5
  }
  return sigmas;  // σ_N = 0
}

std::vector<double> log_snr_sigmas(int steps, double sigma_min, double sigma_max) {
  // Validates like eq. 5; the values are eq. 5's limit ρ → ∞: exp(log σ_max + i/(N−1) (log σ_min − log
  // σ_max)).
  std::vector<double> sigmas = karras_sigmas(steps, sigma_min, sigma_max, 1.0);
  const double log_max = std::log(sigma_max), log_min = std::log(sigma_min);
  for (int i = 0; i < steps; ++i) {
    const double fraction = steps == 1 ? 0.0 : static_cast<double>(i) / (steps - 1);
    sigmas[i] = std::exp(log_max + fraction * (log_min - log_max));
  }
  return sigmas;
}

std::string sigma_max_problem(const NoiseSchedule& s) {
  const double alpha_bar_T = s.alpha_bar[s.T() - 1];
  if (alpha_bar_T >= 1e-12) return "";
  char text[512];
  std::snprintf(
      text, sizeof text,
      "ᾱ at t = T − 1 is %.3g, so σ_max = √((1 − ᾱ)/ᾱ) = %.3g: the schedule destroys the data long "
      "before its last step (Σβ = %.0f); σ-step samplers and the converged reference would start "
      "at that σ. Use a β range made for this T (for T = %d e.g. --beta-start 1e-4 --beta-end "
      "%.3g, which keeps ᾱ_T ≈ 4e-5) or a smaller T",
      alpha_bar_T, sigma_at(s, s.T() - 1),
      [&] {
        double sum = 0;
        for (double b : s.beta) sum += b;
        return sum;
      }(),
      s.T(), 20.0 / s.T());
  return text;
}

std::vector<NoiseLevel> timestep_levels(const NoiseSchedule& s, int steps, Spacing spacing) {
  std::vector<NoiseLevel> levels;
  for (int t : make_timesteps(s.T(), steps, spacing)) levels.push_back(level_at_index(s, t));
  levels.push_back(level_at_index(s, -1));
  return levels;
}

std::vector<NoiseLevel> karras_levels(const NoiseSchedule& s, int steps, double sigma_min, double sigma_max,
                                      double rho) {
  if (sigma_min <= 0) sigma_min = sigma_at(s, 0);
  if (sigma_max <= 0) sigma_max = sigma_at(s, s.T() - 1);
  std::vector<NoiseLevel> levels;
  for (double sigma : karras_sigmas(steps, sigma_min, sigma_max, rho))
    levels.push_back(level_at_sigma(s, sigma));
  return levels;
}

std::vector<NoiseLevel> log_snr_levels(const NoiseSchedule& s, int steps, double sigma_min,
                                       double sigma_max) {
  if (sigma_min <= 0) sigma_min = sigma_at(s, 0);
  if (sigma_max <= 0) sigma_max = sigma_at(s, s.T() - 1);
  std::vector<NoiseLevel> levels;
  for (double sigma : log_snr_sigmas(steps, sigma_min, sigma_max)) levels.push_back(level_at_sigma(s, sigma));
  return levels;
}

}  // namespace difflab
