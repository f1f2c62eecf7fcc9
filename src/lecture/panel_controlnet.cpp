// panel_controlnet.cpp — ControlNet (lesson 18): the shipped ControlNet and its base loaded on a worker; a
// test image, its Sobel edge map, the base alone and the ControlNet at scale s from the same x_T, with each
// sample's edge agreement; "step 0" adds a freshly zero-initialised ControlNet, whose samples equal the
// base's exactly. Not the model or the sampling (train/controlnet.h's compare_with_base): this panel only
// loads and draws.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/stopwatch.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "sample/sampler.h"
#include "train/controlnet.h"

namespace difflab::lecture {
namespace {

constexpr int kSteps = 20;         // DDIM steps, as `difflab finetune --method controlnet` checks
constexpr uint64_t kSeed = 5000;   // x_T (the CLI's x_T seed for seed 0); the noise seed is kSeed + 1
constexpr float kMaxScale = 2.0f;  // the slider's range 0 … 2
const char* const kCheckpoint = "fashion-mnist-classroom-controlnet.ckpt";

// What the worker keeps between jobs (only the worker touches it: one job runs at a time).
struct ControlModels {
  LoadedControlNet shipped;
  std::unique_ptr<ControlNet> fresh;  // a ControlNet just built on the same base: zero convolutions
  ImageDataset test;
  double load_s = 0;
};

struct ControlResult {
  std::vector<float> image, edges;  // the test image [−1, 1] and its edge map [0, 1]
  ControlComparison runs;           // the base alone, the shipped ControlNet at scale
  EdgeSamples step0;                // the fresh ControlNet at scale (when asked)
  bool has_step0 = false;
  double step0_difference = 0;  // max |step 0 − base| over every pixel
  int index = 0, image_class = -1, count = 0, label = -1, samples = 0, height = 28, width = 28;
  float scale = 1;
  double load_s = 0, sample_s = 0;
};

const char* class_name(int k) {
  static std::string keys[10];
  if (k < 0 || k > 9) return tr("controlnet.no_class");
  keys[k] = "cfgimg.class" + std::to_string(k);
  return tr(keys[k].c_str());
}

class ControlNetPanel final : public LivePanel {
 public:
  explicit ControlNetPanel(const PanelDirective& d) {
    index_ = std::stoi(d.value("image"));
    scale_ = std::stof(d.value("scale"));
    label_ = std::stoi(d.value("class"));
    samples_ = std::stoi(d.value("samples"));
    step0_ = d.value("step0") == "true" || d.value("step0") == "1" || d.value("step0") == "on" ||
             d.value("step0") == "yes";
    recompute();
  }

  void draw() override {
    if (result_.poll() && result_.value()) {
      count_ = result_.value()->count;  // the slider's range once the test set is known
      loaded_ = true;
    }
    const float font = ImGui::GetFontSize();
    const int last = count_ > 0 ? count_ - 1 : 9999;
    ImGui::SetNextItemWidth(8 * font);
    ImGui::SliderInt(tr_id("controlnet.image", "image"), &index_, 0, last);
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute();
    same_line_if_fits(button_width(tr("controlnet.next")));
    if (ImGui::Button(tr_id("controlnet.next", "next"))) {
      index_ = index_ >= last ? 0 : index_ + 1;
      recompute();
    }
    same_line_if_fits(labeled_width(8 * font, tr("controlnet.scale")));
    ImGui::SetNextItemWidth(8 * font);
    ImGui::SliderFloat(tr_id("controlnet.scale", "scale"), &scale_, 0.0f, kMaxScale, "%.2f");
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute();
    const char* names[11];
    names[0] = tr("controlnet.no_class");
    for (int k = 0; k < 10; ++k) names[k + 1] = class_name(k);
    const float combo_w = combo_width(names, 11, 6 * font);
    same_line_if_fits(labeled_width(combo_w, tr("controlnet.class")));
    ImGui::SetNextItemWidth(combo_w);
    int item = label_ + 1;
    if (ImGui::Combo(tr_id("controlnet.class", "class"), &item, names, 11)) {
      label_ = item - 1;
      recompute();
    }
    same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize(tr("controlnet.step0")).x + 2 * font);
    if (ImGui::Checkbox(tr_id("controlnet.step0", "step0"), &step0_)) recompute();
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr(loaded_ ? "controlnet.busy" : "controlnet.busy_load"), result_);
    const ControlResult* r = result_.value() ? &*result_.value() : nullptr;
    if (!r) return;
    draw_result(*r);
  }

