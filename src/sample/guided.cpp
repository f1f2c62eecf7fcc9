// guided.cpp — classifier-free and classifier guidance as Denoisers (see guided.h).
// Not the exact mixture math (core/guidance.cpp).
#include "sample/guided.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace difflab {
namespace {
void check_guidance(int label, int num_classes, double gamma) {
  if (label < 0 || label >= num_classes)
    throw std::out_of_range("class " + std::to_string(label) + " is outside 0 … " +
                            std::to_string(num_classes - 1));
  if (!std::isfinite(gamma)) throw std::invalid_argument("the guidance weight γ must be finite");
}
}  // namespace

CfgDenoiser::CfgDenoiser(ConditionalDenoiser& model, int label, double gamma)
    : model_(model), label_(label), gamma_(gamma) {
  check_guidance(label, model.num_classes(), gamma);
}

void CfgDenoiser::combine(int count, float* eps) const {
  // eps holds ε̂(x, y); uncond_ holds ε̂(x, ∅).
  for (int i = 0; i < count; ++i)
    eps[i] = static_cast<float>((1 - gamma_) * uncond_[i] + gamma_ * static_cast<double>(eps[i]));
}

void CfgDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  if (gamma_ == 0) return model_.predict_eps_class(xt, n, t, -1, eps);
  if (gamma_ == 1) return model_.predict_eps_class(xt, n, t, label_, eps);
  const int count = n * model_.dim();
  uncond_.resize(count);
  model_.predict_eps_pair(xt, n, t, label_, eps, uncond_.data());
  combine(count, eps);
}

void CfgDenoiser::predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) {
  if (gamma_ == 0) return model_.predict_eps_class_continuous(xt, n, t, alpha_bar, -1, eps);
  if (gamma_ == 1) return model_.predict_eps_class_continuous(xt, n, t, alpha_bar, label_, eps);
  const int count = n * model_.dim();
  uncond_.resize(count);
  model_.predict_eps_pair_continuous(xt, n, t, alpha_bar, label_, eps, uncond_.data());
  combine(count, eps);
}

ClassifierGuidedDenoiser::ClassifierGuidedDenoiser(Denoiser& model, NoiseClassifier& classifier, int label,
                                                   double gamma)
    : model_(model), classifier_(classifier), label_(label), gamma_(gamma) {
  check_guidance(label, classifier.num_classes(), gamma);
  if (classifier.dim() != model.dim())
    throw std::invalid_argument("the classifier's inputs have " + std::to_string(classifier.dim()) +
                                " coordinates, the denoiser's " + std::to_string(model.dim()));
}

void ClassifierGuidedDenoiser::add_guidance(const float* xt, int n, int t, double alpha_bar, float* eps) {
  if (gamma_ == 0) return;
  const int count = n * model_.dim();
  grad_.resize(count);
  classifier_.grad_log_prob(xt, n, t, label_, grad_.data());
  const double sigma = std::sqrt(1.0 - alpha_bar);
  for (int i = 0; i < count; ++i) eps[i] = static_cast<float>(eps[i] - gamma_ * sigma * grad_[i]);
}

void ClassifierGuidedDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  model_.predict_eps(xt, n, t, eps);
  add_guidance(xt, n, t, schedule().alpha_bar[t], eps);
}

void ClassifierGuidedDenoiser::predict_eps_continuous(const float* xt, int n, double t, double alpha_bar,
                                                      float* eps) {
  model_.predict_eps_continuous(xt, n, t, alpha_bar, eps);
  const int nearest = std::clamp(static_cast<int>(t + 0.5), 0, schedule().T() - 1);
  add_guidance(xt, n, nearest, alpha_bar, eps);
}

}  // namespace difflab
