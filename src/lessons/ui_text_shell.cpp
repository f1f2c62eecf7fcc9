// ui_text_shell.cpp — UI strings of the app shell: menus, the keys window, the status bar, the lesson view,
// presenter view (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"shell.placeholder", "(sin uso)", "(unused)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_shell() {
  return kEntries;
}

}  // namespace difflab
