// sde_euler.cpp — the reverse-time VP-SDE (Song et al. 2021, eq. 6: dx = [f − g² ∇log pₜ] dt + g dw̄ with
// f = −½β(t) x, g = √β(t)) by Euler–Maruyama on the schedule's steps. Not the probability-flow ODE
// (ode_euler.cpp). Over a step t → prev, ∫β dt = log(ᾱ_prev/ᾱₜ) =: B exactly, so x_prev = x + B (½ x + s) +
// √B z, s = −ε̂/√(1−ᾱₜ); the last step adds no noise (it returns the mean, as DDPM's does).
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class SdeEulerStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    ctx.predict(x, now, &eps_, &x0);
    const double beta_integral = std::log(next.alpha_bar / now.alpha_bar);  // B = ∫ β(t) dt over the step
    const double noise_scale = next.t >= 0 ? std::sqrt(beta_integral) : 0.0;
    const double sqrt_one_minus_alpha_bar = std::sqrt(1.0 - now.alpha_bar);
    for (size_t k = 0; k < x.size(); ++k) {
      const double score = -eps_[k] / sqrt_one_minus_alpha_bar;
      const double drift = beta_integral * (0.5 * x[k] + score);  // −[f − g² s] Δt with Δt < 0
      x[k] = static_cast<float>(x[k] + drift + (noise_scale > 0 ? noise_scale * ctx.normal() : 0.0));
    }
  }

 private:
  std::vector<float> eps_;
};

}  // namespace

std::unique_ptr<Stepper> make_sde_euler_stepper() {
  return std::make_unique<SdeEulerStepper>();
}

}  // namespace difflab
