// sampler.h — reverse-process samplers as steppers (begin / step / done) over any Denoiser.
// Not a model and not a UI: panels call step() once per frame, the CLI loops until done().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/rng.h"
#include "sample/timesteps.h"

namespace difflab {

enum class SamplerKind {
  Ddpm,      // ancestral sampling, Ho et al. 2020 Alg. 2 (strided: β from ᾱₜ/ᾱ_prev)
  Ddim,      // Song, Meng & Ermon 2021, eq. 12, any η
  OdeEuler,  // probability-flow ODE, Euler in x̃ = x/√ᾱ, σ = √((1−ᾱ)/ᾱ) (identical to DDIM η = 0)
  OdeHeun,   // the same ODE with Heun's method (Karras et al. 2022, Alg. 1)
  Langevin,  // predictor–corrector: Langevin corrector steps, then an ancestral step (Song et al. 2021)
};
std::string sampler_kind_name(SamplerKind k);
bool parse_sampler_kind(const std::string& name, SamplerKind* k);

struct SamplerConfig {
  SamplerKind kind = SamplerKind::Ddpm;
  int steps = 0;                  // 0 = every one of the T steps
  Spacing spacing = Spacing::Leading;
  double eta = 0.0;               // DDIM only
  VarianceKind variance = VarianceKind::FixedSmall;  // DDPM and Langevin's predictor
  bool clip_x0 = false;           // clip x̂₀ to [−1, 1] before the mean: for images only
  // x̂₀ is also always clipped into the model's data_box() (2-D models trained by difflab carry one).
  int corrector_steps = 1;        // Langevin only
  double corrector_snr = 0.16;    // Langevin only: signal-to-noise ratio r of the step size
  bool record_trajectory = true;  // keep xₜ and x̂₀ after every step
};

class Sampler {
 public:
  Sampler(Denoiser& model, const SamplerConfig& config);

  // Starts from x_T (n × dim values). `seed` drives the noise added by stochastic steps.
  void begin(std::vector<float> x_T, uint64_t seed);
  bool done() const { return index_ >= static_cast<int>(timesteps_.size()); }
  void step();
  void run() { while (!done()) step(); }

  const std::vector<float>& x() const { return x_; }             // the current state
  const std::vector<float>& x0_prediction() const { return x0_; } // x̂₀ at the last step
  const std::vector<int>& timesteps() const { return timesteps_; }
  int steps_done() const { return index_; }
  int current_t() const { return done() ? -1 : timesteps_[index_]; }
  int network_evaluations() const { return nfe_; }
  // trajectory()[0] = x_T; trajectory()[k] = the state after k steps. x0_trajectory()[k−1] = x̂₀ of step k.
  const std::vector<std::vector<float>>& trajectory() const { return trajectory_; }
  const std::vector<std::vector<float>>& x0_trajectory() const { return x0_trajectory_; }
  const SamplerConfig& config() const { return config_; }

 private:
  void predict(const std::vector<float>& x, int t, std::vector<float>* eps, std::vector<float>* x0);
  double alpha_bar_at(int t) const { return t < 0 ? 1.0 : schedule_.alpha_bar[t]; }

  Denoiser& model_;
  const NoiseSchedule& schedule_;
  SamplerConfig config_;
  std::vector<int> timesteps_;
  std::vector<double> x0_lo_, x0_hi_;  // per coordinate: where x̂₀ is clipped to (±∞: not)
  int index_ = 0, nfe_ = 0, n_ = 0;
  Rng rng_;
  std::vector<float> x_, x0_, eps_, scratch_eps_, scratch_x0_, scratch_x_;
  std::vector<std::vector<float>> trajectory_, x0_trajectory_;
};

// Draws x_T ~ 𝒩(0, I) for n points.
std::vector<float> standard_normal(int count, uint64_t seed);

}  // namespace difflab
