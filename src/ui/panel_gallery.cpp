// panel_gallery.cpp — the "gallery" panel: the score ∇ log p of a Gaussian mixture drawn as what it is, the
// gradient of the log density: arrows over the log-density heat map and its contour lines, at a noise
// level the student picks (pₜ = the mixture diffused to ᾱ). Every kind of plot of the course appears:
// heat map with colour scale, contours (lines), arrows, points. Not the plotting layer's API demo (that is
// plot::show_gallery, for developers) and not a trained model: every number is exact.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/gaussian_mixture.h"
#include "lessons/ui_text.h"
#include "plot/contour.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "plot/scripted_text.h"
#include "ui/panels.h"

namespace difflab::ui {
namespace {

constexpr int kHeat = 96, kArrows = 17;
constexpr double kExtent = 3.0;

// Three Gaussians of different shapes and weights: the score is not radial, yet always a gradient.
GaussianMixture2D demo_mixture() {
  GaussianMixture2D g;
  g.weights = {0.5, 0.3, 0.2};
  g.means = {{-1.2, 0.8}, {1.4, 0.9}, {0.2, -1.4}};
  g.covariances = {{0.35, 0.15, 0.25}, {0.12, 0.0, 0.5}, {0.6, -0.2, 0.15}};
  g.validate_and_normalise();
  return g;
}

// The next control on this line when it fits, else on the next one (no clipped "fle…" at 1280 × 720).
void same_line_if_fits(float next_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

class GalleryPanel : public Panel {
 public:
  GalleryPanel() : mixture_(demo_mixture()) { rebuild(); }

  void draw(const PanelInput& input) override {
    if (input.toggle_play) playing_ = !playing_;
    if (playing_) {
      // Space sweeps the noise level down and up: the field smooths out and sharpens again.
      phase_ += ImGui::GetIO().DeltaTime * 0.25f;
      const float next = 0.5f - 0.5f * std::cos(phase_);
      if (std::abs(next - noise_) > 0.01f) noise_ = next, rebuild();
    }
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(font * 8);
    if (ImGui::SliderFloat(tr_id("gallery.noise", "noise"), &noise_, 0.0f, 0.95f, "%.2f")) rebuild();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("gallery.noise_tip"));
    same_line_if_fits(font * 1.6f + ImGui::CalcTextSize(tr("gallery.contours")).x);
    ImGui::Checkbox(tr_id("gallery.contours", "contours"), &show_contours_);
    same_line_if_fits(font * 1.6f + ImGui::CalcTextSize(tr("gallery.arrows")).x);
    ImGui::Checkbox(tr_id("gallery.arrows", "arrows"), &show_arrows_);

    // The caption's text first: the plot takes what its wrapped height leaves.
    char text[600];
    if (hover_valid_) {
      const ExactQuantities q = DiffusedMixture(mixture_, 1.0 - noise_).evaluate(hover_x_, hover_y_);
      std::snprintf(text, sizeof text, tr("gallery.hover"), hover_x_, hover_y_, q.log_p, q.score[0],
                    q.score[1], std::hypot(q.score[0], q.score[1]));
    } else {
      std::snprintf(text, sizeof text, tr("gallery.caption"), noise_, scale_);
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * style.WindowPadding.x;
    // The longer of the two texts sets the height, so hovering does not resize the plot.
    char longest[600];
    std::snprintf(longest, sizeof longest, tr("gallery.caption"), noise_, scale_);
    // Scripted text wraps only at spaces (ImGui's TextWrapped split "|∇ log p| = 6.087" after "6.").
    const std::string shown = plot::scripted_escape(text);
    const float caption_height = std::max(plot::scripted_text_size(plot::scripted_escape(longest), wrap).y,
                                          plot::scripted_text_size(shown, wrap).y) +
                                 2 * style.WindowPadding.y + style.ItemSpacing.y;
    const float height = std::max(ImGui::GetContentRegionAvail().y - caption_height, font * 10);
    const std::string title = std::string(tr("gallery.title")) + "###score";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect | plot::kPlotNoLegend)) {
      plot::setup_axes("x₁", "x₂");
      plot::setup_axis_limits(plot::Axis::X, -kExtent, kExtent);
      plot::setup_axis_limits(plot::Axis::Y, -kExtent, kExtent);
      plot::plot_heatmap("##logp", log_p_.data(), kHeat, kHeat, log_lo_, log_hi_, {-kExtent, kExtent},
                         {-kExtent, kExtent}, plot::Colormap::Viridis);
      if (show_contours_) {
        plot::set_next_color(IM_COL32(255, 255, 255, 150));
        plot::set_next_size(1.0f);
        plot::plot_line(tr_id("gallery.legend_contours", "contours"), contours_.data(), contours_.data() + 1,
                        static_cast<int>(contours_.size() / 2), 2 * sizeof(float));
      }
      if (show_arrows_ && !arrows_.empty()) {
        plot::set_next_color(IM_COL32(255, 140, 90, 255));
        plot::plot_arrows(tr_id("gallery.legend_score", "score"), &arrows_[0], &arrows_[1], &arrows_[2],
                          &arrows_[3], static_cast<int>(arrows_.size() / 4), 1.0f, 4 * sizeof(float));
      }
      plot::set_next_color(IM_COL32(255, 255, 255, 230));
      plot::set_next_size(7);
      plot::plot_scatter(tr_id("gallery.legend_means", "means"), means_.data(), means_.data() + 1,
                         static_cast<int>(means_.size() / 2), 2 * sizeof(float));
      hover_valid_ = plot::plot_hovered();
      hover_x_ = plot::mouse_x();
      hover_y_ = plot::mouse_y();
      plot::end_plot();
    }
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
    ImGui::BeginChild("##caption", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollbar);
    plot::scripted_text_item(shown, wrap);
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }

