// gui_options.cpp — parsing the GUI's flags, with a message for every wrong one.
// Not the CLI commands' parser (src/app/args.h): the GUI takes a few flags and no subcommands.
#include "ui/gui_options.h"

#include <cstdlib>
#include <string>

namespace difflab::ui {
namespace {

bool parse_int(const std::string& text, int* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || v < -1000000 || v > 1000000) return false;
  *out = int(v);
  return true;
}

}  // namespace

GuiOptions parse_gui_options(int argc, const char* const* argv) {
  GuiOptions o;
  int i = 1;
  if (argc > 1 && std::string(argv[1]) == "slides") {
    o.slides_mode = true;
    i = 2;
    if (i < argc && argv[i][0] != '-') o.lesson = argv[i++];
    if (o.lesson.empty()) o.error = "slides: give a Markdown deck, e.g. `difflab slides talk.md`";
  }
  auto value = [&](const std::string& flag) -> std::string {
    if (i + 1 >= argc) {
      o.error = flag + " needs a value";
      return "";
    }
    return argv[++i];
  };
  for (; i < argc && o.error.empty(); ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--lesson") {
      o.lesson = value(a);
    } else if (a == "--slide") {
      const std::string v = value(a);
      int n = 0;
      if (o.error.empty() && (!parse_int(v, &n) || n < 1))
        o.error = "--slide takes a slide number from 1, got '" + v + "'";
      else
        o.slide = n - 1;
    } else if (a == "--frames") {
      const std::string v = value(a);
      int n = 0;
      if (o.error.empty() && (!parse_int(v, &n) || n < 1 || n > 100000))
        o.error = "--frames takes a number of frames ≥ 1, got '" + v + "'";
      else
        o.frames = n;
    } else if (a == "--wait") {
      const std::string v = value(a);
      int n = 0;
      if (o.error.empty() && (!parse_int(v, &n) || n < 0 || n > 3600))
        o.error = "--wait takes seconds from 0 to 3600, got '" + v + "'";
      else
        o.wait_seconds = n;
    } else if (a == "--screenshot") {
      o.screenshot = value(a);
    } else if (a == "--panel-screenshot") {
      o.panel_screenshot = value(a);
    } else if (a == "--screenshot-all") {
      o.screenshot_all = value(a);
    } else if (a == "--lang") {
      o.lang = value(a);
      if (o.error.empty() && o.lang != "es" && o.lang != "en")
        o.error = "--lang takes es or en, got '" + o.lang + "'";
    } else if (a == "--font-size") {
      const std::string v = value(a);
      int n = 0;
      if (o.error.empty() && (!parse_int(v, &n) || n < 8 || n > 96))
        o.error = "--font-size takes a size in pixels from 8 to 96, got '" + v + "'";
      else
        o.font_size = float(n);
    } else if (a == "--presenter") {
      o.presenter = true;
    } else if (a == "--show-help") {
      o.show_help = true;
    } else if (a == "--notes") {
      o.notes = true;
    } else if (a == "--fullscreen") {
      o.fullscreen = true;
    } else if (a == "--play") {
      o.play = true;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--size") {
      const std::string v = value(a);
      const size_t x = v.find('x');
      if (o.error.empty() && (x == std::string::npos || !parse_int(v.substr(0, x), &o.width) ||
                              !parse_int(v.substr(x + 1), &o.height) || o.width < 200 || o.height < 150))
        o.error = "--size takes WIDTHxHEIGHT (at least 200x150), got '" + v + "'";
    } else {
      o.error = "unknown option '" + a + "' (see --help)";
    }
  }
  return o;
}

std::string gui_usage() {
  return "usage: difflab [--lesson FILE] [--slide N] [--lang es|en] [--font-size N] [--presenter]\n"
         "               [--fullscreen] [--size WxH] [--show-help] [--notes] [--play] [--check]\n"
         "               [--screenshot OUT.png [--frames K] [--wait S]]\n"
         "               [--panel-screenshot P.png]\n"
         "       difflab slides DECK.md [the same options]\n"
         "\n"
         "  --screenshot OUT.png  render K frames (--frames, default 4), save the window as a PNG, exit\n"
         "  --wait S              with --screenshot: also wait until S seconds have passed (workers finish)\n"
         "  --panel-screenshot P  with --screenshot: also save the slide's live panel alone\n"
         "  --screenshot-all DIR  render every slide (K frames each) to DIR/STEM-NN.png, exit 0 if all were "
         "saved\n"
         "  --play                press Play (Space) on the first frame unless the panel already runs on its "
         "own\n"
         "  --notes               open with the presenter view: speaker notes, next slide, timer (key N)\n"
         "  --check               show the deck's warnings too (errors are always shown)\n"
         "Keys: F fullscreen, ←/→ slide (past the end: next lesson), Space play/pause, S step, R reset "
         "slide,\n"
         "      +/− font size, L language (the panel keeps its state), N speaker notes, P screenshot, ? "
         "help,\n"
         "      Esc close the keys window / notes / fullscreen.\n";
}

}  // namespace difflab::ui
