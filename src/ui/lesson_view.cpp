// lesson_view.cpp — a flow layout for inline spans and one drawing function per block kind.
// Not rich text in general: one font per span, wrapping at spaces, no hyphenation or bidi.
#include "ui/lesson_view.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <string>

namespace difflab::ui {
namespace {

const ImVec4 kMathColor(1.0f, 0.86f, 0.55f, 1.0f);
const ImVec4 kCodeColor(0.75f, 0.9f, 0.75f, 1.0f);
const ImVec4 kEmphasisColor(0.75f, 0.85f, 1.0f, 1.0f);
const ImVec4 kLinkColor(0.45f, 0.7f, 1.0f, 1.0f);

// Places words left to right, wrapping at `right`; remembers the height of the current line.
class Flow {
 public:
  explicit Flow(float wrap_width) {
    origin_ = ImGui::GetCursorScreenPos();
    pen_ = origin_;
    right_ = origin_.x + std::max(wrap_width, 50.0f);
  }

  void word(const std::string& text, ImFont* font, ImU32 color, bool code_box, bool underline) {
    const float size = font->FontSize;
    const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str());
    const bool is_space = text == " ";
    if (is_space && pen_.x == origin_.x) return;  // no leading space on a line
    if (!is_space && pen_.x + extent.x > right_ && pen_.x > origin_.x) newline();
    if (is_space && pen_.x + extent.x > right_) {
      newline();
      return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (code_box)
      dl->AddRectFilled(ImVec2(pen_.x - 2, pen_.y), ImVec2(pen_.x + extent.x + 2, pen_.y + extent.y),
                        IM_COL32(255, 255, 255, 28), 3.0f);
    dl->AddText(font, size, pen_, color, text.c_str());
    if (underline)
      dl->AddLine(ImVec2(pen_.x, pen_.y + extent.y), ImVec2(pen_.x + extent.x, pen_.y + extent.y), color);
    pen_.x += extent.x;
    line_height_ = std::max(line_height_, extent.y);
  }

  void newline() {
    pen_.x = origin_.x;
    pen_.y += (line_height_ > 0 ? line_height_ : ImGui::GetFontSize()) * 1.15f;
    line_height_ = 0;
  }

  void finish() {
    const float bottom = pen_.y + (line_height_ > 0 ? line_height_ : 0);
    ImGui::Dummy(ImVec2(right_ - origin_.x, std::max(bottom - origin_.y, 1.0f)));
  }

 private:
  ImVec2 origin_, pen_;
  float right_ = 0, line_height_ = 0;
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
  const ImVec2 size = ImGui::CalcTextSize(b.code.c_str());
  const float pad = ImGui::GetFontSize() * 0.4f;
  const float width = std::max(ImGui::GetContentRegionAvail().x, size.x + 2 * pad);
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + size.y + 2 * pad),
                                            IM_COL32(255, 255, 255, 20), 4.0f);
  ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
  ImGui::PushStyleColor(ImGuiCol_Text, kCodeColor);
  ImGui::TextUnformatted(b.code.c_str());
  ImGui::PopStyleColor();
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + size.y + 2 * pad));
  ImGui::Dummy(ImVec2(width, ImGui::GetStyle().ItemSpacing.y));
  ImGui::PopFont();
}

void draw_math(const Block& b, const FontSet& fonts) {
  ImGui::PushFont(fonts.regular);
  const float avail = ImGui::GetContentRegionAvail().x;
  const ImVec2 size = ImGui::CalcTextSize(b.math_text.c_str(), nullptr, false, avail);
  const float x = ImGui::GetCursorPosX() + std::max(0.0f, (avail - size.x) * 0.5f);
  ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.2f));
  ImGui::SetCursorPosX(x);
  ImGui::PushStyleColor(ImGuiCol_Text, kMathColor);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + avail);
  ImGui::TextUnformatted(b.math_text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.2f));
  ImGui::PopFont();
}

void draw_list(const Block& b, const FontSet& fonts) {
  const float indent = ImGui::GetFontSize() * 1.3f;
  for (const ListItem& item : b.items) {
    const float left = indent * float(item.depth);
    const std::string marker = item.ordered ? std::to_string(item.number) + "." : (item.depth % 2 ? "◦" : "•");
    const float x0 = ImGui::GetCursorPosX();
    ImGui::SetCursorPosX(x0 + left);
    ImGui::TextUnformatted(marker.c_str());
    ImGui::SameLine(x0 + left + indent);
    ImGui::BeginGroup();
    draw_inline_text(item.text, fonts, fonts.regular);
    ImGui::EndGroup();
    ImGui::SetCursorPosX(x0);
  }
}

void draw_table(const Block& b, const FontSet& fonts) {
  const int columns = int(std::max(b.header.size(), b.rows.empty() ? size_t(0) : b.rows.front().size()));
  if (columns == 0) return;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##table", columns, flags)) return;
  if (!b.header.empty()) {
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < columns; ++c) {
      ImGui::TableSetColumnIndex(c);
      if (c < int(b.header.size())) draw_inline_text(b.header[c], fonts, fonts.bold);
    }
  }
  for (const auto& row : b.rows) {
    ImGui::TableNextRow();
    for (int c = 0; c < columns; ++c) {
      ImGui::TableSetColumnIndex(c);
      if (c < int(row.size())) draw_inline_text(row[c], fonts, fonts.regular);
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
    case BlockKind::Image: {
      const std::string text = std::string(b.is_video ? "[video: " : "[image: ") +
                               (b.image_alt.empty() ? b.image_path : b.image_alt) + "]";
      ImGui::TextDisabled("%s", text.c_str());
      break;
    }
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
  const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
  for (const Span& span : spans) {
    if (span.style & kSpanBreak) {
      flow.newline();
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
    if (span.style & kSpanMath) color = ImGui::GetColorU32(kMathColor);
    if (span.style & kSpanLink) color = ImGui::GetColorU32(kLinkColor);
    if (span.style & kSpanImage) color = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const bool code = span.style & kSpanCode, link = span.style & kSpanLink;
    if (code || (span.style & kSpanMath)) {
      flow.word(span.text, font, color, code, link);  // code and math are not broken inside
    } else {
      split_words(span.text, [&](const std::string& w) { flow.word(w, font, color, false, link && w != " "); });
    }
  }
  flow.finish();
}

void draw_slide(const Slide& slide, const FontSet& fonts) { draw_blocks(slide.blocks, fonts); }

namespace {
void fold_spans(InlineText* spans) {
  for (Span& span : *spans) span.text = fold_to_bmp(span.text);
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

void fold_lesson_to_bmp(Lesson* lesson) {
  lesson->title = fold_to_bmp(lesson->title);
  for (Slide& slide : lesson->slides) fold_blocks(&slide.blocks);
}

}  // namespace difflab::ui
