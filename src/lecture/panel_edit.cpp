// panel_edit.cpp — inversion and editing on the shipped class-conditional classroom U-Net (lesson 17): a test
// image inverted with DDIM at several γ with and without null-text inversion (PSNR against γ), then edited
// into another class; or SDEdit of a 28×28 sketch drawn with the mouse, with a t₀ slider over a precomputed
// sweep (distance to the sketch against the classifier's confidence). Not the algorithms (src/edit/): every
// computation runs on the background worker; the UI thread only draws.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "edit/edit_study.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/classifier.h"
#include "plot/plot.h"
#include "train/classifier_trainer.h"
#include "train/model_source.h"

namespace difflab::lecture {
namespace {

constexpr int kSide = 28;
const double kGammas[] = {1, 2, 3, 5, 7.5};
constexpr int kGammaCount = 5;
const int kT0s[] = {0, 100, 200, 300, 400, 500, 600, 700, 800, 900};
constexpr int kT0Count = 10;
constexpr int kSdeditSamples = 4;

struct InvertResult {
  std::vector<float> image;
  int label = 0, target = 0;
  std::vector<InversionRow> rows;            // one per γ of kGammas
  std::vector<float> edit_plain, edit_null;  // the edit at the largest γ
  double confidence_plain = 0, confidence_null = 0;
  double distance_plain = 0, distance_null = 0;  // MSE of each edit to the input
  double seconds = 0;
};

struct SdeditResult {
  std::vector<SdeditPoint> points;  // one per t₀ of kT0s
  int target = 0;
  double seconds = 0;
};

const char* class_label(int k) {
  static std::string keys[10];
  keys[k] = "cfgimg.class" + std::to_string(k);
  return tr(keys[k].c_str());
}

class EditPanel final : public LivePanel {
 public:
  explicit EditPanel(const PanelDirective& d) {
    mode_ = d.value("mode");
    image_ = std::stoi(d.value("image"));
    target_ = std::stoi(d.value("to_class"));
    steps_ = std::stoi(d.value("steps"));
    t0_index_ = std::clamp(std::stoi(d.value("t0")) / 100, 0, kT0Count - 1);
    sketch_.assign(kSide * kSide, -1.0f);
    if (mode_ == "sdedit")
      load_sketch_from_test();
    else
      run_invert();
  }

  void draw() override {
    if (mode_ == "sdedit")
      draw_sdedit();
    else
      draw_invert();
  }

