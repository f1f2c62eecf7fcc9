// image_trainer.h — Algorithm 1 of Ho et al. 2020 for the image U-Net: L_simple, AdamW, clipping, EMA,
// divergence recovery. Not threaded (a GUI runs it on a worker) and not the 2-D trainer (trainer.h), whose
// loop it mirrors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/backend.h"
#include "nn/backend_factory.h"
#include "nn/unet.h"
#include "train/optimizer.h"
#include "train/trainer.h"

namespace difflab {

struct ImageTrainConfig {
  std::string dataset = "fashion-mnist";
  UNetConfig model;  // the "classroom" preset by default
  // Another image family of nn/model_family.h (e.g. a DiT) with its configuration; "unet" uses `model`.
  std::string family = "unet";
  ModelConfigMap family_config;
  // DDPM's schedule for images: linear 1e-4 … 0.02, T = 1000 (Ho et al. 2020, §4).
  ScheduleConfig schedule{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  int steps = 3000;  // 0 = no limit (live training)
  int batch = 64;
  AdamWConfig optimizer{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
  float grad_clip = 1.0f;    // global-norm clipping; 0 = off
  float ema_decay = 0.999f;  // with warm-up min(decay, (1 + step)/(10 + step)); 0 = off
  float label_dropout =
      0.1f;  // class-conditional models: share of steps trained with the null class (for CFG)
  // "diffusion" (L_simple on ε) or "flow" (rectified flow, train/image_flow_objective.h), the flow's t drawn
  // "uniform" or "logit-normal".
  std::string objective = "diffusion";
  std::string flow_time = "uniform";
  uint64_t seed = 0;
  BackendKind backend = BackendKind::cpu;  // where it trains: cpu, gl or automatic (by parameter count)
  int threads = 2;
  int backup_every = 100;  // steps between copies of the last good state
};

std::string describe(const ImageTrainConfig& c);

// L_simple on images (Algorithm 1; with label dropout for a class-conditional U-Net): draws a minibatch,
// runs the U-Net forward and backward and updates the loop's part 0. Reads `config` at every step.
class ImageDiffusionObjective final : public Objective {
 public:
  ImageDiffusionObjective(const ImageTrainConfig& config, ImageNet& model, const NoiseSchedule& schedule,
                          const ImageDataset& data);
  std::string name() const override { return "diffusion (L_simple, images)"; }
  StepResult step(TrainLoop& loop) override;

 private:
  const ImageTrainConfig& config_;
  ImageNet& model_;
  const NoiseSchedule& schedule_;
  const ImageDataset& data_;
  Rng rng_;
  std::vector<float> xt_, eps_, t_, out_, d_out_;
  std::vector<int> labels_;
};

// The U-Net, its images and the shared TrainLoop with an ImageDiffusionObjective.
class ImageTrainer {
 public:
  // Loads the training split of config.dataset (throws IdxError when missing or bad).
  explicit ImageTrainer(const ImageTrainConfig& config);
  // Trains on the given images (tests, benchmarks).
  ImageTrainer(const ImageTrainConfig& config, ImageDataset data);
  ~ImageTrainer();

  StepResult step();
  int step_count() const { return optimizer().step_count(); }
  const ImageTrainConfig& config() const { return config_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  const ImageDataset& data() const { return data_; }
  ImageNet& model() { return *model_; }
  Backend& backend() { return *backend_; }
  // What make_backend chose for config().backend and why (a note for auto).
  const BackendChoice& backend_choice() const { return backend_choice_; }
  Tensor ema_params() const { return config_.ema_decay > 0 ? optimizer().ema() : model_->params(); }
  int last_good_step() const { return optimizer().last_good_step(); }
  void set_learning_rate(float lr) { config_.optimizer.lr = lr; }

  // n images (n × H·W, in [−1, 1] after clipping x̂₀) with the EMA weights: DDPM, or DDIM when steps > 0; a
  // flow model: Euler with `ddim_steps` steps (50 when 0).
  std::vector<float> sample(int n, uint64_t seed, int ddim_steps = 0, int label = -1);

  std::vector<float> read_params(bool ema) const;
  void load_params(const std::vector<float>& params, const std::vector<float>& ema, int step);

  TrainLoop& loop() { return loop_; }

 private:
  void init();
  const Optimizer& optimizer() const { return *loop_.part(0).optimizer; }

  ImageTrainConfig config_;
  NoiseSchedule schedule_;
  ImageDataset data_;
  BackendChoice backend_choice_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ImageNet> model_;
  TrainLoop loop_;                        // one part, "model": AdamW moments, EMA, last good state
  std::unique_ptr<Objective> objective_;  // ImageDiffusionObjective or ImageFlowObjective
};

}  // namespace difflab
