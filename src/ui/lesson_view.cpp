// lesson_view.cpp — a flow layout for inline spans and one drawing function per block kind.
// Not rich text in general: one font per span, wrapping at spaces, no hyphenation or bidi.
#include "ui/lesson_view.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cstdint>
#include <string>

#include "lessons/math_text.h"
#include "lessons/ui_text.h"
#include "plot/scripted_draw.h"
#include "ui/slide_fit.h"
#include "ui/slide_images.h"

namespace difflab::ui {
namespace {

const ImVec4 kMathColor(1.0f, 0.86f, 0.55f, 1.0f);
const ImVec4 kCodeColor(0.75f, 0.9f, 0.75f, 1.0f);
const ImVec4 kEmphasisColor(0.75f, 0.85f, 1.0f, 1.0f);
const ImVec4 kLinkColor(0.45f, 0.7f, 1.0f, 1.0f);

// Glyphs with combining accents (β̃, x̂): plot/scripted_draw.h draws each mark over the glyph before it.
using plot::draw_glyphs;

// Moves *i past the UTF-8 code point at *i.
void plot_char_advance(const std::string& s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  *i = std::min(s.size(), *i + n);
}
using plot::glyphs_width;

float text_width(ImFont* font, float size, const std::string& text) {
  return glyphs_width(font, size, text);
}

void draw_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, const std::string& text) {
  draw_glyphs(dl, font, size, pos, color, text);
}

// One piece of a word: text in one font, size, colour and vertical offset (scripts).
struct Frag {
  std::string text;
  ImFont* font = nullptr;
  float size = 0;
  float dy = 0;  // from the line's top
  ImU32 color = 0;
  bool code_box = false, underline = false;
  bool stacked = false;  // a superscript right after a subscript: drawn above it (Σₜ₌₁ᵀ as in print)
};
using Word = std::vector<Frag>;

// Calls place(fragment, x offset, width) for each fragment; returns the word's width.
template <typename Place>
float lay_out(const Word& word, Place place) {
  float previous_start = 0, end = 0;
  for (const Frag& f : word) {
    const float w = text_width(f.font, f.size, f.text);
    const float start = f.stacked ? previous_start : end;
    place(f, start, w);
    previous_start = start;
    end = std::max(end, start + w);
  }
  return end;
}

float word_width(const Word& word) {
  return lay_out(word, [](const Frag&, float, float) {});
}

// A display formula cut into its equations at equation_breaks (slide_fit.h), each line's leading and
// trailing spaces dropped; the formula itself when it holds one equation.
std::vector<Word> split_equations(const Word& formula) {
  std::string all;
  for (const Frag& f : formula) all += f.text;
  const std::vector<size_t> breaks = equation_breaks(all);
  if (breaks.empty()) return {formula};
  std::vector<Word> lines(1);
  size_t offset = 0, next = 0;
  for (const Frag& f : formula) {
    size_t from = 0;
    while (next < breaks.size() && breaks[next] < offset + f.text.size()) {
      const size_t cut = breaks[next] - offset;
      if (cut > from) {
        Frag part = f;
        part.text = f.text.substr(from, cut - from);
        lines.back().push_back(std::move(part));
      }
      lines.emplace_back();
      from = cut;
      ++next;
    }
    Frag rest = f;
    rest.text = f.text.substr(from);
    if (!rest.text.empty()) lines.back().push_back(std::move(rest));
    offset += f.text.size();
  }
  for (Word& line : lines) {
    while (!line.empty() && line.back().text.find_last_not_of(' ') == std::string::npos) line.pop_back();
    if (!line.empty()) line.back().text.erase(line.back().text.find_last_not_of(' ') + 1);
    if (!line.empty()) line.front().text.erase(0, line.front().text.find_first_not_of(' '));
  }
  std::erase_if(lines, [](const Word& w) { return w.empty(); });
  return lines.empty() ? std::vector<Word>{formula} : lines;
}

// Places words left to right, wrapping at `right`; remembers the height of the current line.
class Flow {
 public:
  explicit Flow(float wrap_width) {
    origin_ = ImGui::GetCursorScreenPos();
    pen_ = origin_;
    right_ = origin_.x + std::max(wrap_width, 50.0f);
  }

