// binning.h — histogram counts over strided data, and the bounding box of strided points.
// Not drawing: pure functions the plot items call and the tests check.
#pragma once

#include <cmath>
#include <vector>

namespace difflab::plot {

// Reads element i of a strided array: `stride` is in bytes, like ImPlot's.
template <typename T>
inline T strided_at(const T* base, int i, int stride) {
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + std::ptrdiff_t(i) * stride);
}

// Counts values into `bins` equal bins over [lo, hi]; hi itself falls in the last bin; values outside
// [lo, hi] and NaN are skipped.
template <typename T>
std::vector<double> histogram_counts(const T* values, int count, int stride, int bins, double lo, double hi) {
  std::vector<double> counts(bins > 0 ? bins : 0, 0.0);
  if (bins <= 0 || !(hi > lo)) return counts;
  const double scale = bins / (hi - lo);
  for (int i = 0; i < count; ++i) {
    const double v = double(strided_at(values, i, stride));
    if (!(v >= lo && v <= hi)) continue;
    int b = int((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b] += 1;
  }
  return counts;
}

// The smallest and largest finite value; false when there is none.
template <typename T>
bool finite_extent(const T* values, int count, int stride, double* lo, double* hi) {
  bool any = false;
  for (int i = 0; i < count; ++i) {
    const double v = double(strided_at(values, i, stride));
    if (!std::isfinite(v)) continue;
    if (!any || v < *lo) *lo = v;
    if (!any || v > *hi) *hi = v;
    any = true;
  }
  return any;
}

}  // namespace difflab::plot
