// panel_ode.cpp — the probability-flow ODE against the SDE from the same noise, a grid warped by the
// ODE, and the EDM view of noise levels σ (lesson 09). Not a solver: sample/sampler.h integrates.
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

constexpr int kLines = 9, kPerLine = 40;

// A job's result with the data box the sampler clipped x̂₀ into (every caption says so).
template <typename T>
struct Boxed {
  T value;
  DataBox box;
};

class OdePanel final : public LivePanel {
 public:
  explicit OdePanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), which_(d.value("model")), view_(d.value("view")) {
    parse_sampler_kind(d.value("solver"), &solver_);
    steps_ = std::stoi(d.value("steps"));
    recompute();
  }

  void toggle_play() override { playing_ = !playing_; }
  bool playing() const override { return playing_; }
  void step_once() override {
    playing_ = false;
    ++grid_step_;
  }

  void draw() override {
    runs_.poll();
    if (grid_.poll() && grid_.value())
      grid_step_ = static_cast<int>(grid_.value()->value.size()) - 1;  // show the result
    controls();
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (view_ == "grid") {
      if (grid_stale_) start_grid();
      draw_grid(height);
    } else if (view_ == "sigma") {
      draw_sigma(height);
    } else {
      if (runs_stale_) start_runs();
      draw_samplers(height);
    }
  }

 private:
  // A change of solver or steps makes both results stale; each is recomputed when its view is shown, so the
  // view on screen never waits behind the other's job (one worker: lesson 09's grid slide waited for the
  // samplers' 2000 trajectories, its σ slide for both).
  void recompute() {
    runs_stale_ = grid_stale_ = true;
    grid_step_ = 0;
  }
  void start_runs() {
    runs_stale_ = false;
    const std::string dataset = dataset_, which = which_;
    const int steps = steps_;
    const SamplerKind solver = solver_;
    runs_.start([dataset, which, steps, solver] {
      auto model = load_panel_model(which, dataset);
      const SamplerConfig ode = panel_sampler(solver, steps, model->schedule.T()), sde;
      Boxed<std::vector<SamplerRun>> r;  // lesson 07's draw and steps: Euler here = its DDIM (η = 0)
      r.value = compare_on_shared_draw(model->model(), {ode, sde}, dataset);
      r.box = model->model().data_box();
      return r;
    });
  }
  void start_grid() {
    grid_stale_ = false;
    const std::string dataset = dataset_, which = which_;
    const int steps = steps_;
    const SamplerKind solver = solver_;
    grid_.start([dataset, which, steps, solver] {
      auto model = load_panel_model(which, dataset);
      Boxed<std::vector<std::vector<float>>> r;
      r.value = warp_grid_by_ode(model->model(), solver, std::min(steps, model->schedule.T()),
                                 GridSpec{-2.5, 2.5, -2.5, 2.5, kLines}, kPerLine);
      r.box = model->model().data_box();
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    const char* solvers[] = {"ode-euler", "ode-heun"};
    int current = solver_ == SamplerKind::OdeHeun ? 1 : 0;
    ImGui::SetNextItemWidth(font * 6);
    bool changed = ImGui::Combo(tr_id("ode.solver", "solver"), &current, solvers, 2);
    solver_ = current == 1 ? SamplerKind::OdeHeun : SamplerKind::OdeEuler;
    same_line_if_fits(labeled_width(font * 6, tr("ode.steps")));
    ImGui::SetNextItemWidth(font * 6);
    changed |= ImGui::SliderInt(tr_id("ode.steps", "steps"), &steps_, 1, 100);
    if (changed) recompute();
    const char* views[] = {"samplers", "grid", "sigma"};
    const char* names[] = {tr("ode.view_samplers"), tr("ode.view_grid"), tr("ode.view_sigma")};
    int v = view_ == "grid" ? 1 : view_ == "sigma" ? 2 : 0;
    same_line_if_fits(labeled_width(font * 9, tr("common.view")));
    ImGui::SetNextItemWidth(font * 9);
    if (ImGui::Combo(tr_id("common.view", "view"), &v, names, 3)) view_ = views[v];
    if (which_ == "trained") {
      if (train_from_scratch_button(dataset_, &scratch_generation_)) recompute();
    }
    if (view_ == "grid") {
      const char* play = playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play");
      same_line_if_fits(button_width(play));
      if (ImGui::Button(play)) playing_ = !playing_;
    }
  }

  void draw_samplers(float height) {
    if (!runs_.value()) {
      if (!runs_.error().empty()) return error_note(runs_.error());
      return progress_note(tr("ode.busy_integrating"), runs_);
    }
    const auto& runs = runs_.value()->value;
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    // The two titles in one row as tall as the taller, wrapped to their half: a title wrapping onto a second
    // line (lesson 09 at 1280 × 720, Spanish) set its plot lower than the other.
    char titles[2][160];
    for (int r = 0; r < 2; ++r) {
      const int steps = static_cast<int>(runs[r].trajectory.size()) - 1;
      if (r == 0)
        std::snprintf(titles[r], sizeof titles[r], tr("ode.title_ode"), sampler_kind_name(solver_).c_str(),
                      steps);
      else
        std::snprintf(titles[r], sizeof titles[r], tr("ode.title_sde"), steps);
    }
    const float title_height = std::max(ImGui::CalcTextSize(titles[0], nullptr, false, half).y,
                                        ImGui::CalcTextSize(titles[1], nullptr, false, half).y);
    for (int r = 0; r < 2; ++r) {
      if (r) ImGui::SameLine();
      ImGui::BeginGroup();
      const ImVec2 top = ImGui::GetCursorPos();
      ImGui::PushTextWrapPos(top.x + half);
      ImGui::TextUnformatted(titles[r]);
      ImGui::PopTextWrapPos();
      ImGui::SetCursorPos(ImVec2(top.x, top.y + title_height + ImGui::GetStyle().ItemSpacing.y));
      const std::string id = r == 0 ? "##ode" : "##sde";
      const float plot_height = height - title_height - ImGui::GetStyle().ItemSpacing.y;
      if (plot::begin_plot(id.c_str(), ImVec2(half, plot_height),
                           plot::kPlotEqualAspect | plot::kPlotNoTitle)) {
        plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
        plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
        plot::set_next_color(IM_COL32(150, 150, 150, 80));
        // Grey is the data on every slide; leaving it out of the legend keeps one legend row per plot.
        plot::plot_scatter("##data", data.data(), data.data() + 1, 1000, 8);
        std::vector<float> path;
        for (int p = 0; p < 20; ++p) {
          path.clear();
          for (const auto& s : runs[r].trajectory) path.push_back(s[2 * p]), path.push_back(s[2 * p + 1]);
          plot::set_next_color(IM_COL32(90, 160, 255, 150));
          plot::plot_line(p == 0 ? tr_id("ode.paths", "paths") : "##path", path.data(), path.data() + 1,
                          static_cast<int>(runs[r].trajectory.size()), 8);
        }
        plot::plot_scatter(tr_id("common.samples", "samples"), runs[r].samples.data(),
                           runs[r].samples.data() + 1, static_cast<int>(runs[r].samples.size() / 2), 8);
        plot::end_plot();
      }
      ImGui::EndGroup();
    }
    char text[400];
    std::snprintf(text, sizeof text, tr("ode.caption"), runs[0].network_evaluations, runs[0].swd,
                  runs[1].network_evaluations, runs[1].swd);
    caption(std::string(text) + "  " + clip_caption(runs_.value()->box));
  }

  void draw_grid(float height) {
    if (!grid_.value()) {
      if (!grid_.error().empty()) return error_note(grid_.error());
      return progress_note(tr("ode.busy_grid"), grid_);
    }
    const auto& trajectory = grid_.value()->value;
    if (playing_) {
      frame_ = (frame_ + 1) % 8;
      if (frame_ == 0)
        grid_step_ = grid_step_ + 1 >= static_cast<int>(trajectory.size()) ? 0 : grid_step_ + 1;
    }
    grid_step_ = std::clamp(grid_step_, 0, static_cast<int>(trajectory.size()) - 1);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    ImGui::SliderInt(tr_id("ode.solver_step", "solver_step"), &grid_step_, 0,
                     static_cast<int>(trajectory.size()) - 1);
    const std::vector<float>& state = trajectory[grid_step_];
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const std::string title = std::string(tr("ode.title_grid")) + "###grid";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height - ImGui::GetFrameHeightWithSpacing()),
                         plot::kPlotEqualAspect | plot::kPlotNoLegend)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 60));
      plot::plot_scatter("data", data.data(), data.data() + 1, 1000, 8);
      for (int line = 0; line < 2 * kLines; ++line) {
        const float* p = &state[2 * line * kPerLine];
        plot::set_next_color(plot::palette_color(line < kLines ? 0 : 1));
        plot::plot_line("##line", p, p + 1, kPerLine, 8);
      }
      plot::end_plot();
    }
    caption(std::string(tr("ode.grid_caption")) + "  " + clip_caption(grid_.value()->box));
  }

  void draw_sigma(float height) {
    // The checkpoint is loaded in the background, never on the UI thread.
    if (sigmas_.empty()) {
      if (!sigma_job_.busy() && !sigma_job_.value() && sigma_job_.error().empty()) {
        const std::string dataset = dataset_;
        sigma_job_.start([dataset] { return edm_sigmas(load_panel_model("trained", dataset)->schedule); });
      }
      sigma_job_.poll();
      if (!sigma_job_.value()) {
        if (!sigma_job_.error().empty()) return error_note(sigma_job_.error());
        return progress_note(tr("ode.busy_loading"), sigma_job_);
      }
      const std::vector<double>& sigma = *sigma_job_.value();
      for (size_t t = 0; t < sigma.size(); ++t)
        ts_.push_back(t), sigmas_.push_back(static_cast<float>(sigma[t]));
    }
    std::vector<float> step_t, step_sigma;
    // The steps the samplers view integrates on (panel_sampler), drawn on the σ curve.
    const int T = static_cast<int>(sigmas_.size());
    const SamplerConfig walked = panel_sampler(solver_, steps_, T);
    for (int t : make_timesteps(T, walked.steps, walked.spacing))
      step_t.push_back(t), step_sigma.push_back(sigmas_[t]);
    const std::string title = std::string(tr("ode.title_sigma")) + "###sigma";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height))) {
      plot::setup_axes("t", nullptr, plot::kAxisNone, plot::kAxisLog);
      plot::plot_line("σₜ", ts_.data(), sigmas_.data(), static_cast<int>(ts_.size()));
      plot::set_next_size(6);
      plot::plot_scatter(tr_id("ode.solver_steps", "steps"), step_t.data(), step_sigma.data(),
                         static_cast<int>(step_t.size()));
      plot::end_plot();
    }
    char text[300];
    std::snprintf(text, sizeof text, tr("ode.sigma_caption"), sigmas_.front(), sigmas_.back());
    caption(text);
  }

  std::string dataset_, which_, view_;
  SamplerKind solver_ = SamplerKind::OdeHeun;
  int steps_ = 20, grid_step_ = 0, frame_ = 0, scratch_generation_ = 0;
  bool playing_ = false, runs_stale_ = true, grid_stale_ = true;
  Async<Boxed<std::vector<SamplerRun>>> runs_;
  Async<Boxed<std::vector<std::vector<float>>>> grid_;
  std::vector<float> ts_, sigmas_;
  Async<std::vector<double>> sigma_job_;
};

}  // namespace

std::unique_ptr<LivePanel> make_ode_panel(const PanelDirective& d) {
  return std::make_unique<OdePanel>(d);
}

}  // namespace difflab::lecture
