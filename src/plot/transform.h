// transform.h — pure maps between data coordinates and pixels (linear, log10, symmetric log), plus pan and
// zoom. Not drawing and not ImGui: plain arithmetic the plot layer and the tests share.
#pragma once

#include <cmath>

namespace difflab::plot {

// SymLog: f(v) = sign(v)·log10(1 + |v|/c), linear within about ±c and logarithmic beyond, so that values of
// both signs spanning decades fit one axis (a bound's terms with a negative L₀). c is the axis' linear width.
enum class Scale { Linear, Log10, SymLog };

// One axis: the data interval [data_min, data_max] is shown on the pixel interval [pixel_min, pixel_max].
// For a y axis pass pixel_min = bottom edge and pixel_max = top edge (screen y grows downwards).
struct AxisMap {
  double data_min = 0.0, data_max = 1.0;
  double pixel_min = 0.0, pixel_max = 1.0;
  Scale scale = Scale::Linear;
  double linear_width = 1.0;  // c of Scale::SymLog
};

// Log axes map log10(v); values ≤ 0 are clamped to the smallest positive double that stays finite.
inline double scale_forward(Scale s, double v, double c = 1.0) {
  if (s == Scale::Linear) return v;
  if (s == Scale::SymLog) return std::copysign(std::log10(1.0 + std::abs(v) / c), v);
  return std::log10(v > 1e-300 ? v : 1e-300);
}
inline double scale_inverse(Scale s, double u, double c = 1.0) {
  if (s == Scale::Linear) return u;
  if (s == Scale::SymLog) return std::copysign(c * (std::pow(10.0, std::abs(u)) - 1.0), u);
  return std::pow(10.0, u);
}

// Data → pixel: p = pixel_min + (f(v) − f(min)) / (f(max) − f(min)) · (pixel_max − pixel_min).
inline double to_pixel(const AxisMap& m, double v) {
  const double c = m.linear_width;
  const double a = scale_forward(m.scale, m.data_min, c), b = scale_forward(m.scale, m.data_max, c);
  const double span = (b - a) != 0.0 ? (b - a) : 1.0;
  return m.pixel_min + (scale_forward(m.scale, v, c) - a) / span * (m.pixel_max - m.pixel_min);
}

// Pixel → data, the inverse of to_pixel.
inline double to_data(const AxisMap& m, double p) {
  const double c = m.linear_width;
  const double a = scale_forward(m.scale, m.data_min, c), b = scale_forward(m.scale, m.data_max, c);
  const double pixel_span = (m.pixel_max - m.pixel_min) != 0.0 ? (m.pixel_max - m.pixel_min) : 1.0;
  return scale_inverse(m.scale, a + (p - m.pixel_min) / pixel_span * (b - a), c);
}

struct Range {
  double min = 0.0, max = 1.0;
};

// Zooms [min, max] by `factor` (< 1 zooms in) keeping `anchor` (a data value) at the same pixel.
inline Range zoom_range(Range r, double anchor, double factor, Scale s = Scale::Linear, double width = 1.0) {
  const double a = scale_forward(s, r.min, width), b = scale_forward(s, r.max, width);
  const double c = scale_forward(s, anchor, width);
  return {scale_inverse(s, c - (c - a) * factor, width), scale_inverse(s, c + (b - c) * factor, width)};
}

// Moves [min, max] by `pixels` on an axis of `axis_pixels` length (positive = towards max).
inline Range pan_range(Range r, double pixels, double axis_pixels, Scale s = Scale::Linear,
                       double width = 1.0) {
  const double a = scale_forward(s, r.min, width), b = scale_forward(s, r.max, width);
  const double shift = axis_pixels != 0.0 ? pixels / axis_pixels * (b - a) : 0.0;
  return {scale_inverse(s, a + shift, width), scale_inverse(s, b + shift, width)};
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

// The limits of one plot between frames: the requested ranges (setup limits, pan, zoom) and what one frame
// shows. Equal aspect widens only the shown ranges, computed afresh each frame from the requested ones, so
// a transient size (the frame a window goes fullscreen, a plot squeezed to 10 px) cannot ratchet the
// limits outward for good (the "axes jump to ±40" bug of F).
struct ViewLimits {
  Range x{0, 1}, y{0, 1};              // requested
  Range shown_x{0, 1}, shown_y{0, 1};  // this frame's, after show()
  void show(double width_pixels, double height_pixels, bool equal_aspect) {
    shown_x = x;
    shown_y = y;
    if (equal_aspect) equalize_aspect(&shown_x, &shown_y, width_pixels, height_pixels);
  }
  // Pan and zoom act on what the user sees and become the new request.
  void pan(double dx_pixels, double dy_pixels, double width_pixels, double height_pixels, Scale xs, Scale ys,
           double cx = 1.0, double cy = 1.0) {
    x = pan_range(shown_x, dx_pixels, width_pixels, xs, cx);
    y = pan_range(shown_y, dy_pixels, height_pixels, ys, cy);
    shown_x = x;
    shown_y = y;
  }
  void zoom(double anchor_x, double anchor_y, double factor, Scale xs, Scale ys, double cx = 1.0,
            double cy = 1.0) {
    x = zoom_range(shown_x, anchor_x, factor, xs, cx);
    y = zoom_range(shown_y, anchor_y, factor, ys, cy);
    shown_x = x;
    shown_y = y;
  }
};

}  // namespace difflab::plot
