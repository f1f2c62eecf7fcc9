// ui_text_samplers.cpp — UI strings of the samplers' panels (the quality-against-NFE panel), es and en.
// Not the sampler names (sample/sampler_table.cpp carries their labels) and not the lookup (ui_text.cpp).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"nfe.axis_error", "error del punto final (RMS)", "endpoint error (RMS)"},
    {"nfe.axis_nfe", "evaluaciones de la red (NFE)", "network evaluations (NFE)"},
    {"nfe.axis_swd", "W₂ por cortes a los datos", "sliced W₂ to the data"},
    {"nfe.caption_oracle",
     "Con el eliminador de ruido exacto, cada muestreador parte del mismo x_T y se compara con la solución "
     "convergida de la "
     "EDO "
     "(Heun con 1000 pasos σ): solo queda el error de discretización. DDIM es de primer orden (pendiente "
     "−1), "
     "Heun y DPM-Solver++(2M) de segundo (−2), UniPC de tercero. Karras et al. 2022; Lu et al. 2022; Zhao et "
     "al. 2023.",
     "With the exact denoiser every sampler starts from the same x_T and is compared with the converged ODE "
     "solution (Heun on 1000 σ-steps): what remains is the discretisation error alone. DDIM is first order "
     "(slope "
     "−1), Heun and DPM-Solver++(2M) second (−2), UniPC third. Karras et al. 2022; Lu et al. 2022; Zhao et "
     "al. 2023."},
    {"nfe.caption_trained",
     "Con el modelo entrenado: W₂ por cortes entre las muestras y los datos para cada presupuesto de "
     "evaluaciones; "
     "con muchas evaluaciones todos los muestreadores de EDO llegan al error del propio modelo.",
     "With the trained model: sliced W₂ between the samples and the data for each budget of evaluations; "
     "with many "
     "evaluations every ODE sampler reaches the model's own error."},
    {"nfe.computing", "calculando…", "computing…"},
    {"nfe.recompute", "Recalcular", "Recompute"},
    {"nfe.title_error", "error frente a NFE", "error against NFE"},
    {"nfe.title_swd", "W₂ frente a NFE", "W₂ against NFE"},
    // samplers panel:
    {"samplers.model", "modelo", "model"},
    {"samplers.model_oracle", "eliminador de ruido exacto", "exact denoiser"},
    {"samplers.model_trained", "modelo entrenado", "trained model"},
    {"samplers.nfe", "NFE", "NFE"},
    {"samplers.nfe_tooltip",
     "Presupuesto de evaluaciones de la red, el mismo para todos: cada muestreador da los pasos que caben "
     "(Heun: 2N − 1 evaluaciones por N pasos; los muestreadores de los pasos del planificador, como mucho "
     "T).",
     "Budget of network evaluations, the same for all: each sampler takes the steps that fit "
     "(Heun: 2N − 1 evaluations for N steps; samplers on the schedule's steps at most T)."},
    {"samplers.choose", "Muestreadores…", "Samplers…"},
    {"samplers.view_grid", "lado a lado", "side by side"},
    {"samplers.view_sde_ode", "EDE frente a EDO", "SDE vs ODE"},
    {"samplers.busy", "muestreando", "sampling"},
    {"samplers.title", "%s · %d NFE", "%s · %d NFE"},
    {"samplers.title_no_fit", "%s", "%s"},
    {"samplers.title_steps", "%s · %d pasos, %d NFE", "%s · %d steps, %d NFE"},
    {"samplers.no_fit", "ni un paso cabe en el presupuesto", "not one step fits the budget"},
    {"samplers.metrics_error", "W₂ %.3f\nerror %.2g", "W₂ %.3f\nerror %.2g"},
    {"samplers.metrics_stochastic", "W₂ %.3f\nestocástico", "W₂ %.3f\nstochastic"},
    {"samplers.metrics", "W₂ %.3f", "W₂ %.3f"},
    {"samplers.paths", "trayectorias", "paths"},
    {"samplers.view_steps", "pasos σ", "σ-steps"},
    {"samplers.title_steps_view", "niveles de ruido de cada muestreador", "each sampler's noise levels"},
    {"samplers.axis_step", "paso i / N", "step i / N"},
    {"samplers.rho", "ec. 5, ρ = %.0f", "eq. 5, ρ = %.0f"},
    {"samplers.caption_steps",
     "σᵢ de cada paso (eje log), junto a la ec. 5 con ρ = 1 y 3 entre los mismos σ_{max} y σ_{min}: cuanto "
     "mayor "
     "ρ, más pasos cerca de σ_{min}.",
     "σᵢ of each step (log axis), beside eq. 5 with ρ = 1 and 3 between the same σ_{max} and σ_{min}: the "
     "larger "
     "ρ, the more steps near σ_{min}."},
    {"samplers.caption_oracle",
     "El mismo x_T para todos, hasta %d NFE cada uno (el título da los de cada uno). Eliminador de ruido "
     "exacto: error = RMS al punto final de la "
     "EDO "
     "convergida (solo discretización; ninguno para los estocásticos). Dos muestras de los datos: W₂ %.3f.",
     "The same x_T for all, at most %d NFE each (each title gives its own). Exact denoiser: error = RMS to "
     "the converged ODE's endpoint "
     "(discretisation alone; none for stochastic samplers). Two draws of the data: W₂ %.3f."},
    {"samplers.caption_trained",
     "El mismo x_T para todos, hasta %d NFE cada uno (el título da los de cada uno), modelo entrenado: W₂ a "
     "los datos (dos muestras de los datos: "
     "%.3f).",
     "The same x_T for all, at most %d NFE each (each title gives its own), trained model: W₂ to the data "
     "(two draws of the data: %.3f)."},
    {"samplers.caption_sde_ode",
     "El mismo x_T. EDE (Euler–Maruyama): ruido nuevo en cada paso, trayectorias que tiemblan. EDO (Heun): "
     "trayectorias suaves. W₂ entre las dos nubes %.3f; entre dos muestras de los datos %.3f. Song et al. "
     "2021.",
     "The same x_T. SDE (Euler–Maruyama): fresh noise at every step, paths jitter. ODE (Heun): smooth paths. "
     "W₂ between the two clouds %.3f; between two draws of the data %.3f. Song et al. 2021."},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_samplers() {
  return kEntries;
}

}  // namespace difflab
