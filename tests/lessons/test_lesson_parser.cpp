// test_lesson_parser.cpp — the lesson parser on lessons/, on the course's Marp decks, on every block kind,
// and on malformed input (diagnostics at the right lines). Not the math table (test_math_text.cpp).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/limits.h"
#include "lessons/lesson.h"
#include "lessons/lesson_index.h"

using namespace difflab;
namespace fs = std::filesystem;

namespace {

// The course decks live beside the repository (shared/course); DIFFLAB_COURSE_DIR overrides.
std::string course_dir() {
  if (const char* env = std::getenv("DIFFLAB_COURSE_DIR")) return env;
  return (fs::path(DIFFLAB_SOURCE_DIR) / ".." / "shared" / "course").lexically_normal().string();
}

std::string messages(const Lesson& lesson) {
  std::string out;
  for (const Diagnostic& d : lesson.diagnostics) out += format_diagnostic(d) + "\n";
  return out;
}

const Diagnostic* find_diagnostic(const Lesson& lesson, int line, Severity severity) {
  for (const Diagnostic& d : lesson.diagnostics)
    if (d.line == line && d.severity == severity) return &d;
  return nullptr;
}

}  // namespace

TEST_CASE("every lesson in lessons/ parses without a diagnostic, with its title, language and panels") {
  const std::string dir = std::string(DIFFLAB_SOURCE_DIR) + "/lessons";
  const std::vector<std::string> files = lesson_files(dir);
  REQUIRE(files.size() >= 4);
  for (const std::string& file : files) {
    CAPTURE(file);
    const Lesson lesson = load_lesson(file);
    CHECK(messages(lesson) == "");
    CHECK_FALSE(lesson.title.empty());
    LessonFileName name;
    REQUIRE(parse_lesson_file_name(fs::path(file).filename().string(), &name));
    CHECK(lesson.lang == name.lang);
    CHECK(lesson.front_matter_value("marp") == "true");
    for (const Slide& slide : lesson.slides) CHECK_FALSE(slide.title().empty());
  }
  // Slide counts counted by hand: separators in the files plus one.
  const Lesson welcome = load_lesson(dir + "/00-welcome.es.md");
  CHECK(welcome.title == "Bienvenida: Diffusion Lab");
  REQUIRE(welcome.slides.size() == 6);
  REQUIRE(welcome.slides[3].panel.has_value());
  CHECK(welcome.slides[3].panel->panel == "train");
  CHECK(welcome.slides[3].panel->value("dataset") == "moons");
  CHECK(welcome.slides[3].panel->value("width") == "128");  // the spec's default
  REQUIRE(welcome.slides[4].panel.has_value());
  CHECK(welcome.slides[4].panel->panel == "gallery");
  CHECK(welcome.slides[0].directives.at("_class") == "lead");
  CHECK(welcome.slides[0].notes.size() == 1);
  CHECK(load_lesson(dir + "/00-welcome.en.md").slides.size() == 6);
  CHECK(load_lesson(dir + "/01-generative-models.es.md").slides.size() == 10);
  CHECK(load_lesson(dir + "/01-generative-models.en.md").slides.size() == 10);
}

