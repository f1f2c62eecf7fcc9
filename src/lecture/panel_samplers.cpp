// panel_samplers.cpp — one x_T through several samplers at one NFE budget, SDE vs ODE running, σ-steps.
// Not the computation (views/sampler_compare.h, in a background job) and not a sampler (sample/).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/metrics.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "sample/noise_levels.h"
#include "sample/sampler_table.h"
#include "views/sampler_compare.h"

namespace difflab::lecture {
namespace {

constexpr uint64_t kNoiseSeed = 1000;  // x_T: the same for every sampler, every budget and both models
constexpr int kPaths = 6;              // trajectories drawn in the SDE vs ODE view
constexpr int kFramesPerRun = 240;     // the SDE vs ODE animation: 4 s at 60 fps, then a pause
constexpr int kFramesHold = 90;

// What the background job returns: the comparison plus the numbers its caption needs.
struct SamplersResult {
  SamplerComparison comparison;
  std::vector<float> data;  // the held-out data the W₂ is measured against (drawn faintly)
  double floor = NAN;       // sliced W₂ between two draws of the data: the best any sampler can do
  double between = NAN;     // sliced W₂ between the first two samplers' endpoints (SDE vs ODE view)
  bool oracle = false;
};

std::string sampler_label(SamplerKind kind) {
  const SamplerInfo& info = sampler_info(kind);
  return ui_language() == UiLanguage::en ? info.label_en : info.label_es;
}

std::vector<SamplerKind> parse_sampler_list(const std::string& list) {
  std::vector<SamplerKind> kinds;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    SamplerKind k;
    if (parse_sampler_kind(name, &k) && std::find(kinds.begin(), kinds.end(), k) == kinds.end())
      kinds.push_back(k);
  }
  return kinds;
}

class SamplersPanel final : public LivePanel {
 public:
  explicit SamplersPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")),
        which_(d.value("model")),
        sde_ode_(d.value("view") == "sde-ode"),
        steps_view_(d.value("view") == "steps") {
    chosen_ = parse_sampler_list(d.value("samplers"));
    nfe_ = std::stoi(d.value("nfe"));
    n_ = std::stoi(d.value("n"));
    const std::string play = d.value("play");
    autoplay_ = play == "true" || play == "1" || play == "on" || play == "yes";
    playing_ = sde_ode_ && autoplay_;  // both chains run on their own
    recompute();
  }

  void toggle_play() override { playing_ = !playing_; }
  bool playing() const override { return playing_; }
  void step_once() override {
    playing_ = false;
    frame_ = std::min(frame_ + kFramesPerRun / 20, kFramesPerRun);
  }

  void draw() override {
    if (job_.poll() && job_.value()) {
      frame_ = playing_ ? 0 : kFramesPerRun;  // paused: the endpoints
      fit_bounds(job_.value()->data);
    }
    controls();
    if (!job_.error().empty()) return (void)ImGui::TextWrapped("%s", job_.error().c_str());
    if (!job_.value()) return progress_note(tr("samplers.busy"), job_);
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (sde_ode_)
      draw_sde_ode(height);
    else if (steps_view_)
      draw_steps(height);
    else
      draw_side_by_side(height);
  }

 private:
  std::vector<SamplerConfig> configs() const {
    std::vector<SamplerConfig> out;
    const std::vector<SamplerKind> kinds =
        sde_ode_ ? std::vector<SamplerKind>{SamplerKind::SdeEuler, SamplerKind::OdeHeun} : chosen_;
    for (SamplerKind k : kinds) {
      SamplerConfig c;
      c.kind = k;
      c.spacing = Spacing::Trailing;  // the schedule's samplers start at t = T − 1, where σ-steps start
      out.push_back(c);
    }
    return out;
  }

