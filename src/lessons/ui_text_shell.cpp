// ui_text_shell.cpp — UI strings of the app shell: menus, the keys window, the status bar, the lesson view,
// presenter view (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"shell.placeholder", "(sin uso)", "(unused)"},
    // lesson.*: the lesson view and instructors' decks (lesson_view.cpp, the diagnostics bar).
    {"lesson.diagnostics", "%d error(es), %d aviso(s) en %s", "%d error(s), %d warning(s) in %s"},
    {"lesson.image_missing", "Imagen no encontrada", "Image not found"},
    {"lesson.image_unreadable", "Imagen ilegible (solo PNG o JPEG)",
     "Cannot read the image (PNG or JPEG only)"},
    {"lesson.video_placeholder", "Vídeo (no se reproduce aquí)", "Video (not played here)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_shell() {
  return kEntries;
}

}  // namespace difflab