TEST_CASE("the course deck 'Modelos de Difusión I' (Marp) parses into its 27 slides without errors") {
  const std::string path = course_dir() + "/001_c6100b6111b2bbb5.txt";
  if (!fs::exists(path)) {
    MESSAGE("course deck not found, skipped: " << path);
    return;
  }
  const Lesson deck = load_lesson(path);
  // 28 lines start with '---': 2 close the front matter, 26 separate slides.
  CHECK(deck.slides.size() == 27);
  CHECK(count_errors(deck.diagnostics) == 0);
  // Its only warnings: p\_data shows an underscore (MathJax too), where p_{\text{data}} was meant.
  const std::string warned = messages(deck);
  CHECK(count_warnings(deck.diagnostics) == 3);
  for (const char* line :
       {":86: warning: math shows '_'", ":87: warning: math shows '_'", ":91: warning: math shows '_'"})
    CHECK(warned.find(line) != std::string::npos);
  CHECK(deck.title == "Modelos de Difusión");
  CHECK(deck.front_matter_value("paginate") == "true");
  CHECK(deck.front_matter_value("style").find(".columns {") != std::string::npos);
  CHECK(deck.slides[17].title() == "Forward Process");
  // Slide 18: the forward process in closed form.
  const Slide& forward = deck.slides[18];
  REQUIRE(forward.blocks.size() >= 4);
  CHECK(forward.blocks[2].kind == BlockKind::Math);
  CHECK(forward.blocks[2].line == 306);
  CHECK(forward.blocks[2].math_text == "q(x_(1:T)|x₀) = ∏ₜ₌₁ᵀ q(xₜ|xₜ₋₁)");
  // The '---' right after a list item (line 367) separates slides 21 and 22.
  CHECK(deck.slides[21].title() == "Reverse process");
  CHECK(deck.slides[22].title() == "Training Process Visualization");
  CHECK(deck.slides[22].notes.size() == 2);
  CHECK(deck.slides[20].blocks.back().kind == BlockKind::Image);
  CHECK(deck.slides[20].blocks.back().is_video);
  const Block& table = deck.slides[24].blocks[1];
  REQUIRE(table.kind == BlockKind::Table);
  CHECK(table.header.size() == 4);
  CHECK(table.rows.size() == 3);
  CHECK(plain_text(table.rows[1][1]) == "4.16");
  CHECK(deck.slides[25].directives.at("_class") == "lead");
  CHECK(deck.slides[25].notes.empty());
}

TEST_CASE("the course deck 'Modelos de Difusión II' (Marp) parses into its 34 slides without errors") {
  const std::string path = course_dir() + "/000_ab0350aec2c043ab.txt";
  if (!fs::exists(path)) {
    MESSAGE("course deck not found, skipped: " << path);
    return;
  }
  const Lesson deck = load_lesson(path);
  // 35 lines start with '---' (one is "--- " with a trailing space): 2 close the front matter.
  CHECK(deck.slides.size() == 34);
  CHECK(messages(deck) == "");
  CHECK(deck.slides[6].title() == "Classifier-free Guidance");
  REQUIRE(deck.slides[6].notes.size() == 1);
  CHECK(deck.slides[6].notes[0].rfind("Este enfoque:", 0) == 0);
  CHECK(deck.slides[12].title() == "[inserte modelo]+CLIP (2021-2022)");
  // ControlNet: a text column and an image column.
  const Block& columns = deck.slides[29].blocks[1];
  REQUIRE(columns.kind == BlockKind::Columns);
  REQUIRE(columns.children.size() == 2);
  CHECK(columns.children[1].children[0].kind == BlockKind::Image);
  const Block& list = columns.children[0].children[1];
  REQUIRE(list.kind == BlockKind::List);
  REQUIRE(list.items.size() == 7);
  CHECK(list.items[3].depth == 1);
  CHECK(plain_text(list.items[3].text) == "Poses");
}

