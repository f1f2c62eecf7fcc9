// inversion_edit.h — real-image inversion and editing on a class-conditional image network: DDIM inversion
// under classifier-free guidance, null-text inversion (Mokady et al. 2022), class edits from the inverted
// noise and SDEdit (Meng et al. 2022). Not a sampler table entry and not the GUI: headless library calls that
// the `invert` / `edit` commands, the `edit` panel and the tests make.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "core/denoiser.h"
#include "nn/image_net.h"
#include "sample/inversion.h"
#include "sample/timesteps.h"

namespace difflab {

// ε̃(xₜ) = (1 − γ) ε̂(xₜ, ∅) + γ ε̂(xₜ, c) (the course's γ; γ = 1 conditional) with the conditioning given as
// embedding rows (ImageNet::forward_rows) instead of labels: `cond_row` [cond_dim] is the class row of the
// label (read_class_row), the null row is the network's null-class row unless a row is set for a timestep
// (the optimised ∅ₜ of null-text inversion; one row shared by all n images, or n rows). γ = 1: one
// conditional pass; γ = 0: one null pass; otherwise one forward of 2n rows.
class RowCfgDenoiser : public Denoiser {
 public:
  RowCfgDenoiser(ImageNet& net, const NoiseSchedule& schedule, std::vector<float> cond_row, double gamma);
  int dim() const override { return net_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  // rows: cond_dim (every image) or n × cond_dim values; used at timestep t only.
  void set_null_rows(int t, std::vector<float> rows) { null_rows_[t] = std::move(rows); }
  long forward_rows_done() const { return rows_done_; }

 private:
  const float* null_row_for(int t, int i) const;
  ImageNet& net_;
  const NoiseSchedule& schedule_;
  std::vector<float> cond_row_, default_null_;
  double gamma_;
  std::map<int, std::vector<float>> null_rows_;
  std::vector<float> x2_, rows2_, out2_, times_;
  long rows_done_ = 0;
};

// The class row of `label` (−1 = the null class) from the network's class table.
std::vector<float> class_row(const ImageNet& net, int label);

// Generalised DDIM decoding (Song et al. 2021, eq. 12) from x at level timesteps.back() down to x₀ through
// the ascending `timesteps` (what ddim_invert visited); η = 0 is the deterministic map that inverts
// ddim_invert up to its ε̂(xₜ) ≈ ε̂(xₜ₋₁) approximation, η = 1 the DDPM-like stochastic sampler (noise from
// `seed`). trajectory (optional) gets x at every level, x_T first. x̂₀ is not clipped.
std::vector<float> ddim_decode(Denoiser& model, const std::vector<float>& x_T,
                               const std::vector<int>& timesteps, double eta = 0.0, uint64_t seed = 0,
                               std::vector<std::vector<float>>* trajectory = nullptr);

// One decoding step from level t to level t_prev (−1 = ᾱ = 1): x_prev = c_x · x + c_ε · ε̃ (η = 0).
struct DdimStepCoefficients {
  double c_x = 0, c_eps = 0;
};
DdimStepCoefficients ddim_step_coefficients(const NoiseSchedule& s, int t, int t_prev);

struct ReconstructionError {
  double mse = 0;   // mean over pixels of (x̂ − x)², images in [−1, 1]
  double psnr = 0;  // 10 log₁₀(peak² / mse) with peak-to-peak 2 (the [−1, 1] range)
};
ReconstructionError reconstruction_error(const std::vector<float>& reconstruction,
                                         const std::vector<float>& x);

// DDIM inversion of n images with label `label` at guidance γ (inverting and decoding with the same guided
// ε̃), then decoding: how close the round trip comes back.
struct CfgRoundTrip {
  Inversion inversion;
  std::vector<float> reconstruction;
  ReconstructionError error;
};
CfgRoundTrip cfg_round_trip(ImageNet& net, const NoiseSchedule& schedule, const std::vector<float>& x0,
                            int label, double gamma, int steps, Spacing spacing = Spacing::Trailing);

// The per-step objective of null-text inversion (Mokady et al. 2022, eq. 3): with the conditional ε̂(x, c) of
// this step fixed, L(∅) = mean over pixels of (x_prev(x, ∅) − target)², where x_prev is the guided DDIM step
// from level t to t_prev, and its gradient ∂L/∂∅ (n rows) through one backward of the null pass.
class NullTextStep {
 public:
  NullTextStep(ImageNet& net, const NoiseSchedule& schedule, const float* x, int n, int t, int t_prev,
               const std::vector<float>& cond_row, double gamma, const float* target);
  // rows: n × cond_dim null rows; grad (may be null): n × cond_dim. Returns L (summed over the n images).
  double loss(const float* rows, float* grad);
  // The step's output for these null rows (after loss(): the last one's).
  const std::vector<float>& x_prev() const { return x_prev_; }

