// dense_net.h — a plain MLP (Linear, activation, …, Linear) on parameter buffers it may share with a larger
// model: the GAN's generator and discriminator and the VAE's encoder and decoder. Optional spectral norm.
// Not the diffusion MLP (nn/mlp.h: sinusoidal embeddings and residual blocks) and not a loss.
#pragma once

#include <memory>
#include <vector>

#include "nn/backend.h"
#include "nn/mlp.h"

namespace difflab {

struct DenseNetConfig {
  int inputs = 2, outputs = 2;
  int width = 156;  // hidden size
  int depth = 3;    // hidden layers: Linear(in, W) + act, then depth − 1 × (Linear(W, W) + act)
  Activation activation = Activation::Relu;
  // Every weight matrix W used as W / σ_max(W) (Miyato et al. 2018), σ_max by power iteration.
  bool spectral_norm = false;
};

class DenseNet {
 public:
  // Parameters and gradients are views of `params_size(config)` floats each, owned by the caller.
  DenseNet(const DenseNetConfig& config, Backend& backend, Tensor params, Tensor grads);
  static size_t params_size(const DenseNetConfig& config);

  const DenseNetConfig& config() const { return config_; }
  const std::vector<ParamBlock>& layout() const { return layout_; }
  // PyTorch's default Linear init U(−1/√fan_in, 1/√fan_in), written into values[offset …].
  void init_values(std::vector<float>& values, size_t offset, uint64_t seed) const;
  void set_params_view(const Tensor& params) { active_ = params; }
  void use_own_params() { active_ = params_; }

  // Spectral norm only: `iterations` steps of power iteration on every weight (persistent vectors) and the
  // normalised weights the next forward() uses. Call after each optimizer step (and after loading weights).
  void refresh_spectral_norm(int iterations = 1);
  // The largest singular value estimate of layer i's weight (spectral norm only).
  double spectral_sigma(int layer) const { return sigma_[layer]; }

  // out [B, outputs] for in [B, inputs]; keeps activations for backward().
  void forward(const float* in, int batch, float* out);
  // Parameter gradients (grads overwritten) from d_out [B, outputs]; d_in [B, inputs] when not null.
  void backward(const float* d_out, float* d_in);

 private:
  Tensor weight(int layer) const;  // the weight forward uses (normalised under spectral norm)
  Tensor bias(int layer) const;
  Tensor grad(int index) const;
  void ensure_batch(int batch);
  int layers() const { return config_.depth + 1; }

  DenseNetConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;
  Tensor params_, grads_, active_;
  std::unique_ptr<Storage> act_storage_;
  int capacity_ = 0;
  Tensor input_, out_, d_out_, d_in_, d_h_, d_z_;
  std::vector<Tensor> z_, h_;
  // Spectral norm: normalised weights W/σ, the power iteration's left/right vectors and σ per layer.
  std::unique_ptr<Storage> sn_storage_;
  std::vector<Tensor> sn_weight_;
  std::vector<std::vector<double>> sn_u_, sn_v_;
  std::vector<double> sigma_;
};

}  // namespace difflab
