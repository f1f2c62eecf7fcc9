// panel_ipadapter.cpp — IP-Adapter (lesson 18): the shipped adapter, its base U-Net and the mini-CLIP, loaded
// on a worker; a reference test image is the image prompt, the λ slider its weight (λ = 0: the class prompt
// alone) and the class combo the text/class prompt. Samples at λ = 0 and at the slider's λ from the same x_T,
// with and without the class, and the shipped classifier's agreement with the reference's class.
// Not the adapter or its sweep (train/ip_adapter.h): this panel only loads, picks and draws.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/stopwatch.h"
#include "data/idx.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "train/classifier_trainer.h"
#include "train/ip_adapter.h"

namespace difflab::lecture {
namespace {

constexpr int kSteps = 20;        // DDIM steps, as `finetune --method ip-adapter` evaluates
constexpr uint64_t kSeed = 9000;  // the x_T of every cell
constexpr int kClasses = 10;

// Everything the worker loads once; sweeps run on the same worker, one at a time, so they share it.
struct IpModels {
  LoadedIpAdapter ip;
  ImageDataset test;
  std::unique_ptr<LoadedClassifier> judge;
  double load_s = 0;
};

struct IpResult {
  IpAdapterSweep sweep;
  std::vector<float> reference;
  int reference_index = 0, reference_class = -1, text_class = -1, height = 28, width = 28;
  double sample_s = 0;
};

class IpAdapterPanel final : public LivePanel {
 public:
  explicit IpAdapterPanel(const PanelDirective& d) {
    reference_ = std::stoi(d.value("reference"));
    scale_ = std::stof(d.value("scale"));
    text_class_ = std::stoi(d.value("class"));
    samples_ = std::stoi(d.value("samples"));
    models_.start([] {
      // Adapter, base, CLIP, the test images and the classifier: on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      auto m = std::make_shared<IpModels>();
      m->ip = load_ip_adapter_bundle(checkpoint_path("fashion-mnist-ip-adapter.ipa"), "", "", 2);
      job_progress(0.6);
      m->test = load_image_dataset(m->ip.base->checkpoint->dataset, false);
      job_progress(0.8);
      m->judge = load_classifier(default_classifier_path(), 2);
      job_progress(1.0);
      m->load_s = seconds_since(start);
      return std::shared_ptr<const IpModels>(m);
    });
  }

  void draw() override {
    if (models_.poll() && models_.value()) recompute();
    result_.poll();
    const float font = ImGui::GetFontSize();
    if (!models_.error().empty()) error_note(models_.error());
    if (models_.busy()) {
      progress_note(tr("ipadapter.loading"), models_);
      return;
    }
    if (!models_.value()) return;
    const int count = (*models_.value())->test.count;
    // Controls: the reference test image, λ (the image's weight), the class prompt.
    ImGui::SetNextItemWidth(9 * font);
    if (ImGui::InputInt(tr_id("ipadapter.reference", "reference"), &reference_)) {
      reference_ = std::clamp(reference_, 0, count - 1);
      recompute();
    }
    same_line_if_fits(labeled_width(10 * font, tr("ipadapter.scale")));
    ImGui::SetNextItemWidth(10 * font);
    ImGui::SliderFloat(tr_id("ipadapter.scale", "scale"), &scale_, 0.0f, 3.0f, "%.2f");
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute();
    const char* names[kClasses + 1];
    names[0] = tr("ipadapter.no_class");
    for (int k = 0; k < kClasses; ++k) names[k + 1] = tr(("cfgimg.class" + std::to_string(k)).c_str());
    const float combo = combo_width(names, kClasses + 1, 8 * font);
    same_line_if_fits(labeled_width(combo, tr("ipadapter.class")));
    ImGui::SetNextItemWidth(combo);
    int item = text_class_ + 1;
    if (ImGui::Combo(tr_id("ipadapter.class", "class"), &item, names, kClasses + 1)) {
      text_class_ = item - 1;
      recompute();
    }
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("ipadapter.busy"), result_);
    const IpResult* r = result_.value() ? &*result_.value() : nullptr;
    if (!r) return;
    draw_result(*r);
  }

