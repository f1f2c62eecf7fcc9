// interpolation.cpp — slerp between two x_T and their DDIM decodings (see interpolation.h).
// Not a sampler.
#include "views/interpolation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sample/sampler.h"

namespace difflab {

std::vector<float> slerp(const std::vector<float>& a, const std::vector<float>& b, double alpha) {
  if (a.empty() || a.size() != b.size())
    throw std::invalid_argument("slerp needs two vectors of the same size");
  double dot = 0, norm_a = 0, norm_b = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    dot += double(a[k]) * b[k];
    norm_a += double(a[k]) * a[k];
    norm_b += double(b[k]) * b[k];
  }
  const double cosine =
      norm_a > 0 && norm_b > 0 ? std::clamp(dot / std::sqrt(norm_a * norm_b), -1.0, 1.0) : 1.0;
  const double theta = std::acos(cosine);
  double weight_a = 1 - alpha, weight_b = alpha;  // θ → 0: the linear limit
  if (std::sin(theta) > 1e-6) {
    weight_a = std::sin((1 - alpha) * theta) / std::sin(theta);
    weight_b = std::sin(alpha * theta) / std::sin(theta);
  }
  std::vector<float> x(a.size());
  for (size_t k = 0; k < a.size(); ++k) x[k] = static_cast<float>(weight_a * a[k] + weight_b * b[k]);
  return x;
}

std::vector<float> lerp(const std::vector<float>& a, const std::vector<float>& b, double alpha) {
  if (a.empty() || a.size() != b.size())
    throw std::invalid_argument("lerp needs two vectors of the same size");
  std::vector<float> x(a.size());
  for (size_t k = 0; k < a.size(); ++k) x[k] = static_cast<float>((1 - alpha) * a[k] + alpha * b[k]);
  return x;
}

LatentInterpolation ddim_interpolate(Denoiser& model, const std::vector<float>& x_T_a,
                                     const std::vector<float>& x_T_b, int count, int steps, Spacing spacing) {
  InterpolationOptions options;
  options.count = count;
  options.steps = steps;
  options.spacing = spacing;
  return ddim_interpolate(model, x_T_a, x_T_b, options);
}

LatentInterpolation ddim_interpolate(Denoiser& model, const std::vector<float>& x_T_a,
                                     const std::vector<float>& x_T_b, const InterpolationOptions& options) {
  const size_t dim = static_cast<size_t>(model.dim());
  const int count = options.count;
  if (x_T_a.size() != dim || x_T_b.size() != dim)
    throw std::invalid_argument("each x_T must hold the model's " + std::to_string(dim) + " values");
  if (count < 2) throw std::invalid_argument("an interpolation needs at least 2 points");
  LatentInterpolation result;
  for (int i = 0; i < count; ++i) {
    const double alpha = static_cast<double>(i) / (count - 1);
    result.alphas.push_back(alpha);
    const std::vector<float> latent =
        options.path == LatentPath::Slerp ? slerp(x_T_a, x_T_b, alpha) : lerp(x_T_a, x_T_b, alpha);
    double squares = 0;
    for (float v : latent) squares += double(v) * v;
    result.latent_norms.push_back(std::sqrt(squares));
    result.latents.insert(result.latents.end(), latent.begin(), latent.end());
  }
  SamplerConfig config;
  config.kind = SamplerKind::Ddim;
  config.eta = 0;
  config.steps = options.steps;
  config.spacing = options.spacing;
  config.clip_x0 = options.clip_x0;
  config.record_trajectory = false;
  Sampler sampler(model, config);
  sampler.begin(result.latents, 0);
  const double total = static_cast<double>(sampler.timesteps().size());
  sampler.run([&](int done) {
    if (options.progress) options.progress(done / total);
  });
  result.samples = sampler.x();
  return result;
}

}  // namespace difflab
