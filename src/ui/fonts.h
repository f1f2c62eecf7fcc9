// fonts.h — the font atlas: DejaVu Sans (regular, bold, a heading size) and DejaVu Sans Mono, with glyph
// ranges for Spanish, Greek, sub/superscripts, arrows and mathematics. Not text layout: ImGui draws the
// glyphs.
#pragma once

#include <string>

#include "ui/text_fold.h"  // fold_to_bmp: what the atlas cannot hold

struct ImFont;

namespace difflab::ui {

struct FontSet {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* heading = nullptr;  // bold, 1.5× (slide titles)
  ImFont* mono = nullptr;
  ImFont* display = nullptr;  // regular, 1.3× ($$ display math)
  float size = 0;             // the regular size in pixels (after HiDPI scaling)
  float scale = 1.0f;         // slide text drawn at this scale of the fonts' sizes (fitted to its column)
};

// The folder with the DejaVu files: $DIFFLAB_FONT_DIR, else /usr/share/fonts/truetype/dejavu.
std::string font_dir();

// Clears io.Fonts and loads the set at `pixels` (already scaled for HiDPI). Missing files fall back to
// ImGui's built-in font with a message in `warning` (never fails). The caller re-creates the GL texture.
FontSet build_fonts(float pixels, std::string* warning);

// The glyph ranges used (exposed for the help screen and a test): pairs of first, last; 0-terminated.
const unsigned short* glyph_ranges();

}  // namespace difflab::ui
