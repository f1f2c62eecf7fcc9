// image_ops.cpp — NHWC image ops on the CPU: convolutions on gemm.h's kernels (same-size ones straight from
// the padded image, the others through im2col), GroupNorm, attention, … Not tuned per shape: every op splits
// whole images (or image × head pairs) over the pool, so no two threads ever write the same floats, and the
// products run single-threaded inside each part. Gradient sums use a partition that does not depend on the
// thread count (run_reduction_parts).
#include "nn/cpu/image_ops.h"

#include "nn/cpu/gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <Eigen/Core>

namespace difflab::cpu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using StridedMap = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using RowVectorMap = Eigen::Map<Eigen::RowVectorXf>;
using RowArrayMap = Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>>;
using ArrayRows = Eigen::Map<Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

// Runs body(part, begin, end) over [0, n) in at most w.threads parts when the op is worth it; returns the
// parts.
template <typename Body>
int run_parts(Workers& w, int n, double flops, Body&& body) {
  constexpr double kMinFlopsPerThread = 1e6;
  int parts =
      w.pool ? static_cast<int>(std::min<double>({double(w.threads), flops / kMinFlopsPerThread, double(n)}))
             : 1;
  parts = std::max(parts, 1);
  if (parts == 1) {
    if (w.scratch.size() < Workers::kSlots) w.scratch.resize(Workers::kSlots);
    body(0, 0, n);
    return 1;
  }
  // Every part's scratch vectors exist before the workers start: a part may grow its own, never the list.
  if (w.scratch.size() < static_cast<size_t>(parts) * Workers::kSlots)
    w.scratch.resize(static_cast<size_t>(parts) * Workers::kSlots);
  w.pool->parallel_for(parts, [&](int p) {
    body(p, static_cast<int>(static_cast<long>(n) * p / parts),
         static_cast<int>(static_cast<long>(n) * (p + 1) / parts));
  });
  return parts;
}

// For ops whose parts sum into per-part gradient buffers (convolution and GroupNorm backward): a partition
// fixed by n alone — min(n, kReductionParts) parts, whatever the thread count — summed in part order, so
// that training gives the same bytes on 1 and on N threads. The threads share the parts out (any order).
constexpr int kReductionParts = 8;
template <typename Body>
int run_reduction_parts(Workers& w, int n, double flops, Body&& body) {
  constexpr double kMinFlopsForThreads = 1e6;
  const int parts = std::max(1, std::min(n, kReductionParts));
  if (w.scratch.size() < static_cast<size_t>(parts) * Workers::kSlots)
    w.scratch.resize(static_cast<size_t>(parts) * Workers::kSlots);
  auto run_part = [&](int p) {
    body(p, static_cast<int>(static_cast<long>(n) * p / parts),
         static_cast<int>(static_cast<long>(n) * (p + 1) / parts));
  };
  if (w.pool && w.threads > 1 && parts > 1 && flops >= kMinFlopsForThreads)
    w.pool->parallel_for(parts, run_part);
  else
    for (int p = 0; p < parts; ++p) run_part(p);
  return parts;
}

// Rows per im2col block: about 4 MB of columns; measured as fast as L2-sized blocks with gemm.h's kernels.
int block_rows(int cols) {
  return std::clamp(1048576 / std::max(cols, 1), 256, 4096);
}

// cols [n, k·k·C] for output rows [r0, r0 + n) (row = (b, oy, ox)); zero where the kernel reads padding.
// With stride 1 the k pixels a kernel row reads are adjacent in NHWC memory: one copy of k·C floats.
void im2col(float* cols, const float* in, const ConvShape& s, int r0, int n) {
  const int OH = s.out_height(), OW = s.out_width(), K = s.kernel, C = s.in_channels;
  const size_t row_size = static_cast<size_t>(K) * K * C;
  for (int i = 0; i < n; ++i) {
    const int r = r0 + i;
    const int b = r / (OH * OW), oy = (r / OW) % OH, ox = r % OW;
    float* dst = cols + i * row_size;
    const int ix0 = ox * s.stride - s.padding;
    const bool whole_rows = s.stride == 1 && ix0 >= 0 && ix0 + K <= s.width;
    for (int ky = 0; ky < K; ++ky) {
      const int iy = oy * s.stride - s.padding + ky;
      const float* src_row = in + (static_cast<size_t>(b) * s.height + iy) * s.width * C;
      if (iy < 0 || iy >= s.height) {
        std::memset(dst, 0, static_cast<size_t>(K) * C * sizeof(float));
        dst += K * C;
      } else if (whole_rows) {
        std::memcpy(dst, src_row + static_cast<size_t>(ix0) * C, static_cast<size_t>(K) * C * sizeof(float));
        dst += K * C;
      } else {
        for (int kx = 0; kx < K; ++kx, dst += C) {
          const int ix = ix0 + kx;
          if (ix < 0 || ix >= s.width)
            std::memset(dst, 0, C * sizeof(float));
          else
            std::memcpy(dst, src_row + static_cast<size_t>(ix) * C, C * sizeof(float));
        }
      }
    }
  }
}

