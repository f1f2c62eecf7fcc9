// guidance_view.cpp — the presets as labelled mixtures, the exact guided ε̃, guided samples,
// precision/coverage and the tilted target by importance resampling (see guidance_view.h). Not drawing and
// not a sampler.
#include "views/guidance_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/rng.h"
#include "data/toy2d.h"
#include "sample/guided.h"

namespace difflab {

LabelledMixture2D guidance_mixture(const std::string& dataset, int classes_mod, double sigma) {
  const Dataset2D data = Dataset2D::load(dataset);
  if (!data.is_mixture()) throw std::invalid_argument(dataset + " is not a Gaussian mixture");
  LabelledMixture2D g;
  g.mixture = data.oracle_mixture();
  const int K = g.mixture.size();
  const int mod = classes_mod > 0 ? std::min(classes_mod, K) : K;
  for (int k = 0; k < K; ++k) g.classes.push_back(k % mod);
  g.num_classes = mod;
  if (sigma > 0)
    for (Mat2& c : g.mixture.covariances) c = Mat2{sigma * sigma, 0, sigma * sigma};
  return g;
}

PointSet guidance_points(const LabelledMixture2D& g, int n, uint64_t seed) {
  PointSet p;
  std::vector<int> component;
  g.mixture.sample(n, seed, &p.xy, &component);
  p.labels.resize(component.size());
  for (size_t i = 0; i < component.size(); ++i) p.labels[i] = g.classes[component[i]];
  return p;
}

GuidedEps exact_guided_eps(ExactConditionalDenoiser& exact) {
  return [&exact](const float* xt, int n, int t, int label, double gamma, float* eps) {
    CfgDenoiser(exact, std::vector<int>{label}, gamma).predict_eps(xt, n, t, eps);
  };
}

namespace {
double mode_sigma(const Mat2& c) {
  // Largest eigenvalue of [[a, b], [b, c]].
  const double mean = 0.5 * (c.a + c.c), half = 0.5 * (c.a - c.c);
  return std::sqrt(std::max(mean + std::sqrt(half * half + c.b * c.b), 1e-12));
}
}  // namespace

double data_log_density_floor(const LabelledMixture2D& g) {
  std::vector<float> xy;
  std::vector<int> component;
  g.mixture.sample(20000, 99, &xy, &component);
  const DiffusedMixture at_0(g.mixture, 1.0);
  std::vector<double> log_p(component.size());
  for (size_t i = 0; i < log_p.size(); ++i) log_p[i] = at_0.evaluate(xy[2 * i], xy[2 * i + 1]).log_p;
  std::nth_element(log_p.begin(), log_p.begin() + log_p.size() / 100, log_p.end());
  return log_p[log_p.size() / 100];
}

GuidanceStats guidance_stats(const std::vector<float>& xy, const LabelledMixture2D& g, int label) {
  GuidanceStats s;
  const int n = static_cast<int>(xy.size() / 2), K = g.mixture.size();
  const std::vector<int> mine = g.components_of(label);
  s.class_modes = static_cast<int>(mine.size());
  if (n == 0) return s;
  const double floor = data_log_density_floor(g);
  const DiffusedMixture at_0(g.mixture, 1.0);
  std::vector<int> count(K, 0);
  int in_class = 0, outside = 0;
  double radius = 0;
  for (int i = 0; i < n; ++i) {
    const double x = xy[2 * i], y = xy[2 * i + 1];
    int nearest_mode = 0;
    double nearest_d = std::numeric_limits<double>::infinity();
    for (int k = 0; k < K; ++k) {
      const double d = std::hypot(x - g.mixture.means[k][0], y - g.mixture.means[k][1]);
      if (d < nearest_d) nearest_d = d, nearest_mode = k;
    }
    if (nearest_d < 3 * mode_sigma(g.mixture.covariances[nearest_mode])) {
      ++count[nearest_mode];
      if (g.classes[nearest_mode] == label) ++in_class;
    }
    if (!(at_0.evaluate(x, y).log_p >= floor)) ++outside;
    double nearest = std::numeric_limits<double>::infinity();
    for (int k : mine)
      nearest = std::min(nearest, std::hypot(x - g.mixture.means[k][0], y - g.mixture.means[k][1]));
    radius += nearest;
  }
  s.precision = static_cast<double>(in_class) / n;
  s.off_data = static_cast<double>(outside) / n;
  s.mean_radius = radius / n;
  for (int k : mine)
    if (count[k] * 4.0 * s.class_modes >= n) ++s.modes_covered;
  return s;
}

std::vector<float> tilted_samples(const LabelledMixture2D& g, int label, double gamma, int n, uint64_t seed) {
  const GaussianMixture2D cond = g.class_mixture(label);
  const DiffusedMixture full_at_0(g.mixture, 1.0), cond_at_0(cond, 1.0);
  const bool from_cond = gamma > 1;
  const double power = from_cond ? gamma - 1 : gamma;
  const int proposals = 40 * n;
  std::vector<float> xy;
  std::vector<int> component;
  (from_cond ? cond : g.mixture).sample(proposals, seed, &xy, &component);
  std::vector<double> log_w(proposals);
  double max_log_w = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < proposals; ++i) {
    const double lc = cond_at_0.evaluate(xy[2 * i], xy[2 * i + 1]).log_p;
    const double lf = full_at_0.evaluate(xy[2 * i], xy[2 * i + 1]).log_p;
    log_w[i] = power * (lc - lf);
    if (!std::isfinite(log_w[i])) log_w[i] = -std::numeric_limits<double>::infinity();
    max_log_w = std::max(max_log_w, log_w[i]);
  }
  std::vector<double> cumulative(proposals);
  double total = 0;
  for (int i = 0; i < proposals; ++i) cumulative[i] = total += std::exp(log_w[i] - max_log_w);
  Rng rng(seed * 31 + 7);
  std::vector<float> out(2 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {  // multinomial resampling
    const double u = rng.uniform() * total;
    const int j =
        static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    const int k = std::min(j, proposals - 1);
    out[2 * i] = xy[2 * k];
    out[2 * i + 1] = xy[2 * k + 1];
  }
  return out;
}

std::vector<float> guided_samples(const GuidedEps& eps, const NoiseSchedule& schedule, const DataBox& box,
                                  int label, double gamma, const std::vector<float>& x_T,
                                  SamplerConfig config, uint64_t seed,
                                  const std::function<void(double)>& progress) {
  GammaDenoiser d(eps, schedule, label, gamma, box);
  config.record_trajectory = false;
  Sampler s(d, config);
  s.begin(x_T, seed);
  const double total = static_cast<double>(s.timesteps().size());
  while (!s.done()) {
    s.step();
    if (progress) progress(s.steps_done() / total);
  }
  return s.x();
}

std::vector<TradeoffPoint> guidance_tradeoff(const GuidedEps& eps, const NoiseSchedule& schedule,
                                             const DataBox& box, const LabelledMixture2D& mixture, int label,
                                             const std::vector<double>& gammas, const std::vector<float>& x_T,
                                             const SamplerConfig& config,
                                             const std::function<void(double)>& progress) {
  std::vector<TradeoffPoint> out;
  const int n = static_cast<int>(x_T.size() / 2);
  for (size_t i = 0; i < gammas.size(); ++i) {
    TradeoffPoint p;
    p.gamma = gammas[i];
    const auto sub = [&](double f) {
      if (progress) progress((static_cast<double>(i) + f) / gammas.size());
    };
    p.guided = guidance_stats(guided_samples(eps, schedule, box, label, p.gamma, x_T, config, 1, sub),
                              mixture, label);
    p.tilted = guidance_stats(tilted_samples(mixture, label, p.gamma, n, 5), mixture, label);
    out.push_back(p);
  }
  return out;
}

}  // namespace difflab
