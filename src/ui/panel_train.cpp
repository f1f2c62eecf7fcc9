// panel_train.cpp — the "train" panel: an MLP denoiser trained live on a 2-D data set (LiveTrainer), its samples
// scattered over the data, the loss curve and steps/s. Not training: the worker thread in src/train does that.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/schedule.h"
#include "data/toy2d.h"
#include "gl/readback.h"
#include "lessons/panel_spec.h"
#include "plot/plot.h"
#include "train/live_trainer.h"
#include "ui/panels.h"

namespace difflab::ui {
namespace {

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
    restart();
    if (d.value("autoplay") == "true") trainer_->play();
  }

  void draw(const PanelInput& input) override {
    if (input.toggle_play) trainer_->playing() ? trainer_->pause() : trainer_->play();
    if (input.step) trainer_->step_once();
    const std::shared_ptr<const TrainSnapshot> snap = trainer_->snapshot();  // never waits on a step

    if (!input.presenter || ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) draw_controls();
    ImGui::Text("step %d   loss %.4f   %.0f steps/s%s", snap->step, snap->loss, snap->steps_per_s,
                trainer_->playing() ? "   (training)" : "   (paused)");
    if (!snap->message.empty())
      ImGui::TextColored(snap->diverged ? ImVec4(1, 0.5f, 0.3f, 1) : ImVec4(0.6f, 0.6f, 0.6f, 1), "%s",
                         snap->message.c_str());
    if (!data_error_.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", data_error_.c_str());
    if (!view_.empty() && view_ != "samples")
      ImGui::TextDisabled("view=%s is not drawn yet; showing samples", view_.c_str());

    const float avail = ImGui::GetContentRegionAvail().x;
    const float height = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y, 200.0f);
    const bool side_by_side = avail > height * 1.3f;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 plot_size = side_by_side ? ImVec2((avail - ImGui::GetStyle().ItemSpacing.x) * 0.5f, height)
                                          : ImVec2(avail, height * 0.62f - spacing);
    const ImVec2 loss_size = side_by_side ? plot_size : ImVec2(avail, height * 0.38f - spacing);
    if (plot::begin_plot("data and samples", plot_size, plot::kPlotEqualAspect)) {
      plot::setup_axes("x₁", "x₂");
      plot::setup_axis_limits(plot::Axis::X, -2.5, 2.5);
      plot::setup_axis_limits(plot::Axis::Y, -2.5, 2.5);
      plot::set_next_color(IM_COL32(150, 150, 150, 160));
      plot::plot_scatter("data", data_.xy.data(), data_.xy.data() + 1, data_.size(), 2 * sizeof(float));
      plot::set_next_size(3.5f);
      plot::plot_scatter("model samples", snap->samples_xy.data(), snap->samples_xy.data() + 1,
                         int(snap->samples_xy.size() / 2), 2 * sizeof(float));
      plot::end_plot();
    }
    if (side_by_side) ImGui::SameLine();
    if (plot::begin_plot("loss", loss_size, plot::kPlotAutoFit)) {
      plot::setup_axes("step", "L_simple", plot::kAxisNone, plot::kAxisLog);
      if (!snap->loss_history.empty()) {
        const double x0 = snap->loss_history_step.empty() ? 0 : snap->loss_history_step.front();
        plot::plot_line_y("loss", snap->loss_history.data(), int(snap->loss_history.size()), x0,
                          trainer_->config().log_every);
      }
      plot::end_plot();
    }
    last_ = snap;
  }

  bool export_csv(const std::string& path, std::string* error) override {
    if (!last_ || last_->loss_history.empty()) {
      *error = "no loss recorded yet: train a few steps first";
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
    std::snprintf(buffer, sizeof buffer, "train: step %d, %.0f steps/s", last_->step, last_->steps_per_s);
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
    c.steps = 0;  // live: no limit
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
      data_ = Dataset2D::load(c.dataset).sample(2000, 7);
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

  void draw_controls() {
    const std::vector<std::string>& names = dataset_preset_names();
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("data set", names[dataset_index_].c_str())) {
      for (int i = 0; i < int(names.size()); ++i)
        if (ImGui::Selectable(names[i].c_str(), i == dataset_index_)) {
          changed |= i != dataset_index_;
          dataset_index_ = i;
        }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::SliderInt("width", &width_, 16, 512);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
    ImGui::SliderInt("depth", &depth_, 1, 8);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::SliderFloat("learning rate", &lr_, 1e-5f, 1e-1f, "%.1e", ImGuiSliderFlags_Logarithmic))
      trainer_->set_learning_rate(lr_);

    if (ImGui::Button(trainer_->playing() ? "Pause (Space)" : "Play (Space)"))
      trainer_->playing() ? trainer_->pause() : trainer_->play();
    ImGui::SameLine();
    if (ImGui::Button("Step (S)")) trainer_->step_once();
    ImGui::SameLine();
    if (ImGui::Button("Reset")) changed = true;
    if (changed) {
      const bool was_playing = trainer_->playing();
      restart();
      if (was_playing) trainer_->play();
    }
  }

  int dataset_index_ = 0, width_ = 128, depth_ = 3, batch_ = 256, T_ = 100;
  float lr_ = 2e-3f;
  std::string schedule_, view_, data_error_;
  PointSet data_;
  std::unique_ptr<LiveTrainer> trainer_;
  std::shared_ptr<const TrainSnapshot> last_;
};

}  // namespace

std::unique_ptr<Panel> make_train_panel(const PanelDirective& directive) {
  return std::make_unique<TrainPanel>(directive);
}

}  // namespace difflab::ui
