// reference_image_ops.cpp — the reference backend's NHWC image ops: convolution as the seven-deep loop of its
// definition, GroupNorm, attention, … each as the plainest loop, one thread, float accumulators.
// Not fast and not blocked: a pixel (b, y, x) of an image [B·H·W, C] is row (b·H + y)·W + x.
#include "nn/reference/reference_image_ops.h"

#include <cmath>
#include <vector>

namespace difflab::reference {
namespace {

inline float& at(const Tensor& t, size_t i) {
  return t.storage->host[t.offset + i];
}
inline float& at(const Tensor& t, size_t r, int c) {
  return t.storage->host[t.offset + r * t.cols + c];
}
// Row of pixel (b, y, x) in an image batch of height × width pixels.
inline size_t pixel(int b, int y, int x, int height, int width) {
  return (static_cast<size_t>(b) * height + y) * width + x;
}

}  // namespace

// out(b, oy, ox, o) = bias(o) + Σ_{ky, kx, c} in(b, oy·s − p + ky, ox·s − p + kx, c)·weight((ky·k + kx)·C +
// c, o), zero outside the image.
void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                    const ConvShape& s) {
  const int OH = s.out_height(), OW = s.out_width(), K = s.kernel, C = s.in_channels;
  for (int b = 0; b < s.batch; ++b)
    for (int oy = 0; oy < OH; ++oy)
      for (int ox = 0; ox < OW; ++ox)
        for (int o = 0; o < s.out_channels; ++o) {
          float sum = 0.0f;
          for (int ky = 0; ky < K; ++ky)
            for (int kx = 0; kx < K; ++kx) {
              const int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
              if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
              for (int c = 0; c < C; ++c)
                sum += at(in, pixel(b, iy, ix, s.height, s.width), c) *
                       at(weight, static_cast<size_t>((ky * K + kx) * C + c), o);
            }
          at(out, pixel(b, oy, ox, OH, OW), o) = sum + at(bias, 0, o);
        }
}

// d_bias(o) = Σ_pixels d_out; d_weight((ky, kx, c), o) = Σ_{b, oy, ox} in(b, iy, ix, c)·d_out(b, oy, ox, o);
// d_in(b, iy, ix, c) = Σ over the outputs that read it of d_out·weight (a scatter from every output pixel).
void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                     const Tensor& in, const Tensor& weight, const ConvShape& s, bool accumulate_input) {
  const int OH = s.out_height(), OW = s.out_width(), K = s.kernel, C = s.in_channels, OC = s.out_channels;
  for (int o = 0; o < OC; ++o) {
    float sum = 0.0f;
    for (size_t r = 0; r < static_cast<size_t>(s.batch) * OH * OW; ++r) sum += at(d_out, r, o);
    at(d_bias, 0, o) = sum;
  }
  for (int ky = 0; ky < K; ++ky)
    for (int kx = 0; kx < K; ++kx)
      for (int c = 0; c < C; ++c)
        for (int o = 0; o < OC; ++o) {
          float sum = 0.0f;
          for (int b = 0; b < s.batch; ++b)
            for (int oy = 0; oy < OH; ++oy)
              for (int ox = 0; ox < OW; ++ox) {
                const int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
                if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
                sum +=
                    at(in, pixel(b, iy, ix, s.height, s.width), c) * at(d_out, pixel(b, oy, ox, OH, OW), o);
              }
          at(d_weight, static_cast<size_t>((ky * K + kx) * C + c), o) = sum;
        }
  if (d_in.empty()) return;
  if (!accumulate_input)
    for (size_t i = 0; i < d_in.size(); ++i) at(d_in, i) = 0.0f;
  for (int b = 0; b < s.batch; ++b)
    for (int oy = 0; oy < OH; ++oy)
      for (int ox = 0; ox < OW; ++ox)
        for (int ky = 0; ky < K; ++ky)
          for (int kx = 0; kx < K; ++kx) {
            const int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
            if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
            for (int c = 0; c < C; ++c) {
              float sum = 0.0f;
              for (int o = 0; o < OC; ++o)
                sum += at(d_out, pixel(b, oy, ox, OH, OW), o) *
                       at(weight, static_cast<size_t>((ky * K + kx) * C + c), o);
              at(d_in, pixel(b, iy, ix, s.height, s.width), c) += sum;
            }
          }
}

