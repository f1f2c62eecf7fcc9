// ode_euler.cpp — the probability-flow ODE (Song et al. 2021, eq. 13) by Euler's method on the schedule's
// steps, written as dx̃/dσ = ε̂ in x̃ = x/√ᾱ and σ = √((1−ᾱ)/ᾱ) (Karras et al. 2022, eq. 4 in VP variables). Not
// a new sampler: it is DDIM with η = 0, step for step (tests/sample checks it).
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class OdeEulerStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    ctx.predict(x, now, &eps_, &x0);
    const double sigma_step = next.sigma - now.sigma;  // negative: towards the data
    x_tilde_.resize(x.size());
    for (size_t k = 0; k < x.size(); ++k)
      x_tilde_[k] = static_cast<float>(x[k] / std::sqrt(now.alpha_bar) + sigma_step * eps_[k]);
    for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(x_tilde_[k] * std::sqrt(next.alpha_bar));
  }

 private:
  std::vector<float> eps_, x_tilde_;
};

}  // namespace

std::unique_ptr<Stepper> make_ode_euler_stepper() {
  return std::make_unique<OdeEulerStepper>();
}

}  // namespace difflab