  void recompute() {
    const std::string dataset = dataset_, which = which_;
    const bool sde_ode = sde_ode_;
    const int n = n_;
    SamplerCompareOptions options;
    options.samplers = configs();
    options.nfe = nfe_;
    options.endpoint_error = which == "oracle";
    options.reference_steps = 500;  // edm-heun, 999 evaluations: far below the errors the panel shows
    options.paths = sde_ode ? n : 0;
    options.seed = 7;
    job_.start([dataset, which, n, options, sde_ode] {
      // The checkpoint (or the exact denoiser) is built here, in the background job, never on the UI thread.
      auto model = load_panel_model(which, dataset);
      SamplersResult r;
      r.oracle = which == "oracle";
      r.data = data_points(dataset, n, 1);
      r.comparison = compare_at_budget(model->model(), options, standard_normal(2 * n, kNoiseSeed), r.data,
                                       job_progress);
      r.floor =
          sliced_wasserstein2(r.data, data_points(dataset, n, 2), options.swd_projections, options.seed + 2);
      const auto& runs = r.comparison.runs;
      if (sde_ode && runs.size() == 2 && !runs[0].samples.empty() && !runs[1].samples.empty())
        r.between =
            sliced_wasserstein2(runs[0].samples, runs[1].samples, options.swd_projections, options.seed + 2);
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    bool changed = false;
    const char* models[] = {tr("samplers.model_oracle"), tr("samplers.model_trained")};
    int m = which_ == "oracle" ? 0 : 1;
    ImGui::SetNextItemWidth(combo_width(models, 2, font * 9));
    if (ImGui::Combo(tr_id("samplers.model", "model"), &m, models, 2)) {
      which_ = m == 0 ? "oracle" : "trained";
      changed = true;
    }
    same_line_if_fits(labeled_width(font * 8, tr("samplers.nfe")));
    ImGui::SetNextItemWidth(font * 8);
    ImGui::SliderInt(tr_id("samplers.nfe", "nfe"), &nfe_, 1, 200, "%d", ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("samplers.nfe_tooltip"));
    changed |= ImGui::IsItemDeactivatedAfterEdit();  // one job when the slider is let go, not per pixel
    if (!sde_ode_) {
      const char* choose = tr_id("samplers.choose", "choose");
      same_line_if_fits(button_width(choose));
      if (ImGui::Button(choose)) ImGui::OpenPopup("samplers_choice");
      if (ImGui::BeginPopup("samplers_choice")) {
        for (const SamplerInfo& info : sampler_table()) {
          bool on = std::find(chosen_.begin(), chosen_.end(), info.kind) != chosen_.end();
          if (ImGui::Checkbox(sampler_label(info.kind).append("##").append(info.cli_name).c_str(), &on)) {
            if (on)
              chosen_.push_back(info.kind);
            else if (chosen_.size() > 1)  // at least one sampler stays
              chosen_.erase(std::find(chosen_.begin(), chosen_.end(), info.kind));
            changed = true;
          }
        }
        ImGui::EndPopup();
      }
    }
    const char* views[] = {tr("samplers.view_grid"), tr("samplers.view_sde_ode"), tr("samplers.view_steps")};
    int v = sde_ode_ ? 1 : steps_view_ ? 2 : 0;
    // As wide as its longest view: "EDE frente a EDO" was cut to "EDE frente a ED▼" (lesson 09, Spanish).
    const float view_width = combo_width(views, 3, font * 8);
    same_line_if_fits(labeled_width(view_width, tr("common.view")));
    ImGui::SetNextItemWidth(view_width);
    if (ImGui::Combo(tr_id("common.view", "view"), &v, views, 3)) {
      sde_ode_ = v == 1;
      steps_view_ = v == 2;
      playing_ = sde_ode_;
      changed = true;
    }
    if (sde_ode_) {
      const char* play = playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play");
      same_line_if_fits(button_width(play));
      if (ImGui::Button(play)) playing_ = !playing_;
    }
    if (changed) recompute();
    if (job_.busy() && job_.value()) progress_note(tr("samplers.busy"), job_, font * 16);
  }

  // One small plot per sampler: samples over the faint data, titled with the sampler and its NFE, and under
  // it the sliced W₂ (and the endpoint error with the exact denoiser).
  void draw_side_by_side(float height) {
    const SamplersResult& r = *job_.value();
    const auto& runs = r.comparison.runs;
    const int count = static_cast<int>(runs.size());
    const ImGuiStyle& style = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float width = ImGui::GetContentRegionAvail().x;
    // The number of columns that gives the largest square data areas (the plot layer keeps 4.4 font sizes
    // across and 1.9 down for its margins); each cell has a line of title above its plot and two lines of
    // numbers below, so that rows stay aligned.
    const float font = ImGui::GetFontSize(), margin_x = 4.4f * font, margin_y = 1.9f * font;
    const auto area = [&](int c) {
      const int rows = (count + c - 1) / c;
      const float w = (width - style.ItemSpacing.x * (c - 1)) / c;
      // Per row: the title line, the plot, a spacing, two lines of numbers and the spacing after the cell
      // (counted as rows − 1 spacings, the caption box scrolled: 09 s13 in Spanish at 1280 × 720).
      const float h = (height - rows * (3 * line + 2 * style.ItemSpacing.y)) / rows;
      return std::min(w - margin_x, h - margin_y);
    };
    int columns = 1;
    for (int c = 2; c <= count; ++c)
      if (area(c) > area(columns)) columns = c;
    const float cell_w = (width - style.ItemSpacing.x * (columns - 1)) / columns;
    const float plot_h = std::max(line * 2, std::min(area(columns), cell_w - margin_x) + margin_y);
    const int n = static_cast<int>(r.data.size() / 2);
    for (int i = 0; i < count; ++i) {
      const SamplerCompareRun& run = runs[i];
      if (i % columns) ImGui::SameLine();
      ImGui::BeginGroup();
      // The label in the UI language, or the CLI name where the title would not fit on one line.
      char title[200];
      const auto make_title = [&](const std::string& name) {
        if (run.steps > 0)
          std::snprintf(title, sizeof title, tr("samplers.title"), name.c_str(), run.nfe);
        else
          std::snprintf(title, sizeof title, tr("samplers.title_no_fit"), name.c_str());
      };
      make_title(sampler_label(run.config.kind));
      if (ImGui::CalcTextSize(title).x > cell_w) make_title(run.name);
      const ImVec2 top = ImGui::GetCursorPos(), top_screen = ImGui::GetCursorScreenPos();
      // Clipped at the cell's edge, so that a long title never pushes the next cell aside.
      const ImVec4 clip(top_screen.x, top_screen.y, top_screen.x + cell_w, top_screen.y + line);
      ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), font, top_screen,
                                          ImGui::GetColorU32(ImGuiCol_Text), title, nullptr, 0, &clip);
      ImGui::Dummy(ImVec2(cell_w, line - style.ItemSpacing.y));
      ImGui::SetCursorPos(ImVec2(top.x, top.y + line));
      const std::string id = "##cell" + std::to_string(i);
      if (plot::begin_plot(id.c_str(), ImVec2(cell_w, plot_h),
                           plot::kPlotEqualAspect | plot::kPlotNoLegend | plot::kPlotNoTitle)) {
        plot::setup_axes(nullptr, nullptr, plot::kAxisNoTicks, plot::kAxisNoTicks);
        plot::setup_axis_limits(plot::Axis::X, bounds_[0], bounds_[1]);
        plot::setup_axis_limits(plot::Axis::Y, bounds_[2], bounds_[3]);
        plot::set_next_color(IM_COL32(150, 150, 150, 90));
        plot::set_next_size(2);
        plot::plot_scatter("##data", r.data.data(), r.data.data() + 1, n, 8);
        if (!run.samples.empty()) {
          plot::set_next_color(plot::palette_color(0));
          plot::set_next_size(2);
          plot::plot_scatter("##samples", run.samples.data(), run.samples.data() + 1,
                             static_cast<int>(run.samples.size() / 2), 8);
        }
        plot::end_plot();
      }
      ImGui::SetCursorPos(ImVec2(top.x, top.y + line + plot_h + style.ItemSpacing.y));
      char metrics[200];
      if (run.steps == 0)
        std::snprintf(metrics, sizeof metrics, "%s", tr("samplers.no_fit"));
      else if (std::isfinite(run.endpoint_rms))
        std::snprintf(metrics, sizeof metrics, tr("samplers.metrics_error"), run.swd, run.endpoint_rms);
      else if (r.oracle)
        std::snprintf(metrics, sizeof metrics, tr("samplers.metrics_stochastic"), run.swd);
      else
        std::snprintf(metrics, sizeof metrics, tr("samplers.metrics"), run.swd);
      const ImVec2 below = ImGui::GetCursorPos();
      ImGui::PushTextWrapPos(below.x + cell_w);
      ImGui::TextUnformatted(metrics);
      ImGui::PopTextWrapPos();
      ImGui::SetCursorPos(ImVec2(below.x, below.y + 2 * line));
      ImGui::Dummy(ImVec2(cell_w, 0));
      ImGui::EndGroup();
    }
    char text[900];
    std::snprintf(text, sizeof text, tr(r.oracle ? "samplers.caption_oracle" : "samplers.caption_trained"),
                  nfe_, r.floor);
    caption(text);
  }

