// ui_text_controlnet.cpp — UI strings of the ControlNet panel (lesson 18), es and en.
// Not the lookup (ui_text.cpp) and not the lesson text (lessons/18-personalization.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"controlnet.busy", "muestreando la base y la ControlNet", "sampling the base and the ControlNet"},
    {"controlnet.busy_load", "cargando la ControlNet y su base, y muestreando",
     "loading the ControlNet and its base, then sampling"},
    {"controlnet.caption",
     "Mismo x_T en cada columna; DDIM %d pasos, clase: %s. Bajo cada muestra, su acuerdo de bordes: la "
     "correlación entre los bordes de Sobel de la muestra y el mapa (1 = los mismos bordes). Escala 0 = la "
     "base. Carga %.1f s, muestreo %.1f s (CPU, 2 hilos).",
     "Same x_T down each column; DDIM %d steps, class: %s. Under each sample, its edge agreement: the "
     "correlation of the sample's Sobel edges with the map (1 = the same edges). Scale 0 = the base. "
     "Load %.1f s, sampling %.1f s (CPU, 2 threads)."},
    {"controlnet.class", "clase", "class"},
    {"controlnet.edges", "bordes", "edges"},
    {"controlnet.image", "imagen de prueba", "test image"},
    {"controlnet.input", "imagen %d", "image %d"},
    {"controlnet.next", "Siguiente", "Next"},
    {"controlnet.no_class", "∅ (ninguna)", "∅ (none)"},
    {"controlnet.row_base", "solo la base (sin ControlNet)  ·  media %.3f",
     "the base alone (no ControlNet)  ·  mean %.3f"},
    {"controlnet.row_control", "ControlNet, escala s = %.2f  ·  media %.3f",
     "ControlNet, scale s = %.2f  ·  mean %.3f"},
    {"controlnet.row_step0", "paso 0 (convoluciones cero) · máx |paso 0 − base| = %g",
     "step 0 (zero convolutions) · max |step 0 − base| = %g"},
    {"controlnet.scale", "escala", "scale"},
    {"controlnet.step0", "paso 0", "step 0"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_controlnet() {
  return kEntries;
}

}  // namespace difflab
