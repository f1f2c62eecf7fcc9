// panel_score.cpp — the score ∇ log pₜ = −ε/√(1−ᾱₜ): learned against exact as arrows, their error as a
// heat map, the value under the mouse, and annealed Langevin sampling (lesson 08). Not the math: views.h.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "sample/sampler.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

class ScorePanel final : public LivePanel {
 public:
  explicit ScorePanel(const PanelDirective& d)
      : dataset_(d.value("dataset")), which_(d.value("model")), view_(d.value("view")) {
    t_ = std::stoi(d.value("t"));                 // clamped to the schedule once the models are there
    loader_.start(dataset_, {which_, "oracle"});  // on the background worker, never the UI thread
  }

  void toggle_play() override { playing_ = !playing_; }
  bool playing() const override { return playing_; }
  void step_once() override {
    playing_ = false;
    if (langevin_ && !langevin_->done()) langevin_->step();
  }

  void draw() override {
    if (loader_.poll() && loader_.ready()) {
      // The models of the last load (the first one, or a model trained from scratch): keep the old ones
      // until these arrive, so the panel stays usable while a newer one loads.
      model_ = loader_.models()[0];
      exact_ = loader_.models()[1];
      t_ = std::clamp(t_, 0, model_->schedule.T() - 1);
      fields_t_ = -1;
      restart_langevin();
    }
    if (!model_) return loader_.status();  // the "loading …" bar, or why it failed
    controls();
    if (!loader_.busy() && !loader_.error().empty()) loader_.status();  // a failed reload says why
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (view_ == "langevin")
      draw_langevin(height);
    else
      draw_field(height);
  }

 private:
  void controls() {
    const float font = ImGui::GetFontSize();
    // The Langevin view walks its own levels (the caption says which t): no t slider there, it read 10 while
    // the caption said t = 99.
    if (view_ != "langevin") {
      ImGui::SetNextItemWidth(font * 9);
      ImGui::SliderInt("t", &t_, 0, model_->schedule.T() - 1);
    }
    const char* views[] = {"arrows", "error", "langevin"};
    const char* names[] = {tr("score.view_arrows"), tr("score.view_error"), tr("score.view_langevin")};
    int current = view_ == "error" ? 1 : view_ == "langevin" ? 2 : 0;
    if (view_ != "langevin") same_line_if_fits(labeled_width(font * 7, tr("common.view")));
    ImGui::SetNextItemWidth(font * 7);
    if (ImGui::Combo(tr_id("common.view", "view"), &current, names, 3)) view_ = views[current];
    if (which_ == "trained") {
      if (train_from_scratch_button(dataset_, &scratch_generation_))
        loader_.start(dataset_, {which_, "oracle"});
    }
    if (view_ == "langevin") {
      const char* play = playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play");
      same_line_if_fits(button_width(play));
      if (ImGui::Button(play)) playing_ = !playing_;
      same_line_if_fits(button_width(tr("common.restart")));
      if (ImGui::Button(tr_id("common.restart", "restart"))) restart_langevin();
    }
  }

  struct Fields {
    Field learned, exact;
    GridSpec error_grid;
    std::vector<float> error;  // error_grid.n × error_grid.n
  };

  // Fields change only with t; the exact denoiser of a point set is slow on a fine grid, so they are
  // computed in the background with models of their own.
  void compute_fields() {
    if (fields_t_ != t_) {
      const std::string dataset = dataset_, which = which_;
      const int t = t_;
      fields_.start([dataset, which, t] {
        auto model = load_panel_model(which, dataset);
        auto exact = load_panel_model("oracle", dataset);
        Fields f;
        // The whole plot (±3.5 tall, wider with the equal aspect), not only [−3, 3]²; the same 1/3 spacing.
        const GridSpec arrows{-6, 6, -6, 6, 37};
        f.learned = field_on_grid(model->model(), t, arrows);
        f.exact = field_on_grid(exact->model(), t, arrows);
        // The heat map reaches ±8: the equal aspect shows x beyond ±3.5 (±4.4 at 1920×1080, ±6.4 in a
        // 900×500 plot), and a ±3.5 map left blank bands at the sides. Spacing 0.125, about the old 7/63.
        f.error_grid = GridSpec{-8, 8, -8, 8, 129};
        f.error = score_error(field_on_grid(model->model(), t, f.error_grid),
                              field_on_grid(exact->model(), t, f.error_grid));
        return f;
      });
      fields_t_ = t_;
    }
    fields_.poll();
  }

