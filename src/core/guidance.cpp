// guidance.cpp — exact pₜ(x | y), pₜ(y | x), their gradients and the exact conditional denoiser (guidance.h).
// Not a sampler. Formulas: ../shared/MATH.md, "Guidance".
#include "core/guidance.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "core/limits.h"

namespace difflab {

void LabelledMixture2D::validate() {
  if (classes.size() != mixture.weights.size())
    throw std::invalid_argument("a labelled mixture needs one class per component (" +
                                std::to_string(mixture.weights.size()) + " components, " +
                                std::to_string(classes.size()) + " classes)");
  mixture.validate_and_normalise();
  int max_class = -1;
  for (size_t k = 0; k < classes.size(); ++k) {
    if (classes[k] < 0 || classes[k] >= limits::kMaxClasses)
      throw std::invalid_argument("component " + std::to_string(k) + " has class " +
                                  std::to_string(classes[k]) + ": classes must be 0 … " +
                                  std::to_string(limits::kMaxClasses - 1) + " (limits.h kMaxClasses)");
    max_class = std::max(max_class, classes[k]);
  }
  num_classes = max_class + 1;
  std::vector<char> seen(num_classes, 0);
  for (int c : classes) seen[c] = 1;
  for (int c = 0; c < num_classes; ++c) {
    if (!seen[c])
      throw std::invalid_argument("class " + std::to_string(c) + " has no component: classes must be 0 … " +
                                  std::to_string(num_classes - 1) + " without gaps");
    if (!(class_weight(c) > 0))
      throw std::invalid_argument("class " + std::to_string(c) + " has zero weight: p(x | y) is undefined");
  }
}

LabelledMixture2D LabelledMixture2D::one_class_per_component(GaussianMixture2D m) {
  LabelledMixture2D l;
  l.classes.resize(m.weights.size());
  for (size_t k = 0; k < l.classes.size(); ++k) l.classes[k] = static_cast<int>(k);
  l.mixture = std::move(m);
  l.validate();
  return l;
}

LabelledMixture2D LabelledMixture2D::from_points(const std::vector<float>& xy,
                                                 const std::vector<int>& labels) {
  LabelledMixture2D l;
  l.mixture = GaussianMixture2D::from_points(xy);
  l.classes = labels;
  l.validate();
  return l;
}

double LabelledMixture2D::class_weight(int label) const {
  double w = 0;
  for (size_t k = 0; k < classes.size(); ++k)
    if (classes[k] == label) w += mixture.weights[k];
  return w;
}

GaussianMixture2D LabelledMixture2D::class_mixture(int label) const {
  GaussianMixture2D m;
  for (size_t k = 0; k < classes.size(); ++k)
    if (classes[k] == label) {
      m.weights.push_back(mixture.weights[k]);
      m.means.push_back(mixture.means[k]);
      m.covariances.push_back(mixture.covariances[k]);
    }
  m.validate_and_normalise();  // throws for a class without components
  return m;
}

std::vector<int> LabelledMixture2D::components_of(int label) const {
  std::vector<int> out;
  for (size_t k = 0; k < classes.size(); ++k)
    if (classes[k] == label) out.push_back(static_cast<int>(k));
  return out;
}

void guided_score_cfg(const ConditionalQuantities& q, double gamma, double out[2]) {
  for (int d = 0; d < 2; ++d) out[d] = (1 - gamma) * q.score[d] + gamma * q.score_cond[d];
}

void guided_score_classifier(const ConditionalQuantities& q, double gamma, double out[2]) {
  for (int d = 0; d < 2; ++d) out[d] = q.score[d] + gamma * q.grad_log_prob_class[d];
}

DiffusedLabelledMixture::DiffusedLabelledMixture(const LabelledMixture2D& m, double alpha_bar)
    : alpha_bar_(alpha_bar), num_classes_(m.num_classes) {
  const double sa = std::sqrt(alpha_bar), noise = 1.0 - alpha_bar;
  components_.reserve(m.mixture.size());
  for (int k = 0; k < m.mixture.size(); ++k) {
    if (m.mixture.weights[k] <= 0) continue;
    const Mat2& s = m.mixture.covariances[k];
    const Mat2 c{alpha_bar * s.a + noise, alpha_bar * s.b, alpha_bar * s.c + noise};  // ᾱΣₖ + (1−ᾱ)I
    const double det = c.det();
    if (!(det > 0))
      throw std::invalid_argument(
          "the diffused mixture is degenerate at ᾱ = 1 with a zero covariance (a point set); use ᾱ < 1");
    Component comp;
    comp.inverse = Mat2{c.c / det, -c.b / det, c.a / det};
    comp.log_weight_norm =
        std::log(m.mixture.weights[k]) - std::log(2 * std::numbers::pi) - 0.5 * std::log(det);
    comp.mx = sa * m.mixture.means[k][0];
    comp.my = sa * m.mixture.means[k][1];
    comp.label = m.classes[k];
    components_.push_back(comp);
  }
  log_class_weight_.resize(num_classes_);
  for (int c = 0; c < num_classes_; ++c) log_class_weight_[c] = std::log(m.class_weight(c));
}

ConditionalQuantities DiffusedLabelledMixture::evaluate(double x, double y, int label) const {
  // Pass 1: every component's log-term ℓₖ = log wₖ𝒩ₖ(x) and its score sₖ = −Cₖ⁻¹(x − mₖ); the log-sum-exps
  // L = log Σₖ e^ℓₖ and L_y = log Σ_{k∈y} e^ℓₖ.
  thread_local std::vector<double> scratch;
  scratch.resize(3 * components_.size());
  double max_all = -INFINITY, max_y = -INFINITY;
  for (size_t k = 0; k < components_.size(); ++k) {
    const Component& c = components_[k];
    const double dx = x - c.mx, dy = y - c.my;
    const double ux = c.inverse.a * dx + c.inverse.b * dy, uy = c.inverse.b * dx + c.inverse.c * dy;
    const double l = c.log_weight_norm - 0.5 * (dx * ux + dy * uy);
    scratch[3 * k] = l;
    scratch[3 * k + 1] = -ux;
    scratch[3 * k + 2] = -uy;
    max_all = std::max(max_all, l);
    if (label < 0 || c.label == label) max_y = std::max(max_y, l);
  }
  // Terms more than kNegligible below the largest add less than e^−60 ≈ 1e−26 relative: skipped (point sets
  // have thousands of components, of which a handful matter at small t).
  constexpr double kNegligible = 60;
  double sum_all = 0, sum_y = 0;
  for (size_t k = 0; k < components_.size(); ++k) {
    const double l = scratch[3 * k];
    if (l - max_all > -kNegligible) sum_all += std::exp(l - max_all);
    if ((label < 0 || components_[k].label == label) && l - max_y > -kNegligible)
      sum_y += std::exp(l - max_y);
  }
  ConditionalQuantities q;
  q.log_p = max_all + std::log(sum_all);
  const double log_sum_y = max_y + std::log(sum_y);  // L_y = log Σ_{k∈y} wₖ𝒩ₖ
  q.log_prob_class = label < 0 ? 0.0 : log_sum_y - q.log_p;
  q.log_p_cond = label < 0 ? q.log_p : log_sum_y - log_class_weight_[label];  // p(x|y) = Σ_{k∈y} wₖ𝒩ₖ / p(y)
  // Pass 2: responsibilities rₖ = e^(ℓₖ − L) in the whole mixture and ρₖ = e^(ℓₖ − L_y) within class y.
  // ∇ log pₜ = Σ rₖ sₖ, ∇ log pₜ(x|y) = Σ_{k∈y} ρₖ sₖ, and ∇ log pₜ(y|x) = Σₖ (1[k∈y] ρₖ − rₖ) sₖ, summed
  // directly from the responsibilities (not as the difference of the two scores).
  for (size_t k = 0; k < components_.size(); ++k) {
    const double l = scratch[3 * k];
    const bool in_y = label < 0 || components_[k].label == label;
    if (l - q.log_p < -kNegligible && (!in_y || l - log_sum_y < -kNegligible)) continue;
    const double r = std::exp(l - q.log_p);
    const double rho = in_y ? std::exp(l - log_sum_y) : 0.0;
    for (int d = 0; d < 2; ++d) {
      const double s = scratch[3 * k + 1 + d];
      q.score[d] += r * s;
      q.score_cond[d] += rho * s;
      q.grad_log_prob_class[d] += (label < 0 ? 0.0 : rho - r) * s;
    }
  }
  return q;
}

void DiffusedLabelledMixture::class_log_probs(double x, double y, double* out) const {
  thread_local std::vector<double> max_c, sum_c;
  max_c.assign(num_classes_, -INFINITY);
  sum_c.assign(num_classes_, 0.0);
  double max_all = -INFINITY;
  thread_local std::vector<double> l;
  l.resize(components_.size());
  for (size_t k = 0; k < components_.size(); ++k) {
    const Component& c = components_[k];
    const double dx = x - c.mx, dy = y - c.my;
    const double ux = c.inverse.a * dx + c.inverse.b * dy, uy = c.inverse.b * dx + c.inverse.c * dy;
    l[k] = c.log_weight_norm - 0.5 * (dx * ux + dy * uy);
    max_c[c.label] = std::max(max_c[c.label], l[k]);
    max_all = std::max(max_all, l[k]);
  }
  double sum_all = 0;
  for (size_t k = 0; k < components_.size(); ++k) {
    sum_all += std::exp(l[k] - max_all);
    sum_c[components_[k].label] += std::exp(l[k] - max_c[components_[k].label]);
  }
  const double log_p = max_all + std::log(sum_all);
  for (int c = 0; c < num_classes_; ++c)
    out[c] = sum_c[c] > 0 ? max_c[c] + std::log(sum_c[c]) - log_p : -INFINITY;
}

ExactConditionalDenoiser::ExactConditionalDenoiser(LabelledMixture2D mixture, NoiseSchedule schedule)
    : mixture_(std::move(mixture)), schedule_(std::move(schedule)) {
  mixture_.validate();
  cache_.resize(schedule_.T() + 1);
}

void ExactConditionalDenoiser::check_label(int label) const {
  if (label < -1 || label >= mixture_.num_classes)
    throw std::out_of_range("class " + std::to_string(label) + " is outside 0 … " +
                            std::to_string(mixture_.num_classes - 1) + " (−1 = no class)");
}

const DiffusedLabelledMixture& ExactConditionalDenoiser::at(int t) {
  if (t < -1 || t >= schedule_.T())
    throw std::out_of_range("t = " + std::to_string(t) + " is outside 0 … " +
                            std::to_string(schedule_.T() - 1));
  auto& slot = cache_[t + 1];
  if (!slot) slot = std::make_unique<DiffusedLabelledMixture>(mixture_, t < 0 ? 1.0 : schedule_.alpha_bar[t]);
  return *slot;
}

const DiffusedLabelledMixture& ExactConditionalDenoiser::at_alpha_bar(double alpha_bar) {
  if (!(alpha_bar > 0 && alpha_bar <= 1)) throw std::out_of_range("ᾱ must be in (0, 1]");
  if (!continuous_ || continuous_->alpha_bar() != alpha_bar)
    continuous_ = std::make_unique<DiffusedLabelledMixture>(mixture_, alpha_bar);
  return *continuous_;
}

ConditionalQuantities ExactConditionalDenoiser::evaluate(double x, double y, int t, int label) {
  check_label(label);
  return at(t).evaluate(x, y, label);
}

namespace {
void eps_pair(const DiffusedLabelledMixture& m, const float* xt, int n, int label, float* eps_cond,
              float* eps_uncond) {
  const double sigma = std::sqrt(1.0 - m.alpha_bar());
  for (int i = 0; i < n; ++i) {
    const ConditionalQuantities q = m.evaluate(xt[2 * i], xt[2 * i + 1], label);
    for (int d = 0; d < 2; ++d) {
      if (eps_cond) eps_cond[2 * i + d] = static_cast<float>(-sigma * q.score_cond[d]);
      if (eps_uncond) eps_uncond[2 * i + d] = static_cast<float>(-sigma * q.score[d]);
    }
  }
}
}  // namespace

void ExactConditionalDenoiser::predict_eps_class(const float* xt, int n, int t, int label, float* eps) {
  check_label(label);
  eps_pair(at(t), xt, n, label, eps, nullptr);
}

void ExactConditionalDenoiser::predict_eps_class_continuous(const float* xt, int n, double, double alpha_bar,
                                                            int label, float* eps) {
  check_label(label);
  eps_pair(at_alpha_bar(alpha_bar), xt, n, label, eps, nullptr);
}

void ExactConditionalDenoiser::predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                                                float* eps_uncond) {
  check_label(label);
  eps_pair(at(t), xt, n, label, eps_cond, eps_uncond);
}

