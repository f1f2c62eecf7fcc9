// tilted_mcmc.cpp — annealed SMC with MALA moves for the tilted density of a labelled mixture
// (tilted_mcmc.h). Not a diffusion sampler.
#include "sample/tilted_mcmc.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/limits.h"
#include "core/rng.h"

namespace difflab {
namespace {

struct Chain {
  double x, y;
  double log_base, log_tilt;
  double g_base[2], g_tilt[2];
};

void evaluate(const AnnealedTarget& target, Chain* c) {
  target(c->x, c->y, &c->log_base, c->g_base, &c->log_tilt, c->g_tilt);
}

// One MALA move for log π_s = log base + s log tilt. Returns whether it was accepted.
bool mala_move(const AnnealedTarget& target, double s, double h, Rng& rng, Chain* c) {
  const double gx = c->g_base[0] + s * c->g_tilt[0], gy = c->g_base[1] + s * c->g_tilt[1];
  Chain p;
  const double noise = std::sqrt(2 * h);
  p.x = c->x + h * gx + noise * rng.normal();
  p.y = c->y + h * gy + noise * rng.normal();
  evaluate(target, &p);
  if (!std::isfinite(p.log_base) || !std::isfinite(p.log_tilt)) return false;
  const double pgx = p.g_base[0] + s * p.g_tilt[0], pgy = p.g_base[1] + s * p.g_tilt[1];
  // log q(x' | x) = −|x' − x − h∇(x)|² / 4h (+ const), and the reverse.
  const double fx = p.x - c->x - h * gx, fy = p.y - c->y - h * gy;
  const double bx = c->x - p.x - h * pgx, by = c->y - p.y - h * pgy;
  const double log_ratio = (p.log_base + s * p.log_tilt) - (c->log_base + s * c->log_tilt) -
                           (bx * bx + by * by) / (4 * h) + (fx * fx + fy * fy) / (4 * h);
  if (std::log(rng.uniform() + 1e-300) < log_ratio) {
    *c = p;
    return true;
  }
  return false;
}

double adapt(double h, double acceptance, double target) {
  return std::clamp(h * (acceptance > target ? 1.1 : 0.9), 1e-8, 10.0);
}

}  // namespace

AnnealedSmcResult annealed_smc(const AnnealedTarget& target, std::vector<float> base,
                               const AnnealedSmcConfig& c) {
  const int n = static_cast<int>(base.size() / 2);
  if (n < 2 || base.size() % 2)
    throw std::invalid_argument("annealed SMC needs at least 2 chains (x, y pairs)");
  if (c.levels < 1 || c.moves_per_level < 0 || c.burn_in < 0 || c.final_steps < 1 || !(c.initial_step > 0))
    throw std::invalid_argument("annealed SMC: levels ≥ 1, final_steps ≥ 1 and a positive step size");
  const uint64_t work =
      static_cast<uint64_t>(n) *
      (static_cast<uint64_t>(c.levels) * (c.moves_per_level + 1) + c.burn_in + c.final_steps);
  if (work > limits::kMaxMcmcWork)
    throw std::invalid_argument(
        "annealed SMC: chains × steps = " + std::to_string(work) +
        " is more than limits.h kMaxMcmcWork = " + std::to_string(limits::kMaxMcmcWork));
  Rng rng(c.seed * 7919 + 17);
  std::vector<Chain> chains(n);
  for (int i = 0; i < n; ++i) {
    chains[i].x = base[2 * i];
    chains[i].y = base[2 * i + 1];
    evaluate(target, &chains[i]);
  }
  AnnealedSmcResult result;
  std::vector<double> log_w(n, 0.0), w(n);
  std::vector<Chain> copy(n);
  double h = c.initial_step;
  for (int level = 1; level <= c.levels; ++level) {
    const double s = static_cast<double>(level) / c.levels, ds = 1.0 / c.levels;
    double max_lw = -INFINITY;
    for (int i = 0; i < n; ++i) {
      log_w[i] += ds * chains[i].log_tilt;
      max_lw = std::max(max_lw, log_w[i]);
    }
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      w[i] = std::exp(log_w[i] - max_lw);
      sum += w[i];
      sum2 += w[i] * w[i];
    }
    const double ess = sum * sum / sum2;
    if (ess < 0.5 * n) {  // systematic resampling
      result.min_ess_fraction = std::min(result.min_ess_fraction, ess / n);
      ++result.resamplings;
      const double step = sum / n;
      double u = rng.uniform() * step, acc = 0;
      int j = 0;
      for (int i = 0; i < n; ++i) {
        while (j < n - 1 && acc + w[j] < u) acc += w[j++];
        copy[i] = chains[j];
        u += step;
      }
      chains.swap(copy);
      std::fill(log_w.begin(), log_w.end(), 0.0);
    }
    for (int m = 0; m < c.moves_per_level; ++m) {
      int accepted = 0;
      for (Chain& ch : chains) accepted += mala_move(target, s, h, rng, &ch);
      h = adapt(h, static_cast<double>(accepted) / n, c.target_acceptance);
    }
  }
  // The weights left at s = 1 are folded in by one last resampling, so every chain counts equally below.
  {
    double max_lw = -INFINITY, sum = 0;
    for (double l : log_w) max_lw = std::max(max_lw, l);
    for (int i = 0; i < n; ++i) sum += (w[i] = std::exp(log_w[i] - max_lw));
    const double step = sum / n;
    double u = rng.uniform() * step, acc = 0;
    int j = 0;
    for (int i = 0; i < n; ++i) {
      while (j < n - 1 && acc + w[j] < u) acc += w[j++];
      copy[i] = chains[j];
      u += step;
    }
    chains.swap(copy);
  }
  for (int k = 0; k < c.burn_in; ++k) {
    int accepted = 0;
    for (Chain& ch : chains) accepted += mala_move(target, 1.0, h, rng, &ch);
    h = adapt(h, static_cast<double>(accepted) / n, c.target_acceptance);
  }
  long accepted = 0;
  for (int k = 0; k < c.final_steps; ++k)
    for (Chain& ch : chains) accepted += mala_move(target, 1.0, h, rng, &ch);
  result.acceptance = static_cast<double>(accepted) / (static_cast<double>(n) * c.final_steps);
  result.step_size = h;
  result.xy.resize(2 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    result.xy[2 * i] = static_cast<float>(chains[i].x);
    result.xy[2 * i + 1] = static_cast<float>(chains[i].y);
  }
  return result;
}