// The adjoint of im2col: adds every column entry back to the input pixel it was copied from.
void col2im_add(float* d_in, const float* cols, const ConvShape& s, int r0, int n) {
  const int OH = s.out_height(), OW = s.out_width(), K = s.kernel, C = s.in_channels;
  const size_t row_size = static_cast<size_t>(K) * K * C;
  for (int i = 0; i < n; ++i) {
    const int r = r0 + i;
    const int b = r / (OH * OW), oy = (r / OW) % OH, ox = r % OW;
    const float* src = cols + i * row_size;
    for (int ky = 0; ky < K; ++ky) {
      const int iy = oy * s.stride - s.padding + ky;
      for (int kx = 0; kx < K; ++kx, src += C) {
        const int ix = ox * s.stride - s.padding + kx;
        if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
        float* dst = d_in + ((static_cast<size_t>(b) * s.height + iy) * s.width + ix) * C;
        Eigen::Map<Eigen::ArrayXf>(dst, C) += Eigen::Map<const Eigen::ArrayXf>(src, C);
      }
    }
  }
}

bool is_pointwise(const ConvShape& s) {
  return s.kernel == 1 && s.stride == 1 && s.padding == 0;
}

// A k×k, stride-1 convolution whose output has the input's size: its input gradient is the same convolution
// of d_out with the kernel flipped and in/out channels swapped: a product, with no scatter (col2im).
bool is_same_size(const ConvShape& s) {
  return s.stride == 1 && s.kernel == 2 * s.padding + 1 && s.kernel > 1;
}

// The image b of `in` (NHWC, channels C) copied into the interior of a zero-bordered (H + 2p) × (W + 2p)
// buffer whose border was zeroed before (only the interior is written).
void pad_image(float* padded, const float* in, int b, int height, int width, int channels, int pad) {
  const int padded_width = width + 2 * pad;
  for (int y = 0; y < height; ++y)
    std::memcpy(padded + (static_cast<size_t>(y + pad) * padded_width + pad) * channels,
                in + (static_cast<size_t>(b) * height + y) * width * channels,
                static_cast<size_t>(width) * channels * sizeof(float));
}

// flipped [(ky, kx, o), c] = weight [(k−1−ky, k−1−kx, c), o].
void flip_kernel(float* flipped, const float* weight, const ConvShape& s) {
  const int K = s.kernel, C = s.in_channels, OC = s.out_channels;
  for (int ky = 0; ky < K; ++ky)
    for (int kx = 0; kx < K; ++kx)
      for (int o = 0; o < OC; ++o)
        for (int c = 0; c < C; ++c)
          flipped[((static_cast<size_t>(ky) * K + kx) * OC + o) * C + c] =
              weight[((static_cast<size_t>(K - 1 - ky) * K + (K - 1 - kx)) * C + c) * OC + o];
}

// Per-channel sums over the P rows of a row-major P × C block, as row loops (contiguous, vectorised over
// channels).
void channel_sums(float* sum, const float* x, int P, int C) {
  std::fill(sum, sum + C, 0.0f);
  for (int p = 0; p < P; ++p, x += C)
    for (int c = 0; c < C; ++c) sum[c] += x[c];
}

// The per-part buffers of the direct same-size convolution: a padded input image (slot 3) and a padded output
// gradient (slot 2), whose zero borders are written once per call and never touched again.
float* padded_buffer(Workers& w, int part, int slot, const ConvShape& s, int channels) {
  const size_t floats = static_cast<size_t>(s.height + 2 * s.padding) * (s.width + 2 * s.padding) * channels;
  float* buffer = w.buffer(part, slot, floats);
  std::memset(buffer, 0, floats * sizeof(float));
  return buffer;
}

