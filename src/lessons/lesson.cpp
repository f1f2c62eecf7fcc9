// lesson.cpp — reads a Marp deck: front matter, slide splitting (with fences and comments protected),
// block structure per slide, then inline spans. Every problem becomes a Diagnostic with its line.
// Not a renderer and not a YAML library: front matter is read as flat key/values.
#include "lessons/lesson.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lessons/math_text.h"
#include "lessons/panel_spec.h"

namespace difflab {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file.empty() ? std::string("<text>") : d.file;
  if (d.line > 0) {
    out += ':';
    out += std::to_string(d.line);
  }
  out += d.severity == Severity::Error ? ": error: " : ": warning: ";
  return out + d.message;
}

int count_errors(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

int count_warnings(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(diagnostics.size()) - count_errors(diagnostics);
}

std::string PanelDirective::value(const std::string& param) const {
  for (const auto& [key, value] : params)
    if (key == param) return value;
  if (const PanelSpec* spec = find_panel_spec(panel))
    if (const ParamSpec* p = spec->find(param)) return p->default_value;
  return "";
}

std::string Slide::title() const {
  for (const Block& b : blocks)
    if (b.kind == BlockKind::Heading) return plain_text(b.text);
  return "";
}

std::string Lesson::front_matter_value(const std::string& key) const {
  for (const auto& [k, v] : front_matter)
    if (k == key) return v;
  return "";
}

namespace {

struct Line {
  int number = 0;  // 1-based line in the file
  std::string text;
};

struct Comment {
  int line = 0;
  std::string text;
};

struct RawSlide {
  int first_line = 0;
  std::vector<Line> lines;
  std::vector<Comment> comments;
};

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string_view::npos ? std::string() : std::string(s.substr(a, b - a + 1));
}

int indent_of(const std::string& s) {
  int n = 0;
  for (char c : s) {
    if (c == ' ')
      ++n;
    else if (c == '\t')
      n += 4 - n % 4;
    else
      break;
  }
  return n;
}

bool is_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r") == std::string::npos;
}

std::string strip_quotes(const std::string& v) {
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\'')))
    return v.substr(1, v.size() - 2);
  return v;
}

// ``` or ~~~ (indent ≤ 3): sets the fence's character and length.
bool fence_open(const std::string& s, char* ch, size_t* n) {
  if (indent_of(s) > 3) return false;
  const std::string t = trim(s);
  if (t.size() < 3 || (t[0] != '`' && t[0] != '~')) return false;
  size_t k = 0;
  while (k < t.size() && t[k] == t[0]) ++k;
  if (k < 3) return false;
  if (t[0] == '`' && t.find('`', k) != std::string::npos) return false;  // ``` a ``` is inline code
  *ch = t[0];
  *n = k;
  return true;
}

bool fence_close(const std::string& s, char ch, size_t n) {
  const std::string t = trim(s);
  if (t.size() < n) return false;
  return std::all_of(t.begin(), t.end(), [ch](char c) { return c == ch; });
}

// A thematic break: three or more of one of - * _ (spaces allowed between), indent ≤ 3.
bool is_rule(const std::string& s, char* which) {
  if (indent_of(s) > 3) return false;
  char ch = 0;
  int count = 0;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c != '-' && c != '*' && c != '_') return false;
    if (ch && c != ch) return false;
    ch = c;
    ++count;
  }
  if (count < 3) return false;
  *which = ch;
  return true;
}

int atx_level(const std::string& s) {
  if (indent_of(s) > 3) return 0;
  const std::string t = trim(s);
  int level = 0;
  while (level < static_cast<int>(t.size()) && t[level] == '#') ++level;
  if (level == 0 || level > 6) return 0;
  if (level < static_cast<int>(t.size()) && t[level] != ' ' && t[level] != '\t') return 0;
  return level;
}

struct ListMarker {
  int indent = 0;
  bool ordered = false;
  int number = 0;
  std::string rest;
};

