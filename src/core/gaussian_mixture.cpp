// gaussian_mixture.cpp — exact score, ε*, E[x₀|xₜ] and log pₜ for diffused 2-D Gaussian mixtures.
// Not a trained model. Formulas: ../shared/MATH.md, "Parameterisations".
#include "core/gaussian_mixture.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/rng.h"

namespace difflab {

void GaussianMixture2D::validate_and_normalise() {
  if (weights.empty()) throw std::invalid_argument("a Gaussian mixture needs at least one component");
  if (means.size() != weights.size() || covariances.size() != weights.size())
    throw std::invalid_argument("weights, means and covariances must have the same length (" +
                                std::to_string(weights.size()) + ", " + std::to_string(means.size()) + ", " +
                                std::to_string(covariances.size()) + ")");
  double total = 0;
  for (size_t k = 0; k < weights.size(); ++k) {
    if (!(weights[k] >= 0) || !std::isfinite(weights[k]))
      throw std::invalid_argument("weight " + std::to_string(k) + " is negative or not finite");
    const Mat2& c = covariances[k];
    if (!(c.a >= 0 && c.c >= 0 && c.det() >= -1e-12 * (1 + c.a * c.c)))
      throw std::invalid_argument("covariance " + std::to_string(k) +
                                  " is not symmetric positive semi-definite");
    total += weights[k];
  }
  if (!(total > 0)) throw std::invalid_argument("mixture weights sum to zero");
  for (double& w : weights) w /= total;
}

GaussianMixture2D GaussianMixture2D::from_points(const std::vector<float>& xy) {
  GaussianMixture2D m;
  const size_t n = xy.size() / 2;
  m.weights.assign(n, 1.0 / static_cast<double>(n));
  m.means.resize(n);
  m.covariances.assign(n, Mat2{0, 0, 0});
  for (size_t i = 0; i < n; ++i) m.means[i] = {xy[2 * i], xy[2 * i + 1]};
  return m;
}

std::array<double, 2> GaussianMixture2D::mean() const {
  std::array<double, 2> mu{0, 0};
  for (int k = 0; k < size(); ++k) {
    mu[0] += weights[k] * means[k][0];
    mu[1] += weights[k] * means[k][1];
  }
  return mu;
}

Mat2 GaussianMixture2D::covariance() const {
  const auto mu = mean();
  Mat2 s{0, 0, 0};
  for (int k = 0; k < size(); ++k) {
    const double dx = means[k][0] - mu[0], dy = means[k][1] - mu[1];
    s.a += weights[k] * (covariances[k].a + dx * dx);
    s.b += weights[k] * (covariances[k].b + dx * dy);
    s.c += weights[k] * (covariances[k].c + dy * dy);
  }
  return s;
}

void GaussianMixture2D::sample(int n, uint64_t seed, std::vector<float>* xy,
                               std::vector<int>* component) const {
  Rng rng(seed);
  std::vector<double> cumulative(weights.size());
  double acc = 0;
  for (size_t k = 0; k < weights.size(); ++k) cumulative[k] = (acc += weights[k]);
  xy->resize(2 * static_cast<size_t>(n));
  if (component) component->resize(n);
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform() * acc;
    const int k = static_cast<int>(std::min<size_t>(
        std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(), weights.size() - 1));
    // Cholesky of [[a, b], [b, c]]: L = [[l11, 0], [l21, l22]].
    const Mat2& c = covariances[k];
    const double l11 = std::sqrt(std::max(c.a, 0.0));
    const double l21 = l11 > 0 ? c.b / l11 : 0.0;
    const double l22 = std::sqrt(std::max(c.c - l21 * l21, 0.0));
    const double z1 = rng.normal(), z2 = rng.normal();
    (*xy)[2 * i] = static_cast<float>(means[k][0] + l11 * z1);
    (*xy)[2 * i + 1] = static_cast<float>(means[k][1] + l21 * z1 + l22 * z2);
    if (component) (*component)[i] = k;
  }
}

