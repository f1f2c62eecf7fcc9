// unet_conditional.h — a class-conditional U-Net as a ConditionalDenoiser, with the conditional and the
// null-class passes batched into ONE forward of 2n images (per-row labels) for classifier-free guidance.
// Not the U-Net itself (nn/unet.h) nor the guidance (sample/guided.h's CfgDenoiser combines the passes).
#pragma once

#include <vector>

#include "core/conditional.h"
#include "nn/image_net.h"

namespace difflab {

// ε̂(xₜ, t, y) of a UNet trained with a class embedding (UNetConfig::num_classes > 0, row num_classes = the
// null class). `params` (a view of the model's size) selects the weights, e.g. the EMA copy; empty = the
// model's own.
class UNetConditionalDenoiser : public ConditionalDenoiser {
 public:
  UNetConditionalDenoiser(ImageNet& model, const NoiseSchedule& schedule, Tensor params = {},
                          int max_batch = 64)
      : model_(model), schedule_(schedule), params_(params), max_batch_(max_batch < 1 ? 1 : max_batch) {}
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  int num_classes() const override { return model_.num_classes(); }

  // All n rows with one label (−1 = the null class).
  void predict_eps_class(const float* xt, int n, int t, int label, float* eps) override;
  // Row i with labels[i] (−1 = the null class); at most max_batch rows per forward.
  void predict_eps_labels(const float* xt, int n, int t, const int* labels, float* eps) override;
  // ε̂(xₜ, y) and ε̂(xₜ, ∅) from one forward of 2n rows (the labels, then n null labels).
  void predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                        float* eps_uncond) override;
  // The same with row i labelled labels[i]: each chunk of max_batch images is ONE forward of 2 × chunk rows,
  // [xₜ with yᵢ ; xₜ with ∅] (what CfgDenoiser calls for γ ∉ {0, 1}).
  void predict_eps_pair_labels(const float* xt, int n, int t, const int* labels, float* eps_cond,
                               float* eps_uncond) override;
  // Between the schedule's steps: the batched pair at the nearest integer t (it is trained on integer t).
  void predict_eps_pair_continuous(const float* xt, int n, double t, double alpha_bar, int label,
                                   float* eps_cond, float* eps_uncond) override {
    (void)alpha_bar;
    const int nearest = static_cast<int>(t + 0.5);
    predict_eps_pair(xt, n, nearest < 0 ? 0 : (nearest >= schedule().T() ? schedule().T() - 1 : nearest),
                     label, eps_cond, eps_uncond);
  }

  // Forward passes of the network so far, and the image rows they carried (benchmarks, tests).
  long forward_calls() const { return forward_calls_; }
  long forward_rows() const { return forward_rows_; }

 private:
  void forward(const float* x, int rows, int t, const int* labels, float* out);

  ImageNet& model_;
  const NoiseSchedule& schedule_;
  Tensor params_;
  int max_batch_;
  long forward_calls_ = 0, forward_rows_ = 0;
  std::vector<float> times_, doubled_x_, doubled_eps_;
  std::vector<int> doubled_labels_, labels_;
};

}  // namespace difflab
