// flow.h — flow matching and rectified flow (Lipman et al. 2023; Liu et al. 2023) in 2-D: the straight
// interpolation xₜ = (1 − t)·x₀ + t·ε, t ∈ [0, 1], its velocity v = ε − x₀, the change of variables to VP
// diffusion, and the exact velocity field E[ε − x₀ | xₜ] of a Gaussian mixture. Not training (train/flow_*)
// and not an integrator (sample/flow_ode.h).
#pragma once

#include <memory>

#include "core/denoiser.h"
#include "core/gaussian_mixture.h"

namespace difflab {

// The rectified-flow path and VP diffusion have the same marginals up to a scale: xₜ / c(t) with
// c(t) = √((1 − t)² + t²) is √ᾱ x₀ + √(1 − ᾱ) ε with √ᾱ = (1 − t)/c, √(1 − ᾱ) = t/c, i.e. σ = t/(1 − t).
struct FlowTime {
  static double scale(double t);            // c(t)
  static double alpha_bar(double t);        // (1 − t)² / ((1 − t)² + t²)
  static double from_alpha_bar(double ab);  // t = σ/(1 + σ), σ = √((1 − ᾱ)/ᾱ); 1 at ᾱ = 0
};

// A velocity field v(x, t) on points of dim() coordinates (2-D points, or images of H·W·C pixels): what the
// flow ODE dx/dt = v integrates from t = 1 (noise) to 0.
class VelocityField {
 public:
  virtual ~VelocityField() = default;
  virtual int dim() const { return 2; }
  // v for n points x (row-major n × dim()), all at time t ∈ [0, 1].
  virtual void predict_velocity(const float* x, int n, double t, float* v) = 0;
};

// The exact v*(x, t) = E[ε − x₀ | xₜ = x] for data from a Gaussian mixture (or a point set): E[ε | x] and
// E[x₀ | x] of the VP mixture at ᾱ(t), evaluated at x / c(t). The ODE it drives transports the mixture
// exactly. t is clamped to [1e-4, 1] (at t = 0 a point set's posterior is a delta).
class ExactVelocity final : public VelocityField {
 public:
  explicit ExactVelocity(GaussianMixture2D mixture);
  void predict_velocity(const float* x, int n, double t, float* v) override;
  const GaussianMixture2D& mixture() const { return mixture_; }

 private:
  GaussianMixture2D mixture_;
  std::unique_ptr<DiffusedMixture> cached_;  // the mixture at the last t asked for
  double cached_t_ = -1;
};

// Any VP denoiser read as a velocity (the equivalence of diffusion and flow): at time t the point x is the VP
// point x / c(t) at ᾱ(t); ε̂ comes from the denoiser there, x̂₀ = (x − t ε̂)/(1 − t) and v = ε̂ − x̂₀ =
// (ε̂ − x)/(1 − t). Above the flow time of the schedule's last ᾱ (where the network was never trained, and
// where ᾱ = 0 forces ε̂ = x) v is taken at that time.
class DenoiserVelocity final : public VelocityField {
 public:
  explicit DenoiserVelocity(Denoiser& denoiser) : denoiser_(denoiser) {}
  int dim() const override { return denoiser_.dim(); }
  void predict_velocity(const float* x, int n, double t, float* v) override;

 private:
  Denoiser& denoiser_;
  std::vector<float> scaled_, eps_;
};

// A velocity field read as a VP denoiser, so every sampler of sample/ runs a flow model: at ᾱ the VP point
// x_vp is the flow point x = c(t)·x_vp at t = from_alpha_bar(ᾱ), and ε̂ = x + (1 − t)·v(x, t).
class VelocityDenoiser final : public Denoiser {
 public:
  VelocityDenoiser(VelocityField& field, const NoiseSchedule& schedule, DataBox box = {})
      : field_(field), schedule_(schedule), box_(std::move(box)) {}
  int dim() const override { return field_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override;
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override;
  const DataBox& data_box() const override { return box_; }

 private:
  VelocityField& field_;
  const NoiseSchedule& schedule_;
  DataBox box_;
  std::vector<float> x_, v_;
};

}  // namespace difflab
