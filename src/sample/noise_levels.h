// noise_levels.h — the noise levels a sampler walks through: the schedule's own steps, or Karras et al.'s
// σ-steps. Not a sampler. A VP model is used at any σ through ᾱ = 1/(1 + σ²) (Karras et al. 2022, Table 1).
#pragma once

#include <string>
#include <vector>

#include "core/schedule.h"
#include "sample/timesteps.h"

namespace difflab {

// Where σ-step samplers put their N levels between σ_max and σ_min (then σ = 0):
// karras: Karras et al. 2022, eq. 5 (ρ); logsnr: uniform in λ = −log σ (Lu et al. 2022's "logSNR" steps, the
// ρ → ∞ limit of eq. 5); timesteps: the schedule's own steps by Spacing (diffusers' schedulers); auto: the
// sampler's paper's choice (SamplerInfo::paper_sigmas: Karras for EDM, logSNR for DPM-Solver++ and UniPC).
// Append only.
enum class SigmaSpacing { Karras, LogSnr, Timesteps, Auto };
std::string sigma_spacing_name(SigmaSpacing s);
bool parse_sigma_spacing(const std::string& name, SigmaSpacing* s);

// One noise level. In VP variables xₜ = √ᾱ x₀ + √(1 − ᾱ) ε; in EDM variables x̃ = x/√ᾱ = x₀ + σ ε.
struct NoiseLevel {
  int t = -1;                // the nearest code index; −1 = clean data (ᾱ = 1, σ = 0)
  double t_continuous = -1;  // the fractional code index whose σ this is (= t on the schedule's own steps)
  double alpha_bar = 1;      // ᾱ
  double sigma = 0;          // σ = √((1 − ᾱ)/ᾱ)
  bool on_schedule = true;   // one of the schedule's steps: the model is called at integer t, bit for bit
};

// σ of code index t: √((1 − ᾱₜ)/ᾱₜ) (0 for t = −1).
double sigma_at(const NoiseSchedule& s, int t);
// The schedule's own step t as a level (t = −1: clean data).
NoiseLevel level_at_index(const NoiseSchedule& s, int t);
// Any σ ≥ 0 as a level: t_continuous interpolates log σ between the two neighbouring code indices (as
// k-diffusion's sigma_to_t does), clamped to [0, T − 1]; σ = 0 is clean data.
NoiseLevel level_at_sigma(const NoiseSchedule& s, double sigma);

// Karras et al. 2022, eq. 5: σᵢ = (σ_max^{1/ρ} + i/(N−1) (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ for i < N, σ_N = 0.
// Returns N + 1 values (N = 1: σ_max, 0). Throws std::invalid_argument unless 0 < σ_min ≤ σ_max, ρ > 0, N
// ≥ 1.
std::vector<double> karras_sigmas(int steps, double sigma_min, double sigma_max, double rho);

// N + 1 values uniform in log σ from σ_max to σ_min, then 0 (N = 1: σ_max, 0).
std::vector<double> log_snr_sigmas(int steps, double sigma_min, double sigma_max);

// Empty when σ-steps can start at the schedule's σ(T − 1); else why not: ᾱ at t = T − 1 below 1e-12 (σ_max >
// 10⁶, e.g. T = 1000 with the 2-D β range 1e-3 … 0.2, where ᾱ_T ≈ 1e-47) leaves σ-step samplers, and a
// converged reference solution, thousands of steps just to come down from σ_max.
std::string sigma_max_problem(const NoiseSchedule& s);

// steps + 1 levels: the schedule's steps from make_timesteps, then clean data.
std::vector<NoiseLevel> timestep_levels(const NoiseSchedule& s, int steps, Spacing spacing);
// steps + 1 levels on Karras σ-steps; σ_min / σ_max ≤ 0 mean the schedule's own σ(0) / σ(T − 1).
std::vector<NoiseLevel> karras_levels(const NoiseSchedule& s, int steps, double sigma_min, double sigma_max,
                                      double rho);
// The same with uniform log σ (SigmaSpacing::LogSnr).
std::vector<NoiseLevel> log_snr_levels(const NoiseSchedule& s, int steps, double sigma_min, double sigma_max);

}  // namespace difflab
