// trilemma_run.h — one of the trilemma's three models (GAN, VAE, diffusion MLP) training live on a LiveRunner
// (train/live_runner.h, its own worker), publishing immutable snapshots: samples, sliced W₂ and floor, modes
// covered, high-quality fraction and time per sample. Not a UI (the trilemma panel draws snapshots) and not
// the training math.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/mode_metrics.h"
#include "train/live_runner.h"

namespace difflab {

enum class TrilemmaModel { Gan, Vae, Diffusion };

// One way of sampling the model, scored.
struct TrilemmaScore {
  int nfe = 1;               // network evaluations per sample (diffusion: its steps)
  int step = 0;              // the training step it was scored at
  double ms_per_sample = 0;  // wall time of the batch / its size
  SampleScore score;
};

struct TrilemmaSnapshot {
  int step = 0;
  double train_seconds = 0;           // time spent in optimizer steps so far
  std::vector<float> samples;         // the latest samples (diffusion: of its first sampling, DDPM-T)
  std::vector<TrilemmaScore> scores;  // GAN, VAE: one; diffusion: 50, T and 10 steps
  double best_swd = 0;                // the lowest sliced W₂ seen (first score) and when
  double best_seconds = 0;
  int best_step = 0;
  bool evaluated = false;
  bool diverged = false;
};

struct TrilemmaRunConfig {
  std::string dataset = "8gaussians";
  uint64_t seed = 0;
  int eval_points = 1000;  // samples scored per evaluation (diffusion with T steps: a half)
  int diffusion_T = 1000;  // DDPM's linear 1e-4 … 0.02 schedule
  // DDIM (η = 0) with 50 steps first (its samples are drawn and scored on eval_points), DDPM with all T steps
  // (scored on eval_points/5: 1000 network evaluations each), DDIM with 10.
  std::vector<int> diffusion_steps = {50, 1000, 10};
  int max_steps = 0;  // stop training after this many steps (0 = no limit)
  // The GAN's fixes for its mode collapse (off by default: GenerativeConfig's collapse-prone defaults):
  // spectral norm on the discriminator, and a discriminator learning as fast as the generator.
  bool gan_spectral_norm = false;
  bool gan_fast_discriminator = false;
};

// One model's live run: a TrainJob (trilemma_run.cpp) on the one live training protocol, LiveRunner. Training
// steps in slices; scoring takes about a quarter of the worker's time (after an evaluation of E seconds the
// next comes after 3E seconds of training, at least 0.25 s); a paused run that has never scored scores once.
// Destruction cancels: it waits for one training step or one sampler step of an evaluation, not for the
// evaluation.
class TrilemmaRun {
 public:
  TrilemmaRun(TrilemmaModel model, const TrilemmaRunConfig& config, bool playing = false);
  ~TrilemmaRun();
  TrilemmaRun(const TrilemmaRun&) = delete;
  TrilemmaRun& operator=(const TrilemmaRun&) = delete;
  void play() { runner_->play(); }
  void pause() { runner_->pause(); }
  bool playing() const { return runner_->playing(); }
  // The latest scored state (never null; not evaluated before the first score).
  std::shared_ptr<const TrilemmaSnapshot> snapshot() const;
  TrilemmaModel model() const { return model_; }

  // Synchronous use (tests, the CLI's measurement): train `steps` steps, then evaluate once.
  static TrilemmaSnapshot train_and_score(TrilemmaModel model, const TrilemmaRunConfig& config, int steps);

 private:
  TrilemmaModel model_;
  std::shared_ptr<const TrilemmaSnapshot> empty_;
  std::unique_ptr<LiveRunner> runner_;
};

}  // namespace difflab
