// inline_text.cpp — a small inline Markdown reader: emphasis, code, $math$, links, images, HTML tags.
// Not CommonMark-complete: delimiter runs are matched greedily left to right, which is what slides need.
#include "lessons/inline_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <utility>

#include "core/limits.h"
#include "lessons/math_text.h"

namespace difflab {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) >= 0x80);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A parsed HTML tag: name in lower case, closing or not, and its attributes' raw text.
struct Tag {
  std::string name;
  bool closing = false;
  std::string attributes;
  size_t end = 0;  // one past '>'
};

bool read_tag(std::string_view s, size_t i, Tag* tag) {
  if (i >= s.size() || s[i] != '<') return false;
  size_t j = i + 1;
  if (j < s.size() && s[j] == '/') {
    tag->closing = true;
    ++j;
  }
  if (j >= s.size() || !std::isalpha(static_cast<unsigned char>(s[j]))) return false;
  size_t name_begin = j;
  while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '-')) ++j;
  tag->name = lower(std::string(s.substr(name_begin, j - name_begin)));
  if (j < s.size() && !is_space(s[j]) && s[j] != '>' && s[j] != '/') return false;
  char quote = 0;
  size_t attr_begin = j;
  const size_t limit =
      std::min(s.size(), i + 1024);  // a tag longer than 1 KiB is not a tag (and scans stay short)
  for (; j < limit; ++j) {
    if (quote) {
      if (s[j] == quote) quote = 0;
    } else if (s[j] == '"' || s[j] == '\'') {
      quote = s[j];
    } else if (s[j] == '>') {
      tag->attributes = std::string(s.substr(attr_begin, j - attr_begin));
      tag->end = j + 1;
      return true;
    }
  }
  return false;
}

std::string attribute(const std::string& attributes, const std::string& key) {
  const std::string low = lower(attributes);
  for (size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
    if (at > 0 && !is_space(low[at - 1])) continue;
    size_t j = at + key.size();
    while (j < low.size() && is_space(low[j])) ++j;
    if (j >= low.size() || low[j] != '=') continue;
    ++j;
    while (j < low.size() && is_space(low[j])) ++j;
    if (j < low.size() && (low[j] == '"' || low[j] == '\'')) {
      const char q = low[j];
      size_t close = low.find(q, j + 1);
      if (close == std::string::npos) return attributes.substr(j + 1);
      return attributes.substr(j + 1, close - j - 1);
    }
    size_t k = j;
    while (k < low.size() && !is_space(low[k]) && low[k] != '/') ++k;
    return attributes.substr(j, k - j);
  }
  return "";
}

// &amp; &#955; &#x3B1; and a few named entities; anything else stays as written.
bool read_entity(std::string_view s, size_t i, std::string* out, size_t* end) {
  size_t semi = s.find(';', i);
  if (semi == std::string::npos || semi - i > 10) return false;
  const std::string name(s.substr(i + 1, semi - i - 1));
  if (name.empty()) return false;
  static const std::pair<const char*, const char*> kNamed[] = {
      {"amp", "&"},   {"lt", "<"},     {"gt", ">"},    {"quot", "\""},  {"apos", "'"},
      {"nbsp", " "},  {"ndash", "–"},  {"mdash", "—"}, {"hellip", "…"}, {"copy", "©"},
      {"rarr", "→"},  {"larr", "←"},   {"times", "×"}, {"middot", "·"}, {"laquo", "«"},
      {"raquo", "»"}, {"iquest", "¿"}, {"iexcl", "¡"}, {"deg", "°"}};
  if (name[0] == '#') {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    char* stop = nullptr;
    const unsigned long code = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
    if (*stop != '\0' || code == 0 || code >= 0x110000) return false;
    *out = encode_utf8(static_cast<char32_t>(code));
    *end = semi + 1;
    return true;
  }
  for (const auto& [key, value] : kNamed)
    if (name == key) {
      *out = value;
      *end = semi + 1;
      return true;
    }
  return false;
}

class InlineParser {
 public:
  InlineParser(std::string_view text, std::vector<InlineIssue>* issues) : s_(text), issues_(issues) {}