 private:
  void draw_result(const IpResult& r) {
    const IpAdapterSweep& s = r.sweep;
    const int D = r.height * r.width, S = static_cast<int>(s.scales.size()), n = s.samples;
    const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
    const char* row_keys[2] = {"ipadapter.row_null", "ipadapter.row_class"};
    float label_w = ImGui::CalcTextSize(tr("ipadapter.reference_head")).x;
    char text[400];
    label_w = std::max(label_w, ImGui::CalcTextSize(tr(row_keys[0])).x);
    if (s.rows > 1) {
      std::snprintf(text, sizeof text, tr(row_keys[1]),
                    tr(("cfgimg.class" + std::to_string(r.text_class)).c_str()));
      label_w = std::max(label_w, ImGui::CalcTextSize(text).x);
    }
    label_w += font;
    const float gap = font;
    const float avail_w = ImGui::GetContentRegionAvail().x - label_w - gap * (S - 1);
    // With a class the verdict under a block names two shares; where one line is wider than the block
    // (Spanish at 1280 × 720) it takes two lines, and the cells leave room for the second.
    const auto verdict = [&](float ref, float cls, float width) {
      char a[100], b[100];
      std::snprintf(a, sizeof a, tr("ipadapter.agree_ref"), ref);
      std::snprintf(b, sizeof b, tr("ipadapter.agree_class"), cls);
      return join_or_stack(a, b, width);
    };
    const auto cell_for = [&](int extra_lines) {
      const float avail_h =
          ImGui::GetContentRegionAvail().y - caption_reserve() - (2 + 2 * s.rows + extra_lines) * line;
      return std::max(12.0f, std::min({avail_w / (S * n) - 2, avail_h / (1 + s.rows) - 6, 6 * font}));
    };
    float cell = cell_for(0);
    bool stacked = false;
    if (s.rows > 1 && verdict(100, 100, n * (cell + 2)).find('\n') != std::string::npos) {
      stacked = true;
      cell = cell_for(1);
    }
    const float x0 = ImGui::GetCursorPosX();
    float y = ImGui::GetCursorPosY();
    // The reference and its class.
    ImGui::SetCursorPos(ImVec2(x0, y + (cell - font) * 0.5f));
    ImGui::TextUnformatted(tr("ipadapter.reference_head"));
    ImGui::SetCursorPos(ImVec2(x0 + label_w, y));
    plot::image_grid("ipadapter reference", r.reference.data(), 1, r.width, r.height, 1, -1, 1, cell);
    std::snprintf(text, sizeof text, tr("ipadapter.reference_class"), r.reference_index,
                  tr(("cfgimg.class" + std::to_string(r.reference_class)).c_str()));
    ImGui::SetCursorPos(ImVec2(x0 + label_w + cell + font, y + (cell - font) * 0.5f));
    ImGui::TextUnformatted(text);
    y += cell + 6;
    // Column heads: λ of each block.
    const float block = n * (cell + 2);
    for (int k = 0; k < S; ++k) {
      std::snprintf(text, sizeof text, tr(s.scales[k] == 0.0f ? "ipadapter.head_zero" : "ipadapter.head"),
                    s.scales[k]);
      ImGui::SetCursorPos(ImVec2(x0 + label_w + k * (block + gap), y));
      ImGui::TextUnformatted(text);
    }
    y += line;
    std::vector<float> strip(static_cast<size_t>(n) * D);
    for (int row = 0; row < s.rows; ++row) {
      if (row == 1)
        std::snprintf(text, sizeof text, tr(row_keys[1]),
                      tr(("cfgimg.class" + std::to_string(r.text_class)).c_str()));
      else
        std::snprintf(text, sizeof text, "%s", tr(row_keys[0]));
      ImGui::SetCursorPos(ImVec2(x0, y + (cell - font) * 0.5f));
      ImGui::TextUnformatted(text);
      for (int k = 0; k < S; ++k) {
        for (int i = 0; i < n; ++i)
          std::copy_n(s.image(row, k, i, D), D, strip.begin() + static_cast<size_t>(i) * D);
        const float bx = x0 + label_w + k * (block + gap);
        ImGui::SetCursorPos(ImVec2(bx, y));
        plot::image_grid(("ipadapter cell " + std::to_string(row) + " " + std::to_string(k)).c_str(),
                         strip.data(), n, r.width, r.height, n, -1, 1, cell);
        const size_t at = static_cast<size_t>(row) * S + k;
        if (row == 0) {
          std::snprintf(text, sizeof text, tr("ipadapter.agree"), s.agreement[at] * 100);
        } else {
          const std::string v =
              verdict(s.agreement[at] * 100, s.text_agreement[k] * 100, stacked ? 0.0f : 1e9f);
          std::snprintf(text, sizeof text, "%s", v.c_str());
        }
        ImGui::SetCursorPos(ImVec2(bx, y + cell + 2));
        ImGui::TextUnformatted(text);
      }
      y += cell + 2 + line * (row == 1 && stacked ? 2 : 1) + 4;
    }
    ImGui::SetCursorPos(ImVec2(x0, y + 2));
    char cap[1400];
    std::snprintf(cap, sizeof cap, tr("ipadapter.caption"), n, kSteps, (*models_.value())->load_s,
                  r.sample_s);
    caption(cap);
  }

  void recompute() {
    if (!models_.value()) return;
    std::shared_ptr<const IpModels> models = *models_.value();
    const int reference = reference_, text_class = text_class_, samples = samples_;
    const float scale = scale_;
    result_.start([models, reference, text_class, samples, scale] {
      // The sweep runs on the worker; jobs run one at a time, so the shared models are never used twice at
      // once.
      IpModels& m = const_cast<IpModels&>(*models);
      const auto start = std::chrono::steady_clock::now();
      IpResult r;
      r.reference_index = reference;
      r.reference.assign(m.test.image(reference), m.test.image(reference) + m.test.dim());
      r.reference_class = m.test.labels.empty() ? -1 : m.test.labels[reference];
      r.text_class = text_class;
      r.height = m.test.height;
      r.width = m.test.width;
      const std::vector<float> e = m.ip.clip->model->encode_images(r.reference.data(), 1);
      IpAdapterSweepConfig c;
      c.scales = {0.0f, scale};
      c.text_class = text_class;
      c.samples = samples;
      c.steps = kSteps;
      c.seed = kSeed;
      r.sweep = ip_adapter_sweep(m.ip.net(), *m.ip.adapter, m.ip.base->schedule, e, r.reference_class, c,
                                 m.judge->model.get(), [](double f) { job_progress(f); });
      r.sample_s = seconds_since(start);
      return r;
    });
  }

  int reference_ = 0, text_class_ = -1, samples_ = 4;
  float scale_ = 1.0f;
  Async<std::shared_ptr<const IpModels>> models_;
  Async<IpResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_ipadapter_panel(const PanelDirective& d) {
  return std::make_unique<IpAdapterPanel>(d);
}

}  // namespace difflab::lecture
