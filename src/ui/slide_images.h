// slide_images.h — PNG/JPEG files of a deck (![](assets/x.png), <img src>) decoded with stb_image and kept as
// GL textures for the lesson view. Not a general image library: still images only, RGBA8, UI thread only.
#pragma once

#include <string>

namespace difflab::ui {

struct SlideImage {
  unsigned texture = 0;  // a GL texture name, usable as an ImTextureID; 0 when the file could not be shown
  int width = 0, height = 0;
  std::string error;  // why not: "not found", "not a PNG or JPEG", "too large" …
};

// The image at `path` (resolved already), decoded and uploaded on first use, then cached by path.
// Requires the GL context; never throws.
const SlideImage& slide_image(const std::string& path);

// Deletes every texture (before the GL context goes away).
void release_slide_images();

}  // namespace difflab::ui
