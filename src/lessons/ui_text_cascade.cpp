// ui_text_cascade.cpp — UI strings of the cascade panel (14×14 base, 28×28 super-resolution), es and en.
// Not the lookup (ui_text.cpp) and not the lesson text (lessons/15-latent.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"cascade.aug", "aumento de ruido s", "noise augmentation s"},
    {"cascade.blind_to_s", ", pero este punto de control no recibe s (solo dos canales de entrada)",
     ", but this checkpoint is not told s (two input channels only)"},
    {"cascade.busy", "cargando y muestreando la cascada", "loading and sampling the cascade"},
    {"cascade.caption",
     "%d muestras de la base 14×14 (arriba, ampliada ×2 para verla), su ampliación bilineal a 28×28 (centro) "
     "y la salida de superresolución (abajo), desde el mismo ruido; DDIM %d pasos en cada etapa. La etapa de "
     "superresolución ve la imagen ampliada ruidosa con nivel s = %.2f (entrenó con s ~ U(0, %.1f): aumento "
     "de ruido en el condicionamiento, como CDM e Imagen)%s. Puntos de control cargados en %.1f s.",
     "%d samples of the 14×14 base (top, shown at ×2), their bilinear upsampling to 28×28 (middle) and the "
     "super-resolution output (bottom), from the same noise; DDIM %d steps in each stage. The SR stage sees "
     "the upsampled image noised to level s = %.2f (it trained with s ~ U(0, %.1f): noise-conditioning "
     "augmentation, as CDM and Imagen do)%s. Checkpoints loaded in %.1f s."},
    {"cascade.class", "clase", "class"},
    {"cascade.reads_s", " y, como en ellos, recibe s como tercer canal de entrada",
     " and, as in them, is told s as a third input channel"},
    {"cascade.recompute", "Recalcular", "Recompute"},
    {"cascade.row_base", "base 14×14", "base 14×14"},
    {"cascade.row_sr", "superresolución", "super-resolution"},
    {"cascade.row_up", "ampliada (bilineal)", "upsampled (bilinear)"},
    {"cascade.times", "ms por muestra: base %.0f, superresolución %.0f, total %.0f",
     "ms per sample: base %.0f, super-resolution %.0f, total %.0f"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_cascade() {
  return kEntries;
}

}  // namespace difflab