 private:
  // ---- inversion and class edits -------------------------------------------------------------------------
  void draw_invert() {
    invert_.poll();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::InputInt(tr_id("edit.image", "image"), &image_)) image_ = std::clamp(image_, 0, 9999);
    ImGui::SameLine();
    class_combo(tr_id("edit.to_class", "to class"), &target_);
    same_line_if_fits(button_width(tr("edit.run")));
    if (ImGui::Button(tr_id("edit.run", "run"))) run_invert();
    if (!invert_.error().empty()) error_note(invert_.error());
    if (invert_.busy()) progress_note(tr("edit.busy_invert"), invert_);
    if (!invert_.value()) return;
    const InvertResult& r = *invert_.value();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float label_w = ImGui::GetFontSize() * 5.5f;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    // Beside the plot the images take 2/3 of the width. Where the plot fits under them with 8 lines of height
    // and that makes the images much larger, it goes there (1920x1080: cells 95 -> 152 px). At 1280x720
    // presenter the plot would be a flat strip under 8 lines of its large font, so there it stays beside
    // them.
    const float beside =
        std::min((avail_w * 0.66f - label_w) / (kGammaCount + 1) - 2, (avail_h - 2 * line) / 3 - 4);
    const float plot_below_h = std::max(8 * line, avail_h * 0.3f);
    const float below =
        std::min((avail_w - label_w) / (kGammaCount + 1) - 2, (avail_h - plot_below_h - 3 * line) / 3 - 4);
    const bool stacked = below > 1.4f * beside;
    const float cell = std::max(16.0f, stacked ? below : beside);
    ImGui::BeginGroup();
    const float x0 = ImGui::GetCursorPosX() + label_w;
    std::vector<std::string> heads = {tr("edit.input_gamma")};
    for (int g = 0; g < kGammaCount; ++g) {
      char head[32];
      std::snprintf(head, sizeof head, "%g", kGammas[g]);
      heads.push_back(head);
    }
    column_heads("γ", heads, x0, cell);
    image_row("edit ddim", tr("edit.row_ddim"), r, false, label_w, cell);
    image_row("edit null", tr("edit.row_null"), r, true, label_w, cell);
    std::vector<float> edits = r.image;
    edits.insert(edits.end(), r.edit_plain.begin(), r.edit_plain.end());
    edits.insert(edits.end(), r.edit_null.begin(), r.edit_null.end());
    // The edit row: columns as wide as their headings, so "without ∅ₜ" never runs into its neighbour.
    const char* edit_heads[3] = {tr("edit.input_gamma"), tr("edit.head_plain"), tr("edit.head_null")};
    float column = cell;
    for (const char* h : edit_heads) column = std::max(column, ImGui::CalcTextSize(h).x);
    column += ImGui::GetFontSize() * 0.6f;
    ImGui::TextUnformatted("");
    for (int i = 0; i < 3; ++i) {
      ImGui::SameLine();
      ImGui::SetCursorPosX(x0 + i * column + (cell - ImGui::CalcTextSize(edit_heads[i]).x) * 0.5f);
      ImGui::TextUnformatted(edit_heads[i]);
    }
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (cell - ImGui::GetFontSize()) * 0.5f);
    char edit_label[96];
    std::snprintf(edit_label, sizeof edit_label, tr("edit.row_edit"), class_label(r.target));
    ImGui::TextUnformatted(edit_label);
    const char* ids[3] = {"edit edit input", "edit edit plain", "edit edit null"};
    for (int i = 0; i < 3; ++i) {
      ImGui::SameLine();
      ImGui::SetCursorPos(ImVec2(x0 + i * column, y));
      plot::image_grid(ids[i], edits.data() + static_cast<size_t>(i) * kSide * kSide, 1, kSide, kSide, 1, -1,
                       1, cell);
    }
    ImGui::EndGroup();
    if (!stacked) ImGui::SameLine();
    std::vector<double> gammas, psnr_ddim, psnr_null;
    for (const InversionRow& row : r.rows) {
      gammas.push_back(row.gamma);
      psnr_ddim.push_back(row.ddim.psnr);
      psnr_null.push_back(row.null_text.psnr);
    }
    const float plot_w = ImGui::GetContentRegionAvail().x;
    const float plot_h =
        stacked ? std::max(6 * line, ImGui::GetContentRegionAvail().y - caption_reserve()) : avail_h;
    if (plot::begin_plot(tr_id("edit.title_psnr", "edit psnr"), ImVec2(plot_w, plot_h))) {
      plot::setup_axes(tr("edit.axis_gamma"), tr("edit.axis_psnr"));
      plot::setup_axis_limits(plot::Axis::Y, 0, 45, plot::Cond::Always);
      plot::set_next_color(IM_COL32(230, 120, 60, 255));
      plot::plot_line(tr("edit.legend_ddim"), gammas.data(), psnr_ddim.data(),
                      static_cast<int>(gammas.size()));
      plot::set_next_color(IM_COL32(230, 120, 60, 255));
      plot::plot_scatter("##ddim", gammas.data(), psnr_ddim.data(), static_cast<int>(gammas.size()));
      plot::set_next_color(IM_COL32(70, 150, 230, 255));
      plot::plot_line(tr("edit.legend_null"), gammas.data(), psnr_null.data(),
                      static_cast<int>(gammas.size()));
      plot::set_next_color(IM_COL32(70, 150, 230, 255));
      plot::plot_scatter("##null", gammas.data(), psnr_null.data(), static_cast<int>(gammas.size()));
      plot::end_plot();
    }
    const InversionRow& last = r.rows.back();
    char text[900];
    std::snprintf(text, sizeof text, tr("edit.caption_invert"), image_shown_, class_label(r.label), steps_,
                  last.gamma, last.ddim.psnr, last.null_text.psnr, r.rows.front().ddim.psnr,
                  class_label(r.target), r.confidence_null * 100, r.confidence_plain * 100, r.distance_null,
                  r.distance_plain, r.seconds);
    caption(text);
  }

