// edm_heun.cpp — Karras et al. 2022 ("EDM"), Alg. 1: Heun's method on σ-steps (eq. 5, ρ = 7), the last step
// Euler. Not ode_heun.cpp (the same update on the schedule's timesteps). A VP ε-model is the denoiser by
// Table 1: D(x̃; σ) = c_skip x̃ + c_out ε̂(c_in x̃, t(σ)) with c_skip = 1, c_out = −σ, c_in = 1/√(σ² + 1) = √ᾱ.
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

// D(x̃; σ) (Table 1, VP column): the model sees x = c_in x̃ = √ᾱ x̃ at t(σ); x̂₀ = x̃ − σ ε̂, clipped like every
// x̂₀.
void denoise(StepContext& ctx, const NoiseLevel& level, const std::vector<double>& x_tilde,
             std::vector<float>& x_scratch, std::vector<float>& eps_scratch, std::vector<float>& denoised) {
  const double c_in = std::sqrt(level.alpha_bar);
  x_scratch.resize(x_tilde.size());
  for (size_t k = 0; k < x_tilde.size(); ++k) x_scratch[k] = static_cast<float>(c_in * x_tilde[k]);
  ctx.predict(x_scratch, level, &eps_scratch, &denoised);
}

class EdmHeunStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    x_tilde_.resize(x.size());
    for (size_t k = 0; k < x.size(); ++k) x_tilde_[k] = x[k] / std::sqrt(now.alpha_bar);  // x̃ = x/√ᾱ
    edm_heun_step(ctx, now, next, x_tilde_, x0);
    for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(x_tilde_[k] * std::sqrt(next.alpha_bar));
  }

 private:
  std::vector<double> x_tilde_;
};

}  // namespace

void edm_heun_step(StepContext& ctx, const NoiseLevel& now, const NoiseLevel& next,
                   std::vector<double>& x_tilde, std::vector<float>& denoised) {
  thread_local std::vector<float> x_scratch, eps_scratch, denoised_next;
  thread_local std::vector<double> slope, x_tilde_next;
  const size_t count = x_tilde.size();
  const double sigma = now.sigma, sigma_next = next.sigma;
  denoise(ctx, now, x_tilde, x_scratch, eps_scratch, denoised);
  slope.resize(count);
  x_tilde_next.resize(count);
  for (size_t k = 0; k < count; ++k) {
    slope[k] = (x_tilde[k] - denoised[k]) / sigma;  // line 4: dᵢ = (x̃ᵢ − D(x̃ᵢ; σᵢ))/σᵢ
    x_tilde_next[k] = x_tilde[k] + (sigma_next - sigma) * slope[k];  // line 5: Euler step
  }
  if (sigma_next != 0) {
    denoise(ctx, next, x_tilde_next, x_scratch, eps_scratch, denoised_next);  // line 7: second evaluation
    for (size_t k = 0; k < count; ++k) {
      const double slope_next = (x_tilde_next[k] - denoised_next[k]) / sigma_next;
      x_tilde_next[k] = x_tilde[k] + (sigma_next - sigma) * (0.5 * slope[k] + 0.5 * slope_next);  // line 8
    }
  }
  x_tilde.swap(x_tilde_next);
}

std::unique_ptr<Stepper> make_edm_heun_stepper() {
  return std::make_unique<EdmHeunStepper>();
}

}  // namespace difflab
