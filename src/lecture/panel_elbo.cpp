// panel_elbo.cpp — L_VLB against L_simple: per-step terms Lₜ for the model and the exact denoiser, the
// weights λₜ, L_T and L₀, totals in nats; three models trained with L_simple, L_vlb and hybrid (lesson 06).
// Not the bound itself: core/vlb.h computes it, views.h pairs the two models on the same draws.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "plot/scripted_text.h"
#include "train/live_trainer.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

class ElboPanel final : public LivePanel {
 public:
  explicit ElboPanel(const PanelDirective& d) : dataset_(d.value("dataset")), view_(d.value("view")) {
    parse_variance_kind(d.value("variance"), &variance_);
    recompute();
  }

  // Space or the button: the trainers exist from the first press on (Space may arrive before the train
  // view was ever drawn, e.g. with --play; the old code then showed "Pause" with nothing training).
  void toggle_play() override {
    ensure_trainers();
    const bool play = !any_training();
    for (auto& t : trainers_) play ? t->play() : t->pause();
  }
  bool playing() const override { return any_training(); }

  void draw() override {
    bounds_.poll();
    controls();
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (view_ == "train") return draw_training(height);
    if (!bounds_.value()) {
      if (!bounds_.error().empty()) return error_note(bounds_.error());
      // Wide enough for its text ("evaluating the bound for both models: 40 %, about 3 s left").
      const float width = std::min(ImGui::GetContentRegionAvail().x,
                                   ImGui::CalcTextSize(tr("elbo.busy_bound")).x + ImGui::GetFontSize() * 12);
      return progress_note(tr("elbo.busy_bound"), bounds_, width);
    }
    const BoundComparison& b = *bounds_.value();
    const int T = static_cast<int>(b.weights.size());
    std::vector<float> ts(T), model(T), exact(T), weights(T);
    double largest = 0;  // the largest |Lₜ| sets the linear width of the symmetric-log axis
    for (int t = 0; t < T; ++t) {
      ts[t] = t;
      model[t] = static_cast<float>(b.model.per_t[t]);
      exact[t] = static_cast<float>(b.exact.per_t[t]);
      weights[t] = static_cast<float>(b.weights[t]);
      for (double v : {b.model.per_t[t], b.exact.per_t[t]})
        if (std::isfinite(v)) largest = std::max(largest, std::abs(v));
    }
    // L₀ (t = 0) is a density and can be negative: a log axis cannot show it, a symmetric-log one can. Its
    // linear width is three decades under the largest |Lₜ|: smaller terms sit on the linear part near 0.
    const double width =
        std::isfinite(largest) && largest > 0 ? std::pow(10.0, std::floor(std::log10(largest)) - 3.0) : 1e-3;
    if (view_ == "weights") {
      const std::string title = std::string(tr("elbo.title_weights")) + "###weights";
      if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotNoLegend)) {
        plot::setup_axes("t", nullptr, plot::kAxisNone, plot::kAxisLog);
        plot::plot_line("λₜ", ts.data(), weights.data(), T);
        plot::end_plot();
      }
    } else if (plot::begin_plot(terms_title(width).c_str(), ImVec2(-1, height))) {
      plot::setup_axes("t", nullptr, plot::kAxisNone, plot::kAxisSymLog);
      plot::setup_symlog_width(plot::Axis::Y, width);
      // The zero line in the grid's grey (it was the first colour, light blue, and not in the legend); the
      // exact curve wide and pale underneath, the trained one thin on top, so both stay visible where equal.
      plot::set_next_color(IM_COL32(140, 140, 140, 110));
      plot::plot_hline("##zero", 0.0);
      plot::set_next_color(IM_COL32(60, 200, 120, 150));
      plot::set_next_size(6.0f);
      plot::plot_line(tr_id("sampling.exact", "exact"), ts.data(), exact.data(), T);
      plot::set_next_color(IM_COL32(255, 150, 40, 255));
      plot::set_next_size(2.0f);
      plot::plot_line(tr_id("sampling.trained", "trained"), ts.data(), model.data(), T);
      plot::end_plot();
    }
    char text[800];
    const std::string model_sum = signed_sum({b.model.prior, b.model.diffusion, b.model.decoder}, 3);
    const std::string exact_sum = signed_sum({b.exact.prior, b.exact.diffusion, b.exact.decoder}, 3);
    std::snprintf(text, sizeof text, tr("elbo.caption"),
                  plot::scripted_escape(variance_kind_name(variance_)).c_str(), model_sum.c_str(),
                  b.model.total, exact_sum.c_str(), b.exact.total, b.model.l_simple, b.exact.l_simple);
    caption(text);
  }

 private:
  void recompute() {
    const std::string dataset = dataset_;
    const VarianceKind variance = variance_;
    bounds_.start([dataset, variance] {
      auto model = load_panel_model("trained", dataset);
      auto exact = load_panel_model("oracle", dataset);
      // One network pass per t for each model (evaluate_vlb): 2T passes in all, each reported as a fraction
      // for the bar with its ETA (and a chance to stop when the panel closes).
      const int T = model->schedule.T();
      ProgressDenoiser counted_model(model->model(), 0, 2 * T, job_progress);
      ProgressDenoiser counted_exact(exact->model(), T, 2 * T, job_progress);
      return compare_bounds(counted_model, counted_exact, variance, data_points(dataset, 500, 99), 3);
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    const char* variances[] = {"fixed_small", "fixed_large"};
    int v = variance_ == VarianceKind::FixedLarge ? 1 : 0;
    ImGui::SetNextItemWidth(font * 7);
    if (ImGui::Combo(tr_id("elbo.variance", "variance"), &v, variances, 2)) {
      variance_ = v == 1 ? VarianceKind::FixedLarge : VarianceKind::FixedSmall;
      recompute();
    }
    const char* views[] = {"terms", "weights", "train"};
    const char* names[] = {tr("elbo.view_terms"), tr("elbo.view_weights"), tr("elbo.view_train")};
    int current = view_ == "weights" ? 1 : view_ == "train" ? 2 : 0;
    same_line_if_fits(labeled_width(font * 7, tr("common.view")));
    ImGui::SetNextItemWidth(font * 7);
    if (ImGui::Combo(tr_id("common.view", "view"), &current, names, 3)) view_ = views[current];
    if (train_from_scratch_button(dataset_, &scratch_generation_)) recompute();
    if (view_ == "train") {
      same_line_if_fits(button_width(tr("elbo.train_all")));
      if (ImGui::Button(any_training() ? tr_id("common.pause", "train3") : tr_id("elbo.train_all", "train3")))
        toggle_play();
    }
  }

  static std::string terms_title(double width) {
    char text[200];
    std::snprintf(text, sizeof text, tr("elbo.terms_title"), width);
    return std::string(text) + "##terms";
  }

  bool any_training() const {
    for (const auto& t : trainers_)
      if (t->playing()) return true;
    return false;
  }

  void ensure_trainers() {
    if (trainers_.empty()) {
      for (LossKind loss : {LossKind::Simple, LossKind::Vlb, LossKind::Hybrid}) {
        TrainConfig c;
        c.dataset = dataset_;
        c.loss = loss;
        c.steps = 4000;
        c.eval_every = 100;  // a 2-D sampling run: cheap, and a first point within seconds
        trainers_.push_back(std::make_unique<LiveTrainer>(c));
      }
    }
  }

  void draw_training(float height) {
    ensure_trainers();
    const float third = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
    const char* names[] = {"L_{simple}", "L_{vlb}", "L_{hybrid}"};  // λ = 0.001: said on the slide
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    std::vector<std::shared_ptr<const TrainSnapshot>> snaps;
    for (auto& t : trainers_) snaps.push_back(t->snapshot());
    // The square scatters are as wide as a third allows; a taller box only pads them. At 1280 × 720 the
    // fixed 55 % left the W₂ curves 45 px high under a two-line title: they get the rest.
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float scatter_height = std::min(height * 0.45f, third + line);
    for (int i = 0; i < 3; ++i) {
      if (i) ImGui::SameLine();
      char title[160];
      // The step the shown samples were drawn at (they are redrawn every few hundred ms), not the trainer's
      // newer step count: the title must name the model the plot shows.
      std::snprintf(title, sizeof title, tr("elbo.title_step"), names[i], snaps[i]->samples_step);
      std::strcat(title, i == 0 ? "###simple" : i == 1 ? "###vlb" : "###hybrid");
      if (plot::begin_plot(title, ImVec2(third, scatter_height),
                           plot::kPlotEqualAspect | plot::kPlotNoLegend)) {
        plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
        plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
        plot::set_next_color(IM_COL32(150, 150, 150, 80));
        plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
        const auto& s = snaps[i]->samples_xy;
        plot::set_next_size(3.5f);  // the default 3 px dots were faint at 1920 × 1080
        plot::plot_scatter(tr_id("common.samples", "samples"), s.data(), s.data() + 1,
                           static_cast<int>(s.size() / 2), 8);
        plot::end_plot();
      }
    }
    const std::string quality_title = std::string(tr("elbo.title_quality")) + "###quality";
    // Refitted every frame: fitted once, the axes kept the first points' range (steps 10…42 after 1600
    // steps of training, lesson 06) and the curves ran off the plot.
    if (plot::begin_plot(quality_title.c_str(),
                         ImVec2(-1, height - scatter_height - ImGui::GetStyle().ItemSpacing.y),
                         plot::kPlotAutoFit)) {
      plot::setup_axes(tr("axis.step"), nullptr, plot::kAxisNone, plot::kAxisLog);
      for (int i = 0; i < 3; ++i) {
        std::vector<float> steps(snaps[i]->swd_history_step.begin(), snaps[i]->swd_history_step.end());
        plot::plot_line(names[i], steps.data(), snaps[i]->swd_history.data(), static_cast<int>(steps.size()));
      }
      plot::end_plot();
    }
    caption(tr("elbo.train_caption"));
  }

  std::string dataset_, view_;
  VarianceKind variance_ = VarianceKind::FixedSmall;
  Async<BoundComparison> bounds_;
  std::vector<std::unique_ptr<LiveTrainer>> trainers_;
  int scratch_generation_ = 0;
};

}  // namespace

std::unique_ptr<LivePanel> make_elbo_panel(const PanelDirective& d) {
  return std::make_unique<ElboPanel>(d);
}

}  // namespace difflab::lecture
