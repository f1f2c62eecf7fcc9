// classifier_trainer.h — trains the feature CNN with AdamW; accuracy, FID features, checkpoints.
// Not the diffusion trainers (trainer.h, image_trainer.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/idx.h"
#include "nn/backend.h"
#include "nn/backend_factory.h"
#include "nn/classifier.h"
#include "train/checkpoint.h"
#include "train/optimizer.h"
#include "train/train_loop.h"

namespace difflab {

struct ClassifierTrainConfig {
  std::string dataset = "fashion-mnist";
  ClassifierConfig model;
  int epochs = 8;
  int batch = 128;
  // Peak learning rate, reached after `warmup_steps` and then decayed to 0 along a cosine (Loshchilov &
  // Hutter 2017).
  AdamWConfig optimizer{3e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f};
  int warmup_steps = 100;
  float grad_clip = 1.0f;
  float ema_decay = 0.998f;  // the weights that are evaluated and saved; 0 = the raw weights
  bool flip =
      false;  // random horizontal flips; off: Fashion-MNIST's shoes all point left, flips cost accuracy
  uint64_t seed = 0;
  BackendKind backend = BackendKind::cpu;  // where it trains: cpu, gl or automatic (by parameter count)
  int threads = 2;
};

std::string describe(const ClassifierTrainConfig& c);

// Softmax cross-entropy of the CNN classifier on shuffled minibatches (a fresh shuffle every epoch), with a
// linear warm-up and cosine decay of the learning rate; updates the loop's part 0. StepResult::loss is the
// minibatch's mean cross-entropy; last_metrics() gives its accuracy.
class ClassifierObjective final : public Objective {
 public:
  ClassifierObjective(const ClassifierTrainConfig& config, Classifier& model, const ImageDataset& data);
  std::string name() const override { return "classifier (cross-entropy)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"accuracy", last_accuracy_}};
  }
  StepResult step(TrainLoop& loop) override;
  int steps_per_epoch() const { return (data_.count + config_.batch - 1) / config_.batch; }
  int total_steps() const { return steps_per_epoch() * config_.epochs; }
  double last_batch_accuracy() const { return last_accuracy_; }

 private:
  const ClassifierTrainConfig& config_;
  Classifier& model_;
  const ImageDataset& data_;
  Rng rng_;
  std::vector<int> order_, labels_;
  std::vector<float> x_, logits_, d_logits_;
  double last_accuracy_ = 0;
};

// The classifier, its images and the shared TrainLoop with a ClassifierObjective.
class ClassifierTrainer {
 public:
  // Trains on `data` (images with labels; throws std::invalid_argument without labels).
  ClassifierTrainer(const ClassifierTrainConfig& config, ImageDataset data);
  ~ClassifierTrainer();

  int steps_per_epoch() const { return (data_.count + config_.batch - 1) / config_.batch; }
  int total_steps() const { return steps_per_epoch() * config_.epochs; }
  int step_count() const { return loop_.part(0).optimizer->step_count(); }
  // One minibatch (a fresh shuffle every epoch); returns its mean cross-entropy, NaN when the step was
  // undone.
  double step();
  // The minibatch accuracy of the last step (raw weights, flips included).
  double last_batch_accuracy() const { return objective_->last_batch_accuracy(); }

  Classifier& model() { return *model_; }
  // What make_backend chose for config().backend and why (a note for auto).
  const BackendChoice& backend_choice() const { return backend_choice_; }
  // The weights to evaluate and save: the EMA, or the raw weights when ema_decay = 0.
  Tensor eval_params() const {
    return config_.ema_decay > 0 ? loop_.part(0).optimizer->ema() : model_->params();
  }
  // Accuracy of the eval weights on the first n images of `test` (n ≤ 0: all).
  double accuracy(const ImageDataset& test, int n = 0);
  Checkpoint to_checkpoint() const;

 private:
  ClassifierTrainConfig config_;
  ImageDataset data_;
  BackendChoice backend_choice_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Classifier> model_;
  TrainLoop loop_;  // one part, "model"
  std::unique_ptr<ClassifierObjective> objective_;
};

// A classifier ready to use, from a checkpoint of architecture "classifier" (its EMA weights).
struct LoadedClassifier {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Classifier> model;
  Checkpoint checkpoint;
};
// Throws CheckpointError for a bad file, std::invalid_argument for a checkpoint of another architecture.
std::unique_ptr<LoadedClassifier> load_classifier(const std::string& path, int threads = 2,
                                                  BackendKind backend = BackendKind::cpu);

// Where the shipped classifier is: $DIFFLAB_CHECKPOINTS_DIR/, ./checkpoints/ or the source tree's
// checkpoints/ (the first that has the file; otherwise the source tree's path, which then does not exist).
std::string default_classifier_path();

// Predicted classes (argmax of the logits) of n images (n × H·W), in batches.
std::vector<int> classify(Classifier& model, const float* images, int n, int batch = 500);
// Share of the first n images of `data` (n ≤ 0: all) whose predicted class is their label.
double classifier_accuracy(Classifier& model, const ImageDataset& data, int n = 0);
// The pooled features (n × feature_dim(), row-major) of n images, in batches.
std::vector<float> classifier_features(Classifier& model, const float* images, int n, int batch = 500);

}  // namespace difflab
