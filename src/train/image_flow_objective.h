// image_flow_objective.h — flow matching / rectified flow for any image network (Lipman et al. 2023; Liu et
// al. 2023; Esser et al. 2024): xₜ = (1 − t)·x₀ + t·ε, target v = ε − x₀, t uniform or logit-normal, the
// network's time input t·kFlowTimeScale; the network read as a velocity (Euler/Heun) and as a VP denoiser.
// Not the 2-D flow trainer (train/flow_trainer.h) and not ε-prediction (train/image_trainer.h).
#pragma once

#include <string>
#include <vector>

#include "core/flow.h"
#include "core/rng.h"
#include "data/idx.h"
#include "nn/image_net.h"
#include "sample/flow_ode.h"
#include "train/flow_trainer.h"
#include "train/image_trainer.h"

namespace difflab {

// One minibatch of the flow objective: images x₀, noise ε (both B × D), times t ∈ [0, 1] and labels (B).
struct ImageFlowBatch {
  int batch = 0;
  std::vector<float> x0, eps, t;
  std::vector<int> labels;
};

// ‖v_θ(xₜ, t·kFlowTimeScale) − (ε − x₀)‖² averaged over the batch and the pixels. Reads config.batch,
// config.flow_time (uniform | logit-normal, m = 0, s = 1), the optimizer settings and label_dropout at every
// step. Any ImageNet trains with it (the U-Net, a DiT).
class ImageFlowObjective final : public Objective {
 public:
  // Throws std::invalid_argument for an unknown config.flow_time or a data/model size mismatch.
  ImageFlowObjective(const ImageTrainConfig& config, ImageNet& model, const ImageDataset& data);
  std::string name() const override { return "flow matching (‖v − (ε − x₀)‖², images)"; }
  StepResult step(TrainLoop& loop) override;

  // The next minibatch from the objective's random stream (x₀ from the data, ε ~ 𝒩(0, I), t, labels).
  ImageFlowBatch draw_batch();
  // The loss of `batch` with the network's current weights; leaves ∂loss/∂θ in the model's grads().
  double loss_and_gradient(const ImageFlowBatch& batch);

 private:
  const ImageTrainConfig& config_;
  ImageNet& model_;
  const ImageDataset& data_;
  FlowTimeDistribution time_ = FlowTimeDistribution::Uniform;
  Rng rng_;
  std::vector<float> xt_, times_, out_, d_out_;
};

// An image network trained with ImageFlowObjective as a velocity field (dim = H·W·C), batched, with
// the given weights (empty = its own) and class label (−1 = none).
class ImageNetVelocity final : public VelocityField {
 public:
  explicit ImageNetVelocity(ImageNet& model, Tensor params = {}, int label = -1, int max_batch = 64)
      : model_(model), params_(params), label_(label), max_batch_(max_batch) {}
  int dim() const override { return model_.dim(); }
  void set_label(int label) { label_ = label; }
  void predict_velocity(const float* x, int n, double t, float* v) override;

 private:
  ImageNet& model_;
  Tensor params_;
  int label_, max_batch_;
  std::vector<float> times_;
  std::vector<int> labels_;
};

// The same network as a VP denoiser (core/flow.h's change of variables), so `difflab sample` runs every
// sampler on it; DDIM on it is Euler on the flow ODE at the same times.
class ImageFlowDenoiser final : public Denoiser {
 public:
  ImageFlowDenoiser(ImageNet& model, const NoiseSchedule& schedule, Tensor params = {}, int label = -1)
      : velocity_(model, params, label), adapter_(velocity_, schedule) {}
  int dim() const override { return velocity_.dim(); }
  const NoiseSchedule& schedule() const override { return adapter_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    adapter_.predict_eps(xt, n, t, eps);
  }
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override {
    adapter_.predict_eps_continuous(xt, n, t, alpha_bar, eps);
  }
  void set_label(int label) { velocity_.set_label(label); }

 private:
  ImageNetVelocity velocity_;
  VelocityDenoiser adapter_;
};

// n images from 𝒩(0, I) (seed) carried to t = 0 by `steps` Euler or Heun steps of `model` with `params`,
// clipped to [−1, 1].
std::vector<float> sample_image_flow(ImageNet& model, Tensor params, int n, int steps, FlowMethod method,
                                     uint64_t seed, int label = -1);

}  // namespace difflab