  // The SDE (Euler–Maruyama) and the probability-flow ODE (Heun) from the same x_T, animated together: the
  // cloud at the same fraction of the way, and the paths of a few points up to there.
  void draw_sde_ode(float height) {
    const SamplersResult& r = *job_.value();
    const auto& runs = r.comparison.runs;
    if (playing_) frame_ = (frame_ + 1) % (kFramesPerRun + kFramesHold);
    const double fraction = std::min(1.0, double(frame_) / kFramesPerRun);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const int n = static_cast<int>(r.data.size() / 2);
    // Both titles in one row as tall as the taller, wrapped to their half: one wrapping onto a second line
    // (lesson 09 slide 14 in Spanish, at 1280 and 1920) set its plot lower than the other.
    char titles[2][200] = {"", ""};
    float title_height = 0;
    for (int i = 0; i < 2 && i < static_cast<int>(runs.size()); ++i) {
      std::snprintf(titles[i], sizeof titles[i], tr("samplers.title_steps"),
                    sampler_label(runs[i].config.kind).c_str(), runs[i].steps, runs[i].nfe);
      title_height = std::max(title_height, ImGui::CalcTextSize(titles[i], nullptr, false, half).y);
    }
    const float title_row = title_height + ImGui::GetStyle().ItemSpacing.y;
    for (int i = 0; i < 2 && i < static_cast<int>(runs.size()); ++i) {
      const SamplerCompareRun& run = runs[i];
      if (i) ImGui::SameLine();
      ImGui::BeginGroup();
      const ImVec2 top = ImGui::GetCursorPos();
      ImGui::PushTextWrapPos(top.x + half);
      ImGui::TextUnformatted(titles[i]);
      ImGui::PopTextWrapPos();
      ImGui::SetCursorPos(ImVec2(top.x, top.y + title_row));
      const std::string id = "##sdeode" + std::to_string(i);
      if (run.paths.empty()) {
        ImGui::TextUnformatted(tr("samplers.no_fit"));
      } else if (plot::begin_plot(id.c_str(), ImVec2(half, height - line - title_row),
                                  plot::kPlotEqualAspect | plot::kPlotNoLegend | plot::kPlotNoTitle)) {
        plot::setup_axis_limits(plot::Axis::X, bounds_[0] - 1, bounds_[1] + 1);  // x_T reaches past the data
        plot::setup_axis_limits(plot::Axis::Y, bounds_[2] - 1, bounds_[3] + 1);
        plot::set_next_color(IM_COL32(150, 150, 150, 70));
        plot::set_next_size(2);
        plot::plot_scatter("##data", r.data.data(), r.data.data() + 1, n, 8);
        const int last = static_cast<int>(std::lround(fraction * (run.paths.size() - 1)));
        const std::vector<float>& state = run.paths[last];
        plot::set_next_color(plot::palette_color(0));
        plot::set_next_size(2);
        plot::plot_scatter(tr_id("common.samples", "samples"), state.data(), state.data() + 1,
                           static_cast<int>(state.size() / 2), 8);
        std::vector<float> path;
        for (int p = 0; p < kPaths && p < n; ++p) {
          path.clear();
          for (int k = 0; k <= last; ++k)
            path.push_back(run.paths[k][2 * p]), path.push_back(run.paths[k][2 * p + 1]);
          plot::set_next_color(IM_COL32(230, 120, 60, 200));
          plot::set_next_size(1.2f);
          plot::plot_line(p == 0 ? tr_id("samplers.paths", "paths") : "##path", path.data(), path.data() + 1,
                          last + 1, 8);
        }
        plot::end_plot();
      }
      char metrics[200];
      std::snprintf(metrics, sizeof metrics, tr("samplers.metrics"), run.swd);
      ImGui::TextUnformatted(metrics);
      ImGui::EndGroup();
    }
    char text[900];
    std::snprintf(text, sizeof text, tr("samplers.caption_sde_ode"), r.between, r.floor);
    caption(text);
  }