// out = bias + a same-size convolution of images [b0, b1): per output row, one conv_rows over the padded
// image with the kernel rows as taps. `weight` is [(ky, kx, c), o], c over s.in_channels and o over
// s.out_channels.
void same_size_forward(Workers& w, int part, const float* in, const float* weight, const float* bias,
                       float* out, const ConvShape& s, int b0, int b1, bool accumulate) {
  const int H = s.height, W = s.width, C = s.in_channels, OC = s.out_channels, K = s.kernel;
  const size_t padded_row = static_cast<size_t>(W + 2 * s.padding) * C;
  float* padded = padded_buffer(w, part, 2, s, C);
  const int panel = conv_rows_panel();  // output channels per pass: that panel of the weights stays in cache
  for (int b = b0; b < b1; ++b) {
    pad_image(padded, in, b, H, W, C, s.padding);
    for (int j = 0; j < OC; j += panel)
      for (int oy = 0; oy < H; ++oy)
        conv_rows(W, std::min(panel, OC - j), K, K * C, padded + oy * padded_row, C, padded_row, weight + j,
                  OC, bias ? bias + j : nullptr, out + (static_cast<size_t>(b) * H + oy) * W * OC + j, OC,
                  accumulate);
  }
}

}  // namespace

float* Workers::shared_buffer(size_t floats) {
  if (shared.size() < floats) shared.resize(floats);
  return shared.data();
}

float* Workers::buffer(int part, int slot, size_t floats) {
  const size_t index = static_cast<size_t>(part) * kSlots + slot;
  assert(index < scratch.size() && "run_parts sizes the scratch list before a parallel region");
  if (scratch[index].size() < floats) scratch[index].resize(floats);
  return scratch[index].data();
}

// out [B·OH·OW, OC] = im2col(in) [B·OH·OW, k²C] · weight [k²C, OC] + bias, by blocks of output rows;
// same-size convolutions skip the im2col (same_size_forward).
void conv2d_forward(Workers& w, const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                    const ConvShape& s) {
  const int KKC = s.kernel * s.kernel * s.in_channels, OC = s.out_channels;
  const int rows = s.batch * s.out_height() * s.out_width();
  assert(out.rows == rows && out.cols == OC && in.cols == s.in_channels && weight.rows == KKC &&
         weight.cols == OC);
  const RowVectorMap b(bias.host(), OC);
  const bool pointwise = is_pointwise(s);
  if (is_same_size(s) && conv_rows_supported(OC)) {
    run_parts(w, s.batch, s.flops(), [&](int part, int b0, int b1) {
      same_size_forward(w, part, in.host(), weight.host(), bias.host(), out.host(), s, b0, b1, false);
    });
    return;
  }
  const int block = block_rows(KKC);
  run_parts(w, rows, s.flops(), [&](int part, int r0, int r1) {
    float* cols = pointwise ? nullptr : w.buffer(part, 0, static_cast<size_t>(block) * KKC);
    for (int b0 = r0; b0 < r1; b0 += block) {
      const int n = std::min(block, r1 - b0);
      float* o = out.host() + static_cast<size_t>(b0) * OC;
      const float* a = pointwise ? in.host() + static_cast<size_t>(b0) * KKC : cols;
      if (!pointwise) im2col(cols, in.host(), s, b0, n);
      gemm_nn(n, OC, KKC, a, KKC, weight.host(), OC, o, OC, false);
      MatrixMap(o, n, OC).rowwise() += b;
    }
  });
}