// out(b, y, x) = in(b, ⌊y/2⌋, ⌊x/2⌋).
void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height, int width) {
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < 2 * height; ++y)
      for (int x = 0; x < 2 * width; ++x)
        for (int c = 0; c < in.cols; ++c)
          at(out, pixel(b, y, x, 2 * height, 2 * width), c) =
              at(in, pixel(b, y / 2, x / 2, height, width), c);
}

// d_in(b, y, x) = d_out(2y, 2x) + d_out(2y, 2x + 1) + d_out(2y + 1, 2x) + d_out(2y + 1, 2x + 1).
void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height, int width) {
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        for (int c = 0; c < d_in.cols; ++c) {
          float sum = 0.0f;
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              sum += at(d_out, pixel(b, 2 * y + dy, 2 * x + dx, 2 * height, 2 * width), c);
          at(d_in, pixel(b, y, x, height, width), c) = sum;
        }
}

// Per image b and group g (channels g·Cg … (g+1)·Cg − 1 at all P positions, n = P·Cg values):
// μ = Σ x / n, σ² = Σ (x − μ)² / n, r = 1/√(σ² + 1e-5), out = (x − μ)·r·γ(c) + β(c); stats(b·groups + g) =
// (μ, r).
void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in, const Tensor& gamma,
                        const Tensor& beta, int batch, int groups) {
  const int C = in.cols, P = in.rows / batch, Cg = C / groups;
  const float n = static_cast<float>(P * Cg);
  for (int b = 0; b < batch; ++b)
    for (int g = 0; g < groups; ++g) {
      const size_t row0 = static_cast<size_t>(b) * P;
      float sum = 0.0f;
      for (int p = 0; p < P; ++p)
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) sum += at(in, row0 + p, c);
      const float mean = sum / n;
      float squares = 0.0f;
      for (int p = 0; p < P; ++p)
        for (int c = g * Cg; c < (g + 1) * Cg; ++c)
          squares += (at(in, row0 + p, c) - mean) * (at(in, row0 + p, c) - mean);
      const float rstd = 1.0f / std::sqrt(squares / n + 1e-5f);
      at(stats, static_cast<size_t>(b) * groups + g, 0) = mean;
      at(stats, static_cast<size_t>(b) * groups + g, 1) = rstd;
      for (int p = 0; p < P; ++p)
        for (int c = g * Cg; c < (g + 1) * Cg; ++c)
          at(out, row0 + p, c) = (at(in, row0 + p, c) - mean) * rstd * at(gamma, 0, c) + at(beta, 0, c);
    }
}

// With x̂ = (x − μ)·r and g = d_out·γ: d_in = r·(g − mean_group(g) − x̂·mean_group(g·x̂));
// d_γ(c) = Σ_{b, p} d_out·x̂, d_β(c) = Σ_{b, p} d_out.
void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta, const Tensor& d_out,
                         const Tensor& in, const Tensor& stats, const Tensor& gamma, int batch, int groups) {
  const int C = in.cols, P = in.rows / batch, Cg = C / groups;
  const float n = static_cast<float>(P * Cg);
  for (int c = 0; c < C; ++c) {
    float sum_dy = 0.0f, sum_dy_xhat = 0.0f;
    for (int b = 0; b < batch; ++b) {
      const float mean = at(stats, static_cast<size_t>(b) * groups + c / Cg, 0);
      const float rstd = at(stats, static_cast<size_t>(b) * groups + c / Cg, 1);
      for (int p = 0; p < P; ++p) {
        const size_t row = static_cast<size_t>(b) * P + p;
        sum_dy += at(d_out, row, c);
        sum_dy_xhat += at(d_out, row, c) * (at(in, row, c) - mean) * rstd;
      }
    }
    at(d_gamma, 0, c) = sum_dy_xhat;
    at(d_beta, 0, c) = sum_dy;
  }
  for (int b = 0; b < batch; ++b)
    for (int g = 0; g < groups; ++g) {
      const size_t row0 = static_cast<size_t>(b) * P;
      const float mean = at(stats, static_cast<size_t>(b) * groups + g, 0);
      const float rstd = at(stats, static_cast<size_t>(b) * groups + g, 1);
      float sum_g = 0.0f, sum_g_xhat = 0.0f;
      for (int p = 0; p < P; ++p)
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) {
          const float grad = at(d_out, row0 + p, c) * at(gamma, 0, c);
          sum_g += grad;
          sum_g_xhat += grad * (at(in, row0 + p, c) - mean) * rstd;
        }
      const float mean_g = sum_g / n, mean_g_xhat = sum_g_xhat / n;
      for (int p = 0; p < P; ++p)
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) {
          const float grad = at(d_out, row0 + p, c) * at(gamma, 0, c);
          const float xhat = (at(in, row0 + p, c) - mean) * rstd;
          at(d_in, row0 + p, c) = rstd * (grad - mean_g - xhat * mean_g_xhat);
        }
    }
}

