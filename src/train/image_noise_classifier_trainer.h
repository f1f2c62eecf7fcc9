// image_noise_classifier_trainer.h — trains the noise-conditional image classifier p(y | xₜ, t) on noised
// labelled images through TrainLoop; its accuracy per noise level, checkpoints and loading.
// Not the network (nn/image_noise_classifier.h) nor guidance (sample/guided.h's ClassifierGuidedDenoiser).
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
#include "nn/image_noise_classifier.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

struct ImageNoiseClassifierTrainConfig {
  std::string dataset = "fashion-mnist";
  ImageNoiseClassifierConfig model;
  // The U-Net's image schedule: its t must be the sampler's t (DDPM's linear 1e-4 … 0.02, T = 1000).
  ScheduleConfig schedule{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  int steps = 6000;
  int batch = 128;
  // Peak AdamW learning rate after `warmup_steps`, then a cosine decay to 0 over the remaining steps.
  AdamWConfig optimizer{2e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f};
  int warmup_steps = 100;
  float grad_clip = 1.0f;
  float ema_decay = 0.995f;
  uint64_t seed = 0;
  int threads = 1;
};

std::string describe(const ImageNoiseClassifierTrainConfig& c);

// One step: (x₀, y) drawn uniformly from the data, t ~ U{0 … T−1}, ε ~ 𝒩(0, I), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε,
// loss = mean cross-entropy −log p(y | xₜ, t) (Dhariwal & Nichol 2021, §4: the classifier sees the same
// noised images the sampler produces). last_metrics() gives the minibatch accuracy.
class ImageNoiseClassifierObjective final : public Objective {
 public:
  ImageNoiseClassifierObjective(const ImageNoiseClassifierTrainConfig& config, ImageNoiseClassifier& model,
                                const ImageDataset& data, const NoiseSchedule& schedule);
  std::string name() const override { return "noise-conditional image classifier (cross-entropy)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"accuracy", last_accuracy_}};
  }
  StepResult step(TrainLoop& loop) override;
  double last_batch_accuracy() const { return last_accuracy_; }

 private:
  const ImageNoiseClassifierTrainConfig& config_;
  ImageNoiseClassifier& model_;
  const ImageDataset& data_;
  const NoiseSchedule& schedule_;
  Rng rng_;
  std::vector<int> labels_;
  std::vector<float> x_, t_, logits_, d_logits_;
  double last_accuracy_ = 0;
};

// Accuracy of `model` (its active weights) on the first n test images noised to level t (fixed noise from
// `seed`): the share whose argmax p(y | xₜ, t) is the label.
double noise_classifier_accuracy(ImageNoiseClassifier& model, const NoiseSchedule& schedule,
                                 const ImageDataset& test, int n, int t, uint64_t seed = 1);

class ImageNoiseClassifierTrainer {
 public:
  // Throws std::invalid_argument for data without labels.
  ImageNoiseClassifierTrainer(const ImageNoiseClassifierTrainConfig& config, ImageDataset data);
  ~ImageNoiseClassifierTrainer();
  // One step; the minibatch's cross-entropy, NaN when the step was undone (non-finite).
  double step();
  int step_count() const { return loop_.step_count(); }
  int total_steps() const { return config_.steps; }
  double last_batch_accuracy() const { return objective_->last_batch_accuracy(); }
  ImageNoiseClassifier& model() { return *model_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  Tensor eval_params() const { return loop_.part(0).ema(); }
  // noise_classifier_accuracy with the EMA weights.
  double accuracy(const ImageDataset& test, int n, int t);
  Checkpoint to_checkpoint() const;

 private:
  ImageNoiseClassifierTrainConfig config_;
  ImageDataset data_;
  NoiseSchedule schedule_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ImageNoiseClassifier> model_;
  TrainLoop loop_;
  std::unique_ptr<ImageNoiseClassifierObjective> objective_;
};

struct LoadedImageNoiseClassifier {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<ImageNoiseClassifier> model;  // its EMA weights loaded as its own
  NoiseSchedule schedule;
  Checkpoint checkpoint;
};
// Throws CheckpointError for a bad file, std::invalid_argument for a checkpoint of another architecture.
std::unique_ptr<LoadedImageNoiseClassifier> load_image_noise_classifier(const std::string& path,
                                                                        int threads = 1);
// $DIFFLAB_CHECKPOINTS_DIR/, ./checkpoints/ or the source tree's checkpoints/
// fashion-mnist-noise-classifier.ckpt (the first that exists; otherwise the source tree's path).
std::string default_noise_classifier_path();

}  // namespace difflab
