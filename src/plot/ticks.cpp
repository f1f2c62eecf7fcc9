// ticks.cpp — nice numbers, linear and log tick positions, tick labels.
// Not drawing: see plot.cpp for where these are placed on screen.
#include "plot/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace difflab::plot {

double nice_number(double x, bool round) {
  if (!(x > 0) || !std::isfinite(x)) return 1.0;
  const double exponent = std::floor(std::log10(x));
  const double power = std::pow(10.0, exponent);
  const double fraction = x / power;  // in [1, 10)
  double nice;
  if (round)
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

namespace {
// The 1-2-5 step below `step` (5 → 2 → 1 → 0.5 …).
double smaller_nice_step(double step) {
  const double power = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double fraction = step / power;
  return fraction > 4.5 ? 2 * power : fraction > 1.5 ? power : 0.5 * power;
}
int ticks_inside(double min, double max, double step) {
  const double tolerance = 1e-9 * (max - min);
  return int(std::floor((max + tolerance) / step) - std::ceil((min - tolerance) / step)) + 1;
}
}  // namespace

double linear_tick_step(double min, double max, int target) {
  if (max < min) std::swap(min, max);
  double step = nice_number((max - min) / (target > 1 ? target : 1), true);
  // Rounding to a nice step can leave a single tick inside (±4.6 at step 5: only "0"): an axis asked for
  // three or more gets at least three, with the next smaller 1-2-5 steps.
  if (target >= 2 && max > min && std::isfinite(max - min))
    for (int k = 0; k < 6 && ticks_inside(min, max, step) < 3; ++k) step = smaller_nice_step(step);
  return step;
}

std::vector<double> linear_ticks(double min, double max, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(min) || !std::isfinite(max) || max == min) return ticks;
  if (max < min) std::swap(min, max);
  const double step = linear_tick_step(min, max, target);
  const double tolerance = 1e-9 * (max - min);
  const double first = std::ceil((min - tolerance) / step);
  const double last = std::floor((max + tolerance) / step);
  if (last - first > 1000) return ticks;  // a degenerate request; draw none rather than millions
  for (double k = first; k <= last; k += 1) {
    double v = k * step;
    if (std::fabs(v) < step * 1e-9) v = 0.0;
    ticks.push_back(v);
  }
  return ticks;
}

