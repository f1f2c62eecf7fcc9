// shell_logic.cpp — panel keys, lesson neighbours, the presenter view's texts and timer format.
// Not drawing and not navigation state: gui.cpp holds the state and calls these.
#include "ui/shell_logic.h"

#include <cstdio>
#include <filesystem>

namespace difflab::ui {

std::string lesson_stem_without_language(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  LessonFileName parsed;
  if (parse_lesson_file_name(name, &parsed)) {
    char number[16];
    std::snprintf(number, sizeof number, "%02d", parsed.number);
    return number + ("-" + parsed.slug);
  }
  return std::filesystem::path(path).stem().string();
}

PanelKey panel_key(const Lesson& lesson, int slide) {
  PanelKey key;
  key.lesson = lesson_stem_without_language(lesson.path);
  key.slide = slide;
  if (slide >= 0 && slide < static_cast<int>(lesson.slides.size())) {
    const Slide& s = lesson.slides[static_cast<size_t>(slide)];
    if (s.panel) {
      key.panel = s.panel->panel;
      key.params = s.panel->params;
    }
  }
  return key;
}

PanelKey sandbox_panel_key(const std::string& panel) {
  PanelKey key;
  key.panel = panel;
  return key;
}

int lesson_position(const std::vector<LessonEntry>& index, const std::string& path) {
  LessonFileName parsed;
  if (!parse_lesson_file_name(std::filesystem::path(path).filename().string(), &parsed)) return -1;
  for (size_t i = 0; i < index.size(); ++i)
    if (index[i].number == parsed.number && index[i].slug == parsed.slug) return static_cast<int>(i);
  return -1;
}

std::string format_elapsed(double seconds) {
  const long total = seconds > 0 ? static_cast<long>(seconds) : 0;
  char text[32];
  if (total >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

namespace {

void append_words(std::string* out, const std::string& text) {
  if (text.empty()) return;
  if (!out->empty()) *out += out->back() == '.' || out->back() == ':' ? " " : " · ";
  for (char c : text) *out += c == '\n' ? ' ' : c;
}

// Cuts at the last space before max_chars (or at max_chars on a UTF-8 boundary) and adds "…".
std::string shorten(const std::string& text, size_t max_chars) {
  if (text.size() <= max_chars) return text;
  size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not mid-character
  const size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > max_chars / 2) cut = space;
  std::string out = text.substr(0, cut);
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';')) out.pop_back();
  return out + "…";
}

}  // namespace

std::string slide_preview(const Slide& slide, size_t max_chars) {
  std::string out;
  bool title_seen = false;
  for (const Block& b : slide.blocks) {
    if (out.size() > max_chars) break;
    switch (b.kind) {
      case BlockKind::Heading:
        if (!title_seen) {
          title_seen = true;
          continue;  // the title is shown apart
        }
        append_words(&out, plain_text(b.text));
        break;
      case BlockKind::Paragraph:
        append_words(&out, plain_text(b.text));
        break;
      case BlockKind::List:
        for (const ListItem& item : b.items) append_words(&out, plain_text(item.text));
        break;
      case BlockKind::Math:
        append_words(&out, b.math_text);
        break;
      default:
        break;
    }
  }
  return shorten(out, max_chars);
}

std::vector<std::string> speaker_notes(const Slide& slide) {
  std::vector<std::string> notes;
  for (const std::string& n : slide.notes) {
    const size_t first = n.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    const size_t last = n.find_last_not_of(" \t\r\n");
    notes.push_back(n.substr(first, last - first + 1));
  }
  return notes;
}

std::string fill(const std::string& text, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0, pos = 0;
  while (pos < text.size()) {
    const size_t at = text.find("{}", pos);
    if (at == std::string::npos || next >= args.size()) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, at - pos);
    out += args[next++];
    pos = at + 2;
  }
  return out;
}

}  // namespace difflab::ui