  // One text line of headings, each centred over its image column.
  static void column_heads(const char* left, const std::vector<std::string>& heads, float x0, float cell) {
    ImGui::TextUnformatted(left);
    for (size_t i = 0; i < heads.size(); ++i) {
      ImGui::SameLine();
      ImGui::SetCursorPosX(x0 + i * (cell + 2) + (cell - ImGui::CalcTextSize(heads[i].c_str()).x) * 0.5f);
      ImGui::TextUnformatted(heads[i].c_str());
    }
  }

  void image_row(const char* id, const char* label, const InvertResult& r, bool null_text, float label_w,
                 float cell) {
    std::vector<float> images = r.image;
    for (const InversionRow& row : r.rows) {
      const std::vector<float>& im = null_text ? row.null_text_image : row.ddim_image;
      images.insert(images.end(), im.begin(), im.end());
    }
    const float y = ImGui::GetCursorPosY(), x = ImGui::GetCursorPosX();
    ImGui::SetCursorPosY(y + (cell - ImGui::GetFontSize()) * 0.5f);
    ImGui::TextUnformatted(label);
    ImGui::SameLine();
    ImGui::SetCursorPos(ImVec2(x + label_w, y));
    const int n = static_cast<int>(images.size() / (kSide * kSide));
    plot::image_grid(id, images.data(), n, kSide, kSide, n, -1, 1, cell);
  }

