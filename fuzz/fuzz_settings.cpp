// fuzz_settings.cpp — libFuzzer target for the settings file (src/ui/settings.*): parse, and what parses
// writes back to the same settings. Not file I/O. Seeds: fuzz/seeds/settings.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_common.h"
#include "ui/settings.h"

using namespace difflab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::input_text(data, size);
  ui::Settings s;
  std::string error;
  if (!ui::parse_settings(text, &s, &error)) {
    fuzz::require(!error.empty(), "rejected without a message");
    return 0;
  }
  ui::Settings back;
  fuzz::require(ui::parse_settings(ui::format_settings(s), &back, &error), "written settings do not parse");
  fuzz::require(back.last_lesson == s.last_lesson && back.slide == s.slide && back.lang == s.lang &&
                    back.font_size == s.font_size && back.window_width == s.window_width &&
                    back.window_height == s.window_height && back.presenter == s.presenter,
                "settings round trip changed them");
  return 0;
}
