// frechet_distance.cpp — Gaussian fits and the Fréchet distance via symmetric eigen-decompositions.
// Not scipy's sqrtm: Σ₁Σ₂ is never square-rooted directly, so no complex parts appear.
#include "train/frechet_distance.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

namespace difflab {
namespace {

using MatrixMap = Eigen::Map<const Eigen::MatrixXd>;
using VectorMap = Eigen::Map<const Eigen::VectorXd>;

// The symmetric positive semi-definite square root: V diag(√max(λ, 0)) Vᵀ.
Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& m) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(0.5 * (m + m.transpose()));
  const Eigen::VectorXd root = solver.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return solver.eigenvectors() * root.asDiagonal() * solver.eigenvectors().transpose();
}

}  // namespace

GaussianFit fit_gaussian(const float* features, int n, int dim) {
  if (n < 2 || dim < 1) throw std::invalid_argument("a Gaussian fit needs at least 2 feature vectors");
  const Eigen::MatrixXd x =
      Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(features, n,
                                                                                              dim)
          .cast<double>();
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd centered = x.rowwise() - mean;
  const Eigen::MatrixXd covariance = centered.transpose() * centered / static_cast<double>(n - 1);
  GaussianFit fit;
  fit.dim = dim;
  fit.mean.assign(mean.data(), mean.data() + dim);
  fit.covariance.assign(covariance.data(), covariance.data() + static_cast<size_t>(dim) * dim);  // symmetric
  return fit;
}

double frechet_distance(const GaussianFit& a, const GaussianFit& b) {
  if (a.dim != b.dim)
    throw std::invalid_argument("Fréchet distance between fits of " + std::to_string(a.dim) + " and " +
                                std::to_string(b.dim) + " dimensions");
  const int d = a.dim;
  const MatrixMap sigma1(a.covariance.data(), d, d), sigma2(b.covariance.data(), d, d);
  const double mean_term = (VectorMap(a.mean.data(), d) - VectorMap(b.mean.data(), d)).squaredNorm();
  const Eigen::MatrixXd root1 = psd_sqrt(sigma1);
  const Eigen::MatrixXd middle = root1 * sigma2 * root1;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(0.5 * (middle + middle.transpose()),
                                                              Eigen::EigenvaluesOnly);
  const double trace_sqrt = solver.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  // Rounding can leave −1e-12 for identical sets; a distance is never negative.
  return std::max(0.0, mean_term + sigma1.trace() + sigma2.trace() - 2.0 * trace_sqrt);
}

}  // namespace difflab
