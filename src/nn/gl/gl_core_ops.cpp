// gl_core_ops.cpp — the GL backend's dense ops: GEMM (linear layers), activations, AdamW, EMA, reductions.
// Not image ops (gl_image_ops.cpp) and not training/sampling updates (gl_train_ops.cpp).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {

GLuint u(size_t v) {
  return static_cast<GLuint>(v);
}

GLuint activation_code(Activation a) {  // the `act` uniform of elementwise.comp
  switch (a) {
    case Activation::Gelu:
      return 0;
    case Activation::Relu:
      return 1;
    case Activation::Silu:
      return 2;
  }
  throw std::logic_error("gl backend: unknown activation");
}

// Scratch slots of this file (gl_backend_impl.h: slots 0…7 are shared by the op files; each op uses its own).
constexpr int kFrequencySlot = 0;
constexpr int kPartialSlot = 1;
// Work groups of sum_squares_partial: enough to fill a GPU, few enough that the host adds them at once.
constexpr size_t kMaxPartials = 1024;

}  // namespace

void GlBackend::axpy(const Tensor& y, float alpha, const Tensor& x) {
  Program& p = program("axpy");
  use(p);
  bind(0, y);
  bind(1, x);
  set(p, "n", u(y.size()));
  set(p, "y_offset", u(y.offset));
  set(p, "x_offset", u(x.offset));
  set(p, "alpha", alpha);
  dispatch_1d(y.size(), 256);
}

namespace {
void gemm_uniforms(GlBackend& gl, Program& p, int ldc, int lda, bool trans_a, int ldb, bool trans_b, int m,
                   int n, int k, float alpha, float beta, const Tensor& a, const Tensor& b, const Tensor& c) {
  gl.set(p, "m", u(m));
  gl.set(p, "n", u(n));
  gl.set(p, "k", u(k));
  gl.set(p, "lda", u(lda));
  gl.set(p, "ldb", u(ldb));
  gl.set(p, "ldc", u(ldc));
  gl.set(p, "a_offset", u(a.offset));
  gl.set(p, "b_offset", u(b.offset));
  gl.set(p, "c_offset", u(c.offset));
  gl.set(p, "trans_a", u(trans_a));
  gl.set(p, "trans_b", u(trans_b));
  gl.set(p, "alpha", alpha);
  gl.set(p, "beta", beta);
}
}  // namespace

void GlBackend::gemm(const Tensor& c, int ldc, const Tensor& a, int lda, bool trans_a, const Tensor& b,
                     int ldb, bool trans_b, int m, int n, int k, float alpha, float beta) {
  if (m <= 0 || n <= 0) return;
  Program& p = program("gemm_tiled");
  use(p);
  bind(0, c);
  bind(1, a);
  bind(2, b);
  gemm_uniforms(*this, p, ldc, lda, trans_a, ldb, trans_b, m, n, std::max(k, 0), alpha, beta, a, b, c);
  dispatch(u((n + 63) / 64), u((m + 63) / 64));
}

void GlBackend::gemm_naive(const Tensor& c, int ldc, const Tensor& a, int lda, bool trans_a, const Tensor& b,
                           int ldb, bool trans_b, int m, int n, int k, float alpha, float beta) {
  if (m <= 0 || n <= 0) return;
  Program& p = program("gemm_naive");
  use(p);
  bind(0, c);
  bind(1, a);
  bind(2, b);
  gemm_uniforms(*this, p, ldc, lda, trans_a, ldb, trans_b, m, n, std::max(k, 0), alpha, beta, a, b, c);
  dispatch(u((n + 15) / 16), u((m + 15) / 16));
}

void GlBackend::sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                                     float scale) {
  const int half = size / 2;
  if (half <= 0 || out.rows == 0) return;
  // The frequencies exactly as the CPU backend rounds them (float log and exp on the host).
  std::vector<float> frequencies(static_cast<size_t>(half));
  const float step = half > 1 ? std::log(10000.0f) / static_cast<float>(half - 1) : 0.0f;
  for (int k = 0; k < half; ++k)
    frequencies[static_cast<size_t>(k)] = std::exp(-step * static_cast<float>(k));
  const GLuint table = scratch(kFrequencySlot, frequencies.size() * sizeof(float));
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, table);
  glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLsizeiptr>(frequencies.size() * sizeof(float)),
                  frequencies.data());
  Program& p = program("sinusoidal_embedding");
  use(p);
  bind(0, out);
  bind(1, in);
  bind_buffer(2, table);
  set(p, "rows", u(out.rows));
  set(p, "half_size", u(half));
  set(p, "out_offset", u(out.offset));
  set(p, "out_cols", u(out.cols));
  set(p, "out_col", u(out_col));
  set(p, "in_offset", u(in.offset));
  set(p, "in_cols", u(in.cols));
  set(p, "in_col", u(in_col));
  set(p, "scale", scale);
  dispatch_1d(static_cast<size_t>(out.rows) * half, 256);
}