namespace {

// d_weight and d_bias += the sums of parts 1 … parts−1, kept in their slot 1 as [d_weight | d_bias].
void add_partial_gradients(Workers& w, int parts, const Tensor& d_weight, const Tensor& d_bias) {
  const size_t weights = d_weight.size();
  for (int part = 1; part < parts; ++part) {
    const float* partial = w.scratch[static_cast<size_t>(part) * Workers::kSlots + 1].data();
    Eigen::Map<Eigen::ArrayXf>(d_weight.host(), static_cast<Eigen::Index>(weights)) +=
        Eigen::Map<const Eigen::ArrayXf>(partial, static_cast<Eigen::Index>(weights));
    Eigen::Map<Eigen::ArrayXf>(d_bias.host(), static_cast<Eigen::Index>(d_bias.size())) +=
        Eigen::Map<const Eigen::ArrayXf>(partial + weights, static_cast<Eigen::Index>(d_bias.size()));
  }
}

// The backward pass of a same-size convolution without im2col, per image: d_bias from channel sums; d_weight
// one kernel row at a time from the padded input and d_out (conv_weight_rows); d_in as the flipped-kernel
// convolution of d_out. Each part sums its own d_weight and d_bias (part 0: in d_weight and d_bias
// themselves).
void same_size_backward(Workers& w, int part, const Tensor& d_in, float* dw, float* db, const Tensor& d_out,
                        const Tensor& in, const float* flipped, const ConvShape& s, int b0, int b1,
                        bool accumulate_input) {
  const int H = s.height, W = s.width, C = s.in_channels, OC = s.out_channels, K = s.kernel;
  const size_t padded_row = static_cast<size_t>(W + 2 * s.padding) * C;
  float* sums = w.buffer(part, 0, OC);
  float* padded = padded_buffer(w, part, 3, s, C);
  std::fill(db, db + OC, 0.0f);
  if (b0 == b1) std::fill(dw, dw + static_cast<size_t>(K) * K * C * OC, 0.0f);
  for (int b = b0; b < b1; ++b) {
    const float* g = d_out.host() + static_cast<size_t>(b) * H * W * OC;
    channel_sums(sums, g, H * W, OC);
    for (int o = 0; o < OC; ++o) db[o] += sums[o];
    pad_image(padded, in.host(), b, H, W, C, s.padding);
    for (int ky = 0; ky < K; ++ky)
      conv_weight_rows(H, W, OC, K * C, padded + ky * padded_row, C, padded_row, g, OC,
                       static_cast<size_t>(W) * OC, dw + static_cast<size_t>(ky) * K * C * OC, OC, b > b0);
  }
  if (!d_in.empty()) {
    ConvShape back = s;  // d_in = the same-size convolution of d_out with the flipped kernel
    back.in_channels = OC;
    back.out_channels = C;
    same_size_forward(w, part, d_out.host(), flipped, nullptr, d_in.host(), back, b0, b1, accumulate_input);
  }
}

}  // namespace

// d_weight = Σ colsᵀ·d_out, d_bias = Σ_rows d_out, d_in = col2im(d_out·weightᵀ) (or, same-size, the flipped-
// kernel convolution of d_out). Parts own whole images, so col2im never races; each part sums its d_weight in
// its own buffer (part 0 in d_weight itself). Same-size convolutions with vector kernels: same_size_backward.
void conv2d_backward(Workers& w, const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                     const Tensor& d_out, const Tensor& in, const Tensor& weight, const ConvShape& s,
                     bool accumulate_input) {
  const int KKC = s.kernel * s.kernel * s.in_channels, OC = s.out_channels;
  if (is_same_size(s) && conv_rows_supported(OC) && (d_in.empty() || conv_rows_supported(s.in_channels))) {
    float* flipped = d_in.empty() ? nullptr : w.shared_buffer(static_cast<size_t>(KKC) * OC);
    if (flipped) flip_kernel(flipped, weight.host(), s);
    const int parts = run_reduction_parts(w, s.batch, 2 * s.flops(), [&](int part, int b0, int b1) {
      float* dw = part == 0 ? d_weight.host() : w.buffer(part, 1, static_cast<size_t>(KKC) * OC + OC);
      float* db = part == 0 ? d_bias.host() : dw + static_cast<size_t>(KKC) * OC;
      same_size_backward(w, part, d_in, dw, db, d_out, in, flipped, s, b0, b1, accumulate_input);
    });
    add_partial_gradients(w, parts, d_weight, d_bias);
    return;
  }
  const int per_image = s.out_height() * s.out_width();
  const size_t in_per_image = static_cast<size_t>(s.height) * s.width * s.in_channels;
  const bool pointwise = is_pointwise(s);
  const bool want_input = !d_in.empty();
  const int block = block_rows(KKC);
  // For the input gradient: the flipped kernel (same-size convolutions), or weightᵀ [OC, k²C] so that
  // d_out·weightᵀ is the same row-major product as the forward pass (then scattered back by col2im).
  const bool transposed = want_input && is_same_size(s);
  ConvShape back = s;  // the convolution of d_out that gives d_in when `transposed`
  back.in_channels = OC;
  back.out_channels = s.in_channels;
  const int KKO = s.kernel * s.kernel * OC;
  float* weight_t = want_input ? w.shared_buffer(static_cast<size_t>(KKC) * OC) : nullptr;
  if (transposed)
    flip_kernel(weight_t, weight.host(), s);
  else if (want_input)
    MatrixMap(weight_t, OC, KKC) = MatrixMap(weight.host(), KKC, OC).transpose();
  const int parts = run_reduction_parts(w, s.batch, 2 * s.flops(), [&](int part, int i0, int i1) {
    float* dw_data = part == 0 ? d_weight.host() : w.buffer(part, 1, static_cast<size_t>(KKC) * OC + OC);
    float* db_data = part == 0 ? d_bias.host() : dw_data + static_cast<size_t>(KKC) * OC;
    RowVectorMap db(db_data, OC);
    db.setZero();
    bool first = true;
    if (want_input && !accumulate_input && !transposed)
      std::memset(d_in.host() + i0 * in_per_image, 0, (i1 - i0) * in_per_image * sizeof(float));
    float* cols = pointwise ? nullptr : w.buffer(part, 0, static_cast<size_t>(block) * std::max(KKC, KKO));
    float* d_cols = pointwise || transposed ? nullptr : w.buffer(part, 2, static_cast<size_t>(block) * KKC);
    const int r_end = i1 * per_image;
    for (int b0 = i0 * per_image; b0 < r_end; b0 += block) {
      const int n = std::min(block, r_end - b0);
      const float* g = d_out.host() + static_cast<size_t>(b0) * OC;
      db += MatrixMap(const_cast<float*>(g), n, OC).colwise().sum();
      const float* a = pointwise ? in.host() + static_cast<size_t>(b0) * KKC : cols;
      if (!pointwise) im2col(cols, in.host(), s, b0, n);
      gemm_tn(n, OC, KKC, a, KKC, g, OC, dw_data, OC, !first);
      first = false;
      if (!want_input) continue;
      if (pointwise) {
        gemm_nn(n, KKC, OC, g, OC, weight_t, KKC, d_in.host() + static_cast<size_t>(b0) * KKC, KKC, true);
      } else if (transposed) {  // output rows and input rows are the same pixels here
        im2col(cols, d_out.host(), back, b0, n);
        gemm_nn(n, s.in_channels, KKO, cols, KKO, weight_t, s.in_channels,
                d_in.host() + static_cast<size_t>(b0) * s.in_channels, s.in_channels, accumulate_input);
      } else {
        gemm_nn(n, KKC, OC, g, OC, weight_t, KKC, d_cols, KKC, false);
        col2im_add(d_in.host(), d_cols, s, b0, n);
      }
    }
    if (first) MatrixMap(dw_data, KKC, OC).setZero();  // a part with no rows still contributes zeros
  });
  add_partial_gradients(w, parts, d_weight, d_bias);
}

