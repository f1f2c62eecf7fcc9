// gaussian_moments.h — checks that 2-D samples have the mean (0.5, −0.3) and covariance [[1, 0.6], [0.6,
// 0.8]] of the samplers tests' Gaussian. Not a sampler test by itself.
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include <Eigen/Dense>

namespace difflab {

// n points (x, y); `tolerance` is the relative tolerance of the covariance entries (the means get 0.03).
inline void check_gaussian_moments(const std::vector<float>& x, int n, double tolerance) {
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  for (int i = 0; i < n; ++i) mean += Eigen::Vector2d(x[2 * i], x[2 * i + 1]);
  mean /= n;
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  for (int i = 0; i < n; ++i) {
    const Eigen::Vector2d d = Eigen::Vector2d(x[2 * i], x[2 * i + 1]) - mean;
    cov += d * d.transpose();
  }
  cov /= n - 1;
  // Standard errors at n = 20000: about 0.007 for the means, 0.01 for the covariances.
  CHECK(mean[0] == doctest::Approx(0.5).epsilon(0.03).scale(1));
  CHECK(mean[1] == doctest::Approx(-0.3).epsilon(0.03).scale(1));
  CHECK(cov(0, 0) == doctest::Approx(1.0).epsilon(tolerance));
  CHECK(cov(0, 1) == doctest::Approx(0.6).epsilon(tolerance + 0.01));
  CHECK(cov(1, 1) == doctest::Approx(0.8).epsilon(tolerance));
}

}  // namespace difflab