TEST_CASE("blocks: headings, nested and ordered lists, quotes, code, tables, images, setext headings") {
  const Lesson lesson = parse_lesson(
      "# Título\n"                           // 1
      "\n"                                   // 2
      "- uno\n"                              // 3
      "  - uno.a\n"                          // 4
      "- dos\n"                              // 5
      "\n"                                   // 6
      "3. tres\n"                            // 7
      "4. cuatro\n"                          // 8
      "\n"                                   // 9
      "> cita *con* estilo\n"                // 10
      "> - y lista\n"                        // 11
      "\n"                                   // 12
      "```python\n"                          // 13
      "x = 1\n"                              // 14
      "```\n"                                // 15
      "\n"                                   // 16
      "| a | b |\n"                          // 17
      "|:--|--:|\n"                          // 18
      "| $p(x|y)$ | `c|d` |\n"               // 19
      "\n"                                   // 20
      "![width:300 Ruido](img/ruido.png)\n"  // 21
      "Subtítulo\n"                          // 22
      "=========\n",                         // 23
      "/tmp/lessons/x.md");
  CHECK(lesson.diagnostics.empty());
  REQUIRE(lesson.slides.size() == 1);
  const std::vector<Block>& b = lesson.slides[0].blocks;
  REQUIRE(b.size() == 8);
  CHECK(b[0].kind == BlockKind::Heading);
  CHECK(b[0].level == 1);
  REQUIRE(b[1].items.size() == 3);
  CHECK(b[1].items[1].depth == 1);
  CHECK(b[1].items[1].line == 4);
  CHECK(b[1].items[2].depth == 0);
  CHECK(b[2].items[0].ordered);
  CHECK(b[2].items[1].number == 4);
  REQUIRE(b[3].kind == BlockKind::Quote);
  REQUIRE(b[3].children.size() == 2);
  CHECK(b[3].children[1].kind == BlockKind::List);
  CHECK(b[3].children[1].line == 11);
  CHECK(b[4].kind == BlockKind::Code);
  CHECK(b[4].language == "python");
  CHECK(b[4].code == "x = 1\n");
  REQUIRE(b[5].kind == BlockKind::Table);
  CHECK(b[5].align[0] == Align::Left);
  CHECK(b[5].align[1] == Align::Right);
  CHECK(plain_text(b[5].rows[0][0]) == "p(x|y)");
  CHECK(plain_text(b[5].rows[0][1]) == "c|d");
  CHECK(b[6].kind == BlockKind::Image);
  CHECK(b[6].image_alt == "Ruido");
  CHECK(b[6].image_resolved == "/tmp/lessons/img/ruido.png");
  CHECK(b[7].kind == BlockKind::Heading);
  CHECK(b[7].level == 1);
  CHECK(plain_text(b[7].text) == "Subtítulo");

  Lesson with_images = lesson;
  check_lesson_images(&with_images);
  REQUIRE(with_images.diagnostics.size() == 1);
  CHECK(with_images.diagnostics[0].line == 21);
  CHECK(with_images.diagnostics[0].severity == Severity::Warning);
}

TEST_CASE("HTML layout tags vanish, comments become notes or directives, Marp's headingDivider splits") {
  const Lesson lesson = parse_lesson(
      "---\nheadingDivider: 1\n---\n"
      "# Uno\n"                                  // 4
      "<div class=\"columns\">\n"                // 5
      "\n"                                       // 6
      "<!-- paginate: false -->\n"               // 7
      "<!-- una nota\nen dos líneas -->\n"       // 8-9
      "texto<br>abajo <!-- nota en línea -->\n"  // 10
      "</div>\n"                                 // 11
      "# Dos\n");                                // 12
  REQUIRE(lesson.slides.size() == 2);
  const Slide& first = lesson.slides[0];
  CHECK(first.directives.at("paginate") == "false");
  REQUIRE(first.notes.size() == 2);
  CHECK(first.notes[0] == "una nota\nen dos líneas");
  REQUIRE(first.blocks.size() == 2);
  CHECK(plain_text(first.blocks[1].text) == "texto\nabajo");
  CHECK(lesson.slides[1].title() == "Dos");
  CHECK(lesson.slides[1].line == 12);
}

TEST_CASE("unterminated front matter is an error at line 1 and the file is still read") {
  const Lesson lesson = parse_lesson("---\ntitle: x\n\n# Slide\n", "bad.md");
  const Diagnostic* d = find_diagnostic(lesson, 1, Severity::Error);
  REQUIRE(d);
  CHECK(d->message.find("front matter") != std::string::npos);
  CHECK(format_diagnostic(*d).rfind("bad.md:1: error: ", 0) == 0);
  REQUIRE_FALSE(lesson.slides.empty());
  CHECK(lesson.slides.back().title() == "Slide");
}

