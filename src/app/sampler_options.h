// sampler_options.h — the command-line options of the σ-step samplers (EDM, DPM-Solver++, UniPC) and the
// sampler help text, shared by `difflab sample` and `difflab eval`. Not the samplers
// (src/sample/sampler_table.h).
#pragma once

#include <string>

#include "app/args.h"
#include "sample/sampler.h"

namespace difflab {

// --sigmas --sigma-min --sigma-max --rho --s-churn --s-tmin --s-tmax --s-noise.
void add_sigma_step_options(ArgParser& p);
// Reads them into `config` (bounds checked; a UsageError names the option).
void read_sigma_step_options(const ArgParser& p, SamplerConfig* config);
// The largest --steps: T on the schedule's steps, limits::kMaxSigmaSteps on σ-steps.
int max_sampler_steps(const SamplerConfig& config, int T);
// One line per sampler of the table: CLI name, paper name, reference and options.
std::string sampler_help();

}  // namespace difflab
