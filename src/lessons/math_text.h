// math_text.h — LaTeX math to readable Unicode text: ᾱₜ, √(1 − βₜ), 𝒩(0, I), ε_θ(xₜ, t).
// Not a TeX engine: no layout, no fractions stacked, no matrices; it writes one line a student can read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace difflab {

// A run of the formula at one script level: scripts is "" on the baseline, "_" in a subscript, "^" in a
// superscript, "_^" in a superscript of a subscript, … (what Unicode cannot write as ₜ or ² is drawn
// smaller and lowered or raised from these).
struct MathPiece {
  std::string text;
  std::string scripts;
};

struct MathText {
  std::string text;                   // UTF-8, one line: scripts without a Unicode form as _θ, ^(…)
  std::vector<MathPiece> pieces;      // the same formula for drawing: no "_"/"^" marks left
  std::vector<std::string> warnings;  // unknown commands, unbalanced braces … (never fatal)
  std::vector<std::string> errors;    // nesting past limits::kMaxMathNesting (the rest is dropped)
};

// Converts the inside of $…$ or $$…$$ (without the dollars). Rules, in the course's notation:
//  - commands: \alpha → α, \bar{\alpha} → α + U+0304, \hat{x} → x + U+0302, \tilde → U+0303,
//    \mathcal{N} → 𝒩, \mathbb{E} → 𝔼, \sqrt{a} → √a or √(a + b), \frac{a}{b} → a/b or (a + b)/(c + d),
//    \left/\right dropped, \text{..}/\mathrm/\mathbf/\operatorname → their plain text;
//  - x_t → xₜ, x^2 → x², when every character has a Unicode sub/superscript form;
//    otherwise "_θ" / "_(1:T)" in `text` (parentheses only when the script is not a single word) and a
//    lowered/raised piece in `pieces`;
//  - '-' → '−' (U+2212); spaces are kept as written, runs of spaces collapse to one;
//  - an unknown command \foo is written "foo" and reported in warnings.
MathText latex_to_unicode(std::string_view latex);

// Replaces the characters outside the Basic Multilingual Plane (𝒩, 𝔼, …) by plain letters, for fonts
// or UI builds that cannot draw them.
std::string to_bmp_text(std::string_view text);

// The UTF-8 bytes of one code point (empty above U+10FFFF).
std::string encode_utf8(char32_t code_point);

// Single characters (UTF-8) in their sub/superscript form, or "" when Unicode has none.
std::string subscript_char(std::string_view utf8_char);
std::string superscript_char(std::string_view utf8_char);

}  // namespace difflab
