// presenter_view.h — the presenter view (key N): the slide's speaker notes, the next slide and a timer, in a
// window over the slide. Not a second OS window: one window is what a mirrored projector shows anyway.
#pragma once

#include <chrono>
#include <string>

#include "lessons/lesson.h"
#include "ui/fonts.h"

namespace difflab::ui {

struct PresenterView {
  bool open = false;
  // The talk's timer: runs from the first time the view opens (or Restart), pauses on demand.
  bool started = false, paused = false;
  std::chrono::steady_clock::time_point start;
  double paused_seconds = 0;  // elapsed time frozen while paused
  double elapsed() const;
};

// What the view shows; next == nullptr on the last slide (then next_lesson_title, "" when none).
struct PresenterContent {
  const Slide* slide = nullptr;
  const Slide* next = nullptr;
  int slide_index = 0, slide_count = 0;
  std::string next_lesson_title;
};

// The height the view takes at the bottom of the main viewport (0 when closed): the slide shrinks to leave
// it.
float presenter_view_height(const PresenterView& view);

void draw_presenter_view(PresenterView* view, const PresenterContent& content, const FontSet& fonts);

}  // namespace difflab::ui
