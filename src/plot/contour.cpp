// contour.cpp — marching squares over a grid (see contour.h).
// Not drawing and not smoothing: straight segments inside each cell.
#include "plot/contour.h"

#include <cmath>

namespace difflab::plot {

std::vector<float> contour_segments(const std::vector<float>& values, int rows, int cols, Range x_bounds,
                                    Range y_bounds, double level) {
  std::vector<float> out;
  if (rows < 2 || cols < 2 || values.size() != static_cast<size_t>(rows) * cols) return out;
  const double dx = (x_bounds.max - x_bounds.min) / (cols - 1),
               dy = (y_bounds.max - y_bounds.min) / (rows - 1);
  const auto x_of = [&](double c) { return x_bounds.min + dx * c; };
  const auto y_of = [&](double r) { return y_bounds.max - dy * r; };
  const auto at = [&](int r, int c) {
    return static_cast<double>(values[static_cast<size_t>(r) * cols + c]);
  };
  const float nan = std::nanf("");
  for (int r = 0; r + 1 < rows; ++r)
    for (int c = 0; c + 1 < cols; ++c) {
      // Corners in order: top-left, top-right, bottom-right, bottom-left (r down, c right).
      const int cr[4] = {r, r, r + 1, r + 1}, cc[4] = {c, c + 1, c + 1, c};
      double v[4];
      bool finite = true;
      for (int k = 0; k < 4; ++k) finite = finite && std::isfinite(v[k] = at(cr[k], cc[k]));
      if (!finite) continue;
      // The crossing on each edge k (corner k → corner k+1), where the sign of v − level changes.
      double px[4], py[4];
      bool cut[4];
      int cuts = 0;
      for (int k = 0; k < 4; ++k) {
        const int n = (k + 1) % 4;
        const bool a = v[k] >= level, b = v[n] >= level;
        cut[k] = a != b;
        if (!cut[k]) continue;
        const double f = (level - v[k]) / (v[n] - v[k]);
        px[k] = x_of(cc[k] + f * (cc[n] - cc[k]));
        py[k] = y_of(cr[k] + f * (cr[n] - cr[k]));
        ++cuts;
      }
      const auto segment = [&](int a, int b) {
        out.insert(out.end(), {float(px[a]), float(py[a]), float(px[b]), float(py[b]), nan, nan});
      };
      if (cuts == 2) {
        int first = -1, second = -1;
        for (int k = 0; k < 4; ++k)
          if (cut[k]) (first < 0 ? first : second) = k;
        segment(first, second);
      } else if (cuts == 4) {
        // A saddle: the cell's mean decides which corners connect.
        const bool centre_high = 0.25 * (v[0] + v[1] + v[2] + v[3]) >= level;
        const bool top_left_high = v[0] >= level;
        if (centre_high == top_left_high) {
          segment(0, 1);
          segment(2, 3);
        } else {
          segment(3, 0);
          segment(1, 2);
        }
      }
    }
  return out;
}

}  // namespace difflab::plot