 private:
  void draw_result(const ControlResult& r) {
    const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing(), gap = font;
    const int K = r.samples, rows = r.has_step0 ? 3 : 2;
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    // One cell size for all: the input column (image over edge map) and rows of K samples, each row a label
    // line above and an agreement line below.
    const float cell = std::max(
        12.0f, std::min((avail_w - gap) / (K + 1) - 4, std::min((avail_h - rows * (2 * line + 4)) / rows - 2,
                                                                (avail_h - 3 * line - 8) / 2)));
    const float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
    const float grid_x = x0 + cell + 4 + gap;
    // The input column.
    char text[320];
    std::snprintf(text, sizeof text, tr("controlnet.input"), r.index);
    ImGui::SetCursorPos(ImVec2(x0, y0));
    ImGui::TextUnformatted(text);
    ImGui::SetCursorPos(ImVec2(x0, y0 + line));
    plot::image_grid("controlnet image", r.image.data(), 1, r.width, r.height, 1, -1, 1, cell);
    ImGui::SetCursorPos(ImVec2(x0, y0 + line + cell + 4));
    ImGui::TextUnformatted(tr("controlnet.edges"));
    ImGui::SetCursorPos(ImVec2(x0, y0 + 2 * line + cell + 4));
    plot::image_grid("controlnet edges", r.edges.data(), 1, r.width, r.height, 1, 0, 1, cell);
    ImGui::SetCursorPos(ImVec2(x0, y0 + 2 * line + 2 * cell + 8));
    ImGui::TextUnformatted(class_name(r.image_class));  // the test image's own class
    // The rows: base, ControlNet at s, and step 0.
    float y = y0;
    auto row = [&](const char* id, const std::string& label, const EdgeSamples& s) {
      ImGui::SetCursorPos(ImVec2(grid_x, y));
      ImGui::TextUnformatted(label.c_str());
      ImGui::SetCursorPos(ImVec2(grid_x, y + line));
      plot::image_grid(id, s.images.data(), K, r.width, r.height, K, -1, 1, cell);
      for (int k = 0; k < K; ++k) {
        char number[32];
        std::snprintf(number, sizeof number, "%.3f", s.agreement[k]);
        const float w = ImGui::CalcTextSize(number).x;
        ImGui::SetCursorPos(ImVec2(grid_x + k * (cell + 2) + (cell - w) * 0.5f, y + line + cell + 2));
        ImGui::TextUnformatted(number);
      }
      y += 2 * line + cell + 6;
    };
    std::snprintf(text, sizeof text, tr("controlnet.row_base"), r.runs.base.mean_agreement());
    row("controlnet base", text, r.runs.base);
    std::snprintf(text, sizeof text, tr("controlnet.row_control"), r.scale,
                  r.runs.controlled.mean_agreement());
    row("controlnet control", text, r.runs.controlled);
    if (r.has_step0) {
      std::snprintf(text, sizeof text, tr("controlnet.row_step0"), r.step0_difference);
      row("controlnet step0", text, r.step0);
    }
    ImGui::SetCursorPos(ImVec2(x0, std::max(y, y0 + 3 * line + 2 * cell + 8) + 2));
    char cap[1200];
    std::snprintf(cap, sizeof cap, tr("controlnet.caption"), kSteps, class_name(r.label), r.load_s,
                  r.sample_s);
    caption(cap);
  }

  void recompute() {
    const int index = index_, label = label_, samples = samples_;
    const float scale = scale_;
    const bool step0 = step0_;
    auto models = models_;
    result_.start([models, index, label, samples, scale, step0] {
      // Everything is loaded here, on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      const double done = *models ? 0.0 : 0.2;  // the share of the bar the load takes
      if (!*models) {
        auto m = std::make_unique<ControlModels>();
        m->shipped = load_controlnet(checkpoint_path(kCheckpoint));
        m->shipped.base->backend->set_threads(2);
        job_progress(0.1);
        m->test = load_image_dataset(m->shipped.base->checkpoint->dataset, false);
        m->fresh = std::make_unique<ControlNet>(m->shipped.base->unet());
        m->load_s = seconds_since(start);
        *models = std::move(m);
      }
      ControlModels& m = **models;
      const auto sampling = std::chrono::steady_clock::now();
      UNet& base = m.shipped.base->unet();
      const NoiseSchedule& schedule = m.shipped.base->schedule;
      ControlResult r;
      r.count = m.test.count;
      r.index = std::clamp(index, 0, m.test.count - 1);
      r.image_class = m.test.labels.empty() ? -1 : m.test.labels[r.index];
      r.label = label < base.num_classes() ? label : -1;
      r.samples = samples;
      r.scale = scale;
      r.height = base.height();
      r.width = base.width();
      r.load_s = m.load_s;
      const int D = base.dim();
      r.image.assign(m.test.image(r.index), m.test.image(r.index) + D);
      r.edges = sobel_edges(r.image.data(), 1, r.height, r.width);
      const std::vector<float> x_T = standard_normal(samples * D, kSeed);
      const double share = step0 ? (1 - done) * 2 / 3 : 1 - done;
      r.runs = compare_with_base(*m.shipped.net, schedule, r.edges, r.label, scale, x_T, kSteps, kSeed + 1,
                                 [&](double f) { job_progress(done + share * f); });
      if (step0) {
        ControlNetDenoiser fresh(*m.fresh, schedule, r.edges, r.label, scale);
        r.step0 =
            sample_against_edges(fresh, r.edges, x_T, r.height, r.width, kSteps, kSeed + 1,
                                 [&](double f) { job_progress(done + share + (1 - done - share) * f); });
        r.step0_difference = max_abs_difference(r.step0.images, r.runs.base.images);
        r.has_step0 = true;
      }
      r.sample_s = seconds_since(sampling);
      return r;
    });
  }

  int index_ = 0, label_ = -1, samples_ = 4, count_ = 0;
  float scale_ = 1;
  bool step0_ = false, loaded_ = false;
  std::shared_ptr<std::unique_ptr<ControlModels>> models_ =
      std::make_shared<std::unique_ptr<ControlModels>>();
  Async<ControlResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_controlnet_panel(const PanelDirective& d) {
  return std::make_unique<ControlNetPanel>(d);
}

}  // namespace difflab::lecture
