// fuzz_lesson.cpp — libFuzzer target for the lesson engine (src/lessons): Marp Markdown blocks and
// directives, inline spans, LaTeX → Unicode. Not the drawing. Seeds: lessons/*.md and fuzz/seeds/lesson.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_common.h"
#include "lessons/inline_text.h"
#include "lessons/lesson.h"
#include "lessons/math_text.h"

using namespace difflab;

namespace {
void visit(const Block& b) {
  (void)plain_text(b.text);
  for (const ListItem& item : b.items) (void)plain_text(item.text);
  for (const Block& child : b.children) visit(child);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::input_text(data, size);
  // Never throws: problems are diagnostics.
  const Lesson lesson = parse_lesson(text, "/nonexistent/fuzz.md");
  for (const Slide& slide : lesson.slides) {
    (void)slide.title();
    for (const Block& b : slide.blocks) visit(b);
  }
  std::vector<InlineIssue> issues;
  (void)plain_text(parse_inline(text, &issues));
  const MathText math = latex_to_unicode(text);
  (void)to_bmp_text(math.text);
  (void)image_alt_without_marp_keywords(text);
  return 0;
}
