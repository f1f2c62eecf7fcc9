// plot.cpp — the plot frame (layout, axes, ticks, input, legend, hover read-out) and every item type.
// Not the pure maths (transform.h, ticks.h, colormap.h, binning.h) and not the gallery (gallery.cpp).
#include "plot/plot.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "plot/binning.h"
#include "plot/layout.h"
#include "plot/scripted_draw.h"
#include "plot/texture_cache.h"
#include "plot/ticks.h"

namespace difflab::plot {
namespace {

// What persists between frames, per plot id.
struct PlotState {
  ViewLimits view;  // requested limits and this frame's shown ones
  Range x_setup, y_setup;
  bool x_has_setup = false, y_has_setup = false;
  bool fit_pending = true;  // the next end_plot sets unset axes to the data's extent
  bool user_moved = false;  // pan/zoom since the last reset: Cond::Once limits no longer apply
  bool first_frame = true;
  std::unordered_set<ImGuiID> hidden;  // legend-toggled items
  int legend_rows = 0;    // rows the legend band took last frame (the band is reserved before the items)
  bool colorbar = false;  // a heat map was drawn last frame: its colour scale gets a margin on the right
  bool had_data = true;   // last frame's items had finite data (else: no ticks on unset axes, a placeholder)
};

struct LegendEntry {
  std::string label;
  ImU32 color;
  ImGuiID id;
};

// The plot being built (between begin_plot and end_plot).
struct CurrentPlot {
  ImGuiID id = 0;
  PlotState* state = nullptr;
  int flags = 0;
  std::string title;
  ImVec2 frame_min, frame_max, area_min, area_max;
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  int x_flags = 0, y_flags = 0;
  double x_width = 1.0, y_width = 1.0;  // linear widths of symlog axes
  bool setup_done = false;
  AxisMap xm, ym;
  int item_count = 0;
  // Drawn points in each corner's read-out box (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right):
  // the read-out goes to the emptiest corner away from the pointer.
  ImVec2 corner_size;
  int corner_points[4] = {0, 0, 0, 0};
  std::vector<LegendEntry> legend;
  Range fit_x{+INFINITY, -INFINITY}, fit_y{+INFINITY, -INFINITY};
  ImDrawList* draw = nullptr;
  bool hovered = false;
  double mouse_x = 0, mouse_y = 0;
  ImU32 next_color = 0;
  float next_size = 0;
  float legend_top = 0;  // the legend band's top (screen y)
  bool has_heatmap = false;
  int texts = 0;  // plot_text calls (a panel's own "first point at step 50" replaces the placeholder)
  Colormap heatmap_map = Colormap::Viridis;
  double heatmap_min = 0, heatmap_max = 1;
};

std::unordered_map<ImGuiID, PlotState>& states() {
  static std::unordered_map<ImGuiID, PlotState> s;
  return s;
}
CurrentPlot g_plot;
bool g_in_plot = false;
std::string& empty_plot_text() {
  static std::string text = "no data yet";
  return text;
}
TimeCursor* g_dragged_cursor = nullptr;  // the cursor being dragged, in whichever plot it started
ImGuiID g_dragged_cursor_plot = 0;

ImU32 with_alpha(ImU32 c, float a) {
  const ImU32 alpha = ImU32(std::clamp(a, 0.0f, 1.0f) * ((c >> IM_COL32_A_SHIFT) & 0xFF));
  return (c & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT);
}

ImVec2 to_screen(double x, double y) {
  return ImVec2(float(to_pixel(g_plot.xm, x)), float(to_pixel(g_plot.ym, y)));
}

// Counts a drawn point for the read-out's choice of corner (corner_points).
void note_point(ImVec2 p) {
  const ImVec2 a = g_plot.area_min, b = g_plot.area_max, size = g_plot.corner_size;
  const bool left = p.x <= a.x + size.x, right = p.x >= b.x - size.x;
  const bool top = p.y <= a.y + size.y, bottom = p.y >= b.y - size.y;
  if (top && left) ++g_plot.corner_points[0];
  if (top && right) ++g_plot.corner_points[1];
  if (bottom && left) ++g_plot.corner_points[2];
  if (bottom && right) ++g_plot.corner_points[3];
}

void extend_fit(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  if (g_plot.x_flags & kAxisLog && x <= 0) return;
  if (g_plot.y_flags & kAxisLog && y <= 0) return;
  g_plot.fit_x.min = std::min(g_plot.fit_x.min, x);
  g_plot.fit_x.max = std::max(g_plot.fit_x.max, x);
  g_plot.fit_y.min = std::min(g_plot.fit_y.min, y);
  g_plot.fit_y.max = std::max(g_plot.fit_y.max, y);
}

Scale scale_of(int axis_flags) {
  if (axis_flags & kAxisLog) return Scale::Log10;
  return (axis_flags & kAxisSymLog) ? Scale::SymLog : Scale::Linear;
}

std::vector<double> axis_ticks(int flags, const AxisMap& m, int target) {
  if (flags & kAxisLog) return log_ticks(m.data_min, m.data_max, target);
  if (flags & kAxisSymLog) return symlog_ticks(m.data_min, m.data_max, m.linear_width, target);
  return linear_ticks(m.data_min, m.data_max, target);
}

// The precision a log axis's tick label needs: the spacing of evenly spaced ticks narrower than a decade
// (log_ticks' linear fallback: "1.2", "1.3", not "1", "1"), else the tick's own digits (0.15 and 0.2 from
// the 1-1.5-2-3-5-7 multiples, not "0.20" beside "0.15").
double log_label_step(const std::vector<double>& ticks, double t) {
  if (ticks.size() >= 2 && ticks.front() > 0 && ticks.back() < 10 * ticks.front()) {
    const double d = ticks[1] - ticks[0];
    bool even = true;
    for (size_t i = 1; i + 1 < ticks.size(); ++i)
      even = even && std::abs(ticks[i + 1] - ticks[i] - d) < 1e-6 * d;
    if (even) return std::min(std::abs(t), std::abs(d));
  }
  const double a = std::abs(t);
  if (!(a > 0) || !std::isfinite(a)) return a;
  double p = std::pow(10.0, std::floor(std::log10(a) + 1e-9));
  for (int i = 0; i < 6 && std::abs(a / p - std::round(a / p)) > 1e-6; ++i) p /= 10;
  return p;
}

void draw_axes_and_grid() {
  ImDrawList* dl = g_plot.draw;
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImU32 grid = with_alpha(ImGui::GetColorU32(ImGuiCol_Text), 0.12f);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 tick_color = with_alpha(text, 0.6f);
  const float font = ImGui::GetFontSize();
  const ImVec2 a = g_plot.area_min, b = g_plot.area_max;
  dl->AddRectFilled(a, b, with_alpha(ImGui::GetColorU32(ImGuiCol_FrameBg), 0.6f));
  (void)style;

  const int x_target = axis_tick_target(b.x - a.x, font * 5);
  const int y_target = axis_tick_target(b.y - a.y, font * 2.5f);
  // An empty plot shows no ticks on an axis it would have to invent limits for (end_plot says "no data").
  const PlotState& s = *g_plot.state;
  const bool x_ticks = !(g_plot.x_flags & kAxisNoTicks) && (s.had_data || s.x_has_setup);
  const bool y_ticks = !(g_plot.y_flags & kAxisNoTicks) && (s.had_data || s.y_has_setup);
  if (x_ticks) {
    const bool log = g_plot.x_flags & (kAxisLog | kAxisSymLog);
    const std::vector<double> ticks = axis_ticks(g_plot.x_flags, g_plot.xm, x_target);
    const double step = linear_tick_step(g_plot.xm.data_min, g_plot.xm.data_max, x_target);
    float last_right = -INFINITY;  // a label that would touch the previous one is left out (small plots)
    for (double t : ticks) {
      const float px = float(to_pixel(g_plot.xm, t));
      dl->AddLine(ImVec2(px, a.y), ImVec2(px, b.y), grid);
      dl->AddLine(ImVec2(px, b.y), ImVec2(px, b.y + 4), tick_color);
      const std::string label = format_tick(t, log ? log_label_step(ticks, t) : step);
      const ImVec2 size = ImGui::CalcTextSize(label.c_str());
      if (px - size.x * 0.5f < last_right + font * 0.5f) continue;
      dl->AddText(ImVec2(px - size.x * 0.5f, b.y + 5), text, label.c_str());
      last_right = px + size.x * 0.5f;
    }
  }
  if (y_ticks) {
    const bool log = g_plot.y_flags & (kAxisLog | kAxisSymLog);
    // Log and symmetric-log labels are short and evenly spaced in decades: twice as many fit (a label is one
    // line high; y_target allows 2.5).
    const bool decades = g_plot.y_flags & (kAxisSymLog | kAxisLog);
    const std::vector<double> ticks =
        axis_ticks(g_plot.y_flags, g_plot.ym, decades ? 2 * y_target : y_target);
    const double step = linear_tick_step(g_plot.ym.data_min, g_plot.ym.data_max, y_target);
    float last_y = INFINITY;  // ticks come bottom to top; labels closer than a line are left out
    for (double t : ticks) {
      const float py = float(to_pixel(g_plot.ym, t));
      dl->AddLine(ImVec2(a.x, py), ImVec2(b.x, py), grid);
      dl->AddLine(ImVec2(a.x - 4, py), ImVec2(a.x, py), tick_color);
      const std::string label = format_tick(t, log ? log_label_step(ticks, t) : step);
      const ImVec2 size = ImGui::CalcTextSize(label.c_str());
      if (std::abs(py - last_y) < size.y * 1.05f) continue;
      dl->AddText(ImVec2(a.x - 6 - size.x, py - size.y * 0.5f), text, label.c_str());
      last_y = py;
    }
  }
  if (g_plot.x_label && *g_plot.x_label) {
    // Titles, axis labels and legend entries are scripted text: ε_θ, x_T, L_{simple} (scripted_text.h).
    const ImVec2 size = scripted_text_size(g_plot.x_label);
    draw_scripted_text(dl, ImVec2(0.5f * (a.x + b.x) - size.x * 0.5f, x_label_top(b.y, font, x_ticks)), text,
                       g_plot.x_label);
  }
}

// Applies limits, handles pan/zoom/reset, equalises the aspect, draws the frame. Runs at the first item
// or at end_plot, so that every setup_* call comes first.
void finish_setup() {
  if (g_plot.setup_done) return;
  g_plot.setup_done = true;
  PlotState& s = *g_plot.state;
  const float font = ImGui::GetFontSize();
  const bool has_title =
      !(g_plot.flags & (kPlotNoTitle | kPlotTitleInside)) && !g_plot.title.empty();  // inside: end_plot
  const bool has_y_label = g_plot.y_label && *g_plot.y_label;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const float frame_width = g_plot.frame_max.x - g_plot.frame_min.x, row = font * 1.3f;
  // Top rows: the title (centred), the y label (left; ImGui draws no rotated text) on the title's row only
  // when they do not collide, then the legend band. Nothing is drawn over the data.
  float top = g_plot.frame_min.y;
  float title_height = row;
  if (has_title) {
    // A title wider than the frame wraps onto more rows (left-aligned) instead of running off the panel.
    const float width = scripted_text_size(g_plot.title).x;
    const std::string& t = g_plot.title;
    if (width <= frame_width) {
      draw_scripted_text(g_plot.draw, ImVec2(g_plot.frame_min.x + 0.5f * (frame_width - width), top), text,
                         t);
    } else {
      title_height = scripted_text_size(t, frame_width).y + font * 0.3f;
      draw_scripted_text(g_plot.draw, ImVec2(g_plot.frame_min.x, top), text, t, frame_width);
    }
  }
  if (has_y_label) {
    const float label_width = scripted_text_size(g_plot.y_label).x;
    const bool shares = has_title && title_shares_row_with_y_label(
                                         frame_width, scripted_text_size(g_plot.title).x, label_width, font);
    const bool own_row = has_title && (!shares || title_height > row);
    const float y = own_row ? top + title_height : top;
    draw_scripted_text(g_plot.draw, ImVec2(g_plot.frame_min.x + 2, y), text, g_plot.y_label);
    top += own_row ? title_height + row : row;
  } else if (has_title) {
    top += title_height;
  }
  g_plot.legend_top = top;
  if (!(g_plot.flags & kPlotNoLegend)) top += s.legend_rows * font * 1.2f;
  const AreaMargins m = area_margins(!(g_plot.y_flags & kAxisNoTicks), !(g_plot.x_flags & kAxisNoTicks),
                                     g_plot.x_label && *g_plot.x_label, s.colorbar, font);
  g_plot.area_min = ImVec2(g_plot.frame_min.x + m.left, top + font * 0.4f);
  g_plot.area_max = ImVec2(g_plot.frame_max.x - m.right, g_plot.frame_max.y - m.bottom);
  if (g_plot.area_max.x < g_plot.area_min.x + 10) g_plot.area_max.x = g_plot.area_min.x + 10;
  if (g_plot.area_max.y < g_plot.area_min.y + 10) g_plot.area_max.y = g_plot.area_min.y + 10;
  const ImVec2 a = g_plot.area_min, b = g_plot.area_max;
  const Scale xs = scale_of(g_plot.x_flags), ys = scale_of(g_plot.y_flags);

  // Input: an invisible button over the plot area owns the mouse.
  // An item without layout (ItemAdd, not InvisibleButton): a button laid out here would take the height of
  // the line it shares with a plot on its left (SameLine) from its own top, past this plot's frame, and the
  // panel would scroll (the live-training panel at 1280×720). end_plot's Dummy lays the whole frame out.
  const ImGuiID area_id = ImGui::GetID("##plot_area");
  const ImRect area(a, b);
  ImGui::ItemAdd(area, area_id);
  bool area_hovered = false, area_held = false;
  ImGui::ButtonBehavior(area, area_id, &area_hovered, &area_held);
  g_plot.hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  if (!(g_plot.flags & kPlotNoInputs)) {
    if (g_plot.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      s.user_moved = false;
      s.fit_pending = true;
      if (s.x_has_setup) s.view.x = s.x_setup;
      if (s.y_has_setup) s.view.y = s.y_setup;
    }
  }
  const bool equal = g_plot.flags & kPlotEqualAspect;
  s.view.show(b.x - a.x, b.y - a.y, equal);
  if (!(g_plot.flags & kPlotNoInputs)) {
    if (ImGui::IsItemActive() && g_dragged_cursor == nullptr &&
        (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
      s.view.pan(-io.MouseDelta.x, io.MouseDelta.y, b.x - a.x, b.y - a.y, xs, ys, g_plot.x_width,
                 g_plot.y_width);
      s.user_moved = true;
    }
    if (g_plot.hovered && io.MouseWheel != 0) {
      const double factor = std::pow(0.85, double(io.MouseWheel));
      const AxisMap xm{s.view.shown_x.min, s.view.shown_x.max, a.x, b.x, xs, g_plot.x_width};
      const AxisMap ym{s.view.shown_y.min, s.view.shown_y.max, b.y, a.y, ys, g_plot.y_width};
      s.view.zoom(to_data(xm, io.MousePos.x), to_data(ym, io.MousePos.y), factor, xs, ys, g_plot.x_width,
                  g_plot.y_width);
      s.user_moved = true;
    }
  }
  g_plot.xm = AxisMap{s.view.shown_x.min, s.view.shown_x.max, a.x, b.x, xs, g_plot.x_width};
  g_plot.ym = AxisMap{s.view.shown_y.min, s.view.shown_y.max, b.y, a.y, ys, g_plot.y_width};
  g_plot.mouse_x = to_data(g_plot.xm, io.MousePos.x);
  g_plot.mouse_y = to_data(g_plot.ym, io.MousePos.y);

  // The read-out's size for a typical "(x.xxx, y.yyy)", with its padding and inset.
  g_plot.corner_size = ImVec2(ImGui::CalcTextSize("(-0.0000, -0.0000)").x + font * 0.3f + 6,
                              ImGui::GetTextLineHeight() + font * 0.3f + 6);
  draw_axes_and_grid();
  g_plot.draw->PushClipRect(a, b, true);
}

struct ItemStyle {
  ImU32 color;
  float size;
  bool visible;
};

// Registers an item in the legend and says how to draw it (or that it is hidden).
ItemStyle begin_item(const char* label, float default_size) {
  finish_setup();
  const ImU32 color = g_plot.next_color ? g_plot.next_color : palette_color(g_plot.item_count);
  const float size = g_plot.next_size > 0 ? g_plot.next_size : default_size;
  g_plot.next_color = 0;
  g_plot.next_size = 0;
  ++g_plot.item_count;
  const ImGuiID id = ImGui::GetID(label);
  if (label && *label && label[0] != '#') {
    const char* hidden_part = std::strstr(label, "##");  // "text###id": the legend shows only the text
    g_plot.legend.push_back({hidden_part ? std::string(label, hidden_part) : std::string(label), color, id});
  }
  return {color, size, !g_plot.state->hidden.count(id)};
}

// Segments as quads written straight into the vertex buffer (no per-call overhead of AddLine).
template <typename GetXY>
void draw_polyline(int count, ImU32 color, float thickness, GetXY get) {
  ImDrawList* dl = g_plot.draw;
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  const float half = thickness * 0.5f;
  constexpr int kChunk = 4096;  // keeps each reservation well under 65536 vertices
  bool have_previous = false;
  ImVec2 previous;
  int reserved = 0, used = 0;
  for (int i = 0; i < count; ++i) {
    double x, y;
    get(i, &x, &y);
    if (!std::isfinite(x) || !std::isfinite(y)) {
      have_previous = false;
      continue;
    }
    const ImVec2 p = to_screen(x, y);
    note_point(p);
    if (have_previous) {
      if (used == reserved) {
        if (reserved > used) dl->PrimUnreserve((reserved - used) * 6, (reserved - used) * 4);
        reserved = std::min(kChunk, count - i);
        used = 0;
        dl->PrimReserve(reserved * 6, reserved * 4);
      }
      float dx = p.x - previous.x, dy = p.y - previous.y;
      const float length = std::sqrt(dx * dx + dy * dy);
      if (length > 0) {
        dx /= length;
        dy /= length;
      }
      const ImVec2 n(-dy * half, dx * half);
      dl->PrimQuadUV(ImVec2(previous.x + n.x, previous.y + n.y), ImVec2(p.x + n.x, p.y + n.y),
                     ImVec2(p.x - n.x, p.y - n.y), ImVec2(previous.x - n.x, previous.y - n.y), uv, uv, uv, uv,
                     color);
      ++used;
    }
    previous = p;
    have_previous = true;
  }
  if (reserved > used) dl->PrimUnreserve((reserved - used) * 6, (reserved - used) * 4);
}

template <typename T>
void line_impl(const char* label, const T* xs, const T* ys, int count, int stride) {
  if (!g_in_plot || count <= 0) return;
  if (stride == 0) stride = sizeof(T);
  const ItemStyle st = begin_item(label, 2.0f);
  for (int i = 0; i < count; ++i) extend_fit(strided_at(xs, i, stride), strided_at(ys, i, stride));
  if (!st.visible) return;
  draw_polyline(count, st.color, st.size, [&](int i, double* x, double* y) {
    *x = strided_at(xs, i, stride);
    *y = strided_at(ys, i, stride);
  });
}

template <typename T>
void scatter_impl(const char* label, const T* xs, const T* ys, int count, int stride) {
  if (!g_in_plot || count <= 0) return;
  if (stride == 0) stride = sizeof(T);
  const ItemStyle st = begin_item(label, 3.0f);
  for (int i = 0; i < count; ++i) extend_fit(strided_at(xs, i, stride), strided_at(ys, i, stride));
  if (!st.visible) return;
  ImDrawList* dl = g_plot.draw;
  const float half = st.size * 0.5f;
  const ImVec2 lo(g_plot.area_min.x - half, g_plot.area_min.y - half);
  const ImVec2 hi(g_plot.area_max.x + half, g_plot.area_max.y + half);
  constexpr int kChunk = 8192;  // 4 vertices per point: 32768 vertices per reservation
  for (int start = 0; start < count; start += kChunk) {
    const int n = std::min(kChunk, count - start);
    dl->PrimReserve(n * 6, n * 4);
    int used = 0;
    for (int i = start; i < start + n; ++i) {
      const double x = strided_at(xs, i, stride), y = strided_at(ys, i, stride);
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      const ImVec2 p = to_screen(x, y);
      if (p.x < lo.x || p.x > hi.x || p.y < lo.y || p.y > hi.y) continue;
      note_point(p);
      dl->PrimRect(ImVec2(p.x - half, p.y - half), ImVec2(p.x + half, p.y + half), st.color);
      ++used;
    }
    dl->PrimUnreserve((n - used) * 6, (n - used) * 4);
  }
}

// A key for the texture cache unique to this plot and item.
uint32_t texture_key(const char* label) {
  return ImGui::GetID(label) ^ (g_plot.id * 2654435761u);
}

}  // namespace

ImU32 palette_color(int index) {
  // Okabe & Ito's colour-blind-safe palette (2008), black left out (dark background).
  static const ImU32 colors[] = {IM_COL32(86, 180, 233, 255), IM_COL32(230, 159, 0, 255),
                                 IM_COL32(0, 158, 115, 255),  IM_COL32(204, 121, 167, 255),
                                 IM_COL32(240, 228, 66, 255), IM_COL32(213, 94, 0, 255),
                                 IM_COL32(0, 114, 178, 255),  IM_COL32(190, 190, 190, 255)};
  return colors[((index % 8) + 8) % 8];
}

bool begin_plot(const char* title, ImVec2 size, int flags) {
  IM_ASSERT(!g_in_plot && "begin_plot: the previous plot was not closed with end_plot");
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float font = ImGui::GetFontSize();
  if (size.x <= 0) size.x = std::max(avail.x + size.x, font * 10);
  if (size.y <= 0) size.y = std::max(font * 18, font * 8);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 end(pos.x + size.x, pos.y + size.y);
  if (!ImGui::IsRectVisible(pos, end)) {
    ImGui::Dummy(size);
    return false;
  }
  // "text###id": the ID is only what follows "###", so a translated title keeps the plot's zoom and hidden
  // items across a language switch (ImGui's own convention for labels).
  const char* fixed_id = std::strstr(title, "###");
  ImGui::PushID(fixed_id ? fixed_id + 3 : title);
  g_plot = CurrentPlot{};
  g_plot.id = ImGui::GetID("##plot");
  g_plot.state = &states()[g_plot.id];
  g_plot.flags = flags;
  const char* hidden_part = std::strstr(title, "##");
  g_plot.title = hidden_part ? std::string(title, hidden_part) : std::string(title);
  g_plot.frame_min = pos;
  g_plot.frame_max = end;
  g_plot.draw = ImGui::GetWindowDrawList();
  g_in_plot = true;
  return true;
}

void setup_axes(const char* x_label, const char* y_label, int x_flags, int y_flags) {
  IM_ASSERT(g_in_plot && !g_plot.setup_done && "setup_axes: call between begin_plot and the first item");
  g_plot.x_label = x_label;
  g_plot.y_label = y_label;
  g_plot.x_flags = x_flags;
  g_plot.y_flags = y_flags;
}

void setup_axis_limits(Axis axis, double min, double max, Cond cond) {
  IM_ASSERT(g_in_plot && !g_plot.setup_done &&
            "setup_axis_limits: call between begin_plot and the first item");
  PlotState& s = *g_plot.state;
  Range& setup = axis == Axis::X ? s.x_setup : s.y_setup;
  bool& has = axis == Axis::X ? s.x_has_setup : s.y_has_setup;
  Range& current = axis == Axis::X ? s.view.x : s.view.y;
  const bool changed = !has || setup.min != min || setup.max != max;
  setup = {min, max};
  has = true;
  if (cond == Cond::Always || s.first_frame || (changed && !s.user_moved)) current = setup;
}

void setup_symlog_width(Axis axis, double c) {
  IM_ASSERT(g_in_plot && !g_plot.setup_done &&
            "setup_symlog_width: call between begin_plot and the first item");
  if (!(c > 0) || !std::isfinite(c)) return;
  (axis == Axis::X ? g_plot.x_width : g_plot.y_width) = c;
}

void end_plot() {
  IM_ASSERT(g_in_plot && "end_plot: no begin_plot (or it returned false)");
  finish_setup();
  ImDrawList* dl = g_plot.draw;
  dl->PopClipRect();
  PlotState& s = *g_plot.state;
  const ImVec2 a = g_plot.area_min, b = g_plot.area_max;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const float font = ImGui::GetFontSize();

  // Legend: a band of rows between the title and the data, entries packed left to right (layout.h); a click
  // toggles the item. The rows it needs are reserved from the next frame on.
  if (!(g_plot.flags & kPlotNoLegend)) {
    const float row = font * 1.2f, swatch = font * 0.8f;
    std::vector<float> widths;
    for (const LegendEntry& e : g_plot.legend)
      widths.push_back(swatch + font * 0.4f + scripted_text_size(e.label).x);
    std::vector<LegendSlot> slots;
    const float widest = widths.empty() ? 0.0f : *std::max_element(widths.begin(), widths.end());
    const float left = legend_band_left(a.x, g_plot.frame_min.x, g_plot.frame_max.x, widest);
    const int rows = pack_legend(widths, g_plot.frame_max.x - left, font * 1.2f, row, &slots);
    const ImVec2 m = ImGui::GetIO().MousePos;
    const bool clicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left) && ImGui::IsWindowHovered();
    for (size_t i = 0; i < g_plot.legend.size() && rows == s.legend_rows; ++i) {
      const LegendEntry& e = g_plot.legend[i];
      const ImVec2 p(left + slots[i].x, g_plot.legend_top + slots[i].y);
      const bool hidden = s.hidden.count(e.id) > 0;
      dl->AddRectFilled(ImVec2(p.x, p.y + font * 0.2f), ImVec2(p.x + swatch, p.y + font * 0.2f + swatch),
                        hidden ? with_alpha(e.color, 0.25f) : e.color);
      draw_scripted_text(dl, ImVec2(p.x + swatch + font * 0.4f, p.y), hidden ? with_alpha(text, 0.4f) : text,
                         e.label);
      if (clicked && m.x >= p.x && m.x <= p.x + widths[i] && m.y >= p.y && m.y < p.y + row) {
        if (hidden)
          s.hidden.erase(e.id);
        else
          s.hidden.insert(e.id);
      }
    }
    s.legend_rows = rows;
  }

