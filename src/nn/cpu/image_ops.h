// image_ops.h — the CPU implementations of Backend's NHWC image ops, as free functions over a worker set.
// Not a public API: cpu_backend.cpp forwards to these; models call Backend.
#pragma once

#include <vector>

#include "core/thread_pool.h"
#include "nn/backend.h"

namespace difflab::cpu {

// The threads an op may use and per-thread scratch that grows once and is then reused (no per-step
// allocation).
struct Workers {
  ThreadPool* pool = nullptr;
  int threads = 1;
  std::vector<std::vector<float, AlignedAllocator<float>>> scratch;  // [part · kSlots + slot]
  std::vector<float, AlignedAllocator<float>> shared;  // read by every part, written before they start
  static constexpr int kSlots = 4;
  float* buffer(int part, int slot, size_t floats);
  float* shared_buffer(size_t floats);
};

void conv2d_forward(Workers& w, const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                    const ConvShape& s);
void conv2d_backward(Workers& w, const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias,
                     const Tensor& d_out, const Tensor& in, const Tensor& weight, const ConvShape& s,
                     bool accumulate_input);
void upsample_nearest2x_forward(Workers& w, const Tensor& out, const Tensor& in, int batch, int height,
                                int width);
void upsample_nearest2x_backward(Workers& w, const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                 int width);
void group_norm_forward(Workers& w, const Tensor& out, const Tensor& stats, const Tensor& in,
                        const Tensor& gamma, const Tensor& beta, int batch, int groups);
void group_norm_backward(Workers& w, const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                         const Tensor& d_out, const Tensor& in, const Tensor& stats, const Tensor& gamma,
                         int batch, int groups);
void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b);
void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out);
void attention_forward(Workers& w, const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                       int heads);
void attention_backward(Workers& w, const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv,
                        const Tensor& probs, int batch, int heads);
void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch);
void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch);
void embedding_forward(const Tensor& out, const Tensor& table, const int* ids);
void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids);
void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch);
void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch);

}  // namespace difflab::cpu
