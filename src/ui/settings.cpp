// settings.cpp — the settings INI format and the XDG location of the settings folder.
// Not file I/O policy: gui.cpp reads the file and writes it atomically (gl::write_file_atomically).
#include "ui/settings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/limits.h"

namespace difflab::ui {
namespace {

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The accepted ranges, shared by the parser (which rejects values outside) and the writer (which clamps to
// them, so that what it writes always reads back).
constexpr int kMaxSlide = 100000, kMinFont = 8, kMaxFont = 96, kMinWidth = 200, kMinHeight = 150,
              kMaxSide = 16384;

bool to_int(const std::string& v, int lo, int hi, int* out) {
  char* end = nullptr;
  const long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || x < lo || x > hi) return false;
  *out = int(x);
  return true;
}

}  // namespace

std::string settings_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/difflab";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/difflab";
  return "";
}

std::string settings_path() {
  const std::string dir = settings_dir();
  return dir.empty() ? "" : dir + "/settings.ini";
}

std::string imgui_ini_path() {
  const std::string dir = settings_dir();
  return dir.empty() ? "" : dir + "/imgui.ini";
}

bool parse_settings(const std::string& text, Settings* out, std::string* error) {
  Settings s;
  if (text.size() > limits::kMaxSettingsFileBytes) {
    if (error)
      *error =
          "the settings file is larger than " + std::to_string(limits::kMaxSettingsFileBytes >> 10) + " KiB";
    return false;
  }
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    if (error) *error = "line " + std::to_string(number) + ": " + why;
    return false;
  };
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line != "[difflab]") return fail("unknown section " + line);
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos) return fail("expected key = value, got '" + line + "'");
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    int n = 0;
    if (key == "last_lesson") {
      s.last_lesson = value;
    } else if (key == "slide") {
      if (!to_int(value, 0, kMaxSlide, &n))
        return fail("slide must be a number 0 … " + std::to_string(kMaxSlide));
      s.slide = n;
    } else if (key == "lang") {
      if (value != "es" && value != "en") return fail("lang must be es or en");
      s.lang = value;
    } else if (key == "font_size") {
      if (!to_int(value, kMinFont, kMaxFont, &n)) return fail("font_size must be 8 … 96");
      s.font_size = float(n);
    } else if (key == "window_width") {
      if (!to_int(value, kMinWidth, kMaxSide, &n)) return fail("window_width must be 200 … 16384");
      s.window_width = n;
    } else if (key == "window_height") {
      if (!to_int(value, kMinHeight, kMaxSide, &n)) return fail("window_height must be 150 … 16384");
      s.window_height = n;
    } else if (key == "presenter") {
      if (value != "0" && value != "1") return fail("presenter must be 0 or 1");
      s.presenter = value == "1";
    }  // unknown keys: written by a newer version; ignored
  }
  *out = s;
  return true;
}

std::string format_settings(const Settings& s) {
  // One line per key: a lesson path that a line cannot hold as written (a line break, which would inject
  // keys, or blanks at either end, which the parser trims) is forgotten rather than written wrong.
  const bool path_fits =
      s.last_lesson.find('\n') == std::string::npos && s.last_lesson == trim(s.last_lesson);
  // Values the window can reach but the parser rejects (a window dragged below 200 px, a NaN font size) are
  // clamped: a settings file that does not read back would lose every setting on the next start.
  const float font =
      std::isfinite(s.font_size) ? std::clamp(s.font_size, float(kMinFont), float(kMaxFont)) : 20.0f;
  std::ostringstream out;
  out << "# Diffusion Lab settings (rewritten on exit)\n[difflab]\n"
      << "last_lesson = " << (path_fits ? s.last_lesson : "") << "\n"
      << "slide = " << std::clamp(s.slide, 0, kMaxSlide) << "\n"
      << "lang = " << (s.lang == "en" ? "en" : "es") << "\n"
      << "font_size = " << std::clamp(int(font + 0.5f), kMinFont, kMaxFont) << "\n"
      << "window_width = " << std::clamp(s.window_width, kMinWidth, kMaxSide) << "\n"
      << "window_height = " << std::clamp(s.window_height, kMinHeight, kMaxSide) << "\n"
      << "presenter = " << (s.presenter ? 1 : 0) << "\n";
  return out.str();
}

}  // namespace difflab::ui
