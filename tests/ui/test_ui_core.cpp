// test_ui_core.cpp — the GUI's pure parts: command-line flags, the settings file format, which live panel a
// slide keeps across a language switch, lesson neighbours, the presenter view's texts.
// Not the window: tests/ui/CMakeLists.txt runs difflab-gui under Xvfb for that.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/lesson_index.h"
#include "ui/gui_options.h"
#include "ui/settings.h"
#include "ui/shell_logic.h"
#include "ui/slide_fit.h"
#include "ui/text_fold.h"

using namespace difflab;
using namespace difflab::ui;

namespace {
GuiOptions parse(std::vector<const char*> args) {
  args.insert(args.begin(), "difflab");
  return parse_gui_options(int(args.size()), args.data());
}
}  // namespace

TEST_CASE("the screenshot flags are read, and --slide is 1-based on the command line") {
  const GuiOptions o =
      parse({"--lesson", "l.md", "--slide", "3", "--frames", "7", "--screenshot", "out.png"});
  CHECK(o.error.empty());
  CHECK(o.lesson == "l.md");
  CHECK(o.slide == 2);
  CHECK(o.frames == 7);
  CHECK(o.screenshot == "out.png");
  CHECK(o.wait_seconds == 0);
  CHECK(parse({"--screenshot", "out.png", "--wait", "90"}).wait_seconds == 90);
  CHECK_FALSE(o.play);
  CHECK(parse({"--play", "--screenshot", "out.png"}).play);
  CHECK_FALSE(o.notes);
  CHECK(parse({"--notes"}).notes);
}

TEST_CASE("`slides DECK.md` opens the deck with the same options") {
  const GuiOptions o = parse({"slides", "talk.md", "--lang", "en", "--presenter", "--font-size", "28"});
  CHECK(o.error.empty());
  CHECK(o.slides_mode);
  CHECK(o.lesson == "talk.md");
  CHECK(o.lang == "en");
  CHECK(o.presenter);
  CHECK(o.font_size == 28);
}

TEST_CASE("bad flags give a message naming the flag") {
  CHECK(parse({"--lang", "fr"}).error.find("--lang") != std::string::npos);
  CHECK(parse({"--slide", "0"}).error.find("--slide") != std::string::npos);
  CHECK(parse({"--wait", "-1"}).error.find("--wait") != std::string::npos);
  CHECK(parse({"--slide"}).error.find("needs a value") != std::string::npos);
  CHECK(parse({"--bogus"}).error.find("unknown option") != std::string::npos);
  CHECK(!parse({"slides"}).error.empty());
  CHECK(parse({"--size", "1600x1000"}).width == 1600);
}

TEST_CASE("settings survive a format → parse round trip") {
  Settings s;
  s.last_lesson = "/x/lessons/02-forward-process.en.md";
  s.slide = 4;
  s.lang = "en";
  s.font_size = 26;
  s.window_width = 1600;
  s.window_height = 1000;
  s.presenter = true;
  Settings back;
  std::string error;
  REQUIRE(parse_settings(format_settings(s), &back, &error));
  CHECK(back.last_lesson == s.last_lesson);
  CHECK(back.slide == 4);
  CHECK(back.lang == "en");
  CHECK(back.font_size == 26);
  CHECK(back.window_width == 1600);
  CHECK(back.presenter);
}

TEST_CASE("a corrupt settings file is rejected with the line number, leaving the defaults") {
  Settings s;
  s.slide = 9;
  std::string error;
  CHECK_FALSE(parse_settings("[difflab]\nslide = 3\nfont_size = huge\n", &s, &error));
  CHECK(error.find("line 3") != std::string::npos);
  CHECK(s.slide == 9);  // untouched
  CHECK_FALSE(parse_settings("\x01\x02 garbage", &s, &error));
}

TEST_CASE("settings live under $XDG_CONFIG_HOME/difflab, never in the working directory") {
  setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  CHECK(settings_path() == "/tmp/xdg-test/difflab/settings.ini");
  setenv("XDG_CONFIG_HOME", "relative/path", 1);  // not absolute: ignored, as the XDG spec says
  setenv("HOME", "/home/someone", 1);
  CHECK(settings_path() == "/home/someone/.config/difflab/settings.ini");
}

