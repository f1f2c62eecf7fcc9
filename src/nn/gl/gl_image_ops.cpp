// gl_image_ops.cpp — the GL backend's image ops (NHWC): convolution (im2col + GEMM, col2im), upsampling,
// group norm, attention (products batched over image × head around a softmax kernel), concatenation,
// channel bias, class embedding, global average pooling. Not dense layers (gl_core_ops.cpp); kernels in
// shaders/conv.comp, norm.comp, attention.comp and image.comp.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {

// Scratch slots of this file (reused across ops: each op is done with them when the next starts). Slots 0 and
// 1 are left to the other op files and to gemm(), which runs while the columns (slot 7) are held.
constexpr int kColsSlot = 7, kDColsSlot = 6, kPartialSlot = 5, kIdsSlot = 4, kSumsSlot = 3, kCoeffsSlot = 2;
// Floats of one im2col block or block of attention scores (32 MB): the U-Net's largest layer (batch 128,
// 28×28, 3×3 over 96 channels) would need 87 M floats at once; blocks of whole images keep col2im a gather
// inside its block. The environment variable DIFFLAB_GL_BLOCK_FLOATS overrides it (tests use small blocks to
// cover the splitting on small shapes).
constexpr size_t kMaxBlockFloats = size_t{1} << 23;
size_t block_floats() {
  if (const char* text = std::getenv("DIFFLAB_GL_BLOCK_FLOATS")) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end != text && *end == '\0' && v > 0) return static_cast<size_t>(v);
  }
  return kMaxBlockFloats;
}

GLuint u(size_t v) {
  return static_cast<GLuint>(v);
}

// A Tensor over a scratch buffer (a Storage that owns nothing), for gemm().
struct ScratchView {
  Storage storage;
  ScratchView(GLuint buffer, size_t floats) {
    storage.device_buffer = buffer;
    storage.size = floats;
  }
  Tensor at(size_t offset, int rows, int cols) { return Tensor{&storage, offset, rows, cols}; }
};

// One operand of batched_gemm: where the matrix of pair j = (image j / heads, head j % heads) starts, and its
// row stride.
struct Operand {
  GLuint buffer = 0;
  size_t offset = 0, per_image = 0, per_head = 0;
  int ld = 0;
  bool local = false;  // a scratch block of this dispatch's pairs only: starts at offset + z·per_image
};

Operand global_operand(const Tensor& t, size_t column, size_t per_image, size_t per_head, int ld) {
  return Operand{t.storage->device_buffer, t.offset + column, per_image, per_head, ld, false};
}

// C_j = op(A_j)·op(B_j) for the pairs j0 … j0 + count − 1, one dispatch (attention.comp's batched_gemm):
// attention's products, and the weight gradient of a convolution as one product per image (heads = 1).
void batched_gemm(GlBackend& be, const Operand& c, const Operand& a, bool trans_a, const Operand& b,
                  bool trans_b, int m, int n, int k, int heads, int j0, int count) {
  Program& p = be.program("batched_gemm");
  be.use(p);
  be.bind_buffer(0, c.buffer);
  be.bind_buffer(1, a.buffer);
  be.bind_buffer(2, b.buffer);
  be.set(p, "m", u(m));
  be.set(p, "n", u(n));
  be.set(p, "k", u(k));
  be.set(p, "lda", u(a.ld));
  be.set(p, "ldb", u(b.ld));
  be.set(p, "ldc", u(c.ld));
  be.set(p, "trans_a", u(trans_a));
  be.set(p, "trans_b", u(trans_b));
  be.set(p, "heads", u(heads));
  be.set(p, "j0", u(j0));
  const auto operand = [&](const char* offset, const char* image, const char* head, const char* local,
                           const Operand& o) {
    be.set(p, offset, u(o.offset));
    be.set(p, image, u(o.per_image));
    be.set(p, head, u(o.per_head));
    be.set(p, local, u(o.local));
  };
  operand("a_offset", "a_image", "a_head", "a_local", a);
  operand("b_offset", "b_image", "b_head", "b_local", b);
  operand("c_offset", "c_image", "c_head", "c_local", c);
  be.dispatch(u((n + 15) / 16), u((m + 15) / 16), u(count));
}

bool is_pointwise(const ConvShape& s) {
  return s.kernel == 1 && s.stride == 1 && s.padding == 0;
}

}  // namespace

// ---- Convolution ----

