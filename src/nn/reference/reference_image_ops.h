// reference_image_ops.h — the reference backend's NHWC image ops as free functions (plain loops, one thread).
// Not a public API: reference_backend.cpp forwards to these; models call Backend.
#pragma once

#include "nn/backend.h"

namespace difflab::reference {

void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                    const ConvShape& s);
void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                     const Tensor& in, const Tensor& weight, const ConvShape& s, bool accumulate_input);
void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height, int width);
void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height, int width);
void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in, const Tensor& gamma,
                        const Tensor& beta, int batch, int groups);
void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta, const Tensor& d_out,
                         const Tensor& in, const Tensor& stats, const Tensor& gamma, int batch, int groups);
void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b);
void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out);
void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch, int heads);
void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv, const Tensor& probs,
                        int batch, int heads);
void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch);
void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch);
void embedding_forward(const Tensor& out, const Tensor& table, const int* ids);
void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids);
void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch);
void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch);

}  // namespace difflab::reference
