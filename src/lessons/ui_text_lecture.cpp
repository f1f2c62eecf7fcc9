// ui_text_lecture.cpp — UI strings of the live panels: controls, legends, axis labels, captions, tooltips
// (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"lecture.placeholder", "(sin uso)", "(unused)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_lecture() {
  return kEntries;
}

}  // namespace difflab
