// test_scripted_text.cpp — splitting UI strings into sub/superscript runs and laying them out (pure).
// Not drawing: the widths come from a fake font (every code point 10 pixels at size 20).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "plot/scripted_text.h"

using namespace difflab::plot;

namespace {
using Runs = std::vector<ScriptedRun>;

// Every code point (combining marks included) advances size/2: easy to work out by hand.
float fake_width(const std::string& text, float size) {
  int code_points = 0;
  for (unsigned char c : text) code_points += (c & 0xC0) != 0x80;
  return float(code_points) * size * 0.5f;
}
}  // namespace

TEST_CASE("split_scripted: one character after _ or ^ is a script, as in LaTeX") {
  CHECK(split_scripted("ε_θ") == Runs{{"ε", ""}, {"θ", "_"}});
  CHECK(split_scripted("x_T") == Runs{{"x", ""}, {"T", "_"}});
  CHECK(split_scripted("x^2 + 1") == Runs{{"x", ""}, {"2", "^"}, {" + 1", ""}});
  // ε_θ(xₜ, t): only θ is lowered; the parenthesis is back on the baseline.
  CHECK(split_scripted("ε_θ(xₜ, t)") == Runs{{"ε", ""}, {"θ", "_"}, {"(xₜ, t)", ""}});
}

TEST_CASE("split_scripted: braces group a longer script, nested scripts go one level deeper") {
  CHECK(split_scripted("ᾱ_{prev}") == Runs{{"ᾱ", ""}, {"prev", "_"}});
  CHECK(split_scripted("L_{VLB} ≥ 0") == Runs{{"L", ""}, {"VLB", "_"}, {" ≥ 0", ""}});
  CHECK(split_scripted("σ_{max}^{1/ρ}") == Runs{{"σ", ""}, {"max", "_"}, {"1/ρ", "^"}});
  CHECK(split_scripted("e^{x_t}") == Runs{{"e", ""}, {"x", "^"}, {"t", "^_"}});
}

TEST_CASE("split_scripted: a scripted letter keeps its combining accent") {
  // "x_ᾱ": ᾱ is α (2 bytes) + U+0304 (2 bytes); both are the script.
  CHECK(split_scripted("x_\u03B1\u0304!") == Runs{{"x", ""}, {"\u03B1\u0304", "_"}, {"!", ""}});
}

TEST_CASE("split_scripted: escapes and marks with nothing to script stay as written") {
  CHECK(split_scripted("clip\\_sample") == Runs{{"clip_sample", ""}});
  CHECK(split_scripted("a\\^b \\\\") == Runs{{"a^b \\", ""}});
  CHECK(split_scripted("a_ b") == Runs{{"a_ b", ""}});
  CHECK(split_scripted("end_") == Runs{{"end_", ""}});
  CHECK(split_scripted("x_{open") == Runs{{"x_{open", ""}});
  CHECK(split_scripted("") == Runs{});
  CHECK(scripted_visible_text("x_{prev} = √ᾱ_{prev}") == "xprev = √ᾱprev");
  // Data put into a scripted string shows as written.
  CHECK(scripted_escape("fixed_small^2\\") == "fixed\\_small\\^2\\\\");
  CHECK(split_scripted(scripted_escape("fixed_small")) == Runs{{"fixed_small", ""}});
}

TEST_CASE("script_placement: subscripts smaller and lowered, superscripts raised, deeper smaller still") {
  const float size = 20, ascent = 0.8f;
  const ScriptPlacement base = script_placement("", size, ascent);
  CHECK(base.size == 20);
  CHECK(base.dy == 0);
  const ScriptPlacement sub = script_placement("_", size, ascent);
  CHECK(sub.size == doctest::Approx(14.4));
  // Its baseline (dy + 0.8·size) sits 0.22·20 = 4.4 px below the line's baseline (16).
  CHECK(sub.dy + sub.size * ascent == doctest::Approx(16 + 4.4));
  const ScriptPlacement sup = script_placement("^", size, ascent);
  CHECK(sup.dy + sup.size * ascent == doctest::Approx(16 - 7.2));
  CHECK(script_placement("^_", size, ascent).size == doctest::Approx(11.6));
}

TEST_CASE("lay_out_scripted: x_T is an x, then a smaller, lowered T right after it") {
  const ScriptedLayout l = lay_out_scripted("x_T", 20, 0.8f, 20, 0, fake_width);
  REQUIRE(l.runs.size() == 2);
  CHECK(l.runs[0].text == "x");
  CHECK(l.runs[0].x == 0);
  CHECK(l.runs[0].y == 0);
  CHECK(l.runs[1].text == "T");
  CHECK(l.runs[1].x == doctest::Approx(10));  // after x: 0.5 · 20
  CHECK(l.runs[1].size == doctest::Approx(14.4));
  CHECK(l.runs[1].y > 0);
  CHECK(l.width == doctest::Approx(10 + 7.2));
  CHECK(l.lines == 1);
}

TEST_CASE("lay_out_scripted: wraps at the baseline's spaces, never inside a script") {
  // "ab cd_{e f}": words "ab" (20 px) and "cd"+"e f" (20 + 3·7.2 = 41.6 px); a space is 10 px.
  const ScriptedLayout one = lay_out_scripted("ab cd_{e f}", 20, 0.8f, 24, 0, fake_width);
  CHECK(one.lines == 1);
  CHECK(one.width == doctest::Approx(20 + 10 + 41.6));
  const ScriptedLayout two = lay_out_scripted("ab cd_{e f}", 20, 0.8f, 24, 60, fake_width);
  CHECK(two.lines == 2);
  CHECK(two.height == doctest::Approx(48));
  REQUIRE(two.runs.size() == 3);
  CHECK(two.runs[1].text == "cd");
  CHECK(two.runs[1].x == 0);
  CHECK(two.runs[1].y == doctest::Approx(24));
  CHECK(two.runs[2].text == "e f");  // the script's space did not break it
  CHECK(two.width == doctest::Approx(41.6));
  CHECK(lay_out_scripted("a\nb", 20, 0.8f, 20, 0, fake_width).lines == 2);
}

TEST_CASE("lay_out_scripted: a superscript after a subscript stands above it") {
  const ScriptedLayout l = lay_out_scripted("Σ_t^T", 20, 0.8f, 20, 0, fake_width);
  REQUIRE(l.runs.size() == 3);
  CHECK(l.runs[1].x == l.runs[2].x);
  CHECK(l.width == doctest::Approx(10 + 7.2));
}

TEST_CASE("scripted_text_problems: a visible mark, or a one-letter script run into a word") {
  CHECK(scripted_text_problems("ε_θ(xₜ, t), x_T, ᾱ_{prev}, clip\\_sample").empty());
  CHECK(scripted_text_problems("x_prev").size() == 1);  // only the p would be lowered
  CHECK(scripted_text_problems("L_simple").size() == 1);
  CHECK(scripted_text_problems("a_ b").size() == 1);     // the '_' stays visible
  CHECK(scripted_text_problems("x_{open").size() == 1);  // an unclosed group shows its marks
}