  void draw_field(float height) {
    compute_fields();
    if (!fields_.value()) {
      if (!fields_.error().empty()) return error_note(fields_.error());
      return progress_note(tr("score.busy_fields"), fields_);
    }
    const Field& learned = fields_.value()->learned;
    const Field& exact_field = fields_.value()->exact;
    const std::vector<float>& error_map = fields_.value()->error;
    const GridSpec& error_grid = fields_.value()->error_grid;
    const NoiseSchedule& s = model_->schedule;
    // Arrows scaled so the longest is about one grid cell: scores grow like 1/√(1−ᾱₜ) at small t.
    // (the longest inside ±3.5, where the data are: the far corners of the ±6 grid would shrink every arrow)
    float longest = 0;
    const std::vector<float> grid_xy = exact_field.grid.points();
    for (size_t i = 0; i + 1 < grid_xy.size() && i + 1 < exact_field.score.size(); i += 2)
      if (std::abs(grid_xy[i]) <= 3.5f && std::abs(grid_xy[i + 1]) <= 3.5f)
        longest = std::max(longest, std::hypot(exact_field.score[i], exact_field.score[i + 1]));
    const float scale =
        longest > 0 && std::isfinite(longest) ? 0.3f / longest : arrow_scale(exact_field, 0.3f);
    const std::vector<Arrow> learned_arrows = score_arrows(learned, scale),
                             exact_arrows = score_arrows(exact_field, scale);
    double hover_x = 0, hover_y = 0;
    bool hovered = false;
    const std::string title =
        std::string(view_ == "error" ? tr("score.title_error") : tr("score.title_arrows")) + "###field";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      if (view_ == "error") {
        // The colour scale's top is the largest error the plot shows, not the far corners off screen.
        const plot::Range sx = plot::shown_x(), sy = plot::shown_y();
        float peak = 1e-6f;
        const int n = error_grid.n;
        for (int row = 0; row < n; ++row)
          for (int column = 0; column < n; ++column) {
            const double x = error_grid.x_at(column), y = error_grid.y_at(row);
            if (x >= sx.min && x <= sx.max && y >= sy.min && y <= sy.max)
              peak = std::max(peak, error_map[size_t(row) * n + column]);
          }
        const double hx = error_grid.x_step() / 2, hy = error_grid.y_step() / 2;
        plot::plot_heatmap("##error", error_map.data(), n, n, 0, peak,
                           {error_grid.x_min - hx, error_grid.x_max + hx},
                           {error_grid.y_min - hy, error_grid.y_max + hy}, plot::Colormap::Magma);
        // The data, small and light, so "is the error large near the data or far away?" can be answered.
        const std::vector<float>& data = data_points(dataset_, 1000, 0);
        plot::set_next_color(IM_COL32(120, 220, 255, 200));
        plot::set_next_size(2.0f);
        plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      } else {
        const std::vector<float>& data = data_points(dataset_, 1000, 0);
        plot::set_next_color(IM_COL32(150, 150, 150, 80));
        plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
        constexpr int kStride = sizeof(Arrow);
        // Exact wide and pale underneath, learned thin and orange on top: where they agree both show (the
        // learned arrows were drawn first and hidden under the exact ones).
        plot::set_next_color(IM_COL32(60, 200, 120, 140));
        plot::set_next_size(4.0f);
        plot::plot_arrows(tr_id("score.legend_exact", "exact"), &exact_arrows[0].x, &exact_arrows[0].y,
                          &exact_arrows[0].u, &exact_arrows[0].v, static_cast<int>(exact_arrows.size()), 1.0f,
                          kStride);
        plot::set_next_color(IM_COL32(255, 150, 40, 255));
        plot::set_next_size(1.5f);
        plot::plot_arrows(which_ == "oracle" ? tr_id("score.legend_model_exact", "learned")
                                             : tr_id("score.legend_learned", "learned"),
                          &learned_arrows[0].x, &learned_arrows[0].y, &learned_arrows[0].u,
                          &learned_arrows[0].v, static_cast<int>(learned_arrows.size()), 1.0f, kStride);
      }
      hovered = plot::plot_hovered();
      hover_x = plot::mouse_x();
      hover_y = plot::mouse_y();
      plot::end_plot();
    }
    char text[700];
    if (hovered) {
      const float p[2] = {static_cast<float>(hover_x), static_cast<float>(hover_y)};
      float eps[2], exact_eps[2];
      model_->model().predict_eps(p, 1, t_, eps);
      exact_->model().predict_eps(p, 1, t_, exact_eps);
      const double k = -1.0 / s.sqrt_one_minus_alpha_bar[t_];
      std::snprintf(text, sizeof text, tr("score.hover"), hover_x, hover_y, t_, eps[0], eps[1], k * eps[0],
                    k * eps[1], s.sqrt_one_minus_alpha_bar[t_], k * exact_eps[0], k * exact_eps[1]);
    } else {
      std::snprintf(text, sizeof text, tr("score.caption"), t_, s.sqrt_one_minus_alpha_bar[t_]);
    }
    caption(text);
  }

  void restart_langevin() {
    SamplerConfig c;
    c.kind = SamplerKind::Langevin;
    c.corrector_steps = 2;
    langevin_ = std::make_unique<Sampler>(model_->model(), c);
    langevin_->begin(standard_normal(2 * 500, 3), 4);
  }

  void draw_langevin(float height) {
    if (playing_ && langevin_ && !langevin_->done()) langevin_->step();
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const std::string title = std::string(tr("score.title_langevin")) + "###langevin";
    if (plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      const auto& x = langevin_->x();
      plot::plot_scatter(tr_id("score.particles", "particles"), x.data(), x.data() + 1,
                         static_cast<int>(x.size() / 2), 8);
      plot::end_plot();
    }
    char text[500];
    if (langevin_->done())  // no "t = −1" once the last level is passed
      std::snprintf(text, sizeof text, tr("score.langevin_done"),
                    static_cast<int>(langevin_->timesteps().size()), langevin_->network_evaluations());
    else
      std::snprintf(text, sizeof text, tr("score.langevin_caption"), langevin_->steps_done(),
                    static_cast<int>(langevin_->timesteps().size()), langevin_->current_t(),
                    langevin_->network_evaluations());
    caption(text);
  }

  std::string dataset_, which_, view_;
  ModelLoader loader_;
  std::shared_ptr<LoadedModel> model_, exact_;
  int t_ = 10, scratch_generation_ = 0;
  bool playing_ = false;
  int fields_t_ = -1;
  Async<Fields> fields_;
  std::unique_ptr<Sampler> langevin_;
};

}  // namespace

std::unique_ptr<LivePanel> make_score_panel(const PanelDirective& d) {
  return std::make_unique<ScorePanel>(d);
}

}  // namespace difflab::lecture
