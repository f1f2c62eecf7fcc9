// text_fold.h — folding text to what a 16-bit font atlas can draw: math alphanumerics to letters and
// letterlike symbols. Not font loading (fonts.h): pure string work, unit-tested in tests/ui.
#pragma once

#include <string>

namespace difflab::ui {

// ImGui 1.86 here stores 16-bit code points, so characters above U+FFFF would draw as "�". This maps the
// Mathematical Alphanumeric Symbols (U+1D400–1D7FF: 𝔼, 𝒩, 𝐱, 𝟙) to their Letterlike twins where Unicode has
// one (ℝ, ℒ, ℋ) and to the plain letter or digit otherwise (𝔼 → E, 𝒩 → N); other non-BMP characters become
// U+FFFD.
std::string fold_to_bmp(const std::string& utf8);

}  // namespace difflab::ui
