// panel_personalize.cpp — personalisation (lesson 18): the shipped 9-class U-Net and its textual-inversion
// and DreamBooth (λ = 0, λ = 1) checkpoints, sampled from the same x_T: the subject, the held-out token 8 and
// the other nine classes, with the shipped classifier's accuracy on them (the drift), computed on a worker.
// Not the training (train/personalize.h, `difflab finetune`): this panel only loads and samples.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/classifier.h"
#include "plot/plot.h"
#include "train/classifier_trainer.h"
#include "train/model_source.h"
#include "train/personalize.h"

namespace difflab::lecture {
namespace {

constexpr int kToken = 8;         // the held-out class (bag): the rare token of every checkpoint
constexpr int kSubjectCount = 4;  // the first four training bags, as `difflab finetune` uses
constexpr double kGamma = 3;      // the CLI's evaluation: γ = 3, DDIM 20, seeds 2000 (others), 3000 (token)
constexpr int kSampleSteps = 20;
constexpr uint64_t kOthersSeed = 2000, kTokenSeed = 3000;
constexpr int kShownTokenSamples = 3;

const char* const kCheckpoints[] = {"fashion-mnist-9class-cond.ckpt", "fashion-mnist-9class-ti-bag.ckpt",
                                    "fashion-mnist-9class-db-bag-noprior.ckpt",
                                    "fashion-mnist-9class-db-bag-prior.ckpt"};
const char* const kRowKeys[] = {"personalize.base", "personalize.ti", "personalize.db_noprior",
                                "personalize.db_prior"};
constexpr int kModels = 4;

struct ModelRow {
  std::vector<float> token;    // per_class samples of token 8
  std::vector<float> others;   // per_class samples of each other class, class-major
  double token_accuracy = 0;   // share of token samples the classifier calls a bag
  double others_accuracy = 0;  // mean over the nine other classes
};

struct PersonalizeResult {
  std::vector<float> subject;
  std::vector<int> others;
  std::vector<ModelRow> rows;
  int height = 28, width = 28, per_class = 10;
  double seconds = 0;
};

class PersonalizePanel final : public LivePanel {
 public:
  explicit PersonalizePanel(const PanelDirective& d) {
    per_class_ = std::stoi(d.value("per_class"));
    recompute();
  }