TEST_CASE("an unterminated code fence is an error at its line and does not swallow later slides") {
  const Lesson lesson = parse_lesson("# A\n\n```cpp\nint x;\n---\n# B\n", "f.md");
  REQUIRE(find_diagnostic(lesson, 3, Severity::Error));
  CHECK(count_errors(lesson.diagnostics) == 1);
  REQUIRE(lesson.slides.size() == 2);
  CHECK(lesson.slides[1].title() == "B");
  // A closed fence protects '---' inside it.
  CHECK(parse_lesson("```\n---\n```\n").slides.size() == 1);
}

TEST_CASE("an unterminated $$ is an error at its line and the next paragraph survives") {
  const Lesson lesson = parse_lesson("---\nmarp: true\n---\n# A\n\n$$x_t = 1\n\nTexto\n");
  REQUIRE(find_diagnostic(lesson, 6, Severity::Error));
  const std::vector<Block>& blocks = lesson.slides[0].blocks;
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[1].kind == BlockKind::Math);
  CHECK(blocks[1].math_text == "xₜ = 1");
  CHECK(plain_text(blocks[2].text) == "Texto");
  // Multi-line $$ blocks and $$ right after a line of text.
  const Lesson ok = parse_lesson("El proceso:\n$$\nq(x_t)\n= 1\n$$\n");
  CHECK(ok.diagnostics.empty());
  REQUIRE(ok.slides[0].blocks.size() == 2);
  CHECK(ok.slides[0].blocks[1].math_text == "q(xₜ) = 1");
}

TEST_CASE("an unterminated HTML comment is an error at the line where it opens") {
  const Lesson lesson = parse_lesson("# A\n\ntext\n<!-- nota\n\n---\n# B\n");
  REQUIRE(find_diagnostic(lesson, 4, Severity::Error));
  CHECK(lesson.slides.size() == 1);
}

TEST_CASE("bad difflab directives are errors at their comment's line, the slide keeps its text") {
  const Lesson lesson = parse_lesson(
      "# Uno\n"                                                             // 1
      "<!-- difflab: panel=nonexistent -->\n"                               // 2
      "---\n"                                                               // 3
      "# Dos\n"                                                             // 4
      "<!-- difflab: panel=train colour=red -->\n"                          // 5
      "---\n"                                                               // 6
      "# Tres\n"                                                            // 7
      "\n"                                                                  // 8
      "<!-- difflab: panel=train width=5000 -->\n"                          // 9
      "---\n"                                                               // 10
      "<!-- difflab: panel=train dataset=\"mars\" -->\n"                    // 11
      "<!-- difflab: panel=train lr=fast -->\n"                             // 12
      "<!-- difflab: dataset=moons -->\n"                                   // 13
      "<!-- difflab panel=train -->\n"                                      // 14
      "---\n"                                                               // 15
      "<!-- difflab: panel=train dataset='swiss-roll' autoplay=true -->\n"  // 16
      "texto\n",                                                            // 17
      "d.md");
  REQUIRE(lesson.slides.size() == 5);
  for (int line : {2, 5, 9, 11, 12, 13, 14}) {
    CAPTURE(line);
    CHECK(find_diagnostic(lesson, line, Severity::Error));
  }
  CHECK(count_errors(lesson.diagnostics) == 7);
  CHECK(find_diagnostic(lesson, 2, Severity::Error)->message.find("unknown panel 'nonexistent'") !=
        std::string::npos);
  CHECK(find_diagnostic(lesson, 5, Severity::Error)->message.find("no parameter 'colour'") !=
        std::string::npos);
  CHECK(find_diagnostic(lesson, 9, Severity::Error)->message.find("width=5000 is outside 16 … 1024") !=
        std::string::npos);
  CHECK(find_diagnostic(lesson, 11, Severity::Error)->message.find("dataset=mars is not one of") !=
        std::string::npos);
  for (int k = 0; k < 4; ++k) CHECK_FALSE(lesson.slides[k].panel.has_value());
  CHECK(lesson.slides[2].title() == "Tres");
  REQUIRE(lesson.slides[4].panel.has_value());
  CHECK(lesson.slides[4].panel->value("dataset") == "swiss-roll");
  CHECK(lesson.slides[4].panel->value("autoplay") == "true");
  CHECK(lesson.slides[4].panel->line == 16);
  CHECK(lesson.slides[4].notes.empty());
}