namespace {
void set_conv_uniforms(GlBackend& be, Program& p, const ConvShape& s, int image0) {
  be.set(p, "image0", u(image0));
  be.set(p, "height", u(s.height));
  be.set(p, "width", u(s.width));
  be.set(p, "channels", u(s.in_channels));
  be.set(p, "out_height", u(s.out_height()));
  be.set(p, "out_width", u(s.out_width()));
  be.set(p, "kernel_size", u(s.kernel));
  be.set(p, "stride", u(s.stride));
  be.set(p, "padding", u(s.padding));
}

// Images per im2col block.
int block_images(const ConvShape& s) {
  const size_t per_image =
      static_cast<size_t>(s.out_height()) * s.out_width() * s.kernel * s.kernel * std::max(s.in_channels, 1);
  return static_cast<int>(
      std::clamp<size_t>(block_floats() / std::max<size_t>(per_image, 1), 1, static_cast<size_t>(s.batch)));
}
}  // namespace

// out = im2col(in)·weight + bias, block by block of whole images; a 1×1 convolution is one product.
void GlBackend::conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                               const ConvShape& s) {
  const int KKC = s.kernel * s.kernel * s.in_channels, OC = s.out_channels;
  const int per_image = s.out_height() * s.out_width(), rows = s.batch * per_image;
  if (rows == 0) return;
  if (is_pointwise(s)) {
    gemm(out, OC, in, KKC, false, weight, OC, false, rows, OC, KKC, 1.0f, 0.0f);
  } else {
    const int images = block_images(s);
    ScratchView cols(scratch(kColsSlot, static_cast<size_t>(images) * per_image * KKC * sizeof(float)),
                     static_cast<size_t>(images) * per_image * KKC);
    for (int b0 = 0; b0 < s.batch; b0 += images) {
      const int n = std::min(images, s.batch - b0), block_rows = n * per_image;
      Program& p = program("im2col");
      use(p);
      bind_buffer(0, cols.storage.device_buffer);
      bind(1, in);
      set(p, "n", u(static_cast<size_t>(block_rows) * KKC));
      set(p, "in_offset", u(in.offset));
      set_conv_uniforms(*this, p, s, b0);
      dispatch_1d(static_cast<size_t>(block_rows) * KKC, 256);
      gemm(out.row_block(b0 * per_image, block_rows), OC, cols.at(0, block_rows, KKC), KKC, false, weight, OC,
           false, block_rows, OC, KKC, 1.0f, 0.0f);
    }
  }
  Program& p = program("add_channel_bias");
  use(p);
  bind(0, out);
  bind(1, bias);
  set(p, "n", u(out.size()));
  set(p, "positions", u(rows));
  set(p, "channels", u(OC));
  set(p, "x_offset", u(out.offset));
  set(p, "bias_offset", u(bias.offset));
  dispatch_1d(out.size(), 256);
}

namespace {
// out[g, c] (+)= Σ_{p < rows} in[g·rows + p, c] / divisor for g < groups (image.comp's channel_sum).
void channel_sum(GlBackend& be, const Tensor& out, const Tensor& in, int rows, int cols, int groups,
                 float divisor, bool accumulate) {
  Program& p = be.program("channel_sum");
  be.use(p);
  be.bind(0, out);
  be.bind(1, in);
  be.set(p, "rows", u(rows));
  be.set(p, "cols", u(cols));
  be.set(p, "in_offset", u(in.offset));
  be.set(p, "out_offset", u(out.offset));
  be.set(p, "accumulate", u(accumulate));
  be.set(p, "divisor", divisor);
  be.dispatch(u(cols), u(groups));
}
}  // namespace

namespace {
// d_weight [KKC, OC] (+)= Σ over `images` images of A_imageᵀ·g_image (A_image [P, KKC], g_image [P, OC]): one
// product per image in one dispatch, then the partials summed in image order (split-K: as one product, the
// sum over up to B·OH·OW = 100 k rows would run serially in each of only KKC·OC invocations).
void weight_gradient(GlBackend& be, const Tensor& d_weight, const Operand& a, const Operand& g, int images,
                     int positions, int KKC, int OC, bool accumulate) {
  const size_t slice = static_cast<size_t>(KKC) * OC;
  const GLuint partial = be.scratch(kPartialSlot, images * slice * sizeof(float));
  batched_gemm(be, Operand{partial, 0, slice, 0, OC, false}, a, true, g, false, KKC, OC, positions, 1, 0,
               images);
  Program& p = be.program("sum_slices");
  be.use(p);
  be.bind(0, d_weight);
  be.bind_buffer(1, partial);
  be.set(p, "n", u(slice));
  be.set(p, "slices", u(images));
  be.set(p, "out_offset", u(d_weight.offset));
  be.set(p, "accumulate", u(accumulate));
  be.dispatch_1d(slice, 256);
}
}  // namespace

