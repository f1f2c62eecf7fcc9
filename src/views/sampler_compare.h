// sampler_compare.h — one x_T through several samplers at one NFE budget: samples, paths, W₂, endpoint error.
// Not a sampler (sample/ steps) and not drawing (lecture/panel_samplers.cpp plots it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "sample/sampler.h"

namespace difflab {

struct SamplerCompareOptions {
  std::vector<SamplerConfig> samplers;  // one configuration per sampler; the budget sets their steps
  int nfe = 10;                         // the budget every sampler shares
  bool endpoint_error = false;          // compare with the converged ODE solution (exact denoisers)
  int reference_steps = 1000;           // EDM Heun σ-steps of that solution (2·steps − 1 evaluations)
  int paths = 0;                        // trajectories kept: the first `paths` points, every step
  int swd_projections = 128;
  uint64_t seed = 0;  // the noise of stochastic samplers (the same for each) and the projections
};

struct SamplerCompareRun {
  std::string name;                // CLI name
  SamplerConfig config;            // with the steps the budget allowed
  int steps = 0;                   // 0: not even one step fits the budget (nothing else is filled)
  int nfe = 0;                     // evaluations spent (≤ the budget)
  int model_calls = 0;             // calls that reached the denoiser (counted outside the sampler)
  std::vector<float> first_input;  // what the denoiser saw at its first call (n × dim)
  double first_alpha_bar = 0;      // and at which ᾱ
  std::vector<double> sigmas;      // σ of each level it walked (steps + 1 values, the last 0)
  std::vector<float> samples;      // n × dim
  // paths[k] = the first `paths` points after k steps (k = 0: x_T), `paths` × dim values each.
  std::vector<std::vector<float>> paths;
  double swd = NAN;           // sliced W₂ to `data` (NaN when no data was given)
  double endpoint_rms = NAN;  // RMS distance to the converged solution (NaN: not asked, or stochastic)
};

struct SamplerComparison {
  std::vector<SamplerCompareRun> runs;  // one per options.samplers, in order
  std::vector<float> converged;         // the converged ODE endpoints (empty unless endpoint_error)
};

// The steps a sampler gets from a budget of `nfe` evaluations: sample/nfe_sweep.h's steps_for_nfe (Heun-type
// 2N − 1, Langevin N·(corrector steps + 1), else N); a sampler on the schedule's steps gets at most T steps
// (it then spends less than the budget). 0 when not even one step fits.
int steps_within_budget(const SamplerConfig& config, int nfe, int T);

// Runs every sampler from the same x_T (n × dim, VP variables, ~𝒩(0, I)) at the budget. Samplers on the
// schedule's steps should use trailing spacing so that they start at t = T − 1 like the σ-step samplers (the
// panel does; the first inputs then match in x and in level). `progress` gets the fraction of the
// evaluations done and may throw to stop (a cancelled background job).
SamplerComparison compare_at_budget(Denoiser& model, const SamplerCompareOptions& options,
                                    const std::vector<float>& x_T, const std::vector<float>& data,
                                    const std::function<void(double)>& progress = {});

}  // namespace difflab
