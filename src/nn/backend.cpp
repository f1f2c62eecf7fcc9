// backend.cpp — the default image, training and sampling ops of Backend: they say the backend lacks them.
// Not an implementation: the CPU, reference and GL backends override every one.
#include <stdexcept>

#include "nn/backend.h"

namespace difflab {
namespace {
[[noreturn]] void missing(const Backend& b, const char* op) {
  throw std::logic_error("the " + b.name() + " backend has no " + op);
}
}  // namespace

void Backend::conv2d_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const ConvShape&) {
  missing(*this, "conv2d_forward");
}
void Backend::conv2d_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                              const Tensor&, const ConvShape&, bool) {
  missing(*this, "conv2d_backward");
}
void Backend::upsample_nearest2x_forward(const Tensor&, const Tensor&, int, int, int) {
  missing(*this, "upsample_nearest2x_forward");
}
void Backend::upsample_nearest2x_backward(const Tensor&, const Tensor&, int, int, int) {
  missing(*this, "upsample_nearest2x_backward");
}
void Backend::group_norm_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                 int, int) {
  missing(*this, "group_norm_forward");
}
void Backend::group_norm_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                  const Tensor&, const Tensor&, int, int) {
  missing(*this, "group_norm_backward");
}
void Backend::concat_channels_forward(const Tensor&, const Tensor&, const Tensor&) {
  missing(*this, "concat_channels_forward");
}
void Backend::concat_channels_backward(const Tensor&, const Tensor&, const Tensor&) {
  missing(*this, "concat_channels_backward");
}
void Backend::attention_forward(const Tensor&, const Tensor&, const Tensor&, int, int) {
  missing(*this, "attention_forward");
}
void Backend::attention_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, int, int) {
  missing(*this, "attention_backward");
}
void Backend::add_channel_bias_forward(const Tensor&, const Tensor&, int) {
  missing(*this, "add_channel_bias_forward");
}
void Backend::add_channel_bias_backward(const Tensor&, const Tensor&, int) {
  missing(*this, "add_channel_bias_backward");
}
void Backend::embedding_forward(const Tensor&, const Tensor&, const int*) {
  missing(*this, "embedding_forward");
}
void Backend::embedding_backward(const Tensor&, const Tensor&, const int*) {
  missing(*this, "embedding_backward");
}
void Backend::global_avg_pool_forward(const Tensor&, const Tensor&, int) {
  missing(*this, "global_avg_pool_forward");
}
void Backend::global_avg_pool_backward(const Tensor&, const Tensor&, int) {
  missing(*this, "global_avg_pool_backward");
}
void Backend::scale_channels_forward(const Tensor&, const Tensor&, const Tensor&, int) {
  missing(*this, "scale_channels_forward");
}
void Backend::scale_channels_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                      const Tensor&, int) {
  missing(*this, "scale_channels_backward");
}
void Backend::patchify(const Tensor&, const Tensor&, int, int, int, int) {
  missing(*this, "patchify");
}
void Backend::unpatchify(const Tensor&, const Tensor&, int, int, int, int) {
  missing(*this, "unpatchify");
}
void Backend::random_normal(const Tensor&, uint64_t, uint64_t) {
  missing(*this, "random_normal");
}
void Backend::row_combine(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&) {
  missing(*this, "row_combine");
}
void Backend::combine(const Tensor&, float, const Tensor&, float, const Tensor&, float, const Tensor&) {
  missing(*this, "combine");
}
double Backend::mse_loss(const Tensor&, const Tensor&, const Tensor&) {
  missing(*this, "mse_loss");
}

}  // namespace difflab
