// stepper.h — what one sampler's file implements: a Stepper that takes x from one noise level to the next.
// Not the public API (sampler.h is): the Sampler owns the state and the levels and calls its Stepper once per
// step.
#pragma once

#include <memory>
#include <vector>

#include "core/denoiser.h"
#include "core/rng.h"
#include "sample/noise_levels.h"

namespace difflab {

struct SamplerConfig;

// What a stepper may use during a step: the model at a noise level (counted), the sampler's RNG and its
// levels.
struct StepContext {
  Denoiser& model;
  const NoiseSchedule& schedule;
  const SamplerConfig& config;
  const std::vector<NoiseLevel>& levels;  // levels[0] = start, levels.back() = clean data (σ = 0)
  Rng& rng;
  std::vector<double> x0_lo, x0_hi;  // per coordinate: where x̂₀ is clipped to (±∞: not)
  int points = 0;                    // n
  int evaluations = 0;               // network evaluations so far (NFE)

  // ε̂ and x̂₀ for x (VP variables, n × dim) at `level`; x̂₀ is clipped into [x0_lo, x0_hi] and ε̂ made
  // consistent with it. On the schedule's steps the model is called at integer t; elsewhere through
  // Denoiser::predict_eps_continuous. One network evaluation.
  void predict(const std::vector<float>& x, const NoiseLevel& level, std::vector<float>* eps,
               std::vector<float>* x0);
  double normal() { return rng.normal(); }
  int steps() const { return static_cast<int>(levels.size()) - 1; }  // N
};

class Stepper {
 public:
  virtual ~Stepper() = default;
  virtual void begin() {}  // a new chain: multistep solvers forget their history
  // One step from ctx.levels[i] to ctx.levels[i + 1]. x holds xₜ (VP variables) in and out; x0 receives the
  // x̂₀ (the denoiser's D) this step used.
  virtual void step(StepContext& ctx, int i, std::vector<float>& x, std::vector<float>& x0) = 0;
};

// One file each (src/sample/<name>.cpp); the table in sampler_table.cpp lists them.
std::unique_ptr<Stepper> make_ddpm_stepper();
std::unique_ptr<Stepper> make_ddim_stepper();
std::unique_ptr<Stepper> make_ode_euler_stepper();
std::unique_ptr<Stepper> make_ode_heun_stepper();
std::unique_ptr<Stepper> make_langevin_stepper();
std::unique_ptr<Stepper> make_edm_heun_stepper();
std::unique_ptr<Stepper> make_edm_stochastic_stepper();
std::unique_ptr<Stepper> make_dpm_solver_pp_stepper();
std::unique_ptr<Stepper> make_unipc_stepper();
std::unique_ptr<Stepper> make_sde_euler_stepper();
std::unique_ptr<Stepper> make_edm_euler_stepper();

// Shared pieces. The DDPM posterior step from `now` to `next` given x̂₀ (ddpm.cpp; Langevin's predictor uses
// it).
void ddpm_posterior_step(StepContext& ctx, const NoiseLevel& now, const NoiseLevel& next,
                         const std::vector<float>& x0_hat, std::vector<float>& x);
// One Heun step of the EDM ODE dx̃/dσ = (x̃ − D(x̃; σ))/σ from σ = `now` to `next` in EDM variables x̃ = x/√ᾱ
// (Karras et al. 2022, Alg. 1 lines 4–8; Euler when next is σ = 0). denoised receives D(x̃; σ_now).
void edm_heun_step(StepContext& ctx, const NoiseLevel& now, const NoiseLevel& next,
                   std::vector<double>& x_tilde, std::vector<float>& denoised);

}  // namespace difflab
