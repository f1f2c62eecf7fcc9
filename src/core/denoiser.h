// denoiser.h — the one interface every sampler, evaluator and panel calls: ε̂(xₜ, t) for a batch.
// Not a model: trained networks (nn/) and the exact mixture denoiser (gaussian_mixture.h) implement it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/schedule.h"

namespace difflab {

// Where clean data can lie, a [lo, hi] interval per coordinate. The exact x̂₀ = E[x₀ | xₜ] never leaves the
// data's bounding box; a network's can, far from the data it saw (a 2-D DDPM sample then runs away), so
// samplers clip x̂₀ into the box, as diffusers' clip_sample does for images with [−1, 1]. Empty: anywhere.
struct DataBox {
  std::vector<double> lo, hi;
  bool empty() const { return lo.empty(); }
};

// The bounding box of n points (row-major n × dim), widened by `margin` × its extent on every side.
inline DataBox bounding_box(const float* points, size_t n, int dim, double margin = 0.1) {
  DataBox box;
  if (n == 0) return box;
  box.lo.assign(points, points + dim);
  box.hi = box.lo;
  for (size_t i = 1; i < n; ++i)
    for (int d = 0; d < dim; ++d) {
      box.lo[d] = std::min<double>(box.lo[d], points[i * dim + d]);
      box.hi[d] = std::max<double>(box.hi[d], points[i * dim + d]);
    }
  for (int d = 0; d < dim; ++d) {
    const double extent = std::max(box.hi[d] - box.lo[d], 1e-3);
    box.lo[d] -= margin * extent;
    box.hi[d] += margin * extent;
  }
  return box;
}

class Denoiser {
 public:
  virtual ~Denoiser() = default;
  virtual int dim() const = 0;                        // coordinates per point (2 for toy data)
  virtual const NoiseSchedule& schedule() const = 0;  // the schedule the denoiser was built for
  // ε̂ for n points xₜ (row-major n×dim), all at code index t ∈ [0, T). Not const: may use scratch.
  virtual void predict_eps(const float* xt, int n, int t, float* eps) = 0;
  // ε̂ at a noise level between the schedule's steps: fractional code index t ∈ [0, T − 1] with its ᾱ = 1/(1 +
  // σ²) (samplers on Karras σ-steps call this). Default: the nearest integer t, as k-diffusion's quantized VP
  // wrapper does for a network trained on integer t. Exact denoisers override it with the exact ε* at ᾱ.
  virtual void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) {
    (void)alpha_bar;
    const int nearest = static_cast<int>(t + 0.5);
    predict_eps(xt, n, std::clamp(nearest, 0, schedule().T() - 1), eps);
  }
  // The box of the data it was trained on (samplers clip x̂₀ into it); empty when unknown or not needed.
  virtual const DataBox& data_box() const {
    static const DataBox anywhere;
    return anywhere;
  }
};

}  // namespace difflab