TEST_CASE("math alphanumerics outside the BMP fold to letterlike symbols or plain letters") {
  CHECK(fold_to_bmp("𝔼[x]") == "E[x]");        // U+1D53C double-struck E has no BMP twin
  CHECK(fold_to_bmp("x ∈ 𝕽") == "x ∈ R");      // bold fraktur R: plain letter
  CHECK(fold_to_bmp("𝒩(0, I)") == "N(0, I)");  // U+1D4A9 script N
  CHECK(fold_to_bmp("𝒩 𝒫") == "N P");
  CHECK(fold_to_bmp("𝐱 ∈ ℝ") == "x ∈ ℝ");  // bold x (U+1D431) → x; ℝ is already in the BMP
  CHECK(fold_to_bmp("𝟙") == "1");          // double-struck digit one
  CHECK(fold_to_bmp("αβ ñ") == "αβ ñ");    // BMP text is untouched
}

TEST_CASE("a lesson's name without its language is the same for both twins") {
  CHECK(lesson_stem_without_language("/a/lessons/00-welcome.es.md") == "00-welcome");
  CHECK(lesson_stem_without_language("lessons/00-welcome.en.md") == "00-welcome");
  CHECK(lesson_stem_without_language("../talk.md") == "talk");
}

// Switching language (L) keeps the live panel when the key of the slide in the twin lesson is the same: it
// must be for every slide of every shipped lesson, and must differ between two slides with panels.
TEST_CASE("L keeps the live panel: every slide of every twin lesson has the same panel key in es and en") {
  const std::vector<LessonEntry> index = list_lessons(DIFFLAB_SOURCE_DIR "/lessons");
  REQUIRE(index.size() >= 11);
  int panels = 0;
  for (const LessonEntry& e : index) {
    const std::string es = e.path("es"), en = e.path("en");
    REQUIRE(es != en);
    const Lesson a = load_lesson(es), b = load_lesson(en);
    INFO(es);
    REQUIRE(a.slides.size() == b.slides.size());
    std::vector<PanelKey> seen;
    for (int i = 0; i < int(a.slides.size()); ++i) {
      const PanelKey ka = panel_key(a, i), kb = panel_key(b, i);
      INFO("slide " << i + 1);
      CHECK(ka == kb);
      CHECK(ka.lesson == lesson_stem_without_language(es));
      CHECK(ka.slide == i);
      if (ka.panel.empty()) continue;
      ++panels;
      for (const PanelKey& other : seen) CHECK_FALSE(other == ka);  // another slide: another panel
      seen.push_back(ka);
    }
  }
  CHECK(panels >= 20);
  // A panel of one lesson is never kept for another lesson's slide of the same number.
  const Lesson w = load_lesson(index[0].path("es")), g = load_lesson(index[1].path("es"));
  CHECK_FALSE(panel_key(w, 3) == panel_key(g, 3));
  CHECK(sandbox_panel_key("gallery") == sandbox_panel_key("gallery"));
  CHECK_FALSE(sandbox_panel_key("gallery") == panel_key(w, 4));
}

TEST_CASE("→ past the last slide finds the next lesson by number and slug, whatever the path") {
  const std::vector<LessonEntry> index = list_lessons(DIFFLAB_SOURCE_DIR "/lessons");
  REQUIRE(index.size() >= 2);
  CHECK(lesson_position(index, index[0].path("en")) == 0);
  CHECK(lesson_position(index, "elsewhere/01-generative-models.es.md") == 1);
  CHECK(lesson_position(index, "talk.md") == -1);
  CHECK(lesson_position(index, "99-nothing.es.md") == -1);
}

