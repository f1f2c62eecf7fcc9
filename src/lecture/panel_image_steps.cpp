// panel_image_steps.cpp — the companion deck's per-step view on images: for a few x_T, DDIM (or DDPM) with
// the shipped classroom U-Net, xₜ on the left and the predicted clean image x̂₀ on the right, step by step.
// Not the computation (views/image_steps.h, run in the background) and not a sampler.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "train/model_source.h"
#include "views/image_steps.h"

namespace difflab::lecture {
namespace {

constexpr int kSide = 28, kPixels = kSide * kSide;
constexpr double kSecondsPerStep = 0.15;  // Play: one step every 0.15 s (20 steps ≈ 3 s)

struct StepsResult {
  ImageSteps steps;
  double seconds = 0;     // sampling time (the model loaded before the clock starts)
  double last_error = 0;  // max |x₀ − x̂₀ of the last step|
};

class ImageStepsPanel final : public LivePanel {
 public:
  explicit ImageStepsPanel(const PanelDirective& d) {
    ddpm_ = d.value("sampler") == "ddpm";
    steps_ = std::stoi(d.value("steps"));
    rows_ = std::stoi(d.value("rows"));
    step_ = std::stoi(d.value("step"));
    playing_ = d.value("play") == "true" || d.value("play") == "1" || d.value("play") == "on" ||
               d.value("play") == "yes";
    recompute();
  }

  void toggle_play() override {
    if (!playing_ && result_.value() && step_ >= result_.value()->steps.steps()) step_ = 1;
    playing_ = !playing_;
  }
  void step_once() override {
    playing_ = false;
    step_ += 1;
  }
  bool playing() const override { return playing_; }

