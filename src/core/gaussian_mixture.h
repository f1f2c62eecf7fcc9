// gaussian_mixture.h — 2-D Gaussian mixtures and the exact ("perfect") denoiser they give at every t.
// Not a trained model; a finite point set is the mixture of deltas at its points (zero covariances).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"

namespace difflab {

struct Mat2 {
  double a = 1, b = 0, c = 1;  // the symmetric matrix [[a, b], [b, c]]
  double det() const { return a * c - b * b; }
};

struct GaussianMixture2D {
  std::vector<double> weights;  // sum to 1
  std::vector<std::array<double, 2>> means;
  std::vector<Mat2> covariances;  // may be zero (a delta at the mean)

  int size() const { return static_cast<int>(weights.size()); }
  // Normalises weights; throws std::invalid_argument for empty input, mismatched sizes, negative
  // weights or covariances that are not symmetric positive semi-definite.
  void validate_and_normalise();
  static GaussianMixture2D from_points(const std::vector<float>& xy);  // equal weights, zero covariance
  // Mean and covariance of the whole mixture.
  std::array<double, 2> mean() const;
  Mat2 covariance() const;
  // Samples n points (interleaved x, y) and the component index of each.
  void sample(int n, uint64_t seed, std::vector<float>* xy, std::vector<int>* component) const;
};

// Everything exact about pₜ = Σ wₖ 𝒩(√ᾱ μₖ, ᾱΣₖ + (1−ᾱ)I) at one point.
struct ExactQuantities {
  double eps[2];    // ε*(x) = −√(1−ᾱ) ∇ log pₜ(x)
  double score[2];  // ∇ₓ log pₜ(x)
  double x0[2];     // E[x₀ | xₜ = x] (Tweedie)
  double log_p;     // log pₜ(x)
};

// The mixture diffused to a given ᾱ, with per-component inverses cached.
class DiffusedMixture {
 public:
  DiffusedMixture(const GaussianMixture2D& mixture, double alpha_bar);
  ExactQuantities evaluate(double x, double y) const;
  double alpha_bar() const { return alpha_bar_; }

 private:
  struct Component {
    double log_weight_norm;  // log wₖ − log(2π) − ½ log det Cₖ
    double mx, my;           // √ᾱ μₖ
    Mat2 inverse;            // Cₖ⁻¹
  };
  std::vector<Component> components_;
  double alpha_bar_;
};

// The Bayes-optimal ε-predictor for data drawn from `mixture`, usable wherever a trained model is.
class ExactDenoiser : public Denoiser {
 public:
  ExactDenoiser(GaussianMixture2D mixture, NoiseSchedule schedule);
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  // The exact ε* at any ᾱ (t is not needed): σ-step samplers then solve the continuous-time ODE exactly.
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override;
  // All exact quantities at code index t (t = −1 means the data distribution itself, ᾱ = 1).
  ExactQuantities evaluate(double x, double y, int t);
  const GaussianMixture2D& mixture() const { return mixture_; }

 private:
  const DiffusedMixture& at(int t);
  GaussianMixture2D mixture_;
  NoiseSchedule schedule_;
  std::vector<std::unique_ptr<DiffusedMixture>> cache_;  // one per t, built on first use
  std::unique_ptr<DiffusedMixture> continuous_;          // the last ᾱ asked for between the steps
};

}  // namespace difflab