TEST_CASE("presenter view: the timer's format, the next slide's preview, the notes") {
  CHECK(format_elapsed(0) == "0:00");
  CHECK(format_elapsed(59.9) == "0:59");
  CHECK(format_elapsed(61) == "1:01");
  CHECK(format_elapsed(3600 + 62) == "1:01:02");
  CHECK(format_elapsed(-5) == "0:00");
  const Lesson lesson = parse_lesson(
      "# Title\n\nFirst paragraph with áé.\n\n- one\n- two\n\n<!-- Say this slowly. -->\n\n<!--   -->\n",
      "x.md");
  REQUIRE(lesson.slides.size() == 1);
  const Slide& s = lesson.slides[0];
  CHECK(slide_preview(s, 200) == "First paragraph with áé. one · two");
  const std::string cut = slide_preview(s, 22);  // inside "áé": never half a character
  CHECK(cut == "First paragraph with…");
  const std::vector<std::string> notes = speaker_notes(s);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "Say this slowly.");
  CHECK(fill("{} of {}", {"3", "7"}) == "3 of 7");
  CHECK(fill("no values", {"x"}) == "no values");
  CHECK(fill("{} and {}", {"only"}) == "only and {}");
}

TEST_CASE("what format_settings writes always parses back: no key injection, no out-of-range values") {
  Settings s;
  s.last_lesson = "/x/evil\nslide = 77\n[other]";  // a file name may hold a line break
  s.slide = -5;
  s.font_size = std::nanf("");
  s.window_width = 120;  // a window dragged below the parser's minimum
  s.window_height = 100000;
  Settings back;
  back.slide = 1234;
  std::string error;
  REQUIRE_MESSAGE(parse_settings(format_settings(s), &back, &error), error);
  CHECK(back.last_lesson.empty());  // forgotten, not split into keys
  CHECK(back.slide == 0);           // not the injected 77
  CHECK(back.font_size == 20.0f);
  CHECK(back.window_width == 200);
  CHECK(back.window_height == 16384);
  s = Settings{};
  s.last_lesson = " padded.md ";  // the parser trims: written as is, it would read back as another path
  REQUIRE(parse_settings(format_settings(s), &back, &error));
  CHECK(back.last_lesson.empty());
  s.last_lesson = "odd\rname.md";  // a carriage return inside a line is kept (only line ends are trimmed)
  REQUIRE(parse_settings(format_settings(s), &back, &error));
  CHECK(back.last_lesson == "odd\rname.md");
}

TEST_CASE("a settings text over the size limit is rejected with a message naming the limit") {
  const std::string huge = "[difflab]\n" + std::string(64 * 1024, '#') + "\nslide = 3\n";
  Settings s;
  s.slide = 9;
  std::string error;
  CHECK_FALSE(parse_settings(huge, &s, &error));
  CHECK(error == "the settings file is larger than 64 KiB");
  CHECK(s.slide == 9);
}

TEST_CASE("`slides DECK.md --check` lists the deck's warnings too, without it only errors show") {
  CHECK_FALSE(parse({"slides", "talk.md"}).check);
  const GuiOptions o = parse({"slides", "talk.md", "--check"});
  CHECK(o.error.empty());
  CHECK(o.check);
  CHECK(gui_usage().find("--check") != std::string::npos);
}

// Walkthrough of issue 10, item 2: at 1280×720 the text column overflowed (scroll bar, last lines cut).
TEST_CASE("the text column's scale shrinks, frame by frame, until the text fits, and never below the floor") {
  // A paragraph's height goes as the square of its size (lines shorter and fewer): 1000 px at scale 1.
  const auto height = [](float scale) { return 1000.0f * scale * scale; };
  const float column = 560.0f;  // the ideal scale is sqrt(0.56) ≈ 0.748
  float scale = 1.0f;
  int frames = 0;
  while (height(scale) > column && frames < 50) {
    scale = next_text_scale(scale, height(scale), column);
    ++frames;
  }
  CHECK(height(scale) <= column);
  CHECK(scale >= 0.9f * std::sqrt(0.56f));  // not shrunk much beyond what fitting needs
  CHECK(frames <= 3);
  // Text that fits keeps its size; text that cannot fit stops at the floor.
  CHECK(next_text_scale(1.0f, 500.0f, 560.0f) == 1.0f);
  float s = 1.0f;
  for (int i = 0; i < 50; ++i) s = next_text_scale(s, 1e5f * s * s, 560.0f);
  CHECK(s == doctest::Approx(kMinTextScale));
  // A few pixels over still takes a step (at least 3 %): the search always ends.
  CHECK(next_text_scale(1.0f, 561.0f, 560.0f) == doctest::Approx(0.97f));
}