  void draw() override {
    result_.poll();
    controls();
    if (!result_.value() || result_.busy()) {
      if (!result_.error().empty()) return (void)ImGui::TextWrapped("%s", result_.error().c_str());
      if (result_.busy()) progress_note(tr("isteps.busy"), result_);
      if (!result_.value()) return;
    }
    const StepsResult& r = *result_.value();
    const ImageSteps& s = r.steps;
    const int n = s.steps();
    if (playing_) {
      clock_ += ImGui::GetIO().DeltaTime;
      while (clock_ >= kSecondsPerStep && step_ < n) clock_ -= kSecondsPerStep, ++step_;
      if (step_ >= n) playing_ = false;
    }
    step_ = std::clamp(step_, 1, n);
    const int k = step_ - 1;  // the step's index: its input xₜ is states[k], its prediction x0_hats[k]
    char line[200];
    std::snprintf(line, sizeof line, tr("isteps.step_line"), step_, n, s.timesteps[k],
                  std::sqrt(s.alpha_bars[k]), std::sqrt(1 - s.alpha_bars[k]));
    ImGui::TextUnformatted(line);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float half = (ImGui::GetContentRegionAvail().x - style.ItemSpacing.x) * 0.5f;
    const int columns = s.count >= 4 ? 2 : 1, grid_rows = (s.count + columns - 1) / columns;
    float height =
        ImGui::GetContentRegionAvail().y - caption_reserve() - ImGui::GetTextLineHeightWithSpacing();
    const float wide = (half - style.WindowPadding.x) / columns - 4;  // the cell when the width limits it
    // Where the window is tall enough (1920 × 1080), a strip under the pairs: the first image's xₜ and x̂₀ at
    // every step, as the companion deck lays them out. Only when the pairs keep ≥ 75 % of their size.
    const float strip_cell = std::min(ImGui::GetContentRegionAvail().x / n - 2, ImGui::GetFontSize() * 3);
    const float strip_height =
        2 * (strip_cell + 2) + ImGui::GetTextLineHeightWithSpacing() + style.ItemSpacing.y;
    const bool strip = (height - strip_height) / grid_rows - 4 >= 0.75f * wide;
    if (strip) height -= strip_height;
    const float cell = std::max(16.0f, std::min(wide, height / grid_rows - 4));
    // Width-limited pairs (1920 × 1080: ~180 px were left under the caption, lesson 07 s8) are centred in
    // the height left, and the caption sits at the panel's bottom.
    const float top = ImGui::GetCursorPosY(), room = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float used =
        ImGui::GetTextLineHeightWithSpacing() + grid_rows * (cell + 2) + (strip ? strip_height : 0);
    ImGui::SetCursorPosY(top + std::max(0.0f, 0.5f * (room - used)));
    for (int side = 0; side < 2; ++side) {
      if (side) ImGui::SameLine(half + style.ItemSpacing.x + style.WindowPadding.x);
      ImGui::BeginGroup();
      ImGui::TextUnformatted(side == 0 ? tr("isteps.left") : tr("isteps.right"));
      const std::vector<float>& images = side == 0 ? s.states[k] : s.x0_hats[k];
      // xₜ is ~𝒩(0, 1) per pixel at the start: drawn on [−2.5, 2.5] so that noise is not all white and
      // black; x̂₀ lives in [−1, 1].
      const float range = side == 0 ? 2.5f : 1.0f;
      plot::image_grid(side == 0 ? "steps x_t" : "steps x0", images.data(), s.count, kSide, kSide, columns,
                       -range, range, cell);
      ImGui::EndGroup();
    }
    if (strip) {
      ImGui::TextUnformatted(tr("isteps.strip"));
      std::vector<float> rows;  // xₜ of image 0 at every step, then its x̂₀ at every step
      for (int i = 0; i < n; ++i) rows.insert(rows.end(), s.states[i].begin(), s.states[i].begin() + s.dim);
      for (int i = 0; i < n; ++i) rows.insert(rows.end(), s.x0_hats[i].begin(), s.x0_hats[i].begin() + s.dim);
      // One range for both rows ([−1, 1]) so the strip reads like the deck's; xₜ saturates at the start.
      plot::image_grid("steps strip", rows.data(), 2 * n, kSide, kSide, n, -1, 1, strip_cell);
      // The current step framed.
      const ImVec2 top_left = ImGui::GetItemRectMin();
      const float x = top_left.x + k * (strip_cell + 2);
      ImGui::GetWindowDrawList()->AddRect(ImVec2(x - 1, top_left.y - 1),
                                          ImVec2(x + strip_cell + 1, top_left.y + 2 * strip_cell + 3),
                                          IM_COL32(255, 200, 80, 255), 0, 0, 2);
    }
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), top + room + ImGui::GetStyle().ItemSpacing.y));
    char text[900];
    std::snprintf(text, sizeof text, tr("isteps.caption"), ddpm_ ? "DDPM" : "DDIM (η = 0)", n, s.count,
                  r.seconds, r.last_error);
    caption(text);
  }

 private:
  void recompute() {
    const bool ddpm = ddpm_;
    const int steps = steps_, rows = rows_;
    const uint64_t seed = seed_;
    result_.start([ddpm, steps, rows, seed] {
      // Loaded here, on the worker thread, never on the UI's.
      auto model = load_model(checkpoint_path("fashion-mnist-classroom.ckpt"), "", std::nullopt);
      model->backend->set_threads(2);
      ImageStepsConfig c;
      c.kind = ddpm ? SamplerKind::Ddpm : SamplerKind::Ddim;
      c.steps = std::min(steps, model->schedule.T());
      c.noise_seed = seed + 1000;
      const auto start = std::chrono::steady_clock::now();
      StepsResult r;
      r.steps = image_steps(model->model(), standard_normal(rows * kPixels, seed), c, job_progress);
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (size_t i = 0; i < r.steps.output().size(); ++i)
        r.last_error =
            std::max(r.last_error, double(std::abs(r.steps.output()[i] - r.steps.x0_hats.back()[i])));
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    const char* samplers[] = {"DDIM (η = 0)", "DDPM"};
    int sampler = ddpm_ ? 1 : 0;
    ImGui::SetNextItemWidth(font * 8);
    bool changed = false;
    if (ImGui::Combo(tr_id("isteps.sampler", "sampler"), &sampler, samplers, 2)) {
      ddpm_ = sampler == 1;
      changed = true;
    }
    same_line_if_fits(labeled_width(font * 7, tr("isteps.steps")));
    ImGui::SetNextItemWidth(font * 7);
    ImGui::SliderInt(tr_id("isteps.steps", "steps"), &steps_, 2, 50);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    same_line_if_fits(button_width(tr("isteps.new_noise")));
    if (ImGui::Button(tr_id("isteps.new_noise", "new"))) {
      ++seed_;
      changed = true;
    }
    if (changed) {
      recompute();
      step_ = 1;
    }
    const int n = result_.value() ? result_.value()->steps.steps() : steps_;
    same_line_if_fits(button_width(tr("common.pause")));
    if (ImGui::Button(playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play"))) toggle_play();
    same_line_if_fits(labeled_width(font * 10, tr("isteps.step")));
    ImGui::SetNextItemWidth(font * 10);
    if (ImGui::SliderInt(tr_id("isteps.step", "step"), &step_, 1, n)) playing_ = false;
  }

  bool ddpm_ = false, playing_ = false;
  int steps_ = 20, rows_ = 4, step_ = 1;
  uint64_t seed_ = 7;
  double clock_ = 0;
  Async<StepsResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_image_steps_panel(const PanelDirective& d) {
  return std::make_unique<ImageStepsPanel>(d);
}

}  // namespace difflab::lecture
