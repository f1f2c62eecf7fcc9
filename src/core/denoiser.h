// denoiser.h — the one interface every sampler, evaluator and panel calls: ε̂(xₜ, t) for a batch.
// Not a model: trained networks (nn/) and the exact mixture denoiser (gaussian_mixture.h) implement it.
#pragma once

#include "core/schedule.h"

namespace difflab {

class Denoiser {
 public:
  virtual ~Denoiser() = default;
  virtual int dim() const = 0;                       // coordinates per point (2 for toy data)
  virtual const NoiseSchedule& schedule() const = 0;  // the schedule the denoiser was built for
  // ε̂ for n points xₜ (row-major n×dim), all at code index t ∈ [0, T). Not const: may use scratch.
  virtual void predict_eps(const float* xt, int n, int t, float* eps) = 0;
};

}  // namespace difflab
