// panel_ddim.cpp — the same x_T through DDPM (T steps) and DDIM (N steps, η): split view, overlaid
// trajectories, cost and quality, and deterministic inversion of a clicked point (lesson 07).
// Not a sampler: views.h runs them in the background.
#include <cstdio>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "sample/inversion.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

// The split view, the caption and the quality table sample the same draw (SharedDraw: 1000 points, one x_T
// and noise seed), so DDIM at the slider's N gives the same sliced W₂ in the caption as in the table's row
// (it read 0.103 against 0.140 when the two used 400 and 1000 points from different x_T).
constexpr int kTimingRepeats = 3;  // the quality table's times: the fastest of 3 runs (single runs were not
                                   // monotone); the other views sample once and show their picture sooner

// The split and overlay views' runs, with the data box the sampler clipped x̂₀ into (said in the caption).
struct DdimRuns {
  std::vector<SamplerRun> runs;
  DataBox box;
};

struct InversionResult {
  std::vector<float> clicked, encode, decode;
};

class DdimPanel final : public LivePanel {
 public:
  explicit DdimPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), which_(d.value("model")), view_(d.value("view")) {
    steps_ = std::stoi(d.value("steps"));
    eta_ = std::stof(d.value("eta"));
    if (view_ != "inversion") recompute();  // the inversion view needs no samples: clicks run at once
  }

  void draw() override {
    runs_.poll();
    quality_.poll();
    controls();
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    // Inversion draws the data and the clicked paths only: it does not wait for the comparison's 1100
    // network passes (lesson 07's inversion slide was empty for seconds), and its caption says what it shows.
    if (view_ == "inversion") {
      inversion(height);
      char text[400];
      std::snprintf(text, sizeof text, tr("ddim.caption_inversion"), steps_);  // the slider stops at T = 100
      return caption(text);
    }
    if (!runs_.value() && !runs_.busy() && runs_.error().empty()) recompute();  // first time off inversion
    if (!runs_.value()) {
      if (!runs_.error().empty()) return error_note(runs_.error());
      return progress_note(tr("ddim.busy_sampling"), runs_);
    }
    const auto& runs = runs_.value()->runs;
    if (view_ == "split")
      split(runs, height);
    else if (view_ == "overlay")
      overlay(runs, height);
    else
      quality(height);
    // In the quality view the caption reads the table's own rows when N is one of them, so its numbers (and
    // times) are the table's.
    const SamplerRun* ddpm = &runs[0];
    const SamplerRun* ddim = &runs[1];
    const std::vector<SamplerRun>* table = quality_.value() ? &*quality_.value()
                                           : quick_.value() ? &*quick_.value()
                                                            : nullptr;
    if (view_ == "quality" && table) {
      for (const SamplerRun& r : *table) {
        if (r.config.kind == SamplerKind::Ddpm) ddpm = &r;
        if (r.config.kind == SamplerKind::Ddim && r.config.steps == ddim->config.steps) ddim = &r;
      }
    }
    char text[700];
    std::snprintf(text, sizeof text, tr("ddim.caption"), ddpm->network_evaluations, ddpm->network_evaluations,
                  ddpm->milliseconds, ddpm->swd, steps_, eta_, ddim->network_evaluations, ddim->milliseconds,
                  ddim->swd);
    caption(std::string(text) + "  " + clip_caption(runs_.value()->box));
  }

 private:
  void recompute() {
    const std::string dataset = dataset_, which = which_;
    const int steps = steps_;
    const double eta = eta_;
    runs_.start([dataset, which, steps, eta] {
      auto model = load_panel_model(which, dataset);
      const SamplerConfig ddpm, ddim = panel_sampler(SamplerKind::Ddim, steps, model->schedule.T(), eta);
      DdimRuns r;
      r.runs =
          compare_on_shared_draw(model->model(), {ddpm, ddim}, dataset);  // one run: first picture 3× sooner
      r.box = model->model().data_box();
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(font * 7);
    bool changed = ImGui::SliderInt(tr_id("ddim.steps", "steps"), &steps_, 1, 100);
    same_line_if_fits(labeled_width(font * 6, "η"));
    ImGui::SetNextItemWidth(font * 6);
    changed |= ImGui::SliderFloat("η", &eta_, 0.0f, 1.0f, "%.2f");
    if (changed) {
      recompute();
      quick_ = Async<std::vector<SamplerRun>>{};
      quality_ = Async<std::vector<SamplerRun>>{};
    }
    const char* views[] = {"split", "overlay", "quality", "inversion"};
    int current = 0;
    for (int i = 0; i < 4; ++i)
      if (view_ == views[i]) current = i;
    const char* view_names[] = {tr("ddim.view_split"), tr("ddim.view_overlay"), tr("ddim.view_quality"),
                                tr("ddim.view_inversion")};
    const float view_width = combo_width(view_names, 4, font * 7);  // "superpuestas" whole
    same_line_if_fits(labeled_width(view_width, tr("common.view")));
    ImGui::SetNextItemWidth(view_width);
    if (ImGui::Combo(tr_id("common.view", "view"), &current, view_names, 4)) view_ = views[current];
    if (which_ == "trained") {
      if (train_from_scratch_button(dataset_, &scratch_generation_)) {
        recompute();
        quick_ = Async<std::vector<SamplerRun>>{};
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
      plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      plot::plot_scatter(tr_id("common.samples", "samples"), points.data(), points.data() + 1,
                         static_cast<int>(points.size() / 2), 8);
      plot::end_plot();
    }
  }

  void split(const std::vector<SamplerRun>& runs, float height) {
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    scatter((std::string(tr("ddim.title_ddpm")) + "###ddpm").c_str(), runs[0].samples, half, height);
    ImGui::SameLine();
    char title[128];
    std::snprintf(title, sizeof title, tr("ddim.title_ddim"), steps_, eta_);
    scatter((std::string(title) + "###ddim").c_str(), runs[1].samples, half, height);
  }

  void overlay(const std::vector<SamplerRun>& runs, float height) {
    const std::string title = std::string(tr("ddim.title_overlay")) + "###overlay";
    if (!plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect)) return;
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

  // Two passes: first the DDIM rows once each (187 network passes) with the DDPM row the split view has
  // already sampled on the same draw, so the plot and the table show within about a second; then the whole
  // table again with the fastest of kTimingRepeats runs for its times (DDPM's T = 1000 steps three times took
  // over 90 frames on a loaded machine, and the slide showed only a progress bar meanwhile).
  void quality(float height) {
    quick_.poll();
    if (!quick_.value() && !quick_.busy() && quick_.error().empty()) {
      const std::string dataset = dataset_, which = which_;
      const double eta = eta_;
      quick_.start([dataset, which, eta] {
        auto model = load_panel_model(which, dataset);
        return compare_on_shared_draw(model->model(), ddim_rows(model->schedule.T(), eta), dataset, 1);
      });
    }
    if (quick_.value() && !quality_.value() && !quality_.busy() && quality_.error().empty()) {
      const std::string dataset = dataset_, which = which_;
      const double eta = eta_;
      quality_.start([dataset, which, eta] {
        auto model = load_panel_model(which, dataset);
        std::vector<SamplerConfig> configs = ddim_rows(model->schedule.T(), eta);
        configs.push_back(SamplerConfig{});  // DDPM, all steps
        return compare_on_shared_draw(model->model(), configs, dataset, kTimingRepeats);
      });
    }
    std::vector<SamplerRun> first;
    if (!quality_.value()) {
      if (!quick_.value()) {
        if (!quick_.error().empty()) return error_note(quick_.error());
        return progress_note(tr("ddim.busy_quality"), quick_);
      }
      first = *quick_.value();
      first.push_back(runs_.value()->runs[0]);  // DDPM on the same x_T and noise: the same samples and W₂
    }
    const auto& runs = quality_.value() ? *quality_.value() : first;
    std::vector<float> nfe, swd;
    for (size_t i = 0; i + 1 < runs.size(); ++i)
      nfe.push_back(runs[i].network_evaluations), swd.push_back(runs[i].swd);
    const float ddpm_nfe = runs.back().network_evaluations, ddpm_swd = runs.back().swd;
    // The title names the y axis: a separate y label took a row of its own at 1280 × 720.
    const std::string title = std::string(tr("ddim.title_quality")) + "###quality";
    // While the times are refined a progress bar (full width: one line) sits under the table: its row is
    // reserved too, or the caption scrolled (lesson 07 s5, es 1920 × 1080).
    const float table_height = ImGui::GetFrameHeightWithSpacing() *
                               (static_cast<float>(runs.size()) + 1.5f + (quality_.value() ? 0.0f : 1.0f));
    if (plot::begin_plot(title.c_str(),
                         ImVec2(-1, std::max(height - table_height, ImGui::GetFontSize() * 9)))) {
      plot::setup_axes(tr("ddim.axis_nfe"), nullptr, plot::kAxisLog);
      // One legend entry for DDIM: the line and its markers share a colour, the markers carry no label.
      plot::set_next_color(plot::palette_color(0));
      plot::plot_line("DDIM", nfe.data(), swd.data(), static_cast<int>(nfe.size()));
      plot::set_next_color(plot::palette_color(0));
      plot::plot_scatter("##ddim_markers", nfe.data(), swd.data(), static_cast<int>(nfe.size()));
      plot::set_next_color(plot::palette_color(1));
      plot::set_next_size(8);
      plot::plot_scatter(tr_id("ddim.legend_ddpm", "ddpm"), &ddpm_nfe, &ddpm_swd, 1);
      plot::end_plot();
    }
    if (ImGui::BeginTable("costs", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
      for (const char* h :
           {tr("ddim.col_sampler"), tr("ddim.col_nfe"), tr("ddim.col_ms"), tr("ddim.col_swd")})
        ImGui::TableSetupColumn(h);
      ImGui::TableHeadersRow();
      for (const auto& r : runs) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text(
            "%s %s", r.name.c_str(),
            r.config.kind == SamplerKind::Ddim ? ("N = " + std::to_string(r.config.steps)).c_str() : "T");
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.network_evaluations);
        ImGui::TableNextColumn();
        ImGui::Text("%.1f", r.milliseconds);
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", r.swd);
      }
      ImGui::EndTable();
    }
    if (!quality_.value()) {
      if (!quality_.error().empty()) return error_note(quality_.error());
      progress_note(tr("ddim.busy_timing"), quality_, ImGui::GetContentRegionAvail().x);
    }
  }

  static std::vector<SamplerConfig> ddim_rows(int T, double eta) {
    std::vector<SamplerConfig> configs;
    for (int n : {2, 5, 10, 20, 50, 100}) configs.push_back(panel_sampler(SamplerKind::Ddim, n, T, eta));
    return configs;
  }

  void inversion(float height) {
    inversion_.poll();
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const std::string title = std::string(tr("ddim.title_inversion")) + "###inversion";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      if (plot::plot_hovered() && ImGui::IsMouseClicked(0) && !ImGui::GetIO().KeyShift)
        invert({static_cast<float>(plot::mouse_x()), static_cast<float>(plot::mouse_y())});
      if (inversion_.value() && !inversion_.value()->encode.empty()) {
        const InversionResult& r = *inversion_.value();
        plot::plot_line(tr_id("ddim.legend_encode", "encode"), r.encode.data(), r.encode.data() + 1,
                        static_cast<int>(r.encode.size() / 2), 8);
        plot::plot_line(tr_id("ddim.legend_decode", "decode"), r.decode.data(), r.decode.data() + 1,
                        static_cast<int>(r.decode.size() / 2), 8);
        plot::set_next_size(9);
        plot::plot_scatter(tr_id("ddim.legend_clicked", "clicked"), r.clicked.data(), r.clicked.data() + 1,
                           1);
        plot::set_next_size(9);
        plot::plot_scatter("x_T", &r.encode[r.encode.size() - 2], &r.encode[r.encode.size() - 1], 1);
        plot::set_next_size(9);
        plot::plot_scatter(tr_id("ddim.legend_decoded", "decoded"), &r.decode[r.decode.size() - 2],
                           &r.decode[r.decode.size() - 1], 1);
      }
      plot::end_plot();
    }
    // A failed inversion says why in the panel (it used to clear the paths and say nothing).
    if (!inversion_.error().empty())
      ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s: %s", tr("ddim.inversion_failed"),
                         inversion_.error().c_str());
    else if (inversion_.busy())
      progress_note(tr("ddim.busy_inversion"), inversion_);
  }

  // Loading the model and the 2 × N network passes run in the background, never on the UI thread.
  void invert(std::vector<float> clicked) {
    const std::string dataset = dataset_, which = which_;
    const int steps_wanted = steps_;
    inversion_.start([dataset, which, steps_wanted, clicked] {
      auto model = load_panel_model(which, dataset);
      const int steps = std::min(steps_wanted, model->schedule.T());
      const Inversion inv = ddim_invert(model->model(), clicked, steps, Spacing::Leading);
      InversionResult r;
      r.clicked = clicked;
      for (const auto& s : inv.trajectory) r.encode.insert(r.encode.end(), s.begin(), s.end());
      SamplerConfig c;
      c.kind = SamplerKind::Ddim;
      c.steps = steps;
      Sampler sampler(model->model(), c);
      sampler.begin(inv.x_T, 0);
      while (!sampler.done()) {
        sampler.step();
        BackgroundJob::check_cancelled();
      }
      for (const auto& s : sampler.trajectory()) r.decode.insert(r.decode.end(), s.begin(), s.end());
      return r;
    });
  }

  std::string dataset_, which_, view_;
  int steps_ = 10, scratch_generation_ = 0;
  float eta_ = 0;
  Async<DdimRuns> runs_;
  Async<std::vector<SamplerRun>> quick_, quality_;  // quality_: the same rows, times the fastest of 3
  Async<InversionResult> inversion_;
};

}  // namespace

std::unique_ptr<LivePanel> make_ddim_panel(const PanelDirective& d) {
  return std::make_unique<DdimPanel>(d);
}

}  // namespace difflab::lecture
