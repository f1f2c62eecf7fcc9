// test_ui_core.cpp — the GUI's pure parts: command-line flags and the settings file format.
// Not the window: tests/ui/CMakeLists.txt runs difflab-gui under Xvfb for that.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ui/gui_options.h"
#include "ui/settings.h"
#include "ui/text_fold.h"

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
  CHECK_FALSE(o.play);
  CHECK(parse({"--play", "--screenshot", "out.png"}).play);
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

TEST_CASE("`slides DECK.md --check` lists the deck's warnings too; without it only errors show") {
  CHECK_FALSE(parse({"slides", "talk.md"}).check);
  const GuiOptions o = parse({"slides", "talk.md", "--check"});
  CHECK(o.error.empty());
  CHECK(o.check);
  CHECK(gui_usage().find("--check") != std::string::npos);
}
