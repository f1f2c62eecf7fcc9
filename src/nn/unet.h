// unet.h — the image U-Net denoiser of issue 5 (DDPM's architecture, Hugging Face UNet2DModel's layout),
// NHWC. Not training (train/image_trainer.h) and not a backend: every op goes through Backend, parameters in
// one flat buffer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/image_net.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// Architecture (issue 5): time embedding sinusoidal(c₀) → Linear(c₀, 4c₀) → SiLU → Linear(4c₀, 4c₀); conv_in
// 3×3; ResBlock = GN → SiLU → conv3×3 → + Linear(SiLU(temb)) per channel → GN → SiLU → conv3×3, plus a 1×1
// conv on the skip when cin ≠ cout; attention = GN, q, k, v, o Linear over channels, residual. Down: `layers`
// ResBlocks per level (+ attention where the level has it), stride-2 conv3×3 except at the last level, every
// output kept as a skip; middle ResBlock, attention, ResBlock; up: `layers + 1` ResBlocks on [h | popped
// skip] per level, then nearest ×2 + conv3×3 except at the top; out GN → SiLU → conv3×3 (c₀ → 1).
struct UNetConfig {
  std::string name = "classroom";
  std::vector<int> channels{32, 64, 64};  // c₀, c₁, … per resolution level
  std::vector<int> attention{0, 0, 0};    // 1 where a level has attention after its ResBlocks
  bool mid_attention = true;
  int layers = 1;
  int groups = 8;     // GroupNorm groups
  int head_dim = 32;  // attention heads = C / head_dim
  int height = 28, width = 28;
  int in_channels = 1;  // image channels in and out (NHWC: x [B, H·W·C], channel fastest); 4 for a latent
  int num_classes =
      0;  // > 0: a class embedding [num_classes + 1, 4c₀] added to temb; row num_classes = "no class"
};

// "A" (1,707,009 parameters), "B" (2,536,033) or "classroom". Returns false for other names.
bool unet_preset(const std::string& name, UNetConfig* config);
std::string describe(const UNetConfig& c);  // "classroom: channels 32,64,64, attention …"
// Throws std::invalid_argument when channels, groups, heads or image size do not fit together.
void validate(const UNetConfig& c);
// The number of parameters of a configuration (builds the layout on the CPU backend).
size_t unet_param_count(const UNetConfig& c);
// The checkpoint header keys of family "unet" (nn/model_family.h), in file order, and the conversions.
inline constexpr const char* kUNetConfigKeys =
    "unet_name channels attention mid_attention layers groups head_dim height width num_classes in_channels?";
ModelConfigMap unet_config_map(const UNetConfig& c);
// Throws std::invalid_argument naming the bad or missing key, or validate()'s message.
UNetConfig unet_config_from_map(const ModelConfigMap& config);

class UNet final : public ImageNet {
 public:
  UNet(const UNetConfig& config, Backend& backend);
  ~UNet() override;

  std::string family() const override { return "unet"; }
  ModelConfigMap config_map() const override { return unet_config_map(config_); }
  const UNetConfig& config() const { return config_; }
  const std::vector<ParamBlock>& layout() const { return layout_; }
  // num_params() of a UNet with this config, from its layout alone: nothing is allocated.
  static size_t count_params(const UNetConfig& c);
  size_t num_params() const override {
    return layout_.empty()
               ? 0
               : layout_.back().offset + layout_.back().rows * static_cast<size_t>(layout_.back().cols);
  }
  Backend& backend() override { return backend_; }
  int height() const override { return config_.height; }
  int width() const override { return config_.width; }
  int channels() const override { return config_.in_channels; }
  int num_classes() const override { return config_.num_classes; }
  int cond_dim() const override { return 4 * config_.channels[0]; }

  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // PyTorch's default init: U(±1/√fan_in) for convolution and Linear weights and biases; GroupNorm γ = 1, β =
  // 0; class embedding 𝒩(0, 1).
  void init_params(uint64_t seed) override;