// out(b, y, x) = in(b, ⌊y/2⌋, ⌊x/2⌋).
void upsample_nearest2x_forward(Workers& w, const Tensor& out, const Tensor& in, int batch, int height,
                                int width) {
  const int C = in.cols, OH = 2 * height, OW = 2 * width;
  run_parts(w, batch * OH, 4.0 * out.size(), [&](int, int r0, int r1) {
    for (int r = r0; r < r1; ++r) {
      const int b = r / OH, y = r % OH;
      const float* src_row = in.host() + (static_cast<size_t>(b) * height + y / 2) * width * C;
      float* dst = out.host() + static_cast<size_t>(r) * OW * C;
      for (int x = 0; x < OW; ++x)
        std::memcpy(dst + static_cast<size_t>(x) * C, src_row + (x / 2) * C, C * sizeof(float));
    }
  });
}

// d_in(b, y, x) = Σ of the 2×2 block of d_out it was copied to.
void upsample_nearest2x_backward(Workers& w, const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                 int width) {
  const int C = d_in.cols, OW = 2 * width;
  run_parts(w, batch * height, 4.0 * d_out.size(), [&](int, int r0, int r1) {
    for (int r = r0; r < r1; ++r) {
      const int b = r / height, y = r % height;
      for (int x = 0; x < width; ++x) {
        Eigen::Map<Eigen::ArrayXf> dst(d_in.host() + (static_cast<size_t>(r) * width + x) * C, C);
        auto at = [&](int dy, int dx) {
          return Eigen::Map<const Eigen::ArrayXf>(
              d_out.host() + ((static_cast<size_t>(b) * 2 * height + 2 * y + dy) * OW + 2 * x + dx) * C, C);
        };
        dst = at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1);
      }
    }
  });
}

