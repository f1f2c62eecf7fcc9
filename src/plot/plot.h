// plot.h — the in-house plotting layer on ImGui draw lists: begin_plot → setup → items → end_plot.
// Not a data store: items read caller memory through pointer + count + stride (bytes) and copy nothing.
//
//   if (plot::begin_plot("Loss", {-1, 200})) {          // false when clipped: skip the items
//     plot::setup_axes("step", "loss", plot::kAxisNone, plot::kAxisLog);
//     plot::plot_line("train", steps, losses, n);        // float or double arrays, optional stride
//     plot::end_plot();                                  // only when begin_plot returned true
//   }
//
// Mouse: drag pans, wheel zooms around the pointer, double-click resets to the setup/fitted limits,
// hover shows the data coordinates; legend entries toggle their item on click.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "plot/colormap.h"
#include "plot/transform.h"

namespace difflab::plot {

enum PlotFlags : int {
  kPlotNone = 0,
  kPlotEqualAspect = 1 << 0,  // one data unit spans the same pixels on x and y (point clouds, fields)
  kPlotNoLegend = 1 << 1,
  kPlotNoInputs = 1 << 2,  // no pan, zoom or reset
  kPlotNoTitle = 1 << 3,
  kPlotAutoFit = 1 << 4,      // refit the axes without setup limits to the data every frame (growing curves)
  kPlotTitleInside = 1 << 5,  // the title in the data area's top-left corner, taking no row (small multiples)
                              // until the user pans or zooms; double-click resumes
};

enum AxisFlags : int {
  kAxisNone = 0,
  kAxisLog = 1 << 0,  // log10 scale
  kAxisNoTicks = 1 << 1,
  kAxisSymLog = 1 << 2,  // symmetric log: linear within ±c, log10 beyond; both signs (setup_symlog_width)
};

enum class Axis { X, Y };
enum class Cond { Once, Always };  // Once: only until the user pans/zooms; Always: every frame

// ---- the protocol ----------------------------------------------------------------------------------
// size: x or y ≤ 0 fills the available width / uses a default height (ImGui convention).
bool begin_plot(const char* title, ImVec2 size, int flags = kPlotNone);
void setup_axes(const char* x_label, const char* y_label, int x_flags = kAxisNone, int y_flags = kAxisNone);
void setup_axis_limits(Axis axis, double min, double max, Cond cond = Cond::Once);
// The linear width c of a kAxisSymLog axis (default 1): values within ±c are drawn linearly.
void setup_symlog_width(Axis axis, double c);
void end_plot();

// ---- style of the next item (reset after each item) ------------------------------------------------
void set_next_color(ImU32 color);
void set_next_size(float pixels);  // marker size for scatter, thickness for lines
ImU32 palette_color(int index);    // the qualitative palette items cycle through

// ---- items: pointer + count + stride (bytes; 0 = tightly packed) -----------------------------------
void plot_line(const char* label, const float* xs, const float* ys, int count, int stride = 0);
void plot_line(const char* label, const double* xs, const double* ys, int count, int stride = 0);
// y values at x = x0 + i·dx (loss curves indexed by step).
void plot_line_y(const char* label, const float* ys, int count, double x0 = 0, double dx = 1, int stride = 0);
// Markers as square quads written straight into the vertex buffer: 20k points at 60 fps.
void plot_scatter(const char* label, const float* xs, const float* ys, int count, int stride = 0);
void plot_scatter(const char* label, const double* xs, const double* ys, int count, int stride = 0);
// Arrows from (x, y) to (x + scale·u, y + scale·v), in data units (quiver plots, score fields).
void plot_arrows(const char* label, const float* xs, const float* ys, const float* us, const float* vs,
                 int count, float scale = 1.0f, int stride = 0);
// Bars of `width` data units centred at x0 + i·dx.
void plot_bars(const char* label, const float* heights, int count, double width = 0.8, double x0 = 0,
               double dx = 1, int stride = 0);
// Histogram of `count` values in `bins` bins over [lo, hi] (lo ≥ hi: the data's extent); density = true
// divides by count·bin width so the bars integrate to 1.
void plot_histogram(const char* label, const float* values, int count, int bins = 30, double lo = 0,
                    double hi = 0, bool density = false, int stride = 0);
// A rows × cols grid of values (row 0 at the top) coloured by `map` over [vmin, vmax], stretched over the
// data rectangle [x_min, x_max] × [y_min, y_max]. Uploaded as a GL texture (one per label and plot).
void plot_heatmap(const char* label, const float* values, int rows, int cols, double vmin, double vmax,
                  Range x_bounds, Range y_bounds, Colormap map = Colormap::Viridis);
// A vertical line at x (e.g. "t = 250") and a horizontal one at y.
void plot_vline(const char* label, double x);
void plot_hline(const char* label, double y);
// Text at a data position (centred, kept inside the data area and wrapped to its width).
void plot_text(const char* text, double x, double y);
// What a plot with no data yet says in its middle (the shell sets the translated text; "" says nothing).
void set_empty_plot_text(const char* text);

// ---- a time cursor shared by several plots ---------------------------------------------------------
// The same TimeCursor passed to several plots shows one vertical line in each; dragging it in any plot
// moves it everywhere. Returns true when the user moved it this frame. Snaps to integers if `integer`.
struct TimeCursor {
  double x = 0.0;
  double min = 0.0, max = 1.0;  // clamp range
  bool integer = false;
};
bool drag_time_cursor(const char* label, TimeCursor* cursor);

// ---- outside a plot ---------------------------------------------------------------------------------
// n grayscale images of w × h floats (row-major, one after another) laid out `columns` wide, mapped
// [vmin, vmax] → black…white, each drawn `cell_pixels` tall. One texture per id. With `labels` (n strings),
// each image gets its label centred on a text line above it (lesson 02's noising strip: which t is which).
void image_grid(const char* id, const float* images, int n, int w, int h, int columns, float vmin, float vmax,
                float cell_pixels = 48.0f, const std::vector<std::string>* labels = nullptr);
// A horizontal colour bar for `map` labelled with vmin and vmax.
void colorbar(const char* id, Colormap map, double vmin, double vmax, ImVec2 size);

// Is the mouse over the current plot, and where (data coordinates)? Valid between begin and end.
bool plot_hovered();
double mouse_x();
double mouse_y();
// The data ranges the current plot shows (after setup, pan and zoom; the equal aspect widens one axis).
Range shown_x();
Range shown_y();

// The living documentation: every item type, each with a one-line explanation of its call.
void show_gallery();

}  // namespace difflab::plot