// d_bias = column sums of d_out; d_weight = Σ_images colsᵀ·d_out; d_in = col2im(d_out·weightᵀ), by blocks.
void GlBackend::conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                                const Tensor& d_out, const Tensor& in, const Tensor& weight,
                                const ConvShape& s, bool accumulate_input) {
  const int KKC = s.kernel * s.kernel * s.in_channels, OC = s.out_channels, C = s.in_channels;
  const int per_image = s.out_height() * s.out_width(), rows = s.batch * per_image;
  const bool want_input = !d_in.empty();
  if (rows == 0) return;
  channel_sum(*this, d_bias, d_out, rows, OC, 1, 1.0f, false);
  if (is_pointwise(s)) {
    weight_gradient(*this, d_weight, global_operand(in, 0, static_cast<size_t>(per_image) * C, 0, C),
                    global_operand(d_out, 0, static_cast<size_t>(per_image) * OC, 0, OC), s.batch, per_image,
                    C, OC, false);
    if (want_input)
      gemm(d_in, C, d_out, OC, false, weight, OC, true, rows, C, OC, 1.0f, accumulate_input ? 1.0f : 0.0f);
    return;
  }
  const int images = block_images(s);
  const size_t cols_floats = static_cast<size_t>(images) * per_image * KKC;
  ScratchView cols(scratch(kColsSlot, cols_floats * sizeof(float)), cols_floats);
  ScratchView d_cols(want_input ? scratch(kDColsSlot, cols_floats * sizeof(float)) : 0, cols_floats);
  for (int b0 = 0; b0 < s.batch; b0 += images) {
    const int n = std::min(images, s.batch - b0), block_rows = n * per_image;
    const Tensor g = d_out.row_block(b0 * per_image, block_rows);
    Program& p = program("im2col");
    use(p);
    bind_buffer(0, cols.storage.device_buffer);
    bind(1, in);
    set(p, "n", u(static_cast<size_t>(block_rows) * KKC));
    set(p, "in_offset", u(in.offset));
    set_conv_uniforms(*this, p, s, b0);
    dispatch_1d(static_cast<size_t>(block_rows) * KKC, 256);
    weight_gradient(
        *this, d_weight,
        Operand{cols.storage.device_buffer, 0, static_cast<size_t>(per_image) * KKC, 0, KKC, false},
        global_operand(d_out, static_cast<size_t>(b0) * per_image * OC, static_cast<size_t>(per_image) * OC,
                       0, OC),
        n, per_image, KKC, OC, b0 > 0);
    if (!want_input) continue;
    gemm(d_cols.at(0, block_rows, KKC), KKC, g, OC, false, weight, OC, true, block_rows, KKC, OC, 1.0f, 0.0f);
    Program& q = program("col2im");
    use(q);
    bind(0, d_in);
    bind_buffer(1, d_cols.storage.device_buffer);
    const size_t count = static_cast<size_t>(n) * s.height * s.width * C;
    set(q, "n", u(count));
    set(q, "d_in_offset", u(d_in.offset));
    set(q, "accumulate", u(accumulate_input));
    set_conv_uniforms(*this, q, s, b0);
    dispatch_1d(count, 256);
  }
}

// ---- Upsampling, concatenation, channel bias, embedding, pooling (image.comp) ----

void GlBackend::upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height,
                                           int width) {
  const size_t count = static_cast<size_t>(batch) * 4 * height * width * in.cols;
  Program& p = program("upsample_nearest2x_forward");
  use(p);
  bind(0, out);
  bind(1, in);
  set(p, "n", u(count));
  set(p, "height", u(height));
  set(p, "width", u(width));
  set(p, "channels", u(in.cols));
  set(p, "in_offset", u(in.offset));
  set(p, "out_offset", u(out.offset));
  dispatch_1d(count, 256);
}

void GlBackend::upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                            int width) {
  const size_t count = static_cast<size_t>(batch) * height * width * d_in.cols;
  Program& p = program("upsample_nearest2x_backward");
  use(p);
  bind(0, d_in);
  bind(1, d_out);
  set(p, "n", u(count));
  set(p, "height", u(height));
  set(p, "width", u(width));
  set(p, "channels", u(d_in.cols));
  set(p, "d_in_offset", u(d_in.offset));
  set(p, "d_out_offset", u(d_out.offset));
  dispatch_1d(count, 256);
}