  float width() const { return right_ - origin_.x; }
  bool at_line_start() const { return pen_.x == origin_.x; }

  void word(const Word& word) {
    if (word.empty()) return;
    const float extent = word_width(word);
    const bool is_space = word.size() == 1 && word[0].text == " ";
    if (is_space && at_line_start()) return;  // no leading space on a line
    if (!is_space && pen_.x + extent > right_ + 0.5f && !at_line_start()) newline();
    if (is_space && pen_.x + extent > right_) {
      newline();
      return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float x0 = pen_.x;
    pen_.x += lay_out(word, [&](const Frag& f, float offset, float w) {
      const ImVec2 at(x0 + offset, pen_.y + f.dy);
      if (f.code_box)
        dl->AddRectFilled(ImVec2(at.x - 2, at.y), ImVec2(at.x + w + 2, at.y + f.size),
                          IM_COL32(255, 255, 255, 28), 3.0f);
      draw_text(dl, f.font, f.size, at, f.color, f.text);
      if (f.underline) dl->AddLine(ImVec2(at.x, at.y + f.size), ImVec2(at.x + w, at.y + f.size), f.color);
      line_height_ = std::max(line_height_, f.dy + f.size);
      line_base_ = std::max(line_base_, f.size);
    });
  }

  // Starts the next word `indent` pixels from the left edge (centring a display formula).
  void indent(float indent) { pen_.x = origin_.x + std::max(0.0f, indent); }

  void newline() {
    pen_.x = origin_.x;
    pen_.y += line_height_ > 0 ? std::max(line_height_, line_base_ * 1.15f) : ImGui::GetFontSize() * 1.15f;
    line_height_ = line_base_ = 0;
  }

  void finish() {
    const float bottom = pen_.y + (line_height_ > 0 ? line_height_ : 0);
    ImGui::Dummy(ImVec2(right_ - origin_.x, std::max(bottom - origin_.y, 1.0f)));
  }

 private:
  ImVec2 origin_, pen_;
  float right_ = 0, line_height_ = 0, line_base_ = 0;
};

// Splits text into words and single spaces (newlines become spaces: soft breaks).
template <typename Emit>
void split_words(const std::string& text, Emit emit) {
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!word.empty()) emit(word);
      word.clear();
      emit(std::string(" "));
    } else {
      word += c;
    }
  }
  if (!word.empty()) emit(word);
}

void draw_blocks(const std::vector<Block>& blocks, const FontSet& fonts);

void draw_code(const Block& b, const FontSet& fonts) {
  ImGui::PushFont(fonts.mono);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float pad = ImGui::GetFontSize() * 0.4f;
  const float avail = ImGui::GetContentRegionAvail().x;
  // Never wrapped (a command must stay one line): smaller type when it is wider than the column.
  const float scale = code_block_scale(ImGui::CalcTextSize(b.code.c_str()).x, avail - 2 * pad);
  const float font_size = ImGui::GetFontSize() * scale;
  const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(font_size, FLT_MAX, 0.0f, b.code.c_str());
  const float width = std::max(avail, size.x + 2 * pad);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + size.y + 2 * pad), IM_COL32(255, 255, 255, 20), 4.0f);
  dl->AddText(ImGui::GetFont(), font_size, ImVec2(p.x + pad, p.y + pad), ImGui::GetColorU32(kCodeColor),
              b.code.c_str());
  ImGui::Dummy(ImVec2(std::min(width, avail), size.y + 2 * pad));
  ImGui::PopFont();
}

void draw_math(const Block& b, const FontSet& fonts) {
  ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.25f));
  draw_inline_text(b.text, fonts, fonts.display ? fonts.display : fonts.regular);
  ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.25f));
}

