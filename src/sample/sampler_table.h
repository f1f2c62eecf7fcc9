// sampler_table.h — the one list of samplers: names, CLI names, labels in both languages, options, papers.
// Not the samplers themselves (one file each, see stepper.h). The CLI, the panel specs and the GUI read this
// list.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sample/sampler.h"
#include "sample/stepper.h"

namespace difflab {

struct SamplerInfo {
  SamplerKind kind;
  const char* cli_name;    // --sampler value and lesson directive value
  const char* paper_name;  // as its paper names it
  const char* label_es;    // GUI label, Spanish
  const char* label_en;    // GUI label, English
  const char* options;     // the CLI options it reads besides --steps
  const char* reference;   // paper and algorithm / equation
  bool sigma_steps;        // walks Karras σ-steps by default (else the schedule's steps)
  bool stochastic;         // adds noise while sampling (the result depends on the seed)
  std::unique_ptr<Stepper> (*make_stepper)();
  // Where its paper puts the σ-steps (what SigmaSpacing::Auto means for it): Karras et al.'s eq. 5 for EDM;
  // uniform logSNR for DPM-Solver++ and UniPC (Lu et al.'s recommendation for low-resolution data, which
  // UniPC follows). Samplers on the schedule's steps ignore it.
  SigmaSpacing paper_sigmas = SigmaSpacing::Karras;
};

// Every sampler, in SamplerKind order.
const std::vector<SamplerInfo>& sampler_table();
const SamplerInfo& sampler_info(SamplerKind kind);
// "ddpm | ddim | …" (for --help) and "ddpm, ddim, … or sde-euler" (for error messages).
std::string sampler_cli_names(const char* separator = " | ");
std::string sampler_cli_names_sentence();
// The CLI names, in table order (panel specs' enum values).
std::vector<std::string> sampler_cli_name_list();

}  // namespace difflab
