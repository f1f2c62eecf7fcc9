// clip_objective.h — training the mini-CLIP: a step draws images with random captions (es or en), runs the
// symmetric InfoNCE loss and updates; the trainer, zero-shot classification from prompts, checkpoints.
// Not the networks or the loss (nn/clip.h) and not threaded (the clip panel runs ClipTrainer on a
// LiveRunner).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/captions.h"
#include "data/idx.h"
#include "nn/backend_factory.h"
#include "nn/clip.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

// The defaults of nn/clip.h with the caption vocabulary (data/captions.h caption_tokenizer()) filled in.
ClipConfig default_clip_config();

struct ClipTrainConfig {
  std::string dataset = "fashion-mnist";
  ClipConfig model = default_clip_config();
  int steps = 1500;
  int batch = 128;
  // CLIP's AdamW (β₂ = 0.98, ε = 1e-6), no weight decay here; linear warm-up, then cosine decay to 0.
  AdamWConfig optimizer{2e-3f, 0.9f, 0.98f, 1e-6f, 0.0f};
  int warmup_steps = 100;
  float grad_clip = 1.0f;
  float ema_decay = 0.99f;  // 0 = the raw weights
  uint64_t seed = 0;
  BackendKind backend = BackendKind::cpu;
  int threads = 2;
};

std::string describe(const ClipTrainConfig& c);

// One step: `batch` random training images, each with a random caption of its class (data/captions.h
// random_caption: language, synonym and template drawn uniformly); image i's caption is text i, so the
// matching pairs are the diagonal. After the update the log-scale is clamped to 0 … ln 100 (CLIP's clamp).
class ClipObjective final : public Objective {
 public:
  ClipObjective(const ClipTrainConfig& config, ClipModel& model, const ImageDataset& data);
  std::string name() const override { return "CLIP (symmetric InfoNCE)"; }
  std::vector<std::pair<std::string, double>> last_metrics() const override {
    return {{"accuracy", last_.accuracy}, {"logit_scale", logit_scale_}};
  }
  StepResult step(TrainLoop& loop) override;
  // The loss and its gradients (grads() overwritten) for given images [n, H·W] and tokens [n, max_tokens].
  ClipLossResult gradients(const float* images, const int* tokens, int n);

 private:
  const ClipTrainConfig& config_;
  ClipModel& model_;
  const ImageDataset& data_;
  Rng rng_;
  std::vector<float> x_, img_, txt_, d_img_, d_txt_;
  std::vector<int> tokens_;
  ClipLossResult last_;
  double logit_scale_ = 0;
};

// Which prompts zero-shot classification uses: each class's own name in the first template ("una foto de
// un bolso"; "a photo of a bag"), or every caption of the class in both languages, their embeddings averaged
// (CLIP's prompt ensembling).
enum class ZeroShotPrompts { Spanish, English, Ensemble };
std::vector<std::vector<std::string>> zero_shot_prompts(ZeroShotPrompts kind);
// One normalised embedding per class [classes, d]: the mean of its prompts' embeddings, normalised.
std::vector<float> clip_class_embeddings(ClipModel& model,
                                         const std::vector<std::vector<std::string>>& prompts);
// Share of the first n images of `data` (n ≤ 0: all) whose most similar class embedding is their label.
double clip_zero_shot_accuracy(ClipModel& model, const ImageDataset& data, const std::vector<float>& classes,
                               int n = 0);

class ClipTrainer {
 public:
  ClipTrainer(const ClipTrainConfig& config, ImageDataset data);
  ~ClipTrainer();
  StepResult step() { return loop_.step(*objective_); }
  int step_count() const { return loop_.part(0).optimizer->step_count(); }
  ClipModel& model() { return *model_; }
  Backend& backend() { return *backend_; }
  const ClipTrainConfig& config() const { return config_; }
  const ClipObjective& objective() const { return *objective_; }
  void set_learning_rate(float lr) { config_.optimizer.lr = lr; }
  Tensor eval_params() const {
    return config_.ema_decay > 0 ? loop_.part(0).optimizer->ema() : model_->params();
  }
  Checkpoint to_checkpoint() const;
  // Continue from trained weights (a checkpoint's ema_params): the weights and their EMA, moments restarted.
  void load_weights(const std::vector<float>& params, int step);

 private:
  ClipTrainConfig config_;
  ImageDataset data_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ClipModel> model_;
  TrainLoop loop_;
  std::unique_ptr<ClipObjective> objective_;
};

struct LoadedClip {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<ClipModel> model;
  Checkpoint checkpoint;
};
// Throws CheckpointError for a bad file, std::invalid_argument for another architecture or a vocabulary size
// that is not the caption tokenizer's.
std::unique_ptr<LoadedClip> load_clip(const std::string& path, int threads = 2);
// $DIFFLAB_CHECKPOINTS_DIR/, ./checkpoints/ or the source tree's checkpoints/fashion-mnist-clip.ckpt.
std::string default_clip_path();

}  // namespace difflab
