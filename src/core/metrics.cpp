// metrics.cpp — sliced Wasserstein-2 between point sets.
// Not a loss.
#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/rng.h"

namespace difflab {

double sliced_wasserstein2(const std::vector<float>& a, const std::vector<float>& b, int projections,
                           uint64_t seed) {
  const size_t na = a.size() / 2, nb = b.size() / 2;
  if (na == 0 || nb == 0) throw std::invalid_argument("sliced Wasserstein needs two non-empty point sets");
  const bool a_smaller = na <= nb;
  const std::vector<float>& small = a_smaller ? a : b;
  const std::vector<float>& large = a_smaller ? b : a;
  const size_t ns = std::min(na, nb), nl = std::max(na, nb);
  Rng rng(seed);
  std::vector<double> ps(ns), pl(nl);
  double total = 0;
  for (int p = 0; p < projections; ++p) {
    const double angle = rng.uniform(0.0, std::numbers::pi);
    const double cx = std::cos(angle), cy = std::sin(angle);
    for (size_t i = 0; i < ns; ++i) ps[i] = cx * small[2 * i] + cy * small[2 * i + 1];
    for (size_t i = 0; i < nl; ++i) pl[i] = cx * large[2 * i] + cy * large[2 * i + 1];
    std::sort(ps.begin(), ps.end());
    std::sort(pl.begin(), pl.end());
    double w2 = 0;
    for (size_t i = 0; i < ns; ++i) {
      const size_t j = std::min(nl - 1, static_cast<size_t>((i + 0.5) * static_cast<double>(nl) / ns));
      const double d = ps[i] - pl[j];
      w2 += d * d;
    }
    total += w2 / ns;
  }
  return std::sqrt(total / projections);
}

}  // namespace difflab