void GlBackend::linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight,
                               const Tensor& bias) {
  gemm(out, out.cols, in, in.cols, false, weight, weight.cols, false, out.rows, out.cols, in.cols, 1.0f,
       0.0f);
  Program& p = program("add_row_bias");
  use(p);
  bind(0, out);
  bind(1, bias);
  set(p, "n", u(out.size()));
  set(p, "cols", u(out.cols));
  set(p, "out_offset", u(out.offset));
  set(p, "bias_offset", u(bias.offset));
  dispatch_1d(out.size(), 256);
}

void GlBackend::linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                                const Tensor& d_out, const Tensor& in, const Tensor& weight, bool accumulate,
                                bool accumulate_input) {
  // d_weight [C, OC] = inᵀ [C, B] · d_out [B, OC]
  gemm(d_weight, d_weight.cols, in, in.cols, true, d_out, d_out.cols, false, in.cols, d_out.cols, d_out.rows,
       1.0f, accumulate ? 1.0f : 0.0f);
  // d_bias [1, OC] = Σ_rows d_out
  Program& p = program("column_sum");
  use(p);
  bind(0, d_bias);
  bind(1, d_out);
  set(p, "rows", u(d_out.rows));
  set(p, "cols", u(d_out.cols));
  set(p, "out_offset", u(d_bias.offset));
  set(p, "in_offset", u(d_out.offset));
  set(p, "accumulate", u(accumulate));
  dispatch(u((d_out.cols + 15) / 16));
  if (d_in.empty()) return;
  // d_in [B, C] = d_out [B, OC] · weightᵀ (weight stored [C, OC] = op(B) stored [N, K])
  gemm(d_in, d_in.cols, d_out, d_out.cols, false, weight, weight.cols, true, d_out.rows, weight.rows,
       d_out.cols, 1.0f, accumulate_input ? 1.0f : 0.0f);
}

void GlBackend::activation_forward(Activation a, const Tensor& out, const Tensor& in) {
  Program& p = program("activation_forward");
  use(p);
  bind(0, out);
  bind(1, in);
  set(p, "n", u(out.size()));
  set(p, "out_offset", u(out.offset));
  set(p, "in_offset", u(in.offset));
  set(p, "act", activation_code(a));
  dispatch_1d(out.size(), 256);
}

void GlBackend::activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out, const Tensor& in) {
  Program& p = program("activation_backward");
  use(p);
  bind(0, d_in);
  bind(1, d_out);
  bind(2, in);
  set(p, "n", u(in.size()));
  set(p, "d_in_offset", u(d_in.offset));
  set(p, "d_out_offset", u(d_out.offset));
  set(p, "in_offset", u(in.offset));
  set(p, "act", activation_code(a));
  dispatch_1d(in.size(), 256);
}

void GlBackend::scale(const Tensor& x, float factor) {
  Program& p = program("scale");
  use(p);
  bind(0, x);
  set(p, "n", u(x.size()));
  set(p, "x_offset", u(x.offset));
  set(p, "factor", factor);
  dispatch_1d(x.size(), 256);
}

double GlBackend::sum_squares(const Tensor& x) {
  const size_t n = x.size();
  if (n == 0) return 0.0;
  const size_t groups = std::min(kMaxPartials, (n + 255) / 256);
  const GLuint partials = scratch(kPartialSlot, groups * sizeof(float));
  Program& p = program("sum_squares_partial");
  use(p);
  bind_buffer(0, partials);
  bind(1, x);
  set(p, "n", u(n));
  set(p, "x_offset", u(x.offset));
  dispatch(u(groups));
  std::vector<float> host(groups);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, partials);
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLsizeiptr>(groups * sizeof(float)),
                     host.data());
  double total = 0.0;
  for (float v : host) total += v;
  return total;
}

void GlBackend::adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                           const AdamWConfig& c, int step) {
  // The same float expressions as the CPU backend (cpu_backend.cpp), formed once here.
  const float correction1 = 1.0f - std::pow(c.beta1, static_cast<float>(step));
  const float correction2 = 1.0f - std::pow(c.beta2, static_cast<float>(step));
  Program& p = program("adamw_step");
  use(p);
  bind(0, params);
  bind(1, grads);
  bind(2, m);
  bind(3, v);
  set(p, "n", u(params.size()));
  set(p, "p_offset", u(params.offset));
  set(p, "g_offset", u(grads.offset));
  set(p, "m_offset", u(m.offset));
  set(p, "v_offset", u(v.offset));
  set(p, "beta1", c.beta1);
  set(p, "one_minus_beta1", 1.0f - c.beta1);
  set(p, "beta2", c.beta2);
  set(p, "one_minus_beta2", 1.0f - c.beta2);
  set(p, "decay_factor", 1.0f - c.lr * c.weight_decay);
  set(p, "step_size", c.lr / correction1);
  set(p, "correction2", correction2);
  set(p, "eps", c.eps);
  dispatch_1d(params.size(), 256);
}

void GlBackend::ema_update(const Tensor& ema, const Tensor& params, float decay) {
  Program& p = program("ema_update");
  use(p);
  bind(0, ema);
  bind(1, params);
  set(p, "n", u(ema.size()));
  set(p, "e_offset", u(ema.offset));
  set(p, "p_offset", u(params.offset));
  set(p, "decay", decay);
  set(p, "one_minus_decay", 1.0f - decay);
  dispatch_1d(ema.size(), 256);
}

}  // namespace difflab::glb