  // The colour scale of a heat map, in the right margin: the map from vmin (bottom) to vmax (top).
  if (g_plot.has_heatmap && s.colorbar) {
    const ColorbarGeometry g = colorbar_geometry(b.x, font);
    const float x0 = g.bar_left, x1 = g.bar_right;
    const int steps = 48;
    for (int i = 0; i < steps; ++i) {
      const float y1 = b.y - (b.y - a.y) * i / steps, y0 = b.y - (b.y - a.y) * (i + 1) / steps;
      dl->AddRectFilled(ImVec2(x0, y0 - 0.5f), ImVec2(x1, y1),
                        pack_abgr(colormap_lookup(g_plot.heatmap_map, (i + 0.5) / steps)));
    }
    dl->AddRect(ImVec2(x0, a.y), ImVec2(x1, b.y), with_alpha(text, 0.35f));
    const std::vector<double> ticks = linear_ticks(g_plot.heatmap_min, g_plot.heatmap_max, 4);
    const double step = linear_tick_step(g_plot.heatmap_min, g_plot.heatmap_max, 4);
    const double span =
        g_plot.heatmap_max > g_plot.heatmap_min ? g_plot.heatmap_max - g_plot.heatmap_min : 1.0;
    for (double t : ticks) {
      const float y = b.y - float((t - g_plot.heatmap_min) / span) * (b.y - a.y);
      const std::string label = format_tick(t, step);
      dl->AddLine(ImVec2(x1, y), ImVec2(g.tick_end, y), text);
      dl->AddText(ImVec2(g.label_left, y - font * 0.5f), text, label.c_str());
    }
  }
  s.colorbar = g_plot.has_heatmap;

