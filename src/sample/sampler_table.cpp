// sampler_table.cpp — the list of samplers (see sampler_table.h). Adding a sampler: its file, one row here,
// its SamplerKind (appended) and its test.
// Not where samplers step: each row points at its file's make_*_stepper.
#include "sample/sampler_table.h"

#include <stdexcept>

namespace difflab {

const std::vector<SamplerInfo>& sampler_table() {
  static const std::vector<SamplerInfo> table = {
      {SamplerKind::Ddpm, "ddpm", "DDPM (ancestral)", "DDPM (ancestral)", "DDPM (ancestral)",
       "--variance --spacing", "Ho et al. 2020, Alg. 2", false, true, make_ddpm_stepper},
      {SamplerKind::Ddim, "ddim", "DDIM", "DDIM", "DDIM", "--eta --spacing",
       "Song, Meng & Ermon 2021, eq. 12", false, false, make_ddim_stepper},
      {SamplerKind::OdeEuler, "ode-euler", "probability-flow ODE, Euler", "EDO de flujo, Euler",
       "probability-flow ODE, Euler", "--spacing", "Song et al. 2021, eq. 13; Karras et al. 2022, eq. 4",
       false, false, make_ode_euler_stepper},
      {SamplerKind::OdeHeun, "ode-heun", "probability-flow ODE, Heun", "EDO de flujo, Heun",
       "probability-flow ODE, Heun", "--spacing", "Karras et al. 2022, Alg. 1 on the schedule's steps", false,
       false, make_ode_heun_stepper},
      {SamplerKind::Langevin, "langevin", "predictor–corrector (Langevin)", "predictor–corrector (Langevin)",
       "predictor–corrector (Langevin)", "--corrector-steps --snr --variance --spacing",
       "Song et al. 2021, Alg. 5", false, true, make_langevin_stepper},
      {SamplerKind::EdmHeun, "edm-heun", "EDM deterministic (Heun, σ-steps)",
       "EDM determinista (Heun, pasos σ)", "EDM deterministic (Heun, σ-steps)",
       "--sigmas --sigma-min --sigma-max --rho", "Karras et al. 2022, Alg. 1, eq. 5", true, false,
       make_edm_heun_stepper},
      {SamplerKind::EdmStochastic, "edm-stochastic", "EDM stochastic (churn)", "EDM estocástico (churn)",
       "EDM stochastic (churn)",
       "--sigmas --sigma-min --sigma-max --rho --s-churn --s-tmin --s-tmax --s-noise",
       "Karras et al. 2022, Alg. 2", true, true, make_edm_stochastic_stepper},
      {SamplerKind::DpmSolverPP, "dpm-solver++", "DPM-Solver++(2M)", "DPM-Solver++(2M)", "DPM-Solver++(2M)",
       "--sigmas --sigma-min --sigma-max --rho --spacing", "Lu et al. 2022, DPM-Solver++, Alg. 2", true,
       false, make_dpm_solver_pp_stepper, SigmaSpacing::LogSnr},
      {SamplerKind::UniPC, "unipc", "UniPC-2 (bh2)", "UniPC-2 (bh2)", "UniPC-2 (bh2)",
       "--sigmas --sigma-min --sigma-max --rho --spacing", "Zhao et al. 2023, Alg. 2–3, B(h) = e^h − 1", true,
       false, make_unipc_stepper, SigmaSpacing::LogSnr},
      {SamplerKind::SdeEuler, "sde-euler", "reverse SDE, Euler–Maruyama", "EDE inversa, Euler–Maruyama",
       "reverse SDE, Euler–Maruyama", "--spacing", "Song et al. 2021, eq. 6", false, true,
       make_sde_euler_stepper},
      {SamplerKind::EdmEuler, "edm-euler", "Euler on σ-steps", "Euler en pasos σ", "Euler on σ-steps",
       "--sigmas --sigma-min --sigma-max --rho", "Karras et al. 2022, Alg. 1 without lines 6–8", true, false,
       make_edm_euler_stepper},
  };
  return table;
}

const SamplerInfo& sampler_info(SamplerKind kind) {
  const auto& table = sampler_table();
  const size_t index = static_cast<size_t>(kind);
  if (index >= table.size() || table[index].kind != kind)
    throw std::logic_error("sampler table out of order");
  return table[index];
}

std::string sampler_kind_name(SamplerKind k) {
  const size_t index = static_cast<size_t>(k);
  return index < sampler_table().size() ? sampler_table()[index].cli_name : "?";
}

bool parse_sampler_kind(const std::string& name, SamplerKind* k) {
  for (const SamplerInfo& info : sampler_table())
    if (name == info.cli_name) return *k = info.kind, true;
  if (name == "pc") return *k = SamplerKind::Langevin, true;  // the older alias
  return false;
}

std::string sampler_cli_names(const char* separator) {
  std::string names;
  for (const SamplerInfo& info : sampler_table())
    names += (names.empty() ? "" : separator) + std::string(info.cli_name);
  return names;
}

std::string sampler_cli_names_sentence() {
  const auto& table = sampler_table();
  std::string names;
  for (size_t i = 0; i < table.size(); ++i)
    names += std::string(i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + table[i].cli_name;
  return names;
}

std::vector<std::string> sampler_cli_name_list() {
  std::vector<std::string> names;
  for (const SamplerInfo& info : sampler_table()) names.push_back(info.cli_name);
  return names;
}

}  // namespace difflab
