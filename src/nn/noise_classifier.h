// noise_classifier.h — the noise-conditional 2-D classifier p(y | xₜ, t) ("mlp2d-noise-classifier"), an MLP
// with log-probabilities and ∇ₓ log p(y | xₜ, t) by backpropagation to its input (classifier guidance).
// Not training (train/cond_objective.h) and not the exact classifier of a mixture (core/guidance.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/conditional.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

struct NoiseClassifierConfig {
  MlpConfig mlp{128, 3, 32, 1.0f, 1.0f, Activation::Gelu};  // input_scale 1: smooth features, smooth ∇ₓ
  int num_classes = 2;
};

// input [B, 3] = (x, y, t) → sinusoidal embeddings [B, 3E] → Linear(3E, W) + act → depth × residual blocks
// → Linear(W, K) = logits. Dhariwal & Nichol (2021) train such a classifier on noised images; here on xₜ.
class NoiseClassifierModel final : public Model, public NoiseClassifier {
 public:
  NoiseClassifierModel(const NoiseClassifierConfig& config, Backend& backend);
  static size_t count_params(const NoiseClassifierConfig& config);
  const NoiseClassifierConfig& config() const { return config_; }

  // Model
  std::string family() const override { return "mlp2d-noise-classifier"; }
  ModelConfigMap config_map() const override;
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return num_params_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  // logits [B, K] for input [B, 3]; keeps activations for backward().
  void forward(const float* input, int batch, float* logits);
  // From d_logits [B, K]: parameter gradients (grads() overwritten) and, when d_input is not null, the
  // gradient w.r.t. the input's x and y, d_input [B, 2] (through the sinusoidal embedding, by the chain
  // rule).
  void backward(const float* d_logits, float* d_input = nullptr);

  // NoiseClassifier (with the weights of set_params_view, e.g. the EMA copy)
  int dim() const override { return 2; }
  int num_classes() const override { return config_.num_classes; }
  void log_probs(const float* xt, int n, int t, float* log_probs) override;
  void grad_log_prob(const float* xt, int n, int t, int label, float* grad) override;

 private:
  Tensor param(int index) const;
  Tensor grad(int index) const;
  void ensure_batch(int batch);

  NoiseClassifierConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  int batch_capacity_ = -1;
  Tensor input_, embedding_, d_embedding_, out_, d_out_, d_h_, d_z_;
  std::vector<Tensor> z_, h_;
  std::vector<float> host_input_, host_d_embedding_, scratch_in_, scratch_logits_, scratch_d_;
};

NoiseClassifierConfig noise_classifier_config_from_map(const ModelConfigMap& map);

}  // namespace difflab

namespace difflab {

// LOCAL STAND-IN for exactguide's ClassifierGuidedDenoiser (sample/guided.h; replace at merge): classifier
// guidance with the course's γ, ε̃(xₜ) = ε̂(xₜ) − γ √(1 − ᾱₜ) ∇ₓ log pₜ(y | xₜ) (Dhariwal & Nichol 2021, Alg. 2
// in ε form): the ε of ∇ log pₜ(x) + γ ∇ log pₜ(y | x).
class ClassifierGuidedLocal final : public Denoiser {
 public:
  ClassifierGuidedLocal(Denoiser& model, NoiseClassifier& classifier, int label, double gamma)
      : model_(model), classifier_(classifier), label_(label), gamma_(gamma) {}
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return model_.schedule(); }
  const DataBox& data_box() const override { return model_.data_box(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    model_.predict_eps(xt, n, t, eps);
    if (gamma_ == 0.0) return;
    grad_.resize(static_cast<size_t>(n) * dim());
    classifier_.grad_log_prob(xt, n, t, label_, grad_.data());
    const double sigma = schedule().sqrt_one_minus_alpha_bar[t];
    for (size_t k = 0; k < grad_.size(); ++k) eps[k] = static_cast<float>(eps[k] - gamma_ * sigma * grad_[k]);
  }

 private:
  Denoiser& model_;
  NoiseClassifier& classifier_;
  int label_;
  double gamma_;
  std::vector<float> grad_;
};

}  // namespace difflab