 private:
  // pₜ for ᾱ = 1 − noise: log p on a fine grid (heat map and contours), the score on a coarse one (arrows).
  void rebuild() {
    const DiffusedMixture p(mixture_, 1.0 - noise_);
    log_p_.assign(static_cast<size_t>(kHeat) * kHeat, 0.0f);
    log_hi_ = -INFINITY;
    for (int r = 0; r < kHeat; ++r)
      for (int c = 0; c < kHeat; ++c) {
        const double x = -kExtent + 2 * kExtent * c / (kHeat - 1),
                     y = kExtent - 2 * kExtent * r / (kHeat - 1);
        const float v = static_cast<float>(p.evaluate(x, y).log_p);
        log_p_[static_cast<size_t>(r) * kHeat + c] = v;
        log_hi_ = std::max<double>(log_hi_, v);
      }
    log_lo_ = log_hi_ - 12;  // the colour scale spans 12 nats below the peak; lower is clamped
    for (float& v : log_p_) v = std::max(v, static_cast<float>(log_lo_));
    contours_.clear();
    for (int k = 1; k <= 5; ++k) {  // every 2 nats below the peak
      const std::vector<float> c = plot::contour_segments(log_p_, kHeat, kHeat, {-kExtent, kExtent},
                                                          {-kExtent, kExtent}, log_hi_ - 2.0 * k + 1);
      contours_.insert(contours_.end(), c.begin(), c.end());
    }
    // Arrows: the exact score where pₜ is within 8 nats of its peak (far out the score grows like the
    // distance and would dwarf the rest), all scaled by one factor so that the longest is 0.8 grid cells.
    std::vector<double> raw;
    double longest = 1e-12;
    for (int r = 0; r < kArrows; ++r)
      for (int c = 0; c < kArrows; ++c) {
        const double x = -kExtent + 2 * kExtent * c / (kArrows - 1),
                     y = kExtent - 2 * kExtent * r / (kArrows - 1);
        const ExactQuantities q = p.evaluate(x, y);
        if (q.log_p < log_hi_ - 8) continue;
        raw.insert(raw.end(), {x, y, q.score[0], q.score[1]});
        longest = std::max(longest, std::hypot(q.score[0], q.score[1]));
      }
    scale_ = 0.8 * (2 * kExtent / (kArrows - 1)) / longest;
    arrows_.clear();
    for (size_t i = 0; i < raw.size(); i += 4)
      arrows_.insert(arrows_.end(), {float(raw[i]), float(raw[i + 1]), float(scale_ * raw[i + 2]),
                                     float(scale_ * raw[i + 3])});
    means_.clear();
    const double a = std::sqrt(1.0 - noise_);
    for (const auto& m : mixture_.means) means_.insert(means_.end(), {float(a * m[0]), float(a * m[1])});
  }

  GaussianMixture2D mixture_;
  float noise_ = 0.0f, phase_ = 0.0f;
  bool playing_ = false, show_contours_ = true, show_arrows_ = true, hover_valid_ = false;
  double hover_x_ = 0, hover_y_ = 0;
  std::vector<float> log_p_, contours_, arrows_, means_;
  double log_lo_ = 0, log_hi_ = 1, scale_ = 1;
};

}  // namespace

std::unique_ptr<Panel> make_gallery_panel(const PanelDirective&) {
  return std::make_unique<GalleryPanel>();
}

}  // namespace difflab::ui
