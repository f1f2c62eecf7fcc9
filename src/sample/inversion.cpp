// inversion.cpp — DDIM inversion (see inversion.h).
// Not stochastic: η = 0 only, since only the deterministic map can be inverted.
#include "sample/inversion.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/diffusion.h"

namespace difflab {

Inversion ddim_invert(Denoiser& model, const std::vector<float>& x0, int steps, Spacing spacing) {
  const NoiseSchedule& s = model.schedule();
  std::vector<int> descending = make_timesteps(s.T(), steps, spacing);
  Inversion out;
  out.timesteps.assign(descending.rbegin(), descending.rend());
  const int n = static_cast<int>(x0.size()) / model.dim();
  if (n == 0 || x0.size() % model.dim() != 0) throw std::invalid_argument("x0 must hold n × dim values");
  std::vector<float> x = x0, eps(x0.size());
  out.trajectory.push_back(x);
  // Step from ᾱ_prev (the level x is at) up to ᾱₜ, with ε̂ evaluated at the level x is at — the
  // mirror image of the DDIM step, whose ε̂ is evaluated at the noisier end.
  int t_from = -1;
  for (int t : out.timesteps) {
    const double ab_from = t_from < 0 ? 1.0 : s.alpha_bar[t_from];
    const double ab_to = s.alpha_bar[t];
    model.predict_eps(x.data(), n, std::max(t_from, 0), eps.data());
    for (size_t k = 0; k < x.size(); ++k) {
      const double x0_hat = (x[k] - std::sqrt(1.0 - ab_from) * eps[k]) / std::sqrt(ab_from);
      x[k] = static_cast<float>(std::sqrt(ab_to) * x0_hat + std::sqrt(1.0 - ab_to) * eps[k]);
    }
    out.trajectory.push_back(x);
    t_from = t;
  }
  out.x_T = x;
  return out;
}

}  // namespace difflab
