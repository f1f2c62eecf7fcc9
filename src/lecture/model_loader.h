// model_loader.h — the 2-D models and exact mixtures a lecture panel shows, loaded on the background worker
// (BackgroundJob) with a progress readout, and a count of loads that ran on the UI thread (tests read it).
// Not the loading itself (shared.h's make_panel_model, data/toy2d.h's oracle_mixture) and not a panel.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "lecture/shared.h"
#include "train/ui_message.h"

namespace difflab::lecture {

// make_panel_model and Dataset2D::oracle_mixture, counted: a call from the thread that started the program
// (the UI thread) is a foreground load, a call from any other thread (the background worker) a background
// one. Panels call these only inside background jobs; tests check foreground stays 0.
std::unique_ptr<LoadedModel> load_panel_model(const std::string& which, const std::string& dataset);
GaussianMixture2D load_panel_mixture(const std::string& dataset, int reference_points);
struct PanelLoadCounts {
  int foreground = 0, background = 0;
};
PanelLoadCounts panel_load_counts();

using PanelModels = std::vector<std::shared_ptr<LoadedModel>>;

// Loads the models `which` (e.g. {"trained", "oracle"}) of `dataset` in order, reporting progress after each
// through `progress` (0 … 1) and stopping when it throws (JobCancelled). The closure a ModelLoader runs.
PanelModels load_panel_models(const std::string& dataset, const std::vector<std::string>& which,
                              const std::function<void(double)>& progress);

// A panel's models, loaded in the background: start() cancels a load in flight and begins a new one; the
// panel polls every frame and draws status() until they arrive. A failed load keeps its message (shown on
// screen by status()), and the panel's previous models stay usable until a newer load succeeds.
class ModelLoader {
 public:
  void start(const std::string& dataset, std::vector<std::string> which);
  bool poll();  // true on the frame a load finished (models or error)
  bool busy() const { return job_.busy(); }
  bool ready() const { return job_.value().has_value(); }
  const PanelModels& models() const { return *job_.value(); }
  const std::string& error() const { return job_.error(); }
  const std::vector<std::string>& which() const { return which_; }
  // "loading the model: 50 %, …" as a bar while busy, the error in red after a failure; nothing otherwise.
  void status() const;

 private:
  Async<PanelModels> job_;
  std::vector<std::string> which_;
};

// What a 2-D caption says about x̂₀: clipped at every step into the model's data box (given) by every sampler,
// or not clipped when the model has none (the exact denoiser).
std::string clip_caption(const DataBox& box);

// A message from src/train (train/ui_message.h) in the UI language: its key's text in the string tables.
std::string ui_text_of(const UiMessage& message);

// Shows an error that reached a panel (a failed load or computation), in the panel's error colour.
void error_note(const std::string& message);

// A denoiser that forwards to another and reports, after each network pass, (offset + passes) / total through
// `progress`: a computation that takes a Denoiser (views::compare_bounds) then reports fractional progress.
class ProgressDenoiser final : public Denoiser {
 public:
  ProgressDenoiser(Denoiser& inner, int offset, int total, std::function<void(double)> progress)
      : inner_(inner), offset_(offset), total_(total), progress_(std::move(progress)) {}
  int dim() const override { return inner_.dim(); }
  const NoiseSchedule& schedule() const override { return inner_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override;
  const DataBox& data_box() const override { return inner_.data_box(); }
  int passes() const { return passes_; }

 private:
  void report();
  Denoiser& inner_;
  int offset_, total_, passes_ = 0;
  std::function<void(double)> progress_;
};

}  // namespace difflab::lecture
