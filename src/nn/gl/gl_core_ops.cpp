// gl_core_ops.cpp — the GL backend's dense ops: GEMM (linear layers), activations, AdamW, EMA, reductions.
// Not image ops (gl_image_ops.cpp) and not training/sampling updates (gl_train_ops.cpp).
#include <stdexcept>
#include <string>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {
[[noreturn]] void missing(const char* op) {
  throw std::logic_error(std::string("the gl backend has no ") + op + " yet");
}
}  // namespace

void GlBackend::axpy(const Tensor& y, float alpha, const Tensor& x) {
  Program& p = program("axpy");
  use(p);
  bind(0, y);
  bind(1, x);
  set(p, "n", static_cast<GLuint>(y.size()));
  set(p, "y_offset", static_cast<GLuint>(y.offset));
  set(p, "x_offset", static_cast<GLuint>(x.offset));
  set(p, "alpha", alpha);
  dispatch_1d(y.size(), 256);
}

void GlBackend::gemm(const Tensor& c, int ldc, const Tensor& a, int lda, bool trans_a, const Tensor& b,
                     int ldb, bool trans_b, int m, int n, int k, float alpha, float beta) {
  Program& p = program("gemm_naive");
  use(p);
  bind(0, c);
  bind(1, a);
  bind(2, b);
  const auto u = [](auto v) { return static_cast<GLuint>(v); };
  set(p, "m", u(m));
  set(p, "n", u(n));
  set(p, "k", u(k));
  set(p, "lda", u(lda));
  set(p, "ldb", u(ldb));
  set(p, "ldc", u(ldc));
  set(p, "a_offset", u(a.offset));
  set(p, "b_offset", u(b.offset));
  set(p, "c_offset", u(c.offset));
  set(p, "trans_a", u(trans_a));
  set(p, "trans_b", u(trans_b));
  set(p, "alpha", alpha);
  set(p, "beta", beta);
  dispatch(u((n + 15) / 16), u((m + 15) / 16));
}

void GlBackend::sinusoidal_embedding(const Tensor&, int, const Tensor&, int, int, float) {
  missing("sinusoidal_embedding");
}

void GlBackend::linear_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&) {
  missing("linear_forward");
}

void GlBackend::linear_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                const Tensor&, bool, bool) {
  missing("linear_backward");
}

void GlBackend::activation_forward(Activation, const Tensor&, const Tensor&) {
  missing("activation_forward");
}

void GlBackend::activation_backward(Activation, const Tensor&, const Tensor&, const Tensor&) {
  missing("activation_backward");
}

void GlBackend::scale(const Tensor&, float) {
  missing("scale");
}

double GlBackend::sum_squares(const Tensor&) {
  missing("sum_squares");
}

void GlBackend::adamw_step(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const AdamWConfig&,
                           int) {
  missing("adamw_step");
}

void GlBackend::ema_update(const Tensor&, const Tensor&, float) {
  missing("ema_update");
}

}  // namespace difflab::glb
