// cond_objective.h — training the class-conditional 2-D denoiser for classifier-free guidance: L_simple with
// label dropout (Ho & Salimans 2022, Alg. 1), and a bundle (data, schedule, model, loop) the CLI, panels and
// tests share. Not the model (nn/cond_mlp.h) and not sampling (the guided denoisers).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/toy2d.h"
#include "nn/backend_factory.h"
#include "nn/cond_mlp.h"
#include "nn/noise_classifier.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

// One step: (x₀, y) ~ data, y ← ∅ with probability p_uncond, t ~ U{0 … T−1}, ε ~ 𝒩(0, I),
// loss = mean ‖ε − ε_θ(√ᾱₜ x₀ + √(1−ᾱₜ) ε, t, y)‖² / 2 (per coordinate, as the unconditional trainer's).
class CondDiffusionObjective final : public Objective {
 public:
  CondDiffusionObjective(TrainPart& part, CondMlpModel& model, const PointSet& data,
                         const NoiseSchedule& schedule, int batch, double p_uncond, uint64_t seed);
  std::string name() const override { return "diffusion (L_simple, label dropout)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"uncond_fraction", last_uncond_fraction_}};
  }
  StepResult step(TrainLoop& loop) override;
  // The labels of the last minibatch (K = ∅ where dropped).
  const std::vector<int>& last_labels() const { return labels_; }

 private:
  TrainPart& part_;
  CondMlpModel& model_;
  const PointSet& data_;
  const NoiseSchedule& schedule_;
  int batch_;
  double p_uncond_;
  Rng rng_;
  std::vector<float> input_, eps_, out_, d_out_;
  std::vector<int> labels_;
  double last_uncond_fraction_ = 0;
};

// What the two trainers on labelled 2-D points (the class-conditional MLP, the noise classifier) share: the
// data, the schedule and the optimiser.
struct LabelledTrainSettings {
  std::string dataset = "8gaussians";
  PointSet custom_points;  // when not empty (with labels), the training points instead of `dataset`'s
  // When > 0, a point's class is its data label modulo this (8gaussians with 2: alternate modes, 4 per
  // class).
  int classes_mod = 0;
  int train_points = 8000;
  ScheduleConfig schedule{ScheduleKind::Linear, 100, 1e-3, 0.2};  // as the unconditional 2-D trainer's
  int batch = 256;
  float lr = 2e-3f;
  float grad_clip = 1.0f;
  float ema_decay = 0.995f;
  uint64_t seed = 0;
  BackendKind backend = BackendKind::cpu;  // where it trains: cpu, gl or automatic (by parameter count)
};
// The optimiser of one model part from these settings (AdamW lr, clipping, EMA).
OptimizerSettings optimizer_settings(const LabelledTrainSettings& settings);
// A checkpoint's weights: the EMA copy always, the raw ones unless ema_only.
void read_weights_into(Checkpoint& ck, Model& model, const Tensor& ema, bool ema_only);

