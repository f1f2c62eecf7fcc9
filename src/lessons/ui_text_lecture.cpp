// ui_text_lecture.cpp — UI strings of the live panels: controls, legends, axis labels, captions, tooltips
// (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
// Entries with printf conversions (%d, %.3f, %s …) must have the same conversions in the same order in
// both languages: the panels pass them to snprintf (tests/views/test_ui_text_lecture.cpp checks it).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"progress.elapsed", "%s (%.0f s)", "%s (%.0f s)"},
    {"progress.left_minutes", "faltan unos %d min %d s", "about %d min %d s left"},
    {"progress.left_seconds", "faltan unos %.0f s", "about %.0f s left"},
    {"scratch.button", "Entrenar desde cero", "Train from scratch"},
    {"scratch.progress", "entrenando desde cero: %d / %d  %s", "training from scratch: %d / %d  %s"},
    {"common.samples", "muestras", "samples"},
    {"ddim.axis_nfe", "evaluaciones de la red", "network evaluations"},
    {"ddim.axis_swd", "W₂ por cortes a los datos (menor es mejor)", "sliced W₂ to the data (lower is better)"},
    {"ddim.busy_inversion", "invirtiendo", "inverting"},
    {"ddim.busy_quality", "muestreando con N = 2 … 100", "sampling at N = 2 … 100"},
    {"ddim.busy_sampling", "muestreando", "sampling"},
    {"ddim.caption", "Mismo x_T, 1000 puntos.  DDPM: %d pasos, %d evaluaciones de la red, %.0f ms, W₂ por cortes %.3f.  DDIM (N = %d, η = %.2f): %d evaluaciones, %.0f ms, W₂ por cortes %.3f.  x_prev = √ᾱ_prev x̂₀ + √(1−ᾱ_prev−σ²) ε_θ + σz, σ = η√((1−ᾱ_prev)/(1−ᾱₜ))√(1−ᾱₜ/ᾱ_prev).", "Same x_T, 1000 points.  DDPM: %d steps, %d network evaluations, %.0f ms, sliced W₂ %.3f.  DDIM (N = %d, η = %.2f): %d evaluations, %.0f ms, sliced W₂ %.3f.  x_prev = √ᾱ_prev x̂₀ + √(1−ᾱ_prev−σ²) ε_θ + σz, σ = η√((1−ᾱ_prev)/(1−ᾱₜ))√(1−ᾱₜ/ᾱ_prev)."},
    {"ddim.col_ms", "tiempo (ms, mejor de 3)", "time (ms, best of 3)"},
    {"ddim.col_nfe", "evaluaciones", "evaluations"},
    {"ddim.col_sampler", "muestreador", "sampler"},
    {"ddim.col_swd", "W₂ por cortes", "sliced W₂"},
    {"ddim.inversion_failed", "la inversión falló", "the inversion failed"},
    {"ddim.legend_clicked", "x₀ elegido", "clicked x₀"},
    {"ddim.legend_ddpm", "DDPM (los T pasos)", "DDPM (all T)"},
    {"ddim.legend_decode", "x_T → x₀ (DDIM)", "x_T → x₀ (DDIM)"},
    {"ddim.legend_decoded", "x₀ decodificado", "decoded x₀"},
    {"ddim.legend_encode", "x₀ → x_T (inversión)", "x₀ → x_T (inversion)"},
    {"ddim.steps", "pasos DDIM N", "DDIM steps N"},
    {"ddim.title_ddim", "DDIM, %d pasos, η = %.2f", "DDIM, %d steps, η = %.2f"},
    {"ddim.title_ddpm", "DDPM, los T pasos", "DDPM, all T steps"},
    {"ddim.title_inversion", "haz clic en un punto: x₀ → x_T → x₀ con DDIM (η = 0)", "click a point: x₀ → x_T → x₀ with DDIM (η = 0)"},
    {"ddim.title_overlay", "trayectorias desde el mismo x_T", "trajectories from the same x_T"},
    {"ddim.title_quality", "calidad de las muestras frente al coste", "sample quality against cost"},
    {"ddim.view_inversion", "inversión", "inversion"},
    {"ddim.view_overlay", "superpuestas", "overlay"},
    {"ddim.view_quality", "calidad", "quality"},
    {"ddim.view_split", "lado a lado", "split"},
    {"common.data", "datos", "data"},
    {"common.restart", "Reiniciar", "Restart"},
    {"sampling.box", "caja de datos", "data box"},
    {"sampling.caption", "Paso %d de %d (%s, %s).  Izquierda: %s.  Derecha: x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ, la estimación del punto limpio que hace el modelo.  Evaluaciones de la red: %d.  ◀/▶ (o ↓/↑) retroceden o avanzan un paso; S avanza, Espacio reproduce.", "Step %d of %d (%s, %s).  Left: %s.  Right: x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ, the model's guess of the clean point.  Network evaluations: %d.  ◀/▶ (or ↓/↑) step back or forward; S steps, Space plays."},
    {"sampling.clip", "recortar x̂₀", "clip x̂₀"},
    {"sampling.clip_off", "x̂₀ sin recortar (la red tal cual). El muestreador lo recorta a la caja de los datos x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] antes de cada paso: marca «recortar x̂₀» para verlo.", "x̂₀ unclipped (the network as it is). The sampler clips it into the data box x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] before each step: tick \"clip x̂₀\" to see that."},
    {"sampling.clip_on", "Recorte activado: x̂₀ recortado a la caja de los datos x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] (lo que usa el muestreador; los bordes rectos vienen del recorte, no del modelo).", "Clipping on: x̂₀ clipped into the data box x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] (what the sampler uses; straight edges come from the clipping, not the model)."},
    {"sampling.clip_tip", "Muestra x̂₀ tal como lo usa el muestreador: recortado a la caja de los datos de entrenamiento (como clip_sample de diffusers con [−1, 1] para imágenes).", "Shows x̂₀ as the sampler uses it: clipped into the training data's box (as diffusers' clip_sample does with [−1, 1] for images)."},
    {"sampling.clipped_suffix", " (recortado)", " (clipped)"},
    {"sampling.exact", "denoiser exacto", "exact denoiser"},
    {"sampling.exact_beside", "exacto al lado", "exact beside"},
    {"sampling.left_done", "las muestras x₀ (cadena terminada)", "the samples x₀ (chain done)"},
    {"sampling.left_xt", "xₜ en t = %d", "xₜ at t = %d"},
    {"sampling.no_box", "x̂₀ sin recortar (este modelo no tiene caja de datos).", "x̂₀ unclipped (this model has no data box)."},
    {"sampling.sampler", "muestreador", "sampler"},
    {"sampling.steps", "pasos (0 = T)", "steps (0 = T)"},
    {"sampling.trained", "modelo entrenado", "trained model"},
    {"sampling.trajectories", "trayectorias", "trajectories"},
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