DiffusedMixture::DiffusedMixture(const GaussianMixture2D& mixture, double alpha_bar) : alpha_bar_(alpha_bar) {
  const double sa = std::sqrt(alpha_bar), noise = 1.0 - alpha_bar;
  components_.reserve(mixture.size());
  for (int k = 0; k < mixture.size(); ++k) {
    if (mixture.weights[k] <= 0) continue;
    const Mat2& s = mixture.covariances[k];
    // Cₖ = ᾱΣₖ + (1−ᾱ)I, its inverse and log-determinant.
    const Mat2 c{alpha_bar * s.a + noise, alpha_bar * s.b, alpha_bar * s.c + noise};
    const double det = c.det();
    if (!(det > 0))
      throw std::invalid_argument(
          "the diffused mixture is degenerate at ᾱ = 1 with a zero covariance; "
          "use t ≥ 0 for point sets");
    Component comp;
    comp.inverse = Mat2{c.c / det, -c.b / det, c.a / det};
    comp.log_weight_norm =
        std::log(mixture.weights[k]) - std::log(2 * std::numbers::pi) - 0.5 * std::log(det);
    comp.mx = sa * mixture.means[k][0];
    comp.my = sa * mixture.means[k][1];
    components_.push_back(comp);
  }
}

ExactQuantities DiffusedMixture::evaluate(double x, double y) const {
  // Responsibilities rₖ ∝ wₖ 𝒩(x; mₖ, Cₖ), computed with a running log-sum-exp in one pass.
  double max_log = -INFINITY, sum = 0, gx = 0, gy = 0;
  for (const Component& c : components_) {
    const double dx = x - c.mx, dy = y - c.my;
    const double ux = c.inverse.a * dx + c.inverse.b * dy;  // Cₖ⁻¹ (x − mₖ)
    const double uy = c.inverse.b * dx + c.inverse.c * dy;
    const double log_term = c.log_weight_norm - 0.5 * (dx * ux + dy * uy);
    if (log_term > max_log) {
      const double rescale = std::exp(max_log - log_term);
      sum *= rescale;
      gx *= rescale;
      gy *= rescale;
      max_log = log_term;
    }
    const double r = std::exp(log_term - max_log);
    sum += r;
    gx -= r * ux;
    gy -= r * uy;
  }
  ExactQuantities q;
  q.log_p = max_log + std::log(sum);
  q.score[0] = gx / sum;  // ∇ log pₜ = Σ rₖ (−Cₖ⁻¹ (x − mₖ))
  q.score[1] = gy / sum;
  const double sigma = std::sqrt(1.0 - alpha_bar_);
  q.eps[0] = -sigma * q.score[0];
  q.eps[1] = -sigma * q.score[1];
  const double sa = std::sqrt(alpha_bar_);
  q.x0[0] = (x + (1.0 - alpha_bar_) * q.score[0]) / sa;  // Tweedie's formula
  q.x0[1] = (y + (1.0 - alpha_bar_) * q.score[1]) / sa;
  return q;
}

ExactDenoiser::ExactDenoiser(GaussianMixture2D mixture, NoiseSchedule schedule)
    : mixture_(std::move(mixture)), schedule_(std::move(schedule)) {
  mixture_.validate_and_normalise();
  cache_.resize(schedule_.T() + 1);
}

const DiffusedMixture& ExactDenoiser::at(int t) {
  if (t < -1 || t >= schedule_.T())
    throw std::out_of_range("t = " + std::to_string(t) + " is outside 0 … " +
                            std::to_string(schedule_.T() - 1));
  auto& slot = cache_[t + 1];
  if (!slot) slot = std::make_unique<DiffusedMixture>(mixture_, t < 0 ? 1.0 : schedule_.alpha_bar[t]);
  return *slot;
}

ExactQuantities ExactDenoiser::evaluate(double x, double y, int t) {
  return at(t).evaluate(x, y);
}

void ExactDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  const DiffusedMixture& m = at(t);
  for (int i = 0; i < n; ++i) {
    const ExactQuantities q = m.evaluate(xt[2 * i], xt[2 * i + 1]);
    eps[2 * i] = static_cast<float>(q.eps[0]);
    eps[2 * i + 1] = static_cast<float>(q.eps[1]);
  }
}

void ExactDenoiser::predict_eps_continuous(const float* xt, int n, double, double alpha_bar, float* eps) {
  if (!(alpha_bar > 0 && alpha_bar <= 1)) throw std::out_of_range("ᾱ must be in (0, 1]");
  if (!continuous_ || continuous_->alpha_bar() != alpha_bar)
    continuous_ = std::make_unique<DiffusedMixture>(mixture_, alpha_bar);
  for (int i = 0; i < n; ++i) {
    const ExactQuantities q = continuous_->evaluate(xt[2 * i], xt[2 * i + 1]);
    eps[2 * i] = static_cast<float>(q.eps[0]);
    eps[2 * i + 1] = static_cast<float>(q.eps[1]);
  }
}

}  // namespace difflab
