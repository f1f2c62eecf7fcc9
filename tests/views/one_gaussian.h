// one_gaussian.h — the single correlated Gaussian the views tests use as data (closed forms exist for it).
// Not a test.
#pragma once

#include "core/gaussian_mixture.h"

namespace difflab {

// 𝒩(m, Σ) with m = (mx, my) and Σ = [[1.0, 0.6], [0.6, 0.8]].
inline GaussianMixture2D one_gaussian(double mx, double my) {
  GaussianMixture2D g;
  g.weights = {1};
  g.means = {{mx, my}};
  g.covariances = {{1.0, 0.6, 0.8}};
  return g;
}

}  // namespace difflab