  InlineText run() {
    parse(0, s_.size(), kSpanPlain);
    flush();
    // Trim the outer whitespace and drop empty spans.
    InlineText out;
    for (Span& span : spans_)
      if (!span.text.empty()) out.push_back(std::move(span));
    while (!out.empty() && out.front().style == kSpanPlain) {
      std::string& t = out.front().text;
      t.erase(0, t.find_first_not_of(" \t"));
      if (!t.empty()) break;
      out.erase(out.begin());
    }
    while (!out.empty() && out.back().style == kSpanPlain) {
      std::string& t = out.back().text;
      const size_t last = t.find_last_not_of(" \t");
      t.erase(last == std::string::npos ? 0 : last + 1);
      if (!t.empty()) break;
      out.pop_back();
    }
    for (const std::string& message : unrendered_latex(out)) {
      const size_t quote = message.find('\'');
      const std::string snippet = quote == std::string::npos
                                      ? ""
                                      : message.substr(quote + 1, message.find('\'', quote + 1) - quote - 1);
      const size_t at = snippet.empty() ? std::string::npos : s_.find(snippet);
      issue(at == std::string::npos ? 0 : at, false, message);
    }
    return out;
  }

 private:
  int line_of(size_t pos) const {
    if (newlines_.empty() && !newlines_ready_) {
      for (size_t k = 0; k < s_.size(); ++k)
        if (s_[k] == '\n') newlines_.push_back(k);
      newlines_ready_ = true;
    }
    return static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) - newlines_.begin());
  }

  void issue(size_t pos, bool error, std::string message) {
    if (!issues_) return;
    // A paragraph of garbage must not flood `lessons check`: the first problems are enough to find it.
    constexpr int kMaxIssues = 20;
    if (issue_count_ == kMaxIssues)
      issues_->push_back(InlineIssue{line_of(pos), false, "more problems in this paragraph are not listed"});
    if (issue_count_++ < kMaxIssues || (error && !reported_error_))
      issues_->push_back(InlineIssue{line_of(pos), error, std::move(message)});
    reported_error_ = reported_error_ || error;
  }

  void text(const std::string& t, uint32_t style) {
    if (t.empty()) return;
    if (buffer_style_ != style) flush();
    buffer_style_ = style;
    buffer_ += t;
  }

  void flush() {
    if (!buffer_.empty()) spans_.push_back(Span{buffer_, buffer_style_, "", ""});
    buffer_.clear();
  }

  void push(Span span) {
    flush();
    spans_.push_back(std::move(span));
  }

  // Position one past an opaque construct starting at j (a code span or math), or j if none starts there.
  size_t skip_opaque(size_t j, size_t end) const {
    if (s_[j] == '`') {
      size_t n = 0;
      while (j + n < end && s_[j + n] == '`') ++n;
      size_t close = find_backticks(j + n, end, n);
      return close == std::string::npos ? j + n : close + n;
    }
    if (s_[j] == '$') {
      size_t close = 0, content = 0;
      bool display = false;
      if (find_math(j, end, &content, &close, &display)) return close + (display ? 2 : 1);
    }
    if (s_[j] == '\\' && j + 1 < end) return j + 2;
    return j;
  }

  size_t find_backticks(size_t from, size_t end, size_t n) const {
    for (size_t j = from; j < end;) {
      if (s_[j] != '`') {
        ++j;
        continue;
      }
      size_t m = 0;
      while (j + m < end && s_[j + m] == '`') ++m;
      if (m == n) return j;
      j += m;
    }
    return std::string::npos;
  }

  // $…$ (no space just inside the dollars, no digit right after the closing one) or $$…$$.
  bool find_math(size_t i, size_t end, size_t* content, size_t* close, bool* display) const {
    *display = i + 1 < end && s_[i + 1] == '$';
    const size_t from = i + (*display ? 2 : 1);
    if (from >= end) return false;
    if (!*display && is_space(s_[from])) return false;
    // A search that failed from `from` fails from any later start too (same end): remembering that keeps a
    // paragraph of a million unclosed '$' linear instead of quadratic.
    size_t& failed = failed_from(end, *display ? kFindDisplayMath : kFindMath);
    if (from >= failed) return false;
    for (size_t j = from; j < end; ++j) {
      if (s_[j] == '\\') {
        ++j;
        continue;
      }
      if (s_[j] != '$') continue;
      if (*display) {
        if (j + 1 < end && s_[j + 1] == '$') {
          *content = from;
          *close = j;
          return true;
        }
        continue;
      }
      if (j == from || is_space(s_[j - 1])) continue;
      if (j + 1 < end && std::isdigit(static_cast<unsigned char>(s_[j + 1]))) continue;
      *content = from;
      *close = j;
      return true;
    }
    failed = std::min(failed, from);
    return false;
  }

  // Finds the closing run of exactly n `ch` for an opening run at i (ending at from).
  size_t find_closer(char ch, size_t n, size_t from, size_t end) const {
    size_t& failed = failed_from(end, kFindCloser + (ch == '*' ? 0 : 4) + std::min<size_t>(n, 3));
    if (from >= failed) return std::string::npos;
    for (size_t j = from; j < end;) {
      size_t skipped = skip_opaque(j, end);
      if (skipped != j) {
        j = skipped;
        continue;
      }
      if (s_[j] != ch) {
        ++j;
        continue;
      }
      size_t m = 0;
      while (j + m < end && s_[j + m] == ch) ++m;
      const bool after_text = j > from && !is_space(s_[j - 1]);
      const bool intraword = ch == '_' && j + m < end && is_alnum(s_[j + m]);
      if (m == n && after_text && !intraword) return j;
      if (m > n && after_text && !intraword && n == 1 && m == 3) return j;  // *a **b*** ends both
      j += m;
    }
    failed = std::min(failed, from);
    return std::string::npos;
  }

  // The smallest start from which a search of this kind up to `end` found nothing (npos: none failed yet).
  enum : int {
    kFindMath = 0,
    kFindDisplayMath = 1,
    kFindCloser = 2,
    kFindParen = 10,
    kFindGreater = 11,
    kFindCommentEnd = 12
  };
  size_t& failed_from(size_t end, int kind) const {
    return failed_.try_emplace(std::make_pair(end, kind), std::string::npos).first->second;
  }

  // s_.find(what, from) below `end`, remembering failures (see failed_from).
  size_t find_before(std::string_view what, size_t from, size_t end, int kind) const {
    size_t& failed = failed_from(end, kind);
    if (from >= failed) return std::string::npos;
    const size_t at = s_.find(what, from);
    if (at == std::string::npos || at + what.size() > end) {
      failed = std::min(failed, from);
      return std::string::npos;
    }
    return at;
  }

  // The ']' that closes the '[' at `open` (code spans and math skipped), from one pass over the text.
  size_t matching_bracket(size_t open) const {
    if (!brackets_ready_) {
      brackets_ready_ = true;
      bracket_match_.assign(s_.size(), std::string::npos);
      std::vector<size_t> stack;
      for (size_t j = 0; j < s_.size();) {
        const size_t skipped = skip_opaque(j, s_.size());
        if (skipped != j) {
          j = skipped;
          continue;
        }
        if (s_[j] == '[') stack.push_back(j);
        if (s_[j] == ']' && !stack.empty()) {
          bracket_match_[stack.back()] = j;
          stack.pop_back();
        }
        ++j;
      }
    }
    return bracket_match_[open];
  }

  void math_span(size_t content, size_t close, bool display, uint32_t style) {
    const std::string source(s_.substr(content, close - content));
    MathText m = latex_to_unicode(source);
    for (const std::string& w : m.warnings)
      issue(content, false, "math: " + w + " in $" + shortened_source(source) + "$");
    for (const std::string& e : m.errors) issue(content, true, "math: " + e);
    flush();
    for (Span& span : math_spans(m, source, style | (display ? kSpanDisplayMath : 0u)))
      spans_.push_back(std::move(span));
  }

  // Emphasis and link labels recurse; past limits::kMaxBlockNesting their markers are kept as text.
  bool may_nest(size_t pos) {
    if (depth_ < limits::kMaxBlockNesting) return true;
    if (!reported_depth_)
      issue(pos, true,
            "emphasis or links nested more than " + std::to_string(limits::kMaxBlockNesting) +
                " levels deep (limits::kMaxBlockNesting); the inner markers are shown as written");
    reported_depth_ = true;
    return false;
  }

  void parse_nested(size_t begin, size_t end, uint32_t style) {
    ++depth_;
    parse(begin, end, style);
    --depth_;
  }

  // [label](target "title"); returns the position after ')' or npos.
  size_t read_link(size_t open, size_t end, size_t* label_end, std::string* target) const {
    const size_t j = matching_bracket(open);
    if (j == std::string::npos || j >= end || j + 1 >= end || s_[j + 1] != '(') return std::string::npos;
    *label_end = j;
    size_t close = find_before(")", j + 2, end, kFindParen);
    if (close == std::string::npos || close >= end) return std::string::npos;
    std::string inside(s_.substr(j + 2, close - j - 2));
    size_t first = inside.find_first_not_of(' ');
    inside = first == std::string::npos ? "" : inside.substr(first);
    size_t space = inside.find(' ');
    *target = space == std::string::npos ? inside : inside.substr(0, space);
    if (target->size() >= 2 && target->front() == '<' && target->back() == '>')
      *target = target->substr(1, target->size() - 2);
    return close + 1;
  }

  void parse(size_t begin, size_t end, uint32_t style) {
    for (size_t i = begin; i < end;) {
      const char c = s_[i];
      if (c == '\\' && i + 1 < end) {
        const char next = s_[i + 1];
        if (next == '\n') {
          push(Span{"\n", kSpanBreak, "", ""});
          i += 2;
        } else if (std::ispunct(static_cast<unsigned char>(next))) {
          text(std::string(1, next), style);
          i += 2;
        } else {
          text("\\", style);
          ++i;
        }
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (c == '\r') {
          ++i;
          continue;
        }
        // Two trailing spaces before a newline make a hard break.
        if (buffer_.size() >= 2 && buffer_.compare(buffer_.size() - 2, 2, "  ") == 0) {
          buffer_.erase(buffer_.find_last_not_of(' ') + 1);
          push(Span{"\n", kSpanBreak, "", ""});
        } else {
          text(" ", style);
        }
        ++i;
        continue;
      }
      if (c == '`') {
        size_t n = 0;
        while (i + n < end && s_[i + n] == '`') ++n;
        size_t close = find_backticks(i + n, end, n);
        if (close == std::string::npos) {
          text(std::string(n, '`'), style);
          i += n;
          continue;
        }
        std::string code(s_.substr(i + n, close - i - n));
        std::replace(code.begin(), code.end(), '\n', ' ');
        if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ')
          code = code.substr(1, code.size() - 2);
        push(Span{code, style | kSpanCode, "", ""});
        i = close + n;
        continue;
      }
      if (c == '$') {
        size_t content = 0, close = 0;
        bool display = false;
        if (find_math(i, end, &content, &close, &display)) {
          math_span(content, close, display, style);
          i = close + (display ? 2 : 1);
        } else {
          if (display)
            issue(i, true, "'$$' is never closed");
          else if (i + 1 < end && !is_space(s_[i + 1]) &&
                   !std::isdigit(static_cast<unsigned char>(s_[i + 1])))
            issue(i, false,
                  "'$' opens a formula that is never closed in this paragraph (write \\$ for a dollar sign)");
          text(display ? "$$" : "$", style);
          i += display ? 2 : 1;
        }
        continue;
      }
      if (c == '!' && i + 1 < end && s_[i + 1] == '[') {
        size_t label_end = 0;
        std::string target;
        size_t after = read_link(i + 1, end, &label_end, &target);
        if (after != std::string::npos) {
          const std::string alt = image_alt_without_marp_keywords(s_.substr(i + 2, label_end - i - 2));
          push(Span{"[image: " + (alt.empty() ? target : alt) + "]", style | kSpanImage, "", target});
          i = after;
          continue;
        }
      }
      if (c == '[' && may_nest(i)) {
        size_t label_end = 0;
        std::string target;
        size_t after = read_link(i, end, &label_end, &target);
        if (after != std::string::npos) {
          flush();
          const size_t first = spans_.size();
          parse_nested(i + 1, label_end, style | kSpanLink);
          flush();
          for (size_t k = first; k < spans_.size(); ++k) spans_[k].target = target;
          i = after;
          continue;
        }
      }
      if (c == '<') {
        if (s_.substr(i, 4) == "<!--") {
          size_t close = find_before("-->", i + 4, end, kFindCommentEnd);
          i = close == std::string::npos || close >= end ? end : close + 3;
          continue;
        }
        size_t close = find_before(">", i, end, kFindGreater);
        if (close != std::string::npos && close < end) {
          const std::string inside(s_.substr(i + 1, close - i - 1));
          if (inside.rfind("http://", 0) == 0 || inside.rfind("https://", 0) == 0 ||
              inside.rfind("mailto:", 0) == 0) {
            push(Span{inside, style | kSpanLink, "", inside});
            i = close + 1;
            continue;
          }
        }
        Tag tag;
        if (read_tag(s_, i, &tag) && tag.end <= end) {
          if (tag.name == "br") {
            push(Span{"\n", kSpanBreak, "", ""});
          } else if (tag.name == "img" && !tag.closing) {
            const std::string src = attribute(tag.attributes, "src");
            const std::string alt = attribute(tag.attributes, "alt");
            push(Span{"[image: " + (alt.empty() ? src : alt) + "]", style | kSpanImage, "", src});
          }
          i = tag.end;
          continue;
        }
      }
      if (c == '&') {
        std::string decoded;
        size_t after = 0;
        if (read_entity(s_, i, &decoded, &after) && after <= end) {
          text(decoded, style);
          i = after;
          continue;
        }
      }
      if (c == '*' || c == '_') {
        size_t n = 0;
        while (i + n < end && s_[i + n] == c) ++n;
        const bool followed_by_text = i + n < end && !is_space(s_[i + n]);
        const bool intraword = c == '_' && i > begin && is_alnum(s_[i - 1]);
        if (followed_by_text && !intraword && may_nest(i)) {
          const size_t want = std::min<size_t>(n, 3);
          size_t close = find_closer(c, want, i + want, end);
          if (close != std::string::npos) {
            const uint32_t added = want == 1   ? kSpanEmphasis
                                   : want == 2 ? kSpanStrong
                                               : kSpanStrong | kSpanEmphasis;
            if (n > want) text(std::string(n - want, c), style);
            parse_nested(i + n, close, style | added);
            i = close + want;
            continue;
          }
        }
        text(std::string(n, c), style);
        i += n;
        continue;
      }
      // Plain text up to the next special character.
      size_t j = i + 1;
      while (j < end && std::string_view("\\\n\r`$![<&*_").find(s_[j]) == std::string_view::npos) ++j;
      text(std::string(s_.substr(i, j - i)), style);
      i = j;
    }
  }

  std::string_view s_;
  std::vector<InlineIssue>* issues_;
  InlineText spans_;
  std::string buffer_;
  uint32_t buffer_style_ = kSpanPlain;
  int depth_ = 0;
  bool reported_depth_ = false;
  int issue_count_ = 0;
  bool reported_error_ = false;
  // Memory of earlier scans, so that no input makes parsing quadratic (see failed_from).
  mutable std::map<std::pair<size_t, int>, size_t> failed_;
  mutable std::vector<size_t> bracket_match_, newlines_;
  mutable bool brackets_ready_ = false, newlines_ready_ = false;
};

}  // namespace

