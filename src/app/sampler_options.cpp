// sampler_options.cpp — σ-step sampler options and the sampler help text (see sampler_options.h).
// Not a command.
#include "app/sampler_options.h"

#include "core/limits.h"
#include "sample/sampler_table.h"

namespace difflab {

void add_sigma_step_options(ArgParser& p) {
  p.option(
       "sigmas", "S",
       "σ-step samplers: karras (eq. 5) | logsnr (uniform λ) | timesteps (the schedule's, by --spacing) | "
       "auto (each sampler's paper: karras for edm-*, logsnr for dpm-solver++ and unipc)",
       "auto")
      .option("sigma-min", "S", "σ-steps: smallest σ > 0 (default: the schedule's σ at t = 0)")
      .option("sigma-max", "S", "σ-steps: largest σ (default: the schedule's σ at t = T − 1)")
      .option("rho", "R", "σ-steps: ρ of Karras et al. 2022, eq. 5", "7")
      .option("s-churn", "S", "edm-stochastic: S_churn (γ = min(S_churn/N, √2 − 1))", "80")
      .option("s-tmin", "S", "edm-stochastic: churn only for σ ≥ S_tmin", "0.05")
      .option("s-tmax", "S", "edm-stochastic: churn only for σ ≤ S_tmax", "50")
      .option("s-noise", "S", "edm-stochastic: S_noise", "1.003");
}

void read_sigma_step_options(const ArgParser& p, SamplerConfig* config) {
  if (!parse_sigma_spacing(p.get("sigmas"), &config->sigmas))
    throw UsageError("--sigmas must be karras, logsnr, timesteps or auto");
  if (p.given("sigma-min")) config->sigma_min = p.get_double("sigma-min", 1e-6, 1e6);
  if (p.given("sigma-max")) config->sigma_max = p.get_double("sigma-max", 1e-6, 1e6);
  if (config->sigma_min > 0 && config->sigma_max > 0 && config->sigma_min > config->sigma_max)
    throw UsageError("--sigma-min must not exceed --sigma-max");
  config->rho = p.get_double("rho", 0.1, 100);
  config->s_churn = p.get_double("s-churn", 0, 1e6);
  config->s_tmin = p.get_double("s-tmin", 0, 1e6);
  config->s_tmax = p.get_double("s-tmax", 0, 1e6);
  if (config->s_tmin > config->s_tmax) throw UsageError("--s-tmin must not exceed --s-tmax");
  config->s_noise = p.get_double("s-noise", 0, 10);
}

void add_guidance_options(ArgParser& p) {
  p.option("class", "K",
           "sample or evaluate the field conditioned on class K (2-D labelled data); images: a class of a "
           "class-conditional checkpoint, or all (one grid row per class)")
      .option("guidance", "G",
              "guidance weight γ as in the course: (1 − γ) ε(xₜ) + γ ε(xₜ, y); 0 = unconditional, 1 = "
              "conditional, > 1 guided beyond it (Ho & Salimans' w = γ − 1)",
              "1")
      .option("guidance-kind", "K",
              "exact (the labelled mixture's exact field, --model oracle) | cfg (classifier-free: "
              "conditional and null-class passes) | classifier (unconditional ε + γ σ ∇log p(y|x)); default: "
              "exact for the oracle, cfg for a checkpoint");
}

GuidanceOptions read_guidance_options(const ArgParser& p, int num_classes, bool oracle) {
  GuidanceOptions g;
  if (!p.given("class")) {
    if (p.given("guidance") || p.given("guidance-kind"))
      throw UsageError("--guidance and --guidance-kind need --class K");
    return g;
  }
  if (num_classes < 2)
    throw UsageError(
        "--class: the data set has a single class (no labels); use labelled data: a preset with "
        "classes (8gaussians, 25gaussians, moons, …), GMM JSON with \"labels\" or a CSV label column");
  g.active = true;
  g.label = p.get_int("class", 0, num_classes - 1);
  g.gamma = p.get_double("guidance", 0, 100);
  g.kind = oracle ? GuidanceKind::Exact : GuidanceKind::Cfg;
  if (p.given("guidance-kind") && !parse_guidance_kind(p.get("guidance-kind"), &g.kind))
    throw UsageError("--guidance-kind must be exact, cfg or classifier");
  if (g.kind == GuidanceKind::Exact && !oracle)
    throw UsageError("--guidance-kind exact needs --model oracle (the exact field of the data set)");
  return g;
}

int max_sampler_steps(const SamplerConfig& config, int T) {
  return uses_sigma_steps(config) ? limits::kMaxSigmaSteps : T;
}

std::string sampler_help() {
  std::string text;
  for (const SamplerInfo& info : sampler_table())
    text += std::string("\n  ") + info.cli_name + ": " + info.paper_name + " (" + info.reference + ")" +
            (info.options[0] ? std::string("; ") + info.options : "");
  return text;
}

}  // namespace difflab