namespace {
// dst[:, dst_col + c] (+)= src[:, src_col + c] for c < count.
void copy_columns(GlBackend& be, const Tensor& dst, int dst_col, const Tensor& src, int src_col, int count,
                  bool accumulate) {
  if (count <= 0 || dst.rows == 0) return;
  const size_t n = static_cast<size_t>(dst.rows) * count;
  Program& p = be.program("copy_columns");
  be.use(p);
  be.bind(0, dst);
  be.bind(1, src);
  be.set(p, "n", u(n));
  be.set(p, "count", u(count));
  be.set(p, "dst_cols", u(dst.cols));
  be.set(p, "src_cols", u(src.cols));
  be.set(p, "dst_col", u(dst_col));
  be.set(p, "src_col", u(src_col));
  be.set(p, "dst_offset", u(dst.offset));
  be.set(p, "src_offset", u(src.offset));
  be.set(p, "accumulate", u(accumulate));
  be.dispatch_1d(n, 256);
}
}  // namespace

void GlBackend::concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) {
  const int ca = a.empty() ? 0 : a.cols;
  if (!a.empty()) copy_columns(*this, out, 0, a, 0, a.cols, false);
  if (!b.empty()) copy_columns(*this, out, ca, b, 0, b.cols, false);
}

void GlBackend::concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) {
  if (!d_a.empty()) copy_columns(*this, d_a, 0, d_out, 0, d_a.cols, true);
  if (!d_b.empty()) copy_columns(*this, d_b, 0, d_out, d_out.cols - d_b.cols, d_b.cols, true);
}

void GlBackend::add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) {
  if (x.empty()) return;
  Program& p = program("add_channel_bias");
  use(p);
  bind(0, x);
  bind(1, bias);
  set(p, "n", u(x.size()));
  set(p, "positions", u(x.rows / batch));
  set(p, "channels", u(x.cols));
  set(p, "x_offset", u(x.offset));
  set(p, "bias_offset", u(bias.offset));
  dispatch_1d(x.size(), 256);
}

void GlBackend::add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) {
  if (d_bias.empty()) return;
  channel_sum(*this, d_bias, d_x, d_x.rows / batch, d_x.cols, batch, 1.0f, false);
}

namespace {
// The ids, checked against the table's rows, uploaded to the ids scratch buffer.
GLuint upload_ids(GlBackend& be, const int* ids, int count, int table_rows) {
  for (int i = 0; i < count; ++i)
    if (ids[i] < 0 || ids[i] >= table_rows)
      throw std::out_of_range("embedding id " + std::to_string(ids[i]) + " outside the table's " +
                              std::to_string(table_rows) + " rows");
  const GLuint buffer = be.scratch(kIdsSlot, static_cast<size_t>(std::max(count, 1)) * sizeof(int));
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLsizeiptr>(count * sizeof(int)), ids);
  return buffer;
}
}  // namespace

void GlBackend::embedding_forward(const Tensor& out, const Tensor& table, const int* ids) {
  if (out.empty()) return;
  const GLuint buffer = upload_ids(*this, ids, out.rows, table.rows);
  Program& p = program("embedding_forward");
  use(p);
  bind(0, out);
  bind(1, table);
  bind_buffer(2, buffer);
  set(p, "n", u(out.size()));
  set(p, "cols", u(out.cols));
  set(p, "out_offset", u(out.offset));
  set(p, "table_offset", u(table.offset));
  dispatch_1d(out.size(), 256);
}

void GlBackend::embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) {
  if (d_out.empty() || d_table.empty()) return;
  const GLuint buffer = upload_ids(*this, ids, d_out.rows, d_table.rows);
  Program& p = program("embedding_backward");
  use(p);
  bind(0, d_table);
  bind(1, d_out);
  bind_buffer(2, buffer);
  set(p, "n", u(d_table.size()));
  set(p, "cols", u(d_table.cols));
  set(p, "count", u(d_out.rows));
  set(p, "d_table_offset", u(d_table.offset));
  set(p, "d_out_offset", u(d_out.offset));
  dispatch_1d(d_table.size(), 256);
}

void GlBackend::global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) {
  const int P = in.rows / batch;
  channel_sum(*this, out, in, P, in.cols, batch, static_cast<float>(P), false);
}

