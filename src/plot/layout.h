// layout.h — where a plot's title, y label and legend go, as pure arithmetic: the legend's entries packed
// left to right into rows of a band above the data (never over it), and whether the title and the y label
// can share the top row. Not drawing: plot.cpp measures the texts and draws at these places.
#pragma once

#include <algorithm>
#include <vector>

namespace difflab::plot {

struct LegendSlot {
  float x = 0, y = 0;  // offset of the entry from the band's top-left corner, pixels
};

// Packs entries of the given widths (pixels, swatch included) into rows no wider than `band_width`,
// separated by `gap`, each `row_height` tall; an entry wider than the band gets a row of its own.
// Returns the number of rows (0 for no entries) and fills `slots` (one per entry).
inline int pack_legend(const std::vector<float>& widths, float band_width, float gap, float row_height,
                       std::vector<LegendSlot>* slots) {
  slots->assign(widths.size(), LegendSlot{});
  if (widths.empty()) return 0;
  int row = 0;
  float x = 0;
  for (size_t i = 0; i < widths.size(); ++i) {
    if (x > 0 && x + widths[i] > band_width) {
      ++row;
      x = 0;
    }
    (*slots)[i] = {x, row * row_height};
    x += widths[i] + gap;
  }
  return row + 1;
}

// Where the legend band starts: above the data area (area_left), or further left, down to the frame's edge,
// when the widest entry would not fit between area_left and frame_right ("modelo contra datos rese" cut at
// the frame's right edge in lesson 04's half-width quality plot at 1280 × 720, Spanish).
inline float legend_band_left(float area_left, float frame_left, float frame_right, float widest) {
  if (area_left + widest <= frame_right) return area_left;
  return std::max(frame_left, std::min(area_left, frame_right - widest));
}

// The title is centred on the frame; the y label starts at its left edge. They share the top row only
// when the label ends at least `gap` pixels before the title begins (else "sliced W₂sample quality").
inline bool title_shares_row_with_y_label(float frame_width, float title_width, float y_label_width,
                                          float gap) {
  const float title_left = 0.5f * (frame_width - title_width);
  return y_label_width + gap <= title_left;
}

// Margins (pixels) between a plot's frame and its data area: tick labels on the left and below, the x
// label's row, a heat map's colour scale on the right. An axis without tick labels (kAxisNoTicks) keeps only
// a small gap, so small multiples give their pixels to the data (lesson 03's four clouds were 80 px wide
// in 185 px columns at 1280 × 720).
struct AreaMargins {
  float left = 0, right = 0, bottom = 0;
};
inline AreaMargins area_margins(bool y_tick_labels, bool x_tick_labels, bool x_label, bool colorbar,
                                float font) {
  AreaMargins m;
  m.left = font * (y_tick_labels ? 3.6f : 0.4f);
  m.right = font * (colorbar ? 5.0f : 0.8f);
  m.bottom = font * (x_label ? 2.6f : x_tick_labels ? 1.5f : 0.4f);
  return m;
}

// The frame height that makes a titled plot without tick labels (and without legend or x label) have a
// square data area in a frame `width` wide: the area loses left + right margins across and the title row
// (1.3 em), the gap under it and the bottom margin (0.4 em each) down (finish_setup in plot.cpp). Lesson 03's
// four sample boxes were 155 × 132 px in 185 × 185 frames, under images 185 px wide.
inline float square_area_frame_height(float width, float font) {
  const AreaMargins m = area_margins(false, false, false, false, font);
  return width - m.left - m.right + font * (1.3f + 0.4f) + m.bottom;
}

// A heat map's colour scale in the right margin: the bar, its tick marks and their labels. The label keeps a
// clear gap after its tick mark: a mark run into "0.15" read as "-0.15", a negative density (lesson 02).
struct ColorbarGeometry {
  float bar_left = 0, bar_right = 0, tick_end = 0, label_left = 0;
};
inline ColorbarGeometry colorbar_geometry(float area_right, float font) {
  ColorbarGeometry g;
  g.bar_left = area_right + font * 0.5f;
  g.bar_right = g.bar_left + font * 0.8f;
  g.tick_end = g.bar_right + font * 0.2f;
  g.label_left = g.tick_end + font * 0.4f;
  return g;
}

// n square images (image_grid cells with `gap` pixels after each) in width × height: the column count whose
// cells are largest. A strip of 6 in a 760 × 330 panel gets 124 px cells in one row but 162 px in 3 × 2
// (lesson 02's noising strip at 1280 × 720 filled a third of its panel). `label` is the height of a label
// line above each row of images (image_grid with labels), 0 without.
struct GridFit {
  int columns = 1;
  float cell = 0;
};
inline GridFit fit_image_grid(int n, float width, float height, float gap, float label = 0.0f) {
  GridFit best;
  for (int columns = 1; columns <= n; ++columns) {
    const int rows = (n + columns - 1) / columns;
    const float cell = std::min(width / columns - gap, height / rows - gap - label);
    if (cell > best.cell) best = {columns, cell};
  }
  return best;
}

// The x label's top: under the row of x tick labels, or right under the data area when the axis draws
// none (an empty plot invents no ticks): lesson 10 s9's "step" floated ~2 lines under its empty loss plot.
inline float x_label_top(float area_bottom, float font, bool tick_labels) {
  return area_bottom + 5 + (tick_labels ? font * 1.1f : 0.0f);
}

// The toolbar's lesson list: wide enough for the current title (plus the combo's arrow and padding) when the
// buttons leave room, never under 8 em, and at most what the buttons leave (24 em) — a fixed 16 em cut
// "The probability-flow ODE and the SDE" to "… and the" at 1920 × 1080.
inline float lesson_combo_width(float available, float font, float title_width, float arrow_and_padding) {
  const float room = available - font * 24;
  const float wanted = std::max(font * 16, title_width + arrow_and_padding);
  return std::max(font * 8, std::min(room, wanted));
}

// The x range of a plot drawn beside a fitted loss curve (lesson 04 s6): the loss plot fits its logged steps
// [first, last] and pads 5 % each side, so the neighbour takes the same range; a later point of its own (a
// quality point past the last logged loss) widens it. Using the trainer's current step instead gave 0…250
// beside the loss plot's 0…230 at 1920 × 1080.
struct StepRange {
  double lo, hi;
};
inline StepRange padded_step_range(double first, double last, double own_last) {
  const double end = std::max(std::max(last, own_last), first + 1);
  const double pad = 0.05 * (end - first);
  return {first - pad, end + pad};
}

// A 2 × 2 grid of equal-aspect plots with a text column (key and caption): the text goes beside the grid when
// that gives larger data squares than stacking it under the grid. `extra_w` / `extra_h`: the grid's pixels
// that are not data (margins, tick labels, spacing); `text_below`: the text's height stacked under the grid;
// `min_text_width`: the narrowest text column. Lesson 05 s6 and 09 s15 at 1280 × 720: the four clouds were
// ~160 px tall with the caption under them.
struct GridBeside {
  bool beside = false;
  float grid_width = 0;  // the grid's width; the text column gets the rest less `gap`
  float cell = 0;        // one data square's side
};
inline GridBeside grid_with_text_beside(float width, float height, float text_below, float extra_w,
                                        float extra_h, float min_text_width, float gap) {
  const float below = std::min(width - extra_w, height - text_below - extra_h) * 0.5f;
  const float beside = std::min(height - extra_h, width - min_text_width - gap - extra_w) * 0.5f;
  if (beside > below) return {true, 2 * beside + extra_w, beside};
  return {false, width, std::max(0.0f, below)};
}

// The hover read-out "(x, y)": inside the data area, in the corner diagonally opposite the pointer's
// quadrant, `inset` pixels from the edges. It never covers tick labels or axis labels (they are outside the
// area; issue 10: the read-out in the x-label row hid a tick label or the label itself) and never sits
// under the pointer while the area is at least twice the box in each direction. Returns the box's top-left.
struct ReadoutBox {
  float x = 0, y = 0;
};
// points_in_corner (optional): how many drawn points fall in each corner's box (0 top-left, 1 top-right,
// 2 bottom-left, 3 bottom-right); of the three corners outside the pointer's quadrant the emptiest wins
// (the opposite one on a tie), so a loss curve's end in the far corner stays visible.
inline int readout_corner(bool pointer_left, bool pointer_top, const int* points_in_corner) {
  const int opposite = (pointer_top ? 2 : 0) + (pointer_left ? 1 : 0);
  if (!points_in_corner) return opposite;
  int best = opposite;
  for (int c : {opposite ^ 1, opposite ^ 2})  // the two corners beside it; opposite ^ 3 is the pointer's
    if (points_in_corner[c] < points_in_corner[best]) best = c;
  return best;
}
inline ReadoutBox readout_box(float area_left, float area_top, float area_right, float area_bottom,
                              float pointer_x, float pointer_y, float width, float height, float inset,
                              const int* points_in_corner = nullptr) {
  const bool pointer_left = pointer_x < 0.5f * (area_left + area_right),
             pointer_top = pointer_y < 0.5f * (area_top + area_bottom);
  const int corner = readout_corner(pointer_left, pointer_top, points_in_corner);
  ReadoutBox b;
  b.x = (corner & 1) ? area_right - inset - width : area_left + inset;
  b.y = (corner & 2) ? area_bottom - inset - height : area_top + inset;
  // A box wider or taller than the area starts at its left or top edge (clipped there, not outside).
  b.x = b.x < area_left ? area_left : b.x;
  b.y = b.y < area_top ? area_top : b.y;
  return b;
}

// Where a time cursor's label ("t = 49") starts: `gap` right of its line, or left of the line when it would
// run past the plot's right edge (03 s9 cut "t = 49" off at T − 1), never left of the plot.
inline float cursor_label_x(float line_x, float label_width, float area_left, float area_right,
                            float gap = 5) {
  if (line_x + gap + label_width <= area_right) return line_x + gap;
  return std::max(area_left, line_x - gap - label_width);
}

}  // namespace difflab::plot