  void run_invert() {
    const int image = image_, target = target_, steps = steps_;
    image_shown_ = image;
    invert_.start([image, target, steps] {
      const auto start = std::chrono::steady_clock::now();
      auto model = load_model(checkpoint_path("fashion-mnist-classroom-cond.ckpt"), "", std::nullopt);
      model->backend->set_threads(2);
      const ImageDataset test = load_image_dataset(model->checkpoint->dataset, false);
      InvertResult r;
      r.image.assign(test.image(image), test.image(image) + test.dim());
      r.label = test.labels[image];
      r.target = target;
      UNet& net = model->unet();
      NullTextConfig c;
      const std::vector<double> gammas(std::begin(kGammas), std::end(kGammas));
      r.rows = inversion_error_by_gamma(
          net, model->schedule, r.image, r.label, gammas, steps, &c,
          [](long done, long total) { job_progress(0.95 * static_cast<double>(done) / total); },
          [] { return BackgroundJob::cancelled(); });
      BackgroundJob::check_cancelled();
      // The edit: the largest γ's null-text inversion (its x_T and ∅ₜ), decoded as the target class.
      const NullTextResult& nt = r.rows.back().null_text_run;
      const double gamma = gammas.back();
      r.edit_null =
          decode_with_class(net, model->schedule, nt.pivot.x_T, nt.pivot.timesteps, target, gamma, &nt);
      r.edit_plain = decode_with_class(net, model->schedule, nt.pivot.x_T, nt.pivot.timesteps, target, gamma);
      r.distance_null = reconstruction_error(r.edit_null, r.image).mse;
      r.distance_plain = reconstruction_error(r.edit_plain, r.image).mse;
      auto classifier = load_classifier(default_classifier_path(), 2);
      r.confidence_null = class_probabilities(*classifier->model, r.edit_null, 1)[target];
      r.confidence_plain = class_probabilities(*classifier->model, r.edit_plain, 1)[target];
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  // ---- SDEdit of a sketch ---------------------------------------------------------------------------------
  void draw_sdedit() {
    if (sketch_job_.poll() && sketch_job_.value()) {
      sketch_ = *sketch_job_.value();
      run_sdedit();
    }
    sdedit_.poll();
    class_combo(tr_id("edit.to_class", "to class"), &target_, true);
    same_line_if_fits(button_width(tr("edit.clear")));
    if (ImGui::Button(tr_id("edit.clear", "clear"))) {
      std::fill(sketch_.begin(), sketch_.end(), -1.0f);
      run_sdedit();
    }
    same_line_if_fits(button_width(tr("edit.from_test")));
    if (ImGui::Button(tr_id("edit.from_test", "from test"))) {
      image_ = (image_ + 1) % 10000;
      load_sketch_from_test();
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    int t0 = kT0s[t0_index_];
    if (ImGui::SliderInt(tr_id("edit.t0", "t0"), &t0, 0, 900))
      t0_index_ = std::clamp((t0 + 50) / 100, 0, kT0Count - 1);
    if (!sdedit_.error().empty()) error_note(sdedit_.error());
    if (sdedit_.busy()) progress_note(tr("edit.busy_sdedit"), sdedit_);
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float canvas = std::min(avail_w * 0.38f, avail_h * 0.5f);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("edit.sketch"));
    draw_canvas(canvas);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    const SdeditResult* r = sdedit_.value() ? &*sdedit_.value() : nullptr;
    const float right_w = ImGui::GetContentRegionAvail().x;
    if (r && static_cast<int>(r->points.size()) == kT0Count) {
      const SdeditPoint& p = r->points[t0_index_];
      char head[96];
      std::snprintf(head, sizeof head, tr("edit.samples_at"), p.t0);
      ImGui::TextUnformatted(head);
      const float cell = std::min(right_w / 2 - 4, canvas / 2 - 4);
      plot::image_grid("edit sdedit", p.images.data(), kSdeditSamples, kSide, kSide, 2, -1, 1, cell);
    }
    ImGui::EndGroup();
    if (!r || static_cast<int>(r->points.size()) != kT0Count) return;
    std::vector<double> t0s, distance, confidence;
    for (const SdeditPoint& p : r->points) {
      t0s.push_back(p.t0);
      distance.push_back(p.distance);
      confidence.push_back(100 * p.confidence);
    }
    const float plot_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float half = (avail_w - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    if (plot::begin_plot(tr_id("edit.title_distance", "edit distance"), ImVec2(half, plot_h),
                         plot::kPlotNoLegend)) {
      plot::setup_axes("t₀", tr("edit.axis_distance"));
      plot::set_next_color(IM_COL32(230, 120, 60, 255));
      plot::plot_line(tr("edit.axis_distance"), t0s.data(), distance.data(), kT0Count);
      plot::plot_vline("##t0", kT0s[t0_index_]);
      plot::end_plot();
    }
    ImGui::SameLine();
    if (plot::begin_plot(tr_id("edit.title_confidence", "edit confidence"), ImVec2(half, plot_h),
                         plot::kPlotNoLegend)) {
      plot::setup_axes("t₀", tr("edit.axis_confidence"));
      plot::setup_axis_limits(plot::Axis::Y, 0, 100, plot::Cond::Always);
      plot::set_next_color(IM_COL32(70, 150, 230, 255));
      plot::plot_line(tr("edit.axis_confidence"), t0s.data(), confidence.data(), kT0Count);
      plot::plot_vline("##t0c", kT0s[t0_index_]);
      plot::end_plot();
    }
    const SdeditPoint& p = r->points[t0_index_];
    char text[900];
    std::snprintf(text, sizeof text, tr("edit.caption_sdedit"), class_label(r->target), p.t0, p.distance,
                  100 * p.confidence, steps_, r->seconds);
    caption(text);
  }

  void draw_canvas(float size) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("edit canvas", ImVec2(size, size),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const float px = size / kSide;
    if (ImGui::IsItemActive()) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const float value = ImGui::IsMouseDown(ImGuiMouseButton_Right) ? -1.0f : 1.0f;
      const int cx = static_cast<int>((m.x - origin.x) / px), cy = static_cast<int>((m.y - origin.y) / px);
      // A 2 × 2 brush: strokes as wide as Fashion-MNIST's.
      for (int dy = 0; dy <= 1; ++dy)
        for (int dx = 0; dx <= 1; ++dx) {
          const int x = cx + dx, y = cy + dy;
          if (x >= 0 && x < kSide && y >= 0 && y < kSide) sketch_[y * kSide + x] = value;
        }
      drawing_ = true;
    } else if (drawing_) {
      drawing_ = false;
      run_sdedit();  // a stroke finished: edit the new sketch
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        const int v = static_cast<int>(std::clamp((sketch_[y * kSide + x] + 1) * 127.5f, 0.0f, 255.0f));
        dl->AddRectFilled(ImVec2(origin.x + x * px, origin.y + y * px),
                          ImVec2(origin.x + (x + 1) * px, origin.y + (y + 1) * px), IM_COL32(v, v, v, 255));
      }
    dl->AddRect(origin, ImVec2(origin.x + size, origin.y + size), IM_COL32(128, 128, 128, 255));
  }

  void load_sketch_from_test() {
    const int image = image_;
    sketch_job_.start([image] {
      auto model = load_model(checkpoint_path("fashion-mnist-classroom-cond.ckpt"), "", std::nullopt);
      const ImageDataset test = load_image_dataset(model->checkpoint->dataset, false);
      return std::vector<float>(test.image(image), test.image(image) + test.dim());
    });
  }

  void run_sdedit() {
    const int target = target_, steps = steps_;
    const std::vector<float> sketch = sketch_;
    sdedit_.start([target, steps, sketch] {
      const auto start = std::chrono::steady_clock::now();
      auto model = load_model(checkpoint_path("fashion-mnist-classroom-cond.ckpt"), "", std::nullopt);
      model->backend->set_threads(2);
      auto classifier = load_classifier(default_classifier_path(), 2);
      SdeditResult r;
      r.target = target;
      r.points = sdedit_sweep(
          model->unet(), model->schedule, classifier->model.get(), sketch, target, 3.0,
          std::vector<int>(std::begin(kT0s), std::end(kT0s)), kSdeditSamples, steps, 0,
          [](long done, long total) { job_progress(static_cast<double>(done) / total); },
          [] { return BackgroundJob::cancelled(); });
      BackgroundJob::check_cancelled();
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  void class_combo(const char* label, int* k, bool rerun_sdedit = false) {
    const char* items[10];
    for (int i = 0; i < 10; ++i) items[i] = class_label(i);
    // class_label reuses one buffer per class: keep pointers stable by reading all first.
    ImGui::SetNextItemWidth(combo_width(items, 10, ImGui::GetFontSize() * 6));
    if (ImGui::Combo(label, k, items, 10) && rerun_sdedit) run_sdedit();
  }

  std::string mode_ = "invert";
  int image_ = 0, image_shown_ = 0, target_ = 3, steps_ = 20, t0_index_ = 5;
  bool drawing_ = false;
  std::vector<float> sketch_;
  Async<InvertResult> invert_;
  Async<SdeditResult> sdedit_;
  Async<std::vector<float>> sketch_job_;
};

}  // namespace

std::unique_ptr<LivePanel> make_edit_panel(const PanelDirective& d) {
  return std::make_unique<EditPanel>(d);
}

}  // namespace difflab::lecture
