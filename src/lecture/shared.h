// shared.h — what the lecture panels share: background jobs, the shipped models, schedules, captions.
// Not a panel. Background jobs never touch a panel's objects: they build their own models.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/schedule.h"
#include "data/toy2d.h"
#include "train/model_source.h"
#include "views/views.h"

namespace difflab::lecture {

// One worker thread for panel computations that would stutter the UI. A job is a closure; submitting a
// new job for the same slot cancels the old one if it has not started. Jobs are cancellable: a running one
// sees BackgroundJob::cancelled() turn true (its panel closed, a newer request, or the app quitting) and
// returns early; shutdown() cancels everything and joins, so the app exits without std::_Exit.
class BackgroundJob {
 public:
  struct State {
    std::atomic<bool> cancelled{false}, done{false};
    std::atomic<float> progress{-1.0f};  // 0…1 once the job reports it; −1: unknown
    std::function<void()> work;
  };
  // Queues `work`; returns its state (poll `done`). The closure must own everything it uses.
  static std::shared_ptr<State> submit(std::function<void()> work);
  static void shutdown();  // cancels the queued and the running job, then joins the worker (at exit)
  static bool busy();      // a job is running or queued
  // Called from inside a job: report progress (0…1) for the panel's bar; ask whether to stop. Outside a
  // job (e.g. a test) they do nothing and say false.
  static void set_progress(float fraction);
  static bool cancelled();
  // Throws JobCancelled when the running job was cancelled (for loops deep inside a computation).
  static void check_cancelled();
};
struct JobCancelled : std::runtime_error {
  JobCancelled() : std::runtime_error("cancelled") {}
};
// For computations that take a progress callback (views::compare_samplers): reports the fraction and
// stops the job (throws JobCancelled) once it was cancelled.
inline void job_progress(double fraction) {
  BackgroundJob::set_progress(static_cast<float>(fraction));
  BackgroundJob::check_cancelled();
}

// A value computed in the background: start() replaces (and cancels) any pending computation; so do
// assigning a fresh Async and destroying this one.
template <typename T>
class Async {
 public:
  Async() = default;
  Async(const Async&) = delete;
  Async& operator=(const Async&) = delete;
  Async& operator=(Async&& other) noexcept {
    if (this != &other) {
      cancel();
      slot_ = std::move(other.slot_);
      state_ = std::move(other.state_);
      value_ = std::move(other.value_);
      error_ = std::move(other.error_);
      started_ = other.started_;
    }
    return *this;
  }
  ~Async() { cancel(); }

  void start(std::function<T()> compute) {
    cancel();
    auto slot = std::make_shared<Slot>();
    slot_ = slot;
    started_ = std::chrono::steady_clock::now();
    state_ = BackgroundJob::submit([slot, compute] {
      try {
        slot->value = compute();
      } catch (const std::exception& e) {
        slot->error = e.what();
      }
    });
  }
  // Takes a finished result; true when `value()` changed this frame.
  bool poll() {
    if (!state_ || !state_->done) return false;
    if (slot_->error.empty()) value_ = std::move(slot_->value);
    error_ = slot_->error;
    state_.reset();
    return true;
  }
  void cancel() {
    if (state_) state_->cancelled = true;
    state_.reset();
  }
  bool busy() const { return state_ != nullptr; }
  float progress() const { return state_ ? state_->progress.load() : -1.0f; }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  const std::optional<T>& value() const { return value_; }
  const std::string& error() const { return error_; }