InlineText parse_inline(std::string_view text, std::vector<InlineIssue>* issues) {
  return InlineParser(text, issues).run();
}

std::string plain_text(const InlineText& spans) {
  std::string out;
  for (const Span& s : spans) {
    if (s.style & kSpanMath) {
      if (!(s.style & kSpanMathJoin)) out += s.target;  // the formula's one-line text (MathText::text)
      continue;
    }
    out += s.text;
  }
  return out;
}

std::string shortened_source(const std::string& source) {
  if (source.size() <= 80) return source;
  size_t cut = 77;
  while (cut > 0 && (static_cast<unsigned char>(source[cut]) & 0xC0) == 0x80) --cut;  // a whole code point
  return source.substr(0, cut) + "…";
}

std::string span_scripts(uint32_t style) {
  if (!(style & (kSpanSub | kSpanSup))) return "";
  const char mark = (style & kSpanSub) ? '_' : '^';
  return std::string((style & kSpanScriptScript) ? 2 : 1, mark);
}

InlineText math_spans(const MathText& math, const std::string& source, uint32_t style) {
  InlineText out;
  bool line_start = true;  // the next piece starts a line of the formula (after \\ it is a new line)
  for (const MathPiece& piece : math.pieces) {
    uint32_t flags = style | kSpanMath;
    if (!piece.scripts.empty()) flags |= piece.scripts.back() == '_' ? kSpanSub : kSpanSup;
    if (piece.scripts.size() >= 2) flags |= kSpanScriptScript;
    size_t from = 0;
    while (from <= piece.text.size()) {
      const size_t newline = piece.text.find('\n', from);
      const std::string part =
          piece.text.substr(from, newline == std::string::npos ? std::string::npos : newline - from);
      if (!part.empty()) {
        const uint32_t join = line_start ? 0u : static_cast<uint32_t>(kSpanMathJoin);
        // The source and the one-line text ride on the first span only: a formula of a million pieces must
        // not hold a million copies of itself.
        out.push_back(Span{part, flags | join, out.empty() ? source : std::string(),
                           out.empty() ? math.text : std::string()});
        line_start = false;
      }
      if (newline == std::string::npos) break;
      out.push_back(Span{"\n", kSpanBreak, "", ""});
      line_start = true;
      from = newline + 1;
    }
  }
  return out;
}