  // out [B, H·W] = ε̂ for x [B, H·W] at code indices t [B] (floats); labels [B] may be null (no class) and a
  // label of −1 means no class. Keeps activations for backward(). Buffers are allocated once per largest
  // batch.
  void forward(const float* x, const float* t, const int* labels, int batch, float* out) override;
  // forward() with the class-embedding rows given [B, cond_dim()] (nn/image_net.h).
  void forward_rows(const float* x, const float* t, const float* rows, int batch, float* out) override;
  void read_d_rows(float* d_rows) const override;
  void read_class_row(int label, float* row) const override;
  // Every parameter's gradient (grads() overwritten) from d_out [B, H·W].
  void backward(const float* d_out) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  // What each module produced for image `image` of the last forward(), for the architecture picture: one
  // entry per module output (in graph order), with up to `max_channels` channels as side × side maps.
  struct FeatureMap {
    std::string kind;  // "conv", "resblock", "attention", "upsample", "norm"
    int side = 0, channels = 0;
    std::vector<float> maps;  // shown channels × side × side, row-major per map
  };
  std::vector<FeatureMap> feature_maps(int image, int max_channels) const;

  // Multiply-adds of one forward pass per image ×2 (convolutions, Linear and attention), for GFLOP/s figures.
  double forward_flops_per_image() const override;

  // ControlNet hook (Zhang et al. 2023; train/controlnet.h). Control point k is the k-th tensor the decoder
  // reads from the encoder: k = 0 the middle block's output, then every skip in the order the decoder takes
  // them; each is [B · positions, channels].
  struct ControlPointShape {
    int positions = 0, channels = 0;
  };
  std::vector<ControlPointShape> control_points() const;
  // Residuals (one per control point, on this model's backend, at least the batch's rows) that the next
  // forward()s add, × scale, to what the decoder reads; null = none (the plain U-Net).
  void set_control_residuals(const std::vector<Tensor>* residuals, float scale);
  // After backward() of a forward with residuals: ∂loss/∂(what the decoder read at k); ∂loss/∂residual_k is
  // scale × this.
  Tensor control_gradient(int k) const;
  // After forward(): the encoder's tensor at control point k (a ControlNet copy's features).
  Tensor control_feature(int k) const;
  // backward() with d_out (null = zero) plus d_features[k] added to ∂loss/∂control_feature(k).
  void backward_control(const float* d_out, const std::vector<Tensor>* d_features);

  // IP-Adapter hook (Ye et al. 2023; train/ip_adapter.h): at every attention block (site k, in graph order)
  // the hook may add to the attention output before to_out, att [B·P, C], what it computes from the block's
  // queries (columns 0 … C of qkv [B·P, 3C]); in backward it adds ∂loss/∂q to those columns of d_qkv, given
  // d_att. Null = none (the plain U-Net, bit for bit).
  class AttentionHook {
   public:
    virtual ~AttentionHook() = default;
    virtual void forward(int site, const Tensor& qkv, const Tensor& att, int batch, int heads) = 0;
    virtual void backward(int site, const Tensor& d_att, const Tensor& qkv, const Tensor& d_qkv, int batch,
                          int heads) = 0;
  };
  struct AttentionSite {
    int channels = 0, positions = 0, heads = 0;
  };
  std::vector<AttentionSite> attention_sites() const;
  void set_attention_hook(AttentionHook* hook);

  struct Impl;  // the graph of modules (unet.cpp)

 private:
  void ensure_batch(int batch);
  void run_forward(const float* x, const float* t, const int* labels, const float* rows, int batch,
                   float* out);

  UNetConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  int batch_ = 0;
  bool rows_given_ = false;  // the last forward was forward_rows(): no class-table gradient
  const std::vector<Tensor>* control_residuals_ = nullptr;  // ControlNet hook (null = none)
  float control_scale_ = 1.0f;
  bool controls_used_ = false;  // the last forward added the residuals
  std::unique_ptr<Impl> impl_;
};

}  // namespace difflab
