// classifier.h — the small CNN that classifies 28×28 images; its pooled features feed the Fréchet distance.
// Not training (train/classifier_trainer.h) and not a metric (train/frechet_distance.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// x [B, H·W] in [−1, 1] → conv3×3(1 → c₀) → GN → SiLU → conv3×3 stride 2 (c₀ → c₀) → GN → SiLU
//   → conv3×3(c₀ → c₁) → GN → SiLU → conv3×3 stride 2 (c₁ → c₂) → GN → SiLU
//   → global average pool = the features [B, c₂] → Linear(c₂, classes) = logits.
// Defaults (32, 64, 128), 8 groups: 103,722 parameters, ≈ 9.3 M multiply-adds per 28×28 image.
struct ClassifierConfig {
  std::vector<int> channels{32, 64, 128};  // c₀, c₁, c₂
  int groups = 8;                          // GroupNorm groups (divides every cᵢ)
  int height = 28, width = 28;             // divisible by 4
  int num_classes = 10;
};

std::string describe(
    const ClassifierConfig& c);  // "CNN classifier: channels 32,64,128, GroupNorm 8, 10 classes"
// Throws std::invalid_argument when channels, groups or image size do not fit together.
void validate(const ClassifierConfig& c);
size_t classifier_param_count(const ClassifierConfig& c);
// The checkpoint header keys of family "classifier" (nn/model_family.h), in file order, and the conversions.
inline constexpr const char* kClassifierConfigKeys = "classifier_channels groups height width num_classes";
ModelConfigMap classifier_config_map(const ClassifierConfig& c);
// Throws std::invalid_argument naming the bad or missing key, or validate()'s message.
ClassifierConfig classifier_config_from_map(const ModelConfigMap& config);

// Mean softmax cross-entropy over the batch, −(1/B) Σ_b log softmax(logits_b)[label_b], computed with the row
// maximum subtracted; d_logits [B, classes] (may be null) = (softmax − one_hot(label)) / B, its gradient.
double softmax_cross_entropy(const float* logits, const int* labels, int batch, int classes, float* d_logits);

class Classifier final : public Model {
 public:
  Classifier(const ClassifierConfig& config, Backend& backend);
  ~Classifier() override;

  std::string family() const override { return "classifier"; }
  ModelConfigMap config_map() const override { return classifier_config_map(config_); }
  const ClassifierConfig& config() const { return config_; }
  const std::vector<ParamBlock>& layout() const { return layout_; }
  size_t num_params() const override { return num_params_; }
  int feature_dim() const { return config_.channels.back(); }
  int dim() const { return config_.height * config_.width; }
  Backend& backend() override { return backend_; }

  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // PyTorch's default init: U(±1/√fan_in) for convolution and Linear weights and biases; GroupNorm γ = 1, β =
  // 0.
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  // logits [B, classes] for x [B, H·W]; features [B, feature_dim()] may be null. Keeps activations for
  // backward().
  void forward(const float* x, int batch, float* logits, float* features = nullptr);
  // Every parameter's gradient (grads() overwritten) from d_logits [B, classes] of the last forward(); with
  // d_x [B, H·W] also the gradient w.r.t. the input x (what classifier guidance needs: ∇ₓ log p(y | x)).
  void backward(const float* d_logits, float* d_x = nullptr);

 private:
  // One conv → GN → SiLU stage: its shape (batch set per forward), parameter blocks and activations.
  struct Layer {
    ConvShape shape;
    size_t weight = 0, bias = 0, gamma = 0, beta = 0;  // indices into layout_
    Tensor conv_out, stats, norm_out, act_out;
  };
  void ensure_batch(int batch);
  Tensor param(size_t block) const;
  Tensor grad(size_t block) const;

  ClassifierConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  std::vector<Layer> layers_;
  Tensor input_, features_, logits_, d_logits_, d_features_, scratch_[2];
  int batch_ = 0;
};

}  // namespace difflab
