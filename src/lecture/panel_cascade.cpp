// panel_cascade.cpp — the two-stage cascade (lesson 15): the shipped 14×14 base and 28×28 super-resolution
// U-Nets, loaded and sampled on a worker: base samples of a class, their bilinear upsampling, and the SR
// outputs from the same noise, at a chosen noise-augmentation level s, with the CPU ms of each stage.
// Not the training (train/cascade.h, `difflab cascade train`): this panel only loads and samples.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "train/cascade.h"

namespace difflab::lecture {
namespace {

constexpr int kSteps = 20;  // DDIM steps of each stage, as `difflab cascade sample`
constexpr uint64_t kSeed = 1;

struct CascadeResult {
  std::vector<float> base, up, sr;  // n × 14×14 (shown ×2), n × 28×28, n × 28×28
  int n = 0, label = 0;
  double aug = 0, base_ms = 0, sr_ms = 0, load_s = 0;
  bool sr_reads_s = false;  // the SR net is told s (in_channels 3), as CDM and Imagen; false for an old one
};

double ms_since(std::chrono::steady_clock::time_point start) {
  return 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class CascadePanel final : public LivePanel {
 public:
  explicit CascadePanel(const PanelDirective& d) {
    label_ = std::stoi(d.value("class"));
    n_ = std::stoi(d.value("n"));
    aug_ = std::stof(d.value("aug"));
    recompute();
  }

  void draw() override {
    result_.poll();
    const float font = ImGui::GetFontSize();
    // The class selector (the course's class names), the augmentation slider, recompute.
    const char* names[10];
    for (int k = 0; k < 10; ++k) names[k] = tr(("cfgimg.class" + std::to_string(k)).c_str());
    ImGui::SetNextItemWidth(combo_width(names, 10, 8 * font));
    if (ImGui::Combo(tr_id("cascade.class", "class"), &label_, names, 10)) recompute();
    same_line_if_fits(labeled_width(12 * font, tr("cascade.aug")));
    ImGui::SetNextItemWidth(12 * font);
    ImGui::SliderFloat(tr_id("cascade.aug", "aug"), &aug_, 0.0f, 1.0f, "%.2f");
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute();
    same_line_if_fits(button_width(tr("cascade.recompute")));
    if (ImGui::Button(tr_id("cascade.recompute", "recompute"))) recompute();
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("cascade.busy"), result_);
    const CascadeResult* r = result_.value() ? &*result_.value() : nullptr;
    if (!r) return;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const char* row_keys[3] = {"cascade.row_base", "cascade.row_up", "cascade.row_sr"};
    float label_w = 0;
    for (const char* key : row_keys) label_w = std::max(label_w, ImGui::CalcTextSize(tr(key)).x);
    label_w += font;
    const float avail_w = ImGui::GetContentRegionAvail().x - label_w;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve() - 2 * line;
    const float cell = std::max(12.0f, std::min(avail_w / r->n - 2, avail_h / 3 - 6));
    const float x0 = ImGui::GetCursorPosX();
    float y = ImGui::GetCursorPosY();
    char text[256];
    std::snprintf(text, sizeof text, tr("cascade.times"), r->base_ms, r->sr_ms, r->base_ms + r->sr_ms);
    ImGui::TextUnformatted(text);
    y += line;
    const std::vector<float>* rows[3] = {&r->base, &r->up, &r->sr};
    for (int k = 0; k < 3; ++k) {
      ImGui::SetCursorPos(ImVec2(x0, y + (cell - font) * 0.5f));
      ImGui::TextUnformatted(tr(row_keys[k]));
      ImGui::SetCursorPos(ImVec2(x0 + label_w, y));
      const int side = k == 0 ? kCascadeLowSide : kCascadeHighSide;
      plot::image_grid(("cascade row " + std::to_string(k)).c_str(), rows[k]->data(), r->n, side, side, r->n,
                       -1, 1, cell);
      y += cell + 6;
    }
    ImGui::SetCursorPos(ImVec2(x0, y));
    char cap[1200];
    std::snprintf(cap, sizeof cap, tr("cascade.caption"), r->n, kSteps, r->aug, kCascadeTrainAugMax,
                  tr(r->sr_reads_s ? "cascade.reads_s" : "cascade.blind_to_s"), r->load_s);
    caption(cap);
  }

 private:
  void recompute() {
    const int label = label_, n = n_;
    const double aug = aug_;
    result_.start([label, n, aug] {
      // Both checkpoints are loaded here, on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      auto base =
          load_cascade_stage(checkpoint_path("fashion-mnist-cascade-base.ckpt"), CascadeStageKind::Base, 2);
      auto sr = load_cascade_stage(checkpoint_path("fashion-mnist-cascade-sr.ckpt"), CascadeStageKind::Sr, 2);
      CascadeResult r;
      r.n = n;
      r.label = label;
      r.aug = aug;
      r.sr_reads_s = cascade_sr_reads_s(*sr);
      r.load_s = ms_since(start) / 1e3;
      job_progress(0.1);
      const std::vector<int> labels(n, label);
      auto t0 = std::chrono::steady_clock::now();
      r.base = sample_cascade_base(*base, n, labels, kSteps, kSeed);
      r.base_ms = ms_since(t0) / n;
      job_progress(0.4);
      r.up = upsample_2x(r.base.data(), n, kCascadeLowSide);
      t0 = std::chrono::steady_clock::now();
      r.sr = sample_cascade_sr(*sr, r.base, n, labels, aug, kSteps, kSeed + 100);
      r.sr_ms = ms_since(t0) / n;
      job_progress(1.0);
      return r;
    });
  }

  int label_ = 0, n_ = 6;
  float aug_ = 0.1f;
  Async<CascadeResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_cascade_panel(const PanelDirective& d) {
  return std::make_unique<CascadePanel>(d);
}

}  // namespace difflab::lecture
