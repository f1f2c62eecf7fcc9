// backend.h — the ops every model is written against; a backend decides where they run.
// Not a model and not an optimizer: models (mlp.h) call these, the CPU file is the reference.
#pragma once

#include <cstdint>
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

// Image batches are NHWC: [B, H, W, C] is the tensor [B·H·W, C], one row per pixel. A 1×1 convolution is then
// a Linear over rows, attention reads q, k, v as row blocks, and im2col copies whole channel vectors.
struct ConvShape {
  int batch = 1, height = 1, width = 1;  // of the input
  int in_channels = 1, out_channels = 1;
  int kernel = 3, stride = 1, padding = 1;
  int out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
  double flops() const {
    return 2.0 * batch * out_height() * out_width() * kernel * kernel * in_channels * out_channels;
  }
};

// Every op is ordered after the ops issued before it on the same backend (a GPU backend queues them);
// read() / download() and the ops that return a number to the host wait for what they depend on.
// A backend is used by one thread at a time (a GL backend makes its own context current on that thread).
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;  // "cpu", "gl", "reference"
  // What it runs on, for a status bar: "CPU, 2 threads", "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5".
  virtual std::string device_description() const { return name(); }
  // True when tensors live in host memory (Tensor::host() is valid on them).
  virtual bool host_memory() const { return true; }
  // Threads the backend may use for one op (large ops only; small ones stay on the caller's thread).
  virtual void set_threads(int threads) { (void)threads; }
  // Waits until every op issued so far has finished (timing; handing results to another context).
  virtual void synchronize() {}
  // The calling thread is done with this backend for now: a GL backend releases its context so that
  // another thread can use the backend next. No-op elsewhere.
  virtual void release_thread() {}

  // Memory. New storage is zero-filled. write = upload (host → backend), read = download (backend → host).
  virtual std::unique_ptr<Storage> create_storage(size_t floats) = 0;
  virtual void write(const Tensor& dst, const float* src) = 0;
  virtual void read(const Tensor& src, float* dst) = 0;
  void upload(const Tensor& dst, const float* src) { write(dst, src); }
  void download(const Tensor& src, float* dst) { read(src, dst); }
  virtual void fill(const Tensor& dst, float value) = 0;
  virtual void copy(const Tensor& dst, const Tensor& src) = 0;

  // out[:, out_col + k] = sin(scale·in[:, in_col]·f_k), out[:, out_col + size/2 + k] = cos(…),
  // f_k = exp(−ln(10000)·k/(size/2 − 1))  (tiny-diffusion's SinusoidalEmbedding; Vaswani et al. 2017).
  // in: [B, *], out: [B, *]. No backward: the inputs are data.
  virtual void sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                                    float scale) = 0;

  // out[B, OC] = in[B, C] · weight[C, OC] + bias[1, OC] (bias may be a computed row).
  virtual void linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight,
                              const Tensor& bias) = 0;
  // d_weight[C, OC] = inᵀ·d_out, d_bias[1, OC] = Σ_rows d_out (overwritten, or added when accumulate);
  // d_in[B, C] = d_out·weightᵀ, added to d_in when accumulate_input (skipped if d_in is empty).
  virtual void linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                               const Tensor& d_out, const Tensor& in, const Tensor& weight, bool accumulate,
                               bool accumulate_input) = 0;

  // out = act(in); d_in = act'(in) ⊙ d_out (d_in overwritten). GELU is the exact erf form.
  virtual void activation_forward(Activation a, const Tensor& out, const Tensor& in) = 0;
  virtual void activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out,
                                   const Tensor& in) = 0;

  // y += alpha·x (residual connections and their gradients).
  virtual void axpy(const Tensor& y, float alpha, const Tensor& x) = 0;
  virtual void scale(const Tensor& x, float factor) = 0;
  virtual double sum_squares(const Tensor& x) = 0;

  // One AdamW step over flat buffers; step counts from 1 (bias correction).
  virtual void adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                          const AdamWConfig& config, int step) = 0;
  // ema = decay·ema + (1 − decay)·params.
  virtual void ema_update(const Tensor& ema, const Tensor& params, float decay) = 0;

  // ---- Training and sampling ops (issue 11: a step never copies a tensor to the host). Backends that lack
  // them throw std::logic_error. ----
  // Counter-based standard normal noise (CPU and GPU draw the same numbers from the same seed). Element i of
  // out (row-major) is normal number n = counter + i of stream `seed`: Philox4x32-10 (Salmon et al. 2011,
  // "Parallel random numbers: as easy as 1, 2, 3") with key (seed & 0xffffffff, seed >> 32) encrypts the
  // block (p & 0xffffffff, p >> 32, 0, 0), p = n / 2; its first two words w0, w1 give uniforms
  // u = (float(w >> 8) + 1)·2⁻²⁴ in (0, 1], and Box–Muller gives r = √(−2 ln u0) and
  // z = r·cos(2π u1) for even n, r·sin(2π u1) for odd n. Backends agree up to float rounding of ln/sin/cos.
  virtual void random_normal(const Tensor& out, uint64_t seed, uint64_t counter);
  // out[r, :] = a[r]·x[r, :] + b[r]·y[r, :] with a, b [R, 1] (q_sample with per-row √ᾱ_t, √(1 − ᾱ_t)).
  // out may alias x or y.
  virtual void row_combine(const Tensor& out, const Tensor& a, const Tensor& x, const Tensor& b,
                           const Tensor& y);
  // out = a·x + b·y + c·z with scalars (every sampler update: DDPM, DDIM, ODE Euler/Heun, Langevin); z may
  // be empty (then c is ignored). out may alias x, y or z.
  virtual void combine(const Tensor& out, float a, const Tensor& x, float b, const Tensor& y, float c,
                       const Tensor& z);
  // Mean squared error over all elements, returned, and d_pred = 2·(pred − target)/N written (N = size).
  virtual double mse_loss(const Tensor& d_pred, const Tensor& pred, const Tensor& target);

  // ---- Image ops (NHWC, see ConvShape). Backends that lack them throw std::logic_error. ----
  // out [B·OH·OW, OC] = conv(in [B·H·W, C]) + bias [1, OC]; weight [k·k·C, OC], rows ordered (ky, kx, c)
  // (PyTorch's [OC, C, ky, kx] permuted to (ky, kx, C, OC)). Zero padding.
  virtual void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                              const ConvShape& shape);
  // d_weight, d_bias overwritten; d_in [B·H·W, C] overwritten, or added to when accumulate_input (skipped if
  // empty).
  virtual void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                               const Tensor& d_out, const Tensor& in, const Tensor& weight,
                               const ConvShape& shape, bool accumulate_input);
  // out [B·2H·2W, C] = nearest ×2 upsampling of in [B·H·W, C]; backward sums each 2×2 block (d_in
  // overwritten).
  virtual void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height,
                                          int width);
  virtual void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                           int width);
  // GroupNorm (Wu & He 2018) over in [B·P, C] (P positions per image), `groups` groups of C/groups channels,
  // eps 1e-5 as PyTorch: out = (x − μ)/√(σ² + eps)·gamma[c] + beta[c]; stats [B·groups, 2] keeps (μ, 1/√(σ² +
  // eps)).
  virtual void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in,
                                  const Tensor& gamma, const Tensor& beta, int batch, int groups);
  // d_in overwritten; d_gamma, d_beta [1, C] overwritten.
  virtual void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                                   const Tensor& d_out, const Tensor& in, const Tensor& stats,
                                   const Tensor& gamma, int batch, int groups);
  // out [R, Ca + Cb] = [a | b]; backward adds the column blocks of d_out to d_a and d_b (either may be
  // empty).
  virtual void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b);
  virtual void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out);
  // Multi-head self-attention over the P positions of each image: qkv [B·P, 3C] holds q | k | v, head h uses
  // columns h·d … (h+1)·d of each (d = C/heads). out [B·P, C] = softmax(q kᵀ/√d) v per head;
  // probs [B·heads·P, P] keeps the softmax for backward. d_qkv [B·P, 3C] overwritten.
  virtual void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                                 int heads);
  virtual void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv,
                                  const Tensor& probs, int batch, int heads);
  // x [B·P, C] += bias [B, C] per image (the projected time embedding); backward: d_bias[b] = Σ_p d_x
  // (overwritten).
  virtual void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch);
  virtual void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch);
  // out [B, D] = table [K, D] rows ids[0 … B−1] (a class embedding; the model reserves a row for "no class").
  // Backward adds each d_out row to its table row in d_table (zero it first).
  virtual void embedding_forward(const Tensor& out, const Tensor& table, const int* ids);
  virtual void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids);
  // out [B, C] = mean over the P positions of each image of in [B·P, C] (global average pooling, Lin et al.
  // 2014); backward: d_in [B·P, C] = d_out[b] / P at every position of image b (overwritten).
  virtual void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch);
  virtual void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch);

  // ---- Token ops (the diffusion transformer, issue 14 §4; Peebles & Xie 2023). Backends that lack them
  // throw std::logic_error. ---- out [B·P, C] = in [B·P, C] ⊙ scale [B, C] per image: adaLN's x·(1 + scale)
  // and its gates (FiLM's product, Perez et al. 2018). out must not alias in. Backward: d_in = d_out ⊙
  // scale[b] (overwritten; skipped if empty) and d_scale [B, C] = Σ_p d_out ⊙ in (overwritten; skipped if
  // empty).
  virtual void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch);
  virtual void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out,
                                       const Tensor& in, const Tensor& scale, int batch);
  // Patches of side `patch` as tokens: out [B·(H/p)·(W/p), p·p·C] from in [B·H·W, C] (NHWC, H and W multiples
  // of p), token (b, i, j) row (b·(H/p) + i)·(W/p) + j, its columns ordered (dy, dx, c) as conv weights'
  // rows: out[token, (dy·p + dx)·C + c] = in[(b·H + i·p + dy)·W + j·p + dx, c]. unpatchify is the inverse
  // (out [B·H·W, C] from tokens). Both are permutations, so each is the other's backward. No aliasing.
  virtual void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);
  virtual void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);
};

// The Eigen backend (nn/cpu). Always available. Outside nn/, use make_backend() (nn/backend_factory.h).
std::unique_ptr<Backend> make_cpu_backend();

}  // namespace difflab