void draw_list(const Block& b, const FontSet& fonts) {
  const float indent = ImGui::GetFontSize() * 1.3f;
  for (const ListItem& item : b.items) {
    const float left = indent * float(item.depth);
    const std::string marker =
        item.ordered ? std::to_string(item.number) + "." : (item.depth % 2 ? "◦" : "•");
    // Screen positions, not SameLine(offset): SameLine's offset is from the window's left edge, which is
    // wrong inside a table cell (Marp columns) and drew the second column's items off to the side.
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(ImVec2(start.x + left, start.y), ImGui::GetColorU32(ImGuiCol_Text),
                                        marker.c_str());
    ImGui::SetCursorScreenPos(ImVec2(start.x + left + indent, start.y));
    ImGui::BeginGroup();
    draw_inline_text(item.text, fonts, fonts.regular);
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(start.x, ImGui::GetItemRectMax().y));
    ImGui::Dummy(ImVec2(0, 0));  // an item there: the next one starts ItemSpacing below
  }
}

// A cell's width on one line at the fonts' scale (scripts counted at full size: a little generous), and
// its longest word (where a wrapped cell cannot be cut).
float one_line_width(const InlineText& spans, const FontSet& fonts, ImFont* base, float* longest_word) {
  float w = 0, word = 0;
  for (const Span& span : spans) {
    ImFont* font = (span.style & kSpanCode)                           ? fonts.mono
                   : (span.style & kSpanStrong)                       ? fonts.bold
                   : (span.style & kSpanDisplayMath) && fonts.display ? fonts.display
                                                                      : base;
    const float size = font->FontSize * fonts.scale;
    w += text_width(font, size, span.text);
    if (span.style & (kSpanCode | kSpanMath)) {  // not broken inside (code) or only at its spaces (math)
      word += text_width(font, size, span.text);
    } else {
      split_words(span.text, [&](const std::string& piece) {
        if (piece == " ") {
          *longest_word = std::max(*longest_word, word);
          word = 0;
        } else {
          word += text_width(font, size, piece);
        }
      });
    }
  }
  *longest_word = std::max(*longest_word, word);
  return w;
}

// Columns as wide as their longest cell plus padding (headers never run together); a table wider than the
// column is drawn with a smaller font (down to 0.7), then its cells wrap at spaces (slide_fit.h).
void draw_table(const Block& b, const FontSet& fonts) {
  const int columns = int(std::max(b.header.size(), b.rows.empty() ? size_t(0) : b.rows.front().size()));
  if (columns == 0) return;
  std::vector<float> natural(size_t(columns), 0.0f), longest_word(size_t(columns), 0.0f);
  for (int c = 0; c < columns && c < int(b.header.size()); ++c)
    natural[size_t(c)] = one_line_width(b.header[size_t(c)], fonts, fonts.bold, &longest_word[size_t(c)]);
  for (const auto& row : b.rows)
    for (int c = 0; c < columns && c < int(row.size()); ++c)
      natural[size_t(c)] = std::max(
          natural[size_t(c)], one_line_width(row[size_t(c)], fonts, fonts.regular, &longest_word[size_t(c)]));
  const float cell_pad = ImGui::GetStyle().CellPadding.x;
  const float padding = 2 * cell_pad + ImGui::GetFontSize() * 0.5f + 1.0f;  // + the border line
  float scale = 1.0f;
  const std::vector<float> widths = table_column_widths(natural, ImGui::GetContentRegionAvail().x - 2.0f,
                                                        padding, &scale, 0.7f, longest_word);
  FontSet cell_fonts = fonts;
  cell_fonts.scale *= scale;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable("##table", columns, flags)) return;
  for (int c = 0; c < columns; ++c)
    ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthFixed,
                            std::max(1.0f, widths[size_t(c)] - 2 * cell_pad - 1.0f));
  if (!b.header.empty()) {
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < columns; ++c) {
      ImGui::TableSetColumnIndex(c);
      if (c < int(b.header.size())) draw_inline_text(b.header[c], cell_fonts, fonts.bold);
    }
  }
  for (const auto& row : b.rows) {
    ImGui::TableNextRow();
    for (int c = 0; c < columns; ++c) {
      ImGui::TableSetColumnIndex(c);
      if (c < int(row.size())) draw_inline_text(row[c], cell_fonts, fonts.regular);
    }
  }
  ImGui::EndTable();
}

