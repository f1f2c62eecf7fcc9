// flow.cpp — the rectified-flow ↔ VP change of variables and the exact mixture velocity.
// Not training or integration: see flow.h.
#include "core/flow.h"

#include <algorithm>
#include <cmath>

namespace difflab {

double FlowTime::scale(double t) {
  return std::sqrt((1 - t) * (1 - t) + t * t);
}

double FlowTime::alpha_bar(double t) {
  const double a = (1 - t) * (1 - t);
  return a / (a + t * t);
}

double FlowTime::from_alpha_bar(double ab) {
  if (ab <= 0) return 1.0;
  if (ab >= 1) return 0.0;
  const double sigma = std::sqrt((1 - ab) / ab);
  return sigma / (1 + sigma);
}

ExactVelocity::ExactVelocity(GaussianMixture2D mixture) : mixture_(std::move(mixture)) {
  mixture_.validate_and_normalise();
}

void ExactVelocity::predict_velocity(const float* x, int n, double t, float* v) {
  t = std::clamp(t, 1e-4, 1.0);
  if (t == 1.0) {  // xₜ = ε: E[ε | x] = x and E[x₀ | x] is the data mean (ᾱ = 0 has no Tweedie inverse)
    const std::array<double, 2> mean = mixture_.mean();
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 2; ++d) v[2 * i + d] = static_cast<float>(x[2 * i + d] - mean[d]);
    return;
  }
  if (!cached_ || cached_t_ != t) {
    cached_ = std::make_unique<DiffusedMixture>(mixture_, FlowTime::alpha_bar(t));
    cached_t_ = t;
  }
  const double c = FlowTime::scale(t);
  for (int i = 0; i < n; ++i) {
    // ε and x₀ are the same random variables on both paths: only the point is rescaled.
    const ExactQuantities q = cached_->evaluate(x[2 * i] / c, x[2 * i + 1] / c);
    for (int d = 0; d < 2; ++d) v[2 * i + d] = static_cast<float>(q.eps[d] - q.x0[d]);
  }
}

void DenoiserVelocity::predict_velocity(const float* x, int n, double t, float* v) {
  // Beyond the schedule's noisiest level the network was never trained, and (ε̂ − x)/(1 − t) magnifies its
  // error as t → 1: the field there is taken at that level (the flow time of ᾱ_{T−1}).
  const double t_max = std::min(1.0 - 1e-4, FlowTime::from_alpha_bar(denoiser_.schedule().alpha_bar.back()));
  t = std::clamp(t, 0.0, t_max);
  const double c = FlowTime::scale(t), ab = FlowTime::alpha_bar(t);
  const size_t size = static_cast<size_t>(dim()) * n;
  scaled_.resize(size);
  eps_.resize(size);
  for (size_t k = 0; k < size; ++k) scaled_[k] = static_cast<float>(x[k] / c);
  // The fractional code index of this ᾱ on the denoiser's schedule (for networks trained on integer t).
  const NoiseSchedule& s = denoiser_.schedule();
  double t_code = 0;
  if (ab <= s.alpha_bar.back()) {
    t_code = s.T() - 1;
  } else {
    int k = 0;
    while (k + 1 < s.T() && s.alpha_bar[k + 1] >= ab) ++k;
    const double lo = s.alpha_bar[k], hi = k + 1 < s.T() ? s.alpha_bar[k + 1] : lo;
    t_code = ab >= lo || lo == hi ? k : k + (lo - ab) / (lo - hi);
  }
  denoiser_.predict_eps_continuous(scaled_.data(), n, t_code, ab, eps_.data());
  for (size_t k = 0; k < size; ++k) v[k] = static_cast<float>((eps_[k] - x[k]) / (1 - t));
}

void VelocityDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  predict_eps_continuous(xt, n, t, schedule_.alpha_bar[t], eps);
}

void VelocityDenoiser::predict_eps_continuous(const float* xt, int n, double, double alpha_bar, float* eps) {
  const double t = FlowTime::from_alpha_bar(alpha_bar), c = FlowTime::scale(t);
  const size_t size = static_cast<size_t>(dim()) * n;
  x_.resize(size);
  v_.resize(size);
  for (size_t k = 0; k < size; ++k) x_[k] = static_cast<float>(xt[k] * c);
  field_.predict_velocity(x_.data(), n, t, v_.data());
  for (size_t k = 0; k < size; ++k) eps[k] = static_cast<float>(x_[k] + (1 - t) * v_[k]);
}

}  // namespace difflab
