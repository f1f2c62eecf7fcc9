// sampler.h — reverse-process samplers as steppers (begin / step / done) over any Denoiser.
// Not a model and not a UI: panels call step() once per frame, the CLI loops until done(). Each sampler's
// step lives in its own file (ddpm.cpp, ddim.cpp, …); sampler_table.h lists them with their names and
// options.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/rng.h"
#include "sample/noise_levels.h"
#include "sample/timesteps.h"

namespace difflab {

// Append only: panels index their combos by this order.
enum class SamplerKind {
  Ddpm,      // ancestral sampling, Ho et al. 2020 Alg. 2 (strided: β from ᾱₜ/ᾱ_prev)
  Ddim,      // Song, Meng & Ermon 2021, eq. 12, any η
  OdeEuler,  // probability-flow ODE, Euler in x̃ = x/√ᾱ, σ = √((1−ᾱ)/ᾱ) (identical to DDIM η = 0)
  OdeHeun,   // the same ODE with Heun's method on the schedule's steps
  Langevin,  // predictor–corrector: Langevin corrector steps, then an ancestral step (Song et al. 2021)
  EdmHeun,   // Karras et al. 2022, Alg. 1: Heun on σ-steps (eq. 5, ρ = 7)
  EdmStochastic,  // Karras et al. 2022, Alg. 2: Heun with churn (S_churn, S_tmin, S_tmax, S_noise)
  DpmSolverPP,    // Lu et al. 2022, DPM-Solver++(2M): multistep, data prediction, in λ = log(α/σ)
  UniPC,          // Zhao et al. 2023, UniPC-2 with B(h) = e^h − 1 (bh2), data prediction
  SdeEuler,       // Song et al. 2021, reverse VP-SDE (eq. 6) by Euler–Maruyama on the schedule's steps
  EdmEuler,  // Euler on Karras et al.'s σ-steps (Alg. 1 without the correction; k-diffusion's sample_euler)
};
std::string sampler_kind_name(SamplerKind k);                      // the CLI name, e.g. "dpm-solver++"
bool parse_sampler_kind(const std::string& name, SamplerKind* k);  // from the CLI name

struct SamplerConfig {
  SamplerKind kind = SamplerKind::Ddpm;
  int steps = 0;                       // 0 = the sampler's default: every one of the T steps, 18 on σ-steps
  Spacing spacing = Spacing::Leading;  // which of the schedule's steps (samplers on the schedule's steps)
  double eta = 0.0;                    // DDIM only
  VarianceKind variance = VarianceKind::FixedSmall;  // DDPM and Langevin's predictor
  bool clip_x0 = false;  // clip x̂₀ to [−1, 1] before the mean: for images only
  // x̂₀ is also always clipped into the model's data_box() (2-D models trained by difflab carry one).
  int corrector_steps = 1;      // Langevin only
  double corrector_snr = 0.16;  // Langevin only: signal-to-noise ratio r of the step size
  // σ-step samplers (EDM, DPM-Solver++, UniPC): where their levels lie (timesteps: the schedule's, by
  // spacing; auto: the sampler's paper's, SamplerInfo::paper_sigmas).
  SigmaSpacing sigmas = SigmaSpacing::Auto;
  double sigma_min = 0;  // ≤ 0: the schedule's σ(t = 0)
  double sigma_max = 0;  // ≤ 0: the schedule's σ(t = T − 1)
  double rho = 7;
  // EDM churn (Alg. 2); defaults are the paper's ImageNet-64 values (Table 5).
  double s_churn = 80, s_tmin = 0.05, s_tmax = 50, s_noise = 1.003;
  bool record_trajectory = true;  // keep xₜ and x̂₀ after every step
};

// Whether a configuration walks Karras σ-steps (else the schedule's own steps).
bool uses_sigma_steps(const SamplerConfig& config);
// config.sigmas with Auto replaced by the sampler's paper's placement.
SigmaSpacing resolved_sigmas(const SamplerConfig& config);

struct StepContext;
class Stepper;

class Sampler {
 public:
  Sampler(Denoiser& model, const SamplerConfig& config);
  ~Sampler();
  Sampler(const Sampler&) = delete;  // the step context refers to this object's levels and config
  Sampler& operator=(const Sampler&) = delete;

  // Starts from x_T (n × dim values, VP variables: ~𝒩(0, I) at the first level). `seed` drives the noise
  // added by stochastic steps.
  void begin(std::vector<float> x_T, uint64_t seed);
  bool done() const { return index_ >= static_cast<int>(timesteps_.size()); }
  void step();
  void run() {
    while (!done()) step();
  }
  // The same, calling after_step(steps_done()) after each step: a progress bar or a panel's readout (it may
  // throw to stop the run).
  void run(const std::function<void(int)>& after_step) {
    while (!done()) {
      step();
      after_step(steps_done());
    }
  }

  const std::vector<float>& x() const { return x_; }               // the current state (VP variables)
  const std::vector<float>& x0_prediction() const { return x0_; }  // x̂₀ at the last step
  // The nearest code index of each step's starting level (on σ-steps: the rounded fractional index).
  const std::vector<int>& timesteps() const { return timesteps_; }
  // steps + 1 levels: where each step starts, then clean data.
  const std::vector<NoiseLevel>& noise_levels() const { return levels_; }
  int steps_done() const { return index_; }
  int current_t() const { return done() ? -1 : timesteps_[index_]; }
  int network_evaluations() const;
  // trajectory()[0] = x_T; trajectory()[k] = the state after k steps. x0_trajectory()[k−1] = x̂₀ of step k.
  const std::vector<std::vector<float>>& trajectory() const { return trajectory_; }
  const std::vector<std::vector<float>>& x0_trajectory() const { return x0_trajectory_; }
  const SamplerConfig& config() const { return config_; }

 private:
  Denoiser& model_;
  SamplerConfig config_;
  std::vector<NoiseLevel> levels_;
  std::vector<int> timesteps_;
  Rng rng_;
  std::unique_ptr<StepContext> context_;
  std::unique_ptr<Stepper> stepper_;
  int index_ = 0;
  std::vector<float> x_, x0_;
  std::vector<std::vector<float>> trajectory_, x0_trajectory_;
};

// Draws x_T ~ 𝒩(0, I) for n points.
std::vector<float> standard_normal(int count, uint64_t seed);

}  // namespace difflab
