// guidance.h — exact conditional quantities of a labelled 2-D Gaussian mixture: pₜ(x | y), pₜ(y | x), their
// gradients, the guided fields and an exact ConditionalDenoiser / NoiseClassifier. Not learned guidance
// (sample/guided.h wraps any model) and not a sampler. Formulas: ../shared/MATH.md, "Guidance".
#pragma once

#include <memory>
#include <vector>

#include "core/conditional.h"
#include "core/gaussian_mixture.h"

namespace difflab {

// A Gaussian mixture whose components carry classes: component k belongs to class classes[k]; several
// components may share a class. p(y) = Σ_{k∈y} wₖ and p(x | y) = Σ_{k∈y} wₖ 𝒩ₖ / p(y).
struct LabelledMixture2D {
  GaussianMixture2D mixture;
  std::vector<int> classes;  // one per component, 0 … num_classes − 1
  int num_classes = 0;

  // Normalises the mixture and sets num_classes = max class + 1. Throws std::invalid_argument when the sizes
  // differ, a class is outside 0 … limits::kMaxClasses − 1, or a class 0 … K − 1 has no component or zero
  // weight.
  void validate();
  // Each component its own class (the presets 8gaussians, 25gaussians, gaussian; GMM JSON without "labels").
  static LabelledMixture2D one_class_per_component(GaussianMixture2D mixture);
  // The empirical mixture of labelled points (equal weights, zero covariances); labels as given.
  static LabelledMixture2D from_points(const std::vector<float>& xy, const std::vector<int>& labels);
  double class_weight(int label) const;              // p(y)
  GaussianMixture2D class_mixture(int label) const;  // p(x | y): y's components, weights renormalised
  std::vector<int> components_of(int label) const;   // the component indices of class y
};

// Everything exact at one point xₜ for one class y (label −1: the null class; then the conditional
// quantities equal the unconditional ones and log pₜ(y | x) = 0).
struct ConditionalQuantities {
  double log_p = 0;               // log pₜ(x)
  double score[2] = {0, 0};       // ∇ log pₜ(x)
  double log_p_cond = 0;          // log pₜ(x | y)
  double score_cond[2] = {0, 0};  // ∇ log pₜ(x | y): the mixture of y's components, renormalised
  double log_prob_class = 0;      // log pₜ(y | x) = log Σ_{k∈y} wₖ𝒩ₖ − log Σₖ wₖ𝒩ₖ
  double grad_log_prob_class[2] = {0, 0};  // ∇ₓ log pₜ(y | x), from the component responsibilities
};

// The course's guided score with weight γ, written the two ways of the slides (equal for exact scores):
//   CFG:        (1 − γ) ∇ log pₜ(x) + γ ∇ log pₜ(x | y)
//   classifier: ∇ log pₜ(x) + γ ∇ log pₜ(y | x)
void guided_score_cfg(const ConditionalQuantities& q, double gamma, double out[2]);
void guided_score_classifier(const ConditionalQuantities& q, double gamma, double out[2]);
// The unnormalised log of the tilted density pₜ(x | y)^γ pₜ(x)^(1−γ) (what guided sampling does NOT sample).
inline double tilted_log_density(const ConditionalQuantities& q, double gamma) {
  return gamma * q.log_p_cond + (1 - gamma) * q.log_p;
}

// The labelled mixture diffused to one ᾱ: Σ wₖ 𝒩(√ᾱ μₖ, ᾱΣₖ + (1−ᾱ)I), with the per-component inverses
// cached.
class DiffusedLabelledMixture {
 public:
  DiffusedLabelledMixture(const LabelledMixture2D& mixture, double alpha_bar);
  ConditionalQuantities evaluate(double x, double y, int label) const;  // label must be −1 … K − 1
  // log pₜ(c | x) for every class c: out[num_classes].
  void class_log_probs(double x, double y, double* out) const;
  double alpha_bar() const { return alpha_bar_; }
  int num_classes() const { return num_classes_; }

 private:
  struct Component {
    double log_weight_norm;  // log wₖ − log 2π − ½ log det Cₖ
    double mx, my;           // √ᾱ μₖ
    Mat2 inverse;            // Cₖ⁻¹
    int label;
  };
  std::vector<Component> components_;
  std::vector<double> log_class_weight_;  // log p(y)
  double alpha_bar_;
  int num_classes_;
};

// The Bayes-optimal class-conditional ε-predictor: ε*(xₜ, y) = −√(1−ᾱₜ) ∇ log pₜ(xₜ | y), label −1 the
// unconditional ε*. Exact at any ᾱ (predict_eps_class_continuous), so σ-step samplers solve the ODE exactly.
class ExactConditionalDenoiser : public ConditionalDenoiser {
 public:
  ExactConditionalDenoiser(LabelledMixture2D mixture, NoiseSchedule schedule);
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  int num_classes() const override { return mixture_.num_classes; }
  void predict_eps_class(const float* xt, int n, int t, int label, float* eps) override;
  void predict_eps_class_continuous(const float* xt, int n, double t, double alpha_bar, int label,
                                    float* eps) override;
  // Both in one pass over the components (what CFG asks for).
  void predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                        float* eps_uncond) override;
  void predict_eps_pair_continuous(const float* xt, int n, double t, double alpha_bar, int label,
                                   float* eps_cond, float* eps_uncond) override;
  // All exact quantities at code index t (t = −1: the data distribution itself, ᾱ = 1).
  ConditionalQuantities evaluate(double x, double y, int t, int label);
  const DiffusedLabelledMixture& at(int t);
  const DiffusedLabelledMixture& at_alpha_bar(double alpha_bar);
  const LabelledMixture2D& mixture() const { return mixture_; }

 private:
  void check_label(int label) const;
  LabelledMixture2D mixture_;
  NoiseSchedule schedule_;
  std::vector<std::unique_ptr<DiffusedLabelledMixture>> cache_;  // one per t (+ t = −1), built on first use
  std::unique_ptr<DiffusedLabelledMixture> continuous_;          // the last ᾱ asked for between the steps
};

// The exact noise-conditional classifier pₜ(y | xₜ) of the same mixture (classifier guidance with it and the
// unconditional exact ε* gives exactly the CFG field). Shares the exact denoiser's cache.
class ExactNoiseClassifier : public NoiseClassifier {
 public:
  explicit ExactNoiseClassifier(ExactConditionalDenoiser& exact) : exact_(exact) {}
  int dim() const override { return 2; }
  int num_classes() const override { return exact_.num_classes(); }
  void log_probs(const float* xt, int n, int t, float* log_probs) override;
  void grad_log_prob(const float* xt, int n, int t, int label, float* grad) override;

 private:
  ExactConditionalDenoiser& exact_;
};

}  // namespace difflab