bool list_marker(const std::string& s, ListMarker* m) {
  const int ind = indent_of(s);
  size_t i = s.find_first_not_of(" \t");
  if (i == std::string::npos) return false;
  size_t j = i;
  bool ordered = false;
  int number = 0;
  if (s[j] == '-' || s[j] == '*' || s[j] == '+') {
    ++j;
  } else {
    size_t k = j;
    while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])) && k - j < 9) ++k;
    if (k == j || k >= s.size() || (s[k] != '.' && s[k] != ')')) return false;
    number = std::stoi(s.substr(j, k - j));
    ordered = true;
    j = k + 1;
  }
  if (j < s.size() && s[j] != ' ' && s[j] != '\t') return false;
  if (j >= s.size() && !ordered) return false;  // a lone "-" is not an item worth showing
  m->indent = ind;
  m->ordered = ordered;
  m->number = number;
  m->rest = trim(s.substr(std::min(j, s.size())));
  return true;
}

bool is_table_delimiter(const std::string& s) {
  const std::string t = trim(s);
  if (t.find('-') == std::string::npos || t.find('|') == std::string::npos) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c == '|' || c == '-' || c == ':' || c == ' '; });
}

// A line made only of HTML tags (e.g. <div class="columns">, </div>, <br>).
bool is_html_only(const std::string& s) {
  const std::string t = trim(s);
  if (t.empty() || t[0] != '<') return false;
  return trim(strip_html(t)).empty();
}

bool is_standalone_image(const std::string& s) {
  const std::string t = trim(s);
  if (t.rfind("![", 0) != 0 || t.back() != ')') return false;
  const size_t close = t.find("](");
  return close != std::string::npos && t.find(')', close) == t.size() - 1;
}

bool starts_math_block(const std::string& s) {
  return trim(s).rfind("$$", 0) == 0;
}

// Splits a table row on '|' outside `code` and $math$, honouring "\|".
std::vector<std::string> split_row(const std::string& row) {
  std::string t = trim(row);
  if (!t.empty() && t.front() == '|') t.erase(0, 1);
  if (!t.empty() && t.back() == '|' && (t.size() < 2 || t[t.size() - 2] != '\\')) t.pop_back();
  std::vector<std::string> cells;
  std::string cell;
  bool in_code = false, in_math = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\\' && i + 1 < t.size() && t[i + 1] == '|') {
      cell += '|';
      ++i;
      continue;
    }
    if (c == '`' && !in_math) in_code = !in_code;
    if (c == '$' && !in_code) in_math = !in_math;
    if (c == '|' && !in_code && !in_math) {
      cells.push_back(trim(cell));
      cell.clear();
      continue;
    }
    cell += c;
  }
  cells.push_back(trim(cell));
  return cells;
}

std::string resolve_path(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.find("://") != std::string::npos || path.rfind("data:", 0) == 0) return path;
  std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return path;
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

class Parser {
 public:
  Parser(std::string_view text, std::string path) : text_(text) {
    lesson_.path = std::move(path);
    if (!lesson_.path.empty()) base_dir_ = std::filesystem::path(lesson_.path).parent_path().string();
  }

