// mode_metrics.cpp — modes covered, high-quality fraction and sliced W₂ with its floor for 2-D point sets.
// Not a model: the modes are a Gaussian mixture's components.
#include "core/mode_metrics.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/metrics.h"

namespace difflab {

bool has_labelled_modes(const GaussianMixture2D& mixture) {
  if (mixture.size() == 0) return false;
  for (const Mat2& c : mixture.covariances)
    if (!(c.a > 0 && c.det() > 0)) return false;
  return true;
}

ModeCoverage mode_coverage(const std::vector<float>& xy, const GaussianMixture2D& modes) {
  if (!has_labelled_modes(modes))
    throw std::invalid_argument("modes covered needs a Gaussian mixture with positive-definite covariances");
  const int K = modes.size();
  std::vector<Mat2> inverse(K);
  for (int k = 0; k < K; ++k) {
    const Mat2& c = modes.covariances[k];
    const double d = c.det();
    inverse[k] = {c.c / d, -c.b / d, c.a / d};
  }
  ModeCoverage r;
  r.modes = K;
  r.samples = static_cast<int>(xy.size() / 2);
  r.per_mode.assign(K, 0);
  int near_any = 0;
  for (int i = 0; i < r.samples; ++i) {
    const double x = xy[2 * i], y = xy[2 * i + 1];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    int best = -1;
    double best_d2 = 9.0;  // (3σ)²
    for (int k = 0; k < K; ++k) {
      const double dx = x - modes.means[k][0], dy = y - modes.means[k][1];
      const Mat2& m = inverse[k];
      const double d2 = m.a * dx * dx + 2 * m.b * dx * dy + m.c * dy * dy;
      if (d2 <= best_d2) {
        best_d2 = d2;
        best = k;
      }
    }
    if (best >= 0) {
      ++r.per_mode[best];
      ++near_any;
    }
  }
  for (int k = 0; k < K; ++k)
    if (r.samples > 0 && 4.0 * K * r.per_mode[k] >= r.samples) ++r.modes_covered;
  r.high_quality_fraction = r.samples > 0 ? static_cast<double>(near_any) / r.samples : 0.0;
  return r;
}

SampleScore score_samples(const std::vector<float>& samples, const std::vector<float>& held_out,
                          const std::vector<float>& fresh, const GaussianMixture2D* modes) {
  SampleScore s;
  bool finite = !samples.empty();
  for (float v : samples)
    if (!std::isfinite(v)) finite = false;
  s.swd = finite ? sliced_wasserstein2(samples, held_out) : std::numeric_limits<double>::infinity();
  s.swd_floor = fresh.empty() ? 0 : sliced_wasserstein2(fresh, held_out);
  if (modes && has_labelled_modes(*modes)) {
    s.has_modes = true;
    s.coverage = mode_coverage(samples, *modes);
  }
  return s;
}

}  // namespace difflab
