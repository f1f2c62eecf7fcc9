// lesson.h — a lesson file (Marp-compatible Markdown) read into slides, blocks and inline spans,
// with its front matter, speaker notes, live-panel directives and file:line diagnostics.
// Not drawing (src/ui) and not a full CommonMark implementation: it reads what slide decks use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lessons/diagnostic.h"
#include "lessons/inline_text.h"

namespace difflab {

enum class BlockKind {
  Heading,    // level 1..6, text
  Paragraph,  // text
  List,       // items (flat, each with its nesting depth)
  Table,      // header, rows, align
  Code,       // code, language
  Math,       // math_source (LaTeX), math_text (Unicode, scripts as _x ^x), text (math spans to draw)
  Quote,      // children (blocks inside "> ")
  Image,      // image_alt, image_path, image_resolved, is_video
  Columns,  // children: one Column per column (Marp's <div class="columns"><div>…</div><div>…</div></div>)
  Column,   // children: the blocks of one column
};

enum class Align { Default, Left, Center, Right };

struct ListItem {
  InlineText text;
  int depth = 0;  // 0 for the outermost list, 1 for a list nested in it, …
  bool ordered = false;
  int number = 0;  // ordered items: the number as written
  int line = 0;
};

struct Block {
  BlockKind kind = BlockKind::Paragraph;
  int line = 0;                    // 1-based line of the block's first line in the file
  int level = 0;                   // Heading
  InlineText text;                 // Heading, Paragraph; Math: the formula as math spans (see inline_text.h)
  std::vector<ListItem> items;     // List
  std::vector<InlineText> header;  // Table
  std::vector<std::vector<InlineText>> rows;
  std::vector<Align> align;
  std::string code, language;          // Code
  std::string math_source, math_text;  // Math
  std::vector<Block> children;         // Quote, Columns, Column
  std::string image_alt;               // Image: alt text without Marp's size keywords; "" when none
  std::string image_path;              // as written in the file
  std::string image_resolved;          // relative to the lesson file's folder (absolute paths and URLs kept)
  bool is_video = false;               // <video>/<source>: the UI shows a placeholder
  int image_width = 0;  // Marp's width:NNNpx in the alt text (pixels of a 1280-wide slide), or 0
};

// <!-- difflab: panel=NAME key=value … --> — the live panel a slide shows. Only valid ones are kept.
struct PanelDirective {
  std::string panel;
  std::vector<std::pair<std::string, std::string>> params;  // as written, in order (quotes removed)
  int line = 0;
  // The value of a parameter: as written, else the spec's default, else "".
  std::string value(const std::string& param) const;
};

struct Slide {
  int index = 0;  // 0-based
  int line = 0;   // the slide's first line in the file
  std::vector<Block> blocks;
  std::vector<std::string> notes;  // speaker notes: HTML comments that are not directives
  std::map<std::string, std::string>
      directives;  // Marp directives in comments (_class, paginate, …), kept, unused
  std::optional<PanelDirective> panel;
  // The text of the first heading, or "" (for the slide list and the window title).
  std::string title() const;
};

struct Lesson {
  std::string path;                                               // as given
  std::vector<std::pair<std::string, std::string>> front_matter;  // key/values in order
  std::string title;  // front matter "title", else the first heading
  std::string lang;   // front matter "lang", else from the file name (NN-slug.LANG.md), else ""
  std::vector<Slide> slides;
  std::vector<Diagnostic> diagnostics;
  std::string front_matter_value(const std::string& key) const;  // "" when absent
  bool has_errors() const { return count_errors(diagnostics) > 0; }
};

// Parses Markdown text. `path` names the file in diagnostics and is the base for image paths.
// Never throws on bad input: problems are diagnostics, the rest of the file is still read.
Lesson parse_lesson(std::string_view text, const std::string& path = "");

// Reads and parses a file; a file that cannot be read gives a lesson with no slides and one error.
Lesson load_lesson(const std::string& path);

// Adds a warning for every Image block whose file is missing (URLs are not checked).
void check_lesson_images(Lesson* lesson);

}  // namespace difflab
