// guided.h — guided denoisers: classifier-free guidance over a ConditionalDenoiser and classifier guidance
// over a Denoiser plus a NoiseClassifier, both as a plain Denoiser, so every sampler (DDPM, DDIM, the ODEs,
// EDM, …) samples guided without knowing. Not a model and not the exact mixture math (core/guidance.h).
#pragma once

#include <vector>

#include "core/conditional.h"

namespace difflab {

// Classifier-free guidance with the course's weight γ (core/conditional.h):
//   ε̃(xₜ) = (1 − γ) ε̂(xₜ, ∅) + γ ε̂(xₜ, y),
// for one label y, or a label per row: row i of every batch takes labels[i mod labels.size()] (an image grid
// of one row per class), a row labelled −1 (no class) is the unconditional ε̂(xₜ, ∅) whatever γ.
// Cost per sampler step: γ = 0 → one unconditional pass; γ = 1 → one conditional pass; otherwise ONE call of
// model.predict_eps_pair, which a network answers with one forward pass on a batch of 2n points (labels y and
// ∅), i.e. the network evaluations of the sampler stay the same and each costs a doubled batch. With an exact
// conditional denoiser the guided ε̃ is exactly ε*(xₜ) − γ σₜ ∇ log pₜ(y | xₜ).
class CfgDenoiser : public Denoiser {
 public:
  CfgDenoiser(ConditionalDenoiser& model, int label, double gamma);                // label in 0 … K − 1
  CfgDenoiser(ConditionalDenoiser& model, std::vector<int> labels, double gamma);  // each −1 … K − 1
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return model_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override;
  const DataBox& data_box() const override { return model_.data_box(); }
  int label() const { return labels_.front(); }  // the first row's (the only one for a single label)
  double gamma() const { return gamma_; }

 private:
  bool single_label() const { return labels_.size() == 1; }
  void combine(int n, float* eps) const;
  ConditionalDenoiser& model_;
  std::vector<int> labels_;
  double gamma_;
  std::vector<int> rows_;  // the labels of the current batch's rows
  std::vector<float> uncond_;
};

// Classifier guidance (Dhariwal & Nichol 2021, Alg. 2 in ε form) with the course's weight γ:
//   ε̃(xₜ) = ε̂(xₜ) − γ σₜ ∇ₓ log pₜ(y | xₜ),   σₜ = √(1 − ᾱₜ),
// the ε of the score ∇ log pₜ(x) + γ ∇ log pₜ(y | x). Cost per step: one denoiser pass plus one classifier
// gradient. Between the schedule's steps (σ-step samplers) σ comes from the exact ᾱ, the classifier is asked
// at the nearest integer t (it is trained on integer t).
// With a label per row (row i of every batch takes labels[i mod labels.size()], as CfgDenoiser), the
// classifier is asked once per run of equal labels. Over a class-conditional network, `model` is its null
// class (ConditionalDenoiser::predict_eps): Dhariwal & Nichol's unconditional ε̂.
class ClassifierGuidedDenoiser : public Denoiser {
 public:
  ClassifierGuidedDenoiser(Denoiser& model, NoiseClassifier& classifier, int label, double gamma);
  ClassifierGuidedDenoiser(Denoiser& model, NoiseClassifier& classifier, std::vector<int> labels,
                           double gamma);
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return model_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override;
  const DataBox& data_box() const override { return model_.data_box(); }

 private:
  void add_guidance(const float* xt, int n, int t, double alpha_bar, float* eps);
  Denoiser& model_;
  NoiseClassifier& classifier_;
  std::vector<int> labels_;
  double gamma_;
  std::vector<float> grad_;
};

}  // namespace difflab
