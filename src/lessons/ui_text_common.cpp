// ui_text_common.cpp — UI strings of words every area uses: play, pause, step, reset, progress (es, en).
// Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"common.pause", "Pausa", "Pause"},
    {"common.play", "Reproducir", "Play"},
    {"common.reset", "Reiniciar", "Reset"},
    {"common.step", "Paso", "Step"},
    // The 2-D data sets by their ids (dataset_label): what a caption or a menu shows instead of "swiss-roll".
    {"dataset.25gaussians", "25 gaussianas", "25 Gaussians"},
    {"dataset.8gaussians", "8 gaussianas", "8 Gaussians"},
    {"dataset.checkerboard", "tablero de ajedrez", "checkerboard"},
    {"dataset.gaussian", "una gaussiana", "one Gaussian"},
    {"dataset.moons", "medialunas", "two moons"},
    {"dataset.rings", "anillos", "rings"},
    {"dataset.spirals", "espirales", "spirals"},
    {"dataset.swiss-roll", "rollo suizo (swiss roll)", "swiss roll"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_common() {
  return kEntries;
}

}  // namespace difflab