  // Hover read-out of the data coordinates: inside the data area, in the corner away from the pointer, on a
  // translucent background (the tick labels and axis labels outside the area stay readable). Small
  // multiples (no tick labels on either axis) show none: their boxes are too small to spare a corner.
  const bool small_multiple = (g_plot.x_flags & kAxisNoTicks) && (g_plot.y_flags & kAxisNoTicks);
  // Nor on a plot with no data yet: its invented range read "(0.0416, 2.321e-229)" on an empty log axis.
  if (g_plot.hovered && !small_multiple && g_plot.fit_x.min <= g_plot.fit_x.max) {
    // The read-out goes inside the data area, in the corner away from the pointer (readout_box in layout.h),
    // so it never hides a tick label or an axis label; it takes fewer digits where the area is narrow.
    const float pad = 3;
    const std::string readout =
        readout_label(g_plot.mouse_x, g_plot.mouse_y, b.x - a.x - 2 * pad - 2 * font * 0.3f,
                      [](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; });
    const ImVec2 ts = ImGui::CalcTextSize(readout.c_str());
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    // A title inside the area takes the top row: the read-out goes to a bottom corner.
    if (g_plot.flags & kPlotTitleInside) g_plot.corner_points[0] = g_plot.corner_points[1] = 1 << 28;
    const ReadoutBox box = readout_box(a.x, a.y, b.x, b.y, mouse.x, mouse.y, ts.x + 2 * pad, ts.y + 2 * pad,
                                       font * 0.3f, g_plot.corner_points);
    dl->PushClipRect(a, b, true);
    dl->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.x + ts.x + 2 * pad, box.y + ts.y + 2 * pad),
                      with_alpha(ImGui::GetColorU32(ImGuiCol_WindowBg), 0.8f), 3.0f);
    dl->AddText(ImVec2(box.x + pad, box.y + pad), with_alpha(text, 0.9f), readout.c_str());
    dl->PopClipRect();
  }
  dl->AddRect(a, b, with_alpha(text, 0.35f));
  // A title inside the area (small multiples): top-left, over the data on a translucent background.
  if ((g_plot.flags & kPlotTitleInside) && !(g_plot.flags & kPlotNoTitle) && !g_plot.title.empty()) {
    const float pad = 3;
    const float wrap = std::max(b.x - a.x - 2 * pad - 2, font * 4);  // a long name wraps, never clipped
    const ImVec2 ts = scripted_text_size(g_plot.title, wrap);
    const ImVec2 p(a.x + 1, a.y + 1);
    dl->PushClipRect(a, b, true);
    dl->AddRectFilled(p, ImVec2(p.x + ts.x + 2 * pad, p.y + ts.y + pad),
                      with_alpha(ImGui::GetColorU32(ImGuiCol_WindowBg), 0.75f), 3.0f);
    draw_scripted_text(dl, ImVec2(p.x + pad, p.y), text, g_plot.title, wrap);
    dl->PopClipRect();
  }

  // No data yet (a loss curve before the first step): a centred "no data yet" instead of invented ticks,
  // unless the panel wrote its own message with plot_text.
  const bool has_data = g_plot.fit_x.min <= g_plot.fit_x.max;
  if (!has_data && g_plot.texts == 0 && !empty_plot_text().empty()) {
    const std::string& message = empty_plot_text();
    const float room = b.x - a.x - font;
    const ImVec2 ts = ImGui::CalcTextSize(message.c_str(), nullptr, false, room);
    const ImVec2 p(std::max(a.x + font * 0.5f, 0.5f * (a.x + b.x - ts.x)), 0.5f * (a.y + b.y - ts.y));
    dl->PushClipRect(g_plot.frame_min, g_plot.frame_max, true);
    dl->AddText(ImGui::GetFont(), font, p, with_alpha(text, 0.7f), message.c_str(), nullptr, room);
    dl->PopClipRect();
  }
  s.had_data = has_data;

  // Fit the axes that have no setup limits to the data seen this frame (first frame, after a reset).
  if ((g_plot.flags & kPlotAutoFit) && !s.user_moved) s.fit_pending = true;
  if (s.fit_pending && g_plot.fit_x.min <= g_plot.fit_x.max) {
    auto padded = [](Range r, Scale sc, double c) {
      double lo = scale_forward(sc, r.min, c), hi = scale_forward(sc, r.max, c);
      if (hi - lo < 1e-12) {
        lo -= 0.5;
        hi += 0.5;
      }
      const double pad = 0.05 * (hi - lo);
      return Range{scale_inverse(sc, lo - pad, c), scale_inverse(sc, hi + pad, c)};
    };
    if (!s.x_has_setup) s.view.x = padded(g_plot.fit_x, scale_of(g_plot.x_flags), g_plot.x_width);
    if (!s.y_has_setup) s.view.y = padded(g_plot.fit_y, scale_of(g_plot.y_flags), g_plot.y_width);
    s.fit_pending = false;
  }
  s.first_frame = false;

  ImGui::SetCursorScreenPos(g_plot.frame_min);
  ImGui::Dummy(ImVec2(g_plot.frame_max.x - g_plot.frame_min.x, g_plot.frame_max.y - g_plot.frame_min.y));
  ImGui::PopID();
  g_in_plot = false;
}