  void draw() override {
    result_.poll();
    if (ImGui::Button(tr_id("personalize.recompute", "recompute"))) recompute();
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("personalize.busy"), result_);
    const PersonalizeResult* r = result_.value() ? &*result_.value() : nullptr;
    if (!r) return;
    const int D = r->height * r->width, N = static_cast<int>(r->rows.size());
    const int K = static_cast<int>(r->others.size());
    const int T = std::min(kShownTokenSamples, r->per_class);
    const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    float label_w = 0;
    for (const char* key : kRowKeys) label_w = std::max(label_w, ImGui::CalcTextSize(tr(key)).x);
    label_w += font;
    // The accuracy column is as wide as its widest text ("100 %  ·  100.0 %" ran to the panel's edge in
    // Spanish at 1280 × 720, where it was sized by its header).
    char widest[160];
    std::snprintf(widest, sizeof widest, tr("personalize.accuracy"), 100.0, 100.0);
    const float acc_w =
        std::max(ImGui::CalcTextSize(tr("personalize.head_accuracy")).x, ImGui::CalcTextSize(widest).x) +
        font;
    const float gap = font;
    // Row names left of the images, or above each row where that gives the images far more room (the
    // 12 columns were 18 px wide in Spanish at 1280 × 720, with half the panel's height empty).
    const float cell_beside =
        std::min((avail_w - label_w - acc_w - 2 * gap) / (T + K) - 2, (avail_h - 4 * line) / (N + 1) - 2);
    const float cell_above =
        std::min((avail_w - acc_w - 2 * gap) / (T + K) - 2, (avail_h - (5 + N) * line) / (N + 1) - 2);
    const bool above = cell_above > 1.5f * cell_beside;
    const float cell = std::max(10.0f, above ? cell_above : cell_beside);
    const float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
    const float token_x = x0 + (above ? 0 : label_w), others_x = token_x + T * (cell + 2) + gap;
    const float acc_x = others_x + K * (cell + 2) + gap;
    // Headers: the two blocks and the accuracies.
    ImGui::SetCursorPos(ImVec2(token_x, y0));
    ImGui::TextUnformatted(tr("personalize.head_token"));
    ImGui::SetCursorPos(ImVec2(others_x, y0));
    ImGui::TextUnformatted(tr("personalize.head_others"));
    ImGui::SetCursorPos(ImVec2(acc_x, y0));
    ImGui::TextUnformatted(tr("personalize.head_accuracy"));
    // The subject.
    float y = y0 + line;
    ImGui::SetCursorPos(ImVec2(x0, above ? y : y + (cell - font) * 0.5f));
    ImGui::TextUnformatted(tr("personalize.subject"));
    if (above) y += line;
    ImGui::SetCursorPos(ImVec2(token_x, y));
    plot::image_grid("personalize subject", r->subject.data(), kSubjectCount, r->width, r->height,
                     kSubjectCount, -1, 1, cell);
    y += cell + 2 + line * 0.5f;
    // The class id over each column of the other classes.
    for (int k = 0; k < K; ++k) {
      const std::string id = std::to_string(r->others[k]);
      ImGui::SetCursorPos(
          ImVec2(others_x + k * (cell + 2) + (cell - ImGui::CalcTextSize(id.c_str()).x) * 0.5f, y));
      ImGui::TextUnformatted(id.c_str());
    }
    y += line;
    std::vector<float> strip(static_cast<size_t>(std::max(T, K)) * D);
    for (int m = 0; m < N; ++m) {
      const ModelRow& row = r->rows[m];
      ImGui::SetCursorPos(ImVec2(x0, above ? y : y + (cell - font) * 0.5f));
      ImGui::TextUnformatted(tr(kRowKeys[m]));
      if (above) y += line;
      ImGui::SetCursorPos(ImVec2(token_x, y));
      plot::image_grid(("personalize token " + std::to_string(m)).c_str(), row.token.data(), T, r->width,
                       r->height, T, -1, 1, cell);
      // Sample 0 of each other class: the same x_T down the column.
      for (int k = 0; k < K; ++k)
        std::copy_n(row.others.begin() + static_cast<std::ptrdiff_t>(k) * r->per_class * D, D,
                    strip.begin() + static_cast<std::ptrdiff_t>(k) * D);
      ImGui::SetCursorPos(ImVec2(others_x, y));
      plot::image_grid(("personalize others " + std::to_string(m)).c_str(), strip.data(), K, r->width,
                       r->height, K, -1, 1, cell);
      char text[160];
      std::snprintf(text, sizeof text, tr("personalize.accuracy"), row.token_accuracy * 100,
                    row.others_accuracy * 100);
      ImGui::SetCursorPos(ImVec2(acc_x, y + (cell - font) * 0.5f));
      ImGui::TextUnformatted(text);
      y += cell + 2;
    }
    ImGui::SetCursorPos(ImVec2(x0, y + 2));
    char text[1200];
    std::snprintf(text, sizeof text, tr("personalize.caption"), r->per_class, kGamma, kSampleSteps,
                  r->seconds);
    caption(text);
  }

 private:
  void recompute() {
    const int per_class = per_class_;
    result_.start([per_class] {
      // Everything is loaded here, on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      auto classifier = load_classifier(default_classifier_path(), 2);
      PersonalizeResult r;
      r.per_class = per_class;
      for (int m = 0; m < kModels; ++m) {
        auto model = load_model(checkpoint_path(kCheckpoints[m]), "", std::nullopt);
        model->backend->set_threads(2);
        UNet& net = model->unet();
        r.height = net.height();
        r.width = net.width();
        if (m == 0) {
          const ImageDataset train = load_image_dataset(model->checkpoint->dataset, true);
          r.subject = subject_images(train, kToken, kSubjectCount);
          for (int k = 0; k < net.num_classes(); ++k)
            if (k != kToken) r.others.push_back(k);
        }
        job_progress((2.0 * m + 0.1) / (2 * kModels));
        const GenerationAccuracy others = generation_accuracy(
            net, model->schedule, *classifier->model, r.others, per_class, kGamma, kSampleSteps, kOthersSeed);
        job_progress((2.0 * m + 1) / (2 * kModels));
        const GenerationAccuracy token = generation_accuracy(
            net, model->schedule, *classifier->model, {kToken}, per_class, kGamma, kSampleSteps, kTokenSeed);
        job_progress((2.0 * m + 2) / (2 * kModels));
        ModelRow row;
        row.others = others.images;
        row.others_accuracy = others.mean;
        row.token = token.images;
        row.token_accuracy = token.accuracy.empty() ? 0 : token.accuracy.front();
        r.rows.push_back(std::move(row));
      }
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  int per_class_ = 10;
  Async<PersonalizeResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_personalize_panel(const PanelDirective& d) {
  return std::make_unique<PersonalizePanel>(d);
}

}  // namespace difflab::lecture
