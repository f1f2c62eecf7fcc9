// personalize.h — personalisation of a trained class-conditional U-Net on a few images of a held-out class:
// textual inversion (Gal et al. 2022: one new conditioning row, the network frozen) and DreamBooth (Ruiz et
// al. 2023: the whole network fine-tuned on a rare token, with or without the prior-preservation loss), and
// the metrics of lesson 18. Not a CLI (app/cli_finetune.cpp) and not ControlNet (train/controlnet.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/image_net.h"
#include "nn/unet.h"
#include "train/optimizer.h"
#include "train/train_loop.h"

namespace difflab {

class Classifier;

// The data set without any image of class `label` (its description says so). Throws std::invalid_argument
// when the data has no labels or no such class.
ImageDataset without_class(const ImageDataset& data, int label);
// `count` images of class `label` (the subject), the first ones from index `first` on: count × dim() floats.
// Throws std::invalid_argument when the class has fewer.
std::vector<float> subject_images(const ImageDataset& data, int label, int count, int first = 0);

// The weights `params` (host copy of a U-Net's) with the class-embedding row of `label` replaced by `row`
// [cond_dim]: a learned token becomes an ordinary class id that `difflab sample --class` can use.
void write_class_row(const UNet& model, std::vector<float>* params, int label, const float* row);

struct TextualInversionConfig {
  int steps = 300;
  int batch = 16;    // noisy copies of the subject per step (images drawn with replacement)
  float lr = 0.02f;  // Adam on the row
  uint64_t seed = 0;
  int init_label = -1;  // the row starts as this class's row (−1 = the null class's)
};

// Gal et al. 2022 on a class-conditional U-Net: min over one row v of E ‖ε − ε̂(√ᾱₜ x₀ + √(1−ᾱₜ) ε, t; v)‖²
// over the subject images x₀, with every network weight frozen (the gradient reaches v through read_d_rows).
class TextualInversion {
 public:
  // `model` keeps its weights (set them before); `subject` holds count images of the model's size.
  TextualInversion(ImageNet& model, const NoiseSchedule& schedule, std::vector<float> subject, int count,
                   const TextualInversionConfig& config);
  double step();  // one Adam step on the row; returns the minibatch loss
  int step_count() const { return steps_; }
  const std::vector<float>& row() const { return row_; }
  // ∂loss/∂row of the last step (tests compare it with finite differences of loss_at()).
  const std::vector<float>& last_gradient() const { return grad_; }
  // The loss of a fixed minibatch (seeded) at the given row, for finite-difference checks; with `gradient`
  // also ∂loss/∂row into last_gradient(). Does not move the row.
  double loss_at(const std::vector<float>& row, uint64_t seed, bool gradient = false);

 private:
  double batch_loss(const std::vector<float>& row, Rng& rng, bool gradient);
  ImageNet& model_;
  const NoiseSchedule& schedule_;
  std::vector<float> subject_;
  int count_;
  TextualInversionConfig config_;
  Rng rng_;
  std::vector<float> row_, grad_, m_, v_;
  std::vector<float> xt_, eps_, t_, rows_, out_, d_out_, d_rows_;
  int steps_ = 0;
};

struct DreamBoothConfig {
  int steps = 200;
  int batch = 16;              // subject images per step; the prior batch has as many
  float lr = 2e-4f;            // AdamW
  float prior_weight = 1.0f;   // λ of the prior-preservation loss; 0 = plain fine-tuning
  int prior_per_class = 8;     // generated images of each other class (the prior set)
  int token = 8;               // the rare token: a class id the base never saw
  float label_dropout = 0.1f;  // the subject steps keep classifier-free guidance alive
  uint64_t seed = 0;
};

// Ruiz et al. 2023 on a class-conditional U-Net: L = E‖ε − ε̂(xₜ, t; token)‖² over the subject + λ E‖ε −
// ε̂(xₜ', t'; y')‖² over images the base generated for the other classes y' (prior preservation).
class DreamBoothObjective final : public Objective {
 public:
  // prior: images [prior_count × dim] with their labels (empty when prior_weight = 0).
  DreamBoothObjective(ImageNet& model, const NoiseSchedule& schedule, std::vector<float> subject, int count,
                      std::vector<float> prior, std::vector<int> prior_labels,
                      const DreamBoothConfig& config);
  std::string name() const override { return "DreamBooth (subject + λ · prior)"; }
  StepResult step(TrainLoop& loop) override;
  double last_subject_loss() const { return subject_loss_; }
  double last_prior_loss() const { return prior_loss_; }

 private:
  ImageNet& model_;
  const NoiseSchedule& schedule_;
  std::vector<float> subject_, prior_;
  std::vector<int> prior_labels_;
  int count_;
  DreamBoothConfig config_;
  Rng rng_;
  std::vector<float> xt_, eps_, t_, out_, d_out_;
  std::vector<int> labels_;
  double subject_loss_ = 0, prior_loss_ = 0;
};

// Images of each class 0 … num_classes − 1 of `model` (with its current weights) under classifier-free
// guidance γ, DDIM with `steps` steps from seeded noise: [num_classes × per_class × dim], class-major.
std::vector<float> generate_per_class(ImageNet& model, const NoiseSchedule& schedule, int per_class,
                                      double gamma, int steps, uint64_t seed,
                                      const std::vector<int>& classes);

// The shipped classifier's verdict on generations: share of each class's images it calls that class.
struct GenerationAccuracy {
  std::vector<int> classes;
  std::vector<double> accuracy;  // per entry of classes
  double mean = 0;               // over classes
  std::vector<float> images;     // classes.size() × per_class images
};
GenerationAccuracy generation_accuracy(ImageNet& model, const NoiseSchedule& schedule, Classifier& classifier,
                                       const std::vector<int>& classes, int per_class, double gamma,
                                       int steps, uint64_t seed);

}  // namespace difflab
