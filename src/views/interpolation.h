// interpolation.h — DDIM latent interpolation (Song, Meng & Ermon 2021, §5.3): points on the great circle
// between two x_T, each carried to data by deterministic DDIM (η = 0), for 2-D points and images alike.
// Not a sampler (sample/ddim.cpp steps) and not drawing.
#pragma once

#include <vector>

#include "core/denoiser.h"
#include "sample/timesteps.h"

namespace difflab {

// Spherical linear interpolation (§5.3): x(α) = sin((1−α)θ)/sin θ · a + sin(αθ)/sin θ · b with θ the angle
// between a and b (one vector each, any length, the same for both). Linear when θ ≈ 0. Throws if the sizes
// differ or are 0.
std::vector<float> slerp(const std::vector<float>& a, const std::vector<float>& b, double alpha);

struct LatentInterpolation {
  std::vector<double> alphas;  // count values from 0 to 1
  std::vector<float> latents;  // count × dim: slerp(a, b, αᵢ)
  std::vector<float> samples;  // count × dim: DDIM (η = 0) of each latent
};

// `count` ≥ 2 latents between x_T_a and x_T_b (each model.dim() values), decoded in one batch by DDIM with
// `steps` steps (trailing spacing: the first step is at t = T − 1, where x_T lives).
LatentInterpolation ddim_interpolate(Denoiser& model, const std::vector<float>& x_T_a,
                                     const std::vector<float>& x_T_b, int count, int steps,
                                     Spacing spacing = Spacing::Trailing);

}  // namespace difflab
