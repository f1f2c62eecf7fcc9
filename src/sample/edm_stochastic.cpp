// edm_stochastic.cpp — Karras et al. 2022, Alg. 2: before each Heun step, "churn" raises σᵢ to σ̂ = σᵢ(1 + γᵢ)
// by adding fresh noise, γᵢ = min(S_churn/N, √2 − 1) for σᵢ ∈ [S_tmin, S_tmax], else 0. Not Alg. 1 (S_churn =
// 0 is it).
#include <algorithm>
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

class EdmStochasticStepper final : public Stepper {
 public:
  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const SamplerConfig& c = ctx.config;
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    x_tilde_.resize(x.size());
    for (size_t k = 0; k < x.size(); ++k) x_tilde_[k] = x[k] / std::sqrt(now.alpha_bar);
    const double sigma = now.sigma;
    // line 4: γᵢ.
    const double gamma = sigma >= c.s_tmin && sigma <= c.s_tmax
                             ? std::min(c.s_churn / ctx.steps(), std::sqrt(2.0) - 1.0)
                             : 0.0;
    if (gamma > 0) {
      // lines 5–6: σ̂ᵢ = σᵢ + γᵢ σᵢ; x̂ᵢ = x̃ᵢ + √(σ̂ᵢ² − σᵢ²) εᵢ, εᵢ ~ 𝒩(0, S_noise² I).
      const double sigma_hat = sigma * (1.0 + gamma);
      const double added = std::sqrt(sigma_hat * sigma_hat - sigma * sigma) * c.s_noise;
      for (double& v : x_tilde_) v += added * ctx.normal();
      edm_heun_step(ctx, level_at_sigma(ctx.schedule, sigma_hat), next, x_tilde_, x0);  // lines 7–10
    } else {
      edm_heun_step(ctx, now, next, x_tilde_, x0);
    }
    for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(x_tilde_[k] * std::sqrt(next.alpha_bar));
  }

 private:
  std::vector<double> x_tilde_;
};

}  // namespace

std::unique_ptr<Stepper> make_edm_stochastic_stepper() {
  return std::make_unique<EdmStochasticStepper>();
}

}  // namespace difflab
