// gallery.cpp — plot::show_gallery(): every item type of the plotting layer on made-up data, each with the
// one line that draws it. Not a lesson panel with real models: the data here is synthetic and fixed.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "plot/plot.h"

namespace difflab::plot {
namespace {

// Deterministic, dependency-free pseudo-random numbers for the demo data (SplitMix64 + Box–Muller).
struct DemoRng {
  uint64_t state;
  double uniform() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return double((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0);
  }
  double normal() {
    const double u = uniform() + 1e-12, v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

struct GalleryData {
  std::vector<float> t, sine, cosine;  // curves
  std::vector<float> cloud_xy;         // 20 000 points, interleaved x, y (two moons)
  std::vector<float> qx, qy, qu, qv;   // a rotating vector field on a grid
  std::vector<float> density;          // 64 × 64 density of a Gaussian mixture
  std::vector<float> images;           // 8 images of 16 × 16
  std::vector<float> normals;          // 5 000 standard normal values
  std::vector<float> bars;
  std::vector<float> loss;  // a noisy decaying curve
  GalleryData() {
    DemoRng rng{42};
    for (int i = 0; i < 400; ++i) {
      const float x = i * 0.025f;
      t.push_back(x);
      sine.push_back(std::sin(x));
      cosine.push_back(0.5f * std::cos(2 * x));
    }
    for (int i = 0; i < 20000; ++i) {
      const double angle = 3.141592653589793 * rng.uniform();
      const bool upper = i % 2 == 0;
      const double x = upper ? std::cos(angle) : 1 - std::cos(angle);
      const double y = upper ? std::sin(angle) : 0.5 - std::sin(angle);
      cloud_xy.push_back(float(x + 0.08 * rng.normal()));
      cloud_xy.push_back(float(y + 0.08 * rng.normal()));
    }
    for (int j = -6; j <= 6; ++j)
      for (int i = -6; i <= 6; ++i) {
        const float x = i * 0.25f, y = j * 0.25f;
        qx.push_back(x);
        qy.push_back(y);
        qu.push_back(-y - 0.3f * x);
        qv.push_back(x - 0.3f * y);
      }
    for (int r = 0; r < 64; ++r)
      for (int c = 0; c < 64; ++c) {
        const double x = -3 + 6.0 * (c + 0.5) / 64, y = 3 - 6.0 * (r + 0.5) / 64;
        double p = 0;
        for (int k = 0; k < 4; ++k) {
          const double cx = 1.5 * std::cos(k * 1.5707963), cy = 1.5 * std::sin(k * 1.5707963);
          p += std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * 0.3));
        }
        density.push_back(float(p / (4 * 2 * 3.14159265 * 0.3)));
      }
    for (int k = 0; k < 8; ++k)
      for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) {
          const double r = std::hypot(x - 7.5, y - 7.5);
          const double ring = std::exp(-std::pow(r - 2.0 - 0.6 * k, 2) / 1.5);
          images.push_back(float(std::clamp(ring + 0.12 * k * rng.normal(), 0.0, 1.0)));
        }
    for (int i = 0; i < 5000; ++i) normals.push_back(float(rng.normal()));
    bars = {0.9f, 0.7f, 0.45f, 0.3f, 0.2f, 0.12f};
    for (int i = 0; i < 500; ++i)
      loss.push_back(float(0.3 + 0.7 * std::exp(-i / 80.0) + 0.05 * rng.normal()));
  }
};

void caption(const char* call, const char* what) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.8f, 1.0f, 1.0f));
  ImGui::TextWrapped("%s", call);
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", what);
}

}  // namespace

