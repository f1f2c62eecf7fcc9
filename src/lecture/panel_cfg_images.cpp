// panel_cfg_images.cpp — classifier-free guidance on images (lesson 13): the shipped class-conditional
// classroom U-Net sampled for each of the 10 Fashion-MNIST classes at γ = 0, 1, 2, 3, 5, 7.5 from the same
// x_T, as a grid (rows: classes, columns: γ), with the classifier's accuracy and FID against γ; show=compare:
// CFG at γ = 3 beside classifier guidance (the noise-conditional classifier) at the scale of matched
// accuracy. Not the sweep (train/cfg_sweep.h, run in the background with progress) and not the guidance
// (sample/guided.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/classifier.h"
#include "plot/plot.h"
#include "train/cfg_sweep.h"
#include "train/classifier_trainer.h"
#include "train/image_noise_classifier_trainer.h"
#include "train/image_quality.h"
#include "train/model_source.h"

namespace difflab::lecture {
namespace {

constexpr int kTestImages = 4000;  // the first test images: ≈ 400 per class for the FID references

// show=compare: CFG at this γ against classifier guidance at these scales (the one of closest accuracy
// shown).
constexpr double kCompareGamma = 3;
const std::vector<double> kCompareScales = {10, 20, 40, 70, 100};
constexpr int kCompareColumns = 4;  // samples per class in each grid

struct CfgPanelResult {
  CfgSweepResult sweep;     // CFG (show=compare: γ = kCompareGamma only)
  CfgSweepResult guidance;  // show=compare: classifier guidance at kCompareScales
  double seconds = 0;
};

class CfgImagesPanel final : public LivePanel {
 public:
  explicit CfgImagesPanel(const PanelDirective& d) {
    per_class_ = std::stoi(d.value("per_class"));
    steps_ = std::stoi(d.value("steps"));
    show_ = d.value("show");
    recompute();
  }

  void draw() override {
    result_.poll();
    if (ImGui::Button(tr_id("cfgimg.recompute", "recompute"))) recompute();
    same_line_if_fits(button_width(tr("cfgimg.new_noise")));
    if (ImGui::Button(tr_id("cfgimg.new_noise", "new noise"))) {
      ++seed_;
      recompute();
    }
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("cfgimg.busy"), result_);
    if (!result_.value()) return;
    const CfgSweepResult& r = result_.value()->sweep;
    if (r.points.empty()) return;
    if (show_ == "compare") return draw_compare(*result_.value());
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const bool grid = show_ != "curves", curves = show_ != "grid";
    const float grid_w = grid && curves ? avail_w * 0.5f : avail_w;
    if (grid) {
      ImGui::BeginGroup();
      draw_grid(r, grid_w, avail_h);
      ImGui::EndGroup();
    }
    if (curves) {
      if (grid) ImGui::SameLine();
      ImGui::BeginGroup();
      draw_curves(r, grid ? avail_w - grid_w - ImGui::GetStyle().ItemSpacing.x : avail_w, avail_h);
      ImGui::EndGroup();
    }
    const CfgSweepPoint* best = &r.points.front();
    for (const CfgSweepPoint& q : r.points)
      if (q.accuracy > best->accuracy) best = &q;
    char text[1200];
    std::snprintf(text, sizeof text, tr("cfgimg.caption"), r.per_class, steps_,
                  r.points.front().accuracy * 100, best->accuracy * 100, best->gamma, r.class_fid_floor_mean,
                  result_.value()->seconds);
    caption(text);
  }

