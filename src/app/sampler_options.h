// sampler_options.h — the command-line options of the σ-step samplers (EDM, DPM-Solver++, UniPC) and the
// sampler help text, shared by `difflab sample` and `difflab eval`. Not the samplers
// (src/sample/sampler_table.h).
#pragma once

#include <string>

#include "app/args.h"
#include "core/conditional.h"
#include "sample/sampler.h"

namespace difflab {

// --sigmas --sigma-min --sigma-max --rho --s-churn --s-tmin --s-tmax --s-noise.
void add_sigma_step_options(ArgParser& p);
// Reads them into `config` (bounds checked; a UsageError names the option).
void read_sigma_step_options(const ArgParser& p, SamplerConfig* config);
// The largest --steps: T on the schedule's steps, limits::kMaxSigmaSteps on σ-steps.
int max_sampler_steps(const SamplerConfig& config, int T);
// --class K --guidance G --guidance-kind exact|cfg|classifier (difflab sample and field; issue 12 §2).
struct GuidanceOptions {
  bool active = false;  // --class was given
  int label = -1;       // 0 … num_classes − 1
  double gamma = 1;  // the course's guidance weight γ (core/conditional.h): 0 unconditional, 1 conditional
  GuidanceKind kind = GuidanceKind::Exact;
};
void add_guidance_options(ArgParser& p);
// Reads them for a model with `num_classes` classes (oracle: the data set's). The kind defaults to exact for
// the oracle and cfg for a checkpoint. UsageErrors: --guidance or --guidance-kind without --class, a class
// out of range (naming 0 … K − 1), a data set with one class (no labels), γ outside 0 … 100, an unknown kind,
// exact without the oracle.
GuidanceOptions read_guidance_options(const ArgParser& p, int num_classes, bool oracle);

// One line per sampler of the table: CLI name, paper name, reference and options.
std::string sampler_help();

}  // namespace difflab