void GlBackend::global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) {
  if (d_in.empty()) return;
  Program& p = program("broadcast_rows");
  use(p);
  bind(0, d_in);
  bind(1, d_out);
  set(p, "n", u(d_in.size()));
  set(p, "positions", u(d_in.rows / batch));
  set(p, "channels", u(d_in.cols));
  set(p, "out_offset", u(d_in.offset));
  set(p, "src_offset", u(d_out.offset));
  set(p, "divisor", static_cast<float>(d_in.rows / batch));
  dispatch_1d(d_in.size(), 256);
}

// ---- Group norm (norm.comp) ----

void GlBackend::group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in,
                                   const Tensor& gamma, const Tensor& beta, int batch, int groups) {
  const int C = in.cols, P = in.rows / batch;
  if (C % groups != 0) throw std::invalid_argument("group_norm: channels must divide into groups");
  Program& p = program("group_norm_stats");
  use(p);
  bind(0, stats);
  bind(1, in);
  set(p, "positions", u(P));
  set(p, "channels", u(C));
  set(p, "groups", u(groups));
  set(p, "in_offset", u(in.offset));
  set(p, "stats_offset", u(stats.offset));
  dispatch(u(groups), u(batch));
  Program& q = program("group_norm_apply");
  use(q);
  bind(0, out);
  bind(1, in);
  bind(2, stats);
  bind(3, gamma);
  bind(4, beta);
  set(q, "n", u(in.size()));
  set(q, "positions", u(P));
  set(q, "channels", u(C));
  set(q, "groups", u(groups));
  set(q, "in_offset", u(in.offset));
  set(q, "out_offset", u(out.offset));
  set(q, "stats_offset", u(stats.offset));
  set(q, "gamma_offset", u(gamma.offset));
  set(q, "beta_offset", u(beta.offset));
  dispatch_1d(in.size(), 256);
}

// Per-channel sums of dy and dy·(x − μ) per image → d_gamma, d_beta and the coefficients of d_in = A·dy + B·x
// + D (the CPU backend's formulation).
void GlBackend::group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                                    const Tensor& d_out, const Tensor& in, const Tensor& stats,
                                    const Tensor& gamma, int batch, int groups) {
  const int C = in.cols, P = in.rows / batch;
  const size_t bc = static_cast<size_t>(batch) * C;
  const GLuint sums = scratch(kSumsSlot, 2 * bc * sizeof(float));
  Program& p = program("group_norm_channel_sums");
  use(p);
  bind_buffer(0, sums);
  bind(1, in);
  bind(2, d_out);
  bind(3, stats);
  set(p, "positions", u(P));
  set(p, "channels", u(C));
  set(p, "groups", u(groups));
  set(p, "in_offset", u(in.offset));
  set(p, "d_out_offset", u(d_out.offset));
  set(p, "stats_offset", u(stats.offset));
  dispatch(u(C), u(batch));

  Program& q = program("group_norm_param_grads");
  use(q);
  bind(0, d_gamma);
  bind(1, d_beta);
  bind_buffer(2, sums);
  bind(3, stats);
  set(q, "batch", u(batch));
  set(q, "channels", u(C));
  set(q, "groups", u(groups));
  set(q, "stats_offset", u(stats.offset));
  set(q, "d_gamma_offset", u(d_gamma.offset));
  set(q, "d_beta_offset", u(d_beta.offset));
  dispatch_1d(static_cast<size_t>(C), 64);

  if (d_in.empty()) return;
  const GLuint coeffs = scratch(kCoeffsSlot, 3 * bc * sizeof(float));
  Program& r = program("group_norm_coefficients");
  use(r);
  bind_buffer(0, coeffs);
  bind_buffer(1, sums);
  bind(2, stats);
  bind(3, gamma);
  set(r, "n", u(bc));
  set(r, "positions", u(P));
  set(r, "channels", u(C));
  set(r, "groups", u(groups));
  set(r, "stats_offset", u(stats.offset));
  set(r, "gamma_offset", u(gamma.offset));
  dispatch_1d(bc, 64);

  Program& a = program("group_norm_backward_apply");
  use(a);
  bind(0, d_in);
  bind(1, d_out);
  bind(2, in);
  bind_buffer(3, coeffs);
  set(a, "n", u(in.size()));
  set(a, "positions", u(P));
  set(a, "channels", u(C));
  set(a, "d_in_offset", u(d_in.offset));
  set(a, "d_out_offset", u(d_out.offset));
  set(a, "in_offset", u(in.offset));
  dispatch_1d(in.size(), 256);
}

