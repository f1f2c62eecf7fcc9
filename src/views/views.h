// views.h — what the lecture panels compute, as headless library calls: noised clouds, exact densities,
// fields on grids, sampler comparisons, bound comparisons, warped grids, an image noising strip.
// Not drawing: src/ui panels call these and plot the results; tests hold them against closed forms.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/gaussian_mixture.h"
#include "core/vlb.h"
#include "sample/sampler.h"

namespace difflab {

struct GridSpec {
  double x_min = -3, x_max = 3, y_min = -3, y_max = 3;
  int n = 32;  // n × n points, row 0 at the top (y_max), column 0 at x_min
  double x_at(int column) const {
    return n == 1 ? 0.5 * (x_min + x_max) : x_min + (x_max - x_min) * column / (n - 1);
  }
  double y_at(int row) const {
    return n == 1 ? 0.5 * (y_min + y_max) : y_max - (y_max - y_min) * row / (n - 1);
  }
  std::vector<float> points() const;  // interleaved x, y in row-major order
  // A heat map of the grid draws each value as a cell centred on its point: its extent reaches half a
  // spacing beyond the first and last points.
  double x_step() const { return n > 1 ? (x_max - x_min) / (n - 1) : x_max - x_min; }
  double y_step() const { return n > 1 ? (y_max - y_min) / (n - 1) : y_max - y_min; }
};

// ---- forward process ------------------------------------------------------------------------------
// xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε with one fixed ε per point (so a moving t slider moves each point smoothly).
// t = −1 returns x₀.
std::vector<float> noised_points(const NoiseSchedule& s, int t, const std::vector<float>& x0,
                                 const std::vector<float>& fixed_eps);
// log q(xₜ) of a mixture diffused to code index t on a grid (row-major, row 0 at the top); t = −1 is the
// data.
std::vector<float> log_density_grid(const GaussianMixture2D& mixture, const NoiseSchedule& s, int t,
                                    const GridSpec& grid);

// A 28 × 28 synthetic grayscale picture in [−1, 1] (a T-shirt silhouette with a stripe), for the image
// strip when no image data set is installed.
std::vector<float> synthetic_image();
// Of the first `candidates` images (each `dim` pixels, one after another), the one with the largest pixel
// variance: the strip's source. Its silhouette then stays visible longest, since xₜ's correlation with x₀ is
// √(ᾱ var) / √(ᾱ var + 1 − ᾱ) (Fashion-MNIST's first test image, a dim ankle boot with var 0.29, drops to
// 0.49 at t = 249 and its outline is lost in the noise).
// Terms written as a sum with the sign in the operator: {0, 9.076, −4.001} → "0.000 + 9.076 − 4.001" (not
// "+ -4.001"); `decimals` digits after the point, the minus sign U+2212.
std::string signed_sum(const std::vector<double>& terms, int decimals);
int highest_variance_image(const std::vector<float>& pixels, int dim, int candidates);
// The image at each of `ts` (one image after another), noised with one fixed ε drawn from `seed`.
std::vector<float> noising_strip(const NoiseSchedule& s, const std::vector<float>& image,
                                 const std::vector<int>& ts, uint64_t seed);

// ---- fields ---------------------------------------------------------------------------------------
struct Field {
  GridSpec grid;
  std::vector<float> eps, score, x0;  // interleaved per grid point
};
Field field_on_grid(Denoiser& model, int t, const GridSpec& grid);
// |score_a − score_b| per grid point (the error heat map of a learned score against the exact one).
std::vector<float> score_error(const Field& a, const Field& b);
// One arrow of a quiver plot: it starts at grid point (x, y) and its direction (u, v) is the vector there,
// already multiplied by the drawing scale, so it ends at (x + u, y + v).
struct Arrow {
  float x, y, u, v;
};
// The factor that maps the longest score of `reference` to `longest_length` data units (learned and exact
// fields share one so their lengths compare; scores grow like 1/√(1−ᾱₜ) at small t).
float arrow_scale(const Field& reference, float longest_length);
// The arrows of a field's score, one at each grid point, (u, v) = scale · score there. Not drawing:
// plot::plot_arrows draws them with stride sizeof(Arrow) on all four pointers.
std::vector<Arrow> score_arrows(const Field& f, float scale);

// The network's own x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ(xₜ, t))/√ᾱₜ for n points, not clipped into the model's
// data box (the sampler clips before its step; lesson 05 explains x̂₀ itself, so the panel shows this).
std::vector<float> unclipped_x0(Denoiser& model, const std::vector<float>& xt, int t);

// E[x₀ | xₜ] when the data are exactly the n points `data` (n × dim, each equally likely): the posterior
// weights are softmax(−‖xₜ − √ᾱ xᵢ‖² / (2(1−ᾱ))), so ᾱ → 1 gives the nearest point and ᾱ → 0 the mean of
// all of them (lesson 10: the "blurry average" at large t, which a trained U-Net's x̂₀ only approximates).
std::vector<float> empirical_posterior_mean(const std::vector<float>& data, int dim,
                                            const std::vector<float>& xt, double alpha_bar);

// When live training measures quality next, after `step`: every `early_every` steps up to `early_until`,
// then every `every` (lesson 10: a first point after 50 steps instead of 250, then the cheaper cadence).
int next_quality_step(int step, int early_every, int early_until, int every);

// ---- samplers side by side ------------------------------------------------------------------------
struct SamplerRun {
  std::string name;
  SamplerConfig config;
  std::vector<float> samples;
  std::vector<std::vector<float>> trajectory;  // x_T, then the state after each step
  int network_evaluations = 0;
  double milliseconds = 0;
  double swd = 0;  // sliced W₂ against `reference` (0 when no reference was given)
};
// Runs each config from the same x_T and the same noise seed. With timing_repeats > 1 each config runs that
// many times (same result) and `milliseconds` is the fastest run: a single timing on a busy machine is
// noise (lesson 07's table showed N = 2 slower than N = 5).
std::vector<SamplerRun> compare_samplers(Denoiser& model, const std::vector<SamplerConfig>& configs,
                                         const std::vector<float>& x_T, uint64_t seed,
                                         const std::vector<float>& reference = {}, int timing_repeats = 1,
                                         const std::function<void(double)>& progress = {});
// `progress`, when given, is called after every sampler step with the fraction of all the network
// evaluations done (0…1); it may throw to stop the comparison (a cancelled background job).

// A square grid of lines (n lines each way over the bounds, `points_per_line` points each) carried
// through the probability-flow ODE from x_T to x₀; returns the state after each solver step.
std::vector<std::vector<float>> warp_grid_by_ode(Denoiser& model, SamplerKind solver, int steps,
                                                 const GridSpec& bounds, int points_per_line);

// ---- the bound --------------------------------------------------------------------------------------
struct BoundComparison {
  VlbTerms model, exact;        // the same data and noise draws for both
  std::vector<double> weights;  // λₜ of the schedule (vlb_weight)
};
BoundComparison compare_bounds(Denoiser& model, Denoiser& exact, VarianceKind variance,
                               const std::vector<float>& x0, uint64_t seed);

// σₜ = √((1−ᾱₜ)/ᾱₜ), the EDM noise level of each code index (Karras et al. 2022).
std::vector<double> edm_sigmas(const NoiseSchedule& s);

}  // namespace difflab
