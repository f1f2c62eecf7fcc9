// backend.h — the ops every model is written against; a backend decides where they run.
// Not a model and not an optimizer: models (mlp.h) call these, the CPU file is the reference.
#pragma once

#include <memory>
#include <string>

#include "nn/tensor.h"

namespace difflab {

enum class Activation { Gelu, Relu, Silu };
std::string activation_name(Activation a);
bool parse_activation(const std::string& name, Activation* a);

struct AdamWConfig {
  float lr = 1e-3f;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weight_decay = 0.0f;  // decoupled (Loshchilov & Hutter 2019)
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Threads the backend may use for one op (large ops only; small ones stay on the caller's thread).
  virtual void set_threads(int threads) { (void)threads; }

  // Memory. New storage is zero-filled.
  virtual std::unique_ptr<Storage> create_storage(size_t floats) = 0;
  virtual void write(const Tensor& dst, const float* src) = 0;
  virtual void read(const Tensor& src, float* dst) = 0;
  virtual void fill(const Tensor& dst, float value) = 0;
  virtual void copy(const Tensor& dst, const Tensor& src) = 0;

  // out[:, out_col + k] = sin(scale·in[:, in_col]·f_k), out[:, out_col + size/2 + k] = cos(…),
  // f_k = exp(−ln(10000)·k/(size/2 − 1))  (tiny-diffusion's SinusoidalEmbedding; Vaswani et al. 2017).
  // in: [B, *], out: [B, *]. No backward: the inputs are data.
  virtual void sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                                    float scale) = 0;

  // out[B, OC] = in[B, C] · weight[C, OC] + bias[1, OC] (bias may be a computed row).
  virtual void linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias) = 0;
  // d_weight[C, OC] = inᵀ·d_out, d_bias[1, OC] = Σ_rows d_out (overwritten, or added when accumulate);
  // d_in[B, C] = d_out·weightᵀ, added to d_in when accumulate_input (skipped if d_in is empty).
  virtual void linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                               const Tensor& d_out, const Tensor& in, const Tensor& weight, bool accumulate,
                               bool accumulate_input) = 0;

  // out = act(in); d_in = act'(in) ⊙ d_out (d_in overwritten). GELU is the exact erf form.
  virtual void activation_forward(Activation a, const Tensor& out, const Tensor& in) = 0;
  virtual void activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out, const Tensor& in) = 0;

  // y += alpha·x (residual connections and their gradients).
  virtual void axpy(const Tensor& y, float alpha, const Tensor& x) = 0;
  virtual void scale(const Tensor& x, float factor) = 0;
  virtual double sum_squares(const Tensor& x) = 0;

  // One AdamW step over flat buffers; step counts from 1 (bias correction).
  virtual void adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                          const AdamWConfig& config, int step) = 0;
  // ema = decay·ema + (1 − decay)·params.
  virtual void ema_update(const Tensor& ema, const Tensor& params, float decay) = 0;
};

// The Eigen reference backend (nn/cpu). Always available.
std::unique_ptr<Backend> make_cpu_backend();

}  // namespace difflab