std::vector<double> log_ticks(double min, double max, int target) {
  std::vector<double> ticks;
  if (!(min > 0) || !(max > min) || !std::isfinite(max)) return ticks;
  const double lo = std::log10(min), hi = std::log10(max);
  const int first = int(std::ceil(lo - 1e-9)), last = int(std::floor(hi + 1e-9));
  if (last - first > 300) return ticks;
  const auto decade_ticks = [&] {
    ticks.clear();
    const int stride = (last - first) > 10 ? (last - first + 9) / 10 : 1;
    for (int k = first; k <= last; k += stride) ticks.push_back(std::pow(10.0, k));
    // Data reaching most of a decade past the outer powers (lesson 03's β from 0.002: its lowest label was
    // 0.01) gets 2·10ᵏ below and 5·10ᵏ above, 0.7 decade from their neighbour, when the axis has room: at
    // least one label slot (axis_tick_target) per decade.
    if (target > 0 && stride == 1) {
      const double below = 2 * std::pow(10.0, first - 1), above = 5 * std::pow(10.0, last);
      if (target >= hi - lo) {
        if (below >= min * (1 - 1e-9)) ticks.insert(ticks.begin(), below);
        if (above <= max * (1 + 1e-9)) ticks.push_back(above);
      }
    }
    return ticks;
  };
  // Three or more powers of ten: the decades. Two (0.1 and 1 on lesson 06's λₜ from 0.045 to 1.6, whose
  // minimum the slide quotes) get the 1-2-5 multiples below when the axis has room for them.
  if (last - first >= 2 || (last - first == 1 && target <= 0)) return decade_ticks();
  // Less than two decades: 1-2-5 multiples, or 1-1.5-2-3-5-7 (nearly even on a log axis: lesson 06's W₂
  // from 0.105 to 0.7 gets 0.15 below 0.2, its loss from 9 to 25 gets 10, 15, 20), or every integer
  // multiple when that still gives fewer than three.
  for (const std::vector<double>& multiples :
       {std::vector<double>{1, 2, 5}, std::vector<double>{1, 1.5, 2, 3, 5, 7},
        std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
    ticks.clear();
    for (int k = int(std::floor(lo)); k <= last; ++k)
      for (double m : multiples) {
        const double v = m * std::pow(10.0, k);
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push_back(v);
      }
    if (ticks.size() >= 3) break;
  }
  if (last - first == 1 && int(ticks.size()) > target + 1) return decade_ticks();
  // A narrow range between two multiples (a loss between 1.18 and 1.62, or 18.7 and 21.3) has none or one:
  // linear ticks read right there, where the log scale is nearly linear anyway. So does a range whose
  // multiples are more than the axis has room for within one decade (0.2, 0.3, …, 0.9 in a short plot), where
  // the log scale is close to linear too. The target is for short decade labels (plot.cpp doubles it); linear
  // labels ("1.17") take the linear count, as symlog_ticks' linear part does (04 s7: 18 labels 0.01 apart).
  if (ticks.size() < 2 || (target > 0 && int(ticks.size()) > target + 1 && max < 10 * min))
    ticks = linear_ticks(min, max, target > 0 ? std::max(3, target / 2) : 4);
  return ticks;
}

std::vector<double> symlog_ticks(double min, double max, double c, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(min) || !std::isfinite(max) || !(c > 0) || max == min) return ticks;
  if (max < min) std::swap(min, max);
  const int first = int(std::ceil(std::log10(c) - 1e-9));  // the smallest decade ≥ c
  const double reach = std::max(std::abs(min), std::abs(max));
  if (!(reach >= std::pow(10.0, first))) {
    // The whole range lies within the linear part: linear ticks read best there.
    return linear_ticks(min, max, std::max(3, target / 2));
  }
  const int last = int(std::floor(std::log10(reach) + 1e-9));
  if (last - first > 300) return ticks;
  // Candidate ticks, then the thinnest decade stride that keeps them at most `target`.
  for (int stride = 1;; ++stride) {
    ticks.clear();
    const auto keep = [&](double v) {
      return v >= min - 1e-9 * std::abs(min) && v <= max + 1e-9 * std::abs(max);
    };
    // ±c lie only log10(2) ≈ 0.3 of a decade from 0: with 0 and a decade beyond, they are left out (lesson
    // 06's "0.001" over "−0.001" with no 0 between, the 0 label dropped as overlapping).
    const bool zero = keep(0.0);
    const int inner = zero && last > first ? first + 1 : first;
    for (int k = last; k >= inner; k -= stride)
      if (keep(-std::pow(10.0, k))) ticks.push_back(-std::pow(10.0, k));
    if (zero) ticks.push_back(0.0);
    for (int k = inner + (last - inner) % stride; k <= last; k += stride)
      if (keep(std::pow(10.0, k))) ticks.push_back(std::pow(10.0, k));
    if (int(ticks.size()) <= std::max(target, 3) || stride > 300) break;
  }
  return ticks;
}

int axis_tick_target(float axis_pixels, float label_pixels) {
  if (!(axis_pixels > 0) || !(label_pixels > 0)) return 3;
  return std::max(3, int(axis_pixels / label_pixels));
}

std::string format_tick(double value, double step) {
  if (value == 0.0 || std::fabs(value) < std::fabs(step) * 1e-9) value = 0.0;  // no "-0"
  char buffer[48];
  const double magnitude = std::fabs(value);
  if (magnitude != 0.0 && (magnitude >= 1e6 || magnitude < 1e-4)) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
  }
  int decimals = 0;
  if (step > 0 && step < 1) decimals = int(std::ceil(-std::log10(step) - 1e-9));
  if (decimals > 10) decimals = 10;
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string readout_label(double x, double y, float room,
                          const std::function<float(const std::string&)>& width) {
  char buffer[96];
  for (const char* format : {"(%.4g, %.4g)", "(%.3g, %.3g)", "(%.2g, %.2g)", "%.2g, %.2g"}) {
    std::snprintf(buffer, sizeof buffer, format, x, y);
    if (width(buffer) <= room) break;
  }
  return buffer;
}

}  // namespace difflab::plot
