// gl_image_ops.cpp — the GL backend's image ops (NHWC): convolution, upsampling, group norm, attention, ….
// Not dense layers (gl_core_ops.cpp).
#include <stdexcept>
#include <string>

#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {
[[noreturn]] void missing(const char* op) {
  throw std::logic_error(std::string("the gl backend has no ") + op + " yet");
}
}  // namespace

void GlBackend::conv2d_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const ConvShape&) {
  missing("conv2d_forward");
}

void GlBackend::conv2d_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                const Tensor&, const ConvShape&, bool) {
  missing("conv2d_backward");
}

void GlBackend::upsample_nearest2x_forward(const Tensor&, const Tensor&, int, int, int) {
  missing("upsample_nearest2x_forward");
}

void GlBackend::upsample_nearest2x_backward(const Tensor&, const Tensor&, int, int, int) {
  missing("upsample_nearest2x_backward");
}

void GlBackend::group_norm_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                   int, int) {
  missing("group_norm_forward");
}

void GlBackend::group_norm_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                    const Tensor&, const Tensor&, int, int) {
  missing("group_norm_backward");
}

void GlBackend::concat_channels_forward(const Tensor&, const Tensor&, const Tensor&) {
  missing("concat_channels_forward");
}

void GlBackend::concat_channels_backward(const Tensor&, const Tensor&, const Tensor&) {
  missing("concat_channels_backward");
}

void GlBackend::attention_forward(const Tensor&, const Tensor&, const Tensor&, int, int) {
  missing("attention_forward");
}

void GlBackend::attention_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, int, int) {
  missing("attention_backward");
}

void GlBackend::add_channel_bias_forward(const Tensor&, const Tensor&, int) {
  missing("add_channel_bias_forward");
}

void GlBackend::add_channel_bias_backward(const Tensor&, const Tensor&, int) {
  missing("add_channel_bias_backward");
}

void GlBackend::embedding_forward(const Tensor&, const Tensor&, const int*) {
  missing("embedding_forward");
}

void GlBackend::embedding_backward(const Tensor&, const Tensor&, const int*) {
  missing("embedding_backward");
}

void GlBackend::global_avg_pool_forward(const Tensor&, const Tensor&, int) {
  missing("global_avg_pool_forward");
}

void GlBackend::global_avg_pool_backward(const Tensor&, const Tensor&, int) {
  missing("global_avg_pool_backward");
}

}  // namespace difflab::glb
