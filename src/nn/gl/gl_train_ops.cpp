// gl_train_ops.cpp — the GL backend's training and sampling ops: Philox noise (shaders/rng.comp), q_sample
// and sampler updates (shaders/sampler.comp), MSE (shaders/loss.comp). Not model layers (gl_core_ops.cpp).
#include <algorithm>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {
GLuint u32(size_t v) {
  return static_cast<GLuint>(v);
}
}  // namespace

void GlBackend::random_normal(const Tensor& out, uint64_t seed, uint64_t counter) {
  if (out.empty()) return;
  Program& p = program("random_normal");
  use(p);
  bind(0, out);
  const uint64_t first_pair = counter / 2;
  const size_t odd = counter % 2;
  const size_t pairs = (odd + out.size() + 1) / 2;
  set(p, "n", u32(out.size()));
  set(p, "out_offset", u32(out.offset));
  set(p, "pairs", u32(pairs));
  set(p, "first_pair_lo", static_cast<GLuint>(first_pair & 0xffffffffu));
  set(p, "first_pair_hi", static_cast<GLuint>(first_pair >> 32));
  set(p, "odd", u32(odd));
  set(p, "key_lo", static_cast<GLuint>(seed & 0xffffffffu));
  set(p, "key_hi", static_cast<GLuint>(seed >> 32));
  dispatch_1d(pairs, 256);
}

void GlBackend::row_combine(const Tensor& out, const Tensor& a, const Tensor& x, const Tensor& b,
                            const Tensor& y) {
  if (out.empty()) return;
  Program& p = program("row_combine");
  use(p);
  bind(0, out);
  bind(1, a);
  bind(2, x);
  bind(3, b);
  bind(4, y);
  set(p, "n", u32(out.size()));
  set(p, "cols", u32(out.cols));
  set(p, "out_offset", u32(out.offset));
  set(p, "a_offset", u32(a.offset));
  set(p, "x_offset", u32(x.offset));
  set(p, "b_offset", u32(b.offset));
  set(p, "y_offset", u32(y.offset));
  dispatch_1d(out.size(), 256);
}

void GlBackend::combine(const Tensor& out, float a, const Tensor& x, float b, const Tensor& y, float c,
                        const Tensor& z) {
  if (out.empty()) return;
  const bool with_z = !z.empty();
  Program& p = program("combine");
  use(p);
  bind(0, out);
  bind(1, x);
  bind(2, y);
  bind(3, with_z ? z : x);  // a valid buffer at every binding; has_z = 0 never reads it
  set(p, "n", u32(out.size()));
  set(p, "out_offset", u32(out.offset));
  set(p, "x_offset", u32(x.offset));
  set(p, "y_offset", u32(y.offset));
  set(p, "z_offset", u32(with_z ? z.offset : 0));
  set(p, "has_z", u32(with_z));
  set(p, "a", a);
  set(p, "b", b);
  set(p, "c", c);
  dispatch_1d(out.size(), 256);
}

double GlBackend::mse_loss(const Tensor& d_pred, const Tensor& pred, const Tensor& target) {
  const size_t size = pred.size();
  if (size == 0) return 0.0;
  // Work groups of 256, each invocation summing at least 16 elements (a group's shared-memory tree costs far
  // more than its loads on llvmpipe), at most 1024 groups: the partials then fit one work group's loop.
  constexpr size_t kLocal = 256, kPerInvocation = 16, kMaxGroups = 1024;
  const size_t groups = std::clamp<size_t>(size / (kLocal * kPerInvocation), 1, kMaxGroups);
  const GLuint partials = scratch(0, groups * sizeof(float));
  const GLuint total = scratch(1, sizeof(float));

  Program& partial = program("mse_partial");
  use(partial);
  bind(0, d_pred);
  bind(1, pred);
  bind(2, target);
  bind_buffer(3, partials);
  set(partial, "n", u32(size));
  set(partial, "d_offset", u32(d_pred.offset));
  set(partial, "pred_offset", u32(pred.offset));
  set(partial, "target_offset", u32(target.offset));
  set(partial, "scale", 2.0f / static_cast<float>(size));
  dispatch(u32(groups));

  Program& sum = program("mse_sum_partials");
  use(sum);
  bind_buffer(0, partials);
  bind_buffer(1, total);
  set(sum, "count", u32(groups));
  dispatch(1);

  float sum_squares = 0.0f;
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, total);
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, sizeof(float), &sum_squares);
  return static_cast<double>(sum_squares) / static_cast<double>(size);
}

}  // namespace difflab::glb
