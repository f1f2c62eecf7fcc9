// vlb.h — the variational bound L_vlb = L_T + Σ_{t≥1} Lₜ₋₁ + L₀ and L_simple, estimated for a denoiser.
// Not training losses (train/): this evaluates a fixed model on data, in nats per data point.
#pragma once

#include <functional>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/rng.h"

namespace difflab {

// How L₀ = −log p(x₀|x₁) is measured (shared/MATH.md): a Gaussian density for continuous data, or
// the discretized Gaussian over 256 bins of width 2/255 on [−1, 1] (open edge bins) for 8-bit images.
enum class DecoderKind { ContinuousGaussian, DiscretizedGaussian };

struct VlbTerms {
  double prior = 0;                    // L_T = KL(q(x_T|x₀) ‖ 𝒩(0, I)), averaged over x₀
  std::vector<double> per_t;           // per_t[0] = L₀ (decoder); per_t[t] = Lₜ₋₁ in the paper's naming
  double diffusion = 0;                // Σ_{t≥1} per_t[t]
  double decoder = 0;                  // per_t[0]
  double total = 0;                    // prior + diffusion + decoder
  std::vector<double> l_simple_per_t;  // E‖ε − ε̂‖² / dim at each t (the training loss's scale)
  double l_simple = 0;                 // mean of l_simple_per_t (t uniform)
};

// The reverse kernel p(xₜ₋₁|xₜ) = 𝒩(mean, cov) for n points at code index t. `cov` is either one
// isotropic variance per point (cov_size == 1) or a full dim×dim matrix per point (cov_size == dim²).
struct ReverseGaussian {
  std::vector<double> mean;  // n × dim
  std::vector<double> cov;   // n × cov_size
  int cov_size = 1;
};
using ReverseKernel = std::function<void(const float* xt, int n, int t, ReverseGaussian* out)>;

// Monte-Carlo estimate over x₀ (n × dim) with fresh (ε, xₜ) per x₀ and t; KLs are exact given xₜ.
VlbTerms evaluate_vlb(const ReverseKernel& kernel, const NoiseSchedule& s, const std::vector<float>& x0,
                      int dim, DecoderKind decoder, Rng& rng);

// The same for a denoiser: mean from x̂₀ through the posterior, variance from `variance`.
// Also fills l_simple_per_t. Clips x̂₀ to [−1, 1] first when clip_x0 is set (images only).
VlbTerms evaluate_vlb(Denoiser& model, VarianceKind variance, const std::vector<float>& x0,
                      DecoderKind decoder, Rng& rng, bool clip_x0 = false);

// Closed forms used by the bound.
// KL(𝒩(μ₁, σ₁²) ‖ 𝒩(μ₂, σ₂²)) for one coordinate.
double gaussian_kl(double mean1, double var1, double mean2, double var2);
// log 𝒩(x; μ, σ²) for one coordinate.
double gaussian_log_density(double x, double mean, double var);
// log P(bin of x) under 𝒩(μ, σ²), bins of width 2/255 centred on 8-bit values in [−1, 1],
// the first and last bins extended to ∓∞ (Ho et al. 2020, eq. 13).
double discretized_gaussian_log_likelihood(double x, double mean, double var);

}  // namespace difflab
