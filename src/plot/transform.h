// transform.h — pure maps between data coordinates and pixels (linear and log10), plus pan and zoom of a range.
// Not drawing and not ImGui: plain arithmetic the plot layer and the tests share.
#pragma once

#include <cmath>

namespace difflab::plot {

enum class Scale { Linear, Log10 };

// One axis: the data interval [data_min, data_max] is shown on the pixel interval [pixel_min, pixel_max].
// For a y axis pass pixel_min = bottom edge and pixel_max = top edge (screen y grows downwards).
struct AxisMap {
  double data_min = 0.0, data_max = 1.0;
  double pixel_min = 0.0, pixel_max = 1.0;
  Scale scale = Scale::Linear;
};

// Log axes map log10(v); values ≤ 0 are clamped to the smallest positive double that stays finite.
inline double scale_forward(Scale s, double v) {
  if (s == Scale::Linear) return v;
  return std::log10(v > 1e-300 ? v : 1e-300);
}
inline double scale_inverse(Scale s, double u) { return s == Scale::Linear ? u : std::pow(10.0, u); }

// Data → pixel: p = pixel_min + (f(v) − f(min)) / (f(max) − f(min)) · (pixel_max − pixel_min).
inline double to_pixel(const AxisMap& m, double v) {
  const double a = scale_forward(m.scale, m.data_min), b = scale_forward(m.scale, m.data_max);
  const double span = (b - a) != 0.0 ? (b - a) : 1.0;
  return m.pixel_min + (scale_forward(m.scale, v) - a) / span * (m.pixel_max - m.pixel_min);
}

// Pixel → data, the inverse of to_pixel.
inline double to_data(const AxisMap& m, double p) {
  const double a = scale_forward(m.scale, m.data_min), b = scale_forward(m.scale, m.data_max);
  const double pixel_span = (m.pixel_max - m.pixel_min) != 0.0 ? (m.pixel_max - m.pixel_min) : 1.0;
  return scale_inverse(m.scale, a + (p - m.pixel_min) / pixel_span * (b - a));
}

struct Range {
  double min = 0.0, max = 1.0;
};

// Zooms [min, max] by `factor` (< 1 zooms in) keeping `anchor` (a data value) at the same pixel.
inline Range zoom_range(Range r, double anchor, double factor, Scale s = Scale::Linear) {
  const double a = scale_forward(s, r.min), b = scale_forward(s, r.max), c = scale_forward(s, anchor);
  return {scale_inverse(s, c - (c - a) * factor), scale_inverse(s, c + (b - c) * factor)};
}

// Moves [min, max] by `pixels` on an axis of `axis_pixels` length (positive = towards max).
inline Range pan_range(Range r, double pixels, double axis_pixels, Scale s = Scale::Linear) {
  const double a = scale_forward(s, r.min), b = scale_forward(s, r.max);
  const double shift = axis_pixels != 0.0 ? pixels / axis_pixels * (b - a) : 0.0;
  return {scale_inverse(s, a + shift), scale_inverse(s, b + shift)};
}

// Widens the shorter of two ranges so that one data unit spans the same pixels on both axes.
// Returns the adjusted ranges centred where they were.
inline void equalize_aspect(Range* x, Range* y, double width_pixels, double height_pixels) {
  if (width_pixels <= 0 || height_pixels <= 0) return;
  const double x_per_pixel = (x->max - x->min) / width_pixels;
  const double y_per_pixel = (y->max - y->min) / height_pixels;
  if (x_per_pixel > y_per_pixel) {
    const double centre = 0.5 * (y->min + y->max), half = 0.5 * x_per_pixel * height_pixels;
    *y = {centre - half, centre + half};
  } else {
    const double centre = 0.5 * (x->min + x->max), half = 0.5 * y_per_pixel * width_pixels;
    *x = {centre - half, centre + half};
  }
}

}  // namespace difflab::plot
