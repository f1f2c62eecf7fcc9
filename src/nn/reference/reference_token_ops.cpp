// reference_token_ops.cpp — the reference backend's token ops: each the loop of its definition in
// nn/backend.h, one thread, float accumulators. Not fast: the ground truth for the CPU and GL backends.
#include "nn/reference/reference_token_ops.h"

namespace difflab::reference {
namespace {

inline float& at(const Tensor& t, size_t r, int c) {
  return t.storage->host[t.offset + r * t.cols + c];
}

// Visits every (pixel row, token row, token column) of a patchify: f(pixel, channel, token, column).
template <typename F>
void for_each_patch_element(int batch, int height, int width, int patch, int channels, F&& f) {
  const int th = height / patch, tw = width / patch;
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < th; ++i)
      for (int j = 0; j < tw; ++j)
        for (int dy = 0; dy < patch; ++dy)
          for (int dx = 0; dx < patch; ++dx)
            for (int c = 0; c < channels; ++c) {
              const size_t pixel =
                  (static_cast<size_t>(b) * height + i * patch + dy) * width + j * patch + dx;
              const size_t token = (static_cast<size_t>(b) * th + i) * tw + j;
              f(pixel, c, token, (dy * patch + dx) * channels + c);
            }
}

}  // namespace

// out(b·P + p, c) = in(b·P + p, c)·scale(b, c).
void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) {
  const int P = in.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int p = 0; p < P; ++p)
      for (int c = 0; c < in.cols; ++c) {
        const size_t r = static_cast<size_t>(b) * P + p;
        at(out, r, c) = at(in, r, c) * at(scale, b, c);
      }
}

// d_in(b·P + p, c) = d_out(b·P + p, c)·scale(b, c); d_scale(b, c) = Σ_p d_out(b·P + p, c)·in(b·P + p, c).
void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out, const Tensor& in,
                             const Tensor& scale, int batch) {
  const int P = d_out.rows / batch;
  for (int b = 0; b < batch; ++b)
    for (int c = 0; c < d_out.cols; ++c) {
      float sum = 0.0f;
      for (int p = 0; p < P; ++p) {
        const size_t r = static_cast<size_t>(b) * P + p;
        if (!d_in.empty()) at(d_in, r, c) = at(d_out, r, c) * at(scale, b, c);
        if (!d_scale.empty()) sum += at(d_out, r, c) * at(in, r, c);
      }
      if (!d_scale.empty()) at(d_scale, b, c) = sum;
    }
}

void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) {
  for_each_patch_element(
      batch, height, width, patch, in.cols,
      [&](size_t pixel, int c, size_t token, int col) { at(out, token, col) = at(in, pixel, c); });
}

void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) {
  for_each_patch_element(
      batch, height, width, patch, out.cols,
      [&](size_t pixel, int c, size_t token, int col) { at(out, pixel, c) = at(in, token, col); });
}

}  // namespace difflab::reference
