// settings.h — what the app remembers between runs (last lesson and slide, language, font size, window size),
// as an INI text and its location under $XDG_CONFIG_HOME/difflab. Not the writing itself: pure text ↔ struct.
#pragma once

#include <string>

namespace difflab::ui {

struct Settings {
  std::string last_lesson;  // path of the lesson file last shown
  int slide = 0;            // 0-based
  std::string lang = "es";  // the course language first
  float font_size = 20.0f;  // logical pixels, before HiDPI scaling
  int window_width = 1400, window_height = 900;
  bool presenter = false;
};

// $XDG_CONFIG_HOME/difflab, else $HOME/.config/difflab; "" when neither variable is set.
std::string settings_dir();
std::string settings_path();   // settings_dir()/settings.ini, or ""
std::string imgui_ini_path();  // settings_dir()/imgui.ini, or ""

// Parses INI text ("[difflab]" section, key = value). Unknown keys are ignored; a malformed line, a value
// out of range or a text over limits::kMaxSettingsFileBytes makes it return false with `error` naming the
// line (or the limit), and leaves *out untouched.
bool parse_settings(const std::string& text, Settings* out, std::string* error);
// The INI text; always parses back: values are clamped to the ranges parse_settings accepts, and a lesson
// path one line cannot hold (a line break, blanks at either end) is written empty.
std::string format_settings(const Settings& settings);

}  // namespace difflab::ui
