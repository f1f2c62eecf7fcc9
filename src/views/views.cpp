// views.cpp — the computations behind the lecture panels (see views.h).
// Not drawing and not threading: the panels decide when to call these.
#include "views/views.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/metrics.h"
#include "core/rng.h"

namespace difflab {

std::vector<float> GridSpec::points() const {
  std::vector<float> xy;
  xy.reserve(2 * static_cast<size_t>(n) * n);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      xy.push_back(static_cast<float>(x_at(c)));
      xy.push_back(static_cast<float>(y_at(r)));
    }
  return xy;
}

std::vector<float> noised_points(const NoiseSchedule& s, int t, const std::vector<float>& x0,
                                 const std::vector<float>& fixed_eps) {
  if (fixed_eps.size() != x0.size()) throw std::invalid_argument("one ε per coordinate of x₀ is needed");
  if (t < 0) return x0;
  std::vector<float> xt(x0.size());
  q_sample(s, std::min(t, s.T() - 1), x0.data(), fixed_eps.data(), static_cast<int>(x0.size()), xt.data());
  return xt;
}

std::vector<float> log_density_grid(const GaussianMixture2D& mixture, const NoiseSchedule& s, int t,
                                    const GridSpec& grid) {
  // A point set at t = −1 has no density: use the first step instead.
  bool has_delta = false;
  for (const Mat2& c : mixture.covariances) has_delta = has_delta || c.det() <= 0;
  const double alpha_bar = t < 0 ? (has_delta ? s.alpha_bar[0] : 1.0) : s.alpha_bar[std::min(t, s.T() - 1)];
  const DiffusedMixture diffused(mixture, alpha_bar);
  std::vector<float> out(static_cast<size_t>(grid.n) * grid.n);
  for (int r = 0; r < grid.n; ++r)
    for (int c = 0; c < grid.n; ++c)
      out[static_cast<size_t>(r) * grid.n + c] =
          static_cast<float>(diffused.evaluate(grid.x_at(c), grid.y_at(r)).log_p);
  return out;
}

std::vector<float> synthetic_image() {
  constexpr int kSize = 28;
  std::vector<float> image(kSize * kSize, -1.0f);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const bool body = x >= 8 && x <= 19 && y >= 6 && y <= 24;
      const bool sleeves =
          y >= 6 && y <= 12 &&
          ((x >= 3 && x < 8 && y - 6 >= (8 - x) / 2) || (x > 19 && x <= 24 && y - 6 >= (x - 19) / 2));
      const bool neck = y <= 8 && x >= 11 && x <= 16 && (x - 13.5) * (x - 13.5) + (y - 5) * (y - 5) < 9;
      const bool stripe = y >= 15 && y <= 17;
      if ((body || sleeves) && !neck) image[y * kSize + x] = stripe && body ? -0.2f : 0.8f;
    }
  return image;
}

std::string signed_sum(const std::vector<double>& terms, int decimals) {
  std::string out;
  char number[64];
  for (size_t i = 0; i < terms.size(); ++i) {
    const double v = terms[i];
    std::snprintf(number, sizeof number, "%.*f", decimals, std::abs(v));
    // A term that prints as zero has no sign ("−0.000" would read as a negative number).
    const bool negative = v < 0 && std::strtod(number, nullptr) != 0;
    if (i == 0)
      out += negative ? "−" : "";
    else
      out += negative ? " − " : " + ";
    out += number;
  }
  return out;
}

int highest_variance_image(const std::vector<float>& pixels, int dim, int candidates) {
  if (dim <= 0) throw std::invalid_argument("images need at least one pixel");
  const int count = std::min<int>(candidates, static_cast<int>(pixels.size() / dim));
  int best = 0;
  double best_var = -1;
  for (int i = 0; i < count; ++i) {
    double sum = 0, sum2 = 0;
    for (int k = 0; k < dim; ++k) {
      const double v = pixels[static_cast<size_t>(i) * dim + k];
      sum += v, sum2 += v * v;
    }
    const double var = sum2 / dim - (sum / dim) * (sum / dim);
    if (var > best_var) best = i, best_var = var;
  }
  return best;
}

std::vector<float> noising_strip(const NoiseSchedule& s, const std::vector<float>& image,
                                 const std::vector<int>& ts, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> eps(image.size());
  for (float& e : eps) e = static_cast<float>(rng.normal());
  std::vector<float> strip;
  strip.reserve(image.size() * ts.size());
  for (int t : ts) {
    const std::vector<float> xt = noised_points(s, t, image, eps);
    strip.insert(strip.end(), xt.begin(), xt.end());
  }
  return strip;
}

