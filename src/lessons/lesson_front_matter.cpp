// lesson_front_matter.cpp — what a lesson says about itself: YAML front matter (flat key/values) and the
// comments of each slide (difflab panel directives, Marp directives, speaker notes).
// Not slide splitting (lesson_slides.cpp) and not a YAML library.
#include <cctype>
#include <map>
#include <sstream>

#include "lessons/inline_text.h"
#include "lessons/lesson_parse.h"
#include "lessons/panel_spec.h"

namespace difflab::lesson_detail {
namespace {

// <!-- key: value --> lines, every key a Marp directive (local ones start with '_').
bool read_marp_directives(const std::string& text, Slide* slide) {
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

void read_panel_directive(const std::string& body, int line, Slide* slide, const ParseContext& ctx) {
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
      ctx.report(line, Severity::Error, "difflab directive: expected key=value, got '" + key + "'");
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
        ctx.report(line, Severity::Error, "difflab directive: the quote in " + key + "= is never closed");
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
      ctx.report(line, Severity::Error, "difflab directive: panel= is given twice");
      ok = false;
    }
    panel_name = value;
  }
  if (panel_name.empty()) {
    ctx.report(line, Severity::Error, "difflab directive without panel=NAME");
    return;
  }
  const PanelSpec* spec = find_panel_spec(panel_name);
  if (!spec) {
    std::string known;
    for (const PanelSpec& p : panel_specs()) known += (known.empty() ? "" : ", ") + p.name;
    ctx.report(line, Severity::Error, "unknown panel '" + panel_name + "' (known panels: " + known + ")");
    return;
  }
  directive.panel = panel_name;
  for (const auto& [key, value] : pairs) {
    if (key == "panel") continue;
    const ParamSpec* param = spec->find(key);
    if (!param) {
      std::string known;
      for (const ParamSpec& p : spec->params) known += (known.empty() ? "" : ", ") + p.name;
      ctx.report(line, Severity::Error,
                 "panel '" + panel_name + "' has no parameter '" + key + "'" +
                     (known.empty() ? std::string(" (it takes none)") : " (parameters: " + known + ")"));
      ok = false;
      continue;
    }
    bool repeated = false;
    for (const auto& [k, v] : directive.params) repeated = repeated || k == key;
    if (repeated) {
      ctx.report(line, Severity::Error, "difflab directive: " + key + "= is given twice");
      ok = false;
      continue;
    }
    if (auto problem = validate_param(*param, value)) {
      ctx.report(line, Severity::Error, "panel '" + panel_name + "': " + *problem);
      ok = false;
      continue;
    }
    directive.params.emplace_back(key, value);
  }
  if (slide->panel) {
    ctx.report(line, Severity::Error,
               "this slide already has a panel (line " + std::to_string(slide->panel->line) +
                   "); one panel per slide");
    return;
  }
  if (ok) slide->panel = std::move(directive);
}

}  // namespace

// YAML between a first line "---" and the next "---" (or "..."): flat key/values, block scalars joined.
size_t read_front_matter(const std::vector<Line>& lines, const ParseContext& ctx) {
  if (lines.empty() || trim(lines[0].text) != "---") return 0;
  size_t close = 1;
  while (close < lines.size() && trim(lines[close].text) != "---" && trim(lines[close].text) != "...")
    ++close;
  if (close >= lines.size()) {
    ctx.report(1, Severity::Error,
               "front matter opened with '---' is never closed (expected a second '---' line)");
    return 1;
  }
  for (size_t i = 1; i < close;) {
    const std::string& s = lines[i].text;
    if (is_blank(s) || trim(s)[0] == '#') {
      ++i;
      continue;
    }
    const size_t colon = s.find(':');
    if (indent_of(s) > 0 || colon == std::string::npos) {
      ctx.report(lines[i].number, Severity::Warning,
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
      while (i < close && (is_blank(lines[i].text) || indent_of(lines[i].text) > 0)) {
        if (!joined.empty()) joined += (block_scalar && value[0] == '>') ? " " : "\n";
        joined += trim(lines[i].text);
        ++i;
      }
      value = trim(joined);
    } else {
      value = strip_quotes(value);
    }
    for (const auto& [k, v] : ctx.lesson->front_matter)
      if (k == key)
        ctx.report(lines[i - 1].number, Severity::Warning, "front matter: '" + key + "' is set twice");
    ctx.lesson->front_matter.emplace_back(key, value);
  }
  return close + 1;
}

void read_comments(const std::vector<Comment>& comments, Slide* slide, const ParseContext& ctx) {
  for (const Comment& c : comments) {
    const std::string t = trim(c.text);
    if (t.empty()) continue;
    std::string lower_head = t.substr(0, std::min<size_t>(t.size(), 8));
    for (char& ch : lower_head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower_head == "difflab:" || (lower_head.rfind("difflab", 0) == 0 && t.size() > 7 && t[7] == ':')) {
      read_panel_directive(t.substr(8), c.line, slide, ctx);
      continue;
    }
    if (lower_head.rfind("difflab", 0) == 0 && (t.size() == 7 || t[7] == ' ')) {
      ctx.report(c.line, Severity::Error,
                 "a difflab directive is written '<!-- difflab: panel=NAME key=value … -->'");
      continue;
    }
    if (read_marp_directives(t, slide)) continue;
    // A speaker note is inline Markdown: the presenter view draws it as the slide draws a paragraph, so
    // `lessons check` gives it the same warnings (LaTeX left unrendered, a '$' never closed) at its line.
    std::vector<InlineIssue> issues;
    parse_inline(c.text, &issues);
    for (const InlineIssue& issue : issues)
      ctx.report(c.line + issue.line_offset, issue.error ? Severity::Error : Severity::Warning,
                 "speaker note: " + issue.message);
    slide->notes.push_back(t);
  }
}

}  // namespace difflab::lesson_detail