TEST_CASE("'---' right under a line of text is a setext heading (as in Marp), with a warning") {
  const Lesson lesson = parse_lesson("# A\n\nUn título\n---\n\nmás\n\n---\n\n# B\n");
  REQUIRE(lesson.slides.size() == 2);
  REQUIRE(find_diagnostic(lesson, 4, Severity::Warning));
  CHECK(lesson.slides[0].blocks[1].kind == BlockKind::Heading);
  CHECK(lesson.slides[0].blocks[1].level == 2);
}

TEST_CASE("math warnings point at the line of the formula inside a paragraph") {
  const Lesson lesson = parse_lesson("# A\n\nprimera\nsegunda $\\foo x$\n", "m.md");
  const Diagnostic* d = find_diagnostic(lesson, 4, Severity::Warning);
  REQUIRE(d);
  CHECK(d->message.find("\\foo") != std::string::npos);
}

TEST_CASE("a missing file is one error, not an exception") {
  const Lesson lesson = load_lesson("/nonexistent/lesson.md");
  CHECK(lesson.slides.empty());
  CHECK(count_errors(lesson.diagnostics) == 1);
}

TEST_CASE("Marp column divs become a Columns block with one Column per child div") {
  const Lesson lesson = parse_lesson(
      "# Dos columnas\n"           // 1
      "<div class=\"columns\">\n"  // 2
      "<div>\n"                    // 3
      "\n"                         // 4
      "**Izquierda**\n"            // 5
      "- uno\n"                    // 6
      "\n"                         // 7
      "</div>\n"                   // 8
      "<div>\n"                    // 9
      "\n"                         // 10
      "![width:300px](a.png)\n"    // 11
      "\n"                         // 12
      "</div>\n"                   // 13
      "</div>\n"                   // 14
      "\n"                         // 15
      "Después\n",                 // 16
      "deck.md");
  CHECK(lesson.diagnostics.empty());
  const std::vector<Block>& blocks = lesson.slides[0].blocks;
  REQUIRE(blocks.size() == 3);
  REQUIRE(blocks[1].kind == BlockKind::Columns);
  CHECK(blocks[1].line == 2);
  REQUIRE(blocks[1].children.size() == 2);
  const Block& left = blocks[1].children[0];
  CHECK(left.kind == BlockKind::Column);
  REQUIRE(left.children.size() == 2);
  CHECK(plain_text(left.children[0].text) == "Izquierda");
  CHECK(left.children[1].kind == BlockKind::List);
  const Block& right = blocks[1].children[1];
  REQUIRE(right.children.size() == 1);
  CHECK(right.children[0].kind == BlockKind::Image);
  CHECK(right.children[0].image_path == "a.png");
  CHECK(right.children[0].line == 11);
  CHECK(right.children[0].image_width == 300);  // Marp's width:300px, for the view to scale by
  CHECK(parse_lesson("![w:640 foto](b.jpg)\n").slides[0].blocks[0].image_width == 640);
  CHECK(parse_lesson("![foto](b.jpg)\n").slides[0].blocks[0].image_width == 0);
  CHECK(plain_text(blocks[2].text) == "Después");
}

