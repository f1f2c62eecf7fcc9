// inversion.h — deterministic DDIM inversion: x₀ → x_T along the probability-flow ODE (η = 0).
// Not a sampler: it runs the DDIM update with t increasing (Song et al. 2021, §4.3; Dhariwal & Nichol 2021).
#pragma once

#include <vector>

#include "core/denoiser.h"
#include "sample/timesteps.h"

namespace difflab {

struct Inversion {
  std::vector<float> x_T;                      // the latent reached
  std::vector<std::vector<float>> trajectory;  // x₀ first, then the state after each step
  std::vector<int> timesteps;                  // ascending code indices visited
};

// Encodes x₀ (n × dim) with `steps` DDIM steps; decoding x_T with DDIM (η = 0, same steps and spacing)
// returns close to x₀, closer as steps grow.
Inversion ddim_invert(Denoiser& model, const std::vector<float>& x0, int steps, Spacing spacing);

}  // namespace difflab
