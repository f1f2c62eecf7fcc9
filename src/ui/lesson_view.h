// lesson_view.h — drawing one slide's blocks (headings, paragraphs, lists, tables, code, math, quotes) with
// ImGui, inline spans flowed and wrapped word by word. Not parsing (src/lessons) and not navigation
// (gui.cpp).
#pragma once

#include <string>
#include <string_view>

#include "lessons/lesson.h"
#include "ui/fonts.h"

namespace difflab::ui {

// Rewrites every text of the lesson with fold_to_bmp (fonts.h), once after loading, so that drawing never
// meets a character the 16-bit font atlas cannot hold.
void fold_lesson_to_bmp(Lesson* lesson);

// Draws the slide at the cursor, wrapping at the available width.
void draw_slide(const Slide& slide, const FontSet& fonts);

// Draws one paragraph of inline spans (emphasis tinted, strong bold, code mono, math highlighted, links
// underlined), wrapped at the available width, starting at the cursor; advances the cursor.
void draw_inline_text(const InlineText& spans, const FontSet& fonts, ImFont* base);

// A scripted UI string ("The loss: L_{VLB} against L_{simple}", plot/scripted_text.h) as one line of plain
// text for an OS window title: scripts in Unicode (xₜ, x²) where every character has a form, else "_VLB"
// or "_(a b)".
std::string scripted_plain_text(std::string_view text);

// A selectable (list entry, menu entry) whose label is scripted text; id keeps it apart from its twins.
bool scripted_selectable(const std::string& label, const char* id, bool selected);

// Draws one speaker note (Slide::notes) as inline Markdown, so that $…$ math and **bold** in notes render
// as on the slide (for the presenter view); wrapped at the available width.
void draw_note_text(const std::string& note, const FontSet& fonts);

}  // namespace difflab::ui
