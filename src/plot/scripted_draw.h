// scripted_draw.h — drawing UI text with sub/superscripts (scripted_text.h) and combining accents on ImGui:
// on a draw list, measured, and as a text item (wrapped captions). Not the splitting rules (scripted_text.h).
//
//   draw_scripted_text(dl, ImGui::GetFont(), ImGui::GetFontSize(), pos, color, "x_T → x₀");
//   scripted_text_item(tr("ddim.caption"), 0);   // like TextWrapped, scripts lowered/raised
#pragma once

#include <string>
#include <string_view>

#include <imgui.h>

#include "plot/scripted_text.h"

namespace difflab::plot {

// ---- glyphs with combining accents ------------------------------------------------------------------
// ImGui advances glyph by glyph and a combining mark (U+0300–036F, U+20D0–20FF) has no advance: DejaVu
// places it for a lower-case letter, so over β or a capital it collides with the letter and vanishes.
// These draw each mark centred over the glyph before it and just above that glyph's top.
float glyphs_width(ImFont* font, float size, std::string_view text);
void draw_glyphs(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text);

// ---- scripted text ------------------------------------------------------------------------------------
// The layout of `text` in `font` at `size` pixels, lines size·1.0 apart (ImGui's text line height),
// wrapped at `wrap_width` (≤ 0: only at '\n').
ScriptedLayout scripted_layout(ImFont* font, float size, std::string_view text, float wrap_width = 0);
// Width and height of the text as laid out (height = lines × size).
ImVec2 scripted_text_size(ImFont* font, float size, std::string_view text, float wrap_width = 0);
// Draws at `pos` (the top-left corner of the first line).
void draw_scripted_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color,
                        std::string_view text, float wrap_width = 0);
// The same in the current font and size (ImGui::GetFont(), ImGui::GetFontSize()).
ImVec2 scripted_text_size(std::string_view text, float wrap_width = 0);
void draw_scripted_text(ImDrawList* dl, ImVec2 pos, ImU32 color, std::string_view text, float wrap_width = 0);

// An ImGui text item at the cursor, in the current font and text colour (ImGuiCol_Text, or `color` when
// non-zero): wrap_width < 0 does not wrap, 0 wraps at the right edge of the content region, > 0 at that
// many pixels. Advances the cursor like ImGui::TextUnformatted / TextWrapped.
void scripted_text_item(std::string_view text, float wrap_width = -1, ImU32 color = 0);

}  // namespace difflab::plot
