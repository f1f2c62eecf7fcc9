// interpolation.h — DDIM latent interpolation (Song, Meng & Ermon 2021, §5.3): points on the great circle
// between two x_T, each carried to data by deterministic DDIM (η = 0), for 2-D points and images alike.
// Also linear interpolation, the contrast. Not a sampler (sample/ddim.cpp steps) and not drawing.
#pragma once

#include <functional>
#include <vector>

#include "core/denoiser.h"
#include "sample/timesteps.h"

namespace difflab {

// Spherical linear interpolation (§5.3): x(α) = sin((1−α)θ)/sin θ · a + sin(αθ)/sin θ · b with θ the angle
// between a and b (one vector each, any length, the same for both). Linear when θ ≈ 0. Throws if the sizes
// differ or are 0.
std::vector<float> slerp(const std::vector<float>& a, const std::vector<float>& b, double alpha);

// Linear interpolation (1 − α) a + α b, the contrast of §5.3: between two independent x_T ~ 𝒩(0, I) in d
// dimensions (nearly orthogonal, each of norm ≈ √d) its midpoint has norm ≈ √(d/2), a radius that x_T ~ 𝒩(0,
// I) almost never has. Throws like slerp.
std::vector<float> lerp(const std::vector<float>& a, const std::vector<float>& b, double alpha);

enum class LatentPath { Slerp, Lerp };

struct LatentInterpolation {
  std::vector<double> alphas;        // count values from 0 to 1
  std::vector<float> latents;        // count × dim: slerp (or lerp) of (a, b) at αᵢ
  std::vector<double> latent_norms;  // count: ‖latentᵢ‖ (Euclidean)
  std::vector<float> samples;        // count × dim: DDIM (η = 0) of each latent
};

struct InterpolationOptions {
  int count = 10;                       // ≥ 2 points, α = 0 … 1
  int steps = 20;                       // DDIM steps (1 … T)
  Spacing spacing = Spacing::Trailing;  // trailing: the first step is at t = T − 1, where x_T lives
  LatentPath path = LatentPath::Slerp;
  bool clip_x0 = false;                       // clip x̂₀ to [−1, 1] (images)
  std::function<void(double)> progress = {};  // fraction done after each step; may throw to stop
};

// `count` ≥ 2 latents between x_T_a and x_T_b (each model.dim() values), decoded in one batch by DDIM with
// `steps` steps (trailing spacing: the first step is at t = T − 1, where x_T lives).
LatentInterpolation ddim_interpolate(Denoiser& model, const std::vector<float>& x_T_a,
                                     const std::vector<float>& x_T_b, int count, int steps,
                                     Spacing spacing = Spacing::Trailing);
// The same with every option (the path, x̂₀ clipping for images, progress).
LatentInterpolation ddim_interpolate(Denoiser& model, const std::vector<float>& x_T_a,
                                     const std::vector<float>& x_T_b, const InterpolationOptions& options);

}  // namespace difflab
