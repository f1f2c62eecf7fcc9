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
    : model_(model), labels_{label}, gamma_(gamma) {
  check_guidance(label, model.num_classes(), gamma);
}

CfgDenoiser::CfgDenoiser(ConditionalDenoiser& model, std::vector<int> labels, double gamma)
    : model_(model), labels_(std::move(labels)), gamma_(gamma) {
  if (labels_.empty()) throw std::invalid_argument("classifier-free guidance needs at least one label");
  for (int label : labels_)
    if (label != -1) check_guidance(label, model.num_classes(), gamma);
  if (!std::isfinite(gamma)) throw std::invalid_argument("the guidance weight γ must be finite");
}

void CfgDenoiser::combine(int n, float* eps) const {
  // eps holds ε̂(x, yᵢ); uncond_ holds ε̂(x, ∅). Rows without a class keep ε̂(x, ∅).
  const int D = model_.dim();
  for (int row = 0; row < n; ++row)
    for (int i = row * D; i < (row + 1) * D; ++i)
      eps[i] = rows_[row] < 0
                   ? uncond_[i]
                   : static_cast<float>((1 - gamma_) * uncond_[i] + gamma_ * static_cast<double>(eps[i]));
}

void CfgDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  if (gamma_ == 0) return model_.predict_eps_class(xt, n, t, -1, eps);
  rows_.resize(n);
  for (int i = 0; i < n; ++i) rows_[i] = labels_[static_cast<size_t>(i) % labels_.size()];
  const bool all_null = std::all_of(rows_.begin(), rows_.end(), [](int y) { return y < 0; });
  if (single_label() && !all_null) {  // one label: the model's (possibly batched) single-class passes
    if (gamma_ == 1) return model_.predict_eps_class(xt, n, t, labels_[0], eps);
    uncond_.resize(static_cast<size_t>(n) * model_.dim());
    model_.predict_eps_pair(xt, n, t, labels_[0], eps, uncond_.data());
    return combine(n, eps);
  }
  if (gamma_ == 1 || all_null) return model_.predict_eps_labels(xt, n, t, rows_.data(), eps);
  uncond_.resize(static_cast<size_t>(n) * model_.dim());
  model_.predict_eps_pair_labels(xt, n, t, rows_.data(), eps, uncond_.data());
  combine(n, eps);
}

void CfgDenoiser::predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) {
  // Per-row labels: at the nearest integer t (the networks that take them are trained on integer t).
  if (!single_label() || labels_[0] < 0) return Denoiser::predict_eps_continuous(xt, n, t, alpha_bar, eps);
  if (gamma_ == 0) return model_.predict_eps_class_continuous(xt, n, t, alpha_bar, -1, eps);
  if (gamma_ == 1) return model_.predict_eps_class_continuous(xt, n, t, alpha_bar, labels_[0], eps);
  uncond_.resize(static_cast<size_t>(n) * model_.dim());
  rows_.assign(n, labels_[0]);
  model_.predict_eps_pair_continuous(xt, n, t, alpha_bar, labels_[0], eps, uncond_.data());
  combine(n, eps);
}

ClassifierGuidedDenoiser::ClassifierGuidedDenoiser(Denoiser& model, NoiseClassifier& classifier, int label,
                                                   double gamma)
    : ClassifierGuidedDenoiser(model, classifier, std::vector<int>{label}, gamma) {}

ClassifierGuidedDenoiser::ClassifierGuidedDenoiser(Denoiser& model, NoiseClassifier& classifier,
                                                   std::vector<int> labels, double gamma)
    : model_(model), classifier_(classifier), labels_(std::move(labels)), gamma_(gamma) {
  if (labels_.empty()) throw std::invalid_argument("classifier guidance needs at least one label");
  for (int label : labels_) check_guidance(label, classifier.num_classes(), gamma);
  if (classifier.dim() != model.dim())
    throw std::invalid_argument("the classifier's inputs have " + std::to_string(classifier.dim()) +
                                " coordinates, the denoiser's " + std::to_string(model.dim()));
}

void ClassifierGuidedDenoiser::add_guidance(const float* xt, int n, int t, double alpha_bar, float* eps) {
  if (gamma_ == 0) return;
  const int D = model_.dim(), count = n * D;
  grad_.resize(count);
  const size_t L = labels_.size();
  for (int first = 0; first < n;) {  // one classifier call per run of rows with the same label
    const int label = labels_[static_cast<size_t>(first) % L];
    int last = first + 1;
    while (last < n && labels_[static_cast<size_t>(last) % L] == label) ++last;
    classifier_.grad_log_prob(xt + static_cast<size_t>(first) * D, last - first, t, label,
                              grad_.data() + static_cast<size_t>(first) * D);
    first = last;
  }
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
