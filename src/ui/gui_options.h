// gui_options.h — the GUI's command line (--lesson, --slide, --frames, --screenshot, --lang, --font-size,
// --presenter, `slides DECK.md`) parsed into a struct. Not the window: pure, unit-tested in tests/ui.
#pragma once

#include <string>
#include <vector>

namespace difflab::ui {

struct GuiOptions {
  std::string lesson;        // --lesson FILE, or the DECK of `slides DECK.md`
  bool slides_mode = false;  // opened as `difflab slides DECK.md`
  int slide = -1;            // --slide N (1-based on the command line, stored 0-based); -1 = from settings
  int frames = 4;            // --frames K: frames rendered before a --screenshot is taken
  double wait_seconds = 0;   // --wait S: and at least S seconds of wall-clock (a panel's worker at work)
  std::string screenshot;    // --screenshot OUT.png: render, save, exit
  std::string panel_screenshot;  // --panel-screenshot OUT.png: also save the live panel alone
  std::string
      screenshot_all;       // --screenshot-all DIR: every slide, K frames each, as DIR/STEM-NN.png, then exit
  std::string lang;         // --lang es|en; "" = from settings
  float font_size = 0;      // --font-size N; 0 = from settings
  bool presenter = false;   // --presenter
  bool fullscreen = false;  // --fullscreen
  bool show_help = false;   // --show-help: open with the key overlay (for screenshots of it)
  bool notes = false;       // --notes: open with the presenter view (speaker notes, next slide, timer)
  bool play = false;        // --play: press Play (Space) on the first frame (screenshots of live panels)
  bool check = false;  // --check: the diagnostics bar lists warnings too (else only when there are errors)
  int width = 0, height = 0;  // --size WxH
  bool help = false;
  std::string error;  // non-empty: the command line is wrong (message for stderr)
};

// argv is the program's whole argv: argv[0] is the program, argv[1] may be "slides".
GuiOptions parse_gui_options(int argc, const char* const* argv);

// The usage text printed by --help.
std::string gui_usage();

}  // namespace difflab::ui
