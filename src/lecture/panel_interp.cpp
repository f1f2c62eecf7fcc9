// panel_interp.cpp — DDIM latent interpolation (Song et al. 2021, §5.3): slerp between two x_T decoded by
// DDIM (η = 0) beside the linear blend, as rows of images with each latent's norm, or as paths in 2-D.
// Not the computation (views/interpolation.h, run in the background) and not a sampler.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "sample/sampler.h"
#include "train/model_source.h"
#include "views/interpolation.h"

namespace difflab::lecture {
namespace {

constexpr int kSide = 28, kPixels = kSide * kSide;
constexpr int kPathPoints = 81;           // the 2-D view: α = 0, 1/80, …, 1 on each path
constexpr double kAlphaPerSecond = 0.25;  // Play in the 2-D view: α from 0 to 1 in 4 s

struct InterpResult {
  LatentInterpolation slerp, lerp;
  std::vector<float> a, b;
  int steps = 0;  // the DDIM steps these were decoded with (the slider may have moved since)
  double seconds = 0;
};

double norm_of(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += double(x) * x;
  return std::sqrt(s);
}

double angle_between(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0;
  for (size_t k = 0; k < a.size(); ++k) dot += double(a[k]) * b[k];
  return std::acos(std::clamp(dot / (norm_of(a) * norm_of(b) + 1e-30), -1.0, 1.0));
}

class InterpPanel final : public LivePanel {
 public:
  explicit InterpPanel(const PanelDirective& d) : view_(d.value("view")), dataset_(d.value("dataset")) {
    steps_ = std::stoi(d.value("steps"));
    count_ = std::stoi(d.value("count"));
    const std::string latents = d.value("latents");
    show_latents_ = latents == "true" || latents == "1" || latents == "on" || latents == "yes";
    recompute();
  }

  void toggle_play() override {
    if (view_ != "points") return;
    if (!playing_ && alpha_ >= 1) alpha_ = 0;
    playing_ = !playing_;
  }
  void step_once() override {
    playing_ = false;
    alpha_ = std::min(1.0f, alpha_ + 0.05f);
  }
  bool playing() const override { return playing_; }

  void draw() override {
    result_.poll();
    controls();
    if (!result_.value() || result_.busy()) {
      if (!result_.error().empty()) return (void)ImGui::TextWrapped("%s", result_.error().c_str());
      if (result_.busy()) progress_note(tr("interp.busy"), result_);
      if (!result_.value()) return;
    }
    if (view_ == "points")
      draw_points(*result_.value());
    else
      draw_images(*result_.value());
  }

 private:
  bool images() const { return view_ != "points"; }

