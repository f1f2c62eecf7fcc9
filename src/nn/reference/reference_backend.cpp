// reference_backend.cpp — every op of backend.h as the plainest nested loop (llm.c style): one thread, no
// SIMD, float accumulators in the order the definition reads. Not fast: the ground truth for
// test_backend_ops. The image ops are in reference_image_ops.cpp.
#include "nn/reference/reference_backend.h"

#include <cmath>
#include <cstring>

#include "nn/philox.h"
#include "nn/reference/reference_image_ops.h"
#include "nn/reference/reference_token_ops.h"

namespace difflab {
namespace {

// Element i of a tensor (row-major over its rows × cols view).
inline float& at(const Tensor& t, size_t i) {
  return t.storage->host[t.offset + i];
}
// Element (r, c) of a tensor.
inline float& at(const Tensor& t, int r, int c) {
  return t.storage->host[t.offset + static_cast<size_t>(r) * t.cols + c];
}

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string device_description() const override { return "reference (plain loops, 1 thread)"; }

  std::unique_ptr<Storage> create_storage(size_t floats) override {
    auto s = std::make_unique<Storage>();
    s->host.assign(floats, 0.0f);
    s->size = floats;
    return s;
  }
  void write(const Tensor& dst, const float* src) override {
    for (size_t i = 0; i < dst.size(); ++i) at(dst, i) = src[i];
  }
  void read(const Tensor& src, float* dst) override {
    for (size_t i = 0; i < src.size(); ++i) dst[i] = at(src, i);
  }
  void fill(const Tensor& dst, float value) override {
    for (size_t i = 0; i < dst.size(); ++i) at(dst, i) = value;
  }
  void copy(const Tensor& dst, const Tensor& src) override {
    for (size_t i = 0; i < dst.size(); ++i) at(dst, i) = at(src, i);
  }

  // out[r, out_col + k] = sin(scale·in[r, in_col]·f_k), out[r, out_col + half + k] = cos(…),
  // f_k = exp(−ln(10000)·k/(half − 1)).
  void sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                            float scale) override {
    const int half = size / 2;
    const float step = half > 1 ? std::log(10000.0f) / static_cast<float>(half - 1) : 0.0f;
    for (int r = 0; r < out.rows; ++r) {
      const float value = scale * at(in, r, in_col);
      for (int k = 0; k < half; ++k) {
        const float argument = value * std::exp(-step * static_cast<float>(k));
        at(out, r, out_col + k) = std::sin(argument);
        at(out, r, out_col + half + k) = std::cos(argument);
      }
    }
  }

