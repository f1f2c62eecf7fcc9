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
#include "nn/unet.h"
#include "train/optimizer.h"
#include "train/trainer.h"

namespace difflab {

struct ImageTrainConfig {
  std::string dataset = "fashion-mnist";
  UNetConfig model;  // the "classroom" preset by default
  // DDPM's schedule for images: linear 1e-4 … 0.02, T = 1000 (Ho et al. 2020, §4).
  ScheduleConfig schedule{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  int steps = 3000;  // 0 = no limit (live training)
  int batch = 64;
  AdamWConfig optimizer{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
  float grad_clip = 1.0f;    // global-norm clipping; 0 = off
  float ema_decay = 0.999f;  // with warm-up min(decay, (1 + step)/(10 + step)); 0 = off
  float label_dropout =
      0.1f;  // class-conditional models: share of steps trained with the null class (for CFG)
  uint64_t seed = 0;
  int threads = 2;
  int backup_every = 100;  // steps between copies of the last good state
};

std::string describe(const ImageTrainConfig& c);

class ImageTrainer {
 public:
  // Loads the training split of config.dataset (throws IdxError when missing or bad).
  explicit ImageTrainer(const ImageTrainConfig& config);
  // Trains on the given images (tests, benchmarks).
  ImageTrainer(const ImageTrainConfig& config, ImageDataset data);
  ~ImageTrainer();

  StepResult step();
  int step_count() const { return optimizer_->step_count(); }
  const ImageTrainConfig& config() const { return config_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  const ImageDataset& data() const { return data_; }
  UNet& model() { return *model_; }
  Backend& backend() { return *backend_; }
  Tensor ema_params() const { return config_.ema_decay > 0 ? optimizer_->ema() : model_->params(); }
  int last_good_step() const { return optimizer_->last_good_step(); }
  void set_learning_rate(float lr) { config_.optimizer.lr = lr; }

  // n images (n × H·W, in [−1, 1] after clipping x̂₀) with the EMA weights: DDPM, or DDIM when steps > 0.
  std::vector<float> sample(int n, uint64_t seed, int ddim_steps = 0, int label = -1);

  std::vector<float> read_params(bool ema) const;
  void load_params(const std::vector<float>& params, const std::vector<float>& ema, int step);

 private:
  void init();
  OptimizerSettings optimizer_settings() const {
    return {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every};
  }

  ImageTrainConfig config_;
  NoiseSchedule schedule_;
  ImageDataset data_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<UNet> model_;
  std::unique_ptr<Optimizer> optimizer_;  // AdamW moments, EMA, last good state
  Rng rng_;
  std::vector<float> xt_, eps_, t_, out_, d_out_;
  std::vector<int> labels_;
};

}  // namespace difflab
