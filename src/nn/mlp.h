// mlp.h — the 2-D MLP denoiser (tiny-diffusion's architecture, configurable), forward and backward.
// Not training (train/) and not a backend: every op goes through Backend, parameters in one flat buffer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/model.h"

namespace difflab {

struct MlpConfig {
  int width = 128;            // hidden size
  int depth = 3;              // residual blocks h + act(Linear(h))
  int embedding_size = 128;   // per input (x, y, t); even
  float input_scale = 25.0f;  // x and y are multiplied by this before their embedding
  float time_scale = 1.0f;    // the code index t is multiplied by this
  Activation activation = Activation::Gelu;
};

// The layout of one parameter inside the flat buffer.
struct ParamBlock {
  std::string name;
  size_t offset = 0;
  int rows = 0, cols = 0;
};

// The checkpoint header keys of family "mlp2d" (nn/model_family.h), in file order, and the conversions.
inline constexpr const char* kMlpConfigKeys = "width depth embedding_size input_scale time_scale activation";
ModelConfigMap mlp_config_map(const MlpConfig& c);
// Throws std::invalid_argument naming the bad or missing key.
MlpConfig mlp_config_from_map(const ModelConfigMap& config);
// 3EW + W + L(W² + W) + 2W + 2, without building the model.
size_t mlp_param_count(const MlpConfig& c);

// input [B, 3] = (x, y, t) → sinusoidal embeddings [B, 3E] → Linear(3E, W) + act
//   → depth × (h + act(Linear(W, W) h)) → Linear(W, 2).
// With the reference config this is 99,074 parameters.
class MlpModel final : public Model {
 public:
  MlpModel(const MlpConfig& config, Backend& backend);

  std::string family() const override { return "mlp2d"; }
  ModelConfigMap config_map() const override { return mlp_config_map(config_); }
  const MlpConfig& config() const { return config_; }
  const std::vector<ParamBlock>& layout() const { return layout_; }
  size_t num_params() const override { return num_params_; }
  Backend& backend() override { return backend_; }

  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // PyTorch's default Linear init: U(−1/√fan_in, 1/√fan_in) for weights and biases.
  void init_params(uint64_t seed) override;

  // out [B, 2] for input [B, 3] (x, y, t). Keeps the activations for backward(). B may change per call.
  void forward(const float* input, int batch, float* out);
  // Gradients of the loss w.r.t. every parameter (grads() overwritten), from d_out [B, 2].
  void backward(const float* d_out);
  // Inference with every point at the same t: the t embedding goes through the first layer once. Runs in
  // chunks of kInferenceChunk points, so memory does not grow with batch (sample --n 1000000).
  void forward_shared_t(const float* xy, int batch, float t, float* out);
  static constexpr int kInferenceChunk = 4096;
  // The same computations with another parameter buffer (e.g. the EMA weights).
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

 private:
  Tensor param(int index) const;  // a parameter of active_params_
  Tensor grad(int index) const;
  void ensure_batch(int batch);
  void forward_shared_t_chunk(const float* xy, int batch, float t, float* out);
  void hidden_stack_forward();  // from z0 to out_

  MlpConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  int batch_capacity_ = -1, batch_ = 0;
  // Activations (views into act_storage_): input, embedding, pre-activations z, hidden states h.
  Tensor input_, embedding_, out_, d_out_, d_h_, d_z_;
  std::vector<Tensor> z_, h_;
  std::unique_ptr<Storage> shared_storage_;
  Tensor shared_t_in_, shared_t_embedding_, shared_bias_;
};

}  // namespace difflab