 private:
  ImageNet& net_;
  int n_, D_;
  std::vector<float> x_, target_, cond_part_, times_, eps_null_, x_prev_, d_out_;
  DdimStepCoefficients k_;
  double gamma_;
};

struct NullTextConfig {
  int label = 0;
  double gamma = 7.5;
  int steps = 50;               // DDIM steps of the pivot and of the decoding
  int inner_iterations = 10;    // Adam iterations per step (N in Mokady et al.'s Algorithm 1)
  double learning_rate = 1e-2;  // Adam's step (the paper's 1e-2)
  double early_stop = 1e-5;     // leave a step's loop when L (per image) falls below this
  Spacing spacing = Spacing::Trailing;
};

struct NullTextResult {
  Inversion pivot;  // the γ = 1 DDIM inversion (the pivot trajectory z*)
  std::vector<std::vector<float>>
      null_rows;                      // per pivot timestep (ascending, as pivot.timesteps): n × cond_dim
  std::vector<float> reconstruction;  // decoding z*_T with γ and the optimised ∅ₜ
  std::vector<double> final_loss;     // per step (descending t, the order optimised): L after its loop
  int iterations = 0;                 // Adam iterations run in all
  bool cancelled = false;
};

// Progress: done of total decoding steps; cancelled() asked between iterations.
using EditProgress = std::function<void(long done, long total)>;

// Mokady et al. 2022, Algorithm 1: the pivot is the γ = 1 inversion; from z̄_T = z*_T, at each step the null
// rows ∅ₜ (initialised with the previous step's, first with the null-class row) are optimised by Adam so that
// the guided step lands on z*ₜ₋₁, then z̄ₜ₋₁ is that step's output. Throws std::invalid_argument when the
// network has no class table or the label does not exist.
NullTextResult null_text_invert(ImageNet& net, const NoiseSchedule& schedule, const std::vector<float>& x0,
                                const NullTextConfig& config, const EditProgress& progress = {},
                                const std::function<bool()>& cancelled = {});

// Decodes x_T with class `label` at γ, using the optimised null rows of `null_text` (may be null: the
// network's null row at every step) along `timesteps`: an inverted image re-generated as another class.
std::vector<float> decode_with_class(ImageNet& net, const NoiseSchedule& schedule,
                                     const std::vector<float>& x_T, const std::vector<int>& timesteps,
                                     int label, double gamma, const NullTextResult* null_text = nullptr);

// SDEdit (Meng et al. 2022): x_{t₀} = √ᾱ_{t₀} x + √(1 − ᾱ_{t₀}) ε (ε from seed), then the stochastic sampler
// (η = 1) from t₀ to 0 under `model` (e.g. a RowCfgDenoiser of the target class) on `steps` levels spread
// over 0 … t₀. t₀ ∈ [0, T − 1].
std::vector<float> sdedit(Denoiser& model, const std::vector<float>& x, int t0, int steps, uint64_t seed,
                          double eta = 1.0);

}  // namespace difflab
