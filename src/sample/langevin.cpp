// langevin.cpp — predictor–corrector sampling (Song et al. 2021, Alg. 5 for the VP-SDE): Langevin corrector
// steps at each level, then DDPM's ancestral step as the predictor. Not the reverse SDE alone
// (sde_euler.cpp).
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class LangevinStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel& now = ctx.levels[i];
    const int t = now.t;
    const size_t count = x.size();
    // Corrector (Alg. 5): x ← x + ε s + √(2ε) z with step size ε = 2 αₜ (r ‖z‖/‖s‖)², s = ∇log pₜ =
    // −ε̂/√(1−ᾱₜ).
    for (int c = 0; c < ctx.config.corrector_steps; ++c) {
      ctx.predict(x, now, &eps_, &x0);
      double score_norm_sq = 0, noise_norm_sq = 0;
      noise_.resize(count);
      for (size_t k = 0; k < count; ++k) {
        const double z = ctx.normal();
        noise_[k] = static_cast<float>(z);
        const double score = score_from_eps(ctx.schedule, t, eps_[k]);
        score_norm_sq += score * score;
        noise_norm_sq += z * z;
      }
      const double ratio =
          score_norm_sq > 0 ? ctx.config.corrector_snr * std::sqrt(noise_norm_sq / score_norm_sq) : 0.0;
      const double step_size = 2.0 * ctx.schedule.alpha[t] * ratio * ratio;
      for (size_t k = 0; k < count; ++k) {
        const double score = score_from_eps(ctx.schedule, t, eps_[k]);
        x[k] = static_cast<float>(x[k] + step_size * score + std::sqrt(2.0 * step_size) * noise_[k]);
      }
    }
    // Predictor: one ancestral step (ddpm.cpp).
    ctx.predict(x, now, &eps_, &x0);
    ddpm_posterior_step(ctx, now, ctx.levels[i + 1], x0, x);
  }

 private:
  std::vector<float> eps_, noise_;
};

}  // namespace

std::unique_ptr<Stepper> make_langevin_stepper() {
  return std::make_unique<LangevinStepper>();
}

}  // namespace difflab
