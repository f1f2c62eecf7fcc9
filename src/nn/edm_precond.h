// edm_precond.h — EDM's preconditioning (Karras et al. 2022, Table 1 "Ours") as closed forms, and the 2-D MLP
// wrapped by it as a Denoiser: D_θ(x̃; σ) = c_skip(σ) x̃ + c_out(σ) F_θ(c_in(σ) x̃; c_noise(σ)).
// Not training (train/trainer.cpp samples σ and applies the loss) and not a sampler: samplers get ε̂ = (x̃ −
// D)/σ.
#pragma once

#include <cmath>
#include <vector>

#include "core/denoiser.h"
#include "nn/mlp.h"

namespace difflab {

// Table 1 ("Ours") for data of standard deviation σ_data; x̃ = x₀ + σ ε are EDM (variance-exploding)
// variables.
struct EdmPrecond {
  double sigma_data = 0.5;  // Karras et al.'s value for images in [−1, 1]; 2-D data measure theirs

  double c_skip(double sigma) const {
    return sigma_data * sigma_data / (sigma * sigma + sigma_data * sigma_data);
  }
  double c_out(double sigma) const {
    return sigma * sigma_data / std::sqrt(sigma * sigma + sigma_data * sigma_data);
  }
  double c_in(double sigma) const { return 1.0 / std::sqrt(sigma * sigma + sigma_data * sigma_data); }
  static double c_noise(double sigma) { return 0.25 * std::log(sigma); }
  // λ(σ) = (σ² + σ_data²)/(σ σ_data)²: with it λ(σ) c_out(σ)² = 1, so the loss is a plain MSE on F (eq. 8).
  double loss_weight(double sigma) const {
    return (sigma * sigma + sigma_data * sigma_data) / (sigma * sigma_data * sigma * sigma_data);
  }
  // The regression target of F for a clean x₀ and its noisy x̃: F* = (x₀ − c_skip x̃)/c_out (eq. 8).
  double target(double sigma, double x0, double x_tilde) const {
    return (x0 - c_skip(sigma) * x_tilde) / c_out(sigma);
  }
};

// Training noise levels: ln σ ~ 𝒩(P_mean, P_std²) (Table 1, "Ours").
struct EdmNoiseDistribution {
  double p_mean = -1.2, p_std = 1.2;
  double sigma(double standard_normal) const { return std::exp(p_mean + p_std * standard_normal); }
};

// The MLP's time input is c_noise = ¼ ln σ ∈ [−1.2, 1.3] for σ ∈ [0.01, 160]; multiplied by this before the
// sinusoidal embedding it spans a range like the code index t of ε-models.
constexpr float kEdmTimeScale = 250.0f;

// σ_data of 2-D points (n × 2, row-major): the standard deviation pooled over both coordinates, around their
// means (√(½ Σ_d Var x_d)).
double measure_sigma_data(const float* xy, size_t n);

// A 2-D MLP trained with EDM's preconditioning, usable by every sampler. A VP sampler at ᾱ (or code index t
// with ᾱₜ of `schedule`) asks for ε̂ at xₜ: σ = √((1 − ᾱ)/ᾱ), x̃ = xₜ/√ᾱ, D = c_skip x̃ + c_out F(c_in x̃,
// c_noise), ε̂ = (x̃ − D)/σ, so the samplers' x̂₀ = x̃ − σ ε̂ is D itself. The schedule only places the samplers'
// steps.
class EdmMlpDenoiser : public Denoiser {
 public:
  // `params` (a view of `model`'s size) selects the weights, e.g. the EMA copy; empty = the model's own.
  EdmMlpDenoiser(MlpModel& model, const NoiseSchedule& schedule, EdmPrecond precond, Tensor params = {},
                 DataBox box = {})
      : model_(model), schedule_(schedule), precond_(precond), params_(params), box_(std::move(box)) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  const DataBox& data_box() const override { return box_; }
  const EdmPrecond& precond() const { return precond_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    predict_eps_at(xt, n, schedule_.alpha_bar[t], eps);
  }
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override {
    (void)t;  // the network is conditioned on σ, not on the code index
    predict_eps_at(xt, n, alpha_bar, eps);
  }
  // D(x̃; σ) for n points in EDM variables (the denoiser itself, no VP conversion).
  void denoise(const float* x_tilde, int n, double sigma, float* denoised);

 private:
  void predict_eps_at(const float* xt, int n, double alpha_bar, float* eps);

  MlpModel& model_;
  const NoiseSchedule& schedule_;
  EdmPrecond precond_;
  Tensor params_;
  DataBox box_;
  std::vector<float> x_tilde_, denoised_;
};

}  // namespace difflab
