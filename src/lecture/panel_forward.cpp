// panel_forward.cpp — the forward process q(xₜ|x₀): the cloud at t, marginals, the exact density of q(xₜ),
// an image being noised. Not the math: views.h computes, this draws (lesson 02).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/rng.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/layout.h"
#include "plot/plot.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

class ForwardPanel final : public LivePanel {
 public:
  explicit ForwardPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), show_(d.value("show")), playing_(d.value("play") == "true") {
    T_ = std::stoi(d.value("T"));
    kind_ = schedule_kind_or_linear(d.value("schedule"));
    t_ = std::min(std::stoi(d.value("t")), T_ - 1);
    rebuild();
  }

  void toggle_play() override { playing_ = !playing_; }
  bool playing() const override { return playing_; }
  void step_once() override {
    playing_ = false;
    t_ = std::min(t_ + 1, T_ - 1);
  }

  void draw() override {
    if (playing_) {
      advance_ += std::max(1.0, T_ / 240.0);  // about four seconds from 0 to T
      const int step = static_cast<int>(advance_);
      advance_ -= step;
      t_ = t_ + step >= T_ ? 0 : t_ + step;
    }
    controls();
    const std::vector<float> xt = noised_points(schedule_, t_, x0_, eps_);
    const float plot_height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (show_ == "image")
      draw_image(plot_height);
    else if (show_ == "density")
      draw_density(plot_height);
    else if (show_ == "histograms")
      draw_histograms(xt, plot_height);
    else
      draw_cloud(xt, plot_height);
    char text[400];
    std::snprintf(text, sizeof text, tr("forward.caption"), t_, t_ + 1, schedule_.alpha_bar[t_],
                  schedule_.sqrt_alpha_bar[t_], schedule_.sqrt_one_minus_alpha_bar[t_],
                  panel_schedule_note(schedule_.config).c_str());
    caption(text);
  }

 private:
  void rebuild() {
    schedule_ = make_schedule(panel_schedule(kind_, T_));
    x0_ = data_points(dataset_, 2000, 0);
    Rng rng(7);
    eps_.resize(x0_.size());
    for (float& e : eps_) e = static_cast<float>(rng.normal());
    density_t_ = -2;
    if (!mixture_.value() && !mixture_.busy()) {  // the exact mixture of the data: built in the background
      const std::string dataset = dataset_;
      mixture_.start([dataset] { return load_panel_mixture(dataset, 1000); });
    }
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(std::max(font * 8, ImGui::GetContentRegionAvail().x * 0.4f));
    ImGui::SliderInt("t", &t_, 0, T_ - 1);
    const char* play = playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play");
    same_line_if_fits(button_width(play));
    if (ImGui::Button(play)) playing_ = !playing_;
    const char* shows[] = {"points", "histograms", "density", "image"};
    const char* names[] = {tr("forward.show_points"), tr("forward.show_histograms"),
                           tr("forward.show_density"), tr("forward.show_image")};
    int current = 0;
    for (int i = 0; i < 4; ++i)
      if (show_ == shows[i]) current = i;
    same_line_if_fits(labeled_width(font * 8, tr("forward.show")));
    ImGui::SetNextItemWidth(font * 8);
    if (ImGui::Combo(tr_id("forward.show", "show"), &current, names, 4)) show_ = shows[current];
  }

  void draw_cloud(const std::vector<float>& xt, float height) {
    if (plot::begin_plot("q(xₜ | x₀)", ImVec2(-1, height), plot::kPlotEqualAspect)) {
      plot::setup_axes("x", "y");
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 90));
      plot::plot_scatter(tr_id("forward.legend_data", "data"), x0_.data(), x0_.data() + 1,
                         static_cast<int>(x0_.size() / 2), 8);
      plot::plot_scatter("xₜ", xt.data(), xt.data() + 1, static_cast<int>(xt.size() / 2), 8);
      plot::end_plot();
    }
  }

  // The cloud on top, the two marginal histograms under it with the N(0, 1) curve they tend to.
  void draw_histograms(const std::vector<float>& xt, float height) {
    std::vector<float> xs, ys;
    for (size_t i = 0; i < xt.size(); i += 2) xs.push_back(xt[i]), ys.push_back(xt[i + 1]);
    static std::vector<float> grid, normal;
    if (grid.empty())
      for (int i = 0; i <= 120; ++i) {
        const float v = -4.0f + 8.0f * i / 120;
        grid.push_back(v);
        normal.push_back(static_cast<float>(std::exp(-0.5 * v * v) / std::sqrt(2 * M_PI)));
      }
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    draw_cloud(xt, height * 0.6f - spacing);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    for (int axis = 0; axis < 2; ++axis) {
      if (axis) ImGui::SameLine();
      const std::vector<float>& v = axis == 0 ? xs : ys;
      const std::string title = std::string(tr(axis == 0 ? "forward.marginal_x" : "forward.marginal_y")) +
                                (axis == 0 ? "###mx" : "###my");
      if (plot::begin_plot(title.c_str(), ImVec2(half, height * 0.4f), plot::kPlotNoInputs)) {
        plot::setup_axes(axis == 0 ? "x" : "y", nullptr);
        plot::setup_axis_limits(plot::Axis::X, -4, 4, plot::Cond::Always);
        plot::setup_axis_limits(plot::Axis::Y, 0, 1.0, plot::Cond::Always);
        plot::plot_histogram("xₜ", v.data(), static_cast<int>(v.size()), 60, -4, 4, true);
        plot::plot_line("N(0, 1)", grid.data(), normal.data(), static_cast<int>(grid.size()));
        plot::end_plot();
      }
    }
  }

  void draw_density(float height) {
    mixture_.poll();
    if (!mixture_.value()) {
      if (!mixture_.error().empty()) return error_note(mixture_.error());
      return progress_note(tr("jobs.loading_mixture"), mixture_);
    }
    if (density_t_ != t_ && !density_.busy()) {
      const GaussianMixture2D mixture = *mixture_.value();
      const NoiseSchedule schedule = schedule_;
      const int t = t_;
      density_.start([mixture, schedule, t] {
        return log_density_grid(mixture, schedule, t, GridSpec{-3.5, 3.5, -3.5, 3.5, 96});
      });
      density_t_ = t_;
    }
    density_.poll();
    const std::string title = std::string(tr("forward.density_title")) + "###density";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect | plot::kPlotNoLegend)) {
      plot::setup_axes("x", "y");
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      if (density_.value()) {
        std::vector<float> p(density_.value()->size());
        float peak = 0;
        for (size_t i = 0; i < p.size(); ++i) peak = std::max(peak, p[i] = std::exp((*density_.value())[i]));
        plot::plot_heatmap("q(xₜ)", p.data(), 96, 96, 0, peak, {-3.5, 3.5}, {-3.5, 3.5},
                           plot::Colormap::Magma);
      }
      plot::end_plot();
    }
    if (density_.busy()) progress_note(tr("forward.busy_density"), density_);
    if (!density_.error().empty()) error_note(density_.error());
  }

  void draw_image(float height) {
    std::vector<int> ts;
    const int columns = 6;
    // x₀, then steps spaced quadratically (62, 249, 561, 999 at T = 1000): evenly spaced ones (249, 499, …)
    // were all noise after the first, so the strip could not show fine details going before the outline.
    for (int k = 0; k < columns - 1; ++k)
      ts.push_back(k == 0 ? -1 : (T_ - 1) * k * k / ((columns - 2) * (columns - 2)));
    ts.push_back(t_);
    const std::vector<float> strip = noising_strip(schedule_, strip_image(), ts, 3);
    // Each tile carries its own label (x₀, t = 62, …, your t): a line of steps above the strip left the
    // reader counting tiles, and in 3 × 2 it read across rows.
    std::vector<std::string> labels;
    char label[64];
    for (size_t k = 0; k < ts.size(); ++k) {
      if (k == 0)
        std::snprintf(label, sizeof label, "%s", tr("forward.tile_x0"));
      else
        std::snprintf(label, sizeof label, tr(k + 1 == ts.size() ? "forward.tile_yours" : "forward.tile_t"),
                      ts[k]);
      labels.emplace_back(label);
    }
    // As large as the panel allows: one row, or 3 × 2 when that gives larger images (a label line over each
    // row, and the source line below keeps its room).
    const float lines = 2 * ImGui::GetTextLineHeightWithSpacing();
    const plot::GridFit fit = plot::fit_image_grid(columns, ImGui::GetContentRegionAvail().x - 12,
                                                   height - lines, 2.0f, ImGui::GetTextLineHeight());
    plot::image_grid("noising strip", strip.data(), columns, 28, 28, fit.columns, -1.0f, 1.0f, fit.cell,
                     &labels);
    bool real = false;
    strip_image(&real);
    // Grey like TextDisabled, but wrapped: at 1280 × 720 the source line ran past the panel's right edge.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", real ? tr("forward.image_real") : tr("forward.image_synthetic"));
    ImGui::PopStyleColor();
  }

  std::string dataset_, show_;
  bool playing_ = false;
  double advance_ = 0;
  int T_ = 100, t_ = 0;
  ScheduleKind kind_ = ScheduleKind::Linear;
  NoiseSchedule schedule_;
  std::vector<float> x0_, eps_;
  Async<GaussianMixture2D> mixture_;
  Async<std::vector<float>> density_;
  int density_t_ = -2;
};

}  // namespace

std::unique_ptr<LivePanel> make_forward_panel(const PanelDirective& d) {
  return std::make_unique<ForwardPanel>(d);
}

}  // namespace difflab::lecture
