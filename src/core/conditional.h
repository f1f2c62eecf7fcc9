// conditional.h — class-conditional denoisers and guidance, the interfaces every guided sampler calls.
// Not a model and not the exact mixture math: trained networks (nn/), the exact mixture (core/guidance.h) and
// the guided wrappers (sample/guided.h) implement or use these.
#pragma once

#include <string>

#include "core/denoiser.h"

namespace difflab {

// The guidance weight γ is the course's (Lecture II, "Classifier-free Guidance"):
//   ∇ log p_γ(x | y) = (1 − γ) ∇ log p(x) + γ ∇ log p(x | y),
// so γ = 0 is the unconditional model, γ = 1 the conditional one, γ > 1 guided beyond it; in ε terms
//   ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y)   (ε = −σₜ ∇ log pₜ).
// Classifier guidance with p(x) p(y | x)^γ gives the same field: ∇ log p(x) + γ ∇ log p(y | x).
// Ho & Salimans (2022) write the same thing with w = γ − 1: ε̃ = (1 + w) ε(xₜ, y) − w ε(xₜ).
enum class GuidanceKind {
  Exact,       // the exact guided field of a Gaussian mixture (needs labels)
  Cfg,         // classifier-free: a class-conditional denoiser, conditional and null-class passes
  Classifier,  // an unconditional denoiser plus ∇ log pₜ(y | xₜ) of a noise-conditional classifier
};
std::string guidance_kind_name(GuidanceKind k);
bool parse_guidance_kind(const std::string& name, GuidanceKind* k);

// A denoiser that can also predict ε̂ given a class. label = −1 is the null class (unconditional).
class ConditionalDenoiser : public Denoiser {
 public:
  virtual int num_classes() const = 0;
  // ε̂(xₜ, t, y) for n points, all with the same label (−1 = none).
  virtual void predict_eps_class(const float* xt, int n, int t, int label, float* eps) = 0;
  // The same at a fractional code index with its ᾱ (σ-step samplers); default: the nearest integer t.
  virtual void predict_eps_class_continuous(const float* xt, int n, double t, double alpha_bar, int label,
                                            float* eps) {
    (void)alpha_bar;
    const int nearest = static_cast<int>(t + 0.5);
    predict_eps_class(xt, n, nearest < 0 ? 0 : (nearest >= schedule().T() ? schedule().T() - 1 : nearest),
                      label, eps);
  }
  // Classifier-free guidance needs both ε̂(xₜ, y) and ε̂(xₜ, ∅) at the same points. Default: two calls. A
  // network overrides these to run ONE forward pass on 2n points (labels y … y, −1 … −1), so one CFG step
  // costs one network call on a doubled batch instead of two calls (sample/guided.h).
  virtual void predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                                float* eps_uncond) {
    predict_eps_class(xt, n, t, label, eps_cond);
    predict_eps_class(xt, n, t, -1, eps_uncond);
  }
  virtual void predict_eps_pair_continuous(const float* xt, int n, double t, double alpha_bar, int label,
                                           float* eps_cond, float* eps_uncond) {
    predict_eps_class_continuous(xt, n, t, alpha_bar, label, eps_cond);
    predict_eps_class_continuous(xt, n, t, alpha_bar, -1, eps_uncond);
  }
  // Row i with labels[i] (−1 = the null class). Default: one predict_eps_class call per run of equal labels.
  virtual void predict_eps_labels(const float* xt, int n, int t, const int* labels, float* eps) {
    for (int first = 0; first < n;) {
      int last = first + 1;
      while (last < n && labels[last] == labels[first]) ++last;
      predict_eps_class(xt + static_cast<size_t>(first) * dim(), last - first, t, labels[first],
                        eps + static_cast<size_t>(first) * dim());
      first = last;
    }
  }
  // ε̂(xₜ, yᵢ) row by row and ε̂(xₜ, ∅), for classifier-free guidance with a label per row. Default: two
  // calls; a network overrides it with ONE forward of 2n rows, as predict_eps_pair.
  virtual void predict_eps_pair_labels(const float* xt, int n, int t, const int* labels, float* eps_cond,
                                       float* eps_uncond) {
    predict_eps_labels(xt, n, t, labels, eps_cond);
    predict_eps_class(xt, n, t, -1, eps_uncond);
  }
  // Unconditional ε̂ is the null class.
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    predict_eps_class(xt, n, t, -1, eps);
  }
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override {
    predict_eps_class_continuous(xt, n, t, alpha_bar, -1, eps);
  }
};

// A noise-conditional classifier p(y | xₜ, t): log-probabilities and ∇ₓ log p(y | xₜ, t) for one class.
class NoiseClassifier {
 public:
  virtual ~NoiseClassifier() = default;
  virtual int dim() const = 0;
  virtual int num_classes() const = 0;
  // log p(y | xₜ, t) for every class: log_probs [n, num_classes].
  virtual void log_probs(const float* xt, int n, int t, float* log_probs) = 0;
  // grad [n, dim] = ∇ₓ log p(label | xₜ, t).
  virtual void grad_log_prob(const float* xt, int n, int t, int label, float* grad) = 0;
};

}  // namespace difflab
