// settings.cpp — the settings INI format and the XDG location of the settings folder.
// Not file I/O policy: gui.cpp reads the file and writes it atomically (gl::write_file_atomically).
#include "ui/settings.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace difflab::ui {
namespace {

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

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
      if (!to_int(value, 0, 100000, &n)) return fail("slide must be a number ≥ 0");
      s.slide = n;
    } else if (key == "lang") {
      if (value != "es" && value != "en") return fail("lang must be es or en");
      s.lang = value;
    } else if (key == "font_size") {
      if (!to_int(value, 8, 96, &n)) return fail("font_size must be 8 … 96");
      s.font_size = float(n);
    } else if (key == "window_width") {
      if (!to_int(value, 200, 16384, &n)) return fail("window_width must be 200 … 16384");
      s.window_width = n;
    } else if (key == "window_height") {
      if (!to_int(value, 150, 16384, &n)) return fail("window_height must be 150 … 16384");
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
  std::ostringstream out;
  out << "# Diffusion Lab settings (rewritten on exit)\n[difflab]\n"
      << "last_lesson = " << s.last_lesson << "\n"
      << "slide = " << s.slide << "\n"
      << "lang = " << s.lang << "\n"
      << "font_size = " << int(s.font_size + 0.5f) << "\n"
      << "window_width = " << s.window_width << "\n"
      << "window_height = " << s.window_height << "\n"
      << "presenter = " << (s.presenter ? 1 : 0) << "\n";
  return out.str();
}

}  // namespace difflab::ui
