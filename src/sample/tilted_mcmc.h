// tilted_mcmc.h — a reference sampler for the tilted density p̃(x) ∝ p(x | y)^γ p(x)^(1−γ) of a labelled
// mixture: annealed sequential Monte Carlo with MALA moves (Metropolis-adjusted Langevin), many chains. Not a
// diffusion sampler: it shows what guided diffusion sampling would have to produce and does not.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/guidance.h"

namespace difflab {

// The path from a base density p_base (sampled exactly) to the target p_base · tilt, through
//   log π_s(x) = log p_base(x) + s · log tilt(x),   s = 1/levels, 2/levels, …, 1.
// At each level: reweight the chains by tilt^(Δs), resample (systematic) when the effective sample size falls
// under half the chains, then `moves_per_level` MALA moves that leave π_s invariant. At s = 1: `burn_in` MALA
// steps whose step size h adapts (×1.1 or ×0.9 per step toward the target acceptance), then `final_steps`
// with h fixed. MALA: x' = x + h ∇log π(x) + √(2h) z, accepted with the Metropolis–Hastings ratio of the
// Langevin proposals, so each move is exact for π_s whatever h is.
struct AnnealedSmcConfig {
  int chains = 4000;
  int levels = 64;
  int moves_per_level = 3;
  int burn_in = 200;
  int final_steps = 200;
  double initial_step = 1e-3;        // h at the first level (adapted from then on)
  double target_acceptance = 0.574;  // optimal for MALA (Roberts & Rosenthal 1998)
  uint64_t seed = 0;
};

struct AnnealedSmcResult {
  std::vector<float> xy;  // chains × 2
  double acceptance = 0;  // mean MALA acceptance over the final_steps
  double step_size = 0;   // h of the final steps
  int resamplings = 0;
  double min_ess_fraction = 1;  // smallest ESS / chains seen before a resampling
};

// Evaluates at one point: log p_base, its gradient, log tilt and its gradient (constants may be dropped).
using AnnealedTarget = std::function<void(double x, double y, double* log_base, double g_base[2],
                                          double* log_tilt, double g_tilt[2])>;

// base_samples: exact draws of p_base (chains × 2). Throws std::invalid_argument for a bad configuration.
AnnealedSmcResult annealed_smc(const AnnealedTarget& target, std::vector<float> base_samples,
                               const AnnealedSmcConfig& config);

// The tilted density of a labelled mixture diffused to ᾱ (1 = the data itself; a point set needs ᾱ < 1):
//   p̃(x) ∝ p(x | y)^γ p(x)^(1−γ) = p(x) p(y | x)^γ / p(y)^γ,   γ ≥ 0.
// γ < 1 starts from p(x) with tilt p(y | x)^γ; γ ≥ 1 from p(x | y) with tilt p(y | x)^(γ−1) (the nearer end).
AnnealedSmcResult sample_tilted(const LabelledMixture2D& mixture, int label, double gamma, double alpha_bar,
                                const AnnealedSmcConfig& config);

// n draws of a mixture diffused to ᾱ: √ᾱ x₀ + √(1−ᾱ) z with x₀ from the mixture.
std::vector<float> sample_diffused(const GaussianMixture2D& mixture, double alpha_bar, int n, uint64_t seed);

// How far samples are from the data (a mixture with non-zero covariances):
// the fraction of points farther than k_sigma (Mahalanobis, in the component's own covariance) from every
// component, and the mean of log p(x) over the points.
double fraction_off_modes(const GaussianMixture2D& mixture, const std::vector<float>& xy, double k_sigma = 3);
double mean_log_density(const GaussianMixture2D& mixture, const std::vector<float>& xy);
// Of the points, the fraction within k_sigma of some component of class `label` (per-class precision).
double fraction_in_class_modes(const LabelledMixture2D& mixture, int label, const std::vector<float>& xy,
                               double k_sigma = 3);
// Diversity: how many of class `label`'s components are covered, a component counting when at least
// 1/(4K) of the points (K = the class's components) lie within k_sigma of it (issue 12 §1's mode coverage).
int class_modes_covered(const LabelledMixture2D& mixture, int label, const std::vector<float>& xy,
                        double k_sigma = 3);

}  // namespace difflab
