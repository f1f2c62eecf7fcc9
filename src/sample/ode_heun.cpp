// ode_heun.cpp — the probability-flow ODE dx̃/dσ = ε̂ (x̃ = x/√ᾱ) by Heun's method on the schedule's own steps:
// Karras et al. 2022's Alg. 1 update, on DDIM's timesteps. Not the EDM sampler (edm_heun.cpp walks σ-steps).
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class OdeHeunStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    ctx.predict(x, now, &eps_, &x0);
    const double sigma_step = next.sigma - now.sigma;
    const size_t count = x.size();
    x_tilde_.resize(count);
    // Euler predictor (Alg. 1, line 5).
    for (size_t k = 0; k < count; ++k)
      x_tilde_[k] = static_cast<float>(x[k] / std::sqrt(now.alpha_bar) + sigma_step * eps_[k]);
    if (next.t >= 0) {
      // Trapezoidal corrector with ε̂ at the Euler endpoint (Alg. 1, lines 7–8; a second evaluation).
      x_euler_.resize(count);
      for (size_t k = 0; k < count; ++k)
        x_euler_[k] = static_cast<float>(x_tilde_[k] * std::sqrt(next.alpha_bar));
      ctx.predict(x_euler_, next, &eps_next_, &x0_next_);
      for (size_t k = 0; k < count; ++k)
        x_tilde_[k] =
            static_cast<float>(x[k] / std::sqrt(now.alpha_bar) + 0.5 * sigma_step * (eps_[k] + eps_next_[k]));
    }
    for (size_t k = 0; k < count; ++k) x[k] = static_cast<float>(x_tilde_[k] * std::sqrt(next.alpha_bar));
  }

 private:
  std::vector<float> eps_, eps_next_, x0_next_, x_tilde_, x_euler_;
};

}  // namespace

std::unique_ptr<Stepper> make_ode_heun_stepper() {
  return std::make_unique<OdeHeunStepper>();
}

}  // namespace difflab
