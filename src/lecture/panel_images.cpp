// panel_images.cpp — diffusion on 28×28 images with the shipped classroom U-Net: the noising strip, x̂₀ across
// t, DDPM against DDIM grids from the same noise, and the U-Net trained live (lesson 10).
// Not the network or the trainer (src/nn/unet, src/train/image_trainer): this draws their results.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include <imgui.h>
#include <imgui_internal.h>

#include "data/idx.h"
#include "lecture/model_loader.h"
#include "lecture/panel_images_parts.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/unet.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/image_quality.h"
#include "train/image_trainer.h"
#include "train/live_backend.h"
#include "train/live_runner.h"
#include "train/live_trainer.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

constexpr int kSide = 28, kPixels = kSide * kSide;
constexpr uint64_t kGridNoiseSeed = 11;  // the samples view's x_T (both grids)

// The first test images of Fashion-MNIST (or the synthetic picture when it is not installed).
const std::vector<float>& test_images(int* count) {
  static int n = 0;
  static const std::vector<float> images = [] {
    try {
      const ImageDataset d = load_image_dataset("fashion-mnist", false);
      n = std::min(d.count, 8);
      return std::vector<float>(d.pixels.begin(), d.pixels.begin() + static_cast<size_t>(n) * kPixels);
    } catch (const std::exception&) {
      n = 1;
      return synthetic_image();
    }
  }();
  *count = n;
  return images;
}

struct Grids {
  std::vector<float> images;  // rows × columns images of 28 × 28
  int columns = 0;
  int reference = 0;         // x̂₀ view: test images behind the exact row
  double amplification = 0;  // x̂₀ view: √(1−ᾱ)/√ᾱ at t = 900, the factor on the network's ε error
  double milliseconds = 0;
  int steps = 0;  // samples view: DDIM steps (0 = DDPM, all 1000)
  double eta = 0;
};

// A grid while it is being sampled: the job copies its current xₜ here every few steps, so the panel shows
// the images forming from noise under the progress bar instead of an empty box (lesson 10, DDPM's 1000
// steps).
struct GridPreview {
  std::mutex mutex;
  std::vector<float> images;  // the current xₜ clipped to [−1, 1], empty before the first copy
  int steps_done = 0;
};

// How often and how much the live training measures quality (EMA weights, on the training thread). Measured
// on the classroom U-Net, one core of the busy 2-core course machine: bits/dim, 16 images × 51 passes ≈ 1.5
// s; FID, 128 samples × 10 DDIM steps and their classifier features ≈ 2.5 s; a training step ≈ 0.37 s, so an
// evaluation every 250 steps costs ≈ 4 % of the training time (more where the window renders on the CPU, as
// under Xvfb). The first 250 steps are measured every 50 (≈ 20 % there) so that a class sees a first point
// within a minute, not after 250 steps.
constexpr int kQualityEvery = 250, kQualityEarlyEvery = 50, kQualityEarlyUntil = 250;
// A shipped checkpoint of the same U-Net after a few hundred steps (params and EMA): live training can start
// from it, so the interesting part (silhouettes → textures) comes sooner.
constexpr const char* kEarlyCheckpoint = "fashion-mnist-classroom-early.ckpt";
std::string early_checkpoint_path() {
  const std::string path = checkpoint_path(kEarlyCheckpoint);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "";
  std::fclose(f);
  return path;
}
ImageQualityConfig live_quality_config() {
  ImageQualityConfig c;
  c.bits_images = 16;
  c.strata = 50;
  c.fid_samples = 128;
  c.fid_ddim_steps = 10;
  c.fid_reference = 1000;
  c.classifier = checkpoint_path("fashion-mnist-classifier.ckpt");
  c.threads = 1;
  return c;
}

}  // namespace

std::unique_ptr<ImageTrainer> make_live_image_trainer(const std::string& warm_start, BackendKind backend) {
  ImageTrainConfig c;
  c.steps = 0;
  c.threads = 1;  // leave a core to the window
  c.backend = backend;
  std::optional<Checkpoint> warm;
  if (!warm_start.empty()) {
    warm = load_checkpoint(warm_start);
    c.model = unet_config_from_map(warm->model_config);
    c.schedule = warm->schedule;
  }
  auto trainer = std::make_unique<ImageTrainer>(c);
  if (warm)
    trainer->load_params(warm->params.empty() ? warm->ema_params : warm->params, warm->ema_params,
                         warm->step);
  return trainer;
}

std::vector<float> live_sample_grid(ImageTrainer& trainer) {
  return trainer.sample(kLiveGridImages, kLiveGridSeed, kLiveGridSteps);
}

int checkpoint_header_step(const std::string& header_text) {
  std::istringstream in(header_text);
  std::string line;
  while (std::getline(in, line) && line != "END-HEADER") {
    int step = 0;
    char rest = 0;
    if (std::sscanf(line.c_str(), "step = %d%c", &step, &rest) == 1 && step >= 0) return step;
  }
  return -1;
}

ArchitectureLayout architecture_layout(float width, float height, int per_column, float line_height,
                                       float font_size, float spacing_x, float spacing_y, float label_width) {
  ArchitectureLayout l;
  per_column = std::max(per_column, 1);
  l.row_height = height / per_column;
  l.column_width = width / 2;
  // Two label lines, the second raised by half an item spacing, and 2 px to spare.
  const float two_lines = 2 * line_height + 0.5f * spacing_y;
  l.label_scale = std::clamp((l.row_height - spacing_y - 2) / two_lines, 0.6f, 1.0f);
  l.label_width = label_width * l.label_scale + spacing_x;
  constexpr float kGap = 2;  // plot::image_grid's gap between cells
  l.cell = std::min({2.6f * font_size, l.row_height - spacing_y - kGap,
                     (l.column_width - l.label_width - spacing_x) / 4 - kGap});
  l.cell = std::max(l.cell, 1.0f);
  return l;
}

