// panel_sampling.cpp — Algorithm 2 step by step: xₜ on the left, x̂₀ on the right, trajectories, and the
// exact denoiser beside the model from the same noise (lesson 05). Not a sampler: sample/sampler.h steps.
#include <cstdio>

#include <imgui.h>

#include "lecture/panels.h"
#include "plot/plot.h"
#include "sample/sampler.h"

namespace difflab::lecture {
namespace {

struct Run {
  std::unique_ptr<LoadedModel> model;
  std::unique_ptr<Sampler> sampler;
  std::string label;
};

class SamplingPanel final : public LivePanel {
 public:
  explicit SamplingPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), which_(d.value("model")), compare_(d.value("compare") == "true") {
    parse_sampler_kind(d.value("sampler"), &config_.kind);
    config_.steps = std::stoi(d.value("steps"));
    n_ = std::stoi(d.value("n"));
    restart();
    playing_ = true;  // the chain runs once on its own (about two seconds); ◀ and ▶ then walk through it
  }

  void toggle_play() override { playing_ = !playing_; }
  void step_once() override {
    playing_ = false;
    forward();
  }

  void draw() override {
    if (!error_.empty()) {
      ImGui::TextWrapped("%s", error_.c_str());
      return;
    }
    if (playing_ && !forward()) playing_ = false;
    controls();
    const Run& main = runs_.front();
    const int steps = static_cast<int>(main.sampler->timesteps().size());
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float row = compare_ ? (height - ImGui::GetStyle().ItemSpacing.y) * 0.5f : height;
    for (const Run& r : runs_) draw_row(r, row);
    const int t = view_ < steps ? main.sampler->timesteps()[view_] : -1;
    char text[400];
    std::snprintf(text, sizeof text,
                  "Step %d of %d (%s, %s).  Left: xₜ at t = %d.  Right: x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ, the model's "
                  "guess of the clean point.  Network evaluations: %d.  ◀/▶ (or ↓/↑) step back or forward; S steps, Space plays.",
                  view_, steps, sampler_kind_name(config_.kind).c_str(), which_.c_str(), t,
                  main.sampler->network_evaluations());
    caption(text);
  }

 private:
  void restart() {
    runs_.clear();
    error_.clear();
    view_ = 0;
    try {
      std::vector<std::string> models = {which_};
      if (compare_) models = {"trained", "oracle"};
      const std::vector<float> x_T = standard_normal(2 * n_, 17);
      for (const std::string& m : models) {
        Run r;
        r.model = make_panel_model(m, dataset_);
        r.label = m == "oracle" ? "exact denoiser" : "trained model";
        SamplerConfig c = config_;
        c.steps = std::min(c.steps, r.model->schedule.T());
        r.sampler = std::make_unique<Sampler>(r.model->model(), c);
        r.sampler->begin(x_T, 23);  // the same noise for both
        runs_.push_back(std::move(r));
      }
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  // Moves the view one step forward, computing the step if needed. False at the end.
  bool forward() {
    if (runs_.empty()) return false;
    Sampler& s = *runs_.front().sampler;
    if (view_ < s.steps_done()) return ++view_, true;
    if (s.done()) return false;
    for (Run& r : runs_) r.sampler->step();
    ++view_;
    return true;
  }

  void controls() {
    if (ImGui::Button("◀")) view_ = std::max(0, view_ - 1);
    ImGui::SameLine();
    if (ImGui::Button("▶")) forward();
    ImGui::SameLine();
    if (ImGui::Button(playing_ ? "Pause" : "Play")) playing_ = !playing_;
    ImGui::SameLine();
    if (ImGui::Button("Restart")) restart();
    ImGui::SameLine();
    const char* kinds[] = {"ddpm", "ddim", "ode-euler", "ode-heun", "langevin"};
    int current = static_cast<int>(config_.kind);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::Combo("sampler", &current, kinds, 5)) {
      config_.kind = static_cast<SamplerKind>(current);
      restart();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderInt("steps (0 = T)", &config_.steps, 0, 100)) restart();
    ImGui::SameLine();
    if (ImGui::Checkbox("exact beside", &compare_)) restart();
    ImGui::SameLine();
    if (train_from_scratch_button(dataset_, &scratch_generation_)) restart();
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows)) {
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) forward();
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) view_ = std::max(0, view_ - 1);
    }
  }

  void draw_row(const Run& r, float height) {
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const auto& trajectory = r.sampler->trajectory();
    const int k = std::min<int>(view_, static_cast<int>(trajectory.size()) - 1);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::PushID(r.label.c_str());
    if (plot::begin_plot((r.label + ": xₜ").c_str(), ImVec2(half, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter("data", data.data(), data.data() + 1, 1000, 8);
      // Trajectories of the first 24 points up to this step.
      std::vector<float> path;
      for (int p = 0; p < 24 && p < n_; ++p) {
        path.clear();
        for (int j = 0; j <= k; ++j) path.push_back(trajectory[j][2 * p]), path.push_back(trajectory[j][2 * p + 1]);
        plot::set_next_color(IM_COL32(90, 160, 255, 140));
        plot::plot_line(p == 0 ? "trajectories" : "##trajectory", path.data(), path.data() + 1, k + 1, 8);
      }
      plot::plot_scatter("xₜ", trajectory[k].data(), trajectory[k].data() + 1, n_, 8);
      plot::end_plot();
    }
    ImGui::SameLine();
    if (plot::begin_plot((r.label + ": x̂₀").c_str(), ImVec2(half, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter("data", data.data(), data.data() + 1, 1000, 8);
      if (k >= 1) {
        const auto& x0 = r.sampler->x0_trajectory()[k - 1];
        plot::set_next_color(plot::palette_color(1));
        plot::plot_scatter("x̂₀", x0.data(), x0.data() + 1, n_, 8);
      }
      plot::end_plot();
    }
    ImGui::PopID();
  }

  std::string dataset_, which_;
  bool compare_ = false, playing_ = false;
  int n_ = 500, view_ = 0, scratch_generation_ = 0;
  SamplerConfig config_;
  std::vector<Run> runs_;
  std::string error_;
};

}  // namespace

std::unique_ptr<LivePanel> make_sampling_panel(const PanelDirective& d) { return std::make_unique<SamplingPanel>(d); }

}  // namespace difflab::lecture
