// shell_logic.h — the shell's decisions that need no window: which live panel a slide shows (and whether the
// one already open can stay), the lesson before or after this one, the presenter view's texts and timer.
// Not drawing (gui.cpp, presenter_view.cpp): pure functions, unit-tested in tests/ui/test_ui_core.cpp.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/lesson_index.h"

namespace difflab::ui {

// "…/00-welcome.es.md" → "00-welcome"; "talk.md" → "talk": the lesson's name in every language.
std::string lesson_stem_without_language(const std::string& path);

// Which live panel a slide shows: the lesson (without language), the slide, the panel's position on it,
// and the directive. Twin lessons have the same slides and directives, so a panel open on slide 4 of
// 00-welcome.en.md has the same key as on slide 4 of 00-welcome.es.md: a language switch keeps it.
struct PanelKey {
  std::string lesson;  // lesson_stem_without_language
  int slide = -1;      // 0-based
  int index = 0;       // the panel's position on the slide (one per slide today)
  std::string panel;   // the directive's panel name; a sandbox panel has slide −1
  std::vector<std::pair<std::string, std::string>> params;
  bool operator==(const PanelKey&) const = default;
};
PanelKey panel_key(const Lesson& lesson, int slide);  // panel "" when the slide has no panel
PanelKey sandbox_panel_key(const std::string& panel);

// The position in `index` of the lesson at `path` (matched by number and slug, so relative, absolute and
// twin paths all find it), or −1.
int lesson_position(const std::vector<LessonEntry>& index, const std::string& path);

// Presenter view: the time as "m:ss", or "h:mm:ss" from an hour (negative counts as 0).
std::string format_elapsed(double seconds);
// The first words of a slide (its title, then its text) for "next slide", at most max_chars bytes
// (cut at a word, "…" added, never inside a UTF-8 character).
std::string slide_preview(const Slide& slide, size_t max_chars);
// A slide's speaker notes as paragraphs: each note trimmed, blank notes dropped.
std::vector<std::string> speaker_notes(const Slide& slide);

// "{}" placeholders replaced in order by args (a tr() text with values, no printf formats).
std::string fill(const std::string& text, const std::vector<std::string>& args);

}  // namespace difflab::ui
