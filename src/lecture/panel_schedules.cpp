// panel_schedules.cpp — β schedules side by side: βₜ, ᾱₜ, √ᾱₜ against √(1−ᾱₜ), log SNR, with one time
// cursor shared by every plot; the same t on points per schedule. Not the formulas (core/schedule.cpp).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "core/rng.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/layout.h"
#include "plot/plot.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

constexpr ScheduleKind kKinds[] = {ScheduleKind::Linear, ScheduleKind::Quadratic, ScheduleKind::Cosine,
                                   ScheduleKind::Sigmoid};

class SchedulesPanel final : public LivePanel {
 public:
  explicit SchedulesPanel(const PanelDirective& d) : view_(d.value("view")) {
    T_ = std::stoi(d.value("T"));
    cursor_.x = std::min(std::stoi(d.value("t")), T_ - 1);
    cursor_.integer = true;
    rebuild();
  }

  void toggle_play() override { playing_ = !playing_; }
  void step_once() override { cursor_.x = std::min<double>(cursor_.x + 1, T_ - 1); }

  void draw() override {
    if (playing_) cursor_.x = cursor_.x + 1 >= T_ ? 0 : cursor_.x + std::max(1, T_ / 300);
    const int old_T = T_;
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(font * 8);
    ImGui::SliderInt("T", &T_, 2, 4000);
    if (T_ != old_T) rebuild();
    int t = static_cast<int>(cursor_.x);
    same_line_if_fits(labeled_width(font * 8, "t"));
    ImGui::SetNextItemWidth(font * 8);
    if (ImGui::SliderInt("t", &t, 0, T_ - 1)) cursor_.x = t;
    const char* views[] = {"all", "beta", "alpha_bar", "signal_noise", "log_snr", "samples"};
    int current = 0;
    for (int i = 0; i < 6; ++i)
      if (view_ == views[i]) current = i;
    const char* view_names[] = {tr("schedules.view_all"),       tr("schedules.view_beta"),
                                tr("schedules.view_alpha_bar"), tr("schedules.view_signal_noise"),
                                tr("schedules.view_log_snr"),   tr("schedules.view_samples")};
    same_line_if_fits(labeled_width(font * 7, tr("common.view")));
    ImGui::SetNextItemWidth(font * 7);
    if (ImGui::Combo(tr_id("common.view", "view"), &current, view_names, 6)) view_ = views[current];
    same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), tr("schedules.rescale")));
    if (ImGui::Checkbox(tr_id("schedules.rescale", "rescale"), &rescale_)) rebuild();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("schedules.rescale_tip"));
    cursor_.min = 0;
    cursor_.max = T_ - 1;
    cursor_.x = std::clamp(cursor_.x, 0.0, T_ - 1.0);

    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float width = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (view_ == "all") {
      // One legend for the four plots (four legends ate the plots at 1280 × 720).
      shared_legend();
      const float rest = ImGui::GetContentRegionAvail().y - caption_reserve();
      const ImVec2 cell((width - spacing) * 0.5f, (rest - ImGui::GetStyle().ItemSpacing.y) * 0.5f);
      curve_plot("beta", cell, false);
      ImGui::SameLine();
      curve_plot("alpha_bar", cell, false);
      curve_plot("signal_noise", cell, false);
      ImGui::SameLine();
      curve_plot("log_snr", cell, false);
    } else if (view_ == "samples") {
      samples_view(ImVec2((width - 3 * spacing) / 4, height));
    } else {
      curve_plot(view_, ImVec2(-1, height));
    }
    const int tc = static_cast<int>(cursor_.x);
    char range[200];
    const ScheduleConfig linear = panel_schedule(ScheduleKind::Linear, T_, rescale_);
    std::snprintf(range, sizeof range, rescale_ ? tr("schedules.range_scaled") : tr("schedules.range_fixed"),
                  linear.beta_start, linear.beta_end, T_);
    char text[800];
    std::snprintf(text, sizeof text, tr("schedules.caption"), tc, schedules_[0].alpha_bar[tc],
                  schedules_[1].alpha_bar[tc], schedules_[2].alpha_bar[tc], schedules_[3].alpha_bar[tc],
                  T_ - 1, schedules_[0].alpha_bar[T_ - 1], range);
    caption(text);
  }

 private:
  static std::string kind_label(int k) {
    const char* keys[] = {"schedule.linear", "schedule.quadratic", "schedule.cosine", "schedule.sigmoid"};
    return tr(keys[k]);
  }

  void rebuild() {
    schedules_.clear();
    curves_.assign(4, {});
    steps_.resize(T_);
    for (int t = 0; t < T_; ++t) steps_[t] = static_cast<float>(t);
    for (int k = 0; k < 4; ++k) {
      schedules_.push_back(make_schedule(panel_schedule(kKinds[k], T_, rescale_)));
      const NoiseSchedule& s = schedules_.back();
      Curves& c = curves_[k];
      for (int t = 0; t < T_; ++t) {
        c.beta.push_back(static_cast<float>(s.beta[t]));
        c.alpha_bar.push_back(static_cast<float>(s.alpha_bar[t]));
        c.signal.push_back(static_cast<float>(s.sqrt_alpha_bar[t]));
        c.noise.push_back(static_cast<float>(s.sqrt_one_minus_alpha_bar[t]));
        c.log_snr.push_back(static_cast<float>(std::log(s.snr[t])));
      }
    }
  }

  void shared_legend() {
    const float font = ImGui::GetFontSize();
    for (int k = 0; k < 4; ++k) {
      const std::string name = kind_label(k);
      if (k) same_line_if_fits(font * 1.4f + ImGui::CalcTextSize(name.c_str()).x);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(
          ImVec2(p.x, p.y + font * 0.2f), ImVec2(p.x + font * 0.8f, p.y + font), plot::palette_color(k));
      ImGui::Dummy(ImVec2(font * 1.0f, font));
      ImGui::SameLine();
      ImGui::TextUnformatted(name.c_str());
    }
  }

  void curve_plot(const std::string& which, ImVec2 size, bool legend = true) {
    const char* titles[] = {"βₜ", "ᾱₜ", tr("schedules.title_signal_noise"), tr("schedules.title_log_snr")};
    const int index = which == "beta" ? 0 : which == "alpha_bar" ? 1 : which == "signal_noise" ? 2 : 3;
    // The ID carries T and the rescaling so a new schedule starts from a fresh, fitted view (plots keep their
    // zoom per ID), and not the title: a language switch keeps the view.
    const std::string id =
        std::string(titles[index]) + "###" + which + "T" + std::to_string(T_) + (rescale_ ? "s" : "u");
    if (!plot::begin_plot(id.c_str(), size, legend ? plot::kPlotNone : plot::kPlotNoLegend)) return;
    plot::setup_axis_limits(plot::Axis::X, 0, T_ - 1);
    // In the four-plot view the x label row would take a tenth of each plot: the ticks say it is t.
    plot::setup_axes(legend ? "t" : nullptr, nullptr, plot::kAxisNone,
                     index == 0 ? plot::kAxisLog : plot::kAxisNone);
    for (int k = 0; k < 4; ++k) {
      const Curves& c = curves_[k];
      const std::string name = kind_label(k);
      const std::vector<float>& y = index == 0   ? c.beta
                                    : index == 1 ? c.alpha_bar
                                    : index == 2 ? c.signal
                                                 : c.log_snr;
      plot::set_next_color(plot::palette_color(k));
      plot::plot_line(name.c_str(), steps_.data(), y.data(), T_);
      if (index == 2) {
        plot::set_next_color(plot::palette_color(k));
        plot::set_next_size(1.0f);
        // The thin lines share their schedule's colour and legend entry (the title says thick/thin).
        plot::plot_line(("##noise" + std::to_string(k)).c_str(), steps_.data(), c.noise.data(), T_);
      }
    }
    plot::drag_time_cursor("t", &cursor_);
    plot::end_plot();
  }

  void samples_view(ImVec2 size) {
    const std::vector<float>& x0 = data_points("moons", 1000, 0);
    static std::vector<float> eps;
    if (eps.size() != x0.size()) {
      Rng rng(11);
      eps.resize(x0.size());
      for (float& e : eps) e = static_cast<float>(rng.normal());
    }
    const int t = static_cast<int>(cursor_.x);
    // The four boxes share fixed limits, said once: tick labels in each 185 px column (1280 × 720) left the
    // clouds 80 px wide.
    ImGui::TextDisabled("%s", tr("schedules.samples_box"));
    size.y -= ImGui::GetTextLineHeightWithSpacing();
    // Square data areas as wide as the column (the frame's title row and margins added), the image under
    // them as wide too, each shrunk only when the panel is short.
    const float gap = ImGui::GetStyle().ItemSpacing.y;
    const float plot_h =
        std::min(plot::square_area_frame_height(size.x, ImGui::GetFontSize()), (size.y - gap) * 0.55f);
    const float image_h = std::min(size.x, size.y - plot_h - gap);
    for (int k = 0; k < 4; ++k) {
      if (k) ImGui::SameLine();
      const std::vector<float> xt = noised_points(schedules_[k], t, x0, eps);
      const std::string title = kind_label(k) + "###samples" + std::to_string(k);
      ImGui::BeginGroup();
      if (plot::begin_plot(title.c_str(), ImVec2(size.x, plot_h),
                           plot::kPlotEqualAspect | plot::kPlotNoLegend)) {
        plot::setup_axes(nullptr, nullptr, plot::kAxisNoTicks, plot::kAxisNoTicks);
        plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
        plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
        plot::set_next_color(plot::palette_color(k));
        plot::plot_scatter("xₜ", xt.data(), xt.data() + 1, static_cast<int>(xt.size() / 2), 8);
        plot::end_plot();
      }
      const std::vector<float> strip = noising_strip(schedules_[k], strip_image(), {t}, 3);
      plot::image_grid(("image" + std::to_string(k)).c_str(), strip.data(), 1, 28, 28, 1, -1, 1, image_h);
      ImGui::EndGroup();
    }
  }

  struct Curves {
    std::vector<float> beta, alpha_bar, signal, noise, log_snr;
  };
  std::string view_;
  int T_ = 1000;
  bool playing_ = false, rescale_ = true;
  plot::TimeCursor cursor_;
  std::vector<NoiseSchedule> schedules_;
  std::vector<Curves> curves_;
  std::vector<float> steps_;
};

}  // namespace

std::unique_ptr<LivePanel> make_schedules_panel(const PanelDirective& d) {
  return std::make_unique<SchedulesPanel>(d);
}

}  // namespace difflab::lecture