// Per image: channel sums → group mean → channel sums of squared deviations → group variance.
void group_norm_forward(Workers& w, const Tensor& out, const Tensor& stats, const Tensor& in,
                        const Tensor& gamma, const Tensor& beta, int batch, int groups) {
  const int C = in.cols, P = in.rows / batch, Cg = C / groups;
  assert(C % groups == 0 && "channels must divide into groups");
  constexpr float kEps = 1e-5f;
  run_parts(w, batch, 10.0 * in.size(), [&](int part, int b0, int b1) {
    float* scratch = w.buffer(part, 0, 3 * static_cast<size_t>(C));
    float *mean_c = scratch, *scale_c = scratch + C, *shift_c = scratch + 2 * C;
    for (int b = b0; b < b1; ++b) {
      const float* x = in.host() + static_cast<size_t>(b) * P * C;
      float* y = out.host() + static_cast<size_t>(b) * P * C;
      channel_sums(mean_c, x, P, C);
      for (int g = 0; g < groups; ++g) {
        float sum = 0;
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) sum += mean_c[c];
        std::fill(mean_c + g * Cg, mean_c + (g + 1) * Cg, sum / static_cast<float>(P * Cg));
      }
      std::fill(scale_c, scale_c + C, 0.0f);
      for (int p = 0; p < P; ++p) {
        const float* row = x + static_cast<size_t>(p) * C;
        for (int c = 0; c < C; ++c) scale_c[c] += (row[c] - mean_c[c]) * (row[c] - mean_c[c]);
      }
      for (int g = 0; g < groups; ++g) {
        float sum = 0;
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) sum += scale_c[c];
        const float rstd = 1.0f / std::sqrt(sum / static_cast<float>(P * Cg) + kEps);
        stats.host()[(static_cast<size_t>(b) * groups + g) * 2] = mean_c[g * Cg];
        stats.host()[(static_cast<size_t>(b) * groups + g) * 2 + 1] = rstd;
        std::fill(scale_c + g * Cg, scale_c + (g + 1) * Cg, rstd);
      }
      for (int c = 0; c < C; ++c) {
        scale_c[c] *= gamma.host()[c];
        shift_c[c] = beta.host()[c] - mean_c[c] * scale_c[c];
      }
      for (int p = 0; p < P; ++p) {
        const float* row = x + static_cast<size_t>(p) * C;
        float* dst = y + static_cast<size_t>(p) * C;
        for (int c = 0; c < C; ++c) dst[c] = row[c] * scale_c[c] + shift_c[c];
      }
    }
  });
}

// With x̂ = (x − μ)·r and g = d_out·γ: d_in = r·(g − mean_group(g) − x̂·mean_group(g·x̂)),
// which per channel is A·d_out + B·x + D, computed from per-channel sums of d_out and d_out·(x − μ).
void group_norm_backward(Workers& w, const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                         const Tensor& d_out, const Tensor& in, const Tensor& stats, const Tensor& gamma,
                         int batch, int groups) {
  const int C = in.cols, P = in.rows / batch, Cg = C / groups;
  const float* gam = gamma.host();
  const int parts = run_reduction_parts(w, batch, 12.0 * in.size(), [&](int part, int b0, int b1) {
    float* scratch = w.buffer(part, 0, 7 * static_cast<size_t>(C));
    float *sum_dy = scratch, *sum_dy_x = scratch + C, *sum_dy_xhat = scratch + 2 * C;
    float *a_c = scratch + 3 * C, *b_c = scratch + 4 * C, *d_c = scratch + 5 * C, *mean_c = scratch + 6 * C;
    float* partial = w.buffer(part, 1, 2 * static_cast<size_t>(C));
    float *dg = partial, *dbeta = partial + C;
    std::fill(partial, partial + 2 * C, 0.0f);
    for (int b = b0; b < b1; ++b) {
      const float* x = in.host() + static_cast<size_t>(b) * P * C;
      const float* dy = d_out.host() + static_cast<size_t>(b) * P * C;
      float* dx = d_in.host() + static_cast<size_t>(b) * P * C;
      std::fill(sum_dy, sum_dy + 2 * C, 0.0f);
      for (int g = 0; g < groups; ++g)
        std::fill(mean_c + g * Cg, mean_c + (g + 1) * Cg,
                  stats.host()[(static_cast<size_t>(b) * groups + g) * 2]);
      for (int p = 0; p < P; ++p) {  // Σ dy and Σ dy·(x − μ), centred so that large means cost no precision
        const float *xr = x + static_cast<size_t>(p) * C, *gr = dy + static_cast<size_t>(p) * C;
        for (int c = 0; c < C; ++c) {
          sum_dy[c] += gr[c];
          sum_dy_x[c] += gr[c] * (xr[c] - mean_c[c]);
        }
      }
      for (int g = 0; g < groups; ++g) {
        const float mu = stats.host()[(static_cast<size_t>(b) * groups + g) * 2];
        const float r = stats.host()[(static_cast<size_t>(b) * groups + g) * 2 + 1];
        float m1 = 0, m2 = 0;
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) {
          sum_dy_xhat[c] = sum_dy_x[c] * r;  // Σ dy·x̂
          dbeta[c] += sum_dy[c];
          dg[c] += sum_dy_xhat[c];
          m1 += gam[c] * sum_dy[c];
          m2 += gam[c] * sum_dy_xhat[c];
        }
        const float n = static_cast<float>(P * Cg);
        m1 /= n;
        m2 /= n;
        for (int c = g * Cg; c < (g + 1) * Cg; ++c) {
          a_c[c] = r * gam[c];
          b_c[c] = -r * r * m2;
          d_c[c] = -r * m1 + r * r * m2 * mu;
        }
      }
      for (int p = 0; p < P; ++p) {
        const float *xr = x + static_cast<size_t>(p) * C, *gr = dy + static_cast<size_t>(p) * C;
        float* dr = dx + static_cast<size_t>(p) * C;
        for (int c = 0; c < C; ++c) dr[c] = gr[c] * a_c[c] + xr[c] * b_c[c] + d_c[c];
      }
    }
  });
  RowArrayMap dg(d_gamma.host(), C), dbeta(d_beta.host(), C);
  dg.setZero();
  dbeta.setZero();
  for (int part = 0; part < parts; ++part) {
    const float* partial = w.scratch[static_cast<size_t>(part) * Workers::kSlots + 1].data();
    dg += RowArrayMap(const_cast<float*>(partial), C);
    dbeta += RowArrayMap(const_cast<float*>(partial) + C, C);
  }
}

