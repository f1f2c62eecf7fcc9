// ddpm.cpp — DDPM ancestral sampling (Ho et al. 2020, Alg. 2), strided with β = 1 − ᾱₜ/ᾱ_prev.
// Not DDIM (ddim.cpp); x̂₀ comes from StepContext::predict, already clipped.
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {

void ddpm_posterior_step(StepContext& ctx, const NoiseLevel& now, const NoiseLevel& next,
                         const std::vector<float>& x0_hat, std::vector<float>& x) {
  // Posterior q(x_prev | xₜ, x̂₀) of the (possibly strided) step t → prev (Ho et al. 2020, eqs. 6–7), with the
  // step's own β = 1 − ᾱₜ/ᾱ_prev and α = 1 − β.
  const double alpha_bar_t = now.alpha_bar, alpha_bar_prev = next.alpha_bar;
  const double beta = 1.0 - alpha_bar_t / alpha_bar_prev;
  const double coef_x0 = std::sqrt(alpha_bar_prev) * beta / (1.0 - alpha_bar_t);
  const double coef_xt = (1.0 - alpha_bar_prev) * std::sqrt(1.0 - beta) / (1.0 - alpha_bar_t);
  // σₜ² (§3.2): β̃ = β (1 − ᾱ_prev)/(1 − ᾱₜ) (fixed_small) or β (fixed_large).
  double variance = ctx.config.variance == VarianceKind::FixedSmall
                        ? beta * (1.0 - alpha_bar_prev) / (1.0 - alpha_bar_t)
                        : beta;
  if (next.t < 0) variance = 0.0;  // the last step returns the mean
  const double sigma = std::sqrt(variance);
  for (size_t k = 0; k < x.size(); ++k) {
    const double mean = coef_x0 * x0_hat[k] + coef_xt * x[k];
    x[k] = static_cast<float>(mean + (sigma > 0 ? sigma * ctx.normal() : 0.0));
  }
}

namespace {

class DdpmStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    ctx.predict(x, ctx.levels[i], &eps_, &x0);
    ddpm_posterior_step(ctx, ctx.levels[i], ctx.levels[i + 1], x0, x);
  }

 private:
  std::vector<float> eps_;
};

}  // namespace

std::unique_ptr<Stepper> make_ddpm_stepper() {
  return std::make_unique<DdpmStepper>();
}

}  // namespace difflab