// Walkthrough item 3: display formulas wrapped mid-expression; one is scaled to the column instead.
TEST_CASE("a display formula wider than the column is scaled to the column's width, never wrapped") {
  CHECK(display_math_scale(300.0f, 455.0f) == 1.0f);
  CHECK(display_math_scale(910.0f, 455.0f) == doctest::Approx(0.5f));
  CHECK(910.0f * display_math_scale(910.0f, 455.0f) <= 455.0f + 1e-3f);
  CHECK(display_math_scale(1e5f, 455.0f) == doctest::Approx(0.25f));  // the floor
}

// Walkthrough 09 s8 / 10 s3: header cells ran together ("SamplerEquationFresh noise").
TEST_CASE("table columns get their longest cell's width plus padding, shrunk together to the column") {
  float font_scale = 0;
  // Fits: each column exactly its text plus padding; the font keeps its size.
  std::vector<float> w = table_column_widths({100, 200, 50}, 500, 20, &font_scale);
  CHECK(font_scale == 1.0f);
  CHECK(w[0] == doctest::Approx(120));
  CHECK(w[1] == doctest::Approx(220));
  CHECK(w[2] == doctest::Approx(70));
  // Too wide (350 + 60 > 380): the text shrinks to (380 − 60) / 350 ≈ 0.914 and the columns sum to 380,
  // each still wider than its scaled text by the padding (no two cells touch).
  w = table_column_widths({100, 200, 50}, 380, 20, &font_scale);
  CHECK(font_scale == doctest::Approx(320.0f / 350.0f));
  CHECK(w[0] + w[1] + w[2] == doctest::Approx(380));
  CHECK(w[1] - 200 * font_scale == doctest::Approx(20));
  // Far too wide: the font stops at 0.7 and the widths are shared in proportion within the column.
  w = table_column_widths({1000, 1000}, 400, 20, &font_scale);
  CHECK(font_scale == doctest::Approx(0.7f));
  CHECK(w[0] + w[1] == doctest::Approx(400));
}

// Walkthrough item 7: body text was the same pixel size at 1920×1080 as at 1280×720.
TEST_CASE("the font grows with the window's height from 720 lines, never shrinks, at most doubles") {
  CHECK(font_pixels_for_window(30.0f, 720.0f) == doctest::Approx(30.0f));
  CHECK(font_pixels_for_window(30.0f, 1080.0f) == doctest::Approx(45.0f));  // 1080 / 720 = 1.5
  CHECK(font_pixels_for_window(30.0f, 600.0f) == doctest::Approx(30.0f));
  CHECK(font_pixels_for_window(30.0f, 2160.0f) == doctest::Approx(60.0f));
  CHECK(font_pixels_for_window(30.0f, 0.0f) == doctest::Approx(30.0f));
}

TEST_CASE("a display formula breaks only between its equations, after a top-level comma") {
  const std::string cosine = "f(u) = cos²((u + 0.008)/1.008 · π/2), ᾱₜ = f(t/T)/f(0)";
  const std::vector<size_t> b = equation_breaks(cosine);
  REQUIRE(b.size() == 1);
  CHECK(cosine.substr(b[0]) == "ᾱₜ = f(t/T)/f(0)");
  // One equation: commas inside brackets or in a list on one side are no place to break.
  CHECK(equation_breaks("ε_θ(xₜ, t) = ‖ε − ε_θ(xₜ, t)‖²").empty());
  CHECK(equation_breaks("q(xₜ | x₀) = 𝒩(xₜ; √ᾱₜ x₀, (1 − ᾱₜ) I)").empty());
  CHECK(equation_breaks("a, b, c").empty());
  const std::string three = "a = 1, b = 2, c = 3";
  REQUIRE(equation_breaks(three).size() == 2);
  CHECK(three.substr(equation_breaks(three)[1]) == "c = 3");
}