void draw_quote(const Block& b, const FontSet& fonts) {
  const ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::Indent(ImGui::GetFontSize());
  draw_blocks(b.children, fonts);
  ImGui::Unindent(ImGui::GetFontSize());
  const float bottom = ImGui::GetCursorScreenPos().y;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(top.x, top.y), ImVec2(top.x + 4, bottom - 4),
                                            IM_COL32(140, 160, 200, 160));
}

// Marp's columns: a borderless table, one cell per column, each drawn as a little slide.
void draw_columns(const Block& b, const FontSet& fonts) {
  const int n = std::clamp(int(b.children.size()), 1, 64);
  if (b.children.empty()) return;
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_PadOuterX;
  if (!ImGui::BeginTable("##columns", n, flags)) return;
  ImGui::TableNextRow();
  for (int c = 0; c < n; ++c) {
    ImGui::TableSetColumnIndex(c);
    ImGui::PushID(c);
    draw_blocks(b.children[size_t(c)].children, fonts);
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// An image of the deck, scaled to the column width and to at most half the window's height; a missing or
// unreadable file (a deck's assets/ not shipped) is a framed placeholder with the file name.
void draw_image(const Block& b) {
  const float avail = std::max(ImGui::GetContentRegionAvail().x, 40.0f);
  const float max_height = std::max(ImGui::GetIO().DisplaySize.y * 0.5f, 120.0f);
  const SlideImage* image = b.is_video ? nullptr : &slide_image(b.image_resolved);
  if (image && image->texture) {
    float w = float(image->width), h = float(image->height);
    // Marp's width:NNNpx is on a 1280-pixel slide whose content is about 1124 pixels wide.
    const float wanted = b.image_width > 0 ? float(b.image_width) * avail / 1124.0f : w;
    const float scale = std::min({wanted / w, 1.5f, avail / w, max_height / h});
    w *= scale;
    h *= scale;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - w) * 0.5f));
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(image->texture)), ImVec2(w, h));
    if (!b.image_alt.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b.image_alt.c_str());
    return;
  }
  const std::string reason = b.is_video ? std::string(tr("lesson.video_placeholder"))
                             : image && image->error == "not found"
                                 ? std::string(tr("lesson.image_missing"))
                                 : std::string(tr("lesson.image_unreadable"));
  const std::string name = b.image_path;
  const std::string alt = b.image_alt;
  const float pad = ImGui::GetFontSize() * 0.6f;
  const float w = std::min(avail, ImGui::GetFontSize() * 24.0f);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float h = pad * 2 + line * (alt.empty() ? 2.0f : 3.0f);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 p0(p.x + std::max(0.0f, (avail - w) * 0.5f), p.y);
  const ImVec2 p1(p0.x + w, p0.y + h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 12), 6.0f);
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_TextDisabled), 6.0f, 0, 1.5f);
  // A small picture icon: a frame with a mountain, left of the text.
  const float icon = line * 1.2f;
  const ImVec2 i0(p0.x + pad, p0.y + (h - icon) * 0.5f), i1(i0.x + icon, i0.y + icon);
  const ImU32 grey = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddRect(i0, i1, grey, 2.0f, 0, 1.5f);
  dl->AddTriangleFilled(ImVec2(i0.x + icon * 0.15f, i1.y - icon * 0.15f),
                        ImVec2(i0.x + icon * 0.45f, i0.y + icon * 0.4f),
                        ImVec2(i0.x + icon * 0.75f, i1.y - icon * 0.15f), grey);
  dl->AddCircleFilled(ImVec2(i0.x + icon * 0.72f, i0.y + icon * 0.3f), icon * 0.1f, grey);
  const float tx = i1.x + pad;
  const float clip_right = p1.x - pad;
  ImGui::PushClipRect(ImVec2(tx, p0.y), ImVec2(clip_right, p1.y), true);
  float y = p0.y + pad;
  dl->AddText(ImVec2(tx, y), grey, reason.c_str());
  y += line;
  dl->AddText(ImVec2(tx, y), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
  y += line;
  if (!alt.empty()) dl->AddText(ImVec2(tx, y), grey, alt.c_str());
  ImGui::PopClipRect();
  if (ImGui::IsMouseHoveringRect(p0, p1)) ImGui::SetTooltip("%s", b.image_resolved.c_str());
  ImGui::Dummy(ImVec2(avail, h));
}