std::vector<float> sample_diffused(const GaussianMixture2D& mixture, double alpha_bar, int n, uint64_t seed) {
  std::vector<float> xy;
  mixture.sample(n, seed, &xy, nullptr);
  if (alpha_bar < 1) {
    Rng rng(seed ^ 0x5eed5eedULL);
    const double sa = std::sqrt(alpha_bar), sn = std::sqrt(1 - alpha_bar);
    for (float& v : xy) v = static_cast<float>(sa * v + sn * rng.normal());
  }
  return xy;
}

AnnealedSmcResult sample_tilted(const LabelledMixture2D& mixture, int label, double gamma, double alpha_bar,
                                const AnnealedSmcConfig& config) {
  if (label < 0 || label >= mixture.num_classes)
    throw std::out_of_range("class " + std::to_string(label) + " is outside 0 … " +
                            std::to_string(mixture.num_classes - 1));
  if (!(gamma >= 0) || !std::isfinite(gamma))
    throw std::invalid_argument("the tilted density needs a finite γ ≥ 0");
  const DiffusedLabelledMixture diffused(mixture, alpha_bar);  // throws for a point set at ᾱ = 1
  const bool from_class = gamma >= 1;
  const double power = from_class ? gamma - 1 : gamma;
  AnnealedTarget target = [&](double x, double y, double* lb, double gb[2], double* lt, double gt[2]) {
    const ConditionalQuantities q = diffused.evaluate(x, y, label);
    *lb = from_class ? q.log_p_cond : q.log_p;
    *lt = power * q.log_prob_class;
    for (int d = 0; d < 2; ++d) {
      gb[d] = from_class ? q.score_cond[d] : q.score[d];
      gt[d] = power * q.grad_log_prob_class[d];
    }
  };
  const GaussianMixture2D base = from_class ? mixture.class_mixture(label) : mixture.mixture;
  return annealed_smc(target, sample_diffused(base, alpha_bar, config.chains, config.seed + 1), config);
}

namespace {
// The squared Mahalanobis distance of (x, y) from component k (its covariance; a zero covariance: ∞ unless at
// the mean).
double mahalanobis2(const GaussianMixture2D& m, int k, double x, double y) {
  const Mat2& s = m.covariances[k];
  const double dx = x - m.means[k][0], dy = y - m.means[k][1];
  const double det = s.det();
  if (!(det > 0)) return (dx == 0 && dy == 0) ? 0 : INFINITY;
  return (s.c * dx * dx - 2 * s.b * dx * dy + s.a * dy * dy) / det;
}
}  // namespace

double fraction_off_modes(const GaussianMixture2D& mixture, const std::vector<float>& xy, double k_sigma) {
  const size_t n = xy.size() / 2;
  if (n == 0) return 0;
  size_t off = 0;
  for (size_t i = 0; i < n; ++i) {
    bool near = false;
    for (int k = 0; k < mixture.size() && !near; ++k)
      near = mahalanobis2(mixture, k, xy[2 * i], xy[2 * i + 1]) <= k_sigma * k_sigma;
    off += !near;
  }
  return static_cast<double>(off) / static_cast<double>(n);
}

double mean_log_density(const GaussianMixture2D& mixture, const std::vector<float>& xy) {
  const DiffusedMixture data(mixture, 1.0);
  const size_t n = xy.size() / 2;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += data.evaluate(xy[2 * i], xy[2 * i + 1]).log_p;
  return n ? sum / static_cast<double>(n) : 0;
}

double fraction_in_class_modes(const LabelledMixture2D& mixture, int label, const std::vector<float>& xy,
                               double k_sigma) {
  const size_t n = xy.size() / 2;
  if (n == 0) return 0;
  const std::vector<int> ks = mixture.components_of(label);
  size_t in = 0;
  for (size_t i = 0; i < n; ++i) {
    bool near = false;
    for (size_t j = 0; j < ks.size() && !near; ++j)
      near = mahalanobis2(mixture.mixture, ks[j], xy[2 * i], xy[2 * i + 1]) <= k_sigma * k_sigma;
    in += near;
  }
  return static_cast<double>(in) / static_cast<double>(n);
}

int class_modes_covered(const LabelledMixture2D& mixture, int label, const std::vector<float>& xy,
                        double k_sigma) {
  const size_t n = xy.size() / 2;
  const std::vector<int> ks = mixture.components_of(label);
  int covered = 0;
  for (int k : ks) {
    size_t near = 0;
    for (size_t i = 0; i < n; ++i)
      near += mahalanobis2(mixture.mixture, k, xy[2 * i], xy[2 * i + 1]) <= k_sigma * k_sigma;
    covered +=
        n > 0 && 4.0 * static_cast<double>(ks.size()) * static_cast<double>(near) >= static_cast<double>(n);
  }
  return covered;
}

}  // namespace difflab
