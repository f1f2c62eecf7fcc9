// panel_clip_layout.h — the foot of the CLIP panel's side column (lesson 14): how large the picked image is
// and how many of its nearest captions fit under it, so the list never runs into the caption below.
// Not the drawing (panel_clip.cpp).
#pragma once

#include <algorithm>

namespace difflab::lecture {

struct ClipSideFoot {
  float image_side = 0;  // the picked image's side, px
  int captions = 0;      // nearest captions listed under it (one line each)
};

// `room`: px from the image's top to the column's foot (the caption's top); `width`: the column's width;
// `line`: one text line with its spacing. The image takes at most 30 % of the width and shrinks (down to two
// lines tall, or the room if less) before any caption is dropped; then as many of `wanted` captions as fit.
inline ClipSideFoot clip_side_foot(float room, float width, float line, int wanted = 5) {
  ClipSideFoot f;
  const float gap = 0.3f * line;                                       // between the image and the list
  const float floor = std::min(line * 2, std::max(0.0f, room - gap));  // two lines, or what there is
  f.image_side = std::min(width * 0.3f, std::max(floor, room - gap - line * wanted));
  f.captions = std::clamp(static_cast<int>((room - f.image_side - gap) / line), 0, wanted);
  return f;
}

}  // namespace difflab::lecture