 private:
  // CFG at γ = 3 (left) and classifier guidance at the scale whose accuracy is closest (right), the same x_T.
  void draw_compare(const CfgPanelResult& result) {
    const CfgSweepResult& r = result.sweep;
    if (result.guidance.points.empty()) return;
    const CfgSweepPoint& cfg = r.points.front();
    const CfgSweepPoint& cg = closest_accuracy(result.guidance, cfg.accuracy);
    const int K = r.num_classes, D = r.height * r.width, C = std::min(kCompareColumns, r.per_class);
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
    const float label_w = font * 5.5f;
    const float cell = std::max(10.0f, std::min((avail_w - label_w - 3 * font) / (2 * C) - 2,
                                                (avail_h - 4 * line) / K - ImGui::GetStyle().ItemSpacing.y));
    const float grid_w = C * (cell + 2);
    const float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
    // Headers, three lines over each grid: the method and its weight, the accuracy, the FID per class.
    char heads[2][3][160];
    const CfgSweepPoint* points[2] = {&cfg, &cg};
    float widest = 0;
    for (int side = 0; side < 2; ++side) {
      std::snprintf(heads[side][0], sizeof heads[side][0],
                    tr(side ? "cfgimg.compare_cg" : "cfgimg.compare_cfg"), points[side]->gamma);
      std::snprintf(heads[side][1], sizeof heads[side][1], tr("cfgimg.compare_accuracy"),
                    points[side]->accuracy * 100);
      std::snprintf(heads[side][2], sizeof heads[side][2], tr("cfgimg.compare_fid"), points[side]->class_fid);
      for (const char* h : heads[side]) widest = std::max(widest, ImGui::CalcTextSize(h).x);
    }
    const float gap = std::max(font, widest - grid_w + font);
    for (int side = 0; side < 2; ++side)
      for (int l = 0; l < 3; ++l) {
        ImGui::SetCursorPos(ImVec2(x0 + label_w + side * (grid_w + gap), y0 + l * line));
        ImGui::TextUnformatted(heads[side][l]);
      }
    ImGui::SetCursorPos(ImVec2(x0, y0 + 3 * line));
    std::vector<float> row(static_cast<size_t>(C) * D);
    for (int k = 0; k < K; ++k) {
      const float y = ImGui::GetCursorPosY();
      ImGui::SetCursorPos(ImVec2(x0, y + (cell - font) * 0.5f));
      const std::string key = "cfgimg.class" + std::to_string(k);
      ImGui::TextUnformatted(k < 10 ? tr(key.c_str()) : std::to_string(k).c_str());
      int side = 0;
      for (const CfgSweepPoint* q : {&cfg, &cg}) {
        std::copy_n(q->images.begin() + static_cast<std::ptrdiff_t>(k) * r.per_class * D,
                    static_cast<size_t>(C) * D, row.begin());
        ImGui::SetCursorPos(ImVec2(x0 + label_w + side * (grid_w + gap), y));
        plot::image_grid(("compare " + std::to_string(side) + " " + std::to_string(k)).c_str(), row.data(), C,
                         r.width, r.height, C, -1, 1, cell);
        ++side;
      }
    }
    char text[1200];
    std::snprintf(text, sizeof text, tr("cfgimg.compare_caption"), r.per_class, steps_, cfg.fid, cg.fid,
                  r.fid_floor, result.seconds);
    caption(text);
  }

  void draw_grid(const CfgSweepResult& r, float width, float height) {
    const int G = static_cast<int>(r.points.size()), K = r.num_classes, D = r.height * r.width;
    const float font = ImGui::GetFontSize();
    const float label_w = font * 5.5f;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    // Rows stand ItemSpacing.y apart (not the 2 px between the images of a row): with 2 the ten rows ran
    // ~50 px past the panel at 1920x1080 and hid the caption.
    const float row_gap = ImGui::GetStyle().ItemSpacing.y;
    const float cell = std::max(12.0f, std::min((width - label_w) / G - 2, (height - line) / K - row_gap));
    // Column headers: the γ of each column, centred over it.
    const float x0 = ImGui::GetCursorPosX() + label_w;
    ImGui::TextUnformatted("γ");
    for (int g = 0; g < G; ++g) {
      char head[32];
      std::snprintf(head, sizeof head, "%g", r.points[g].gamma);
      ImGui::SameLine();
      ImGui::SetCursorPosX(x0 + g * (cell + 2) + (cell - ImGui::CalcTextSize(head).x) * 0.5f);
      ImGui::TextUnformatted(head);
    }
    std::vector<float> row(static_cast<size_t>(G) * D);
    for (int k = 0; k < K; ++k) {
      // Sample 0 of class k at every γ: the same x_T along the row.
      for (int g = 0; g < G; ++g)
        std::copy_n(r.points[g].images.begin() + static_cast<std::ptrdiff_t>(k) * r.per_class * D, D,
                    row.begin() + static_cast<std::ptrdiff_t>(g) * D);
      const float y = ImGui::GetCursorPosY();
      ImGui::SetCursorPosY(y + (cell - font) * 0.5f);
      const std::string key = "cfgimg.class" + std::to_string(k);
      ImGui::TextUnformatted(k < 10 ? tr(key.c_str()) : std::to_string(k).c_str());
      ImGui::SameLine();
      ImGui::SetCursorPos(ImVec2(x0, y));
      plot::image_grid(("cfg row " + std::to_string(k)).c_str(), row.data(), G, r.width, r.height, G, -1, 1,
                       cell);
    }
  }

