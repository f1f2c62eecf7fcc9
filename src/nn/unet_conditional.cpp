// unet_conditional.cpp — the class-conditional U-Net denoiser and its batched conditional + null passes.
// Not the guidance math of exact mixtures (core/guidance.h) nor the samplers (sample/).
#include "nn/unet_conditional.h"

#include <algorithm>

namespace difflab {

void UNetConditionalDenoiser::forward(const float* x, int rows, int t, const int* labels, float* out) {
  if (params_.empty())
    model_.use_own_params();
  else
    model_.set_params_view(params_);
  times_.assign(rows, static_cast<float>(t));
  model_.forward(x, times_.data(), labels, rows, out);
  model_.use_own_params();
  ++forward_calls_;
  forward_rows_ += rows;
}

void UNetConditionalDenoiser::predict_eps_labels(const float* xt, int n, int t, const int* labels,
                                                 float* eps) {
  const size_t D = dim();
  for (int first = 0; first < n; first += max_batch_) {
    const int count = std::min(max_batch_, n - first);
    forward(xt + first * D, count, t, labels + first, eps + first * D);
  }
}

void UNetConditionalDenoiser::predict_eps_class(const float* xt, int n, int t, int label, float* eps) {
  labels_.assign(n, label);
  predict_eps_labels(xt, n, t, labels_.data(), eps);
}

void UNetConditionalDenoiser::predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                                               float* eps_uncond) {
  labels_.assign(n, label);
  predict_eps_pair_labels(xt, n, t, labels_.data(), eps_cond, eps_uncond);
}

void UNetConditionalDenoiser::predict_eps_pair_labels(const float* xt, int n, int t, const int* labels,
                                                      float* eps_cond, float* eps_uncond) {
  const size_t D = dim();
  for (int first = 0; first < n; first += max_batch_) {
    const int count = std::min(max_batch_, n - first);
    const size_t block = count * D;
    doubled_x_.resize(2 * block);
    doubled_eps_.resize(2 * block);
    std::copy(xt + first * D, xt + first * D + block, doubled_x_.begin());
    std::copy(xt + first * D, xt + first * D + block, doubled_x_.begin() + block);
    doubled_labels_.assign(2 * count, -1);
    std::copy(labels + first, labels + first + count, doubled_labels_.begin());
    forward(doubled_x_.data(), 2 * count, t, doubled_labels_.data(), doubled_eps_.data());
    std::copy(doubled_eps_.begin(), doubled_eps_.begin() + block, eps_cond + first * D);
    std::copy(doubled_eps_.begin() + block, doubled_eps_.end(), eps_uncond + first * D);
  }
}

}  // namespace difflab