namespace {

// What the UI reads of the live U-Net training: published by the worker, never mutated after.
struct ImageTrainingState {
  int step = 0;
  int first_step = 0;  // where training started (the warm start's step)
  double loss = NAN, images_per_s = 0;
  SeriesView<float> losses;  // one per step, shared with the worker (nothing copied per publication)
  std::vector<float> grid;
  UiMessage message;  // an error (from an exception; shown in the UI language); empty otherwise
  bool diverged = false;
  int next_evaluation = 0;
  // The quality curves: one point every kQualityEvery steps.
  std::vector<double> bits_steps, bits_per_dim, fid_steps, fid;
  double fid_floor = NAN, evaluation_seconds = 0;
  UiMessage bits_note, fid_note;  // why a curve is missing (shown in the UI language); empty when drawn
  bool evaluating = false;
};

// The U-Net as a TrainJob: built (and the warm start loaded) on the worker at the first step, a DDIM grid
// every 6 seconds, and the quality curves every kQualityEvery steps.
class ImageTrainingJob final : public TrainJob {
 public:
  // warm_start: the path of a checkpoint to continue from ("" = from scratch).
  explicit ImageTrainingJob(std::string warm_start) : warm_start_(std::move(warm_start)) {}

  StepResult step() override {
    if (!trainer_) build();  // at the first Play, on the worker thread, never the UI's
    const auto start = std::chrono::steady_clock::now();
    const StepResult r = trainer_->step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s_.images_per_s = trainer_->config().batch / std::max(seconds, 1e-6);
    s_.step = trainer_->step_count();
    s_.loss = r.loss;
    losses_.push_back(static_cast<float>(r.loss));
    return r;
  }
  int step_count() const override { return trainer_ ? trainer_->step_count() : 0; }

  void after_step(const StepResult&, const JobHooks& hooks) override {
    s_.diverged = false;
    s_.message = UiMessage{};
    if (std::chrono::steady_clock::now() - last_grid_ > std::chrono::seconds(6)) {
      s_.grid = live_sample_grid(*trainer_);  // DDIM, 20 steps: a fresh look every few seconds
      last_grid_ = std::chrono::steady_clock::now();
    }
    if (trainer_->step_count() < s_.next_evaluation) return;
    s_.next_evaluation =
        first_step_ + next_quality_step(trainer_->step_count() - first_step_, kQualityEarlyEvery,
                                        kQualityEarlyUntil, kQualityEvery);
    if (!quality_ || !(quality_->has_bits_per_dim() || quality_->has_fid())) return;
    s_.evaluating = true;
    hooks.publish();  // the UI says "evaluating" during the few seconds this takes
    if (!evaluate(hooks)) quality_.reset();
    s_.evaluating = false;
  }
  void on_diverged(const StepResult&) override { s_.diverged = true; }
  void on_error(const std::exception& e) override {
    s_.evaluating = false;
    s_.message = message_of(e);
  }

  std::shared_ptr<const void> snapshot(const RunInfo&) override {
    auto snap = std::make_shared<ImageTrainingState>(s_);
    snap->losses = losses_.view();
    return snap;
  }

 private:
  void build() {
    trainer_ = make_live_image_trainer(warm_start_, live_backend());  // the View menu's choice, from now on
    set_live_backend_description(trainer_->backend().device_description());
    first_step_ = trainer_->step_count();
    // The test split, the classifier and the reference features, loaded once (≈ 0.5 s).
    UiMessage failed;
    try {
      quality_ = std::make_unique<ImageQualityMonitor>(live_quality_config());
    } catch (const std::exception& e) {
      failed = with_cause(train_message("trainmsg.monitor_failed"), message_of(e));
    }
    s_.bits_note = quality_ ? quality_->bits_message() : failed;
    s_.fid_note = quality_ ? quality_->fid_message() : failed;
    s_.fid_floor = quality_ ? quality_->fid_floor() : NAN;
    s_.first_step = s_.step = first_step_;
    s_.next_evaluation = first_step_ + (warm_start_.empty() ? kQualityEarlyEvery : 1);
  }

  // One point of the quality curves. False when it failed: the curves say why, and training goes on without
  // them.
  bool evaluate(const JobHooks& hooks) {
    try {
      const QualityPoint p = quality_->evaluate(*trainer_, hooks.cancelled);
      s_.bits_note = quality_->bits_message();
      s_.fid_note = quality_->fid_message();
      if (std::isfinite(p.bits_per_dim)) {
        s_.bits_steps.push_back(p.step);
        s_.bits_per_dim.push_back(p.bits_per_dim);
      }
      if (std::isfinite(p.fid)) {
        s_.fid_steps.push_back(p.step);
        s_.fid.push_back(p.fid);
      }
      s_.evaluation_seconds = p.seconds;
      return true;
    } catch (const std::exception& e) {
      s_.bits_note = s_.fid_note = with_cause(train_message("trainmsg.evaluation_failed"), message_of(e));
      return false;
    }
  }