TEST_CASE("the course deck 'Modelos de Difusión II' lays out DALL-E's two stages as two columns") {
  const std::string path = course_dir() + "/000_ab0350aec2c043ab.txt";
  if (!fs::exists(path)) {
    MESSAGE("course deck not found, skipped: " << path);
    return;
  }
  const Lesson deck = load_lesson(path);
  const Slide* dalle = nullptr;
  for (const Slide& s : deck.slides)
    if (s.title() == "DALL-E (2021)")
      for (const Block& b : s.blocks)
        if (b.kind == BlockKind::Columns) dalle = &s;
  REQUIRE(dalle);
  const Block* columns = nullptr;
  for (const Block& b : dalle->blocks)
    if (b.kind == BlockKind::Columns) columns = &b;
  REQUIRE(columns->children.size() == 2);
  CHECK(plain_text(columns->children[0].children[0].text) == "Stage 1: dVAE (discrete VAE)");
  CHECK(plain_text(columns->children[1].children[0].text) == "Stage 2: Transformer Autoregresivo");
}

TEST_CASE("700 nested '>' quotes are an error at the first line, not a stack overflow (issue 16, point 1)") {
  std::string deep;
  for (int i = 0; i < 700; ++i) deep += ">";
  const Lesson lesson = parse_lesson("# A\n\n" + deep + " hondo\n", "q.md");
  const Diagnostic* d = find_diagnostic(lesson, 3, Severity::Error);
  REQUIRE(d);
  CHECK(d->message.find("kMaxBlockNesting") != std::string::npos);
  CHECK(d->message.find(std::to_string(limits::kMaxBlockNesting)) != std::string::npos);
  CHECK(count_errors(lesson.diagnostics) == 1);
  // The text is kept, at the deepest level allowed.
  const Block* b = &lesson.slides[0].blocks[1];
  int depth = 0;
  while (b->kind == BlockKind::Quote && !b->children.empty()) {
    b = &b->children[0];
    ++depth;
  }
  CHECK(depth == limits::kMaxBlockNesting);
  CHECK(plain_text(b->text) == "hondo");
  // Exactly at the limit is no error; one more level is.
  const std::string ok(static_cast<size_t>(limits::kMaxBlockNesting), '>');
  CHECK(parse_lesson(ok + " bien\n").diagnostics.empty());
  CHECK(count_errors(parse_lesson(ok + "> mal\n").diagnostics) == 1);
  // Lists nested 700 deep: depth capped, one error.
  std::string list;
  for (int i = 0; i < 700; ++i) list += std::string(static_cast<size_t>(2 * i), ' ') + "- x\n";
  const Lesson nested = parse_lesson(list);
  CHECK(count_errors(nested.diagnostics) == 1);
  CHECK(nested.slides[0].blocks[0].items.back().depth == limits::kMaxBlockNesting - 1);
}

