// panel_train.cpp — the "train" panel: an MLP denoiser trained live on a 2-D data set (LiveTrainer), its
// samples scattered over the data, the loss curve and steps/s. Not training: the worker thread in src/train
// does that.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/toy2d.h"
#include "gl/readback.h"
#include "lessons/panel_spec.h"
#include "lessons/ui_text.h"
#include "plot/layout.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "train/live_backend.h"
#include "train/live_trainer.h"
#include "ui/panel_train_logic.h"
#include "ui/panels.h"

namespace difflab::ui {
namespace {
// The samples plot shows [−2.8, 2.8]² (at least: equal aspect widens one axis). At ±2.5 a tall plot
// (1920 × 1080, lesson 04 s7/s8) ended at the moons' tips (x ≈ ±2.4) and cut the samples just past them.
constexpr double kSamplesHalfWidth = 2.8;

double number_param(const PanelDirective& d, const char* name, double fallback) {
  const std::string v = d.value(name);
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  return (v.empty() || *end != '\0' || !std::isfinite(x)) ? fallback : x;
}

class TrainPanel : public Panel {
 public:
  explicit TrainPanel(const PanelDirective& d) {
    const std::vector<std::string>& names = dataset_preset_names();
    const auto it = std::find(names.begin(), names.end(), d.value("dataset"));
    dataset_index_ = it == names.end() ? 0 : int(it - names.begin());
    width_ = int(number_param(d, "width", 128));
    depth_ = int(number_param(d, "depth", 3));
    lr_ = float(number_param(d, "lr", 2e-3));
    batch_ = int(number_param(d, "batch", 256));
    T_ = int(number_param(d, "T", 100));
    schedule_ = d.value("schedule");
    view_ = d.value("view");
    parse_loss_kind(d.value("loss"), &loss_);
    parse_prediction(d.value("prediction"), &prediction_);
    drawing_ = d.value("draw") == "true";
    restart();
    if (d.value("autoplay") == "true") trainer_->play();
    if (view_ == "minibatch") trainer_->step_once();  // so the slide opens with a minibatch to look at
  }

  bool playing() const override { return trainer_ && trainer_->playing(); }

  void draw(const PanelInput& input) override {
    if (input.toggle_play) toggle_training();
    if (input.step) trainer_->step_once();
    const std::shared_ptr<const TrainSnapshot> snap = trainer_->snapshot();  // never waits on a step

    if (!input.presenter || ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) draw_controls();
    // No "loss nan" (or a stale 0) before the first step: a dash until there is a loss.
    // Steps/s only while training: paused, the rate of the last slice (one step after S: "100 steps/s")
    // described nothing that was happening (lesson 04).
    if (snap->step > 0 && std::isfinite(snap->loss) && trainer_->playing())
      ImGui::Text(tr("train.status"), snap->step, snap->loss, snap->steps_per_s, tr("train.training"));
    else if (snap->step > 0 && std::isfinite(snap->loss))
      ImGui::Text(tr("train.status_paused"), snap->step, snap->loss, tr("train.paused"));
    else
      ImGui::Text(tr("train.status_idle"), trainer_->playing() ? tr("train.training") : tr("train.paused"));
    if (snap->diverged && !snap->status.empty())  // in the UI language (train/ui_message.h)
      ImGui::TextColored(ImVec4(1, 0.5f, 0.3f, 1), "%s",
                         format_message(snap->status, [](const char* key) { return tr(key); }).c_str());
    if (!data_error_.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", data_error_.c_str());
    if (need_points_) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.3f, 1));
      ImGui::TextWrapped("%s", tr("train.draw_first"));
      ImGui::PopStyleColor();
    }
    if (drawing_) draw_tools();

