// lesson_slides.cpp — the first steps of reading a lesson: bytes → lines (with NUL and UTF-8 checks) and
// lines → raw slides at '---' rules, with code fences protected and HTML comments set apart.
// Not block structure (lesson_blocks.cpp) and not the front matter (lesson_front_matter.cpp).
#include <algorithm>

#include "lessons/lesson_parse.h"

namespace difflab::lesson_detail {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (overlong forms, surrogates and
// code points above U+10FFFF are invalid too).
size_t valid_utf8_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  char32_t min = 0, c = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, min = 0x80, c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, min = 0x800, c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, c = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::vector<Line> split_lines(std::string_view text, const ParseContext& ctx) {
  std::vector<Line> lines;
  size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;  // UTF-8 byte order mark
  int number = 1;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    // NUL bytes and invalid UTF-8 are errors (one message per line), replaced by U+FFFD.
    std::string line;
    line.reserve(raw.size());
    bool nul = false, bad = false;
    size_t nul_column = 0, bad_column = 0;
    for (size_t i = 0; i < raw.size();) {
      if (raw[i] == '\0') {
        if (!nul) nul_column = i + 1;
        nul = true;
        line += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      const size_t n = valid_utf8_length(raw, i);
      if (n == 0) {
        if (!bad) bad_column = i + 1;
        bad = true;
        line += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      line.append(raw.substr(i, n));
      i += n;
    }
    if (nul)
      ctx.report(number, Severity::Error,
                 "NUL byte at column " + std::to_string(nul_column) +
                     " (a lesson is UTF-8 text; is this a binary file?)");
    if (bad)
      ctx.report(number, Severity::Error,
                 "invalid UTF-8 at byte " + std::to_string(bad_column) +
                     " of the line (save the file as UTF-8; shown as \xEF\xBF\xBD)");
    lines.push_back(Line{number++, std::move(line)});
    if (end == text.size()) break;
    start = end + 1;
  }
  if (!lines.empty() && lines.back().text.empty() && !text.empty() && text.back() == '\n') lines.pop_back();
  return lines;
}

std::vector<RawSlide> split_slides(const std::vector<Line>& lines, size_t body, const ParseContext& ctx) {
  int heading_divider = 0;
  try {
    const std::string hd = ctx.lesson->front_matter_value("headingDivider");
    if (!hd.empty()) heading_divider = std::stoi(hd);
  } catch (const std::exception&) {
    ctx.report(1, Severity::Warning, "front matter: headingDivider is not a number");
  }
  // For each line, the longest ``` / ~~~ run that could close a fence at or after it (one pass, so that a
  // file of unclosed fences is not read once per fence).
  std::vector<size_t> longest_closing_run[2];
  for (int k = 0; k < 2; ++k) {
    const char ch = k == 0 ? '`' : '~';
    longest_closing_run[k].assign(lines.size() + 1, 0);
    for (size_t j = lines.size(); j-- > 0;) {
      const std::string t = trim(lines[j].text);
      const bool run = !t.empty() && std::all_of(t.begin(), t.end(), [ch](char c) { return c == ch; });
      longest_closing_run[k][j] = std::max(longest_closing_run[k][j + 1], run ? t.size() : size_t(0));
    }
  }
  std::vector<RawSlide> slides(1);
  slides[0].first_line = body < lines.size() ? lines[body].number : static_cast<int>(lines.size()) + 1;
  enum class Context { None, Paragraph, List, Other } context = Context::None;
  bool in_fence = false, in_comment = false;
  char fence_char = 0;
  size_t fence_len = 0;
  Comment comment;
  for (size_t i = body; i < lines.size(); ++i) {
    const Line& line = lines[i];
    RawSlide& slide = slides.back();
    if (in_fence) {
      slide.lines.push_back(line);
      if (fence_close(line.text, fence_char, fence_len)) {
        in_fence = false;
        context = Context::None;
      }
      continue;
    }
    // Remove comments (they may span lines); what is left is the line's Markdown.
    // (Positions, not substr copies: a line of a million comments stays linear.)
    const std::string& rest = line.text;
    std::string kept;
    bool had_comment = in_comment;
    for (size_t at = 0;;) {
      if (in_comment) {
        const size_t close = rest.find("-->", at);
        if (close == std::string::npos) {
          comment.text.append(rest, at, std::string::npos);
          comment.text += "\n";
          break;
        }
        comment.text.append(rest, at, close - at);
        slide.comments.push_back(std::move(comment));
        comment = Comment{};
        in_comment = false;
        at = close + 3;
        continue;
      }
      const size_t open = rest.find("<!--", at);
      if (open == std::string::npos) {
        kept.append(rest, at, std::string::npos);
        break;
      }
      kept.append(rest, at, open - at);
      had_comment = true;
      comment = Comment{line.number, ""};
      in_comment = true;
      at = open + 4;
    }
    if (had_comment && is_blank(kept)) {
      slide.lines.push_back(Line{line.number, ""});
      context = Context::None;
      continue;
    }
    char fc = 0;
    size_t fn = 0;
    if (fence_open(kept, &fc, &fn)) {
      const bool closed = longest_closing_run[fc == '`' ? 0 : 1][i + 1] >= fn;
      if (closed) {
        in_fence = true;
        fence_char = fc;
        fence_len = fn;
      } else {
        ctx.report(line.number, Severity::Error, "code fence opened here is never closed");
      }
      slide.lines.push_back(Line{line.number, kept});
      context = Context::Other;
      continue;
    }
    char rule = 0;
    if (is_rule(kept, &rule)) {
      if (rule == '-' && context == Context::Paragraph) {
        ctx.report(line.number, Severity::Warning,
                   "'---' right under a line of text underlines it as a heading (as Marp does), it does not "
                   "start a "
                   "new slide; leave a blank line before it to start one");
        slide.lines.push_back(Line{line.number, kept});
        context = Context::None;
        continue;
      }
      slides.push_back(RawSlide{});
      slides.back().first_line = line.number + 1;
      context = Context::None;
      continue;
    }
    const int level = atx_level(kept);
    if (heading_divider > 0 && level > 0 && level <= heading_divider &&
        std::any_of(slide.lines.begin(), slide.lines.end(),
                    [](const Line& l) { return !is_blank(l.text); })) {
      slides.push_back(RawSlide{});
      slides.back().first_line = line.number;
    }
    ListMarker marker;
    if (is_blank(kept))
      context = Context::None;
    else if (level > 0)
      context = Context::None;
    else if (list_marker(kept, &marker))
      context = Context::List;
    else if (is_html_only(kept) || starts_math_block(kept) || trim(kept)[0] == '|' || trim(kept)[0] == '>')
      context = Context::Other;
    else if (context == Context::None)
      context = Context::Paragraph;  // after HTML, $$, | or >: still Other
    slides.back().lines.push_back(Line{line.number, kept});
  }
  if (in_comment) {
    ctx.report(comment.line, Severity::Error, "HTML comment opened here is never closed (expected '-->')");
    slides.back().comments.push_back(comment);
  }
  return slides;
}
}  // namespace difflab::lesson_detail