TEST_CASE("NUL bytes and invalid UTF-8 are errors at their line, replaced by U+FFFD (issue 16, point 9)") {
  const std::string text =
      std::string("# A\n\nbien\ncon NUL ") + '\0' + " aquí\nmal \xC3\x28 y \xED\xA0\x80\n";
  const Lesson lesson = parse_lesson(text, "bin.md");
  const Diagnostic* nul = find_diagnostic(lesson, 4, Severity::Error);
  REQUIRE(nul);
  CHECK(nul->message.find("NUL byte at column 9") != std::string::npos);
  const Diagnostic* bad = find_diagnostic(lesson, 5, Severity::Error);
  REQUIRE(bad);
  CHECK(bad->message.find("invalid UTF-8 at byte 5") != std::string::npos);
  CHECK(count_errors(lesson.diagnostics) == 2);
  // Nothing downstream meets the bad bytes: the paragraph shows U+FFFD instead.
  const std::string shown = plain_text(lesson.slides[0].blocks[1].text);
  CHECK(shown.find('\0') == std::string::npos);
  CHECK(shown.find("con NUL \xEF\xBF\xBD aquí") != std::string::npos);
  CHECK(shown.find("mal \xEF\xBF\xBD( y \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE(
    "an empty file, a blank one and a folder are errors, not lessons with no slides (issue 16, point 6)") {
  for (const char* text : {"", "\n\n  \n"}) {
    const Lesson lesson = parse_lesson(text, "vacío.md");
    CHECK(lesson.slides.empty());
    REQUIRE(count_errors(lesson.diagnostics) == 1);
    CHECK(lesson.diagnostics[0].message.find("empty") != std::string::npos);
  }
  const fs::path dir = fs::temp_directory_path() / "difflab_lesson_dir.md";
  fs::create_directories(dir);
  const Lesson folder = load_lesson(dir.string());
  fs::remove_all(dir);
  REQUIRE(count_errors(folder.diagnostics) == 1);
  CHECK(folder.diagnostics[0].message == "is a folder, not a lesson file");
}

TEST_CASE("a file past kMaxLessonFileBytes is refused with the limit in the message") {
  const fs::path path = fs::temp_directory_path() / "difflab_big_lesson.md";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string line(1023, 'a');
    for (size_t written = 0; written <= limits::kMaxLessonFileBytes; written += 1024) out << line << '\n';
  }
  const Lesson big = load_lesson(path.string());
  fs::remove(path);
  CHECK(big.slides.empty());
  REQUIRE(count_errors(big.diagnostics) == 1);
  CHECK(big.diagnostics[0].message.find("kMaxLessonFileBytes") != std::string::npos);
}

TEST_CASE("display math keeps its pieces for drawing, LaTeX left in the text is a warning at its line") {
  const Lesson lesson = parse_lesson("# A\n\n$$\\epsilon_\\theta(x_T)$$\n\nla red ε_θ\ny x_T\n", "l.md");
  const Block& math = lesson.slides[0].blocks[1];
  REQUIRE(math.kind == BlockKind::Math);
  CHECK(math.math_text == "ε_θ(x_T)");
  REQUIRE(math.text.size() == 5);  // ε, θ (sub), (x, T (sub), )
  CHECK(math.text[1].text == "θ");
  CHECK(math.text[1].style == (kSpanMath | kSpanDisplayMath | kSpanSub | kSpanMathJoin));
  const Diagnostic* a = find_diagnostic(lesson, 5, Severity::Warning);
  const Diagnostic* b = find_diagnostic(lesson, 6, Severity::Warning);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->message.find("'ε_θ'") != std::string::npos);
  CHECK(b->message.find("'x_T'") != std::string::npos);
}

TEST_CASE(
    "adversarial paragraphs parse in linear time and bounded memory (issue 16: no file eats the machine)") {
  // Each of these took time quadratic in its length before (200 KB of '[' took ~1 minute; a 1.8 MB formula
  // of 200 000 scripts needed > 20 GB): at 1 MB each they now take well under a second. No clock is read —
  // a quadratic parser makes this test time out instead.
  const size_t n = 1u << 20;
  auto repeat = [n](const std::string& unit) {
    std::string s;
    while (s.size() < n) s += unit;
    return s;
  };
  const std::string cases[] = {repeat("["),     repeat("*a "),     repeat("$a "), repeat("[a]("),
                               repeat("<a \""), repeat("<!---->"), repeat("_a "), repeat("<"),
                               repeat("x_1 "),  repeat("`a ``")};
  for (const std::string& paragraph : cases) {
    CAPTURE(paragraph.substr(0, 8));
    const Lesson lesson = parse_lesson("# A\n\n" + paragraph + "\n");
    CHECK(lesson.slides.size() == 1);
    CHECK(lesson.diagnostics.size() <= 22);  // at most 20 problems listed per paragraph (+ "more…")
  }
  // A file of unclosed fences is read once, not once per fence.
  const Lesson fences = parse_lesson("# A\n\n" + repeat("```x\n").substr(0, n / 4));
  CHECK(count_errors(fences.diagnostics) > 0);
  // A formula just under kMaxFormulaBytes made of scripts: one copy of its source, not one per piece.
  std::string formula;
  while (formula.size() + 16 < limits::kMaxFormulaBytes) formula += "x_\\theta ";
  const Lesson math = parse_lesson("# A\n\n$" + formula + "y$\n");
  CHECK(math.diagnostics.empty());
  size_t copies = 0;
  for (const Span& s : math.slides[0].blocks[1].text) copies += s.source.size() > 0;
  CHECK(copies == 1);
}