    const float avail = ImGui::GetContentRegionAvail().x;
    const float height = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y, 200.0f);
    const bool side_by_side = avail > height * 1.3f;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 plot_size = side_by_side ? ImVec2((avail - ImGui::GetStyle().ItemSpacing.x) * 0.5f, height)
                                          : ImVec2(avail, height * 0.62f - spacing);
    const ImVec2 loss_size = side_by_side ? plot_size : ImVec2(avail, height * 0.38f - spacing);
    const float caption_height = ImGui::GetTextLineHeightWithSpacing() * 3;
    if (view_ == "minibatch") {
      draw_minibatch(*snap, ImVec2(avail, height - caption_height));
    } else if (view_ == "loss_by_t") {
      draw_loss_by_t(*snap, ImVec2(avail, height - caption_height));
    } else if (view_ == "quality") {
      draw_quality(*snap, ImVec2((avail - ImGui::GetStyle().ItemSpacing.x) * 0.5f, height - caption_height));
    } else {
      draw_samples(*snap, plot_size);
      if (side_by_side) ImGui::SameLine();
      draw_loss(*snap, loss_size);
    }
    last_ = snap;
  }

  void draw_samples(const TrainSnapshot& snap, ImVec2 size) {
    const std::string title =
        std::string(drawing_ ? tr("train.title_draw") : tr("train.title_samples")) + "###samples";
    if (plot::begin_plot(title.c_str(), size,
                         plot::kPlotEqualAspect | (drawing_ ? plot::kPlotNoInputs : 0))) {
      plot::setup_axes("x₁", "x₂");
      plot::setup_axis_limits(plot::Axis::X, -kSamplesHalfWidth, kSamplesHalfWidth);
      plot::setup_axis_limits(plot::Axis::Y, -kSamplesHalfWidth, kSamplesHalfWidth);
      const PointSet& shown = drawing_ ? drawn_ : data_;
      // An empty canvas invites drawing instead of the generic "no data yet".
      if (drawing_ && shown.size() == 0) plot::plot_text(tr("train.draw_here"), 0.0, 0.0);
      plot::set_next_color(IM_COL32(150, 150, 150, 160));
      plot::plot_scatter(tr_id("train.legend_data", "data"), shown.xy.data(), shown.xy.data() + 1,
                         shown.size(), 2 * sizeof(float));
      plot::set_next_size(3.5f);
      // On the drawing slide, samples only once the model was trained on a drawing (not the initial moons).
      if (!drawing_ || trained_generation_ >= 0) {
        // An untrained network's samples land far off the plot (x̂₀ is not clipped to the data box in the
        // preview): the legend says how many, instead of an unexplained empty plot.
        const int n = int(snap.samples_xy.size() / 2);
        const int outside = points_outside(snap.samples_xy.data(), n, kSamplesHalfWidth);
        // The samples are redrawn every few hundred ms, not every step: the legend names their step, so
        // that they never pass for the model at the step counter's value (lessons 00 and 01).
        char label[160];
        if (outside > 0)
          std::snprintf(label, sizeof label, tr("train.legend_samples_outside"), outside, n,
                        snap.samples_step);
        else
          std::snprintf(label, sizeof label, tr("train.legend_samples"), snap.samples_step);
        plot::plot_scatter((std::string(label) + "###samples").c_str(), snap.samples_xy.data(),
                           snap.samples_xy.data() + 1, n, 2 * sizeof(float));
      }
      if (drawing_ && plot::plot_hovered()) paint(plot::mouse_x(), plot::mouse_y());
      plot::end_plot();
    }
  }

  void draw_loss(const TrainSnapshot& snap, ImVec2 size) {
    // L_simple is the ε objective; trained to predict x₀ or v the curve is that target's squared error
    // (lesson 04's v slide showed "L_simple" at 1.2 beside slide 2's 0.3).
    const char* simple = prediction_ == Prediction::V    ? "‖v − v̂‖²"
                         : prediction_ == Prediction::X0 ? "‖x₀ − x̂₀‖²"
                                                         : "L_{simple}";
    const std::string title = std::string(loss_ == LossKind::Simple ? simple : tr("train.loss")) + "###loss";
    if (plot::begin_plot(title.c_str(), size, plot::kPlotAutoFit | plot::kPlotNoLegend)) {
      plot::setup_axes(tr("axis.step"), nullptr, plot::kAxisNone, plot::kAxisLog);
      if (!snap.loss_history.empty()) {
        const double x0 = snap.loss_history_step.empty() ? 0 : snap.loss_history_step.front();
        plot::plot_line_y("loss", snap.loss_history.data(), int(snap.loss_history.size()), x0,
                          trainer_->config().log_every);
      }
      plot::end_plot();
    }
  }

  // Algorithm 1 in slow motion: one minibatch's x₀, the xₜ made from it, and at each xₜ the true ε
  // beside the network's ε̂ (arrows, a third of their length).
  void draw_minibatch(const TrainSnapshot& snap, ImVec2 size) {
    const Minibatch& m = snap.minibatch;
    const int n = std::min<int>(48, int(m.t.size()));
    const std::string title = std::string(tr("train.title_minibatch")) + "###minibatch";
    if (plot::begin_plot(title.c_str(), size, plot::kPlotEqualAspect)) {
      plot::setup_axis_limits(plot::Axis::X, -3, 3);
      plot::setup_axis_limits(plot::Axis::Y, -3, 3);
      plot::set_next_color(IM_COL32(150, 150, 150, 60));
      plot::plot_scatter(tr_id("train.legend_data", "data"), data_.xy.data(), data_.xy.data() + 1,
                         data_.size(), 2 * sizeof(float));
      if (n > 0) {
        plot::set_next_size(5);
        plot::plot_scatter("x₀", m.x0.data(), m.x0.data() + 1, n, 2 * sizeof(float));
        plot::set_next_size(5);
        plot::plot_scatter("xₜ", m.xt.data(), m.xt.data() + 1, n, 2 * sizeof(float));
        plot::plot_arrows(tr_id("train.legend_eps", "eps"), m.xt.data(), m.xt.data() + 1, m.eps.data(),
                          m.eps.data() + 1, n, 0.33f, 2 * sizeof(float));
        plot::plot_arrows("ε̂ = ε_θ(xₜ, t)###epshat", m.xt.data(), m.xt.data() + 1, m.eps_hat.data(),
                          m.eps_hat.data() + 1, n, 0.33f, 2 * sizeof(float));
      }
      plot::end_plot();
    }
    plot::scripted_text_item(tr("train.minibatch_caption"), 0);  // ε_θ(xₜ, t) with a lowered θ
  }

  // Mean ‖ε − ε̂‖²/2 per bucket of t, one row every 100 steps: small t stays hard, large t is learned first.
  void draw_loss_by_t(const TrainSnapshot& snap, ImVec2 size) {
    const auto& rows = snap.loss_by_t_history;
    const int buckets = rows.empty() ? 0 : int(rows.front().size());
    const std::string title = std::string(tr("train.title_loss_by_t")) + "###loss_by_t";
    if (plot::begin_plot(title.c_str(), size, plot::kPlotNoLegend)) {
      plot::setup_axes(tr("train.axis_t"), tr("train.axis_training_step"));
      if (!rows.empty() && buckets > 0) {
        std::vector<float> grid;
        float peak = 1e-6f;
        for (auto it = rows.rbegin(); it != rows.rend(); ++it)  // newest at the top
          for (float v : *it) grid.push_back(v), peak = std::max(peak, v);
        const int T = trainer_->config().schedule.T;
        // Row k covers the 100 steps that ended at its step.
        const double first = snap.loss_by_t_history_step.front() - 100.0,
                     last = snap.loss_by_t_history_step.back();
        plot::setup_axis_limits(plot::Axis::X, 0, T, plot::Cond::Always);
        plot::setup_axis_limits(plot::Axis::Y, first, last, plot::Cond::Always);
        plot::plot_heatmap("loss", grid.data(), int(rows.size()), buckets, 0, peak, {0, double(T)},
                           {first, last}, plot::Colormap::Viridis);
      } else {
        // Before step 100 there is no row yet: say when the first one comes instead of an empty 0…1 plot.
        const int T = trainer_->config().schedule.T;
        plot::setup_axis_limits(plot::Axis::X, 0, T, plot::Cond::Always);
        plot::setup_axis_limits(plot::Axis::Y, 0, 100, plot::Cond::Always);
        plot::plot_text(tr("train.loss_by_t_first_row"), 0.5 * T, 50.0);
      }
      plot::end_plot();
    }
    ImGui::TextWrapped("%s", tr("train.loss_by_t_caption"));
  }

  // The loss flattens early while the samples keep improving: sliced W₂ to held-out data, with its floor.
  void draw_quality(const TrainSnapshot& snap, ImVec2 size) {
    draw_loss(snap, size);
    ImGui::SameLine();
    // The curve's name is the title ("sliced W₂ …"); a y label beside it collided ("sliced W₂sample
    // quality").
    const std::string title = std::string(tr("train.title_quality")) + "###quality";
    if (plot::begin_plot(title.c_str(), size, plot::kPlotAutoFit)) {
      plot::setup_axes(tr("axis.step"), nullptr, plot::kAxisNone, plot::kAxisLog);
      std::vector<float> steps(snap.swd_history_step.begin(), snap.swd_history_step.end());
      // The loss plot's steps, side by side: a lone first point (step 25) had a range of 24.5 … 25.5.
      if (!snap.loss_history_step.empty()) {
        // Padded 5 % each side as the loss plot's fit pads its data (plot.cpp), so that both x axes line
        // up (1920 × 1080: 0…250 beside ~12…245).
        const plot::StepRange r =
            plot::padded_step_range(snap.loss_history_step.front(), snap.loss_history_step.back(),
                                    steps.empty() ? 0.0 : steps.back());
        plot::setup_axis_limits(plot::Axis::X, r.lo, r.hi, plot::Cond::Always);
      }
      // Before the first quality point the floor alone set the range and was drawn along the top edge
      // (lesson 04): it sits low from the start, with room above for the model's curve.
      if (snap.swd_floor > 0) {
        const float top = snap.swd_history.empty()
                              ? 0.0f
                              : *std::max_element(snap.swd_history.begin(), snap.swd_history.end());
        plot::setup_axis_limits(plot::Axis::Y, snap.swd_floor * 0.7,
                                std::max<double>(top, snap.swd_floor * 4) * 1.3, plot::Cond::Always);
      }
      // Marks and line scale with the font: at 1920 × 1080 the default 3 px dots and 2 px line were faint.
      const float font = ImGui::GetFontSize();
      plot::set_next_size(std::max(2.5f, font * 0.15f));
      plot::plot_line(tr_id("train.legend_model", "model"), steps.data(), snap.swd_history.data(),
                      int(steps.size()));
      if (snap.swd_floor > 0) plot::plot_hline(tr_id("train.legend_floor", "floor"), snap.swd_floor);
      // Each evaluation as a dot too (after the floor, which keeps its colour): the first one (step 25,
      // live_eval_points) is a lone point a line cannot draw.
      plot::set_next_color(plot::palette_color(0));
      plot::set_next_size(std::max(5.0f, font * 0.42f));
      plot::plot_scatter("##model_points", steps.data(), snap.swd_history.data(), int(steps.size()));
      plot::end_plot();
    }
    ImGui::TextWrapped("%s", tr("train.quality_caption"));
  }

  // Adds points along the mouse while the left button is held; erases near the mouse with the right one.
  void paint(double x, double y) {
    if (ImGui::IsMouseDown(0) || ImGui::IsMouseDown(1)) ++drawn_generation_, need_points_ = false;
    if (ImGui::IsMouseDown(0)) {
      const float jitter = 0.04f;
      for (int k = 0; k < 3; ++k) {
        drawn_.xy.push_back(float(x + jitter * (rng_.uniform() - 0.5)));
        drawn_.xy.push_back(float(y + jitter * (rng_.uniform() - 0.5)));
        drawn_.labels.push_back(0);
      }
    } else if (ImGui::IsMouseDown(1)) {
      PointSet kept;
      for (int i = 0; i < drawn_.size(); ++i)
        if (std::hypot(drawn_.xy[2 * i] - x, drawn_.xy[2 * i + 1] - y) > 0.15) {
          kept.xy.push_back(drawn_.xy[2 * i]), kept.xy.push_back(drawn_.xy[2 * i + 1]);
          kept.labels.push_back(0);
        }
      drawn_ = std::move(kept);
    }
  }

  void draw_tools() {
    ImGui::Text(tr("train.points_drawn"), drawn_.size());
    ImGui::SameLine();
    if (ImGui::Button(tr_id("train.clear", "clear"))) {
      drawn_ = PointSet{};
      ++drawn_generation_;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr_id("train.train_on_points", "train_points"))) {
      if (trainer_->playing()) trainer_->pause();
      toggle_training();
    }
  }

  // Space, the Play button and "Train on my points": on the drawing slide training always uses the drawn
  // points (it trained on moons before), restarting when they changed since the last start; with no points
  // yet it says so instead of training anything.
  void toggle_training() {
    switch (train_toggle_action(trainer_->playing(), drawing_, drawn_.size(), drawn_generation_,
                                trained_generation_)) {
      case TrainAction::Pause:
        trainer_->pause();
        return;
      case TrainAction::AskForPoints:
        need_points_ = true;  // said at draw time, in the current language
        return;
      case TrainAction::RestartOnDrawingThenPlay:
        restart();
        trained_generation_ = drawn_generation_;
        [[fallthrough]];
      case TrainAction::Play:
        trainer_->play();
    }
  }

  bool export_csv(const std::string& path, std::string* error) override {
    if (!last_ || last_->loss_history.empty()) {
      *error = tr("train.no_loss");
      return false;
    }
    std::string csv = "step,loss\n";
    char line[64];
    for (size_t i = 0; i < last_->loss_history.size(); ++i) {
      const int step = i < last_->loss_history_step.size() ? last_->loss_history_step[i] : int(i);
      std::snprintf(line, sizeof line, "%d,%.8g\n", step, double(last_->loss_history[i]));
      csv += line;
    }
    *error = gl::write_file_atomically(path, csv);
    return error->empty();
  }

  std::string status() const override {
    if (!last_) return "";
    char buffer[96];
    if (trainer_->playing())
      std::snprintf(buffer, sizeof buffer, tr("train.status_line"), last_->step, last_->steps_per_s);
    else
      std::snprintf(buffer, sizeof buffer, tr("train.status_line_paused"), last_->step);
    return buffer;
  }

 private:
  TrainConfig config() const {
    TrainConfig c;
    c.dataset = dataset_preset_names()[dataset_index_];
    c.model.width = width_;
    c.model.depth = depth_;
    c.optimizer.lr = lr_;
    c.batch = batch_;
    c.steps = 0;                 // live: no limit
    c.backend = live_backend();  // the View menu's choice, for runs started from now on
    c.loss = loss_;
    c.prediction = prediction_;
    c.eval_every = view_ == "quality" ? 250 : 0;  // sliced W₂ costs a full sampling run
    if (drawing_ && drawn_.size() > 0) c.custom_points = drawn_;
    ScheduleKind kind = ScheduleKind::Linear;
    if (!schedule_.empty() && parse_schedule_kind(schedule_, &kind)) c.schedule.kind = kind;
    if (T_ >= 2 && T_ != c.schedule.T) {
      // DDPM's linear 1e-4 … 0.02 at T = 1000, scaled by 1000/T (panel_spec "T" help).
      c.schedule.beta_start = 1e-4 * 1000.0 / T_;
      c.schedule.beta_end = std::min(0.02 * 1000.0 / T_, 0.999);
      c.schedule.T = T_;
    }
    return c;
  }

  void restart() {
    const TrainConfig c = config();
    try {
      data_ = c.custom_points.size() > 0 ? c.custom_points : Dataset2D::load(c.dataset).sample(2000, 7);
      data_error_.clear();
    } catch (const std::exception& e) {
      data_ = PointSet{};
      data_error_ = e.what();
    }
    if (trainer_) {
      trainer_->reset(c);
    } else {
      trainer_ = std::make_unique<LiveTrainer>(c);
    }
    last_.reset();
  }

  // The next control on this line when it fits, else on the next one (no "Tr…" clipped at 1280 × 720).
  static void same_line_if_fits(float next_width) {
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
  }
  static float labeled(float widget, const char* label) {
    return widget + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
  }
  static float button(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
  }

  void draw_controls() {
    const std::vector<std::string>& names = dataset_preset_names();
    const float font = ImGui::GetFontSize();
    bool changed = false;
    if (!drawing_) {  // the drawing slide trains on the drawing: no data set to pick
      // As wide as the chosen data set's name: "rollo suizo (swiss roll)" was cut in 8 em.
      const std::string chosen = dataset_label(names[dataset_index_]);
      ImGui::SetNextItemWidth(std::max(font * 8, ImGui::CalcTextSize(chosen.c_str()).x +
                                                     ImGui::GetFrameHeight() +
                                                     2 * ImGui::GetStyle().FramePadding.x));
      if (ImGui::BeginCombo(tr_id("train.dataset", "dataset"), chosen.c_str())) {
        for (int i = 0; i < int(names.size()); ++i)
          if (ImGui::Selectable((dataset_label(names[i]) + "##" + names[i]).c_str(), i == dataset_index_)) {
            changed |= i != dataset_index_;
            dataset_index_ = i;
          }
        ImGui::EndCombo();
      }
      same_line_if_fits(labeled(font * 5, tr("train.width")));
    }
    ImGui::SetNextItemWidth(font * 5);
    ImGui::SliderInt(tr_id("train.width", "width"), &width_, 16, 512);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    same_line_if_fits(labeled(font * 4, tr("train.depth")));
    ImGui::SetNextItemWidth(font * 4);
    ImGui::SliderInt(tr_id("train.depth", "depth"), &depth_, 1, 8);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    same_line_if_fits(labeled(font * 5, tr("train.lr")));
    ImGui::SetNextItemWidth(font * 5);
    if (ImGui::SliderFloat(tr_id("train.lr", "lr"), &lr_, 1e-5f, 1e-1f, "%.1e", ImGuiSliderFlags_Logarithmic))
      trainer_->set_learning_rate(lr_);

    const char* play =
        trainer_->playing() ? tr_id("train.pause_space", "play") : tr_id("train.play_space", "play");
    if (ImGui::Button(play)) toggle_training();
    same_line_if_fits(button(tr("train.step_s")));
    if (ImGui::Button(tr_id("train.step_s", "step"))) trainer_->step_once();
    same_line_if_fits(button(tr("common.reset")));
    if (ImGui::Button(tr_id("common.reset", "reset"))) changed = true;
    if (changed) {
      const bool was_playing = trainer_->playing();
      restart();
      if (was_playing) trainer_->play();
    }
  }

  int dataset_index_ = 0, width_ = 128, depth_ = 3, batch_ = 256, T_ = 100;
  float lr_ = 2e-3f;
  std::string schedule_, view_, data_error_;
  LossKind loss_ = LossKind::Simple;
  Prediction prediction_ = Prediction::Eps;
  bool drawing_ = false;
  PointSet drawn_;
  int drawn_generation_ = 0, trained_generation_ = -1;
  bool need_points_ = false;  // which drawing the trainer was last started on
  Rng rng_{5};
  PointSet data_;
  std::unique_ptr<LiveTrainer> trainer_;
  std::shared_ptr<const TrainSnapshot> last_;
};

}  // namespace

std::unique_ptr<Panel> make_train_panel(const PanelDirective& directive) {
  return std::make_unique<TrainPanel>(directive);
}

}  // namespace difflab::ui
