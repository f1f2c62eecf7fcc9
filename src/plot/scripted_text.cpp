// scripted_text.cpp — splitting UI strings at `_` / `^` into script runs and laying the runs out in lines.
// Not drawing: scripted_draw.cpp puts the placed runs on an ImGui draw list.
#include "plot/scripted_text.h"

#include <algorithm>
#include <cctype>

#include "core/limits.h"

namespace difflab::plot {
namespace {

// Bytes of the UTF-8 code point starting at s[i] (1 for a stray continuation byte).
size_t code_point_length(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  return i + n > s.size() ? 1 : n;
}

char32_t code_point_at(std::string_view s, size_t i) {
  const size_t n = code_point_length(s, i);
  const auto b = static_cast<unsigned char>(s[i]);
  char32_t c = n == 1 ? b : (b & (0xFF >> (n + 1)));
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return c;
}

bool is_combining_mark(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x20D0 && c <= 0x20FF);
}

// The position of the '}' closing the '{' at `open`, or npos (escaped braces do not count).
size_t matching_brace(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

class Splitter {
 public:
  std::vector<ScriptedRun> runs;

  void parse(std::string_view s, const std::string& scripts, int depth) {
    for (size_t i = 0; i < s.size();) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '_' || s[i + 1] == '^' || s[i + 1] == '\\')) {
        emit(s.substr(i + 1, 1), scripts);
        i += 2;
        continue;
      }
      if ((c == '_' || c == '^') && i + 1 < s.size()) {
        // Past the nesting limit a script stays at the level it is in (its marks are still consumed).
        const std::string inner = depth < limits::kMaxMathNesting ? scripts + c : scripts;
        if (s[i + 1] == '{') {
          const size_t close = matching_brace(s, i + 1);
          if (close != std::string_view::npos) {
            parse(s.substr(i + 2, close - i - 2), inner, depth + 1);
            i = close + 1;
            continue;
          }
        } else if (s[i + 1] != ' ' && s[i + 1] != '\n' && s[i + 1] != '\t' && s[i + 1] != '_' &&
                   s[i + 1] != '^' && s[i + 1] != '}') {
          // One character and the combining accents on it (_ᾱ is α + U+0304).
          size_t end = i + 1 + code_point_length(s, i + 1);
          while (end < s.size() && is_combining_mark(code_point_at(s, end))) end += code_point_length(s, end);
          emit(s.substr(i + 1, end - i - 1), inner);
          i = end;
          continue;
        }
      }
      // Plain text up to the next mark, in one piece.
      size_t end = i + 1;
      while (end < s.size() && s[end] != '_' && s[end] != '^' && s[end] != '\\') ++end;
      emit(s.substr(i, end - i), scripts);
      i = end;
    }
  }

 private:
  void emit(std::string_view text, const std::string& scripts) {
    if (text.empty()) return;
    if (!runs.empty() && runs.back().scripts == scripts)
      runs.back().text += text;
    else
      runs.push_back(ScriptedRun{std::string(text), scripts});
  }
};

}  // namespace

bool is_plain_scripted(std::string_view text) {
  return text.find_first_of("_^\\") == std::string_view::npos;
}

std::vector<ScriptedRun> split_scripted(std::string_view text) {
  if (is_plain_scripted(text)) {
    if (text.empty()) return {};
    return {ScriptedRun{std::string(text), ""}};
  }
  Splitter splitter;
  splitter.parse(text, "", 0);
  return std::move(splitter.runs);
}

std::string scripted_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '^' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string scripted_visible_text(std::string_view text) {
  std::string out;
  for (const ScriptedRun& run : split_scripted(text)) out += run.text;
  return out;
}

std::vector<std::string> scripted_text_problems(std::string_view text) {
  std::vector<std::string> problems;
  // Written \_ or \^, the character is meant to show (an identifier such as clip_sample).
  std::string unescaped;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '_' || text[i + 1] == '^')) {
      ++i;
      continue;
    }
    unescaped += text[i];
  }
  const std::string visible = scripted_visible_text(unescaped);
  if (visible.find_first_of("_^") != std::string::npos)
    problems.push_back("a '_' or '^' stays visible in '" + std::string(text) + "' (write \\_ for one)");
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // an escaped character
      continue;
    }
    if (text[i] != '_' && text[i] != '^') continue;
    const char next = text[i + 1];
    if (next == '{' || next == ' ' || next == '\n' || next == '\t' || next == '_' || next == '^' ||
        next == '}')
      continue;  // a group, or a mark with nothing to script (reported above as visible)
    size_t end = i + 1 + code_point_length(text, i + 1);
    while (end < text.size() && is_combining_mark(code_point_at(text, end)))
      end += code_point_length(text, end);
    if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) {
      std::string message = "'";
      message.append(text.substr(i > 0 ? i - 1 : i, end - i + 2));
      message.append("…' scripts one character only: write ");
      message.push_back(text[i]);
      message.append("{…} for a longer script");
      problems.push_back(std::move(message));
    }
  }
  return problems;
}

