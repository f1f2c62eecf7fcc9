// edm_euler.cpp — Euler's method on Karras et al. 2022's σ-steps (eq. 5): Alg. 1 without its correction
// (lines 6–8), as k-diffusion's sample_euler. Not Heun (edm_heun.cpp); the baseline Heun is compared with at
// equal NFE.
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class EdmEulerStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    // The model sees x = √ᾱ x̃ (c_in of Table 1), which is the state itself; D(x̃; σ) = x̂₀.
    ctx.predict(x, now, &eps_, &x0);
    for (size_t k = 0; k < x.size(); ++k) {
      const double x_tilde = x[k] / std::sqrt(now.alpha_bar);  // x̃ = x/√ᾱ
      const double slope = (x_tilde - x0[k]) / now.sigma;  // line 4: dᵢ = (x̃ᵢ − D(x̃ᵢ; σᵢ))/σᵢ
      const double x_tilde_next = x_tilde + (next.sigma - now.sigma) * slope;  // line 5
      x[k] = static_cast<float>(x_tilde_next * std::sqrt(next.alpha_bar));
    }
  }

 private:
  std::vector<float> eps_;
};

}  // namespace

std::unique_ptr<Stepper> make_edm_euler_stepper() {
  return std::make_unique<EdmEulerStepper>();
}

}  // namespace difflab