void set_next_color(ImU32 color) {
  g_plot.next_color = color;
}
void set_next_size(float pixels) {
  g_plot.next_size = pixels;
}

void plot_line(const char* label, const float* xs, const float* ys, int count, int stride) {
  line_impl(label, xs, ys, count, stride);
}
void plot_line(const char* label, const double* xs, const double* ys, int count, int stride) {
  line_impl(label, xs, ys, count, stride);
}

void plot_line_y(const char* label, const float* ys, int count, double x0, double dx, int stride) {
  if (!g_in_plot || count <= 0) return;
  if (stride == 0) stride = sizeof(float);
  const ItemStyle st = begin_item(label, 2.0f);
  for (int i = 0; i < count; ++i) extend_fit(x0 + dx * i, strided_at(ys, i, stride));
  if (!st.visible) return;
  draw_polyline(count, st.color, st.size, [&](int i, double* x, double* y) {
    *x = x0 + dx * i;
    *y = strided_at(ys, i, stride);
  });
}

void plot_scatter(const char* label, const float* xs, const float* ys, int count, int stride) {
  scatter_impl(label, xs, ys, count, stride);
}
void plot_scatter(const char* label, const double* xs, const double* ys, int count, int stride) {
  scatter_impl(label, xs, ys, count, stride);
}

