// test_presenter_notes.cpp — what the presenter view draws for a speaker note: the note's inline spans
// (lessons/inline_text.h) placed by the scripted-text geometry (plot/scripted_text.h) that lesson_view.cpp
// uses. Not the window: the sizes below are worked out by hand from a 20-pixel font, baseline at 0.8.
#include <doctest/doctest.h>

#include <string>

#include "lessons/inline_text.h"
#include "lessons/lesson.h"
#include "plot/scripted_text.h"
#include "ui/shell_logic.h"

using namespace difflab;

TEST_CASE("a speaker note with $x_T$ renders as x and a smaller, lowered T") {
  const Lesson lesson = parse_lesson("# Uno\n\n<!-- Start from $x_T$. -->\n");
  REQUIRE(lesson.slides.size() == 1);
  const std::vector<std::string> notes = ui::speaker_notes(lesson.slides[0]);
  REQUIRE(notes.size() == 1);
  // draw_note_text parses the note as the slide's paragraphs are parsed …
  const InlineText spans = parse_inline(notes[0]);
  REQUIRE(spans.size() == 4);
  CHECK(spans[0].text == "Start from ");
  CHECK(spans[1].text == "x");
  CHECK((spans[1].style & kSpanMath) != 0);
  CHECK(span_scripts(spans[1].style).empty());
  CHECK(spans[2].text == "T");
  CHECK((spans[2].style & kSpanMathJoin) != 0);  // the same formula: no line break between x and T
  CHECK(span_scripts(spans[2].style) == "_");
  CHECK(spans[3].text == ".");
  // … and draw_inline_text places each piece with script_placement: T is 0.72 of the size and its
  // baseline 0.22·size below x's (16 px from the top for x, 20.4 px for T).
  const plot::ScriptPlacement x = plot::script_placement(span_scripts(spans[1].style), 20, 0.8f);
  const plot::ScriptPlacement t = plot::script_placement(span_scripts(spans[2].style), 20, 0.8f);
  CHECK(x.size == 20);
  CHECK(x.dy + x.size * 0.8f == doctest::Approx(16));
  CHECK(t.size == doctest::Approx(14.4));
  CHECK(t.dy + t.size * 0.8f == doctest::Approx(20.4));
  // The presenter's note is no longer raw LaTeX: its visible text has no '_' or '$'.
  CHECK(plain_text(spans).find('$') == std::string::npos);
}

TEST_CASE("a script inside a script is smaller still, whatever its direction") {
  CHECK(span_scripts(kSpanMath | kSpanSup | kSpanScriptScript) == "^^");
  CHECK(plot::script_placement("^^", 20, 0.8f).size == doctest::Approx(11.6));
}