void show_gallery() {
  static const GalleryData data;
  static TimeCursor cursor{200, 0, 499, true};
  static int colormap = 0;
  const float height = ImGui::GetFontSize() * 13;
  const ImVec2 fill(-1, height);  // a plot fills its table cell

  ImGui::TextWrapped(
      "Every item of the plotting layer. Drag to pan, wheel to zoom, double-click to reset, "
      "click a legend entry to hide its item.");
  ImGui::Text("%.0f fps (%.2f ms per frame)", ImGui::GetIO().Framerate, 1000.0f / ImGui::GetIO().Framerate);
  if (!ImGui::BeginTable("##gallery", 2, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_PadOuterX))
    return;

  ImGui::TableNextColumn();
  caption("plot_line(label, xs, ys, n)", "Curves from x and y arrays; plot_line_y takes y with x0 + i·dx.");
  if (begin_plot("Lines", fill)) {
    setup_axes("x", "f(x)");
    plot_line("sin x", data.t.data(), data.sine.data(), int(data.t.size()));
    plot_line("½ cos 2x", data.t.data(), data.cosine.data(), int(data.t.size()));
    end_plot();
  }
  ImGui::TableNextColumn();
  caption("plot_scatter(label, xy, xy + 1, n, 2·sizeof(float))",
          "20 000 points read straight from an interleaved x, y array (stride in bytes), drawn as quads.");
  if (begin_plot("Scatter", fill, kPlotEqualAspect)) {
    setup_axes("x₁", "x₂");
    set_next_size(2.0f);
    plot_scatter("two moons", data.cloud_xy.data(), data.cloud_xy.data() + 1, int(data.cloud_xy.size() / 2),
                 2 * sizeof(float));
    end_plot();
  }

  ImGui::TableNextColumn();
  caption("plot_arrows(label, x, y, u, v, n, scale)",
          "A vector field: an arrow from (x, y) along (u, v)·scale.");
  if (begin_plot("Arrows", fill, kPlotEqualAspect)) {
    setup_axes("x", "y");
    plot_arrows("∇ log p", data.qx.data(), data.qy.data(), data.qu.data(), data.qv.data(),
                int(data.qx.size()), 0.15f);
    end_plot();
  }
  ImGui::TableNextColumn();
  caption("plot_heatmap(label, values, rows, cols, vmin, vmax, x, y, map)",
          "A grid of values as a GL texture, coloured by a perceptual colormap.");
  const char* maps[] = {"viridis", "magma", "cool-warm"};
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::Combo("colormap", &colormap, maps, 3);
  if (begin_plot("Heat map", ImVec2(-1, height - ImGui::GetFrameHeightWithSpacing()), kPlotEqualAspect)) {
    setup_axes("x", "y");
    setup_axis_limits(Axis::X, -3, 3);
    setup_axis_limits(Axis::Y, -3, 3);
    plot_heatmap("##density", data.density.data(), 64, 64, 0.0, 0.14, {-3, 3}, {-3, 3}, Colormap(colormap));
    end_plot();
  }

  ImGui::TableNextColumn();
  caption("plot_histogram(label, values, n, bins, lo, hi, density)",
          "Counts in equal bins; density = true integrates to 1, to compare with a pdf line.");
  if (begin_plot("Histogram", fill)) {
    setup_axes("x", "density");
    plot_histogram("N(0, 1) samples", data.normals.data(), int(data.normals.size()), 40, -4, 4, true);
    static std::vector<float> gx, gy;
    if (gx.empty())
      for (int i = 0; i <= 100; ++i) {
        gx.push_back(-4 + 0.08f * i);
        gy.push_back(float(std::exp(-0.5 * gx.back() * gx.back()) / std::sqrt(2 * 3.14159265)));
      }
    plot_line("pdf", gx.data(), gy.data(), int(gx.size()));
    end_plot();
  }
  ImGui::TableNextColumn();
  caption("plot_bars(label, heights, n, width)", "Bars centred at x0 + i·dx; here ᾱₜ at six steps.");
  if (begin_plot("Bars", fill)) {
    setup_axes("step", "ᾱₜ");
    plot_bars("ᾱₜ", data.bars.data(), int(data.bars.size()), 0.6);
    end_plot();
  }

  ImGui::TableNextColumn();
  caption("drag_time_cursor(label, &cursor)",
          "One TimeCursor shared by two plots: drag the white line in either.");
  if (begin_plot("Loss", fill, kPlotAutoFit)) {
    setup_axes("step", "loss");
    plot_line_y("L_simple", data.loss.data(), int(data.loss.size()));
    drag_time_cursor("t", &cursor);
    end_plot();
  }
  ImGui::TableNextColumn();
  caption("setup_axes(x, y, kAxisNone, kAxisLog)", "The same curve and cursor with a log10 y axis.");
  if (begin_plot("Loss (log y)", fill)) {
    setup_axes("step", "loss", kAxisNone, kAxisLog);
    plot_line_y("L_simple", data.loss.data(), int(data.loss.size()));
    drag_time_cursor("t", &cursor);
    end_plot();
  }

  ImGui::TableNextColumn();
  caption("image_grid(id, images, n, w, h, columns, vmin, vmax)",
          "n grayscale images of w × h, one texture.");
  image_grid("rings", data.images.data(), 8, 16, 16, 4, 0.0f, 1.0f, ImGui::GetFontSize() * 3);
  ImGui::TableNextColumn();
  caption("colorbar(id, map, vmin, vmax, size)", "The colormap with its value range.");
  colorbar("bar", Colormap(colormap), 0.0, 0.14, ImVec2(-1, ImGui::GetFontSize()));
  ImGui::EndTable();
}

}  // namespace difflab::plot