Field field_on_grid(Denoiser& model, int t, const GridSpec& grid) {
  if (model.dim() != 2) throw std::invalid_argument("fields need a 2-D model");
  const NoiseSchedule& s = model.schedule();
  t = std::clamp(t, 0, s.T() - 1);
  Field f;
  f.grid = grid;
  const std::vector<float> xy = grid.points();
  const int n = static_cast<int>(xy.size() / 2);
  f.eps.resize(xy.size());
  model.predict_eps(xy.data(), n, t, f.eps.data());
  f.score.resize(xy.size());
  f.x0.resize(xy.size());
  for (size_t k = 0; k < xy.size(); ++k) {
    f.score[k] = static_cast<float>(score_from_eps(s, t, f.eps[k]));
    f.x0[k] = static_cast<float>(x0_from_eps(s, t, xy[k], f.eps[k]));
  }
  return f;
}

std::vector<float> score_error(const Field& a, const Field& b) {
  if (a.score.size() != b.score.size()) throw std::invalid_argument("fields on different grids");
  std::vector<float> e(a.score.size() / 2);
  for (size_t i = 0; i < e.size(); ++i)
    e[i] = std::hypot(a.score[2 * i] - b.score[2 * i], a.score[2 * i + 1] - b.score[2 * i + 1]);
  return e;
}

std::vector<float> unclipped_x0(Denoiser& model, const std::vector<float>& xt, int t) {
  const int dim = model.dim();
  if (xt.empty() || xt.size() % dim != 0) throw std::invalid_argument("xₜ must hold n × dim values");
  const NoiseSchedule& s = model.schedule();
  t = std::clamp(t, 0, s.T() - 1);
  std::vector<float> eps(xt.size()), x0(xt.size());
  model.predict_eps(xt.data(), static_cast<int>(xt.size()) / dim, t, eps.data());
  for (size_t k = 0; k < xt.size(); ++k)
    x0[k] = static_cast<float>((xt[k] - s.sqrt_one_minus_alpha_bar[t] * eps[k]) / s.sqrt_alpha_bar[t]);
  return x0;
}

std::vector<float> empirical_posterior_mean(const std::vector<float>& data, int dim,
                                            const std::vector<float>& xt, double alpha_bar) {
  if (dim <= 0 || data.empty() || data.size() % dim != 0 || xt.size() != static_cast<size_t>(dim))
    throw std::invalid_argument("the posterior mean needs n × dim data and one xₜ of dim values");
  const size_t n = data.size() / dim;
  const double a = std::sqrt(alpha_bar), variance = std::max(1.0 - alpha_bar, 1e-12);
  std::vector<double> logit(n);
  double top = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    double d2 = 0;
    for (int k = 0; k < dim; ++k) {
      const double r = xt[k] - a * data[i * dim + k];
      d2 += r * r;
    }
    logit[i] = -d2 / (2 * variance);
    top = std::max(top, logit[i]);
  }
  std::vector<double> mean(dim, 0.0);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    const double w = std::exp(logit[i] - top);
    total += w;
    for (int k = 0; k < dim; ++k) mean[k] += w * data[i * dim + k];
  }
  std::vector<float> out(dim);
  for (int k = 0; k < dim; ++k) out[k] = static_cast<float>(mean[k] / total);
  return out;
}

int next_quality_step(int step, int early_every, int early_until, int every) {
  if (early_every > 0 && step < early_until)
    return std::min((step / early_every + 1) * early_every, early_until);
  return every > 0 ? (step / every + 1) * every : step + 1;
}

float arrow_scale(const Field& reference, float longest_length) {
  float longest = 0;
  for (size_t i = 0; i + 1 < reference.score.size(); i += 2)
    longest = std::max(longest, std::hypot(reference.score[i], reference.score[i + 1]));
  return longest > 0 && std::isfinite(longest) ? longest_length / longest : 1.0f;
}

std::vector<Arrow> score_arrows(const Field& f, float scale) {
  const std::vector<float> xy = f.grid.points();
  if (f.score.size() != xy.size()) throw std::invalid_argument("the field has no score at every grid point");
  std::vector<Arrow> arrows(xy.size() / 2);
  for (size_t i = 0; i < arrows.size(); ++i)
    arrows[i] = {xy[2 * i], xy[2 * i + 1], scale * f.score[2 * i], scale * f.score[2 * i + 1]};
  return arrows;
}