void plot_arrows(const char* label, const float* xs, const float* ys, const float* us, const float* vs,
                 int count, float scale, int stride) {
  if (!g_in_plot || count <= 0) return;
  if (stride == 0) stride = sizeof(float);
  const ItemStyle st = begin_item(label, 1.5f);
  for (int i = 0; i < count; ++i) extend_fit(strided_at(xs, i, stride), strided_at(ys, i, stride));
  if (!st.visible) return;
  ImDrawList* dl = g_plot.draw;
  for (int i = 0; i < count; ++i) {
    const double x = strided_at(xs, i, stride), y = strided_at(ys, i, stride);
    const double u = strided_at(us, i, stride), v = strided_at(vs, i, stride);
    if (!std::isfinite(x + y + u + v)) continue;
    const ImVec2 p0 = to_screen(x, y), p1 = to_screen(x + scale * u, y + scale * v);
    float dx = p1.x - p0.x, dy = p1.y - p0.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (length < 0.5f) {
      dl->AddRectFilled(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p0.x + 1, p0.y + 1), st.color);
      continue;
    }
    dl->AddLine(p0, p1, st.color, st.size);
    dx /= length;
    dy /= length;
    const float head = std::min(length * 0.4f, 3.0f + st.size * 2.5f);
    dl->AddTriangleFilled(
        p1, ImVec2(p1.x - dx * head - dy * head * 0.5f, p1.y - dy * head + dx * head * 0.5f),
        ImVec2(p1.x - dx * head + dy * head * 0.5f, p1.y - dy * head - dx * head * 0.5f), st.color);
  }
}

