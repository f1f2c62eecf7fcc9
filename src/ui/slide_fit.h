// slide_fit.h — the slide's fitting arithmetic: the text column's font scale that makes the text fit its
// height, a display formula's scale for the column width, table column widths, the font size for a window.
// Not drawing: gui.cpp and lesson_view.cpp measure and draw; these are pure, tested in tests/ui.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace difflab::ui {

// The smallest scale the slide's text is shrunk to (below it a projector's back row cannot read it).
inline constexpr float kMinTextScale = 0.6f;

// One step of fitting the text column: the scale for the next frame, given the content's height measured at
// `scale` and the column's height. Text that fits keeps its scale; text that overflows shrinks by the
// square root of the height ratio (wrapped text's height goes about as the square of its size: smaller
// lines and fewer of them), at least 3 % a step so the search ends, never below `floor`. Never grows: the
// caller starts again at 1 when the slide, the window or the font size changes.
inline float next_text_scale(float scale, float content_height, float available_height,
                             float floor = kMinTextScale) {
  if (!(content_height > available_height) || !(available_height > 0)) return scale;
  const float ratio = available_height / content_height;
  return std::max(floor, scale * std::min(0.97f, std::sqrt(ratio)));
}

// A display formula is never wrapped: one `width` pixels wide is drawn at this scale of its size in a column
// `column` pixels wide (1 when it fits; down to 0.25, past which it is clipped rather than unreadable).
inline float display_math_scale(float width, float column) {
  if (!(width > column) || !(column > 0)) return 1.0f;
  return std::max(0.25f, column / width);
}

// A code block (a shell command) is never wrapped, since a line break would change the command: one `width`
// pixels wide is drawn at this scale in a column `column` pixels wide (1 when it fits; down to 0.5, past
// which it is clipped). Lesson 10's "difflab train --dataset fashion-mnist --arch classroom" ran off the
// column.
inline float code_block_scale(float width, float column) {
  if (!(width > column) || !(column > 0)) return 1.0f;
  return std::max(0.5f, column / width);
}

// Where an inline formula too wide for its column may break: the byte offsets of its spaces outside
// brackets, so that "ε_θ(xₜ, t)" is never cut after its comma (lesson 05's Algorithm 2 read "ε_θ(xₜ,⏎t))");
// every space when none is outside brackets.
inline std::vector<size_t> inline_math_breaks(const std::string& text) {
  std::vector<size_t> top, all;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') depth = std::max(0, depth - 1);
    if (c == ' ') {
      all.push_back(i);
      if (depth == 0) top.push_back(i);
    }
  }
  return top.empty() ? all : top;
}

// How many leading bytes of the text after an inline formula are punctuation drawn with the formula, so
// that "$z = 0$." never leaves the "." alone at the start of the next line: . , ; : ) ? ! (ASCII).
inline size_t leading_punctuation(const std::string& text) {
  size_t n = 0;
  while (n < text.size() && std::string_view(".,;:)?!").find(text[n]) != std::string_view::npos) ++n;
  return n;
}

