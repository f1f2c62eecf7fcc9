// token_ops.h — the CPU implementations of Backend's token ops (per-image channel scale, patchify,
// unpatchify) as free functions. Not a public API: cpu_backend.cpp forwards to these; models call Backend.
#pragma once

#include "nn/backend.h"

namespace difflab::cpu {

void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch);
void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out, const Tensor& in,
                             const Tensor& scale, int batch);
void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);
void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);

}  // namespace difflab::cpu
