// lesson_blocks.cpp — one slide's lines into blocks: headings, paragraphs, lists, tables, code, $$ math,
// quotes, images and Marp's column <div>s, nested at most limits::kMaxBlockNesting deep.
// Not line classification (markdown_lines.cpp) and not inline spans (inline_text.cpp).
#include <algorithm>
#include <cctype>

#include "core/limits.h"
#include "lessons/lesson_parse.h"
#include "lessons/math_text.h"

namespace difflab::lesson_detail {
namespace {

class BlockParser {
 public:
  explicit BlockParser(const ParseContext& ctx) : ctx_(ctx) {}

  void run(const std::vector<Line>& lines, std::vector<Block>* out) {
    parse_blocks(lines, 0, lines.size(), 0, out);
  }

 private:
  InlineText inline_text(const std::string& text, int first_line) {
    std::vector<InlineIssue> issues;
    InlineText spans = parse_inline(text, &issues);
    for (const InlineIssue& issue : issues)
      ctx_.report(first_line + issue.line_offset, issue.error ? Severity::Error : Severity::Warning,
                  issue.message);
    return spans;
  }

  Block image_block(int line, const std::string& alt, const std::string& path, bool video) {
    Block b;
    b.kind = BlockKind::Image;
    b.line = line;
    b.image_alt = image_alt_without_marp_keywords(alt);
    b.image_path = path;
    b.image_resolved = resolve_path(ctx_.base_dir, path);
    b.is_video = video;
    b.image_width = marp_image_width(alt);
    return b;
  }

  // Marp's "width:500px" / "w:500" in an image's alt text: pixels on its 1280-pixel-wide slide; 0 when none.
  static int marp_image_width(const std::string& alt) {
    std::string word;
    for (size_t k = 0; k <= alt.size(); ++k) {
      if (k < alt.size() && alt[k] != ' ') {
        word += alt[k];
        continue;
      }
      for (const char* key : {"width:", "w:"}) {
        const std::string prefix = key;
        if (word.rfind(prefix, 0) != 0) continue;
        std::string digits = word.substr(prefix.size());
        if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, "px") == 0)
          digits.resize(digits.size() - 2);
        if (digits.empty() || digits.size() > 5 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
          continue;
        return std::stoi(digits);
      }
      word.clear();
    }
    return 0;
  }

  // Whether line s, met inside a paragraph or list item, starts a new block instead of continuing it.
  static bool interrupts(const std::string& s) {
    char fc = 0, rule = 0;
    size_t fn = 0;
    const std::string t = trim(s);
    return atx_level(s) > 0 || fence_open(s, &fc, &fn) || starts_math_block(s) ||
           (!t.empty() && t[0] == '>') || is_html_only(s) || is_standalone_image(s) || is_rule(s, &rule);
  }