ScriptPlacement script_placement(std::string_view scripts, float size, float ascent_ratio) {
  if (scripts.empty()) return {size, 0.0f};
  ScriptPlacement p;
  p.size = size * (scripts.size() >= 2 ? 0.58f : 0.72f);
  const float baseline = size * ascent_ratio;
  const float shift = scripts.back() == '_' ? size * 0.22f : -size * 0.36f;
  p.dy = baseline + shift - p.size * ascent_ratio;  // the run's own baseline moved by `shift`
  return p;
}

ScriptedLayout lay_out_scripted(std::string_view text, float size, float ascent_ratio, float line_height,
                                float wrap_width, const MeasureText& measure) {
  ScriptedLayout layout;
  const std::vector<ScriptedRun> runs = split_scripted(text);
  if (runs.empty()) return layout;

  // Words: pieces between the baseline's spaces. A script's spaces never break a line.
  struct Token {
    enum Kind { Word, Space, Newline } kind = Word;
    std::vector<ScriptedRun> pieces;
  };
  std::vector<Token> tokens;
  auto word = [&]() -> Token& {
    if (tokens.empty() || tokens.back().kind != Token::Word) tokens.push_back(Token{});
    return tokens.back();
  };
  for (const ScriptedRun& run : runs) {
    if (!run.scripts.empty()) {
      word().pieces.push_back(run);
      continue;
    }
    size_t i = 0;
    while (i < run.text.size()) {
      const size_t stop = run.text.find_first_of(" \n", i);
      const size_t end = stop == std::string::npos ? run.text.size() : stop;
      if (end > i) word().pieces.push_back(ScriptedRun{run.text.substr(i, end - i), ""});
      if (stop == std::string::npos) break;
      tokens.push_back(Token{run.text[stop] == ' ' ? Token::Space : Token::Newline, {}});
      i = stop + 1;
    }
  }

  const float space_width = measure(" ", size);
  int line = 0;
  float x = 0;
  int pending_spaces = 0;
  bool line_empty = true;
  auto new_line = [&] {
    layout.width = std::max(layout.width, x);
    ++line;
    x = 0;
    pending_spaces = 0;
    line_empty = true;
  };
  std::vector<PlacedRun> placed;
  for (const Token& token : tokens) {
    if (token.kind == Token::Newline) {
      new_line();
      continue;
    }
    if (token.kind == Token::Space) {
      if (!line_empty) ++pending_spaces;  // no spaces at the start of a line
      continue;
    }
    // Lay the word out at 0, then move it where it goes.
    placed.clear();
    float previous_start = 0, end = 0;
    const ScriptedRun* previous = nullptr;
    for (const ScriptedRun& piece : token.pieces) {
      const ScriptPlacement p = script_placement(piece.scripts, size, ascent_ratio);
      const float w = measure(piece.text, p.size);
      const bool stacked = previous && !piece.scripts.empty() && piece.scripts.back() == '^' &&
                           previous->scripts.size() == piece.scripts.size() &&
                           previous->scripts.back() == '_' &&
                           previous->scripts.compare(0, piece.scripts.size() - 1, piece.scripts, 0,
                                                     piece.scripts.size() - 1) == 0;
      const float start = stacked ? previous_start : end;
      placed.push_back(PlacedRun{piece.text, piece.scripts, start, p.dy, p.size, w});
      previous_start = start;
      end = std::max(end, start + w);
      previous = &piece;
    }
    const float gap = float(pending_spaces) * space_width;
    if (wrap_width > 0 && !line_empty && x + gap + end > wrap_width) new_line();
    const float at = line_empty ? 0.0f : x + float(pending_spaces) * space_width;
    for (PlacedRun& r : placed) {
      r.x += at;
      r.y += float(line) * line_height;
      layout.runs.push_back(std::move(r));
    }
    x = at + end;
    pending_spaces = 0;
    line_empty = false;
  }
  layout.width = std::max(layout.width, x);
  layout.lines = line + 1;
  layout.height = float(layout.lines) * line_height;
  return layout;
}

}  // namespace difflab::plot
