// cpu_backend.cpp — the reference implementation of every op in backend.h, on Eigen.
// Not clever about threads: a large op splits its rows (or output columns) over the pool; small ops, like
// most of a batch-32 step, stay on the calling thread, where the small 2-D models run fastest.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "core/thread_pool.h"
#include "nn/backend.h"
#include "nn/cpu/gemm.h"
#include "nn/cpu/image_ops.h"
#include "nn/cpu/token_ops.h"
#include "nn/philox.h"

namespace difflab {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;

MatrixMap as_matrix(const Tensor& t) {
  return MatrixMap(t.host(), t.rows, t.cols);
}
ArrayMap as_array(const Tensor& t) {
  return ArrayMap(t.host(), static_cast<Eigen::Index>(t.size()));
}

class CpuBackend final : public Backend {
 public:
  std::string name() const override { return "cpu"; }
  std::string device_description() const override {
    return "CPU, " + std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads");
  }
  void set_threads(int threads) override {
    threads = std::max(1, threads);
    if (threads == threads_) return;
    threads_ = threads;
    pool_ = threads > 1 ? std::make_unique<ThreadPool>(threads) : nullptr;
    workers_.pool = pool_.get();
    workers_.threads = threads;
  }

  std::unique_ptr<Storage> create_storage(size_t floats) override {
    auto s = std::make_unique<Storage>();
    s->host.assign(floats, 0.0f);
    s->size = floats;
    return s;
  }
  void write(const Tensor& dst, const float* src) override {
    std::memcpy(dst.host(), src, dst.size() * sizeof(float));
  }
  void read(const Tensor& src, float* dst) override {
    std::memcpy(dst, src.host(), src.size() * sizeof(float));
  }
  // Memory-bound element-wise ops split over the pool only when large (an image model's activations).
  void fill(const Tensor& dst, float value) override {
    split(dst.rows, kElementwiseCost * dst.size(),
          [&](int r0, int r1) { as_array(dst.row_block(r0, r1 - r0)).setConstant(value); });
  }
  void copy(const Tensor& dst, const Tensor& src) override {
    if (dst.rows != src.rows) return (void)std::memcpy(dst.host(), src.host(), dst.size() * sizeof(float));
    split(dst.rows, kElementwiseCost * dst.size(), [&](int r0, int r1) {
      std::memcpy(dst.row_block(r0, r1 - r0).host(), src.row_block(r0, r1 - r0).host(),
                  static_cast<size_t>(r1 - r0) * dst.cols * sizeof(float));
    });
  }

  void sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                            float scale) override {
    const int half = size / 2;
    if (frequencies_.size() != half) {
      frequencies_.resize(half);
      const float step = half > 1 ? std::log(10000.0f) / static_cast<float>(half - 1) : 0.0f;
      for (int k = 0; k < half; ++k) frequencies_[k] = std::exp(-step * static_cast<float>(k));
    }
    split(out.rows, 40.0 * out.rows * size, [&](int r0, int r1) {
      // Aligned scratch per call keeps Eigen's vectorised sin/cos on every element (an unaligned
      // destination would send the first few of each row through scalar sinf).
      Eigen::ArrayXf arguments(half), sines(half), cosines(half);
      for (int r = r0; r < r1; ++r) {
        const float value = scale * in.host()[static_cast<size_t>(r) * in.cols + in_col];
        float* row = out.host() + static_cast<size_t>(r) * out.cols + out_col;
        arguments = value * frequencies_;
        sines = arguments.sin();
        cosines = arguments.cos();
        std::memcpy(row, sines.data(), half * sizeof(float));
        std::memcpy(row + half, cosines.data(), half * sizeof(float));
      }
    });
  }