 private:
  struct Slot {
    T value{};
    std::string error;
  };
  std::shared_ptr<Slot> slot_;
  std::shared_ptr<BackgroundJob::State> state_;
  std::optional<T> value_;
  std::string error_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// The schedule a panel uses for (kind, T): linear and quadratic take DDPM's 1e-4 … 0.02 at T = 1000
// scaled by 1000/T (capped at 0.999), so every T spans the same noise levels; rescale = false keeps the
// unscaled 1e-4 … 0.02 at every T (lesson 03: ᾱ_T ≈ 0.60 at T = 50). Said in every caption.
ScheduleConfig panel_schedule(ScheduleKind kind, int T, bool rescale = true);
std::string panel_schedule_note(const ScheduleConfig& c);

// Where the shipped 2-D checkpoints live: $DIFFLAB_CHECKPOINTS_DIR, <exe>/../share/difflab/checkpoints,
// or the source tree's checkpoints/.
std::string checkpoint_path_2d(const std::string& dataset);
// The same search for any shipped checkpoint file name (e.g. "fashion-mnist-classroom.ckpt").
std::string checkpoint_path(const std::string& file);

// A fresh model for a panel or a background job: "trained" loads the shipped checkpoint of the data set,
// "oracle" builds the exact denoiser with the same schedule. Throws with a clear message.
std::unique_ptr<LoadedModel> make_panel_model(const std::string& which, const std::string& dataset);

// "Train from scratch": one click trains a fresh MLP on the data set in the background with the CLI's
// defaults (a few seconds); from then on make_panel_model("trained", dataset) uses it instead of the
// shipped checkpoint. Draws the button (or the progress) and returns true on the frame a newer model
// than *seen_generation is ready (and updates it): the panel then rebuilds what it shows.
bool train_from_scratch_button(const std::string& dataset, int* seen_generation);

// The 28×28 picture the noising strips use, in [−1, 1]: a Fashion-MNIST test image when the data set is
// installed (Debian's dataset-fashion-mnist), otherwise the synthetic one. `*real` says which.
const std::vector<float>& strip_image(bool* real = nullptr);

// Lessons 07 and 09 compare samplers on ONE draw: the DDIM panel and the ODE panel run these x_T points
// with this noise seed on the same (trailing) steps, so DDIM with η = 0 and ODE-Euler at the
// same N give the same samples and the same sliced W₂ (lesson 09 says the two steps are the same; its
// panel read 0.125 against lesson 07's 0.103 when it drew 500 other points and lesson 07 ran leading steps).
struct SharedDraw {
  static constexpr int kPoints = 1000;
  static constexpr uint64_t kXTSeed = 6, kNoiseSeed = 9;
};
// The sampler a comparison panel runs: `kind` with min(steps, T) steps, trailing (the first at t = T − 1,
// where x_T is drawn); eta for DDIM. Both panels build their samplers here.
SamplerConfig panel_sampler(SamplerKind kind, int steps, int T, double eta = 0.0);
// The sampler comparisons of lessons 07 and 09 on the shared draw, against 2000 points of the data set.
std::vector<SamplerRun> compare_on_shared_draw(Denoiser& model, const std::vector<SamplerConfig>& configs,
                                               const std::string& dataset, int timing_repeats = 1);

// Points of a data set, cached by (dataset, n, seed).
const std::vector<float>& data_points(const std::string& dataset, int n, uint64_t seed = 0);

// Draws a caption (wrapped text in a slightly highlighted box, as tall as its text) under a panel;
// panels leave caption_reserve() pixels for it below their plots.
void caption(const std::string& text);
float caption_reserve();
// The caption's text is scripted text (plot/scripted_text.h): "ε_θ", "x_T", "ᾱ_{prev}" draw their scripts
// lowered or raised. So is scripted_tooltip's, a tooltip wrapped at 32 em (call it when the item is hovered).
void scripted_tooltip(const char* text);
// Draws "computing…" with a spinner-like dot count while busy.
void busy_note(const char* what);
// The progress of a background job as a bar with the time left ("what: 40 %, about 6 s left"); before the
// job reports progress, the seconds so far. Panels use it for anything that may take more than a second.
void progress_note(const char* what, float fraction, double seconds, float width = 0);
template <typename T>
void progress_note(const char* what, const Async<T>& job, float width = 0) {
  progress_note(what, job.progress(), job.seconds(), width);
}
// "2.5 s left" / "1 min 20 s left" for a job `fraction` done after `seconds` (empty when unknown).
std::string time_left(float fraction, double seconds);

// Lays out a row of controls that wraps instead of clipping ("Tr…" at 1280 × 720): call before the next
// control with its width; it goes on the same line only when it fits.
void same_line_if_fits(float next_width);
float button_width(const char* label);                 // a button with this label (## part excluded)
float labeled_width(float widget, const char* label);  // a slider/combo of `widget` pixels plus its label
// A combo box wide enough to show its longest item whole (and its arrow), at least `minimum` pixels:
// "eliminador de ruido exacto" was cut to "eliminador de ruic▼" in a fixed 9 em combo.
float combo_width(const char* const* items, int count, float minimum);
// Two short texts on one line, "a  ·  b", when that is at most `width` pixels wide, else a over b: the
// IP-Adapter verdict "= ref. 0 %  ·  = clase 100 %" ran past its block of samples at 1280 × 720.
std::string join_or_stack(const std::string& a, const std::string& b, float width);
ScheduleKind schedule_kind_or_linear(const std::string& name);

}  // namespace difflab::lecture
