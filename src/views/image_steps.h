// image_steps.h — the per-step view of a reverse process (the companion deck's "xₜ on the left, x̂₀ on the
// right"): for a few x_T, every step's state xₜ and the clean image x̂₀ the model predicts from it.
// Not a sampler (sample/ddim.cpp, ddpm.cpp step) and not drawing (lecture/panel_image_steps.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/denoiser.h"
#include "sample/sampler.h"

namespace difflab {

struct ImageStepsConfig {
  SamplerKind kind = SamplerKind::Ddim;  // Ddim or Ddpm (strided DDPM on the same steps)
  int steps = 20;                        // N ≥ 1 steps (≤ T)
  double eta = 0;                        // DDIM only
  Spacing spacing = Spacing::Trailing;   // the first step at t = T − 1, where x_T lives
  bool clip_x0 = true;                   // clip x̂₀ to [−1, 1] (images)
  uint64_t noise_seed = 0;               // the fresh noise of DDPM (and DDIM with η > 0)
};

struct ImageSteps {
  int count = 0, dim = 0;          // count images of dim values each
  std::vector<int> timesteps;      // N code indices t, one per step, descending
  std::vector<double> alpha_bars;  // ᾱ of each step's starting level (N values)
  // states[k] (count × dim) is x_{t_k}, the input of step k (states[0] = x_T); states[N] is the output x₀.
  std::vector<std::vector<float>> states;
  // x0_hats[k] (count × dim) is x̂₀ = (x_{t_k} − √(1−ᾱ) ε_θ(x_{t_k}, t_k))/√ᾱ, predicted at step k (clipped
  // when clip_x0). N values.
  std::vector<std::vector<float>> x0_hats;
  const std::vector<float>& output() const { return states.back(); }
  int steps() const { return static_cast<int>(timesteps.size()); }
};

// Runs the sampler from x_T (count × model.dim() values) and keeps every step's pair. `progress` (optional)
// gets the fraction done after each step and may throw to stop. Throws std::invalid_argument for an empty
// or ragged x_T, a sampler other than DDIM/DDPM, or steps outside 1 … T.
ImageSteps image_steps(Denoiser& model, const std::vector<float>& x_T, const ImageStepsConfig& config,
                       const std::function<void(double)>& progress = {});

}  // namespace difflab