// Where a display formula that holds several equations ("f(u) = …, ᾱₜ = f(t/T)/f(0)") may go onto separate
// lines: the byte offsets just after each ", " (or ";  ") outside brackets that is followed, later, by an
// "=" of the next equation. Never inside an expression: a formula with one equation has none.
inline std::vector<size_t> equation_breaks(const std::string& text) {
  std::vector<size_t> breaks;
  int depth = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') depth = std::max(0, depth - 1);
    if (depth == 0 && (c == ',' || c == ';') && text[i + 1] == ' ') {
      const size_t next = text.find_first_not_of(' ', i + 1);
      if (next == std::string::npos) break;
      // The next equation's "=" must come before any further top-level separator.
      int d = 0;
      bool has_equals = false, before_equals = true;
      for (size_t k = next; k < text.size() && before_equals; ++k) {
        const char e = text[k];
        if (e == '(' || e == '[' || e == '{') ++d;
        if (e == ')' || e == ']' || e == '}') d = std::max(0, d - 1);
        if (d == 0 && e == '=') has_equals = true;
        if (d == 0 && (e == ',' || e == ';') && k + 1 < text.size() && text[k + 1] == ' ')
          before_equals = false;
        if (has_equals) break;
      }
      bool left_has_equals = false;  // and this part must be an equation too (not "f(a, b)" lists)
      int dl = 0;
      for (size_t k = breaks.empty() ? 0 : breaks.back(); k < i; ++k) {
        const char e = text[k];
        if (e == '(' || e == '[' || e == '{') ++dl;
        if (e == ')' || e == ']' || e == '}') dl = std::max(0, dl - 1);
        if (dl == 0 && e == '=') left_has_equals = true;
      }
      if (has_equals && left_has_equals) breaks.push_back(next);
    }
  }
  return breaks;
}

// Column widths of a table: each column's natural (one-line) width plus `padding`, scaled down together
// with the text when their sum exceeds `available`; `font_scale` (≤ 1, ≥ floor) is the text's scale. Past
// the floor every column keeps at least its longest word (`longest_word`, at scale 1; empty: none) and the
// room left is shared in proportion to what each column's cells would need more, so cells wrap at spaces
// and never inside a word or across the next column. When even the words do not fit, in proportion.
inline std::vector<float> table_column_widths(const std::vector<float>& natural, float available,
                                              float padding, float* font_scale, float floor = 0.7f,
                                              const std::vector<float>& longest_word = {}) {
  const size_t n = natural.size();
  std::vector<float> widths(n);
  float text_total = 0;
  for (float w : natural) text_total += std::max(w, 0.0f);
  const float pad_total = padding * float(n);
  float scale = 1.0f;
  if (text_total + pad_total > available && text_total > 0)
    scale = std::clamp((available - pad_total) / text_total, floor, 1.0f);
  if (font_scale) *font_scale = scale;
  std::vector<float> need(n), least(n);
  float need_total = 0, least_total = 0;
  for (size_t i = 0; i < n; ++i) {
    need[i] = std::max(natural[i], 0.0f) * scale + padding;
    const float word = i < longest_word.size() ? std::min(longest_word[i], natural[i]) : 0.0f;
    least[i] = std::max(word, 0.0f) * scale + padding;
    need_total += need[i];
    least_total += least[i];
  }
  if (need_total <= available || !(need_total > 0)) return need;
  if (least_total >= available) {
    for (size_t i = 0; i < n; ++i) widths[i] = least[i] * available / least_total;
    return widths;
  }
  const float share = (available - least_total) / (need_total - least_total);
  for (size_t i = 0; i < n; ++i) widths[i] = least[i] + (need[i] - least[i]) * share;
  return widths;
}

// The regular font's size in pixels for a window `window_height` pixels tall: `base` (the user's size, for
// 720 lines) grows with the height so that text keeps its share of the screen on a 1080-line projector,
// never shrinks below `base` on smaller windows, and at most doubles.
inline float font_pixels_for_window(float base, float window_height) {
  if (!(window_height > 0)) return base;
  return base * std::clamp(window_height / 720.0f, 1.0f, 2.0f);
}

// Presenter mode: the live panel's text relative to the slide's fonts. On a 720-line window the presenter
// fonts leave small multiples a few dozen pixels of data; the panel's controls, captions and tick labels
// are drawn at 0.8 there, growing to full size at 1080 lines (where the plots have room), divided by the
// factor the slide's fonts grew with the window (font_pixels_for_window).
inline float panel_font_scale(float window_height, float window_factor) {
  const float t = std::clamp((window_height - 720.0f) / 360.0f, 0.0f, 1.0f);
  return (0.8f + 0.2f * t) / std::max(window_factor, 1.0f);
}

}  // namespace difflab::ui
