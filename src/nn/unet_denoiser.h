// unet_denoiser.h — adapts a UNet (ε-prediction) to the Denoiser interface: dim() = H·W, one image per row.
// Not a model: it only batches the calls (at most max_batch images per forward) and picks the weights.
#pragma once

#include <algorithm>
#include <vector>

#include "core/denoiser.h"
#include "nn/image_net.h"

namespace difflab {

class UNetDenoiser : public Denoiser {
 public:
  // `params` (a view of `model`'s size) selects the weights, e.g. the EMA copy; empty = the model's own.
  // `label` conditions a class-embedding model (−1 = the null class).
  UNetDenoiser(ImageNet& model, const NoiseSchedule& schedule, Tensor params = {}, int label = -1,
               int max_batch = 64)
      : model_(model), schedule_(schedule), params_(params), label_(label), max_batch_(max_batch) {}
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void set_label(int label) { label_ = label; }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    if (params_.empty())
      model_.use_own_params();
    else
      model_.set_params_view(params_);
    const int D = dim();
    for (int first = 0; first < n; first += max_batch_) {
      const int count = std::min(max_batch_, n - first);
      times_.assign(count, static_cast<float>(t));
      labels_.assign(count, label_);
      model_.forward(xt + static_cast<size_t>(first) * D, times_.data(), labels_.data(), count,
                     eps + static_cast<size_t>(first) * D);
    }
    model_.use_own_params();
  }

 private:
  ImageNet& model_;
  const NoiseSchedule& schedule_;
  Tensor params_;
  int label_, max_batch_;
  std::vector<float> times_;
  std::vector<int> labels_;
};

}  // namespace difflab
