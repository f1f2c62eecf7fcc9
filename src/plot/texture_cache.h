// texture_cache.h — GL textures for heat maps, density images and image grids, created on first use and
// updated in place, keyed by an ImGui id. Not a general resource manager: RGBA8 images only, GL context
// required.
#pragma once

#include <cstdint>

namespace difflab::plot {

// Returns a texture holding `rgba` (w × h pixels, 4 bytes each, row 0 at the top), creating it or
// re-uploading into the existing one. The id is usable as an ImTextureID.
// `smooth` picks linear filtering (density images) over nearest (cells, pixels).
unsigned texture_for(uint32_t key, int w, int h, const uint32_t* rgba, bool smooth = false);

// Deletes textures not requested during the last `max_age_frames` ImGui frames (call once per frame).
void release_unused_textures(int max_age_frames = 120);
// Deletes every texture (before the GL context goes away).
void release_all_textures();

}  // namespace difflab::plot
