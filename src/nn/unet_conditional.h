// unet_conditional.h — a class-conditional U-Net as a ConditionalDenoiser, and classifier-free guidance on it
// with the conditional and the null-class passes batched into ONE forward of 2n images (per-row labels).
// Not the U-Net itself (nn/unet.h) nor the generic guided wrapper for any ConditionalDenoiser
// (sample/guided.h).
#pragma once

#include <vector>

#include "core/conditional.h"
#include "nn/unet.h"

namespace difflab {

// ε̂(xₜ, t, y) of a UNet trained with a class embedding (UNetConfig::num_classes > 0, row num_classes = the
// null class). `params` (a view of the model's size) selects the weights, e.g. the EMA copy; empty = the
// model's own.
class UNetConditionalDenoiser : public ConditionalDenoiser {
 public:
  UNetConditionalDenoiser(UNet& model, const NoiseSchedule& schedule, Tensor params = {}, int max_batch = 64)
      : model_(model), schedule_(schedule), params_(params), max_batch_(max_batch < 1 ? 1 : max_batch) {}
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  int num_classes() const override { return model_.config().num_classes; }

  // All n rows with one label (−1 = the null class).
  void predict_eps_class(const float* xt, int n, int t, int label, float* eps) override;
  // Row i with labels[i] (−1 = the null class); at most max_batch rows per forward.
  void predict_eps_labels(const float* xt, int n, int t, const int* labels, float* eps);
  // ε̂(xₜ, y) and ε̂(xₜ, ∅) from one forward of 2n rows (the labels, then n null labels).
  void predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                        float* eps_uncond) override;
  // Classifier-free guidance with the course's γ: ε̃ = (1 − γ) ε̂(xₜ, ∅) + γ ε̂(xₜ, yᵢ), row i with labels[i].
  // γ = 0 runs only the null pass, γ = 1 (or a row labelled −1) only the conditional one; otherwise each
  // chunk of max_batch images is ONE forward of 2 × chunk rows: [xₜ with yᵢ ; xₜ with ∅].
  void predict_eps_guided(const float* xt, int n, int t, const int* labels, double gamma, float* eps);

  // Forward passes of the network so far, and the image rows they carried (benchmarks, tests).
  long forward_calls() const { return forward_calls_; }
  long forward_rows() const { return forward_rows_; }

 private:
  void forward(const float* x, int rows, int t, const int* labels, float* out);

  UNet& model_;
  const NoiseSchedule& schedule_;
  Tensor params_;
  int max_batch_;
  long forward_calls_ = 0, forward_rows_ = 0;
  std::vector<float> times_, doubled_x_, doubled_eps_;
  std::vector<int> doubled_labels_, labels_;
};

// The guided model as a plain Denoiser, so that every sampler runs it: row i of every batch is conditioned on
// labels[i mod labels.size()] (one label for all rows, or one per row), with guidance weight γ.
class RowLabelCfgDenoiser : public Denoiser {
 public:
  RowLabelCfgDenoiser(UNetConditionalDenoiser& model, std::vector<int> labels, double gamma)
      : model_(model), labels_(std::move(labels)), gamma_(gamma) {
    if (labels_.empty()) labels_.push_back(-1);
  }
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return model_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  double gamma() const { return gamma_; }

 private:
  UNetConditionalDenoiser& model_;
  std::vector<int> labels_;
  double gamma_;
  std::vector<int> rows_;
};

}  // namespace difflab
