// ui_text_trilemma.cpp — UI strings of the trilemma panel (GAN, VAE and diffusion side by side), es and en.
// Not the lookup (ui_text.cpp) and not the lesson text (lessons/11-trilemma.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"trilemma.caption",
     "Unos 99 mil parámetros cada uno, entrenando a la vez sobre los mismos datos (gris). Modo cubierto: al "
     "menos 1/(4K) de las muestras a menos de 3σ de él; alta calidad: muestras a menos de 3σ de algún modo; "
     "NFE: evaluaciones de la red por muestra, y ms por muestra (difusión: DDIM-50, DDPM-1000 y DDIM-10, "
     "con sus modos «m» y su porcentaje de alta calidad).",
     "About 99 thousand parameters each, training at once on the same data (grey). Mode covered: at least "
     "1/(4K) of the samples within 3σ of it; high quality: samples within 3σ of some mode; NFE: network "
     "evaluations per sample, and ms per sample (diffusion: DDIM-50, DDPM-1000 and DDIM-10, with their modes "
     "\"m\" and % high quality)."},
    {"trilemma.dataset", "datos", "data"},
    {"trilemma.diffusion", "Difusión", "Diffusion"},
    {"trilemma.diverged", "divergió: vuelve al último estado bueno", "diverged: back to the last good state"},
    {"trilemma.gan", "GAN", "GAN"},
    {"trilemma.gan_fast_d", "D tan rápido como G", "D as fast as G"},
    {"trilemma.gan_sn", "norma espectral en D", "spectral norm on D"},
    {"trilemma.gan_vanilla", "sin arreglo (colapsa)", "no fix (collapses)"},
    {"trilemma.gan_variant", "arreglo de la GAN", "GAN fix"},
    {"trilemma.hq", "alta calidad %.0f %%", "high quality %.0f %%"},
    {"trilemma.modes", "modos %d de %d", "modes %d of %d"},
    {"trilemma.no_modes", "modos: solo en datos de gaussianas", "modes: only on Gaussian-mixture data"},
    {"trilemma.pause", "Pausa", "Pause"},
    {"trilemma.play", "Entrenar", "Train"},
    {"trilemma.restart", "Reiniciar", "Restart"},
    {"trilemma.starting", "preparando…", "starting…"},
    {"trilemma.step", "paso %d · %.1f s", "step %d · %.1f s"},
    {"trilemma.steps_quality", " · %d m · %.0f %%", " · %d m · %.0f %%"},
    {"trilemma.swd", "W₂ %.3f (datos: %.3f)", "W₂ %.3f (data: %.3f)"},
    {"trilemma.time", "NFE %d: %.3g ms", "NFE %d: %.3g ms"},
    {"trilemma.vae", "VAE", "VAE"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_trilemma() {
  return kEntries;
}

}  // namespace difflab