  void draw_curves(const CfgSweepResult& r, float width, float height) {
    const int G = static_cast<int>(r.points.size());
    std::vector<double> gammas, accuracy, class_fid, fid, floor_x, floor_y;
    for (const CfgSweepPoint& q : r.points) {
      gammas.push_back(q.gamma);
      accuracy.push_back(100 * q.accuracy);
      class_fid.push_back(q.class_fid);
      fid.push_back(q.fid);
    }
    floor_x = {gammas.front(), gammas.back()};
    floor_y = {r.class_fid_floor_mean, r.class_fid_floor_mean};
    const float h = (height - ImGui::GetStyle().ItemSpacing.y) * 0.5f;
    if (plot::begin_plot(tr_id("cfgimg.title_accuracy", "cfg accuracy"), ImVec2(width, h),
                         plot::kPlotNoLegend)) {
      plot::setup_axes(tr("cfgimg.axis_gamma"), tr("cfgimg.axis_accuracy"));
      plot::setup_axis_limits(plot::Axis::Y, 0, 100, plot::Cond::Always);
      plot::set_next_color(IM_COL32(70, 150, 230, 255));
      plot::plot_line(tr("cfgimg.legend_accuracy"), gammas.data(), accuracy.data(), G);
      plot::set_next_color(IM_COL32(70, 150, 230, 255));
      plot::plot_scatter("##acc", gammas.data(), accuracy.data(), G);
      plot::end_plot();
    }
    if (plot::begin_plot(tr_id("cfgimg.title_fid", "cfg fid"), ImVec2(width, h))) {
      // Log scale: γ = 0's FID is ten times the rest, and the rise at large γ must stay visible.
      plot::setup_axes(tr("cfgimg.axis_gamma"), tr("cfgimg.axis_fid"), plot::kAxisNone, plot::kAxisLog);
      double top = r.class_fid_floor_mean, bottom = r.class_fid_floor_mean;
      for (const CfgSweepPoint& q : r.points) top = std::max({top, q.class_fid, q.fid});
      for (const CfgSweepPoint& q : r.points) bottom = std::min({bottom, q.class_fid, q.fid});
      plot::setup_axis_limits(plot::Axis::Y, 0.7 * std::max(bottom, 1e-3), 1.4 * top, plot::Cond::Always);
      plot::set_next_color(IM_COL32(230, 120, 60, 255));
      plot::plot_line(tr("cfgimg.legend_class_fid"), gammas.data(), class_fid.data(), G);
      plot::set_next_color(IM_COL32(230, 120, 60, 255));
      plot::plot_scatter("##cfid", gammas.data(), class_fid.data(), G);
      plot::set_next_color(IM_COL32(90, 190, 100, 255));
      plot::plot_line(tr("cfgimg.legend_fid"), gammas.data(), fid.data(), G);
      plot::set_next_color(IM_COL32(150, 150, 150, 255));
      plot::plot_line(tr("cfgimg.legend_floor"), floor_x.data(), floor_y.data(), 2);
      plot::end_plot();
    }
  }

  void recompute() {
    const int per_class = per_class_, steps = steps_;
    const uint64_t seed = seed_;
    const bool compare = show_ == "compare";
    result_.start([per_class, steps, seed, compare] {
      // Loaded here, on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      auto model = load_model(checkpoint_path("fashion-mnist-classroom-cond.ckpt"), "", std::nullopt);
      model->backend->set_threads(2);
      auto classifier = load_classifier(default_classifier_path(), 2);
      ImageDataset test = load_image_dataset(model->checkpoint->dataset, false);
      const int keep = std::min(test.count, kTestImages);
      test.count = keep;
      test.pixels.resize(static_cast<size_t>(keep) * test.dim());
      test.labels.resize(keep);
      job_progress(0.01);  // loaded; the FID references are fitted next, then the sampling reports
      CfgSweepConfig config;
      config.per_class = per_class;
      config.sampler = fid_sampler_config(steps);
      config.seed = seed;
      CfgPanelResult r;
      if (compare) {  // CFG at γ = 3 (2 passes per step), then classifier guidance at each scale
        auto noise_classifier = load_image_noise_classifier(default_noise_classifier_path(), 2);
        const double cfg_share = 2.0 / (2.0 + static_cast<double>(kCompareScales.size()));
        config.gammas = {kCompareGamma};
        r.sweep = run_cfg_sweep(model->unet(), model->schedule, *classifier->model, test, config,
                                [cfg_share](long done, long total) {
                                  job_progress(0.02 + 0.98 * cfg_share * static_cast<double>(done) / total);
                                });
        config.gammas = kCompareScales;
        config.kind = GuidanceKind::Classifier;
        config.noise_classifier = noise_classifier->model.get();
        r.guidance = run_cfg_sweep(
            model->unet(), model->schedule, *classifier->model, test, config,
            [cfg_share](long done, long total) {
              job_progress(0.02 + 0.98 * (cfg_share + (1 - cfg_share) * static_cast<double>(done) / total));
            });
      } else {
        r.sweep = run_cfg_sweep(
            model->unet(), model->schedule, *classifier->model, test, config,
            [](long done, long total) { job_progress(0.02 + 0.98 * static_cast<double>(done) / total); });
      }
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  int per_class_ = 10, steps_ = 10;
  std::string show_ = "both";
  uint64_t seed_ = 0;
  Async<CfgPanelResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_cfg_images_panel(const PanelDirective& d) {
  return std::make_unique<CfgImagesPanel>(d);
}

}  // namespace difflab::lecture
