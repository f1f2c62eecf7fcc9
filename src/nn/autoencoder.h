// autoencoder.h — the small convolutional autoencoder of latent diffusion (Rombach et al. 2022, §3): 28×28
// images ↔ a 4×8×8 latent, optionally KL-regularised like Stable Diffusion's VAE (the encoder gives μ and
// log σ²). Not its loss (train/autoencoder_objective.h) and not the diffusion model that runs in the latent.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// Encoder (NHWC, 3×3 convolutions, GN = GroupNorm then SiLU):
//   x [28×28×1] → conv(1 → c₀) GN → conv stride 2 (c₀ → c₁) 14×14 GN → conv stride 2, padding 2 (c₁ → c₁)
//   8×8 GN → conv(c₁ → 2z) = moments [8×8×2z]: μ in channels 0 … z−1, log σ² in z … 2z−1.
// Decoder: z [8×8×z] → conv(z → c₁) GN → nearest ×2 (16×16) → conv padding 0 (c₁ → c₁) 14×14 GN
//   → nearest ×2 (28×28) → conv(c₁ → c₀) GN → conv(c₀ → 1) = x̂ [28×28×1] (no squashing).
// 8×8 (not 7×7) so that a U-Net in the latent halves cleanly at three levels (8 → 4 → 2), as the pixel
// classroom U-Net does (28 → 14 → 7): the same U-Net configuration runs in both spaces.
struct AutoencoderConfig {
  std::vector<int> channels{16, 32};  // c₀, c₁
  int latent_channels = 4;            // z
  int groups = 8;                     // GroupNorm groups (divides c₀ and c₁)
};

inline constexpr int kAutoencoderImageSide = 28;
inline constexpr int kAutoencoderLatentSide = 8;

std::string describe(const AutoencoderConfig& c);  // "autoencoder: channels 16,32, latent 4×8×8"
// Throws std::invalid_argument when the channels and groups do not fit together.
void validate(const AutoencoderConfig& c);
size_t autoencoder_param_count(const AutoencoderConfig& c);
// The checkpoint header keys of family "autoencoder" (nn/model_family.h), in file order, and the conversions.
inline constexpr const char* kAutoencoderConfigKeys = "ae_channels latent_channels groups";
ModelConfigMap autoencoder_config_map(const AutoencoderConfig& c);
AutoencoderConfig autoencoder_config_from_map(const ModelConfigMap& config);

class Autoencoder final : public Model {
 public:
  Autoencoder(const AutoencoderConfig& config, Backend& backend);
  ~Autoencoder() override;

  std::string family() const override { return "autoencoder"; }
  ModelConfigMap config_map() const override { return autoencoder_config_map(config_); }
  const AutoencoderConfig& config() const { return config_; }
  size_t num_params() const override { return num_params_; }
  Backend& backend() override { return backend_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // PyTorch's default init: U(±1/√fan_in) for convolution weights and biases; GroupNorm γ = 1, β = 0.
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  int image_dim() const { return kAutoencoderImageSide * kAutoencoderImageSide; }  // 784
  int latent_dim() const {
    return kAutoencoderLatentSide * kAutoencoderLatentSide * config_.latent_channels;
  }  // 256 (NHWC, channel fastest)

  // moments [B, 2·latent_dim()]: per image, 64 positions × 2z channels (μ | log σ²) as the conv writes them.
  // Keeps activations for backward_encoder().
  void encode(const float* x, int batch, float* moments);
  // x̂ [B, 784] for z [B, latent_dim()]. Keeps activations for backward_decoder().
  void decode(const float* z, int batch, float* x_hat);
  // The decoder's parameter gradients (overwritten) from d_x_hat [B, 784]; d_z [B, latent_dim()] written.
  void backward_decoder(const float* d_x_hat, float* d_z);
  // The encoder's parameter gradients (overwritten) from d_moments [B, 2·latent_dim()].
  void backward_encoder(const float* d_moments);

  // μ [B, latent_dim()] of the moments (the deterministic encoding); helpers for callers without the layout.
  void split_moments(const float* moments, int batch, float* mu, float* log_var) const;

  struct Stack;  // one conv stack (encoder or decoder), autoencoder.cpp

 private:
  size_t add_block(const std::string& name, int rows, int cols);
  Tensor param(size_t block) const;
  Tensor grad(size_t block) const;

  AutoencoderConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_;
  Tensor params_, grads_, active_params_;
  std::unique_ptr<Stack> encoder_, decoder_;
};

}  // namespace difflab