  void recompute() {
    const bool images = this->images();
    const std::string dataset = dataset_;
    const int steps = steps_, count = images ? count_ : kPathPoints;
    const uint64_t seed_a = seed_a_, seed_b = seed_b_;
    result_.start([images, dataset, steps, count, seed_a, seed_b] {
      // Loaded on the worker thread, never on the UI's.
      std::unique_ptr<LoadedModel> model =
          images ? load_model(checkpoint_path("fashion-mnist-classroom.ckpt"), "", std::nullopt)
                 : load_panel_model("trained", dataset);
      if (model->backend) model->backend->set_threads(2);
      const int dim = model->model().dim();
      InterpResult r;
      r.a = standard_normal(dim, seed_a);
      r.b = standard_normal(dim, seed_b);
      // In 2-D two draws are often close: the next B at least 100° from A, so that arc and chord part.
      for (uint64_t next = seed_b; !images && angle_between(r.a, r.b) < 100 * M_PI / 180;)
        r.b = standard_normal(dim, next += 1000);
      r.steps = std::min(steps, model->schedule.T());
      InterpolationOptions o;
      o.count = count;
      o.steps = std::min(steps, model->schedule.T());
      o.clip_x0 = images;
      const auto start = std::chrono::steady_clock::now();
      o.progress = [](double f) { job_progress(0.5 * f); };
      r.slerp = ddim_interpolate(model->model(), r.a, r.b, o);
      o.path = LatentPath::Lerp;
      o.progress = [](double f) { job_progress(0.5 + 0.5 * f); };
      r.lerp = ddim_interpolate(model->model(), r.a, r.b, o);
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    const char* views[] = {"images", "points"};
    const char* names[] = {tr("interp.view_images"), tr("interp.view_points")};
    int current = images() ? 0 : 1;
    ImGui::SetNextItemWidth(font * 7);
    bool changed = false;
    if (ImGui::Combo(tr_id("common.view", "view"), &current, names, 2)) {
      view_ = views[current];
      changed = true;
    }
    same_line_if_fits(labeled_width(font * 7, tr("interp.steps")));
    ImGui::SetNextItemWidth(font * 7);
    ImGui::SliderInt(tr_id("interp.steps", "steps"), &steps_, 2, 50);
    changed |= ImGui::IsItemDeactivatedAfterEdit();
    same_line_if_fits(button_width(tr("interp.new_ends")));
    if (ImGui::Button(tr_id("interp.new_ends", "new ends"))) {
      seed_a_ += 2;
      seed_b_ += 2;
      changed = true;
    }
    same_line_if_fits(button_width(tr("interp.new_b")));
    if (ImGui::Button(tr_id("interp.new_b", "new b"))) {
      seed_b_ += 2;
      changed = true;
    }
    if (images()) {
      same_line_if_fits(ImGui::GetFrameHeight() + labeled_width(0, tr("interp.show_latents")));
      ImGui::Checkbox(tr_id("interp.show_latents", "latents"), &show_latents_);
    } else {
      same_line_if_fits(button_width(tr("common.pause")));
      if (ImGui::Button(playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play")))
        toggle_play();
      same_line_if_fits(labeled_width(font * 8, "α"));
      ImGui::SetNextItemWidth(font * 8);
      if (ImGui::SliderFloat("α", &alpha_, 0.0f, 1.0f, "%.2f")) playing_ = false;
    }
    if (changed) recompute();
  }

  // Two rows of decoded images, slerp over lerp, from the same endpoints; each image's latent norm under it
  // (and, when asked, the latents themselves above their rows).
  void draw_images(const InterpResult& r) {
    const int n = static_cast<int>(r.slerp.alphas.size());
    const double root_d = std::sqrt(static_cast<double>(r.a.size()));
    const float label = ImGui::GetFontSize() * 4;
    const float width = ImGui::GetContentRegionAvail().x - label;
    const int image_rows = show_latents_ ? 4 : 2;
    const float text_rows = 2 * ImGui::GetTextLineHeightWithSpacing();
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve() - text_rows;
    const float cell = std::max(12.0f, std::min(width / n - 3, height / image_rows - 4));
    for (int path = 0; path < 2; ++path) {
      const LatentInterpolation& li = path == 0 ? r.slerp : r.lerp;
      ImGui::PushID(path);
      if (show_latents_) {
        plot::scripted_text_item("x_T");  // scripted: "x_T" showed its underscore
        ImGui::SameLine(label);
        plot::image_grid("latents", li.latents.data(), n, kSide, kSide, n, -2.5f, 2.5f, cell);
      }
      ImGui::TextUnformatted(path == 0 ? "slerp" : "lerp");
      ImGui::SameLine(label);
      plot::image_grid("decoded", li.samples.data(), n, kSide, kSide, n, -1, 1, cell);
      // The norms, each centred under its image.
      plot::scripted_text_item("‖x_T‖");
      for (int i = 0; i < n; ++i) {
        char value[16];
        std::snprintf(value, sizeof value, "%.1f", li.latent_norms[i]);
        // image_grid's pitch: the cell and a 2-pixel gap.
        ImGui::SameLine(label + i * (cell + 2) + 0.5f * (cell - ImGui::CalcTextSize(value).x));
        ImGui::TextUnformatted(value);
      }
      ImGui::PopID();
    }
    norm_plot(r, root_d);
    const double mid_slerp = r.slerp.latent_norms[n / 2], mid_lerp = r.lerp.latent_norms[n / 2];
    char text[900];
    std::snprintf(text, sizeof text, tr("interp.images_caption"), static_cast<int>(r.a.size()), root_d,
                  norm_of(r.a), norm_of(r.b), r.steps, n, r.seconds, r.slerp.alphas[n / 2], mid_slerp,
                  mid_lerp, mid_lerp / root_d, (root_d - mid_lerp) / std::sqrt(0.5));
    caption(text);
  }

  // ‖x_T(α)‖ along both paths against √d, where the window leaves room for it (not at 1280 × 720 with the
  // latents shown).
  void norm_plot(const InterpResult& r, double root_d) {
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (height < ImGui::GetFontSize() * 8) return;
    const std::string title = std::string(tr("interp.title_norms")) + "###norms";
    if (!plot::begin_plot(title.c_str(), ImVec2(-1, height), plot::kPlotNoLegend)) return;
    plot::setup_axes("α", nullptr);
    plot::setup_axis_limits(plot::Axis::X, 0, 1, plot::Cond::Always);
    plot::setup_axis_limits(plot::Axis::Y, 0, 1.15 * root_d, plot::Cond::Always);
    const int n = static_cast<int>(r.slerp.alphas.size());
    for (int path = 0; path < 2; ++path) {
      const LatentInterpolation& li = path == 0 ? r.slerp : r.lerp;
      plot::set_next_color(plot::palette_color(path));
      plot::plot_line(path == 0 ? "slerp" : "lerp", li.alphas.data(), li.latent_norms.data(), n);
      plot::set_next_color(plot::palette_color(path));
      plot::plot_scatter(path == 0 ? "##slerp_points" : "##lerp_points", li.alphas.data(),
                         li.latent_norms.data(), n);
    }
    plot::set_next_color(IM_COL32(170, 170, 170, 200));
    plot::plot_hline("sqrt(d)", root_d);
    plot::end_plot();
  }

  // Left: the latent plane with the arc and the chord from A to B; right: the data and the two decoded paths.
  void draw_points(const InterpResult& r) {
    if (playing_) {
      alpha_ += static_cast<float>(kAlphaPerSecond * ImGui::GetIO().DeltaTime);
      if (alpha_ >= 1) alpha_ = 1, playing_ = false;
    }
    const int n = static_cast<int>(r.slerp.alphas.size());
    const int at = std::clamp(static_cast<int>(std::lround(alpha_ * (n - 1))), 0, n - 1);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    for (int side = 0; side < 2; ++side) {
      if (side) ImGui::SameLine();
      const std::string title =
          std::string(side == 0 ? tr("interp.title_latent") : tr("interp.title_decoded")) +
          (side ? "###dec" : "###lat");
      // No legend (it took a third of the plot at 1280 × 720): the titles name the colours.
      if (!plot::begin_plot(title.c_str(), ImVec2(half, height),
                            plot::kPlotEqualAspect | plot::kPlotNoLegend))
        continue;
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
      if (side == 1) {
        const std::vector<float>& data = data_points(dataset_, 1000, 0);
        plot::set_next_color(IM_COL32(150, 150, 150, 80));
        plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      }
      for (int path = 0; path < 2; ++path) {
        const LatentInterpolation& li = path == 0 ? r.slerp : r.lerp;
        const std::vector<float>& xs = side == 0 ? li.latents : li.samples;
        // Latents: a continuous arc or chord. Decoded: points, since DDIM may jump across a gap between modes
        // (a line would draw the jump as if points lay on it).
        plot::set_next_color(plot::palette_color(path));
        plot::set_next_size(side == 0 ? 2.0f : 3.0f);
        if (side == 0)
          plot::plot_line(path == 0 ? "slerp" : "lerp", xs.data(), xs.data() + 1, n, 8);
        else
          plot::plot_scatter(path == 0 ? "slerp" : "lerp", xs.data(), xs.data() + 1, n, 8);
        plot::set_next_color(plot::palette_color(path));
        plot::set_next_size(8);
        plot::plot_scatter(path == 0 ? "##slerp_at" : "##lerp_at", &xs[2 * at], &xs[2 * at + 1], 1);
      }
      const std::vector<float>& ends = side == 0 ? r.slerp.latents : r.slerp.samples;
      plot::set_next_color(IM_COL32(230, 230, 230, 255));
      plot::set_next_size(6);
      plot::plot_scatter("A, B", ends.data(), ends.data() + 1, 2, 8 * (n - 1));
      plot::end_plot();
    }
    char text[900];
    std::snprintf(text, sizeof text, tr("interp.points_caption"), norm_of(r.a), norm_of(r.b), alpha_,
                  r.slerp.latent_norms[at], r.lerp.latent_norms[at], r.steps);
    caption(text);
  }

  std::string view_, dataset_;
  int steps_ = 20, count_ = 9;
  uint64_t seed_a_ = 31, seed_b_ = 32;
  bool show_latents_ = false, playing_ = false;
  float alpha_ = 0.5f;
  Async<InterpResult> result_;
};

}  // namespace

std::unique_ptr<LivePanel> make_interp_panel(const PanelDirective& d) {
  return std::make_unique<InterpPanel>(d);
}

}  // namespace difflab::lecture
