// dpm_solver_pp.cpp — DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Alg. 2): a multistep solver of the
// probability-flow ODE in λ = log(αₜ/σₜ), written with the data prediction x̂₀; first order on the first step
// and on the last (to σ = 0), as k-diffusion's sample_dpmpp_2m and diffusers' lower_order_final do.
// Not single-step DPM-Solver (2S) and not the ε-prediction DPM-Solver. Its first-order step is exactly DDIM.
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

// In VP variables αₜ = √ᾱₜ and σₜ = √(1 − ᾱₜ) (Lu et al.'s notation), so λ = log(αₜ/σₜ) = −log σ_EDM.
double lambda_of(const NoiseLevel& level) {
  return -std::log(level.sigma);
}

class DpmSolverPPStepper final : public Stepper {
 public:
  void begin() override { have_previous_ = false; }

  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    ctx.predict(x, now, &eps_, &x0);  // x̂₀ = x_θ(x_{t_{i−1}}, t_{i−1})
    if (next.sigma == 0) {
      // To clean data α = 1, σ = 0: the first-order update is x̂₀ itself (the lower-order final step).
      x = x0;
      return;
    }
    const double alpha_next = std::sqrt(next.alpha_bar);
    const double sigma_vp_now = std::sqrt(1.0 - now.alpha_bar),
                 sigma_vp_next = std::sqrt(1.0 - next.alpha_bar);
    const double h = lambda_of(next) - lambda_of(now);  // hᵢ = λ_{tᵢ} − λ_{t_{i−1}}
    const double phi = std::expm1(-h);                  // e^{−hᵢ} − 1
    if (!have_previous_) {
      // First order (DPM-Solver++1 = DDIM): x̃ᵢ = (σᵢ/σᵢ₋₁) x̃ᵢ₋₁ − αᵢ (e^{−hᵢ} − 1) x̂₀.
      for (size_t k = 0; k < x.size(); ++k)
        x[k] = static_cast<float>(sigma_vp_next / sigma_vp_now * x[k] - alpha_next * phi * x0[k]);
    } else {
      // Alg. 2: rᵢ = hᵢ₋₁/hᵢ, Dᵢ = (1 + 1/(2rᵢ)) x̂₀ᵢ₋₁ − 1/(2rᵢ) x̂₀ᵢ₋₂, then the same update with Dᵢ.
      const double r = previous_h_ / h;
      const double weight_now = 1.0 + 1.0 / (2.0 * r), weight_previous = 1.0 / (2.0 * r);
      for (size_t k = 0; k < x.size(); ++k) {
        const double d = weight_now * x0[k] - weight_previous * previous_x0_[k];
        x[k] = static_cast<float>(sigma_vp_next / sigma_vp_now * x[k] - alpha_next * phi * d);
      }
    }
    previous_x0_ = x0;
    previous_h_ = h;
    have_previous_ = true;
  }

 private:
  std::vector<float> eps_, previous_x0_;
  double previous_h_ = 0;
  bool have_previous_ = false;
};

}  // namespace

std::unique_ptr<Stepper> make_dpm_solver_pp_stepper() {
  return std::make_unique<DpmSolverPPStepper>();
}

}  // namespace difflab