// ---- Attention (attention.comp) ----

namespace {
void softmax_rows(GlBackend& be, const char* kernel, GLuint ds_buffer, const Tensor& probs,
                  size_t probs_offset, int rows, int cols, float scale) {
  Program& p = be.program(kernel);
  be.use(p);
  if (ds_buffer) {
    be.bind_buffer(0, ds_buffer);
    be.bind(1, probs);
  } else {
    be.bind(0, probs);
  }
  be.set(p, "rows", u(rows));
  be.set(p, "cols", u(cols));
  be.set(p, "probs_offset", u(probs_offset));
  be.set(p, "scale", scale);
  be.dispatch_1d(static_cast<size_t>(rows), 64);
}

}  // namespace

// scores = q·kᵀ for every (image, head) in one dispatch, the softmax of every row, out_head = probs·v.
void GlBackend::attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                                  int heads) {
  const int C = out.cols, P = out.rows / batch, d = C / heads, pairs = batch * heads;
  if (pairs == 0 || P == 0) return;
  if (pairs > 65535) throw std::invalid_argument("attention: more than 65535 (image, head) pairs");
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const size_t PP = static_cast<size_t>(P) * P, qkv_image = static_cast<size_t>(P) * 3 * C;
  const Operand q = global_operand(qkv, 0, qkv_image, d, 3 * C),
                k = global_operand(qkv, C, qkv_image, d, 3 * C),
                v = global_operand(qkv, 2 * static_cast<size_t>(C), qkv_image, d, 3 * C),
                pr = global_operand(probs, 0, heads * PP, PP, P),
                o = global_operand(out, 0, static_cast<size_t>(P) * C, d, C);
  batched_gemm(*this, pr, q, false, k, true, P, P, d, heads, 0, pairs);
  softmax_rows(*this, "attention_softmax", 0, probs, probs.offset, pairs * P, P, scale);
  batched_gemm(*this, o, pr, false, v, false, P, d, P, heads, 0, pairs);
}

// dv = probsᵀ·g, dprobs = g·vᵀ, ds = probs ⊙ (dprobs − rowsum(probs ⊙ dprobs))/√d, dq = ds·k, dk = dsᵀ·q,
// each one dispatch over the (image, head) pairs whose ds blocks fit a scratch block (all of them at the
// U-Net's shapes).
void GlBackend::attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv,
                                   const Tensor& probs, int batch, int heads) {
  const int C = d_out.cols, P = d_out.rows / batch, d = C / heads, pairs = batch * heads;
  if (pairs == 0 || P == 0) return;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const size_t PP = static_cast<size_t>(P) * P, qkv_image = static_cast<size_t>(P) * 3 * C;
  const int chunk = static_cast<int>(
      std::clamp<size_t>(block_floats() / std::max<size_t>(PP, 1), 1, std::min<size_t>(pairs, 65535)));
  const GLuint ds_buffer = scratch(kColsSlot, chunk * PP * sizeof(float));
  const Operand q = global_operand(qkv, 0, qkv_image, d, 3 * C),
                k = global_operand(qkv, C, qkv_image, d, 3 * C),
                v = global_operand(qkv, 2 * static_cast<size_t>(C), qkv_image, d, 3 * C),
                dq = global_operand(d_qkv, 0, qkv_image, d, 3 * C),
                dk = global_operand(d_qkv, C, qkv_image, d, 3 * C),
                dv = global_operand(d_qkv, 2 * static_cast<size_t>(C), qkv_image, d, 3 * C),
                pr = global_operand(probs, 0, heads * PP, PP, P),
                g = global_operand(d_out, 0, static_cast<size_t>(P) * C, d, C);
  const Operand ds{ds_buffer, 0, PP, 0, P, true};
  for (int j0 = 0; j0 < pairs; j0 += chunk) {
    const int n = std::min(chunk, pairs - j0);
    batched_gemm(*this, dv, pr, true, g, false, P, d, P, heads, j0, n);
    batched_gemm(*this, ds, g, false, v, true, P, P, d, heads, j0, n);
    softmax_rows(*this, "attention_softmax_backward", ds_buffer, probs,
                 probs.offset + static_cast<size_t>(j0) * PP, n * P, P, scale);
    batched_gemm(*this, dq, ds, false, k, false, P, d, P, heads, j0, n);
    batched_gemm(*this, dk, ds, true, q, false, P, d, P, heads, j0, n);
  }
}

}  // namespace difflab::glb