void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) {
  assert(out.rows == a.rows && out.rows == b.rows && out.cols == a.cols + b.cols);
  MatrixMap o(out.host(), out.rows, out.cols);
  o.leftCols(a.cols) = MatrixMap(a.host(), a.rows, a.cols);
  o.rightCols(b.cols) = MatrixMap(b.host(), b.rows, b.cols);
}

void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) {
  const MatrixMap g(d_out.host(), d_out.rows, d_out.cols);
  const int ca = d_a.empty() ? d_out.cols - d_b.cols : d_a.cols;  // d_a's columns even when d_b is empty
  if (!d_a.empty()) MatrixMap(d_a.host(), d_a.rows, d_a.cols) += g.leftCols(ca);
  if (!d_b.empty()) MatrixMap(d_b.host(), d_b.rows, d_b.cols) += g.rightCols(d_b.cols);
}

// Per (image, head): S = q kᵀ/√d [P, P], probs = softmax_rows(S), out_head = probs · v.
void attention_forward(Workers& w, const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                       int heads) {
  const int C = out.cols, P = out.rows / batch, d = C / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  run_parts(w, batch * heads, 4.0 * batch * heads * P * P * d + 20.0 * batch * heads * P * P,
            [&](int, int j0, int j1) {
              for (int j = j0; j < j1; ++j) {
                const int b = j / heads, h = j % heads;
                const float* base = qkv.host() + static_cast<size_t>(b) * P * 3 * C + h * d;
                const StridedMap q(const_cast<float*>(base), P, d, Eigen::OuterStride<>(3 * C));
                const StridedMap k(const_cast<float*>(base + C), P, d, Eigen::OuterStride<>(3 * C));
                const StridedMap v(const_cast<float*>(base + 2 * C), P, d, Eigen::OuterStride<>(3 * C));
                MatrixMap p(probs.host() + static_cast<size_t>(j) * P * P, P, P);
                p.noalias() = q * k.transpose();
                for (int r = 0; r < P; ++r) {
                  auto row = p.row(r).array();
                  const float top = row.maxCoeff();
                  row = ((row - top) * scale).exp();
                  row /= row.sum();
                }
                StridedMap o(out.host() + static_cast<size_t>(b) * P * C + h * d, P, d,
                             Eigen::OuterStride<>(C));
                o.noalias() = p * v;
              }
            });
}

