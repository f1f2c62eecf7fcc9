// nfe_sweep.h — quality against network evaluations: each sampler at each NFE from the same x_T, scored by
// the sliced W₂ to held-out data and (for an exact denoiser) by the endpoint error against the converged ODE
// solution. Not a command (src/app/cli_eval.cpp prints and writes it) and not a plot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "sample/sampler.h"

namespace difflab {

struct NfeSweepPoint {
  std::string sampler;        // CLI name
  int nfe_target = 0;         // the NFE asked for
  int steps = 0;              // the steps that spend at most that many evaluations
  int nfe = 0;                // the evaluations actually spent
  double swd = NAN;           // sliced W₂ of the samples to the held-out data
  double endpoint_rms = NAN;  // RMS distance to the converged ODE solution from the same x_T (NaN: not asked,
                              // or a stochastic sampler)
  double seconds = 0;
};

struct NfeSweepOptions {
  std::vector<int> nfe;                 // the NFE budgets, e.g. 1, 2, 4, …, 1000
  std::vector<SamplerConfig> samplers;  // one configuration per sampler (steps are set by the sweep)
  bool endpoint_error = false;          // compare with the converged ODE solution (exact denoisers)
  int reference_steps = 2000;           // EDM Heun σ-steps of that solution (2·steps − 1 evaluations)
  int swd_projections = 128;
  uint64_t seed = 0;  // stochastic samplers' noise and the projections
};

// Steps that spend at most `nfe` evaluations: Heun-type samplers 2N − 1, Langevin N·(corrector steps + 1),
// else N. 0 when not even one step fits, or when a sampler on the schedule's steps would need more than T.
int steps_for_nfe(const SamplerConfig& config, int nfe, int T);

// Runs every sampler at every NFE from x_T (VP, ~𝒩(0, I)); points that do not fit (steps_for_nfe = 0) are
// left out. The converged solution is EDM Heun on reference_steps Karras σ-steps from the same x_T (σ_max =
// σ(T − 1), where samplers on trailing timesteps start too). swd stays NaN when held_out is empty.
// With endpoint_error: throws std::invalid_argument when σ_max is unusable (sigma_max_problem), and stores in
// *reference_change the RMS distance between the reference and the same solver on half its steps (Heun is
// second order, so the reference's own error is about a third of it): endpoint errors below that are noise.
std::vector<NfeSweepPoint> sweep_nfe(Denoiser& model, const NfeSweepOptions& options,
                                     const std::vector<float>& x_T, const std::vector<float>& held_out,
                                     double* reference_change = nullptr);

}  // namespace difflab