  // `depth` counts the quotes and columns around these lines; past limits::kMaxBlockNesting the inner
  // lines are read as plain paragraphs (an error says so), so that no file can exhaust the stack.
  void parse_blocks(const std::vector<Line>& lines, size_t begin, size_t end, int depth,
                    std::vector<Block>* out) {
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
          ctx_.report(number, Severity::Error,
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
        if (depth >= limits::kMaxBlockNesting) {  // a quote here would be one level too many
          too_deep(number);
          flat_paragraph(inner, out);
          continue;
        }
        Block b;
        b.kind = BlockKind::Quote;
        b.line = number;
        parse_blocks(inner, 0, inner.size(), depth + 1, &b.children);
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
        if (opens_columns(t)) {
          i = parse_columns(lines, i, end, depth, out);
          continue;
        }
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

  void too_deep(int line) {
    if (reported_too_deep_) return;
    reported_too_deep_ = true;
    ctx_.report(line, Severity::Error,
                "quotes, lists or columns nested more than " + std::to_string(limits::kMaxBlockNesting) +
                    " levels deep (limits::kMaxBlockNesting); the deeper text is shown as plain paragraphs");
  }

  // Lines past the nesting limit: their text, '>' markers stripped, as one paragraph per blank-separated run.
  void flat_paragraph(const std::vector<Line>& lines, std::vector<Block>* out) {
    std::string text;
    int first = 0;
    auto flush = [&]() {
      if (text.empty()) return;
      Block p;
      p.kind = BlockKind::Paragraph;
      p.line = first;
      p.text = inline_text(text, first);
      out->push_back(std::move(p));
      text.clear();
    };
    for (const Line& l : lines) {
      std::string t = trim(l.text);
      size_t k = 0;
      while (k < t.size() && (t[k] == '>' || t[k] == ' ')) ++k;
      t = t.substr(k);
      if (t.empty()) {
        flush();
        continue;
      }
      if (text.empty()) first = l.number;
      text += (text.empty() ? "" : "\n") + t;
    }
    flush();
  }

  // <div class="columns"> (Marp's usual two-column layout; also "cols", "two-columns", "grid").
  static bool opens_columns(const std::string& t) {
    std::string lower = t;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("<div", 0) != 0) return false;
    const size_t cls = lower.find("class=");
    const size_t close = lower.find('>');
    if (cls == std::string::npos || close == std::string::npos || cls > close) return false;
    std::string word;
    for (size_t k = cls + 6; k <= close; ++k) {
      const char c = lower[k];
      if (c == '"' || c == '\'' || c == ' ' || c == '>' || c == '/') {
        if (word == "columns" || word == "cols" || word == "two-columns" || word == "grid") return true;
        word.clear();
      } else {
        word += c;
      }
    }
    return false;
  }

  // Counts <div …> opened minus </div> closed on an HTML-only line.
  static int div_balance(const std::string& t) {
    std::string lower = t;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int balance = 0;
    for (size_t at = lower.find("<div"); at != std::string::npos; at = lower.find("<div", at + 1)) {
      const char next = at + 4 < lower.size() ? lower[at + 4] : '>';
      if (next == '>' || next == ' ' || next == '\t') ++balance;
    }
    for (size_t at = lower.find("</div"); at != std::string::npos; at = lower.find("</div", at + 1))
      --balance;
    return balance;
  }

  // From a line that opens a columns <div> to its closing </div>: one Column block per child <div>
  // (text between child divs becomes a column of its own). Returns the index after the closing line.
  size_t parse_columns(const std::vector<Line>& lines, size_t i, size_t end, int depth,
                       std::vector<Block>* out) {
    Block b;
    b.kind = BlockKind::Columns;
    b.line = lines[i].number;
    int level = div_balance(trim(lines[i].text));  // 1 inside the columns div
    ++i;
    std::vector<Line> column;
    int column_line = 0;
    bool in_child = false, saw_child = false;
    char fc = 0;
    size_t fn = 0;
    auto finish = [&]() {
      const bool has_text =
          std::any_of(column.begin(), column.end(), [](const Line& l) { return !is_blank(l.text); });
      if (has_text) {
        Block c;
        c.kind = BlockKind::Column;
        c.line = column_line;
        if (depth >= limits::kMaxBlockNesting) {
          too_deep(column_line);
          flat_paragraph(column, &c.children);
        } else {
          parse_blocks(column, 0, column.size(), depth + 1, &c.children);
        }
        b.children.push_back(std::move(c));
      }
      column.clear();
    };
    while (i < end && level > 0) {
      const std::string& s = lines[i].text;
      if (fence_open(s, &fc, &fn)) {  // code fences are copied whole: a "</div>" inside one is code
        if (column.empty()) column_line = lines[i].number;
        column.push_back(lines[i++]);
        while (i < end && !fence_close(lines[i].text, fc, fn)) column.push_back(lines[i++]);
        if (i < end) column.push_back(lines[i++]);
        continue;
      }
      if (is_html_only(s)) {
        const std::string t = trim(s);
        const int delta = div_balance(t);
        if (level == 1 && delta > 0 && !in_child) {  // a child <div> starts a column
          finish();
          in_child = true;
          saw_child = true;
          level += delta;
          column_line = lines[i].number;
          ++i;
          continue;
        }
        if (delta < 0 && level + delta <= 1) {  // the child's (or the columns') </div>
          level += delta;
          if (in_child && level <= 1) {
            finish();
            in_child = false;
          }
          ++i;
          continue;
        }
        level += delta;
      }
      if (column.empty()) column_line = lines[i].number;
      column.push_back(lines[i]);
      ++i;
    }
    finish();
    if (level > 0)
      ctx_.report(b.line, Severity::Warning, "<div class=\"columns\"> opened here is never closed");
    if (!saw_child && b.children.size() == 1) {  // no child <div>: one column is no columns
      for (Block& inner : b.children[0].children) out->push_back(std::move(inner));
      return i;
    }
    out->push_back(std::move(b));
    return i;
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
        if (item.depth >= limits::kMaxBlockNesting) {  // depth 0 … kMaxBlockNesting − 1
          too_deep(lines[i].number);
          item.depth = limits::kMaxBlockNesting - 1;
          indents.pop_back();
        }
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
    b->text = math_spans(m, b->math_source, kSpanDisplayMath);
    for (const std::string& w : m.warnings)
      ctx_.report(b->line, Severity::Warning,
                  "math: " + w + " in $$" + shortened_source(b->math_source) + "$$");
    for (const std::string& e : m.errors) ctx_.report(b->line, Severity::Error, "math: " + e);
    for (const std::string& w : unrendered_latex(b->text)) ctx_.report(b->line, Severity::Warning, w);
  }

  const ParseContext& ctx_;
  bool reported_too_deep_ = false;
};

}  // namespace

void parse_blocks(const std::vector<Line>& lines, const ParseContext& ctx, std::vector<Block>* out) {
  BlockParser(ctx).run(lines, out);
}

}  // namespace difflab::lesson_detail