void draw_block(const Block& b, const FontSet& fonts) {
  switch (b.kind) {
    case BlockKind::Heading:
      draw_inline_text(b.text, fonts, b.level <= 1 ? fonts.heading : fonts.bold);
      if (b.level <= 1) ImGui::Separator();
      break;
    case BlockKind::Paragraph:
      draw_inline_text(b.text, fonts, fonts.regular);
      break;
    case BlockKind::List:
      draw_list(b, fonts);
      break;
    case BlockKind::Table:
      draw_table(b, fonts);
      break;
    case BlockKind::Code:
      draw_code(b, fonts);
      break;
    case BlockKind::Math:
      draw_math(b, fonts);
      break;
    case BlockKind::Quote:
      draw_quote(b, fonts);
      break;
    case BlockKind::Image:
      draw_image(b);
      break;
    case BlockKind::Columns:
      draw_columns(b, fonts);
      break;
    case BlockKind::Column:
      draw_blocks(b.children, fonts);
      break;
  }
  ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.35f));
}

void draw_blocks(const std::vector<Block>& blocks, const FontSet& fonts) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    ImGui::PushID(int(i));
    draw_block(blocks[i], fonts);
    ImGui::PopID();
  }
}

}  // namespace

void draw_inline_text(const InlineText& spans, const FontSet& fonts, ImFont* base) {
  Flow flow(ImGui::GetContentRegionAvail().x);
  // The window's font scale (the presenter view shrinks its text with SetWindowFontScale).
  const float scale = ImGui::GetFontSize() / ImGui::GetFont()->FontSize;
  const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
  ImFont* display = fonts.display ? fonts.display : base;
  bool after_display = false;
  size_t skip = 0;  // leading bytes of the next text span already drawn with the formula before it
  // The last word of a text span that runs into an inline formula ("(" in "($T = 1000$, …"): drawn with the
  // formula, so a line never ends in a lone "(" (lesson 11 slide 7, Spanish, 1280 × 720).
  Word prefix;
  for (size_t k = 0; k < spans.size();) {
    const Span& span = spans[k];
    if (span.style & kSpanBreak) {
      if (!after_display) flow.newline();  // a display formula already ended its line
      after_display = false;
      ++k;
      continue;
    }
    after_display = false;
    if (span.style & kSpanMath) {
      // One formula: this span and the pieces joined to it; scripts smaller, lowered or raised.
      size_t end = k + 1;
      while (end < spans.size() && (spans[end].style & kSpanMathJoin)) ++end;
      const bool is_display = span.style & kSpanDisplayMath;
      ImFont* font = is_display                                            ? display
                     : (span.style & kSpanStrong) && base != fonts.heading ? fonts.bold
                                                                           : base;
      const float size = font->FontSize * scale * fonts.scale;
      const ImU32 color = ImGui::GetColorU32(kMathColor);
      Word formula;
      for (size_t j = k; j < end; ++j) {
        const Span& piece = spans[j];
        Frag f;
        f.text = piece.text;
        f.font = font;
        f.color = color;
        f.size = size;
        // The same sizes and offsets as scripted UI text (plot/scripted_text.h).
        const plot::ScriptPlacement placed =
            plot::script_placement(span_scripts(piece.style), size, font->Ascent / font->FontSize);
        f.size = placed.size;
        f.dy = placed.dy;
        const uint32_t kScripts = kSpanSub | kSpanSup | kSpanScriptScript;
        f.stacked =
            j > k && (piece.style & kScripts) == kSpanSup && (spans[j - 1].style & kScripts) == kSpanSub;
        formula.push_back(std::move(f));
      }
      // Punctuation right after an inline formula ("$z = 0$.") stays on the formula's line: it wrapped
      // alone onto the next one (lesson 05, Spanish, 1280 × 720).
      if (!is_display && end < spans.size() &&
          !(spans[end].style & (kSpanMath | kSpanBreak | kSpanCode | kSpanDisplayMath))) {
        const std::string& next = spans[end].text;
        const size_t n = leading_punctuation(next);
        if (n > 0) {
          Frag punct;
          punct.text = next.substr(0, n);
          punct.font = base;
          punct.color = text_color;
          punct.size = base->FontSize * scale * fonts.scale;
          formula.push_back(std::move(punct));
          skip = n;
        }
      }
      if (!prefix.empty()) {
        // Glued when the two fit on one line; a formula that must break anyway goes after it as before.
        if (!is_display && word_width(prefix) + word_width(formula) <= flow.width())
          formula.insert(formula.begin(), prefix.begin(), prefix.end());
        else
          flow.word(prefix);
        prefix.clear();
      }
      float width = word_width(formula);
      if (is_display) {
        // A display formula is never wrapped inside an expression: one wider than the column is drawn
        // smaller (slide_fit.h); one holding several equations ("…, ᾱₜ = …") first puts each on its own
        // line when it would otherwise shrink by more than a fifth.
        std::vector<Word> lines{formula};
        if (display_math_scale(width, flow.width()) < 0.8f) lines = split_equations(formula);
        float fit = 1.0f;
        for (const Word& line : lines)
          fit = std::min(fit, display_math_scale(word_width(line), flow.width()));
        if (!flow.at_line_start()) flow.newline();
        for (Word& line : lines) {
          for (Frag& f : line) {
            f.size *= fit;
            f.dy *= fit;
          }
          flow.indent((flow.width() - word_width(line)) * 0.5f);
          flow.word(line);
          flow.newline();
        }
        after_display = true;
        k = end;
        continue;
      }
      if (width <= flow.width()) {
        flow.word(formula);
      } else {
        // Too wide for the column: break at the formula's spaces outside brackets (slide_fit.h); at every
        // space only when a piece between those would itself be wider than the column.
        std::string joined;
        for (const Frag& f : formula) joined += f.text;
        auto pieces = [&](const std::vector<size_t>& breaks) {
          std::vector<Word> out(1);
          size_t offset = 0;
          for (const Frag& f : formula) {
            split_words(f.text, [&](const std::string& w) {
              Frag part = f;
              part.text = w;
              const bool may_break = w == " " && std::binary_search(breaks.begin(), breaks.end(), offset);
              offset += w.size();
              if (may_break) {
                out.push_back(Word{part});
                out.emplace_back();
              } else {
                out.back().push_back(std::move(part));
              }
            });
          }
          return out;
        };
        std::vector<Word> words = pieces(inline_math_breaks(joined));
        for (const Word& w : words)
          if (word_width(w) > flow.width()) {
            std::vector<size_t> every;
            for (size_t i = 0; i < joined.size(); ++i)
              if (joined[i] == ' ') every.push_back(i);
            words = pieces(every);
            break;
          }
        for (Word& w : words)
          if (!w.empty()) flow.word(w);
      }
      if (is_display) flow.newline();
      after_display = is_display;
      k = end;
      continue;
    }
    ImFont* font = base;
    ImU32 color = text_color;
    if (span.style & kSpanStrong) font = base == fonts.heading ? fonts.heading : fonts.bold;
    if (span.style & kSpanCode) {
      font = fonts.mono;
      color = ImGui::GetColorU32(kCodeColor);
    }
    if (span.style & kSpanEmphasis) color = ImGui::GetColorU32(kEmphasisColor);
    if (span.style & kSpanLink) color = ImGui::GetColorU32(kLinkColor);
    if (span.style & kSpanImage) color = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const bool code = span.style & kSpanCode, link = span.style & kSpanLink;
    const std::string text = span.text.substr(std::min(skip, span.text.size()));
    skip = 0;
    auto frag = [&](const std::string& text, bool underline) {
      Frag f;
      f.text = text;
      f.font = font;
      f.size = font->FontSize * scale * fonts.scale;
      f.color = color;
      f.code_box = code;
      f.underline = underline;
      return Word{f};
    };
    std::vector<Word> words;
    if (code) {
      words.push_back(frag(text, false));  // code is not broken inside
    } else {
      split_words(text, [&](const std::string& w) { words.push_back(frag(w, link && w != " ")); });
    }
    // Punctuation right after a styled span ("**imágenes**, Ho et al.") stays with its last word: the comma
    // wrapped alone to the next line (lesson 06 slide 4, Spanish, 1280 × 720).
    if (!words.empty() && words.back().front().text != " " && k + 1 < spans.size() &&
        !(spans[k + 1].style & (kSpanMath | kSpanBreak | kSpanDisplayMath)) &&
        (spans[k + 1].style & kSpanCode) == 0) {
      const std::string& next = spans[k + 1].text;
      const size_t n = leading_punctuation(next);
      if (n > 0) {
        Frag punct;
        punct.text = next.substr(0, n);
        punct.font = base;
        punct.color = text_color;
        punct.size = base->FontSize * scale * fonts.scale;
        words.back().push_back(std::move(punct));
        skip = n;
      }
    }
    if (!words.empty() && words.back().front().text != " " && k + 1 < spans.size() &&
        (spans[k + 1].style & kSpanMath) && !(spans[k + 1].style & kSpanDisplayMath)) {
      prefix = std::move(words.back());
      words.pop_back();
    }
    for (Word& w : words) flow.word(w);
    ++k;
  }
  if (!prefix.empty()) flow.word(prefix);
  flow.finish();
}

