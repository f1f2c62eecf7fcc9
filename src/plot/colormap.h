// colormap.h — perceptual colormaps (viridis, magma, a cool-warm diverging map) as compact anchor tables.
// Not GL textures (texture_cache.h) and not ImGui: t ∈ [0, 1] → 8-bit sRGB, unit-tested in tests/plot.
#pragma once

#include <cstdint>

namespace difflab::plot {

enum class Colormap { Viridis, Magma, CoolWarm };

struct Rgb8 {
  uint8_t r = 0, g = 0, b = 0;
};

// Linear interpolation between the map's published anchors (evenly spaced in t); t is clamped to [0, 1],
// NaN gives the map's t = 0 colour.
Rgb8 colormap_lookup(Colormap map, double t);

// Packed for ImGui (IM_COL32 layout: A in the top byte, then B, G, R).
inline uint32_t pack_abgr(Rgb8 c, uint8_t alpha = 255) {
  return (uint32_t(alpha) << 24) | (uint32_t(c.b) << 16) | (uint32_t(c.g) << 8) | uint32_t(c.r);
}

const char* colormap_name(Colormap map);

}  // namespace difflab::plot
