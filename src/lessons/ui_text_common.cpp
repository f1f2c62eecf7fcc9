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
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_common() {
  return kEntries;
}

}  // namespace difflab