  std::string warm_start_;
  std::unique_ptr<ImageTrainer> trainer_;
  std::unique_ptr<ImageQualityMonitor> quality_;
  int first_step_ = 0;
  std::chrono::steady_clock::time_point last_grid_ = std::chrono::steady_clock::now();
  Series<float> losses_;
  ImageTrainingState s_;  // the worker's copy; snapshots copy it (the losses are shared)
};

// The U-Net trained on a LiveRunner's worker; the UI reads its latest immutable state.
class LiveImageTraining {
 public:
  using State = ImageTrainingState;
  // warm_start: the path of a checkpoint to continue from ("" = from scratch); loaded on the worker thread.
  explicit LiveImageTraining(std::string warm_start)
      : runner_([w = std::move(warm_start)] { return std::make_unique<ImageTrainingJob>(w); }) {}
  void toggle() { runner_.toggle(); }
  bool playing() const { return runner_.playing(); }
  std::shared_ptr<const State> state() const {
    std::shared_ptr<const State> s = runner_.snapshot<State>();
    return s ? s : empty_;
  }

 private:
  std::shared_ptr<const State> empty_ = std::make_shared<State>();
  LiveRunner runner_;  // last: its worker stops before empty_ goes
};

class ImagesPanel final : public LivePanel {
 public:
  explicit ImagesPanel(const PanelDirective& d) : view_(d.value("view")) {
    t_ = std::stoi(d.value("t"));
    kind_ = schedule_kind_or_linear(d.value("schedule"));
    steps_ = std::stoi(d.value("steps"));
    eta_ = std::stof(d.value("eta"));
  }

  void toggle_play() override {
    if (view_ == "train") training().toggle();
  }
  bool playing() const override { return training_ && training_->playing(); }

  void draw() override {
    controls();
    if (view_ == "x0") return draw_x0();
    if (view_ == "samples") return draw_samples();
    if (view_ == "train") return draw_training();
    if (view_ == "architecture") return draw_architecture();
    draw_strip();
  }

 private:
  LiveImageTraining& training() {
    if (!training_) training_ = std::make_unique<LiveImageTraining>(warm_ ? early_checkpoint_path() : "");
    return *training_;
  }

  void controls() {
    const char* views[] = {"strip", "x0", "samples", "train", "architecture"};
    const char* names[] = {tr("images.view_strip"), tr("images.view_x0"), tr("images.view_samples"),
                           tr("images.view_train"), tr("images.view_architecture")};
    int current = 0;
    for (int i = 0; i < 5; ++i)
      if (view_ == views[i]) current = i;
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(font * 8);
    if (ImGui::Combo(tr_id("common.view", "view"), &current, names, 5)) view_ = views[current];
    if (view_ == "strip" || view_ == "x0" || view_ == "architecture") {
      same_line_if_fits(labeled_width(font * 10, "t"));
      ImGui::SetNextItemWidth(font * 10);
      ImGui::SliderInt("t", &t_, 0, 999);
    }
    if (view_ == "strip") {
      // Lesson 10 asks to switch the strip to the cosine schedule: here.
      const char* kinds[] = {tr("schedule.linear"), tr("schedule.quadratic"), tr("schedule.cosine"),
                             tr("schedule.sigmoid")};
      const ScheduleKind values[] = {ScheduleKind::Linear, ScheduleKind::Quadratic, ScheduleKind::Cosine,
                                     ScheduleKind::Sigmoid};
      int k = 0;
      for (int i = 0; i < 4; ++i)
        if (kind_ == values[i]) k = i;
      same_line_if_fits(labeled_width(font * 7, tr("images.schedule")));
      ImGui::SetNextItemWidth(font * 7);
      if (ImGui::Combo(tr_id("images.schedule", "schedule"), &k, kinds, 4)) kind_ = values[k];
    }
    if (view_ == "samples") {
      same_line_if_fits(labeled_width(font * 8, tr("images.ddim_steps")));
      ImGui::SetNextItemWidth(font * 8);
      ImGui::SliderInt(tr_id("images.ddim_steps", "steps"), &steps_, 1, 200);
      const bool released = ImGui::IsItemDeactivatedAfterEdit();
      same_line_if_fits(labeled_width(font * 6, "η"));
      ImGui::SetNextItemWidth(font * 6);
      ImGui::SliderFloat("η", &eta_, 0.0f, 1.0f, "%.2f");
      if (released || ImGui::IsItemDeactivatedAfterEdit()) ddim_ = Async<Grids>{};
    }
  }

  void draw_strip() {
    int count = 0;
    const std::vector<float>& images = test_images(&count);
    const NoiseSchedule s = make_schedule(panel_schedule(kind_, 1000));
    const std::vector<int> ts = {-1, 100, 250, 500, 750, 999, t_};
    std::vector<float> grid;
    const int rows = std::min(count, 4);
    for (int r = 0; r < rows; ++r) {
      const std::vector<float> image(images.begin() + r * kPixels, images.begin() + (r + 1) * kPixels);
      const std::vector<float> strip = noising_strip(s, image, ts, 17 + r);
      grid.insert(grid.end(), strip.begin(), strip.end());
    }
    ImGui::Text(tr("images.strip_columns"), t_);
    const float cell = std::min((ImGui::GetContentRegionAvail().x - 16) / 7,
                                (ImGui::GetContentRegionAvail().y - caption_reserve()) / rows);
    plot::image_grid("strip", grid.data(), rows * 7, kSide, kSide, 7, -1, 1, cell);
    char text[500];
    std::snprintf(text, sizeof text, tr("images.strip_caption"), t_, s.sqrt_alpha_bar[t_],
                  s.sqrt_one_minus_alpha_bar[t_], panel_schedule_note(s.config).c_str());
    caption(text);
  }

