// scripted_text.h — UI strings with sub/superscripts ("ε_θ", "x_T", "ᾱ_{prev}", "L_{VLB}", "x^2") split into
// runs and laid out as pure arithmetic. Not drawing (scripted_draw.h) and not LaTeX (lessons/math_text.h).
//
// The rules are the lesson math's: `_x` / `^x` script the next character (with its combining accents),
// `_{…}` / `^{…}` a group, which may hold scripts of its own; `\_`, `\^` and `\\` write the character itself.
// A `_` or `^` with nothing to script (at the end, before a space, an unclosed `{`) stays as written.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace difflab::plot {

// A run at one script level: scripts is "" on the baseline, "_" in a subscript, "^" in a superscript,
// "_^" in a superscript of a subscript, … (the same marks as lessons/math_text.h's MathPiece).
struct ScriptedRun {
  std::string text;
  std::string scripts;
  bool operator==(const ScriptedRun&) const = default;
};

// Splits `text` into runs; neighbouring runs never share a level. No run has empty text.
std::vector<ScriptedRun> split_scripted(std::string_view text);

// `text` with its '_', '^' and '\' escaped, so that it shows as written: for data put into a scripted
// string (a file name, "fixed_small" in a caption).
std::string scripted_escape(std::string_view text);

// True when `text` has nothing to split (no '_', '^' or '\'): callers may draw it as it is.
bool is_plain_scripted(std::string_view text);

// The runs' text joined, scripts written inline ("ε_θ" → "εθ"): for search, logs and tests.
std::string scripted_visible_text(std::string_view text);

// What a reader would see wrong in `text` drawn as scripted text, one message each: a '_' or '^' left
// visible (one written \_ or \^ is meant to show and is not reported), or a one-character script run straight
// into a letter or digit ("x_prev" scripts only the p: write x_{prev}). Empty when clean; for tests over the
// string tables and lesson titles.
std::vector<std::string> scripted_text_problems(std::string_view text);

// Size and vertical offset of a script level, for a line whose text is `size` pixels tall and whose
// baseline is `ascent_ratio`·size below its top (ImFont::Ascent / FontSize). A subscript (innermost mark
// '_') is 0.72 of the size, lowered 0.22·size; a superscript raised 0.36·size; two levels or more are 0.58
// of the size. dy is the offset of the run's top from the line's top (0 on the baseline).
struct ScriptPlacement {
  float size = 0;
  float dy = 0;
};
ScriptPlacement script_placement(std::string_view scripts, float size, float ascent_ratio);

// One run placed on a laid-out text: draw `text` at (x, y) from the text's top-left corner, `size` tall.
struct PlacedRun {
  std::string text;
  std::string scripts;
  float x = 0, y = 0, size = 0, width = 0;
};
struct ScriptedLayout {
  std::vector<PlacedRun> runs;
  float width = 0;   // the widest line
  float height = 0;  // lines × line_height (0 for empty text)
  int lines = 0;
};

// Measures a piece of text at a pixel size (the font's advance widths).
using MeasureText = std::function<float(const std::string& text, float size)>;

// Lays out `text` at `size` pixels, lines `line_height` apart, breaking at spaces (never inside a script)
// and at '\n' so that no line is wider than `wrap_width` (≤ 0: no wrapping); a word wider than a line
// stands alone. A superscript right after a subscript of the same level stands above it (Σ_t^T as in print).
ScriptedLayout lay_out_scripted(std::string_view text, float size, float ascent_ratio, float line_height,
                                float wrap_width, const MeasureText& measure);

}  // namespace difflab::plot
