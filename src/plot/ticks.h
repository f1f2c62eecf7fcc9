// ticks.h — "nice number" tick positions (1-2-5 steps, decades on log axes) and their labels.
// Not drawing: pure functions, unit-tested in tests/plot.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plot/transform.h"

namespace difflab::plot {

// The 1-2-5 number closest to x (round = true) or the smallest not below x (round = false):
// Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
double nice_number(double x, bool round);

// Ticks covering [min, max] at the nice step closest to (max − min) / target, so that about target + 1
// ticks fall inside.
// Every returned value lies in [min, max] (within a relative 1e-9). Values within step·1e-9 of 0 are 0.
std::vector<double> linear_ticks(double min, double max, int target = 5);
// The step linear_ticks used (for label precision): the nice step closest to (max − min) / target, made
// smaller (1-2-5) until at least three ticks fall inside when target ≥ 2.
double linear_tick_step(double min, double max, int target = 5);
// The target for an axis `axis_pixels` long whose labels need `label_pixels` each: at least 3.
int axis_tick_target(float axis_pixels, float label_pixels);

// Log10 axis: the powers of ten inside [min, max]; when fewer than two fall inside, 1·10ᵏ, 2·10ᵏ, 5·10ᵏ,
// and when that still gives fewer than three, every m·10ᵏ (m = 1 … 9); when even those give fewer than two
// (a narrow range such as 1.18 … 1.62), linear ticks. With a target (the labels the axis has room for,
// axis_tick_target): powers of ten with room to spare also get 2·10ᵏ below the lowest and 5·10ᵏ above the
// highest when those lie inside, and sub-decade multiples beyond target + 1 give way to linear ticks.
std::vector<double> log_ticks(double min, double max, int target = 0);
// Symmetric-log axis of linear width c: 0 (when inside) and ±10ᵏ for the decades 10ᵏ ≥ c inside
// [min, max], every second decade (then every third…) kept when more than `target` would crowd the axis.
std::vector<double> symlog_ticks(double min, double max, double c, int target = 8);

// A label for a tick: as many decimals as the step needs ("0.2", "15", "-0.05"); scientific
// notation ("1e-05", "2.5e+06") for very small or very large magnitudes. Never prints "-0".
std::string format_tick(double value, double step);

// The hover read-out "(x, y)" of a pointer at data coordinates (x, y) in a plot `room` pixels wide, as
// `width` measures text: 4 significant digits, fewer (down to 2) when that does not fit (lesson 05's
// 160 px plots at 1280 × 720 cut "(-1.341, -3.525" off), then without the brackets.
std::string readout_label(double x, double y, float room,
                          const std::function<float(const std::string&)>& width);

}  // namespace difflab::plot