namespace {

bool is_word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

// The word around position i of s (letters, digits, non-ASCII and the characters _ ^ { } \).
std::string word_around(const std::string& s, size_t i) {
  auto in_word = [](char c) {
    return is_word_byte(c) || c == '_' || c == '^' || c == '{' || c == '}' || c == '\\';
  };
  size_t a = i, b = i;
  while (a > 0 && in_word(s[a - 1])) --a;
  while (b < s.size() && in_word(s[b])) ++b;
  return s.substr(a, b - a);
}

}  // namespace

std::vector<std::string> unrendered_latex(const InlineText& spans) {
  std::vector<std::string> out;
  static const std::string kNone;
  const std::string* formula = &kNone;  // the source of the formula the current math span belongs to
  auto add = [&out](std::string message) {
    if (out.size() >= 10) return;  // enough to find them; a paragraph of garbage stays cheap
    for (const std::string& m : out)
      if (m == message) return;
    out.push_back(std::move(message));
  };
  for (const Span& span : spans) {
    if (span.style & (kSpanCode | kSpanLink | kSpanImage | kSpanBreak)) continue;
    const std::string& t = span.text;
    if ((span.style & kSpanMath) && !(span.style & kSpanMathJoin)) formula = &span.source;
    if (span.style & kSpanMath) {
      for (char c : t)
        if (c == '_' || c == '^' || c == '\\') {
          add("math shows '" + std::string(1, c) + "' as written in $" + shortened_source(*formula) +
              "$ (write scripts as x_{…}, not \\_, and no \\ inside \\text{…})");
          break;
        }
      continue;
    }
    for (size_t i = 0; i < t.size(); ++i) {
      const char c = t[i];
      const bool command =
          c == '\\' && i + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[i + 1]));
      // x_t, ε_θ, E_(…), x^2, a_{…}: a script on a one-letter base (tokens_text is an identifier, not math).
      bool script = false;
      if ((c == '_' || c == '^') && i > 0 && i + 1 < t.size() && is_word_byte(t[i - 1])) {
        size_t a = i - 1;
        while (a > 0 && (static_cast<unsigned char>(t[a]) & 0xC0) == 0x80) --a;  // the code point before
        const bool one_letter_base = a == 0 || !is_word_byte(t[a - 1]);
        const char n = t[i + 1];
        script = n == '{' || (one_letter_base && (is_word_byte(n) || n == '(' || n == '\\'));
      }
      if (!command && !script) continue;
      const std::string word = word_around(t, i);
      add("LaTeX left in the text: '" + word + "' (write it inside $…$, or as code with `…`)");
      while (i + 1 < t.size() && is_word_byte(t[i + 1])) ++i;
    }
  }
  return out;
}