  Lesson run() {
    split_lines();
    size_t body = read_front_matter();
    std::vector<RawSlide> raw = split_slides(body);
    for (size_t k = 0; k < raw.size(); ++k) {
      Slide slide;
      slide.index = static_cast<int>(k);
      slide.line = raw[k].first_line;
      read_comments(raw[k].comments, &slide);
      parse_blocks(raw[k].lines, 0, raw[k].lines.size(), &slide.blocks);
      lesson_.slides.push_back(std::move(slide));
    }
    lesson_.title = lesson_.front_matter_value("title");
    for (size_t k = 0; k < lesson_.slides.size() && lesson_.title.empty(); ++k)
      lesson_.title = lesson_.slides[k].title();
    lesson_.lang = lesson_.front_matter_value("lang");
    if (lesson_.lang.empty()) {
      // NN-slug.LANG.md
      const std::string name = std::filesystem::path(lesson_.path).filename().string();
      const size_t md = name.rfind(".md");
      const size_t dot = md == std::string::npos ? std::string::npos : name.rfind('.', md - 1);
      if (dot != std::string::npos && md - dot - 1 >= 2 && md - dot - 1 <= 3)
        lesson_.lang = name.substr(dot + 1, md - dot - 1);
    }
    std::stable_sort(lesson_.diagnostics.begin(), lesson_.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    return std::move(lesson_);
  }

 private:
  void report(int line, Severity severity, std::string message) {
    lesson_.diagnostics.push_back(Diagnostic{lesson_.path, line, severity, std::move(message)});
  }

  void split_lines() {
    size_t start = 0;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") start = 3;  // UTF-8 byte order mark
    int number = 1;
    while (start <= text_.size()) {
      size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      std::string line(text_.substr(start, end - start));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(Line{number++, std::move(line)});
      if (end == text_.size()) break;
      start = end + 1;
    }
    if (!lines_.empty() && lines_.back().text.empty() && text_.size() > 0 && text_.back() == '\n')
      lines_.pop_back();
  }

  // YAML between a first line "---" and the next "---" (or "..."): flat key/values, block scalars joined.
  size_t read_front_matter() {
    if (lines_.empty() || trim(lines_[0].text) != "---") return 0;
    size_t close = 1;
    while (close < lines_.size() && trim(lines_[close].text) != "---" && trim(lines_[close].text) != "...")
      ++close;
    if (close >= lines_.size()) {
      report(1, Severity::Error,
             "front matter opened with '---' is never closed (expected a second '---' line)");
      return 1;
    }
    for (size_t i = 1; i < close;) {
      const std::string& s = lines_[i].text;
      if (is_blank(s) || trim(s)[0] == '#') {
        ++i;
        continue;
      }
      const size_t colon = s.find(':');
      if (indent_of(s) > 0 || colon == std::string::npos) {
        report(lines_[i].number, Severity::Warning,
               "front matter: cannot read '" + trim(s) + "' (expected key: value)");
        ++i;
        continue;
      }
      const std::string key = trim(s.substr(0, colon));
      std::string value = trim(s.substr(colon + 1));
      ++i;
      const bool block_scalar = !value.empty() && (value[0] == '|' || value[0] == '>');
      if (block_scalar || value.empty()) {
        std::string joined;
        while (i < close && (is_blank(lines_[i].text) || indent_of(lines_[i].text) > 0)) {
          if (!joined.empty()) joined += (block_scalar && value[0] == '>') ? " " : "\n";
          joined += trim(lines_[i].text);
          ++i;
        }
        value = trim(joined);
      } else {
        value = strip_quotes(value);
      }
      for (const auto& [k, v] : lesson_.front_matter)
        if (k == key)
          report(lines_[i - 1].number, Severity::Warning, "front matter: '" + key + "' is set twice");
      lesson_.front_matter.emplace_back(key, value);
    }
    return close + 1;
  }

  std::vector<RawSlide> split_slides(size_t body) {
    int heading_divider = 0;
    try {
      const std::string hd = lesson_.front_matter_value("headingDivider");
      if (!hd.empty()) heading_divider = std::stoi(hd);
    } catch (const std::exception&) {
      report(1, Severity::Warning, "front matter: headingDivider is not a number");
    }
    std::vector<RawSlide> slides(1);
    slides[0].first_line = body < lines_.size() ? lines_[body].number : static_cast<int>(lines_.size()) + 1;
    enum class Context { None, Paragraph, List, Other } context = Context::None;
    bool in_fence = false, in_comment = false;
    char fence_char = 0;
    size_t fence_len = 0;
    Comment comment;
    for (size_t i = body; i < lines_.size(); ++i) {
      const Line& line = lines_[i];
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
      std::string rest = line.text, kept;
      bool had_comment = in_comment;
      while (true) {
        if (in_comment) {
          const size_t close = rest.find("-->");
          if (close == std::string::npos) {
            comment.text += rest + "\n";
            rest.clear();
            break;
          }
          comment.text += rest.substr(0, close);
          slide.comments.push_back(comment);
          in_comment = false;
          rest = rest.substr(close + 3);
          continue;
        }
        const size_t open = rest.find("<!--");
        if (open == std::string::npos) {
          kept += rest;
          break;
        }
        kept += rest.substr(0, open);
        had_comment = true;
        comment = Comment{line.number, ""};
        in_comment = true;
        rest = rest.substr(open + 4);
      }
      if (had_comment && is_blank(kept)) {
        slide.lines.push_back(Line{line.number, ""});
        context = Context::None;
        continue;
      }
      char fc = 0;
      size_t fn = 0;
      if (fence_open(kept, &fc, &fn)) {
        bool closed = false;
        for (size_t j = i + 1; j < lines_.size() && !closed; ++j)
          closed = fence_close(lines_[j].text, fc, fn);
        if (closed) {
          in_fence = true;
          fence_char = fc;
          fence_len = fn;
        } else {
          report(line.number, Severity::Error, "code fence opened here is never closed");
        }
        slide.lines.push_back(Line{line.number, kept});
        context = Context::Other;
        continue;
      }
      char rule = 0;
      if (is_rule(kept, &rule)) {
        if (rule == '-' && context == Context::Paragraph) {
          report(line.number, Severity::Warning,
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
      report(comment.line, Severity::Error, "HTML comment opened here is never closed (expected '-->')");
      slides.back().comments.push_back(comment);
    }
    return slides;
  }

  void read_comments(const std::vector<Comment>& comments, Slide* slide) {
    for (const Comment& c : comments) {
      const std::string t = trim(c.text);
      if (t.empty()) continue;
      std::string lower_head = t.substr(0, std::min<size_t>(t.size(), 8));
      for (char& ch : lower_head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lower_head == "difflab:" || (lower_head.rfind("difflab", 0) == 0 && t.size() > 7 && t[7] == ':')) {
        read_panel_directive(t.substr(8), c.line, slide);
        continue;
      }
      if (lower_head.rfind("difflab", 0) == 0 && (t.size() == 7 || t[7] == ' ')) {
        report(c.line, Severity::Error,
               "a difflab directive is written '<!-- difflab: panel=NAME key=value … -->'");
        continue;
      }
      if (read_marp_directives(t, slide)) continue;
      slide->notes.push_back(t);
    }
  }

  // <!-- key: value --> lines, every key a Marp directive (local ones start with '_').
  static bool read_marp_directives(const std::string& text, Slide* slide) {
    static const char* const kKeys[] = {"theme",
                                        "style",
                                        "headingDivider",
                                        "lang",
                                        "title",
                                        "author",
                                        "description",
                                        "image",
                                        "keywords",
                                        "url",
                                        "size",
                                        "math",
                                        "marp",
                                        "paginate",
                                        "header",
                                        "footer",
                                        "class",
                                        "backgroundColor",
                                        "backgroundImage",
                                        "backgroundPosition",
                                        "backgroundRepeat",
                                        "backgroundSize",
                                        "color",
                                        "transition",
                                        "inlineSVG",
                                        "fit"};
    std::map<std::string, std::string> found;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      const std::string t = trim(line);
      if (t.empty()) continue;
      const size_t colon = t.find(':');
      std::string key = trim(t.substr(0, colon));
      const std::string bare = key.rfind('_', 0) == 0 ? key.substr(1) : key;
      bool known = false;
      for (const char* k : kKeys) known = known || bare == k;
      if (!known || (colon == std::string::npos && bare != "fit")) return false;
      found[key] = colon == std::string::npos ? "" : strip_quotes(trim(t.substr(colon + 1)));
    }
    for (auto& [k, v] : found) slide->directives[k] = v;
    return !found.empty();
  }

  void read_panel_directive(const std::string& body, int line, Slide* slide) {
    // key=value tokens; values may be quoted with "" or ''.
    std::vector<std::pair<std::string, std::string>> pairs;
    bool ok = true;
    for (size_t i = 0; i < body.size();) {
      if (std::isspace(static_cast<unsigned char>(body[i]))) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < body.size() && body[j] != '=' && !std::isspace(static_cast<unsigned char>(body[j]))) ++j;
      const std::string key = body.substr(i, j - i);
      if (j >= body.size() || body[j] != '=') {
        report(line, Severity::Error, "difflab directive: expected key=value, got '" + key + "'");
        ok = false;
        i = j;
        continue;
      }
      ++j;
      std::string value;
      if (j < body.size() && (body[j] == '"' || body[j] == '\'')) {
        const char q = body[j];
        const size_t close = body.find(q, j + 1);
        if (close == std::string::npos) {
          report(line, Severity::Error, "difflab directive: the quote in " + key + "= is never closed");
          ok = false;
          value = body.substr(j + 1);
          j = body.size();
        } else {
          value = body.substr(j + 1, close - j - 1);
          j = close + 1;
        }
      } else {
        size_t k = j;
        while (k < body.size() && !std::isspace(static_cast<unsigned char>(body[k]))) ++k;
        value = body.substr(j, k - j);
        j = k;
      }
      pairs.emplace_back(key, value);
      i = j;
    }
    std::string panel_name;
    PanelDirective directive;
    directive.line = line;
    for (const auto& [key, value] : pairs) {
      if (key != "panel") continue;
      if (!panel_name.empty()) {
        report(line, Severity::Error, "difflab directive: panel= is given twice");
        ok = false;
      }
      panel_name = value;
    }
    if (panel_name.empty()) {
      report(line, Severity::Error, "difflab directive without panel=NAME");
      return;
    }
    const PanelSpec* spec = find_panel_spec(panel_name);
    if (!spec) {
      std::string known;
      for (const PanelSpec& p : panel_specs()) known += (known.empty() ? "" : ", ") + p.name;
      report(line, Severity::Error, "unknown panel '" + panel_name + "' (known panels: " + known + ")");
      return;
    }
    directive.panel = panel_name;
    for (const auto& [key, value] : pairs) {
      if (key == "panel") continue;
      const ParamSpec* param = spec->find(key);
      if (!param) {
        std::string known;
        for (const ParamSpec& p : spec->params) known += (known.empty() ? "" : ", ") + p.name;
        report(line, Severity::Error,
               "panel '" + panel_name + "' has no parameter '" + key + "'" +
                   (known.empty() ? std::string(" (it takes none)") : " (parameters: " + known + ")"));
        ok = false;
        continue;
      }
      bool repeated = false;
      for (const auto& [k, v] : directive.params) repeated = repeated || k == key;
      if (repeated) {
        report(line, Severity::Error, "difflab directive: " + key + "= is given twice");
        ok = false;
        continue;
      }
      if (auto problem = validate_param(*param, value)) {
        report(line, Severity::Error, "panel '" + panel_name + "': " + *problem);
        ok = false;
        continue;
      }
      directive.params.emplace_back(key, value);
    }
    if (slide->panel) {
      report(line, Severity::Error,
             "this slide already has a panel (line " + std::to_string(slide->panel->line) +
                 "); one panel per slide");
      return;
    }
    if (ok) slide->panel = std::move(directive);
  }

  InlineText inline_text(const std::string& text, int first_line) {
    std::vector<InlineIssue> issues;
    InlineText spans = parse_inline(text, &issues);
    for (const InlineIssue& issue : issues)
      report(first_line + issue.line_offset, issue.error ? Severity::Error : Severity::Warning,
             issue.message);
    return spans;
  }

  Block image_block(int line, const std::string& alt, const std::string& path, bool video) {
    Block b;
    b.kind = BlockKind::Image;
    b.line = line;
    b.image_alt = image_alt_without_marp_keywords(alt);
    b.image_path = path;
    b.image_resolved = resolve_path(base_dir_, path);
    b.is_video = video;
    return b;
  }

  // Whether line s, met inside a paragraph or list item, starts a new block instead of continuing it.
  static bool interrupts(const std::string& s) {
    char fc = 0, rule = 0;
    size_t fn = 0;
    const std::string t = trim(s);
    return atx_level(s) > 0 || fence_open(s, &fc, &fn) || starts_math_block(s) ||
           (!t.empty() && t[0] == '>') || is_html_only(s) || is_standalone_image(s) || is_rule(s, &rule);
  }

  void parse_blocks(const std::vector<Line>& lines, size_t begin, size_t end, std::vector<Block>* out) {
    size_t i = begin;
    while (i < end) {
      const std::string& s = lines[i].text;
      const int number = lines[i].number;
      const std::string t = trim(s);
      if (t.empty()) {
        ++i;
        continue;
      }
      char fc = 0;
      size_t fn = 0;
      if (fence_open(s, &fc, &fn)) {
        Block b;
        b.kind = BlockKind::Code;
        b.line = number;
        const std::string info = trim(t.substr(fn));
        b.language = info.substr(0, info.find(' '));
        const int fence_indent = indent_of(s);
        ++i;
        while (i < end && !fence_close(lines[i].text, fc, fn)) {
          std::string code_line = lines[i].text;
          int drop = std::min(fence_indent, indent_of(code_line));
          code_line.erase(0, std::min<size_t>(static_cast<size_t>(drop),
                                              code_line.find_first_not_of(' ') == std::string::npos
                                                  ? code_line.size()
                                                  : code_line.find_first_not_of(' ')));
          b.code += code_line + "\n";
          ++i;
        }
        if (i < end) ++i;  // the closing fence
        out->push_back(std::move(b));
        continue;
      }
      if (starts_math_block(s)) {
        Block b;
        b.kind = BlockKind::Math;
        b.line = number;
        std::string after_open = t.substr(2);
        const size_t same_line_close = after_open.find("$$");
        if (same_line_close != std::string::npos) {
          b.math_source = trim(after_open.substr(0, same_line_close));
          const std::string tail = trim(after_open.substr(same_line_close + 2));
          ++i;
          add_math(&b);
          out->push_back(std::move(b));
          if (!tail.empty()) {
            Block p;
            p.kind = BlockKind::Paragraph;
            p.line = number;
            p.text = inline_text(tail, number);
            out->push_back(std::move(p));
          }
          continue;
        }
        std::string source = after_open;
        ++i;
        bool closed = false;
        while (i < end && !is_blank(lines[i].text)) {
          const std::string& m = lines[i].text;
          const size_t close = m.find("$$");
          ++i;
          if (close != std::string::npos) {
            source += "\n" + m.substr(0, close);
            closed = true;
            break;
          }
          source += "\n" + m;
        }
        if (!closed)
          report(number, Severity::Error,
                 "'$$' opened here is never closed (the formula ends at the next blank line)");
        b.math_source = trim(source);
        add_math(&b);
        out->push_back(std::move(b));
        continue;
      }
      if (const int level = atx_level(s)) {
        Block b;
        b.kind = BlockKind::Heading;
        b.line = number;
        b.level = level;
        std::string text = trim(t.substr(static_cast<size_t>(level)));
        const size_t hashes = text.find_last_not_of('#');
        if (hashes != std::string::npos && hashes + 1 < text.size() && text[hashes] == ' ')
          text = trim(text.substr(0, hashes));
        b.text = inline_text(text, number);
        out->push_back(std::move(b));
        ++i;
        continue;
      }
      if (t[0] == '>') {
        std::vector<Line> inner;
        while (i < end && !trim(lines[i].text).empty() && trim(lines[i].text)[0] == '>') {
          std::string q = trim(lines[i].text).substr(1);
          if (!q.empty() && q[0] == ' ') q.erase(0, 1);
          inner.push_back(Line{lines[i].number, q});
          ++i;
        }
        Block b;
        b.kind = BlockKind::Quote;
        b.line = number;
        parse_blocks(inner, 0, inner.size(), &b.children);
        out->push_back(std::move(b));
        continue;
      }
      if (t.find('|') != std::string::npos && i + 1 < end && is_table_delimiter(lines[i + 1].text)) {
        Block b;
        b.kind = BlockKind::Table;
        b.line = number;
        for (const std::string& cell : split_row(s)) b.header.push_back(inline_text(cell, number));
        for (const std::string& d : split_row(lines[i + 1].text)) {
          const bool left = !d.empty() && d.front() == ':', right = !d.empty() && d.back() == ':';
          b.align.push_back(left && right ? Align::Center
                            : left        ? Align::Left
                            : right       ? Align::Right
                                          : Align::Default);
        }
        i += 2;
        while (i < end && !is_blank(lines[i].text) && lines[i].text.find('|') != std::string::npos) {
          std::vector<InlineText> row;
          for (const std::string& cell : split_row(lines[i].text))
            row.push_back(inline_text(cell, lines[i].number));
          row.resize(b.header.size());
          b.rows.push_back(std::move(row));
          ++i;
        }
        out->push_back(std::move(b));
        continue;
      }
      ListMarker marker;
      if (list_marker(s, &marker)) {
        i = parse_list(lines, i, end, out);
        continue;
      }
      if (is_html_only(s)) {
        html_only_line(t, number, out);
        ++i;
        continue;
      }
      if (is_standalone_image(s)) {
        const size_t close = t.find("](");
        std::string target = t.substr(close + 2, t.size() - close - 3);
        target = trim(target.substr(0, target.find(' ')));
        out->push_back(image_block(number, t.substr(2, close - 2), target, false));
        ++i;
        continue;
      }
      // Paragraph: up to a blank line, a line that starts another block, or a setext underline.
      std::string text = s;
      size_t j = i + 1;
      int setext = 0;
      while (j < end && !is_blank(lines[j].text)) {
        const std::string u = trim(lines[j].text);
        if (indent_of(lines[j].text) <= 3 && !u.empty() &&
            (std::all_of(u.begin(), u.end(), [](char c) { return c == '='; }) ||
             (u.size() >= 2 && std::all_of(u.begin(), u.end(), [](char c) { return c == '-'; })))) {
          setext = u[0] == '=' ? 1 : 2;
          ++j;
          break;
        }
        ListMarker m;
        if (interrupts(lines[j].text) || (list_marker(lines[j].text, &m) && !m.rest.empty())) break;
        text += "\n" + lines[j].text;
        ++j;
      }
      Block b;
      b.kind = setext ? BlockKind::Heading : BlockKind::Paragraph;
      b.level = setext;
      b.line = number;
      b.text = inline_text(setext ? trim(text) : text, number);
      if (!b.text.empty()) out->push_back(std::move(b));
      i = j;
    }
  }

  void html_only_line(const std::string& t, int number, std::vector<Block>* out) {
    // <img src alt>, <video src>, <source src> become image blocks; other tags are layout and vanish.
    for (size_t at = t.find('<'); at != std::string::npos; at = t.find('<', at + 1)) {
      std::string lower = t.substr(at, 8);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool img = lower.rfind("<img", 0) == 0,
                 video = lower.rfind("<video", 0) == 0 || lower.rfind("<source", 0) == 0;
      if (!img && !video) continue;
      const size_t close = t.find('>', at);
      const std::string tag = t.substr(at, close == std::string::npos ? std::string::npos : close - at);
      auto attr = [&tag](const std::string& key) {
        const size_t k = tag.find(key + "=");
        if (k == std::string::npos) return std::string();
        size_t v = k + key.size() + 1;
        if (v < tag.size() && (tag[v] == '"' || tag[v] == '\'')) {
          const size_t e = tag.find(tag[v], v + 1);
          return tag.substr(v + 1, e == std::string::npos ? std::string::npos : e - v - 1);
        }
        const size_t e = tag.find_first_of(" />", v);
        return tag.substr(v, e == std::string::npos ? std::string::npos : e - v);
      };
      const std::string src = attr("src");
      if (src.empty()) continue;
      out->push_back(image_block(number, img ? attr("alt") : "", src, video));
    }
  }

  size_t parse_list(const std::vector<Line>& lines, size_t i, size_t end, std::vector<Block>* out) {
    Block b;
    b.kind = BlockKind::List;
    b.line = lines[i].number;
    std::vector<int> indents;
    std::string pending;
    ListItem item;
    bool have_item = false, top_level_ordered = false;
    auto finish_item = [&]() {
      if (!have_item) return;
      item.text = inline_text(pending, item.line);
      b.items.push_back(std::move(item));
      item = ListItem{};
      pending.clear();
      have_item = false;
    };
    while (i < end) {
      const std::string& s = lines[i].text;
      ListMarker m;
      if (is_blank(s)) {
        size_t k = i + 1;
        while (k < end && is_blank(lines[k].text)) ++k;
        if (k < end &&
            (list_marker(lines[k].text, &m) || (indent_of(lines[k].text) >= 2 && !indents.empty() &&
                                                indent_of(lines[k].text) > indents.front()))) {
          i = k;
          continue;
        }
        break;
      }
      if (list_marker(s, &m)) {
        // A top-level item of the other kind (bullet vs numbered) starts a new list, as in CommonMark.
        if (!indents.empty() && m.indent <= indents.front() && m.ordered != top_level_ordered) break;
        if (indents.empty()) top_level_ordered = m.ordered;
        finish_item();
        if (indents.empty() || m.indent > indents.back()) {
          indents.push_back(m.indent);
        } else {
          while (indents.size() > 1 && m.indent < indents.back()) indents.pop_back();
        }
        item.depth = static_cast<int>(indents.size()) - 1;
        item.ordered = m.ordered;
        item.number = m.number;
        item.line = lines[i].number;
        pending = m.rest;
        have_item = true;
        ++i;
        continue;
      }
      if (interrupts(s) && indent_of(s) <= (indents.empty() ? 0 : indents.back())) break;
      char rule = 0;
      if (is_rule(s, &rule)) break;
      pending += '\n';  // a continuation (or lazy) line of the current item
      pending += trim(s);
      ++i;
    }
    finish_item();
    out->push_back(std::move(b));
    return i;
  }

  void add_math(Block* b) {
    MathText m = latex_to_unicode(b->math_source);
    b->math_text = m.text;
    for (const std::string& w : m.warnings)
      report(b->line, Severity::Warning, "math: " + w + " in $$" + b->math_source + "$$");
  }

  std::string_view text_;
  std::string base_dir_;
  std::vector<Line> lines_;
  Lesson lesson_;
};

void check_images_in(const std::vector<Block>& blocks, Lesson* lesson) {
  for (const Block& b : blocks) {
    if (b.kind == BlockKind::Quote) check_images_in(b.children, lesson);
    if (b.kind != BlockKind::Image || b.image_resolved.find("://") != std::string::npos) continue;
    std::error_code ec;
    if (!std::filesystem::exists(b.image_resolved, ec))
      lesson->diagnostics.push_back(Diagnostic{lesson->path, b.line, Severity::Warning,
                                               std::string(b.is_video ? "video" : "image") + " not found: " +
                                                   b.image_path + " (the slide shows its alt text)"});
  }
}

}  // namespace

Lesson parse_lesson(std::string_view text, const std::string& path) {
  return Parser(text, path).run();
}

Lesson load_lesson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Lesson lesson;
    lesson.path = path;
    lesson.diagnostics.push_back(Diagnostic{path, 0, Severity::Error, "cannot read the file"});
    return lesson;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_lesson(buffer.str(), path);
}

void check_lesson_images(Lesson* lesson) {
  for (const Slide& s : lesson->slides) check_images_in(s.blocks, lesson);
  std::stable_sort(lesson->diagnostics.begin(), lesson->diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

}  // namespace difflab
