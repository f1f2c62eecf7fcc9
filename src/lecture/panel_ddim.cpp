// panel_ddim.cpp — the same x_T through DDPM (T steps) and DDIM (N steps, η): split view, overlaid
// trajectories, cost and quality, and deterministic inversion of a clicked point (lesson 07).
// Not a sampler: views.h runs them in the background.
#include <cstdio>

#include <imgui.h>

#include "lecture/panels.h"
#include "plot/plot.h"
#include "sample/inversion.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

constexpr int kPoints = 400;

class DdimPanel final : public LivePanel {
 public:
  explicit DdimPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), which_(d.value("model")), view_(d.value("view")) {
    steps_ = std::stoi(d.value("steps"));
    eta_ = std::stof(d.value("eta"));
    recompute();
  }

  void draw() override {
    runs_.poll();
    quality_.poll();
    controls();
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (!runs_.value()) {
      busy_note("sampling");
      if (!runs_.error().empty()) ImGui::TextWrapped("%s", runs_.error().c_str());
      return;
    }
    const auto& runs = *runs_.value();
    if (view_ == "split") split(runs, height);
    else if (view_ == "overlay") overlay(runs, height);
    else if (view_ == "quality") quality(height);
    else inversion(height);
    char text[500];
    std::snprintf(text, sizeof text,
                  "Same x_T.  DDPM: %d steps, %d network evaluations, %.0f ms, sliced W₂ %.3f.  DDIM (N = %d, η = %.2f): "
                  "%d evaluations, %.0f ms, sliced W₂ %.3f.  x_prev = √ᾱ_prev x̂₀ + √(1−ᾱ_prev−σ²) ε_θ + σz, "
                  "σ = η√((1−ᾱ_prev)/(1−ᾱₜ))√(1−ᾱₜ/ᾱ_prev).",
                  runs[0].network_evaluations, runs[0].network_evaluations, runs[0].milliseconds, runs[0].swd, steps_,
                  eta_, runs[1].network_evaluations, runs[1].milliseconds, runs[1].swd);
    caption(text);
  }

 private:
  void recompute() {
    const std::string dataset = dataset_, which = which_;
    const int steps = steps_;
    const double eta = eta_;
    runs_.start([dataset, which, steps, eta] {
      auto model = make_panel_model(which, dataset);
      SamplerConfig ddpm, ddim;
      ddim.kind = SamplerKind::Ddim;
      ddim.steps = std::min(steps, model->schedule.T());
      ddim.eta = eta;
      return compare_samplers(model->model(), {ddpm, ddim}, standard_normal(2 * kPoints, 5), 9,
                              data_points(dataset, 2000, 1));
    });
  }

  void controls() {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    bool changed = ImGui::SliderInt("DDIM steps N", &steps_, 1, 100);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    changed |= ImGui::SliderFloat("η", &eta_, 0.0f, 1.0f, "%.2f");
    if (changed) {
      recompute();
      quality_ = Async<std::vector<SamplerRun>>{};
    }
    ImGui::SameLine();
    const char* views[] = {"split", "overlay", "quality", "inversion"};
    int current = 0;
    for (int i = 0; i < 4; ++i)
      if (view_ == views[i]) current = i;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::Combo("view", &current, views, 4)) view_ = views[current];
    if (which_ == "trained") {
      ImGui::SameLine();
      if (train_from_scratch_button(dataset_, &scratch_generation_)) {
        recompute();
        quality_ = Async<std::vector<SamplerRun>>{};
      }
    }
  }

  void scatter(const char* title, const std::vector<float>& points, float width, float height) {
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    if (plot::begin_plot(title, ImVec2(width, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter("data", data.data(), data.data() + 1, 1000, 8);
      plot::plot_scatter("samples", points.data(), points.data() + 1, static_cast<int>(points.size() / 2), 8);
      plot::end_plot();
    }
  }

  void split(const std::vector<SamplerRun>& runs, float height) {
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    scatter("DDPM, all T steps", runs[0].samples, half, height);
    ImGui::SameLine();
    char title[64];
    std::snprintf(title, sizeof title, "DDIM, %d steps, η = %.2f", steps_, eta_);
    scatter(title, runs[1].samples, half, height);
  }

  void overlay(const std::vector<SamplerRun>& runs, float height) {
    if (!plot::begin_plot("trajectories from the same x_T", ImVec2(-1, height), plot::kPlotEqualAspect)) return;
    plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
    plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
    for (int r = 0; r < 2; ++r) {
      const auto& trajectory = runs[r].trajectory;
      std::vector<float> path;
      for (int p = 0; p < 12; ++p) {
        path.clear();
        for (const auto& state : trajectory) path.push_back(state[2 * p]), path.push_back(state[2 * p + 1]);
        // DDPM's paths wander (fresh noise every step): draw them faint, DDIM's on top.
        plot::set_next_color(r == 0 ? IM_COL32(90, 160, 255, 90) : plot::palette_color(1));
        plot::set_next_size(r == 0 ? 1.0f : 2.0f);
        plot::plot_line(p == 0 ? (r == 0 ? "DDPM" : "DDIM") : "##path", path.data(), path.data() + 1,
                        static_cast<int>(trajectory.size()), 8);
      }
    }
    plot::end_plot();
  }

  void quality(float height) {
    if (!quality_.value() && !quality_.busy()) {
      const std::string dataset = dataset_, which = which_;
      const double eta = eta_;
      quality_.start([dataset, which, eta] {
        auto model = make_panel_model(which, dataset);
        std::vector<SamplerConfig> configs;
        for (int n : {2, 5, 10, 20, 50, 100}) {
          SamplerConfig c;
          c.kind = SamplerKind::Ddim;
          c.steps = std::min(n, model->schedule.T());
          c.eta = eta;
          configs.push_back(c);
        }
        configs.push_back(SamplerConfig{});  // DDPM, all steps
        return compare_samplers(model->model(), configs, standard_normal(2 * 1000, 6), 9, data_points(dataset, 2000, 1));
      });
    }
    if (!quality_.value()) return busy_note("sampling at N = 2 … 100");
    const auto& runs = *quality_.value();
    std::vector<float> nfe, swd;
    for (size_t i = 0; i + 1 < runs.size(); ++i) nfe.push_back(runs[i].network_evaluations), swd.push_back(runs[i].swd);
    const float ddpm_nfe = runs.back().network_evaluations, ddpm_swd = runs.back().swd;
    if (plot::begin_plot("sample quality against cost", ImVec2(-1, height * 0.7f))) {
      plot::setup_axes("network evaluations", "sliced W₂ to the data (lower is better)", plot::kAxisLog);
      plot::plot_line("DDIM", nfe.data(), swd.data(), static_cast<int>(nfe.size()));
      plot::plot_scatter("DDIM ", nfe.data(), swd.data(), static_cast<int>(nfe.size()));
      plot::set_next_size(8);
      plot::plot_scatter("DDPM (all T)", &ddpm_nfe, &ddpm_swd, 1);
      plot::end_plot();
    }
    if (ImGui::BeginTable("costs", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
      for (const char* h : {"sampler", "evaluations", "time (ms)", "sliced W₂"}) ImGui::TableSetupColumn(h);
      ImGui::TableHeadersRow();
      for (const auto& r : runs) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s %s", r.name.c_str(), r.config.kind == SamplerKind::Ddim ? ("N = " + std::to_string(r.config.steps)).c_str() : "T");
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.network_evaluations);
        ImGui::TableNextColumn();
        ImGui::Text("%.1f", r.milliseconds);
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", r.swd);
      }
      ImGui::EndTable();
    }
  }

  void inversion(float height) {
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    if (plot::begin_plot("click a point: x₀ → x_T → x₀ with DDIM (η = 0)", ImVec2(-1, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter("data", data.data(), data.data() + 1, 1000, 8);
      if (plot::plot_hovered() && ImGui::IsMouseClicked(0) && !ImGui::GetIO().KeyShift) {
        clicked_ = {static_cast<float>(plot::mouse_x()), static_cast<float>(plot::mouse_y())};
        invert();
      }
      if (!encode_.empty()) {
        plot::plot_line("x₀ → x_T (inversion)", encode_.data(), encode_.data() + 1, static_cast<int>(encode_.size() / 2), 8);
        plot::plot_line("x_T → x₀ (DDIM)", decode_.data(), decode_.data() + 1, static_cast<int>(decode_.size() / 2), 8);
        plot::set_next_size(9);
        plot::plot_scatter("clicked x₀", clicked_.data(), clicked_.data() + 1, 1);
        plot::set_next_size(9);
        plot::plot_scatter("x_T", &encode_[encode_.size() - 2], &encode_[encode_.size() - 1], 1);
        plot::set_next_size(9);
        plot::plot_scatter("decoded x₀", &decode_[decode_.size() - 2], &decode_[decode_.size() - 1], 1);
      }
      plot::end_plot();
    }
  }

  void invert() {
    try {
      auto model = make_panel_model(which_, dataset_);
      const int steps = std::min(steps_, model->schedule.T());
      const Inversion inv = ddim_invert(model->model(), clicked_, steps, Spacing::Leading);
      encode_.clear();
      for (const auto& s : inv.trajectory) encode_.insert(encode_.end(), s.begin(), s.end());
      SamplerConfig c;
      c.kind = SamplerKind::Ddim;
      c.steps = steps;
      Sampler sampler(model->model(), c);
      sampler.begin(inv.x_T, 0);
      sampler.run();
      decode_.clear();
      for (const auto& s : sampler.trajectory()) decode_.insert(decode_.end(), s.begin(), s.end());
    } catch (const std::exception& e) {
      encode_.clear();
    }
  }

  std::string dataset_, which_, view_;
  int steps_ = 10, scratch_generation_ = 0;
  float eta_ = 0;
  Async<std::vector<SamplerRun>> runs_, quality_;
  std::vector<float> clicked_, encode_, decode_;
};

}  // namespace

std::unique_ptr<LivePanel> make_ddim_panel(const PanelDirective& d) { return std::make_unique<DdimPanel>(d); }

}  // namespace difflab::lecture