// dv = probsᵀ·d_out, dprobs = d_out·vᵀ, dS = probs ⊙ (dprobs − rowsum(probs ⊙ dprobs)), dq = dS·k/√d, dk =
// dSᵀ·q/√d.
void attention_backward(Workers& w, const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv,
                        const Tensor& probs, int batch, int heads) {
  const int C = d_out.cols, P = d_out.rows / batch, d = C / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  run_parts(w, batch * heads, 8.0 * batch * heads * P * P * d, [&](int part, int j0, int j1) {
    MatrixMap ds(w.buffer(part, 0, static_cast<size_t>(P) * P), P, P);
    Eigen::Map<Eigen::VectorXf> row_dot(w.buffer(part, 1, P), P);
    for (int j = j0; j < j1; ++j) {
      const int b = j / heads, h = j % heads;
      const size_t offset = static_cast<size_t>(b) * P * 3 * C + h * d;
      const StridedMap q(qkv.host() + offset, P, d, Eigen::OuterStride<>(3 * C));
      const StridedMap k(qkv.host() + offset + C, P, d, Eigen::OuterStride<>(3 * C));
      const StridedMap v(qkv.host() + offset + 2 * C, P, d, Eigen::OuterStride<>(3 * C));
      StridedMap dq(d_qkv.host() + offset, P, d, Eigen::OuterStride<>(3 * C));
      StridedMap dk(d_qkv.host() + offset + C, P, d, Eigen::OuterStride<>(3 * C));
      StridedMap dv(d_qkv.host() + offset + 2 * C, P, d, Eigen::OuterStride<>(3 * C));
      const StridedMap g(d_out.host() + static_cast<size_t>(b) * P * C + h * d, P, d,
                         Eigen::OuterStride<>(C));
      const MatrixMap p(probs.host() + static_cast<size_t>(j) * P * P, P, P);
      dv.noalias() = p.transpose() * g;
      ds.noalias() = g * v.transpose();
      row_dot = (p.array() * ds.array()).rowwise().sum();
      ds.array() = p.array() * (ds.array().colwise() - row_dot.array()) * scale;
      dq.noalias() = ds * k;
      dk.noalias() = ds.transpose() * q;
    }
  });
}

void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) {
  const int P = x.rows / batch, C = x.cols;
  for (int b = 0; b < batch; ++b)
    MatrixMap(x.host() + static_cast<size_t>(b) * P * C, P, C).rowwise() +=
        RowVectorMap(bias.host() + b * C, C);
}

void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) {
  const int P = d_x.rows / batch, C = d_x.cols;
  for (int b = 0; b < batch; ++b)
    RowVectorMap(d_bias.host() + b * C, C) =
        MatrixMap(d_x.host() + static_cast<size_t>(b) * P * C, P, C).colwise().sum();
}

void embedding_forward(const Tensor& out, const Tensor& table, const int* ids) {
  for (int i = 0; i < out.rows; ++i) {
    assert(ids[i] >= 0 && ids[i] < table.rows && "embedding id out of range");
    std::memcpy(out.host() + static_cast<size_t>(i) * out.cols,
                table.host() + static_cast<size_t>(ids[i]) * table.cols, out.cols * sizeof(float));
  }
}

void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) {
  for (int i = 0; i < d_out.rows; ++i)
    RowVectorMap(d_table.host() + static_cast<size_t>(ids[i]) * d_table.cols, d_table.cols) +=
        RowVectorMap(d_out.host() + static_cast<size_t>(i) * d_out.cols, d_out.cols);
}

// out[b] = (1/P) Σ_p in[b·P + p].
void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) {
  const int P = in.rows / batch, C = in.cols;
  assert(out.rows == batch && out.cols == C && in.rows == batch * P);
  for (int b = 0; b < batch; ++b)
    RowVectorMap(out.host() + static_cast<size_t>(b) * C, C) =
        MatrixMap(in.host() + static_cast<size_t>(b) * P * C, P, C).colwise().sum() / static_cast<float>(P);
}

// d_in[b·P + p] = d_out[b] / P.
void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) {
  const int P = d_in.rows / batch, C = d_in.cols;
  assert(d_out.rows == batch && d_out.cols == C && d_in.rows == batch * P);
  for (int b = 0; b < batch; ++b)
    MatrixMap(d_in.host() + static_cast<size_t>(b) * P * C, P, C).rowwise() =
        RowVectorMap(d_out.host() + static_cast<size_t>(b) * C, C) / static_cast<float>(P);
}

}  // namespace difflab::cpu
