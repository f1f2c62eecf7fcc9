// unipc.cpp — UniPC (Zhao et al. 2023, Alg. 2–3) of order 2 with B(h) = e^h − 1 ("bh2", at −h for data
// prediction): the UniP-2 predictor (which equals DPM-Solver++(2M)) and the UniC corrector, which reuses the
// next step's model evaluation, so corrections cost no NFE. First order on the first step and the last, as
// diffusers' UniPC does. Not UniPC-p for p > 2, and no corrector after the last step (its evaluation would be
// extra).
#include <cmath>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {
namespace {

double lambda_of(const NoiseLevel& level) {
  return -std::log(level.sigma);
}  // λ = log(α/σ) = −log σ_EDM

// The coefficients b₁, b₂ of the order conditions with B(h) = e^{−h} − 1 (Zhao et al., Alg. 2, written with
// hh = −h for data prediction): φ₁ = e^{hh} − 1, φₖ₊₁ = φₖ/hh − 1/k!, bₖ = φₖ · (k−1)! / B(h) for k = 1, 2.
void order_conditions(double h, double* b1, double* b2) {
  const double hh = -h;
  const double b_h = std::expm1(hh);
  double phi = std::expm1(hh) / hh - 1.0;
  *b1 = phi / b_h;
  phi = phi / hh - 0.5;
  *b2 = phi * 2.0 / b_h;
}

class UniPCStepper final : public Stepper {
 public:
  void begin() override {
    history_ = 0;
    last_order_ = 0;
  }

  void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) override {
    const NoiseLevel &now = ctx.levels[i], &next = ctx.levels[i + 1];
    const size_t count = x.size();
    ctx.predict(x, now, &eps_, &x0);  // m_t at the predicted (uncorrected) xₜ
    if (history_ > 0) {
      // UniC (Alg. 3): correct xₜ with the evaluation just made. s₀ = the previous level, x at s₀ =
      // last_sample_.
      const double h = lambda_of(now) - lambda_of(previous_level_);
      const double alpha_t = std::sqrt(now.alpha_bar);
      const double sigma_ratio = std::sqrt(1.0 - now.alpha_bar) / std::sqrt(1.0 - previous_level_.alpha_bar);
      const double b_h = std::expm1(-h), h_phi_1 = std::expm1(-h);
      double b1, b2;
      order_conditions(h, &b1, &b2);
      double rho_previous = 0, rho_now = 0.5;  // order 1: ρ = ½
      double r1 = 0;
      if (last_order_ == 2) {
        // rₖ = (λ_{s₁} − λ_{s₀})/h; solve [1 1; r₁ 1] ρ = [b₁; b₂].
        r1 = (lambda_of(older_level_) - lambda_of(previous_level_)) / h;
        rho_previous = (b1 - b2) / (1.0 - r1);
        rho_now = b1 - rho_previous;
      }
      for (size_t k = 0; k < count; ++k) {
        const double m0 = previous_x0_[k];
        double x_t = sigma_ratio * last_sample_[k] - alpha_t * h_phi_1 * m0;
        double correction = rho_now * (x0[k] - m0);
        if (last_order_ == 2) correction += rho_previous * (older_x0_[k] - m0) / r1;
        x_t -= alpha_t * b_h * correction;
        x[k] = static_cast<float>(x_t);
      }
    }
    // Keep the evaluation (at the uncorrected xₜ, as the algorithm does) and the corrected state.
    older_x0_.swap(previous_x0_);
    previous_x0_ = x0;
    older_level_ = previous_level_;
    previous_level_ = now;
    ++history_;
    last_sample_ = x;
    if (next.sigma == 0) {
      x = x0;  // first-order update to α = 1, σ = 0: x̂₀
      last_order_ = 1;
      return;
    }
    // UniP (Alg. 2): order min(2, evaluations so far), first order on the last step before σ = 0 handled
    // above.
    const int order = history_ >= 2 ? 2 : 1;
    const double h = lambda_of(next) - lambda_of(now);
    const double alpha_next = std::sqrt(next.alpha_bar);
    const double sigma_ratio = std::sqrt(1.0 - next.alpha_bar) / std::sqrt(1.0 - now.alpha_bar);
    const double b_h = std::expm1(-h), h_phi_1 = std::expm1(-h);
    const double r1 = order == 2 ? (lambda_of(older_level_) - lambda_of(now)) / h : 0.0;
    for (size_t k = 0; k < count; ++k) {
      const double m0 = previous_x0_[k];
      double x_next = sigma_ratio * last_sample_[k] - alpha_next * h_phi_1 * m0;
      if (order == 2) x_next -= alpha_next * b_h * 0.5 * (older_x0_[k] - m0) / r1;  // ρ = ½ (UniP-2)
      x[k] = static_cast<float>(x_next);
    }
    last_order_ = order;
  }

 private:
  std::vector<float> eps_, previous_x0_, older_x0_, last_sample_;
  NoiseLevel previous_level_, older_level_;
  int history_ = 0, last_order_ = 0;
};

}  // namespace

std::unique_ptr<Stepper> make_unipc_stepper() {
  return std::make_unique<UniPCStepper>();
}

}  // namespace difflab