std::vector<SamplerRun> compare_samplers(Denoiser& model, const std::vector<SamplerConfig>& configs,
                                         const std::vector<float>& x_T, uint64_t seed,
                                         const std::vector<float>& reference, int timing_repeats,
                                         const std::function<void(double)>& progress) {
  std::vector<SamplerRun> runs;
  // Progress counts sampler steps over every config and repeat (a step's cost is one or two evaluations).
  const int repeats = std::max(1, timing_repeats);
  double total_steps = 0, steps_done = 0;
  for (const SamplerConfig& config : configs)
    total_steps += repeats * Sampler(model, config).timesteps().size();
  for (const SamplerConfig& config : configs) {
    SamplerRun run;
    run.config = config;
    run.name = sampler_kind_name(config.kind);
    Sampler sampler(model, config);
    run.milliseconds = INFINITY;
    for (int repeat = 0; repeat < repeats; ++repeat) {
      const auto start = std::chrono::steady_clock::now();
      sampler.begin(x_T, seed);
      while (!sampler.done()) {
        sampler.step();
        if (progress) progress(++steps_done / std::max(total_steps, 1.0));
      }
      run.milliseconds = std::min(
          run.milliseconds,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    run.samples = sampler.x();
    run.trajectory = sampler.trajectory();
    run.network_evaluations = sampler.network_evaluations();
    if (!reference.empty()) run.swd = sliced_wasserstein2(run.samples, reference);
    runs.push_back(std::move(run));
  }
  return runs;
}

std::vector<std::vector<float>> warp_grid_by_ode(Denoiser& model, SamplerKind solver, int steps,
                                                 const GridSpec& bounds, int points_per_line) {
  if (solver != SamplerKind::OdeEuler && solver != SamplerKind::OdeHeun && solver != SamplerKind::Ddim)
    throw std::invalid_argument("the grid is warped by a deterministic solver (ode-euler, ode-heun or ddim)");
  std::vector<float> x_T;
  for (int line = 0; line < bounds.n; ++line)
    for (int k = 0; k < points_per_line; ++k) {
      const double u = points_per_line == 1 ? 0.5 : static_cast<double>(k) / (points_per_line - 1);
      const double fixed = bounds.n == 1 ? 0.5 : static_cast<double>(line) / (bounds.n - 1);
      // Horizontal line `line`, then (below) vertical line `line`.
      x_T.push_back(static_cast<float>(bounds.x_min + u * (bounds.x_max - bounds.x_min)));
      x_T.push_back(static_cast<float>(bounds.y_min + fixed * (bounds.y_max - bounds.y_min)));
    }
  for (int line = 0; line < bounds.n; ++line)
    for (int k = 0; k < points_per_line; ++k) {
      const double u = points_per_line == 1 ? 0.5 : static_cast<double>(k) / (points_per_line - 1);
      const double fixed = bounds.n == 1 ? 0.5 : static_cast<double>(line) / (bounds.n - 1);
      x_T.push_back(static_cast<float>(bounds.x_min + fixed * (bounds.x_max - bounds.x_min)));
      x_T.push_back(static_cast<float>(bounds.y_min + u * (bounds.y_max - bounds.y_min)));
    }
  SamplerConfig config;
  config.kind = solver;
  config.steps = steps;
  config.spacing = Spacing::Trailing;  // start from the noisiest level, x_T at t = T − 1
  Sampler sampler(model, config);
  sampler.begin(x_T, 0);
  sampler.run();
  return sampler.trajectory();
}

BoundComparison compare_bounds(Denoiser& model, Denoiser& exact, VarianceKind variance,
                               const std::vector<float>& x0, uint64_t seed) {
  BoundComparison out;
  Rng rng_model(seed), rng_exact(seed);
  out.model = evaluate_vlb(model, variance, x0, DecoderKind::ContinuousGaussian, rng_model);
  out.exact = evaluate_vlb(exact, variance, x0, DecoderKind::ContinuousGaussian, rng_exact);
  out.weights = model.schedule().vlb_weight;
  return out;
}

std::vector<double> edm_sigmas(const NoiseSchedule& s) {
  std::vector<double> sigma(s.T());
  for (int t = 0; t < s.T(); ++t) sigma[t] = std::sqrt((1.0 - s.alpha_bar[t]) / s.alpha_bar[t]);
  return sigma;
}

}  // namespace difflab