// Walkthrough item 5: small multiples ~70 px tall at 1280×720 in presenter mode.
TEST_CASE(
    "the presenter panel's text is 0.8 of the slide's at 720 lines and full at 1080, before the growth") {
  CHECK(panel_font_scale(720.0f, 1.0f) == doctest::Approx(0.8f));
  CHECK(panel_font_scale(900.0f, 1.0f) == doctest::Approx(0.9f));
  // At 1080 lines the slide's fonts are 1.5× (font_pixels_for_window): the panel stays at the 720 size.
  CHECK(panel_font_scale(1080.0f, 1.5f) * 1.5f == doctest::Approx(1.0f));
}

// 10 s3: "ResolutionChannels" — one long cell ("middle: ResBlock, attention, ResBlock") took the others'
// room.
TEST_CASE("a squeezed table keeps every column at least as wide as its longest word plus padding") {
  float font_scale = 0;
  // Natural widths 400, 100, 100; longest words 120, 100, 100 ("Resolution", "Channels"); 400 px, pad 10.
  const std::vector<float> w =
      table_column_widths({400, 100, 100}, 400, 10, &font_scale, 0.7f, {120, 100, 100});
  CHECK(font_scale == doctest::Approx(0.7f));
  CHECK(w[0] + w[1] + w[2] == doctest::Approx(400));
  CHECK(w[1] == doctest::Approx(100 * 0.7f + 10));  // its one word fits, with the padding
  CHECK(w[2] == doctest::Approx(100 * 0.7f + 10));
  CHECK(w[0] >= 120 * 0.7f + 10);
  // Without the words the share is in proportion and the short columns fall below their word.
  const std::vector<float> p = table_column_widths({400, 100, 100}, 400, 10, &font_scale);
  CHECK(p[1] < 100 * 0.7f + 10);
}

TEST_CASE("a code block wider than its column is drawn smaller, never wrapped, down to half size") {
  // Lesson 10: "difflab train --dataset fashion-mnist --arch classroom" (about 715 px in the mono font at
  // 1280 × 720) in a 470 px column ran off the slide.
  CHECK(code_block_scale(400.0f, 470.0f) == 1.0f);
  const float s = code_block_scale(715.0f, 470.0f);
  CHECK(s < 1.0f);
  CHECK(715.0f * s <= 470.0f + 1e-3f);
  CHECK(code_block_scale(2000.0f, 470.0f) == doctest::Approx(0.5f));  // past this it is clipped
  CHECK(code_block_scale(100.0f, 0.0f) == 1.0f);
}

TEST_CASE("an inline formula breaks only at spaces outside brackets, unless it has none") {
  // Lesson 05's Algorithm 2 at 1280 × 720 read "… ε_θ(xₜ,⏎t))/√αₜ + σₜ z": cut inside ε_θ's arguments.
  const std::string step = "xₜ₋₁ = (xₜ − (βₜ/√(1−ᾱₜ)) ε_θ(xₜ, t))/√αₜ + σₜ z";
  const std::vector<size_t> breaks = inline_math_breaks(step);
  const size_t inside = step.find(", t)") + 1;  // the space after "xₜ,"
  CHECK(std::find(breaks.begin(), breaks.end(), inside) == breaks.end());
  CHECK(std::find(breaks.begin(), breaks.end(), step.find(" = ")) != breaks.end());
  CHECK(std::find(breaks.begin(), breaks.end(), step.rfind(" + ")) != breaks.end());
  for (size_t b : breaks) CHECK(step[b] == ' ');
  // A formula whose only spaces are inside brackets may still break there.
  CHECK(inline_math_breaks("f(a, b, c)").size() == 2);
  CHECK(inline_math_breaks("abc").empty());
}

TEST_CASE("punctuation right after an inline formula is drawn with it") {
  // Lesson 05 (es) at 1280 × 720: "si no, z = 0" then a lone "." on the next line.
  CHECK(leading_punctuation(".") == 1);
  CHECK(leading_punctuation(", y la red") == 1);
  CHECK(leading_punctuation("). Más") == 2);
  CHECK(leading_punctuation(" y") == 0);  // a space: a normal break point
  CHECK(leading_punctuation("") == 0);
}