  // out[B, OC] = in[B, C] · weight[C, OC] + bias[1, OC].
  void linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight,
                      const Tensor& bias) override {
    for (int r = 0; r < out.rows; ++r)
      for (int o = 0; o < out.cols; ++o) {
        float sum = 0.0f;
        for (int c = 0; c < in.cols; ++c) sum += at(in, r, c) * at(weight, c, o);
        at(out, r, o) = sum + at(bias, 0, o);
      }
  }

  // d_weight[C, OC] = inᵀ·d_out, d_bias[1, OC] = Σ_rows d_out, d_in[B, C] = d_out·weightᵀ.
  void linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, bool accumulate,
                       bool accumulate_input) override {
    for (int c = 0; c < in.cols; ++c)
      for (int o = 0; o < d_out.cols; ++o) {
        float sum = 0.0f;
        for (int r = 0; r < d_out.rows; ++r) sum += at(in, r, c) * at(d_out, r, o);
        at(d_weight, c, o) = accumulate ? at(d_weight, c, o) + sum : sum;
      }
    for (int o = 0; o < d_out.cols; ++o) {
      float sum = 0.0f;
      for (int r = 0; r < d_out.rows; ++r) sum += at(d_out, r, o);
      at(d_bias, 0, o) = accumulate ? at(d_bias, 0, o) + sum : sum;
    }
    if (d_in.empty()) return;
    for (int r = 0; r < d_in.rows; ++r)
      for (int c = 0; c < d_in.cols; ++c) {
        float sum = 0.0f;
        for (int o = 0; o < d_out.cols; ++o) sum += at(d_out, r, o) * at(weight, c, o);
        at(d_in, r, c) = accumulate_input ? at(d_in, r, c) + sum : sum;
      }
  }

  // GELU x·Φ(x) with Φ(x) = ½(1 + erf(x/√2)); ReLU max(x, 0); SiLU x·σ(x).
  void activation_forward(Activation a, const Tensor& out, const Tensor& in) override {
    for (size_t i = 0; i < out.size(); ++i) {
      const float x = at(in, i);
      float y = 0.0f;
      switch (a) {
        case Activation::Gelu:
          y = 0.5f * x * (1.0f + std::erf(x * kInvSqrt2));
          break;
        case Activation::Relu:
          y = x > 0.0f ? x : 0.0f;
          break;
        case Activation::Silu:
          y = x / (1.0f + std::exp(-x));
          break;
      }
      at(out, i) = y;
    }
  }
  // GELU' = Φ(x) + x·φ(x); ReLU' = [x > 0]; SiLU' = σ(x)·(1 + x·(1 − σ(x))).
  void activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out, const Tensor& in) override {
    for (size_t i = 0; i < in.size(); ++i) {
      const float x = at(in, i), g = at(d_out, i);
      float d = 0.0f;
      switch (a) {
        case Activation::Gelu: {
          const float cdf = 0.5f * (1.0f + std::erf(x * kInvSqrt2));
          const float pdf = kInvSqrt2Pi * std::exp(-0.5f * x * x);
          d = g * (cdf + x * pdf);
          break;
        }
        case Activation::Relu:
          d = x > 0.0f ? g : 0.0f;
          break;
        case Activation::Silu: {
          const float sigma = 1.0f / (1.0f + std::exp(-x));
          d = g * sigma * (1.0f + x * (1.0f - sigma));
          break;
        }
      }
      at(d_in, i) = d;
    }
  }

  void axpy(const Tensor& y, float alpha, const Tensor& x) override {
    for (size_t i = 0; i < y.size(); ++i) at(y, i) += alpha * at(x, i);
  }
  void scale(const Tensor& x, float factor) override {
    for (size_t i = 0; i < x.size(); ++i) at(x, i) *= factor;
  }
  double sum_squares(const Tensor& x) override {
    float sum = 0.0f;
    for (size_t i = 0; i < x.size(); ++i) sum += at(x, i) * at(x, i);
    return sum;
  }

  // PyTorch's AdamW: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr·wd·p − lr·m̂/(√v̂ + eps).
  void adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                  const AdamWConfig& c, int step) override {
    const float correction1 = 1.0f - std::pow(c.beta1, static_cast<float>(step));
    const float correction2 = 1.0f - std::pow(c.beta2, static_cast<float>(step));
    for (size_t i = 0; i < params.size(); ++i) {
      const float g = at(grads, i);
      at(m, i) = c.beta1 * at(m, i) + (1.0f - c.beta1) * g;
      at(v, i) = c.beta2 * at(v, i) + (1.0f - c.beta2) * (g * g);
      at(params, i) = at(params, i) * (1.0f - c.lr * c.weight_decay) -
                      (c.lr / correction1) * at(m, i) / (std::sqrt(at(v, i) / correction2) + c.eps);
    }
  }
  void ema_update(const Tensor& ema, const Tensor& params, float decay) override {
    for (size_t i = 0; i < ema.size(); ++i) at(ema, i) = decay * at(ema, i) + (1.0f - decay) * at(params, i);
  }

  // Element i is normal number counter + i of stream `seed` (nn/philox.h).
  void random_normal(const Tensor& out, uint64_t seed, uint64_t counter) override {
    for (size_t i = 0; i < out.size(); ++i) at(out, i) = philox_normal(seed, counter + i);
  }
  // out[r, :] = a[r]·x[r, :] + b[r]·y[r, :] (element by element, so out may alias x or y).
  void row_combine(const Tensor& out, const Tensor& a, const Tensor& x, const Tensor& b,
                   const Tensor& y) override {
    for (int r = 0; r < out.rows; ++r)
      for (int c = 0; c < out.cols; ++c)
        at(out, r, c) = at(a, r, 0) * at(x, r, c) + at(b, r, 0) * at(y, r, c);
  }
  void combine(const Tensor& out, float a, const Tensor& x, float b, const Tensor& y, float c,
               const Tensor& z) override {
    for (size_t i = 0; i < out.size(); ++i) {
      float value = a * at(x, i) + b * at(y, i);
      if (!z.empty()) value += c * at(z, i);
      at(out, i) = value;
    }
  }
  // loss = Σ (pred − target)² / N, d_pred = 2·(pred − target)/N.
  double mse_loss(const Tensor& d_pred, const Tensor& pred, const Tensor& target) override {
    const float n = static_cast<float>(pred.size());
    float sum = 0.0f;
    for (size_t i = 0; i < pred.size(); ++i) {
      const float diff = at(pred, i) - at(target, i);
      sum += diff * diff;
      at(d_pred, i) = 2.0f * diff / n;
    }
    return sum / n;
  }

  // Image ops: reference_image_ops.cpp.
  void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                      const ConvShape& shape) override {
    reference::conv2d_forward(out, in, weight, bias, shape);
  }
  void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, const ConvShape& shape,
                       bool accumulate_input) override {
    reference::conv2d_backward(d_in, d_weight, d_bias, d_out, in, weight, shape, accumulate_input);
  }
  void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height,
                                  int width) override {
    reference::upsample_nearest2x_forward(out, in, batch, height, width);
  }
  void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                   int width) override {
    reference::upsample_nearest2x_backward(d_in, d_out, batch, height, width);
  }
  void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in, const Tensor& gamma,
                          const Tensor& beta, int batch, int groups) override {
    reference::group_norm_forward(out, stats, in, gamma, beta, batch, groups);
  }
  void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                           const Tensor& d_out, const Tensor& in, const Tensor& stats, const Tensor& gamma,
                           int batch, int groups) override {
    reference::group_norm_backward(d_in, d_gamma, d_beta, d_out, in, stats, gamma, batch, groups);
  }
  void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) override {
    reference::concat_channels_forward(out, a, b);
  }
  void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) override {
    reference::concat_channels_backward(d_a, d_b, d_out);
  }
  void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                         int heads) override {
    reference::attention_forward(out, probs, qkv, batch, heads);
  }
  void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv, const Tensor& probs,
                          int batch, int heads) override {
    reference::attention_backward(d_qkv, d_out, qkv, probs, batch, heads);
  }
  void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) override {
    reference::add_channel_bias_forward(x, bias, batch);
  }
  void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) override {
    reference::add_channel_bias_backward(d_bias, d_x, batch);
  }
  void embedding_forward(const Tensor& out, const Tensor& table, const int* ids) override {
    reference::embedding_forward(out, table, ids);
  }
  void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) override {
    reference::embedding_backward(d_table, d_out, ids);
  }
  void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) override {
    reference::global_avg_pool_forward(out, in, batch);
  }
  void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) override {
    reference::global_avg_pool_backward(d_in, d_out, batch);
  }
  void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) override {
    reference::scale_channels_forward(out, in, scale, batch);
  }
  void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out,
                               const Tensor& in, const Tensor& scale, int batch) override {
    reference::scale_channels_backward(d_in, d_scale, d_out, in, scale, batch);
  }
  void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override {
    reference::patchify(out, in, batch, height, width, patch);
  }
  void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override {
    reference::unpatchify(out, in, batch, height, width, patch);
  }

 private:
  static constexpr float kInvSqrt2 = 0.70710678118654752440f;
  static constexpr float kInvSqrt2Pi = 0.39894228040143267794f;
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() {
  return std::make_unique<ReferenceBackend>();
}

}  // namespace difflab