  // Three rows: xₜ at several t; the U-Net's x̂₀; and the exact E[x₀ | xₜ] if the data were exactly the first
  // kReference test images. At t = 900 √ᾱₜ ≈ 0.02, so x̂₀ multiplies the network's ε error by ≈ 60: the
  // U-Net's row turns to noise while the exact row shows the blurry average the lesson promises. The caption
  // says so.
  static constexpr int kReference = 2000;
  void draw_x0() {
    if (x0_t_ != t_) {
      const int t = t_;
      x0_.start([t] {
        auto model = load_model(checkpoint_path("fashion-mnist-classroom.ckpt"), "", std::nullopt);
        BackgroundJob::set_progress(0.1f);
        int count = 0;
        const std::vector<float>& images = test_images(&count);
        const std::vector<float> image(images.begin(), images.begin() + kPixels);
        std::vector<float> reference;
        try {
          const ImageDataset d = load_image_dataset("fashion-mnist", false);
          const int n = std::min(d.count, kReference);
          reference.assign(d.pixels.begin(), d.pixels.begin() + static_cast<size_t>(n) * kPixels);
        } catch (const std::exception&) {
          reference = image;  // the synthetic picture alone: its exact x̂₀ is itself
        }
        const NoiseSchedule& s = model->schedule;
        const std::vector<int> ts = {50, 150, 300, 500, 700, 900, t};
        Grids g;
        g.columns = static_cast<int>(ts.size());
        std::vector<float> noisy = noising_strip(s, image, ts, 5), predicted(noisy.size()), exact;
        for (size_t k = 0; k < ts.size(); ++k) {
          BackgroundJob::check_cancelled();
          BackgroundJob::set_progress(0.1f + 0.9f * k / ts.size());
          std::vector<float> eps(kPixels);
          model->model().predict_eps(&noisy[k * kPixels], 1, ts[k], eps.data());
          for (int i = 0; i < kPixels; ++i)
            predicted[k * kPixels + i] = static_cast<float>(
                std::clamp(x0_from_eps(s, ts[k], noisy[k * kPixels + i], eps[i]), -1.0, 1.0));
          const std::vector<float> xt(noisy.begin() + k * kPixels, noisy.begin() + (k + 1) * kPixels);
          const std::vector<float> e = empirical_posterior_mean(reference, kPixels, xt, s.alpha_bar[ts[k]]);
          exact.insert(exact.end(), e.begin(), e.end());
        }
        g.images = noisy;
        g.images.insert(g.images.end(), predicted.begin(), predicted.end());
        g.images.insert(g.images.end(), exact.begin(), exact.end());
        g.reference = static_cast<int>(reference.size() / kPixels);
        g.amplification = s.sqrt_one_minus_alpha_bar[900] / s.sqrt_alpha_bar[900];
        return g;
      });
      x0_t_ = t_;
    }
    x0_.poll();
    if (!x0_.value()) {
      if (!x0_.error().empty()) return (void)ImGui::TextWrapped("%s", x0_.error().c_str());
      return progress_note(tr("images.busy_unet"), x0_);
    }
    const Grids& g = *x0_.value();
    ImGui::TextWrapped(tr("images.x0_rows"), t_, g.reference);
    // image_grid leaves 2 px after each cell. The 7 × 3 grid is width-limited on a 16:9 screen (≈ 110 px
    // cells at 1280 × 720): it is centred in the height left, and the caption sits at the panel's bottom
    // as in the other views (there was ~150 px of nothing under the caption, lesson 10 s6).
    const float room = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float cell = std::min((ImGui::GetContentRegionAvail().x - 2 * g.columns) / g.columns, room / 3 - 2);
    const float top = ImGui::GetCursorPosY(), grid_height = 3 * (cell + 2);
    ImGui::SetCursorPosY(top + std::max(0.0f, 0.5f * (room - grid_height)));
    plot::image_grid("x0 grid", g.images.data(), 3 * g.columns, kSide, kSide, g.columns, -1, 1, cell);
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), top + room + ImGui::GetStyle().ItemSpacing.y));
    char text[700];
    std::snprintf(text, sizeof text, tr("images.x0_caption"), g.amplification, g.reference);
    caption(text);
  }

  struct Architecture {
    std::vector<UNet::FeatureMap> maps;
    std::vector<float> input, output;
    std::string description;
  };

  // The U-Net as a picture: every module's output for the current xₜ, four channels each, in graph order
  // (down the resolutions 28 → 14 → 7, the middle, and back up), each map scaled to its own range.
  void draw_architecture() {
    if (architecture_t_ != t_) {
      const int t = t_;
      architecture_.start([t] {
        auto model = load_model(checkpoint_path("fashion-mnist-classroom.ckpt"), "", std::nullopt);
        int count = 0;
        const std::vector<float>& images = test_images(&count);
        const std::vector<float> image(images.begin(), images.begin() + kPixels);
        Architecture a;
        a.input = noising_strip(model->schedule, image, {t}, 5);
        a.output.resize(kPixels);
        model->model().predict_eps(a.input.data(), 1, t, a.output.data());
        a.maps = model->unet().feature_maps(0, 4);
        for (UNet::FeatureMap& f : a.maps) {
          const size_t per_map = static_cast<size_t>(f.side) * f.side;
          for (size_t start = 0; start < f.maps.size(); start += per_map) {
            float lo = 1e30f, hi = -1e30f;
            for (size_t i = 0; i < per_map; ++i)
              lo = std::min(lo, f.maps[start + i]), hi = std::max(hi, f.maps[start + i]);
            for (size_t i = 0; i < per_map; ++i)
              f.maps[start + i] = hi > lo ? 2 * (f.maps[start + i] - lo) / (hi - lo) - 1 : 0;
          }
        }
        a.description = model->description;
        return a;
      });
      architecture_t_ = t_;
    }
    architecture_.poll();
    if (!architecture_.value()) {
      if (!architecture_.error().empty())
        return (void)ImGui::TextWrapped("%s", architecture_.error().c_str());
      return progress_note(tr("images.busy_unet"), architecture_);
    }
    const Architecture& a = *architecture_.value();
    // Two columns, the way down on the left and the way up on the right, each entry a two-line label (module;
    // side and channels) beside its maps; the cells shrink until everything fits above the caption, so the
    // panel never scrolls (issue 10: at 1280×720 the way up was below the fold).
    const ImGuiStyle& style = ImGui::GetStyle();
    const int entries = static_cast<int>(a.maps.size()) + 2, per_column = (entries + 1) / 2;
    const ImVec2 avail(ImGui::GetContentRegionAvail().x,
                       ImGui::GetContentRegionAvail().y - caption_reserve() - style.ItemSpacing.y);
    const ArchitectureLayout layout =
        architecture_layout(avail.x, avail.y, per_column, ImGui::GetTextLineHeight(), ImGui::GetFontSize(),
                            style.ItemSpacing.x, style.ItemSpacing.y, label_width(a));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float cell = layout.cell;
    // The window's own font scale (the slide may have shrunk it to fit): labels scale relative to it.
    const float base = ImGui::GetCurrentWindow()->FontWindowScale, small = base * layout.label_scale;
    auto place = [&](int entry) {
      const int column = entry / per_column, row = entry % per_column;
      return ImVec2(origin.x + column * layout.column_width, origin.y + row * layout.row_height);
    };
    ImGui::PushID("architecture");
    ImGui::SetWindowFontScale(small);
    ImGui::SetCursorScreenPos(place(0));
    ImGui::TextUnformatted(tr("images.arch_input"));
    ImGui::SetWindowFontScale(base);
    ImGui::SetCursorScreenPos(ImVec2(place(0).x + layout.label_width, place(0).y));
    plot::image_grid("arch input", a.input.data(), 1, kSide, kSide, 1, -1, 1, cell);
    int index = 1;
    for (const UNet::FeatureMap& f : a.maps) {
      ImGui::PushID(index);
      const ImVec2 at = place(index++);
      ImGui::SetCursorScreenPos(at);
      ImGui::SetWindowFontScale(small);
      ImGui::TextUnformatted(f.kind.c_str());
      ImGui::SetCursorScreenPos(ImVec2(at.x, ImGui::GetCursorScreenPos().y - style.ItemSpacing.y * 0.5f));
      ImGui::TextDisabled("%d×%d · %d", f.side, f.side, f.channels);
      ImGui::SetWindowFontScale(base);
      ImGui::SetCursorScreenPos(ImVec2(at.x + layout.label_width, at.y));
      const int shown = static_cast<int>(f.maps.size() / (static_cast<size_t>(f.side) * f.side));
      plot::image_grid("maps", f.maps.data(), shown, f.side, f.side, shown, -1, 1, cell);
      ImGui::PopID();
    }
    const ImVec2 out = place(index);
    ImGui::SetCursorScreenPos(out);
    ImGui::SetWindowFontScale(small);
    plot::scripted_text_item(tr("images.arch_output"), layout.label_width - style.ItemSpacing.x);
    ImGui::SetWindowFontScale(base);
    ImGui::SetCursorScreenPos(ImVec2(out.x + layout.label_width, out.y));
    plot::image_grid("arch output", a.output.data(), 1, kSide, kSide, 1, -2.5f, 2.5f, cell);
    ImGui::PopID();
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(ImVec2(avail.x, per_column * layout.row_height));
    caption(tr("images.arch_caption"));
  }

  // The widest label of the architecture view at the current font: module names, "side×side · channels".
  static float label_width(const Architecture& a) {
    float w = ImGui::CalcTextSize(tr("images.arch_input")).x;
    char text[64];
    for (const UNet::FeatureMap& f : a.maps) {
      std::snprintf(text, sizeof text, "%d×%d · %d", f.side, f.side, f.channels);
      w = std::max({w, ImGui::CalcTextSize(f.kind.c_str()).x, ImGui::CalcTextSize(text).x});
    }
    return w;
  }

  void draw_samples() {
    if (!ddim_.value() && !ddim_.busy()) {
      const int steps = steps_;
      const double eta = eta_;
      auto preview = ddim_preview_ = starting_preview();
      ddim_.start([steps, eta, preview] { return sample_grid(steps, eta, preview.get()); });
    }
    if (!ddpm_.value() && !ddpm_.busy()) {
      auto preview = ddpm_preview_ = starting_preview();
      ddpm_.start([preview] { return sample_grid(0, 1.0, preview.get()); });
    }
    ddim_.poll();
    ddpm_.poll();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    // Above each grid: its time (one line) or, while either is sampled, the words and bar of a progress note
    // (or two wrapped lines): both columns take the same height so the two grids stay level.
    const bool sampling = !ddim_.value() || !ddpm_.value();
    const float header = sampling ? std::max(2 * line, line + ImGui::GetFrameHeightWithSpacing()) : line;
    const float cell =
        std::min(half / 4 - 3, (ImGui::GetContentRegionAvail().y - caption_reserve() - header) / 4 - 3);
    // Width-limited grids (1920 × 1080: ~350 px were left under the caption, lesson 10 s8) are centred in
    // the height left, and the caption sits at the panel's bottom.
    const float top = ImGui::GetCursorPosY(), room = ImGui::GetContentRegionAvail().y - caption_reserve();
    ImGui::SetCursorPosY(top + std::max(0.0f, 0.5f * (room - header - 4 * (cell + 2))));
    for (int k = 0; k < 2; ++k) {
      if (k) ImGui::SameLine();
      ImGui::BeginGroup();
      const float header_top = ImGui::GetCursorPosY();
      const auto level = [&] {
        const float below = header_top + header - ImGui::GetCursorPosY();
        if (below > 0) ImGui::Dummy(ImVec2(half, below - ImGui::GetStyle().ItemSpacing.y));
      };
      Async<Grids>& a = k == 0 ? ddim_ : ddpm_;
      if (a.value()) {
        const Grids& g = *a.value();
        char note[96];
        if (k == 0)
          std::snprintf(note, sizeof note, tr("images.note_ddim"), g.steps, g.eta);
        else
          std::snprintf(note, sizeof note, "%s", tr("images.note_ddpm"));
        ImGui::Text("%s: %.1f s", note, g.milliseconds / 1000);
        level();
        plot::image_grid(k == 0 ? "ddim grid" : "ddpm grid", a.value()->images.data(), 16, kSide, kSide, 4,
                         -1, 1, cell);
      } else if (!a.error().empty()) {
        ImGui::TextWrapped("%s", a.error().c_str());
        ImGui::Dummy(ImVec2(half, 4 * cell));
      } else {
        // DDPM waits on the one worker while DDIM samples: say so instead of a bar at 0 %.
        if (k == 1 && ddim_.busy() && a.progress() <= 0) {
          ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + half);
          ImGui::TextDisabled("%s", tr("images.ddpm_waits"));
          ImGui::PopTextWrapPos();
        } else {
          progress_note(k == 0 ? tr("images.busy_ddim") : tr("images.busy_ddpm"), a, half);
        }
        level();
        std::vector<float> images;
        if (GridPreview* p = (k == 0 ? ddim_preview_ : ddpm_preview_).get()) {
          std::lock_guard<std::mutex> lock(p->mutex);
          images = p->images;
        }
        if (images.size() == size_t(16 * kPixels))
          plot::image_grid(k == 0 ? "ddim preview" : "ddpm preview", images.data(), 16, kSide, kSide, 4, -1,
                           1, cell);
        else
          ImGui::Dummy(ImVec2(half, 4 * cell));
      }
      ImGui::EndGroup();
    }
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), top + room + ImGui::GetStyle().ItemSpacing.y));
    caption(tr("images.samples_caption"));
  }

  // Both grids' common start x_T (sample_grid's noise, clipped for display) until the job's first copy: the
  // DDPM grid shows it while it waits for DDIM, as the caption says ("the same 16 noise images").
  static std::shared_ptr<GridPreview> starting_preview() {
    auto p = std::make_shared<GridPreview>();
    p->images = standard_normal(16 * kPixels, kGridNoiseSeed);
    for (float& v : p->images) v = std::clamp(v, -1.0f, 1.0f);
    return p;
  }

  // `preview` (may be null) receives the current xₜ about every 2 % of the steps.
  static Grids sample_grid(int ddim_steps, double eta, GridPreview* preview = nullptr) {
    auto model = load_model(checkpoint_path("fashion-mnist-classroom.ckpt"), "", std::nullopt);
    model->backend->set_threads(2);
    SamplerConfig c;
    c.clip_x0 = true;
    c.record_trajectory = false;
    if (ddim_steps > 0) {
      c.kind = SamplerKind::Ddim;
      c.steps = ddim_steps;
      c.eta = eta;
    }
    Sampler sampler(model->model(), c);
    const auto start = std::chrono::steady_clock::now();
    sampler.begin(standard_normal(16 * kPixels, kGridNoiseSeed), kGridNoiseSeed + 1);
    const double total = static_cast<double>(sampler.timesteps().size());
    const int copy_every = std::max(1, int(total) / 50);
    while (!sampler.done()) {
      sampler.step();
      job_progress(sampler.steps_done() / total);  // the bar with its ETA; stops when cancelled
      if (preview && (sampler.steps_done() % copy_every == 0 || sampler.done())) {
        std::vector<float> x = sampler.x();
        for (float& v : x) v = std::clamp(v, -1.0f, 1.0f);
        std::lock_guard<std::mutex> lock(preview->mutex);
        preview->images = std::move(x);
        preview->steps_done = sampler.steps_done();
      }
    }
    Grids g;
    g.images = sampler.x();
    for (float& v : g.images) v = std::clamp(v, -1.0f, 1.0f);
    g.columns = 4;
    g.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    g.steps = ddim_steps;
    g.eta = eta;
    return g;
  }

  void draw_training() {
    const float font = ImGui::GetFontSize();
    const std::string early = early_checkpoint_path();
    // Before the first Play (the training object exists from the first frame on, so "not started" is "not
    // playing and no step taken"): where to start from. A warm start shows silhouettes within a minute.
    if (!early.empty() && (!training_ || (!training_->playing() &&
                                          training_->state()->step == training_->state()->first_step))) {
      if (ImGui::Checkbox(tr_id("images.warm_start", "warm"), &warm_)) {
        training_.reset();  // the next training() starts from the new choice
        start_ = Async<Grids>{};
        start_step_ = Async<int>{};
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("images.warm_start_tip"));
      same_line_if_fits(button_width(tr("common.play")));
    }
    LiveImageTraining& live = training();
    if (ImGui::Button(live.playing() ? tr_id("common.pause", "play") : tr_id("common.play", "play")))
      live.toggle();
    const std::shared_ptr<const LiveImageTraining::State> state = live.state();
    const LiveImageTraining::State& s = *state;
    if (s.step > s.first_step || live.playing()) {
      same_line_if_fits(button_width(tr("common.reset")));
      if (ImGui::Button(tr_id("common.reset", "reset"))) {
        training_.reset();  // joins the worker; the next frame starts afresh (with the warm-start choice)
        return;
      }
    }
    // Before the worker's first snapshot the state is empty (step 0): the starting network's step is known
    // from the grid sampled when the slide opened.
    start_step_.poll();
    const int origin = s.first_step != 0 || s.step != 0 ? s.first_step
                       : start_.value()                 ? start_.value()->steps
                       : start_step_.value()            ? *start_step_.value()
                                                        : s.first_step;
    char status[200];
    // No "loss nan" before the first step: a dash until there is a loss.
    if (s.step > s.first_step && std::isfinite(s.loss))
      std::snprintf(status, sizeof status, tr("images.status"), s.step, s.loss, s.images_per_s);
    else
      std::snprintf(status, sizeof status, tr("images.status_idle"), std::max(s.step, origin));
    same_line_if_fits(ImGui::CalcTextSize(status).x);
    ImGui::TextUnformatted(status);
    if (!s.message.empty() || s.diverged) {
      ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s",
                         s.diverged ? tr("images.diverged") : ui_text_of(s.message).c_str());
    } else if (s.step == 0 && !live.playing()) {
      ImGui::TextDisabled("%s", tr("images.press_play"));
    } else if (s.evaluating) {
      busy_note(tr("images.evaluating"));
    } else if (live.playing() && s.images_per_s > 0 && s.next_evaluation > s.step) {
      // Progress towards the next quality point, with the time it will take at the current speed.
      const int span = s.step < s.first_step + kQualityEarlyUntil ? kQualityEarlyEvery : kQualityEvery;
      const int done = span - (s.next_evaluation - s.step);
      const double seconds_per_step = 64.0 / s.images_per_s;
      char text[160];
      const double left = (s.next_evaluation - s.step) * seconds_per_step;
      std::snprintf(text, sizeof text, tr("images.next_point"), s.next_evaluation, left);
      ImGui::ProgressBar(std::clamp(float(done) / span, 0.0f, 1.0f),
                         ImVec2(std::min(ImGui::GetContentRegionAvail().x, font * 24), 0), text);
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float half = (ImGui::GetContentRegionAvail().x - style.ItemSpacing.x) * 0.5f;
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float top = std::floor((height - style.ItemSpacing.y) * 0.5f),
                bottom = height - style.ItemSpacing.y - top;
    // Top: the loss and the samples; bottom: the two quality curves against the same steps.
    if (plot::begin_plot("L_{simple}", ImVec2(half, top), plot::kPlotAutoFit | plot::kPlotNoLegend)) {
      plot::setup_axes(tr("axis.step"), nullptr, plot::kAxisNone, plot::kAxisLog);
      if (!s.losses.empty())
        plot::plot_line_y("loss", s.losses.data(), static_cast<int>(s.losses.size()), s.first_step + 1, 1);
      plot::end_plot();
    }
    ImGui::SameLine();
    ImGui::BeginGroup();
    const float cell = std::min(half / 4 - 3, (top - ImGui::GetTextLineHeightWithSpacing()) / 2 - 3);
    if (!s.grid.empty()) {
      ImGui::TextUnformatted(tr("images.live_samples"));
      plot::image_grid("live grid", s.grid.data(), kLiveGridImages, kSide, kSide, 4, -1, 1, cell);
    } else {
      // Until the first refresh: the same grid from the network training starts from (the warm-start
      // checkpoint or the fresh initialisation), computed in the background when the slide opens.
      starting_grid(cell, top, half);
    }
    ImGui::EndGroup();
    const double first = origin, last_step = std::max<double>(s.step, origin + kQualityEarlyUntil);
    // A warm start measures its starting point at once (the step after it); from scratch, after
    // kQualityEarlyEvery steps.
    const int first_point = s.next_evaluation > 0 ? s.next_evaluation
                            : origin > 0          ? origin + 1
                                                  : kQualityEarlyEvery;
    const ImageQualityConfig q = live_quality_config();
    char title[128];
    // The title names the curve and what it is measured on (the y label would collide with it).
    std::snprintf(title, sizeof title, tr("images.bits_title"), q.bits_images, q.strata);
    quality_curve(title, s.bits_steps, s.bits_per_dim, NAN, s.bits_note, first, last_step,
                  ImVec2(half, bottom), false, first_point);
    ImGui::SameLine();
    std::snprintf(title, sizeof title, tr("images.fid_title"), q.fid_samples, q.fid_ddim_steps);
    quality_curve(title, s.fid_steps, s.fid, s.fid_floor, s.fid_note, first, last_step, ImVec2(half, bottom),
                  true, first_point);
    char measured[64] = "";
    if (s.evaluation_seconds > 0)
      std::snprintf(measured, sizeof measured, tr("images.last_time"), s.evaluation_seconds);
    char text[900];
    // The early cadence counts from where training starts: "up to step 550" for the warm start at 300 (the
    // caption said 250 whatever the start).
    std::snprintf(text, sizeof text, tr("images.train_caption"), kQualityEarlyEvery,
                  int(origin) + kQualityEarlyUntil, kQualityEvery, measured, q.bits_images, q.strata,
                  q.fid_samples, q.fid_reference);
    caption(text);
  }

  void starting_grid(float cell, float top, float half) {
    if (!start_.value() && !start_.busy() && start_.error().empty()) {
      const std::string warm = warm_ ? early_checkpoint_path() : "";
      // The starting step first (a few bytes of the header, before the grid's seconds of sampling).
      start_step_.start([warm] {
        if (warm.empty()) return 0;
        std::ifstream in(warm, std::ios::binary);
        std::string head(4096, '\0');
        in.read(head.data(), std::streamsize(head.size()));
        head.resize(size_t(in.gcount()));
        return std::max(0, checkpoint_header_step(head));
      });
      start_.start([warm] {
        std::unique_ptr<ImageTrainer> trainer = make_live_image_trainer(warm);
        BackgroundJob::set_progress(0.3f);
        Grids g;
        g.images = live_sample_grid(*trainer);
        g.steps = trainer->step_count();
        return g;
      });
    }
    start_.poll();
    if (start_.value()) {
      char label[160];
      std::snprintf(label, sizeof label, tr("images.start_samples"), start_.value()->steps);
      ImGui::TextUnformatted(label);
      plot::image_grid("live grid", start_.value()->images.data(), kLiveGridImages, kSide, kSide, 4, -1, 1,
                       cell);
      return;
    }
    ImGui::TextUnformatted(tr("images.live_samples"));
    if (!start_.error().empty())
      ImGui::TextWrapped("%s", start_.error().c_str());
    else
      progress_note(tr("images.busy_start"), start_, half);
    ImGui::Dummy(ImVec2(half, std::max(0.0f, top - 3 * ImGui::GetTextLineHeightWithSpacing())));
  }

  // One quality curve against the training step, with markers, and a grey floor line when there is one; the x
  // axis spans the steps trained so far. No legend: the title names the curve. A curve that cannot be
  // computed says why.
  static void quality_curve(const char* title, const std::vector<double>& steps,
                            const std::vector<double>& values, double floor, const UiMessage& note,
                            double first_step, double last_step, ImVec2 size, bool log_y, int first_point) {
    const std::string id = std::string(title) + (log_y ? "###fid" : "###bits");
    if (!note.empty()) {
      ImGui::BeginChild(id.c_str(), size, true);
      ImGui::TextUnformatted(title);
      ImGui::TextWrapped("%s: %s", tr("images.not_available"), ui_text_of(note).c_str());
      ImGui::EndChild();
      return;
    }
    if (!plot::begin_plot(id.c_str(), size, plot::kPlotAutoFit | plot::kPlotNoLegend)) return;
    plot::setup_axes(tr("axis.step"), nullptr, plot::kAxisNone, log_y ? plot::kAxisLog : plot::kAxisNone);
    plot::setup_axis_limits(plot::Axis::X, first_step, first_step + (last_step - first_step) * 1.04,
                            plot::Cond::Always);
    const int n = static_cast<int>(values.size());
    if (n > 0) {
      double lo = *std::min_element(values.begin(), values.end()),
             hi = *std::max_element(values.begin(), values.end());
      if (std::isfinite(floor)) lo = std::min(lo, floor);
      // Room around the points (a single point, or a flat curve, still gets a readable range).
      if (log_y) {
        plot::setup_axis_limits(plot::Axis::Y, lo / 1.4, hi * 1.4, plot::Cond::Always);
      } else {
        const double pad = std::max(0.1 * (hi - lo), 0.02 * std::abs(hi) + 1e-3);
        plot::setup_axis_limits(plot::Axis::Y, lo - pad, hi + pad, plot::Cond::Always);
      }
      plot::plot_line("curve", steps.data(), values.data(), n);
      plot::set_next_color(plot::palette_color(0));
      plot::set_next_size(6);
      plot::plot_scatter("points", steps.data(), values.data(), n);
    } else {
      const double lo = std::isfinite(floor) ? floor / 1.4 : 1, hi = lo * 100;  // an empty frame, log or not
      plot::setup_axis_limits(plot::Axis::Y, lo, hi, plot::Cond::Always);
      char text[96];
      std::snprintf(text, sizeof text, tr("images.first_point"), first_point);
      plot::plot_text(text, 0.5 * (first_step + last_step), log_y ? std::sqrt(lo * hi) : 0.5 * (lo + hi));
    }
    if (std::isfinite(floor)) {
      plot::set_next_color(IM_COL32(170, 170, 170, 200));
      plot::plot_hline("floor", floor);
    }
    plot::end_plot();
  }

  std::string view_;
  int t_ = 250, steps_ = 50;
  float eta_ = 0;
  ScheduleKind kind_ = ScheduleKind::Linear;
  Async<Grids> x0_, ddim_, ddpm_;
  std::shared_ptr<GridPreview> ddim_preview_, ddpm_preview_;  // the grids being sampled, read by the UI
  Async<int> start_step_;  // the step training starts from, read from the checkpoint's header
  Async<Grids> start_;     // the grid of the network training starts from, until the first live grid
  Async<Architecture> architecture_;
  int x0_t_ = -1, architecture_t_ = -1;
  std::unique_ptr<LiveImageTraining> training_;
  bool warm_ = true;  // start live training from the shipped early checkpoint when there is one
};

}  // namespace

std::unique_ptr<LivePanel> make_images_panel(const PanelDirective& d) {
  return std::make_unique<ImagesPanel>(d);
}

}  // namespace difflab::lecture
