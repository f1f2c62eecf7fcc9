// token_ops.cpp — the DiT's token ops on the CPU: Eigen array products per image and whole-channel-vector
// copies for the patch permutations. Not threaded: they move each float once, far less work than the GEMMs
// around them.
#include "nn/cpu/token_ops.h"

#include <cstring>

#include <Eigen/Core>

namespace difflab::cpu {
namespace {

using ArrayRows = Eigen::Map<Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using RowArrayMap = Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>>;

// copy(pixel pointer, token pointer) for each run of p·C contiguous floats: one patch row (dy) of a token.
template <typename F>
void for_each_patch_row(int batch, int height, int width, int patch, int channels, F&& copy) {
  const int th = height / patch, tw = width / patch;
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < th; ++i)
      for (int j = 0; j < tw; ++j)
        for (int dy = 0; dy < patch; ++dy) {
          const size_t pixel = (static_cast<size_t>(b) * height + i * patch + dy) * width + j * patch;
          const size_t token = (static_cast<size_t>(b) * th + i) * tw + j;
          copy(pixel * channels, (token * patch + dy) * patch * channels);
        }
}

}  // namespace

void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) {
  const int P = in.rows / batch, C = in.cols;
  for (int b = 0; b < batch; ++b)
    ArrayRows(out.host() + static_cast<size_t>(b) * P * C, P, C) =
        ArrayRows(in.host() + static_cast<size_t>(b) * P * C, P, C).rowwise() *
        RowArrayMap(scale.host() + static_cast<size_t>(b) * C, C);
}

void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out, const Tensor& in,
                             const Tensor& scale, int batch) {
  const int P = d_out.rows / batch, C = d_out.cols;
  for (int b = 0; b < batch; ++b) {
    const size_t at = static_cast<size_t>(b) * P * C;
    const ArrayRows g(d_out.host() + at, P, C);
    if (!d_in.empty())
      ArrayRows(d_in.host() + at, P, C) =
          g.rowwise() * RowArrayMap(scale.host() + static_cast<size_t>(b) * C, C);
    if (!d_scale.empty())
      RowArrayMap(d_scale.host() + static_cast<size_t>(b) * C, C) =
          (g * ArrayRows(in.host() + at, P, C)).colwise().sum();
  }
}

void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) {
  const size_t run = static_cast<size_t>(patch) * in.cols * sizeof(float);
  for_each_patch_row(batch, height, width, patch, in.cols, [&](size_t pixel_at, size_t token_at) {
    std::memcpy(out.host() + token_at, in.host() + pixel_at, run);
  });
}

void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) {
  const size_t run = static_cast<size_t>(patch) * out.cols * sizeof(float);
  for_each_patch_row(batch, height, width, patch, out.cols, [&](size_t pixel_at, size_t token_at) {
    std::memcpy(out.host() + pixel_at, in.host() + token_at, run);
  });
}

}  // namespace difflab::cpu
