// ui_text_lecture.cpp — UI strings of the live panels: controls, legends, axis labels, captions, tooltips
// (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
// Entries with printf conversions (%d, %.3f, %s …) must have the same conversions in the same order in
// both languages: the panels pass them to snprintf (tests/views/test_ui_text_lecture.cpp checks it).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"common.view", "vista", "view"},
    {"schedule.cosine", "coseno", "cosine"},
    {"schedule.linear", "lineal", "linear"},
    {"schedule.quadratic", "cuadrático", "quadratic"},
    {"schedule.sigmoid", "sigmoide", "sigmoid"},
    {"schedules.caption", "En t = %d: ᾱₜ lineal %.4f, cuadrático %.4f, coseno %.4f, sigmoide %.4f; en t = T−1 = %d, ᾱ lineal = %.4f.  %s  Coseno: Nichol y Dhariwal 2021 (β tope 0,999); sigmoide: Chen 2023 (inicio −3, fin 3, τ = 1).  Arrastra el cursor en cualquier gráfico.", "At t = %d: ᾱₜ linear %.4f, quadratic %.4f, cosine %.4f, sigmoid %.4f; at t = T−1 = %d, linear ᾱ = %.4f.  %s  Cosine: Nichol & Dhariwal 2021 (β capped at 0.999); sigmoid: Chen 2023 (start −3, end 3, τ = 1).  Drag the cursor in any plot."},
    {"schedules.range_fixed", "Lineal y cuadrático: β de %.3g a %.3g sin reescalar (el rango de DDPM para T = 1000, aquí con T = %d).", "Linear and quadratic: β from %.3g to %.3g, not rescaled (DDPM's range for T = 1000, here with T = %d)."},
    {"schedules.range_scaled", "Lineal y cuadrático: β de %.3g a %.3g (el 1e-4 … 0,02 de DDPM reescalado por 1000/T, T = %d; tope 0,999).", "Linear and quadratic: β from %.3g to %.3g (DDPM's 1e-4 … 0.02 rescaled by 1000/T, T = %d; capped at 0.999)."},
    {"schedules.rescale", "β ×1000/T", "β ×1000/T"},
    {"schedules.rescale_tip", "Reescala el rango lineal y cuadrático 1e-4 … 0,02 por 1000/T (improved-diffusion), para que todo T recorra los mismos niveles de ruido. Sin marcar: el rango sin reescalar.", "Rescales the linear and quadratic range 1e-4 … 0.02 by 1000/T (improved-diffusion), so that every T spans the same noise levels. Unticked: the unscaled range."},
    {"schedules.title_log_snr", "log SNR = log(ᾱₜ/(1−ᾱₜ))", "log SNR = log(ᾱₜ/(1−ᾱₜ))"},
    {"schedules.title_signal_noise", "√ᾱₜ (grueso, baja) y √(1−ᾱₜ) (fino, sube)", "√ᾱₜ (thick, falling) and √(1−ᾱₜ) (thin, rising)"},
    {"schedules.view_all", "todo", "all"},
    {"schedules.view_alpha_bar", "ᾱₜ", "ᾱₜ"},
    {"schedules.view_beta", "βₜ", "βₜ"},
    {"schedules.view_log_snr", "log SNR", "log SNR"},
    {"schedules.view_samples", "muestras", "samples"},
    {"schedules.view_signal_noise", "señal/ruido", "signal/noise"},
    {"elbo.axis_nats", "nats por punto", "nats per point"},
    {"elbo.terms_title", "términos por paso Lₜ (t = 0 es L₀; eje log simétrico, lineal en ±%g)", "per-step terms Lₜ (t = 0 is L₀; symmetric log axis, linear within ±%g)"},
    {"elbo.train_all", "Entrenar los tres", "Train all three"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_lecture() {
  return kEntries;
}

}  // namespace difflab