void plot_bars(const char* label, const float* heights, int count, double width, double x0, double dx,
               int stride) {
  if (!g_in_plot || count <= 0) return;
  if (stride == 0) stride = sizeof(float);
  const ItemStyle st = begin_item(label, 0);
  for (int i = 0; i < count; ++i) {
    extend_fit(x0 + dx * i - width * 0.5, 0.0);
    extend_fit(x0 + dx * i + width * 0.5, strided_at(heights, i, stride));
  }
  if (!st.visible) return;
  const bool log_y = g_plot.y_flags & kAxisLog;
  for (int i = 0; i < count; ++i) {
    const double h = strided_at(heights, i, stride);
    if (!std::isfinite(h)) continue;
    const double x = x0 + dx * i;
    const ImVec2 p0 = to_screen(x - width * 0.5, log_y ? g_plot.ym.data_min : 0.0);
    const ImVec2 p1 = to_screen(x + width * 0.5, h);
    g_plot.draw->AddRectFilled(ImVec2(p0.x, std::min(p0.y, p1.y)), ImVec2(p1.x, std::max(p0.y, p1.y)),
                               with_alpha(st.color, 0.85f));
  }
}

void plot_histogram(const char* label, const float* values, int count, int bins, double lo, double hi,
                    bool density, int stride) {
  if (!g_in_plot || count <= 0 || bins <= 0) return;
  if (stride == 0) stride = sizeof(float);
  if (!(hi > lo) && !finite_extent(values, count, stride, &lo, &hi)) return;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  std::vector<double> counts = histogram_counts(values, count, stride, bins, lo, hi);
  const double bin_width = (hi - lo) / bins;
  std::vector<float> heights(counts.size());
  for (size_t i = 0; i < counts.size(); ++i)
    heights[i] = float(density ? counts[i] / (count * bin_width) : counts[i]);
  plot_bars(label, heights.data(), bins, bin_width * 0.95, lo + bin_width * 0.5, bin_width);
}

