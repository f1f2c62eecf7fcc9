// image_noise_classifier.h — the noise-conditional image classifier p(y | xₜ, t) ("image-noise-classifier"):
// a small CNN with a time embedding, its log-probabilities and ∇ₓ log p(y | xₜ, t) (classifier guidance).
// Not training (train/image_noise_classifier_trainer.h) and not the clean-image classifier of FID
// (nn/classifier.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/conditional.h"
#include "nn/backend.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// x [B, H·W] in [−1, 1] (xₜ), t [B] (code indices) →
//   temb = SiLU(Linear(sinusoidal(t), time_width))
//   conv3×3(1 → c₀) → GN → + Linear(temb, c₀) per image → SiLU → conv3×3 stride 2 (c₀ → c₀) → GN → + … → SiLU
//   → conv3×3(c₀ → c₁) → GN → + … → SiLU → conv3×3 stride 2 (c₁ → c₂) → GN → + … → SiLU
//   → global average pool [B, c₂] → Linear(c₂, classes) = logits.
// The time shift after each GroupNorm tells every stage how noisy its input is (Dhariwal & Nichol 2021 use
// the U-Net's encoder with the same time embedding). Defaults (16, 32, 64), 8 groups, time width 64: 36,954
// parameters, ≈ 2.4 M multiply-adds per 28×28 image.
struct ImageNoiseClassifierConfig {
  std::vector<int> channels{16, 32, 64};  // c₀, c₁, c₂
  int groups = 8;                         // GroupNorm groups (divides every cᵢ)
  int time_embedding = 32;                // sinusoidal features of t (even, ≥ 4)
  int time_width = 64;                    // width of temb
  int height = 28, width = 28;            // divisible by 4
  int num_classes = 10;
};

std::string describe(const ImageNoiseClassifierConfig& c);
// Throws std::invalid_argument when the sizes do not fit together.
void validate(const ImageNoiseClassifierConfig& c);
size_t image_noise_classifier_param_count(const ImageNoiseClassifierConfig& c);
inline constexpr const char* kImageNoiseClassifierConfigKeys =
    "classifier_channels groups time_embedding time_width height width num_classes";
ModelConfigMap image_noise_classifier_config_map(const ImageNoiseClassifierConfig& c);
// Throws std::invalid_argument naming the bad or missing key, or validate()'s message.
ImageNoiseClassifierConfig image_noise_classifier_config_from_map(const ModelConfigMap& config);

class ImageNoiseClassifier final : public Model, public NoiseClassifier {
 public:
  ImageNoiseClassifier(const ImageNoiseClassifierConfig& config, Backend& backend);
  ~ImageNoiseClassifier() override;

  // Model
  std::string family() const override { return "image-noise-classifier"; }
  ModelConfigMap config_map() const override { return image_noise_classifier_config_map(config_); }
  const ImageNoiseClassifierConfig& config() const { return config_; }
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return num_params_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // PyTorch's default init: U(±1/√fan_in) for convolution and Linear weights and biases; GroupNorm γ = 1, β =
  // 0; the time projections start at 0 (the network first learns the clean classifier).
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  // logits [B, classes] for x [B, H·W] at times t [B]; keeps activations for backward().
  void forward(const float* x, const float* t, int batch, float* logits);
  // Every parameter's gradient (grads() overwritten) from d_logits [B, classes] of the last forward(); with
  // d_x [B, H·W] also the gradient w.r.t. the input xₜ.
  void backward(const float* d_logits, float* d_x = nullptr);

  // NoiseClassifier (with the weights of set_params_view, e.g. the EMA copy); batches of at most 128 images.
  int dim() const override { return config_.height * config_.width; }
  int num_classes() const override { return config_.num_classes; }
  void log_probs(const float* xt, int n, int t, float* log_probs) override;
  void grad_log_prob(const float* xt, int n, int t, int label, float* grad) override;
  // The same with row i's own label labels[i] (a grid of one row per class).
  void grad_log_prob_labels(const float* xt, int n, int t, const int* labels, float* grad);

 private:
  struct Layer {
    ConvShape shape;
    size_t weight = 0, bias = 0, gamma = 0, beta = 0, time_w = 0, time_b = 0;  // indices into layout_
    Tensor conv_out, stats, norm_out, shift, act_out, d_act, d_norm, d_conv, d_shift;
  };
  void ensure_batch(int batch);
  Tensor param(size_t block) const;
  Tensor grad(size_t block) const;

  ImageNoiseClassifierConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;
  size_t time_w_ = 0, time_b_ = 0, head_w_ = 0, head_b_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  std::vector<Layer> layers_;
  Tensor input_, d_input_, t_in_, sinusoid_, time_h_, temb_, d_temb_, d_time_h_, features_, d_features_,
      logits_, d_logits_;
  int batch_ = 0;
  std::vector<float> host_t_, host_logits_, host_d_logits_;
};

}  // namespace difflab
