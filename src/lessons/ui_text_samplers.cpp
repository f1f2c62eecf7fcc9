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
     "Con el denoiser exacto, cada sampler parte del mismo x_T y se compara con la solución convergida de la "
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
     "con muchas evaluaciones todos los samplers de EDO llegan al error del propio modelo.",
     "With the trained model: sliced W₂ between the samples and the data for each budget of evaluations; "
     "with many "
     "evaluations every ODE sampler reaches the model's own error."},
    {"nfe.computing", "calculando…", "computing…"},
    {"nfe.recompute", "Recalcular", "Recompute"},
    {"nfe.title_error", "error frente a NFE", "error against NFE"},
    {"nfe.title_swd", "W₂ frente a NFE", "W₂ against NFE"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_samplers() {
  return kEntries;
}

}  // namespace difflab