void plot_heatmap(const char* label, const float* values, int rows, int cols, double vmin, double vmax,
                  Range x_bounds, Range y_bounds, Colormap map) {
  if (!g_in_plot || rows <= 0 || cols <= 0) return;
  const ItemStyle st = begin_item(label, 0);
  extend_fit(x_bounds.min, y_bounds.min);
  extend_fit(x_bounds.max, y_bounds.max);
  if (!st.visible) return;
  std::vector<uint32_t> rgba(size_t(rows) * cols);
  const double span = vmax > vmin ? vmax - vmin : 1.0;
  for (size_t i = 0; i < rgba.size(); ++i)
    rgba[i] = pack_abgr(colormap_lookup(map, (values[i] - vmin) / span));
  const unsigned texture = texture_for(texture_key(label), cols, rows, rgba.data());
  g_plot.has_heatmap = true;  // end_plot draws its colour scale
  g_plot.heatmap_map = map;
  g_plot.heatmap_min = vmin;
  g_plot.heatmap_max = vmax;
  const ImVec2 top_left = to_screen(x_bounds.min, y_bounds.max),
               bottom_right = to_screen(x_bounds.max, y_bounds.min);
  g_plot.draw->AddImage(reinterpret_cast<ImTextureID>(uintptr_t(texture)), top_left, bottom_right);
}

void plot_vline(const char* label, double x) {
  if (!g_in_plot) return;
  const ItemStyle st = begin_item(label, 1.5f);
  if (!st.visible) return;
  const float px = float(to_pixel(g_plot.xm, x));
  g_plot.draw->AddLine(ImVec2(px, g_plot.area_min.y), ImVec2(px, g_plot.area_max.y), st.color, st.size);
}

void plot_hline(const char* label, double y) {
  if (!g_in_plot) return;
  const ItemStyle st = begin_item(label, 1.5f);
  if (!st.visible) return;
  const float py = float(to_pixel(g_plot.ym, y));
  g_plot.draw->AddLine(ImVec2(g_plot.area_min.x, py), ImVec2(g_plot.area_max.x, py), st.color, st.size);
}

void plot_text(const char* text, double x, double y) {
  if (!g_in_plot) return;
  finish_setup();
  ++g_plot.texts;
  // Centred at (x, y) but kept inside the data area, wrapped when wider (never cut at the plot's edge).
  const ImVec2 a = g_plot.area_min, b = g_plot.area_max;
  const float room = std::max(b.x - a.x - 8.0f, 20.0f);
  const ImVec2 p = to_screen(x, y), ts = scripted_text_size(text, room);
  const float left = std::clamp(p.x - ts.x * 0.5f, a.x + 4.0f, std::max(a.x + 4.0f, b.x - 4.0f - ts.x));
  const float top = std::clamp(p.y - ts.y * 0.5f, a.y + 2.0f, std::max(a.y + 2.0f, b.y - 2.0f - ts.y));
  draw_scripted_text(g_plot.draw, ImVec2(left, top), ImGui::GetColorU32(ImGuiCol_Text), text, room);
}

void set_empty_plot_text(const char* text) {
  empty_plot_text() = text ? text : "";
}

