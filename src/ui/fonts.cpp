// fonts.cpp — loading DejaVu Sans into ImGui's atlas with the course's glyph ranges, merging DejaVu Math TeX
// Gyre for what DejaVu Sans lacks. Not font rendering (ImGui/stb_truetype) and not HiDPI policy (gui.cpp
// scales).
#include "ui/fonts.h"

#include <imgui.h>

#include <cstdlib>
#include <filesystem>

namespace difflab::ui {

const unsigned short* glyph_ranges() {
  // ImWchar is 16-bit in Debian's ImGui 1.86: code points above U+FFFF (𝒩, 𝔼) cannot be loaded, which is why
  // lessons' math_text maps \mathcal and \mathbb to the letterlike symbols of the BMP.
  static const ImWchar ranges[] = {
      0x0020, 0x024F,  // Basic Latin, Latin-1 Supplement (á é í ó ú ñ ¿ ¡), Latin Extended-A and -B
      0x02B0, 0x036F,  // spacing modifiers, combining diacritics (x̂, ε̄, x̃)
      0x0370, 0x03FF,  // Greek and Coptic (α β γ … ε θ σ)
      0x1D00, 0x1DBF,  // phonetic extensions: modifier letters used as superscripts (ᵀ ᵢ)
      0x1F00, 0x1FFF,  // Greek Extended (ᾱ as one code point)
      0x2000, 0x206F,  // General Punctuation (— … ‖ ′)
      0x2070, 0x209F,  // superscripts and subscripts (⁰ ¹ ² ₀ ₁ ₜ)
      0x20D0, 0x20FF,  // combining marks for symbols (x⃗)
      0x2100, 0x214F,  // letterlike symbols (ℝ ℕ ℒ ℰ ℋ)
      0x2190, 0x21FF,  // arrows (← → ↔ ⇒)
      0x2200, 0x22FF,  // mathematical operators (∀ ∂ ∇ ∑ √ ∞ ∫ ≈ ≠ ≤ ∼)
      0x2300, 0x23FF,  // miscellaneous technical (⌈ ⌉ ⌊ ⌋)
      0x25A0, 0x25FF,  // geometric shapes (■ ▶ ●)
      0x27C0, 0x27EF,  // miscellaneous mathematical symbols-A (⟨ ⟩)
      0x2A00, 0x2AFF,  // supplemental mathematical operators (⨁)
      0xFFFD, 0xFFFD,  // the replacement character
      0,
  };
  return ranges;
}

std::string font_dir() {
  const char* env = std::getenv("DIFFLAB_FONT_DIR");
  if (env && *env) return env;
  return "/usr/share/fonts/truetype/dejavu";
}

namespace {

// Loads `file` at `pixels` and merges DejaVu Math TeX Gyre into it for the glyphs it lacks.
ImFont* load_with_math(const std::string& dir, const char* file, float pixels, std::string* warning) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string path = dir + "/" + file;
  if (!std::filesystem::exists(path)) {
    if (warning) *warning += "font not found: " + path + " (install fonts-dejavu-core); ";
    return nullptr;
  }
  ImFontConfig config;
  config.OversampleH = 2;  // 2 instead of ImGui's 3: a smaller atlas, cheap to rebuild on +/−
  config.OversampleV = 1;
  ImFont* font = io.Fonts->AddFontFromFileTTF(path.c_str(), pixels, &config, glyph_ranges());
  const std::string math = dir + "/DejaVuMathTeXGyre.ttf";
  if (font && std::filesystem::exists(math)) {
    ImFontConfig merge;
    merge.MergeMode = true;  // glyphs already in `file` are kept; only missing ones come from here
    merge.OversampleH = 2;
    merge.OversampleV = 1;
    io.Fonts->AddFontFromFileTTF(math.c_str(), pixels, &merge, glyph_ranges());
  }
  return font;
}

}  // namespace

FontSet build_fonts(float pixels, std::string* warning) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  FontSet set;
  set.size = pixels;
  const std::string dir = font_dir();
  set.regular = load_with_math(dir, "DejaVuSans.ttf", pixels, warning);
  set.bold = load_with_math(dir, "DejaVuSans-Bold.ttf", pixels, warning);
  set.heading = load_with_math(dir, "DejaVuSans-Bold.ttf", pixels * 1.5f, warning);
  set.mono = load_with_math(dir, "DejaVuSansMono.ttf", pixels * 0.95f, warning);
  set.display = load_with_math(dir, "DejaVuSans.ttf", pixels * 1.3f, warning);
  if (!set.regular) {
    ImFontConfig config;
    config.SizePixels = pixels;
    set.regular = io.Fonts->AddFontDefault(&config);
    if (warning) *warning += "using ImGui's built-in font: accents, Greek and math symbols will show as '?'";
  }
  if (!set.bold) set.bold = set.regular;
  if (!set.heading) set.heading = set.bold;
  if (!set.mono) set.mono = set.regular;
  if (!set.display) set.display = set.regular;
  io.FontDefault = set.regular;
  io.Fonts->Build();
  return set;
}

}  // namespace difflab::ui