std::string decode_html_entities(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    std::string decoded;
    size_t after = 0;
    if (text[i] == '&' && read_entity(text, i, &decoded, &after)) {
      out += decoded;
      i = after;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string strip_html(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    Tag tag;
    if (text[i] == '<' && text.substr(i, 4) == "<!--") {
      size_t close = text.find("-->", i + 4);
      i = close == std::string::npos ? text.size() : close + 3;
    } else if (text[i] == '<' && read_tag(text, i, &tag)) {
      if (tag.name == "br") out += '\n';
      i = tag.end;
    } else {
      out += text[i++];
    }
  }
  return decode_html_entities(out);
}

std::string image_alt_without_marp_keywords(std::string_view alt) {
  static const char* const kKeyed[] = {"width",      "height",   "w",           "h",         "blur",
                                       "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate",
                                       "invert",     "opacity",  "saturate",    "sepia"};
  static const char* const kBare[] = {
      "bg",          "contain",   "cover",      "fit",    "auto",    "blur",     "brightness", "contrast",
      "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia",      "vertical"};
  std::vector<std::string> words;
  std::string word;
  bool background = false;
  for (size_t i = 0; i <= alt.size(); ++i) {
    if (i == alt.size() || is_space(alt[i])) {
      if (!word.empty()) words.push_back(word);
      if (word == "bg") background = true;
      word.clear();
    } else {
      word += alt[i];
    }
  }
  std::string out;
  for (const std::string& w : words) {
    bool drop = false;
    const size_t colon = w.find(':');
    if (colon != std::string::npos) {
      for (const char* k : kKeyed)
        if (w.compare(0, colon, k) == 0 && std::string(k).size() == colon) drop = true;
    }
    for (const char* k : kBare)
      if (w == k) drop = true;
    if (background && (w == "left" || w == "right" || (!w.empty() && w.back() == '%'))) drop = true;
    if (drop) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace difflab