  // The noise levels each sampler walks at the budget, σᵢ against i/N on a log axis, beside eq. 5 with ρ = 1
  // and ρ = 3 between the same σ_max and σ_min (Karras et al. 2022, §3: larger ρ crowds the steps at small
  // σ).
  void draw_steps(float height) {
    const SamplersResult& r = *job_.value();
    const std::string title = std::string(tr("samplers.title_steps_view")) + "###steps";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height))) {
      plot::setup_axes(tr("samplers.axis_step"), "σ", plot::kAxisNone, plot::kAxisLog);
      int karras_steps = 0;
      double sigma_min = 0, sigma_max = 0;
      int color = 0;
      for (const SamplerCompareRun& run : r.comparison.runs) {
        if (run.sigmas.size() < 2) continue;
        std::vector<double> xs, ys;  // σ = 0 (the last level) has no place on a log axis
        const int steps = static_cast<int>(run.sigmas.size()) - 1;
        for (int i = 0; i < steps; ++i) xs.push_back(double(i) / steps), ys.push_back(run.sigmas[i]);
        const std::string label = run.name + ", N = " + std::to_string(steps);
        plot::set_next_color(plot::palette_color(color));
        plot::plot_line(label.c_str(), xs.data(), ys.data(), steps);
        plot::set_next_color(plot::palette_color(color++));
        plot::set_next_size(5);
        plot::plot_scatter(("##" + label).c_str(), xs.data(), ys.data(), steps);
        if (sampler_info(run.config.kind).sigma_steps && steps > 1 && karras_steps == 0)
          karras_steps = steps, sigma_max = run.sigmas[0], sigma_min = run.sigmas[steps - 1];
      }
      for (double rho : {1.0, 3.0}) {
        if (karras_steps == 0) break;
        const std::vector<double> sigma = karras_sigmas(karras_steps, sigma_min, sigma_max, rho);
        std::vector<double> xs;
        for (int i = 0; i < karras_steps; ++i) xs.push_back(double(i) / karras_steps);
        char label[64];
        std::snprintf(label, sizeof label, tr("samplers.rho"), rho);
        plot::set_next_color(rho == 1 ? IM_COL32(150, 150, 150, 200) : IM_COL32(200, 200, 120, 200));
        plot::plot_line(label, xs.data(), sigma.data(), karras_steps);
      }
      plot::end_plot();
    }
    caption(tr("samplers.caption_steps"));
  }

  // The data's box with a margin, square: every cell shows the same region.
  void fit_bounds(const std::vector<float>& data) {
    float lo = -1, hi = 1;
    for (float v : data) lo = std::min(lo, v), hi = std::max(hi, v);
    const float margin = 0.15f * (hi - lo);
    bounds_[0] = bounds_[2] = lo - margin;
    bounds_[1] = bounds_[3] = hi + margin;
  }

  std::string dataset_, which_;
  double bounds_[4] = {-3.5, 3.5, -3.5, 3.5};
  bool sde_ode_ = false, steps_view_ = false, playing_ = false, autoplay_ = true;
  std::vector<SamplerKind> chosen_;
  int nfe_ = 20, n_ = 1000, frame_ = 0;
  Async<SamplersResult> job_;
};

}  // namespace

std::unique_ptr<LivePanel> make_samplers_panel(const PanelDirective& d) {
  return std::make_unique<SamplersPanel>(d);
}

}  // namespace difflab::lecture
