// reference_token_ops.h — the reference backend's token ops (per-image channel scale, patchify, unpatchify)
// as plain loops. Not a public API: reference_backend.cpp forwards to these; models call Backend.
#pragma once

#include "nn/backend.h"

namespace difflab::reference {

void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch);
void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out, const Tensor& in,
                             const Tensor& scale, int batch);
void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);
void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch);

}  // namespace difflab::reference
