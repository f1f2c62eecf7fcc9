// lesson_parse.h — the parts of the lesson reader shared by its files (internal, not installed): lines,
// the Markdown line classifiers, and the steps parse_lesson runs (lines → front matter → slides → blocks).
// Not the public API (lesson.h) and not inline text (inline_text.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lessons/lesson.h"

namespace difflab::lesson_detail {

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

// What every step writes to: the lesson being built, and where image paths are resolved from.
struct ParseContext {
  Lesson* lesson = nullptr;
  std::string base_dir;  // the lesson file's folder, "" for in-memory text
  void report(int line, Severity severity, std::string message) const {
    lesson->diagnostics.push_back(Diagnostic{lesson->path, line, severity, std::move(message)});
  }
};

// ---- Markdown line classifiers (markdown_lines.cpp) ----
std::string trim(std::string_view s);
int indent_of(const std::string& s);
bool is_blank(const std::string& s);
std::string strip_quotes(const std::string& v);
bool fence_open(const std::string& s, char* ch, size_t* n);  // ``` or ~~~ (indent ≤ 3)
bool fence_close(const std::string& s, char ch, size_t n);
bool is_rule(const std::string& s, char* which);  // a thematic break: --- *** ___
int atx_level(const std::string& s);              // "## x" → 2; 0 when not a heading

struct ListMarker {
  int indent = 0;
  bool ordered = false;
  int number = 0;
  std::string rest;
};
bool list_marker(const std::string& s, ListMarker* m);
bool is_table_delimiter(const std::string& s);
bool is_html_only(const std::string& s);  // a line made only of HTML tags (<div class="columns">, </div>)
bool is_standalone_image(const std::string& s);
bool starts_math_block(const std::string& s);
std::vector<std::string> split_row(const std::string& row);  // a table row's cells
std::string resolve_path(const std::string& base_dir, const std::string& path);

// ---- the steps (lesson_slides.cpp, lesson_front_matter.cpp, lesson_blocks.cpp) ----

// Splits text into lines (BOM and CR removed). Reports NUL bytes and invalid UTF-8 as errors (each is
// replaced by U+FFFD so that nothing downstream meets them).
std::vector<Line> split_lines(std::string_view text, const ParseContext& ctx);

// Reads YAML front matter into ctx.lesson->front_matter; returns the index of the first body line.
size_t read_front_matter(const std::vector<Line>& lines, const ParseContext& ctx);

// Splits the body at '---' rules (and Marp's headingDivider), protecting fences; comments are set apart.
std::vector<RawSlide> split_slides(const std::vector<Line>& lines, size_t body, const ParseContext& ctx);

// Comments → difflab panel directive, Marp directives or speaker notes.
void read_comments(const std::vector<Comment>& comments, Slide* slide, const ParseContext& ctx);

// One slide's lines → blocks (headings, paragraphs, lists, tables, code, math, quotes, images, columns).
void parse_blocks(const std::vector<Line>& lines, const ParseContext& ctx, std::vector<Block>* out);

}  // namespace difflab::lesson_detail