  void linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight,
                      const Tensor& bias) override {
    auto o = as_matrix(out);
    auto x = as_matrix(in);
    auto w = as_matrix(weight);
    auto b = as_matrix(bias).row(0);
    split(out.rows, work(out.rows, in.cols, out.cols), [&](int r0, int r1) {
      cpu::gemm_nn(r1 - r0, out.cols, in.cols, x.row(r0).data(), in.cols, w.data(), out.cols,
                   o.row(r0).data(), out.cols, false);
      o.middleRows(r0, r1 - r0).rowwise() += b;
    });
  }

  void linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, bool accumulate,
                       bool accumulate_input) override {
    auto g = as_matrix(d_out);
    auto x = as_matrix(in);
    auto dw = as_matrix(d_weight);
    auto db = as_matrix(d_bias);
    // d_weight by blocks of output columns: each thread owns its columns, no reduction needed.
    split(d_out.cols, work(d_out.rows, in.cols, d_out.cols), [&](int c0, int c1) {
      const int n = c1 - c0;
      cpu::gemm_tn(d_out.rows, n, in.cols, x.data(), in.cols, g.data() + c0, d_out.cols, dw.data() + c0,
                   d_out.cols, accumulate);
      if (accumulate)
        db.middleCols(c0, n) += g.middleCols(c0, n).colwise().sum();
      else
        db.middleCols(c0, n) = g.middleCols(c0, n).colwise().sum();
    });
    if (d_in.empty()) return;
    auto dx = as_matrix(d_in);
    auto w = as_matrix(weight);
    // d_in = d_out·weightᵀ: with many rows, transposing the (small) weight once lets the row-major kernel run
    // it.
    const bool transpose = d_in.rows >= 128;
    if (transpose) {
      if (transposed_.size() < weight.size()) transposed_.resize(weight.size());
      MatrixMap(transposed_.data(), weight.cols, weight.rows) = w.transpose();
    }
    split(d_in.rows, work(d_in.rows, in.cols, d_out.cols), [&](int r0, int r1) {
      const int n = r1 - r0;
      if (transpose)
        cpu::gemm_nn(n, d_in.cols, d_out.cols, g.row(r0).data(), d_out.cols, transposed_.data(), d_in.cols,
                     dx.row(r0).data(), d_in.cols, accumulate_input);
      else if (accumulate_input)
        dx.middleRows(r0, n).noalias() += g.middleRows(r0, n) * w.transpose();
      else
        dx.middleRows(r0, n).noalias() = g.middleRows(r0, n) * w.transpose();
    });
  }

  void activation_forward(Activation a, const Tensor& out, const Tensor& in) override {
    split(out.rows, static_cast<double>(out.size()) * 32, [&](int r0, int r1) {
      activation_forward_rows(a, out.row_block(r0, r1 - r0), in.row_block(r0, r1 - r0));
    });
  }
  void activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out, const Tensor& in) override {
    split(in.rows, static_cast<double>(in.size()) * 32, [&](int r0, int r1) {
      activation_backward_rows(a, d_in.row_block(r0, r1 - r0), d_out.row_block(r0, r1 - r0),
                               in.row_block(r0, r1 - r0));
    });
  }

 private:
  static double work(int rows, int inner, int cols) { return 2.0 * rows * inner * cols; }
  static constexpr double kElementwiseCost = 4;  // "flops" per element of a memory-bound op, for split()
  // Runs body over [0, n) in parallel when the op is big enough to pay for waking the workers.
  template <typename Body>
  void split(int n, double flops, Body&& body) {
    constexpr double kMinFlopsPerThread = 2e6;
    const int parts = pool_ ? static_cast<int>(std::min<double>(threads_, flops / kMinFlopsPerThread)) : 1;
    if (parts <= 1 || n < 2) {
      body(0, n);
      return;
    }
    parallel_ranges(pool_.get(), n, parts, body);
  }

  // out[r, :] = a[r]·x[r, :] + b[r]·y[r, :] for rows [first, last); kCols = 0: the row length is `cols`.
  struct RowCombine {
    float* out;
    const float *a, *x, *b, *y;
    size_t first, last;
    template <size_t kCols>
    void run(size_t cols = kCols) const {
      if constexpr (kCols != 0) cols = kCols;
      for (size_t r = first; r < last; ++r) {
        const float ar = a[r], br = b[r];
        for (size_t c = 0; c < cols; ++c) out[r * cols + c] = ar * x[r * cols + c] + br * y[r * cols + c];
      }
    }
  };
  static constexpr size_t kNoisePairs = 1024;  // pairs per vectorised block of random_normal
  // "Flops" of one normal number for split(): it takes as long as ~35 elements of an axpy (2.4 ns).
  static constexpr double kNoiseCost = 130;
  static constexpr size_t kFlatChunk = 4096;  // floats per chunk of the flat element-wise ops
  // body(begin, count) over chunks of kFlatChunk elements of a flat buffer of `size` floats, split like
  // split().
  template <typename Body>
  void split_flat(size_t size, double flops, Body&& body) {
    const int chunks = static_cast<int>((size + kFlatChunk - 1) / kFlatChunk);
    split(chunks, flops, [&](int c0, int c1) {
      for (int chunk = c0; chunk < c1; ++chunk) {
        const size_t begin = static_cast<size_t>(chunk) * kFlatChunk;
        body(begin, std::min(kFlatChunk, size - begin));
      }
    });
  }

  static void activation_forward_rows(Activation a, const Tensor& out, const Tensor& in) {
    auto x = as_array(in);
    auto y = as_array(out);
    switch (a) {
      case Activation::Gelu:
        y = 0.5f * x * (1.0f + (x * float(std::numbers::sqrt2 / 2)).erf());
        break;
      case Activation::Relu:
        y = x.max(0.0f);
        break;
      case Activation::Silu:
        y = x / (1.0f + (-x).exp());
        break;
    }
  }

  static void activation_backward_rows(Activation a, const Tensor& d_in, const Tensor& d_out,
                                       const Tensor& in) {
    auto x = as_array(in);
    auto g = as_array(d_out);
    auto d = as_array(d_in);
    switch (a) {
      case Activation::Gelu: {
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        constexpr float inv_sqrt_2pi = 0.3989422804014327f;
        d = g * (0.5f * (1.0f + (x * float(std::numbers::sqrt2 / 2)).erf()) +
                 x * inv_sqrt_2pi * (-0.5f * x.square()).exp());
        break;
      }
      case Activation::Relu:
        d = (x > 0.0f).select(g, 0.0f);
        break;
      case Activation::Silu: {
        // σ(x) in chunks on the stack: one vectorised exp per element and no heap temporary (a block of a
        // U-Net's activations is megabytes, which a fresh allocation would fault in page by page every step).
        constexpr Eigen::Index kChunk = 1024;
        alignas(64) float buffer[kChunk];
        for (Eigen::Index i = 0; i < x.size(); i += kChunk) {
          const Eigen::Index n = std::min(kChunk, x.size() - i);
          Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64> sigma(buffer, n);
          const auto xs = x.segment(i, n);
          sigma = 1.0f / (1.0f + (-xs).exp());
          d.segment(i, n) = g.segment(i, n) * sigma * (1.0f + xs * (1.0f - sigma));
        }
        break;
      }
    }
  }

 public:
  void axpy(const Tensor& y, float alpha, const Tensor& x) override {
    if (y.rows != x.rows) return (void)(as_array(y) += alpha * as_array(x));
    split(y.rows, kElementwiseCost * y.size(), [&](int r0, int r1) {
      as_array(y.row_block(r0, r1 - r0)) += alpha * as_array(x.row_block(r0, r1 - r0));
    });
  }
  void scale(const Tensor& x, float factor) override { as_array(x) *= factor; }
  double sum_squares(const Tensor& x) override {
    // Float partial sums in Eigen's vectorised tree reduction: ample precision for a gradient norm, and
    // many times faster than widening every element to double.
    return static_cast<double>(as_array(x).matrix().squaredNorm());
  }

  void adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                  const AdamWConfig& c, int step) override {
    auto p = as_array(params);
    auto g = as_array(grads);
    auto mm = as_array(m);
    auto vv = as_array(v);
    const float correction1 = 1.0f - std::pow(c.beta1, static_cast<float>(step));
    const float correction2 = 1.0f - std::pow(c.beta2, static_cast<float>(step));
    mm = c.beta1 * mm + (1.0f - c.beta1) * g;
    vv = c.beta2 * vv + (1.0f - c.beta2) * g.square();
    // PyTorch's AdamW: p ← p − lr·wd·p, then p ← p − lr·m̂/(√v̂ + eps).
    p = p * (1.0f - c.lr * c.weight_decay) - (c.lr / correction1) * mm / ((vv / correction2).sqrt() + c.eps);
  }

  void ema_update(const Tensor& ema, const Tensor& params, float decay) override {
    as_array(ema) = decay * as_array(ema) + (1.0f - decay) * as_array(params);
  }

  // ---- Training and sampling ops (backend.h). ----
  // One Philox block per pair of outputs (even n: cos, odd n: sin); the logs, roots and sines run vectorised
  // over a block of pairs. Every block is padded to whole packets, so an element's value does not depend on
  // where it falls in the tensor (drawing [0, 2n) equals drawing [0, n) then [n, 2n), bit for bit).
  void random_normal(const Tensor& out, uint64_t seed, uint64_t counter) override {
    const size_t size = out.size();
    if (size == 0) return;
    const uint64_t first_pair = counter / 2;
    const size_t odd = counter % 2;  // element 0 is the sin half of its pair
    const size_t pairs = (odd + size + 1) / 2;
    const std::array<uint32_t, 2> key = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
    float* z = out.host();
    const int blocks = static_cast<int>((pairs + kNoisePairs - 1) / kNoisePairs);
    split(blocks, kNoiseCost * static_cast<double>(size), [&](int b0, int b1) {
      alignas(64) float radius[kNoisePairs], cosine[kNoisePairs], sine[kNoisePairs];
      for (int block = b0; block < b1; ++block) {
        const size_t j0 = static_cast<size_t>(block) * kNoisePairs;
        const size_t count = std::min(kNoisePairs, pairs - j0);
        const size_t padded = (count + 15) / 16 * 16;
        for (size_t j = 0; j < count; ++j) {
          const uint64_t p = first_pair + j0 + j;
          const std::array<uint32_t, 4> w =
              philox4x32_10({static_cast<uint32_t>(p), static_cast<uint32_t>(p >> 32), 0u, 0u}, key);
          radius[j] = (static_cast<float>(w[0] >> 8) + 1.0f) * 0x1p-24f;  // u0 ∈ (0, 1]
          sine[j] = (static_cast<float>(w[1] >> 8) + 1.0f) * 0x1p-24f;    // u1 ∈ (0, 1]
        }
        for (size_t j = count; j < padded; ++j) radius[j] = sine[j] = 1.0f;  // finite, never written out
        const auto lanes = static_cast<Eigen::Index>(padded);
        Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64> r(radius, lanes), c(cosine, lanes), s(sine, lanes);
        r = (-2.0f * r.log()).sqrt();
        s *= static_cast<float>(2.0 * std::numbers::pi);
        c = s.cos();
        s = s.sin();
        // Pair j0 + j holds elements 2(j0 + j) − odd (cos) and the one after (sin); the first pair's cos half
        // lies before the tensor when odd, the last pair's sin half after it when the end is uneven.
        size_t first = 0, last = count;
        if (j0 == 0 && odd) {
          z[0] = radius[0] * sine[0];
          first = 1;
        }
        const bool cut = 2 * (j0 + count) - odd > size;
        if (cut) --last;
        for (size_t j = first; j < last; ++j) {
          const size_t element = 2 * (j0 + j) - odd;
          z[element] = radius[j] * cosine[j];
          z[element + 1] = radius[j] * sine[j];
        }
        if (cut && last >= first) z[2 * (j0 + last) - odd] = radius[last] * cosine[last];
      }
    });
  }

  // Plain loops, the row length a compile-time constant for the narrow rows of 2-D and 3-D data (where the
  // compiler then vectorises across rows; Eigen's column-wise broadcast is an order of magnitude slower
  // there).
  void row_combine(const Tensor& out, const Tensor& a, const Tensor& x, const Tensor& b,
                   const Tensor& y) override {
    split(out.rows, kElementwiseCost * out.size(), [&](int r0, int r1) {
      const RowCombine rows{out.host(),
                            a.host(),
                            x.host(),
                            b.host(),
                            y.host(),
                            static_cast<size_t>(r0),
                            static_cast<size_t>(r1)};
      switch (out.cols) {
        case 1:
          return rows.run<1>();
        case 2:
          return rows.run<2>();
        case 3:
          return rows.run<3>();
        case 4:
          return rows.run<4>();
        default:
          return rows.run<0>(static_cast<size_t>(out.cols));
      }
    });
  }

  void combine(const Tensor& out, float a, const Tensor& x, float b, const Tensor& y, float c,
               const Tensor& z) override {
    const bool with_z = !z.empty();
    split_flat(out.size(), kElementwiseCost * out.size(), [&](size_t begin, size_t count) {
      const auto n = static_cast<Eigen::Index>(count);
      ArrayMap o(out.host() + begin, n);
      const ArrayMap xs(x.host() + begin, n), ys(y.host() + begin, n);
      if (with_z)
        o = a * xs + b * ys + c * ArrayMap(z.host() + begin, n);
      else
        o = a * xs + b * ys;
    });
  }

  // One fused pass: d_pred written and (pred − target)² summed in 16 lanes kept in vector registers. Lanes
  // and chunk sums are added in a fixed order, so the loss does not depend on the thread count. d_pred may
  // alias pred.
  double mse_loss(const Tensor& d_pred, const Tensor& pred, const Tensor& target) override {
    const size_t size = pred.size();
    if (size == 0) return 0.0;
    const float scale = 2.0f / static_cast<float>(size);
    std::vector<double> chunk_sums((size + kFlatChunk - 1) / kFlatChunk);
    split_flat(size, kElementwiseCost * size, [&](size_t begin, size_t count) {
      const float* p = pred.host() + begin;
      const float* t = target.host() + begin;
      float* d = d_pred.host() + begin;
      using Lanes = Eigen::Array<float, 16, 1>;  // Eigen packets: 1 (AVX-512) to 4 (SSE) registers
      Lanes sums = Lanes::Zero();
      size_t i = 0;
      for (; i + Lanes::SizeAtCompileTime <= count; i += Lanes::SizeAtCompileTime) {
        const Lanes diff = Eigen::Map<const Lanes>(p + i) - Eigen::Map<const Lanes>(t + i);  // loads first
        Eigen::Map<Lanes>(d + i) = scale * diff;
        sums += diff.square();
      }
      for (; i < count; ++i) {
        const float diff = p[i] - t[i];
        d[i] = scale * diff;
        sums[static_cast<Eigen::Index>(i % Lanes::SizeAtCompileTime)] += diff * diff;
      }
      double sum = 0.0;
      for (float lane : sums) sum += lane;
      chunk_sums[begin / kFlatChunk] = sum;
    });
    double total = 0.0;
    for (double s : chunk_sums) total += s;
    return total / static_cast<double>(size);
  }

  // Image ops: nn/cpu/image_ops.cpp.
  void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                      const ConvShape& shape) override {
    cpu::conv2d_forward(workers_, out, in, weight, bias, shape);
  }
  void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, const ConvShape& shape,
                       bool accumulate_input) override {
    cpu::conv2d_backward(workers_, d_in, d_weight, d_bias, d_out, in, weight, shape, accumulate_input);
  }
  void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height,
                                  int width) override {
    cpu::upsample_nearest2x_forward(workers_, out, in, batch, height, width);
  }
  void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                   int width) override {
    cpu::upsample_nearest2x_backward(workers_, d_in, d_out, batch, height, width);
  }
  void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in, const Tensor& gamma,
                          const Tensor& beta, int batch, int groups) override {
    cpu::group_norm_forward(workers_, out, stats, in, gamma, beta, batch, groups);
  }
  void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                           const Tensor& d_out, const Tensor& in, const Tensor& stats, const Tensor& gamma,
                           int batch, int groups) override {
    cpu::group_norm_backward(workers_, d_in, d_gamma, d_beta, d_out, in, stats, gamma, batch, groups);
  }
  void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) override {
    cpu::concat_channels_forward(out, a, b);
  }
  void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) override {
    cpu::concat_channels_backward(d_a, d_b, d_out);
  }
  void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                         int heads) override {
    cpu::attention_forward(workers_, out, probs, qkv, batch, heads);
  }
  void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv, const Tensor& probs,
                          int batch, int heads) override {
    cpu::attention_backward(workers_, d_qkv, d_out, qkv, probs, batch, heads);
  }
  void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) override {
    cpu::add_channel_bias_forward(x, bias, batch);
  }
  void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) override {
    cpu::add_channel_bias_backward(d_bias, d_x, batch);
  }
  void embedding_forward(const Tensor& out, const Tensor& table, const int* ids) override {
    cpu::embedding_forward(out, table, ids);
  }
  void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) override {
    cpu::embedding_backward(d_table, d_out, ids);
  }
  void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) override {
    cpu::global_avg_pool_forward(out, in, batch);
  }
  void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) override {
    cpu::global_avg_pool_backward(d_in, d_out, batch);
  }
  void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) override {
    cpu::scale_channels_forward(out, in, scale, batch);
  }
  void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out,
                               const Tensor& in, const Tensor& scale, int batch) override {
    cpu::scale_channels_backward(d_in, d_scale, d_out, in, scale, batch);
  }
  void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override {
    cpu::patchify(out, in, batch, height, width, patch);
  }
  void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override {
    cpu::unpatchify(out, in, batch, height, width, patch);
  }

 private:
  cpu::Workers workers_;
  Eigen::ArrayXf frequencies_;
  std::vector<float, AlignedAllocator<float>> transposed_;  // weightᵀ for linear_backward
  int threads_ = 1;
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::Gelu:
      return "gelu";
    case Activation::Relu:
      return "relu";
    case Activation::Silu:
      return "silu";
  }
  return "?";
}

bool parse_activation(const std::string& name, Activation* a) {
  if (name == "gelu")
    *a = Activation::Gelu;
  else if (name == "relu")
    *a = Activation::Relu;
  else if (name == "silu")
    *a = Activation::Silu;
  else
    return false;
  return true;
}

std::unique_ptr<Backend> make_cpu_backend() {
  return std::make_unique<CpuBackend>();
}

}  // namespace difflab
