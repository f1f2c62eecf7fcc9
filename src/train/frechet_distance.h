// frechet_distance.h — the Fréchet distance between Gaussian fits of two feature sets (FID's formula).
// Not Inception FID: features come from difflab's own classifier; compare values only with each other.
#pragma once

#include <vector>

namespace difflab {

// 𝒩(μ, Σ) fitted to n feature vectors: μ the mean, Σ the unbiased covariance (divides by n − 1, as numpy.cov
// and pytorch-fid). covariance is dim × dim, row-major.
struct GaussianFit {
  int dim = 0;
  std::vector<double> mean;
  std::vector<double> covariance;
};

// features: n × dim, row-major; n ≥ 2.
GaussianFit fit_gaussian(const float* features, int n, int dim);

// FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2})  (Heusel et al. 2017, eq. 6; Dowson & Landau 1982). The
// trace of the square root is Σ √λᵢ over the eigenvalues of the symmetric Σ₁^{1/2} Σ₂ Σ₁^{1/2} (the same
// eigenvalues as Σ₁Σ₂), with tiny negative eigenvalues from rounding clamped to 0; computed in double
// precision.
double frechet_distance(const GaussianFit& a, const GaussianFit& b);

}  // namespace difflab