// What CondTrainer and NoiseClassifierTrainer share: their config, the training points, the schedule, one
// model on the configured backend with its optimiser part, and the objective.
template <class Config, class ModelType, class ObjectiveType>
class LabelledTrainer {
 public:
  StepResult step() { return loop_.step(*objective_); }
  int step_count() const { return loop_.step_count(); }
  const Config& config() const { return config_; }
  const PointSet& train_data() const { return train_data_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  ModelType& model() { return *model_; }
  // What make_backend chose for config().backend and why (a note for auto).
  const BackendChoice& backend_choice() const { return backend_choice_; }
  Tensor ema_params() { return loop_.part(0).ema(); }
  ObjectiveType& objective() { return *objective_; }

 protected:
  explicit LabelledTrainer(const Config& config)
      : config_(config), schedule_(make_schedule(config.schedule)) {}
  // The model of config_.model (num_classes set by then) on config_.backend, initialised from the seed, and
  // its optimiser part.
  TrainPart& build_model() {
    backend_ = make_backend(config_.backend, &backend_choice_, mlp_param_count(config_.model.mlp));
    model_ = std::make_unique<ModelType>(config_.model, *backend_);
    model_->init_params(config_.seed);
    return loop_.add_part("model", *model_, optimizer_settings(config_));
  }
  Config config_;
  PointSet train_data_;
  NoiseSchedule schedule_;
  BackendChoice backend_choice_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ModelType> model_;
  TrainLoop loop_;
  std::unique_ptr<ObjectiveType> objective_;
};

struct CondTrainConfig : LabelledTrainSettings {
  CondMlpConfig model;  // num_classes is set from the data set
  int steps = 4000;
  double p_uncond = 0.1;
};

// Everything one conditional training run needs, on config.backend.
class CondTrainer : public LabelledTrainer<CondTrainConfig, CondMlpModel, CondDiffusionObjective> {
 public:
  explicit CondTrainer(const CondTrainConfig& config);
  const Dataset2D& dataset() const { return dataset_; }
  const DataBox& data_box() const { return data_box_; }
  // A denoiser with the EMA weights (valid while this trainer lives).
  std::unique_ptr<CondMlpDenoiser> denoiser();

 private:
  Dataset2D dataset_;
  DataBox data_box_;
};

// Checkpoint (architecture "mlp2d-cond": the MLP keys, num_classes and p_uncond as extra header keys).
Checkpoint cond_checkpoint_of(CondTrainer& trainer, bool ema_only);

// A conditional model loaded from a checkpoint, with its own backend, ready to sample.
struct LoadedCondModel {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<CondMlpModel> model;
  NoiseSchedule schedule;
  Tensor ema;
  std::unique_ptr<Storage> ema_storage;
  DataBox box;
  std::unique_ptr<CondMlpDenoiser> denoiser;
};
// Throws CheckpointError when the file is not an "mlp2d-cond" checkpoint.
std::unique_ptr<LoadedCondModel> load_cond_model(const std::string& path,
                                                 BackendKind backend = BackendKind::cpu);

// Cross-entropy −log p(y | xₜ, t) of the noise-conditional classifier on (xₜ, t, y) from the forward process:
// (x₀, y) ~ data, t ~ U{0 … T−1}, xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.
class NoiseClassifierObjective final : public Objective {
 public:
  NoiseClassifierObjective(TrainPart& part, NoiseClassifierModel& model, const PointSet& data,
                           const NoiseSchedule& schedule, int batch, uint64_t seed);
  std::string name() const override { return "noise-conditional classifier (cross-entropy)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"accuracy", last_accuracy_}};
  }
  StepResult step(TrainLoop& loop) override;

 private:
  TrainPart& part_;
  NoiseClassifierModel& model_;
  const PointSet& data_;
  const NoiseSchedule& schedule_;
  int batch_;
  Rng rng_;
  std::vector<float> input_, logits_, d_logits_;
  std::vector<int> labels_;
  double last_accuracy_ = 0;
};

struct NoiseClassifierTrainConfig : LabelledTrainSettings {
  NoiseClassifierConfig model;  // num_classes is set from the data
  int steps = 3000;
};

class NoiseClassifierTrainer
    : public LabelledTrainer<NoiseClassifierTrainConfig, NoiseClassifierModel, NoiseClassifierObjective> {
 public:
  explicit NoiseClassifierTrainer(const NoiseClassifierTrainConfig& config);
};

// Checkpoint (architecture "mlp2d-noise-classifier": the MLP keys plus num_classes as an extra key).
Checkpoint noise_classifier_checkpoint_of(NoiseClassifierTrainer& trainer, bool ema_only);
struct LoadedNoiseClassifier {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<NoiseClassifierModel> model;  // its EMA weights loaded as its own
  NoiseSchedule schedule;
};
std::unique_ptr<LoadedNoiseClassifier> load_noise_classifier(const std::string& path,
                                                             BackendKind backend = BackendKind::cpu);

}  // namespace difflab