// out [R, Ca + Cb] = [a | b].
void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) {
  for (int r = 0; r < out.rows; ++r) {
    for (int c = 0; c < a.cols; ++c) at(out, r, c) = at(a, r, c);
    for (int c = 0; c < b.cols; ++c) at(out, r, a.cols + c) = at(b, r, c);
  }
}

// d_a += d_out[:, 0 … Ca), d_b += d_out[:, Ca … Ca + Cb) (either may be empty).
void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) {
  const int ca = d_out.cols - (d_b.empty() ? 0 : d_b.cols);
  for (int r = 0; r < d_out.rows; ++r) {
    if (!d_a.empty())
      for (int c = 0; c < d_a.cols; ++c) at(d_a, r, c) += at(d_out, r, c);
    if (!d_b.empty())
      for (int c = 0; c < d_b.cols; ++c) at(d_b, r, c) += at(d_out, r, ca + c);
  }
}

// Per image b and head h (j = b·heads + h): S(i, k) = Σ_t q(i, t)·k(k, t), probs(i, :) = softmax(S(i, :)/√d),
// out(i, h·d + t) = Σ_k probs(i, k)·v(k, t). q, k, v of pixel i are columns h·d, C + h·d, 2C + h·d of qkv.
void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch, int heads) {
  const int C = out.cols, P = out.rows / batch, d = C / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (int b = 0; b < batch; ++b)
    for (int h = 0; h < heads; ++h) {
      const size_t j = static_cast<size_t>(b) * heads + h, row0 = static_cast<size_t>(b) * P;
      for (int i = 0; i < P; ++i) {
        const size_t prow = j * P + i;
        float top = -INFINITY;
        for (int k = 0; k < P; ++k) {
          float dot = 0.0f;
          for (int t = 0; t < d; ++t) dot += at(qkv, row0 + i, h * d + t) * at(qkv, row0 + k, C + h * d + t);
          at(probs, prow, k) = dot;
          if (dot > top) top = dot;
        }
        float total = 0.0f;
        for (int k = 0; k < P; ++k) {
          const float e = std::exp((at(probs, prow, k) - top) * scale);
          at(probs, prow, k) = e;
          total += e;
        }
        for (int k = 0; k < P; ++k) at(probs, prow, k) /= total;
        for (int t = 0; t < d; ++t) {
          float sum = 0.0f;
          for (int k = 0; k < P; ++k) sum += at(probs, prow, k) * at(qkv, row0 + k, 2 * C + h * d + t);
          at(out, row0 + i, h * d + t) = sum;
        }
      }
    }
}

