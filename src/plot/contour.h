// contour.h — iso-lines of a grid of values (marching squares), as line segments a plot can draw.
// Not drawing: pure arithmetic, unit-tested in tests/plot; plot_line draws the result (NaN breaks the line).
#pragma once

#include <vector>

#include "plot/transform.h"

namespace difflab::plot {

// The curve f = level through a rows × cols grid (row 0 at y_bounds.max, column 0 at x_bounds.min, cell
// centres at the grid points' coordinates as in views' GridSpec: the first and last rows/columns lie on the
// bounds). Each cell crossed by the level adds one or two segments, endpoints interpolated linearly along
// the cell's edges. Returned as x, y pairs: two points per segment, then a NaN pair, ready for
// plot_line(label, xy, xy + 1, n, 2·sizeof(float)).
std::vector<float> contour_segments(const std::vector<float>& values, int rows, int cols, Range x_bounds,
                                    Range y_bounds, double level);

}  // namespace difflab::plot
