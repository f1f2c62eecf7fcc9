// markdown_lines.cpp — one-line Markdown tests used by the lesson reader: fences, rules, headings, list
// markers, table rows, HTML-only lines. Not block structure (lesson_blocks.cpp): each looks at one line.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "lessons/inline_text.h"
#include "lessons/lesson_parse.h"

namespace difflab::lesson_detail {

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
}  // namespace difflab::lesson_detail
