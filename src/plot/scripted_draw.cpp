// scripted_draw.cpp — scripted text and accented glyphs on ImGui draw lists, and as a text item.
// Not the layout (scripted_text.cpp computes where each run goes; this only measures and draws).
#include "plot/scripted_draw.h"

#include <algorithm>

namespace difflab::plot {
namespace {

char32_t next_code_point(std::string_view s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (*i + n > s.size()) n = 1;
  char32_t c = n == 1 ? b : (b & (0xFF >> (n + 1)));
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return c;
}

bool is_combining_mark(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x20D0 && c <= 0x20FF);
}

ImWchar to_wchar(char32_t c) {
  return c > 0xFFFF ? ImWchar(0xFFFD) : ImWchar(c);
}

float ascent_ratio(ImFont* font) {
  return font->FontSize > 0 ? font->Ascent / font->FontSize : 0.8f;
}

}  // namespace

float glyphs_width(ImFont* font, float size, std::string_view text) {
  const float scale = size / font->FontSize;
  float w = 0;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = next_code_point(text, &i);
    if (c == '\n' || is_combining_mark(c)) continue;
    w += font->FindGlyph(to_wchar(c))->AdvanceX * scale;
  }
  return w;
}

void draw_glyphs(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text) {
  const float scale = size / font->FontSize;
  // Nothing to draw outside the clip rectangle (a huge paragraph scrolled away costs no vertices).
  const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
  if (pos.y > clip_max.y || pos.y + size * 1.5f < clip_min.y) return;
  float base_left = pos.x, base_right = pos.x, base_top = pos.y;  // the last base glyph's ink box
  for (size_t i = 0; i < text.size();) {
    const char32_t c = next_code_point(text, &i);
    if (c == '\n') continue;
    const ImWchar w = to_wchar(c);
    const ImFontGlyph* glyph = font->FindGlyph(w);
    if (pos.x > clip_max.x) break;  // the rest is off to the right
    if (!is_combining_mark(c)) {
      font->RenderChar(dl, size, pos, color, w);
      base_left = pos.x + glyph->X0 * scale;
      base_right = pos.x + glyph->X1 * scale;
      base_top = pos.y + glyph->Y0 * scale;
      pos.x += glyph->AdvanceX * scale;
      continue;
    }
    const bool below = c == 0x0332 || c == 0x0331 || c == 0x0323;  // underline, macron below, dot below
    const float gap = size * 0.06f;
    const float centre = 0.5f * (base_left + base_right);
    ImVec2 at(centre - 0.5f * (glyph->X0 + glyph->X1) * scale, pos.y);
    if (!below) {
      const float mark_bottom = pos.y + glyph->Y1 * scale;
      const float lift = std::min(0.0f, (base_top - gap) - mark_bottom);  // only ever up
      at.y += lift;
      base_top = at.y + glyph->Y0 * scale;  // a second mark stacks above this one
    }
    font->RenderChar(dl, size, at, color, w);
  }
}

ScriptedLayout scripted_layout(ImFont* font, float size, std::string_view text, float wrap_width) {
  return lay_out_scripted(text, size, ascent_ratio(font), size, wrap_width,
                          [font](const std::string& t, float s) { return glyphs_width(font, s, t); });
}

ImVec2 scripted_text_size(ImFont* font, float size, std::string_view text, float wrap_width) {
  const ScriptedLayout layout = scripted_layout(font, size, text, wrap_width);
  return ImVec2(layout.width, layout.height);
}

void draw_scripted_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color,
                        std::string_view text, float wrap_width) {
  for (const PlacedRun& run : scripted_layout(font, size, text, wrap_width).runs)
    draw_glyphs(dl, font, run.size, ImVec2(pos.x + run.x, pos.y + run.y), color, run.text);
}

ImVec2 scripted_text_size(std::string_view text, float wrap_width) {
  return scripted_text_size(ImGui::GetFont(), ImGui::GetFontSize(), text, wrap_width);
}

void draw_scripted_text(ImDrawList* dl, ImVec2 pos, ImU32 color, std::string_view text, float wrap_width) {
  draw_scripted_text(dl, ImGui::GetFont(), ImGui::GetFontSize(), pos, color, text, wrap_width);
}

void scripted_text_item(std::string_view text, float wrap_width, ImU32 color) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float wrap = wrap_width < 0    ? 0.0f
                     : wrap_width == 0 ? std::max(ImGui::GetContentRegionAvail().x, 1.0f)
                                       : wrap_width;
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const ScriptedLayout layout = scripted_layout(font, size, text, wrap);
  const ImU32 c = color ? color : ImGui::GetColorU32(ImGuiCol_Text);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const PlacedRun& run : layout.runs)
    draw_glyphs(dl, font, run.size, ImVec2(pos.x + run.x, pos.y + run.y), c, run.text);
  ImGui::Dummy(ImVec2(layout.width, std::max(layout.height, size)));
}

}  // namespace difflab::plot
