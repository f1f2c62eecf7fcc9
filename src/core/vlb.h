// vlb.h — the variational bound L_vlb = L_T + Σ_{t≥1} Lₜ₋₁ + L₀ and L_simple, estimated for a denoiser.
// Not training losses (train/): this evaluates a fixed model on data, in nats per data point.
#pragma once

#include <functional>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/rng.h"

namespace difflab {

// How L₀ = −log p(x₀|x₁) is measured (../shared/MATH.md): a Gaussian density for continuous data, or
// the discretized Gaussian over 256 bins of width 2/255 on [−1, 1] (open edge bins) for 8-bit images.
enum class DecoderKind { ContinuousGaussian, DiscretizedGaussian };

struct VlbTerms {
  double prior = 0;           // L_T = KL(q(x_T|x₀) ‖ 𝒩(0, I)), averaged over x₀
  std::vector<double> per_t;  // per_t[0] = L₀ (decoder); per_t[t] = Lₜ₋₁ in the paper's naming
  double diffusion = 0;       // Σ_{t≥1} per_t[t]
  double decoder = 0;         // per_t[0]
  double total = 0;           // prior + diffusion + decoder
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

// Σ_{t=1}^{T−1} Lₜ from K timesteps instead of all T − 1 (stratified sampling): 1 … T−1 is cut into K runs of
// consecutive t, stratum k = [b_k, b_{k+1}) with 1 = b₀ < b₁ < … < b_K = T; one t is drawn uniformly in each
// and its term weighted by the run's size, an unbiased estimate of the sum.
//   Geometric: b_k = round(T^{k/K}), pushed up to b_{k−1} + 1 where they would collide, so every stratum
//   spans
//     about the same ratio of t and the first ones are single t's, computed exactly. The terms fall roughly
//     like 1/t (the classroom U-Net: L₁ = 0.41, L₂ = 0.20, L₁₀ = 0.04, L₁₀₀ = 0.002 bits/dim): equal ratios
//     hold similar shares of the sum, and the spread stays small.
//   Even: b_k = 1 + ⌊k(T−1)/K⌋. Unbiased too, but a stratum [1, 20] weighs L₁ by 20 when it draws t = 1: the
//     estimate is skewed and spreads ≈ 15 % on the classroom U-Net at K = 50 (geometric: see the tests).
enum class StrataSpacing { Geometric, Even };
// The boundaries b₀ … b_K. Throws std::invalid_argument unless 1 ≤ K ≤ T − 1.
std::vector<int> vlb_strata(int T, int strata, StrataSpacing spacing = StrataSpacing::Geometric);

// The bound with that estimate of Σ Lₜ, and L_T and L₀ exact as in evaluate_vlb. Draws from rng in
// evaluate_vlb's order (L₀'s ε, then per stratum: t, ε), and a stratum of one t needs no draw, so K = T − 1
// reproduces evaluate_vlb's total on the same stream. Costs K + 1 network passes per point instead of T.
struct VlbEstimate {
  double prior = 0;             // L_T, exact
  double decoder = 0;           // L₀, one draw
  double diffusion = 0;         // Σ_k size_k · L_{t_k}, the estimate of Σ_{t≥1} Lₜ
  double total = 0;             // prior + diffusion + decoder
  std::vector<int> timesteps;   // t_k, one per stratum
  std::vector<double> terms;    // L_{t_k}, averaged over the points
  std::vector<double> weights;  // size_k
};
VlbEstimate estimate_vlb_stratified(Denoiser& model, VarianceKind variance, const std::vector<float>& x0,
                                    DecoderKind decoder, int strata, Rng& rng, bool clip_x0 = false,
                                    StrataSpacing spacing = StrataSpacing::Geometric);

// Closed forms used by the bound.
// KL(𝒩(μ₁, σ₁²) ‖ 𝒩(μ₂, σ₂²)) for one coordinate.
double gaussian_kl(double mean1, double var1, double mean2, double var2);
// log 𝒩(x; μ, σ²) for one coordinate.
double gaussian_log_density(double x, double mean, double var);
// log P(bin of x) under 𝒩(μ, σ²), bins of width 2/255 centred on 8-bit values in [−1, 1],
// the first and last bins extended to ∓∞ (Ho et al. 2020, eq. 13).
double discretized_gaussian_log_likelihood(double x, double mean, double var);

}  // namespace difflab
