// dit.h — a diffusion transformer (DiT, Peebles & Xie 2023) as an ImageNet: patchify, fixed 2-D sine-cosine
// position embedding, N transformer blocks with adaLN-Zero conditioning on t (+ class), final adaLN + Linear,
// unpatchify. Not a trainer and not a backend: every op goes through Backend, parameters in one flat buffer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/image_net.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// Architecture: tokens = Linear(patchify(x)) + pos (fixed 2-D sin-cos, half the width per axis); conditioning
// c = Linear₂(SiLU(Linear₁(sinusoidal(t)))) + class row; block = x + gate₁ ⊙ Attn(LN(x)·(1 + scale₁) +
// shift₁), then x + gate₂ ⊙ MLP(LN(x)·(1 + scale₂) + shift₂) with MLP = Linear(D, r·D) → GELU → Linear(r·D,
// D) and the six (shift, scale, gate) rows = Linear(SiLU(c)) per block, zero-initialised (adaLN-Zero: every
// block starts as the identity); out = unpatchify(Linear(LN(x)·(1 + scale) + shift)), that Linear and its
// modulation zero-initialised too, so the network's output is exactly 0 at init. LN has no affine parameters.
struct DiTConfig {
  std::string name = "classroom";
  int hidden = 92;  // D, the token width (multiple of 4 and of heads); 92: the classroom U-Net's parameters
  int depth = 4;    // transformer blocks
  int heads = 4;
  int patch = 4;      // patch side: 28×28 → 7×7 = 49 tokens at 4, 14×14 = 196 at 2
  int mlp_ratio = 4;  // MLP hidden width = mlp_ratio·D
  int height = 28, width = 28;
  int in_channels = 1;
  int num_classes =
      0;  // > 0: a class embedding [num_classes + 1, D] added to c; row num_classes = "no class"
};

// "classroom" (patch 4: 49 tokens, D 92, depth 4, 4 heads: 652,204 parameters at 28×28×1, the classroom U-Net
// has 636,465) or "small" (the same with patch 2: 196 tokens). False for other names.
bool dit_preset(const std::string& name, DiTConfig* config);
std::string describe(const DiTConfig& c);
// Throws std::invalid_argument when width, heads, patch and image size do not fit together.
void validate(const DiTConfig& c);
size_t dit_param_count(const DiTConfig& c);
inline constexpr const char* kDiTConfigKeys =
    "dit_name hidden depth heads patch mlp_ratio height width in_channels num_classes";
ModelConfigMap dit_config_map(const DiTConfig& c);
// Throws std::invalid_argument naming the bad or missing key, or validate()'s message.
DiTConfig dit_config_from_map(const ModelConfigMap& config);

class DiT final : public ImageNet {
 public:
  DiT(const DiTConfig& config, Backend& backend);
  ~DiT() override;

  std::string family() const override { return "dit"; }
  ModelConfigMap config_map() const override { return dit_config_map(config_); }
  const DiTConfig& config() const { return config_; }
  const std::vector<ParamBlock>& layout() const { return layout_; }
  size_t num_params() const override;
  Backend& backend() override { return backend_; }
  int height() const override { return config_.height; }
  int width() const override { return config_.width; }
  int channels() const override { return config_.in_channels; }
  int num_classes() const override { return config_.num_classes; }
  int cond_dim() const override { return config_.hidden; }
  int tokens() const { return (config_.height / config_.patch) * (config_.width / config_.patch); }

  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // DiT's init: Xavier-uniform Linear weights and patch embedding, zero biases, 𝒩(0, 0.02²) for the
  // timestep MLP's weights and the class table, zero for every adaLN modulation and the final Linear.
  void init_params(uint64_t seed) override;

  void forward(const float* x, const float* t, const int* labels, int batch, float* out) override;
  void forward_rows(const float* x, const float* t, const float* rows, int batch, float* out) override;
  void backward(const float* d_out) override;
  void read_d_rows(float* d_rows) const override;
  void read_class_row(int label, float* row) const override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }
  double forward_flops_per_image() const override;

  // The attention probabilities of block `block` for image `image` of the last forward: [heads, T, T]
  // row-major (row = query token, column = key token, tokens row by row over the patch grid). Empty when out
  // of range or before any forward.
  std::vector<float> attention_map(int block, int image) const;

  struct Impl;

 private:
  void ensure_batch(int batch);
  void run_forward(const float* x, const float* t, const int* labels, const float* rows, int batch,
                   float* out);

  DiTConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_, const_storage_;
  Tensor params_, grads_, active_params_;
  int batch_ = 0;
  bool rows_given_ = false;
  std::unique_ptr<Impl> impl_;
};

}  // namespace difflab
