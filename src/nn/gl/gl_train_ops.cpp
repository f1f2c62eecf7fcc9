// gl_train_ops.cpp — the GL backend's training and sampling ops: Philox noise, q_sample, sampler updates,
// MSE. Not model layers (gl_core_ops.cpp, gl_image_ops.cpp).
#include <stdexcept>
#include <string>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {
[[noreturn]] void missing(const char* op) {
  throw std::logic_error(std::string("the gl backend has no ") + op + " yet");
}
}  // namespace

void GlBackend::random_normal(const Tensor&, uint64_t, uint64_t) {
  missing("random_normal");
}

void GlBackend::row_combine(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&) {
  missing("row_combine");
}

void GlBackend::combine(const Tensor&, float, const Tensor&, float, const Tensor&, float, const Tensor&) {
  missing("combine");
}

double GlBackend::mse_loss(const Tensor&, const Tensor&, const Tensor&) {
  missing("mse_loss");
}

}  // namespace difflab::glb