bool drag_time_cursor(const char* label, TimeCursor* cursor) {
  if (!g_in_plot || !cursor) return false;
  finish_setup();
  const ImGuiIO& io = ImGui::GetIO();
  bool moved = false;
  const float px = float(to_pixel(g_plot.xm, cursor->x));
  const bool near = g_plot.hovered && std::fabs(io.MousePos.x - px) < 6.0f;
  if (near && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    g_dragged_cursor = cursor;
    g_dragged_cursor_plot = g_plot.id;
  }
  if (g_dragged_cursor == cursor && g_dragged_cursor_plot == g_plot.id) {
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      g_dragged_cursor = nullptr;
    } else {
      double x = std::clamp(g_plot.mouse_x, cursor->min, cursor->max);
      if (cursor->integer) x = std::round(x);
      moved = x != cursor->x;
      cursor->x = x;
    }
  }
  if (near || g_dragged_cursor == cursor) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  const float x = float(to_pixel(g_plot.xm, cursor->x));
  const ImU32 color = IM_COL32(255, 255, 255, g_dragged_cursor == cursor || near ? 255 : 190);
  ImDrawList* dl = g_plot.draw;
  dl->AddLine(ImVec2(x, g_plot.area_min.y), ImVec2(x, g_plot.area_max.y), color, 1.5f);
  dl->AddTriangleFilled(ImVec2(x - 6, g_plot.area_min.y), ImVec2(x + 6, g_plot.area_min.y),
                        ImVec2(x, g_plot.area_min.y + 8), color);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%s = %.4g", label, cursor->x);
  const ImVec2 text_size = scripted_text_size(buffer);
  const float label_x = cursor_label_x(x, text_size.x, g_plot.area_min.x, g_plot.area_max.x);
  // On a translucent box like the inside titles: over crossing curves (lesson 03 at 1280 × 720) the bare
  // "t = 500" was hard to read.
  dl->AddRectFilled(ImVec2(label_x - 2, g_plot.area_min.y + 2),
                    ImVec2(label_x + text_size.x + 2, g_plot.area_min.y + 2 + text_size.y),
                    with_alpha(ImGui::GetColorU32(ImGuiCol_WindowBg), 0.75f), 3.0f);
  draw_scripted_text(dl, ImVec2(label_x, g_plot.area_min.y + 2), color, buffer);
  return moved;
}

void image_grid(const char* id, const float* images, int n, int w, int h, int columns, float vmin, float vmax,
                float cell_pixels, const std::vector<std::string>* labels) {
  if (n <= 0 || w <= 0 || h <= 0) return;
  if (labels && labels->size() < size_t(n)) labels = nullptr;
  columns = std::clamp(columns, 1, n);
  const int rows = (n + columns - 1) / columns;
  const int atlas_w = columns * w, atlas_h = rows * h;
  std::vector<uint32_t> rgba(size_t(atlas_w) * atlas_h, IM_COL32(0, 0, 0, 255));
  const float span = vmax > vmin ? vmax - vmin : 1.0f;
  for (int k = 0; k < n; ++k) {
    const int ox = (k % columns) * w, oy = (k / columns) * h;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float v = std::clamp((images[size_t(k) * w * h + size_t(y) * w + x] - vmin) / span, 0.0f, 1.0f);
        const uint8_t g = uint8_t(std::lround(v * 255));
        rgba[size_t(oy + y) * atlas_w + ox + x] = IM_COL32(g, g, g, 255);
      }
  }
  const unsigned texture = texture_for(ImGui::GetID(id), atlas_w, atlas_h, rgba.data());
  const float cell_w = cell_pixels * float(w) / float(h), gap = 2.0f;
  const float label_h = labels ? ImGui::GetTextLineHeight() : 0.0f, row_h = label_h + cell_pixels + gap;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int k = 0; k < n; ++k) {
    const int cx = k % columns, cy = k / columns;
    const ImVec2 p0(origin.x + cx * (cell_w + gap), origin.y + cy * row_h + label_h);
    if (labels) {
      const char* text = (*labels)[size_t(k)].c_str();
      const float text_w = ImGui::CalcTextSize(text).x;
      dl->AddText(ImVec2(p0.x + std::max(0.0f, (cell_w - text_w) * 0.5f), p0.y - label_h),
                  ImGui::GetColorU32(ImGuiCol_Text), text);
    }
    const ImVec2 uv0(float(cx * w) / atlas_w, float(cy * h) / atlas_h);
    const ImVec2 uv1(float((cx + 1) * w) / atlas_w, float((cy + 1) * h) / atlas_h);
    dl->AddImage(reinterpret_cast<ImTextureID>(uintptr_t(texture)), p0,
                 ImVec2(p0.x + cell_w, p0.y + cell_pixels), uv0, uv1);
  }
  ImGui::Dummy(ImVec2(columns * (cell_w + gap), rows * row_h));
}

void colorbar(const char* id, Colormap map, double vmin, double vmax, ImVec2 size) {
  if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
  if (size.y <= 0) size.y = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int steps = 64;
  for (int i = 0; i < steps; ++i) {
    const float x0 = p.x + size.x * i / steps, x1 = p.x + size.x * (i + 1) / steps;
    dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x1 + 0.5f, p.y + size.y),
                      pack_abgr(colormap_lookup(map, (i + 0.5) / steps)));
  }
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", vmin);
  std::snprintf(hi, sizeof hi, "%.3g", vmax);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const float below = p.y + size.y + 2;
  dl->AddText(ImVec2(p.x, below), text, lo);
  dl->AddText(ImVec2(p.x + size.x - ImGui::CalcTextSize(hi).x, below), text, hi);
  ImGui::PushID(id);
  ImGui::Dummy(ImVec2(size.x, size.y + ImGui::GetTextLineHeightWithSpacing()));
  ImGui::PopID();
}

bool plot_hovered() {
  return g_in_plot && g_plot.hovered;
}
double mouse_x() {
  return g_plot.mouse_x;
}
Range shown_x() {
  if (!g_in_plot) return {0, 1};
  finish_setup();
  return {g_plot.xm.data_min, g_plot.xm.data_max};
}
Range shown_y() {
  if (!g_in_plot) return {0, 1};
  finish_setup();
  return {g_plot.ym.data_min, g_plot.ym.data_max};
}
double mouse_y() {
  return g_plot.mouse_y;
}

}  // namespace difflab::plot
