// lesson.cpp — parse_lesson and load_lesson: runs the steps of lesson_parse.h (lines, front matter, slides,
// comments, blocks), names the lesson's title and language, and checks images on disk.
// Not the steps themselves (lesson_slides.cpp, lesson_front_matter.cpp, lesson_blocks.cpp).
#include "lessons/lesson.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/limits.h"
#include "lessons/lesson_parse.h"
#include "lessons/panel_spec.h"

namespace difflab {

using lesson_detail::ParseContext;

std::string PanelDirective::value(const std::string& param) const {
  for (const auto& [key, value] : params)
    if (key == param) return value;
  if (const PanelSpec* spec = find_panel_spec(panel))
    if (const ParamSpec* p = spec->find(param)) return p->default_value;
  return "";
}

std::string Slide::title() const {
  for (const Block& b : blocks)
    if (b.kind == BlockKind::Heading) return plain_text(b.text);
  return "";
}

std::string Lesson::front_matter_value(const std::string& key) const {
  for (const auto& [k, v] : front_matter)
    if (k == key) return v;
  return "";
}

namespace {

void sort_diagnostics(Lesson* lesson) {
  std::stable_sort(lesson->diagnostics.begin(), lesson->diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

// NN-slug.LANG.md → LANG, else "".
std::string lang_from_file_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  const size_t md = name.rfind(".md");
  const size_t dot = md == std::string::npos || md == 0 ? std::string::npos : name.rfind('.', md - 1);
  if (dot != std::string::npos && md - dot - 1 >= 2 && md - dot - 1 <= 3)
    return name.substr(dot + 1, md - dot - 1);
  return "";
}

void check_images_in(const std::vector<Block>& blocks, Lesson* lesson) {
  for (const Block& b : blocks) {
    check_images_in(b.children, lesson);
    if (b.kind != BlockKind::Image || b.image_resolved.find("://") != std::string::npos) continue;
    std::error_code ec;
    if (!std::filesystem::exists(b.image_resolved, ec))
      lesson->diagnostics.push_back(Diagnostic{lesson->path, b.line, Severity::Warning,
                                               std::string(b.is_video ? "video" : "image") +
                                                   " not found: " + b.image_path +
                                                   " (the slide shows a placeholder with its name)"});
  }
}

}  // namespace

Lesson parse_lesson(std::string_view text, const std::string& path) {
  Lesson lesson;
  lesson.path = path;
  ParseContext ctx{&lesson, ""};
  if (!path.empty()) ctx.base_dir = std::filesystem::path(path).parent_path().string();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    ctx.report(0, Severity::Error, "the file is empty: a lesson needs at least one slide");
    return lesson;
  }
  const std::vector<lesson_detail::Line> lines = lesson_detail::split_lines(text, ctx);
  const size_t body = lesson_detail::read_front_matter(lines, ctx);
  const std::vector<lesson_detail::RawSlide> raw = lesson_detail::split_slides(lines, body, ctx);
  for (size_t k = 0; k < raw.size(); ++k) {
    Slide slide;
    slide.index = static_cast<int>(k);
    slide.line = raw[k].first_line;
    lesson_detail::read_comments(raw[k].comments, &slide, ctx);
    lesson_detail::parse_blocks(raw[k].lines, ctx, &slide.blocks);
    lesson.slides.push_back(std::move(slide));
  }
  lesson.title = lesson.front_matter_value("title");
  for (size_t k = 0; k < lesson.slides.size() && lesson.title.empty(); ++k)
    lesson.title = lesson.slides[k].title();
  lesson.lang = lesson.front_matter_value("lang");
  if (lesson.lang.empty()) lesson.lang = lang_from_file_name(lesson.path);
  sort_diagnostics(&lesson);
  return lesson;
}

Lesson load_lesson(const std::string& path) {
  auto failed = [&path](const std::string& message) {
    Lesson lesson;
    lesson.path = path;
    lesson.diagnostics.push_back(Diagnostic{path, 0, Severity::Error, message});
    return lesson;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return failed("is a folder, not a lesson file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return failed("cannot read the file");
  // Read at most one byte past the limit, so that neither a huge file nor a device (/dev/zero) is swallowed.
  const std::string too_big = "more than " + std::to_string(limits::kMaxLessonFileBytes >> 20) +
                              " MiB: too large for a lesson (limits::kMaxLessonFileBytes)";
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits::kMaxLessonFileBytes) return failed(too_big);
  std::string text;
  char chunk[1 << 16];
  while (in && text.size() <= limits::kMaxLessonFileBytes) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return failed("cannot read the file");
  if (text.size() > limits::kMaxLessonFileBytes) return failed(too_big);
  return parse_lesson(text, path);
}

void check_lesson_images(Lesson* lesson) {
  for (const Slide& s : lesson->slides) check_images_in(s.blocks, lesson);
  sort_diagnostics(lesson);
}

}  // namespace difflab