// dv = probsᵀ·d_out, dprobs = d_out·vᵀ, dS = probs ⊙ (dprobs − rowsum(probs ⊙ dprobs))/√d,
// dq = dS·k, dk = dSᵀ·q.
void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv, const Tensor& probs,
                        int batch, int heads) {
  const int C = d_out.cols, P = d_out.rows / batch, d = C / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  std::vector<float> ds(static_cast<size_t>(P) * P);
  for (int b = 0; b < batch; ++b)
    for (int h = 0; h < heads; ++h) {
      const size_t j = static_cast<size_t>(b) * heads + h, row0 = static_cast<size_t>(b) * P;
      auto p = [&](int i, int k) { return at(probs, j * P + i, k); };
      auto q = [&](int i, int t) { return at(qkv, row0 + i, h * d + t); };
      auto key = [&](int i, int t) { return at(qkv, row0 + i, C + h * d + t); };
      auto v = [&](int i, int t) { return at(qkv, row0 + i, 2 * C + h * d + t); };
      auto g = [&](int i, int t) { return at(d_out, row0 + i, h * d + t); };
      for (int k = 0; k < P; ++k)
        for (int t = 0; t < d; ++t) {
          float sum = 0.0f;
          for (int i = 0; i < P; ++i) sum += p(i, k) * g(i, t);
          at(d_qkv, row0 + k, 2 * C + h * d + t) = sum;
        }
      for (int i = 0; i < P; ++i) {
        float row_dot = 0.0f;
        for (int k = 0; k < P; ++k) {
          float dprob = 0.0f;
          for (int t = 0; t < d; ++t) dprob += g(i, t) * v(k, t);
          ds[static_cast<size_t>(i) * P + k] = dprob;
          row_dot += p(i, k) * dprob;
        }
        for (int k = 0; k < P; ++k)
          ds[static_cast<size_t>(i) * P + k] =
              p(i, k) * (ds[static_cast<size_t>(i) * P + k] - row_dot) * scale;
      }
      for (int i = 0; i < P; ++i)
        for (int t = 0; t < d; ++t) {
          float sum = 0.0f;
          for (int k = 0; k < P; ++k) sum += ds[static_cast<size_t>(i) * P + k] * key(k, t);
          at(d_qkv, row0 + i, h * d + t) = sum;
        }
      for (int k = 0; k < P; ++k)
        for (int t = 0; t < d; ++t) {
          float sum = 0.0f;
          for (int i = 0; i < P; ++i) sum += ds[static_cast<size_t>(i) * P + k] * q(i, t);
          at(d_qkv, row0 + k, C + h * d + t) = sum;
        }
    }
}

// x(b·P + p, c) += bias(b, c).
void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) {
  const int P = x.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int p = 0; p < P; ++p)
      for (int c = 0; c < x.cols; ++c) at(x, static_cast<size_t>(b) * P + p, c) += at(bias, b, c);
}

// d_bias(b, c) = Σ_p d_x(b·P + p, c).
void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) {
  const int P = d_x.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int c = 0; c < d_x.cols; ++c) {
      float sum = 0.0f;
      for (int p = 0; p < P; ++p) sum += at(d_x, static_cast<size_t>(b) * P + p, c);
      at(d_bias, b, c) = sum;
    }
}

// out(i, :) = table(ids[i], :).
void embedding_forward(const Tensor& out, const Tensor& table, const int* ids) {
  for (int i = 0; i < out.rows; ++i)
    for (int c = 0; c < out.cols; ++c) at(out, i, c) = at(table, ids[i], c);
}

// d_table(ids[i], :) += d_out(i, :).
void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) {
  for (int i = 0; i < d_out.rows; ++i)
    for (int c = 0; c < d_out.cols; ++c) at(d_table, ids[i], c) += at(d_out, i, c);
}

// out(b, c) = Σ_p in(b·P + p, c) / P.
void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) {
  const int P = in.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int c = 0; c < in.cols; ++c) {
      float sum = 0.0f;
      for (int p = 0; p < P; ++p) sum += at(in, static_cast<size_t>(b) * P + p, c);
      at(out, b, c) = sum / static_cast<float>(P);
    }
}

// d_in(b·P + p, c) = d_out(b, c) / P.
void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) {
  const int P = d_in.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int p = 0; p < P; ++p)
      for (int c = 0; c < d_in.cols; ++c)
        at(d_in, static_cast<size_t>(b) * P + p, c) = at(d_out, b, c) / static_cast<float>(P);
}

}  // namespace difflab::reference