void ExactConditionalDenoiser::predict_eps_pair_continuous(const float* xt, int n, double, double alpha_bar,
                                                           int label, float* eps_cond, float* eps_uncond) {
  check_label(label);
  eps_pair(at_alpha_bar(alpha_bar), xt, n, label, eps_cond, eps_uncond);
}

void ExactNoiseClassifier::log_probs(const float* xt, int n, int t, float* log_probs) {
  const DiffusedLabelledMixture& m = exact_.at(t);
  std::vector<double> out(m.num_classes());
  for (int i = 0; i < n; ++i) {
    m.class_log_probs(xt[2 * i], xt[2 * i + 1], out.data());
    for (int c = 0; c < m.num_classes(); ++c) log_probs[i * m.num_classes() + c] = static_cast<float>(out[c]);
  }
}

void ExactNoiseClassifier::grad_log_prob(const float* xt, int n, int t, int label, float* grad) {
  if (label < 0 || label >= exact_.num_classes())
    throw std::out_of_range("class " + std::to_string(label) + " is outside 0 … " +
                            std::to_string(exact_.num_classes() - 1));
  const DiffusedLabelledMixture& m = exact_.at(t);
  for (int i = 0; i < n; ++i) {
    const ConditionalQuantities q = m.evaluate(xt[2 * i], xt[2 * i + 1], label);
    grad[2 * i] = static_cast<float>(q.grad_log_prob_class[0]);
    grad[2 * i + 1] = static_cast<float>(q.grad_log_prob_class[1]);
  }
}

}  // namespace difflab
