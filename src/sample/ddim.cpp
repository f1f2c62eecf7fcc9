// ddim.cpp — DDIM (Song, Meng & Ermon 2021, eq. 12 with σ from eq. 16): deterministic at η = 0, DDPM at η
// = 1. Not the ODE view of the same step (ode_euler.cpp computes it in x/√ᾱ and σ).
#include <algorithm>
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class DdimStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    ctx.predict(x, ctx.levels[i], &eps_, &x0);
    const double alpha_bar_t = ctx.levels[i].alpha_bar, alpha_bar_prev = ctx.levels[i + 1].alpha_bar;
    // eq. 16: σₜ(η) = η √((1 − ᾱ_prev)/(1 − ᾱₜ)) √(1 − ᾱₜ/ᾱ_prev).
    const double sigma = ctx.config.eta * std::sqrt((1.0 - alpha_bar_prev) / (1.0 - alpha_bar_t)) *
                         std::sqrt(std::max(0.0, 1.0 - alpha_bar_t / alpha_bar_prev));
    // eq. 12: x_prev = √ᾱ_prev x̂₀ + √(1 − ᾱ_prev − σ²) ε̂ + σ z ("predicted x₀", "direction to xₜ", noise).
    const double direction = std::sqrt(std::max(0.0, 1.0 - alpha_bar_prev - sigma * sigma));
    for (size_t k = 0; k < x.size(); ++k) {
      const double noise = sigma > 0 ? sigma * ctx.normal() : 0.0;
      x[k] = static_cast<float>(std::sqrt(alpha_bar_prev) * x0[k] + direction * eps_[k] + noise);
    }
  }

 private:
  std::vector<float> eps_;
};

}  // namespace

std::unique_ptr<Stepper> make_ddim_stepper() {
  return std::make_unique<DdimStepper>();
}

}  // namespace difflab