void draw_slide(const Slide& slide, const FontSet& fonts) {
  draw_blocks(slide.blocks, fonts);
}

namespace {
void fold_spans(InlineText* spans) {
  for (Span& span : *spans) {
    span.text = fold_to_bmp(span.text);
    if (span.style & kSpanMath) span.target = fold_to_bmp(span.target);  // the formula's plain text
  }
}
void fold_blocks(std::vector<Block>* blocks) {
  for (Block& b : *blocks) {
    fold_spans(&b.text);
    for (ListItem& item : b.items) fold_spans(&item.text);
    for (InlineText& cell : b.header) fold_spans(&cell);
    for (auto& row : b.rows)
      for (InlineText& cell : row) fold_spans(&cell);
    b.code = fold_to_bmp(b.code);
    b.math_text = fold_to_bmp(b.math_text);
    fold_blocks(&b.children);
  }
}
}  // namespace

void draw_note_text(const std::string& note, const FontSet& fonts) {
  InlineText spans = parse_inline(note);
  fold_spans(&spans);
  draw_inline_text(spans, fonts, fonts.regular);
}

std::string scripted_plain_text(std::string_view text) {
  std::string out;
  for (const plot::ScriptedRun& run : plot::split_scripted(text)) {
    if (run.scripts.empty()) {
      out += run.text;
      continue;
    }
    const bool sub = run.scripts.back() == '_';
    std::string unicode;
    bool all = true, one_word = true;
    for (size_t i = 0; i < run.text.size() && all;) {
      const size_t start = i;
      plot_char_advance(run.text, &i);
      const std::string_view c(run.text.data() + start, i - start);
      const std::string script = sub ? subscript_char(c) : superscript_char(c);
      all = !script.empty();
      unicode += script;
      if (c.size() == 1 && !std::isalnum(static_cast<unsigned char>(c[0]))) one_word = false;
    }
    if (all)
      out += unicode;
    else
      out += std::string(1, run.scripts.back()) + (one_word ? run.text : "(" + run.text + ")");
  }
  return out;
}

bool scripted_selectable(const std::string& label, const char* id, bool selected) {
  // Its size is the label's: a menu window sizes itself to its items, and "##id" alone measures nothing.
  const bool clicked = ImGui::Selectable((std::string("##") + id).c_str(), selected, 0,
                                         ImVec2(plot::scripted_text_size(label).x, 0));
  const ImVec2 at = ImGui::GetItemRectMin();
  plot::draw_scripted_text(ImGui::GetWindowDrawList(), at, ImGui::GetColorU32(ImGuiCol_Text), label);
  return clicked;
}

void fold_lesson_to_bmp(Lesson* lesson) {
  lesson->title = fold_to_bmp(lesson->title);
  for (Slide& slide : lesson->slides) fold_blocks(&slide.blocks);
}

}  // namespace difflab::ui
