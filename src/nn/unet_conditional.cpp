// unet_conditional.cpp — the class-conditional U-Net denoiser and its batched classifier-free guidance.
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
  const size_t D = dim();
  for (int first = 0; first < n; first += max_batch_) {
    const int count = std::min(max_batch_, n - first);
    const size_t block = count * D;
    doubled_x_.resize(2 * block);
    doubled_eps_.resize(2 * block);
    std::copy(xt + first * D, xt + first * D + block, doubled_x_.begin());
    std::copy(xt + first * D, xt + first * D + block, doubled_x_.begin() + block);
    doubled_labels_.assign(2 * count, -1);
    std::fill(doubled_labels_.begin(), doubled_labels_.begin() + count, label);
    forward(doubled_x_.data(), 2 * count, t, doubled_labels_.data(), doubled_eps_.data());
    std::copy(doubled_eps_.begin(), doubled_eps_.begin() + block, eps_cond + first * D);
    std::copy(doubled_eps_.begin() + block, doubled_eps_.end(), eps_uncond + first * D);
  }
}

void UNetConditionalDenoiser::predict_eps_guided(const float* xt, int n, int t, const int* labels,
                                                 double gamma, float* eps) {
  if (gamma == 0.0) return predict_eps_class(xt, n, t, -1, eps);
  const bool all_null = std::all_of(labels, labels + n, [](int y) { return y < 0; });
  if (gamma == 1.0 || all_null) return predict_eps_labels(xt, n, t, labels, eps);
  const size_t D = dim();
  const float g = static_cast<float>(gamma), one_minus_g = static_cast<float>(1.0 - gamma);
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
    float* out = eps + first * D;
    for (int i = 0; i < count; ++i) {
      const float* cond = doubled_eps_.data() + i * D;
      const float* uncond = cond + block;
      if (labels[first + i] < 0) {  // no class: the unconditional ε̂, whatever γ
        std::copy(uncond, uncond + D, out + i * D);
        continue;
      }
      for (size_t d = 0; d < D; ++d) out[i * D + d] = one_minus_g * uncond[d] + g * cond[d];
    }
  }
}

void RowLabelCfgDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  rows_.resize(n);
  for (int i = 0; i < n; ++i) rows_[i] = labels_[static_cast<size_t>(i) % labels_.size()];
  model_.predict_eps_guided(xt, n, t, rows_.data(), gamma_, eps);
}

}  // namespace difflab
