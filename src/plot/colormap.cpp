// colormap.cpp — the anchor tables of each colormap and the interpolation between them.
// Not a colour-science library: anchors are the published 8-step samples, interpolated linearly in sRGB.
#include "plot/colormap.h"

#include <cmath>

namespace difflab::plot {
namespace {

struct Anchors {
  const uint32_t* rgb;  // 0xRRGGBB
  int count;
};

// viridis and magma (van der Walt & Smith, matplotlib 2015): the 8 evenly spaced samples that
// R's viridisLite prints for viridis(8) and magma(8).
constexpr uint32_t kViridis[] = {0x440154, 0x46337E, 0x365C8D, 0x277F8E,
                                 0x1FA187, 0x4AC16D, 0x9FDA3A, 0xFDE725};
constexpr uint32_t kMagma[] = {0x000004, 0x221150, 0x5F187F, 0x982D80,
                               0xD3436E, 0xF8765C, 0xFEBA80, 0xFCFDBF};
// Moreland's "cool to warm" diverging map (Moreland 2009): blue #3B4CC0, grey #DDDDDD at 0.5, red #B40426,
// with the quarter points of his table.
constexpr uint32_t kCoolWarm[] = {0x3B4CC0, 0x8DB0FE, 0xDDDDDD, 0xF49A7B, 0xB40426};

Anchors anchors(Colormap map) {
  switch (map) {
    case Colormap::Magma:
      return {kMagma, int(sizeof kMagma / sizeof kMagma[0])};
    case Colormap::CoolWarm:
      return {kCoolWarm, int(sizeof kCoolWarm / sizeof kCoolWarm[0])};
    case Colormap::Viridis:
      break;
  }
  return {kViridis, int(sizeof kViridis / sizeof kViridis[0])};
}

uint8_t channel(uint32_t rgb, int shift) {
  return uint8_t((rgb >> shift) & 0xFF);
}

}  // namespace

Rgb8 colormap_lookup(Colormap map, double t) {
  const Anchors a = anchors(map);
  if (!(t > 0)) t = 0;  // also NaN
  if (t > 1) t = 1;
  const double position = t * (a.count - 1);
  int i = int(std::floor(position));
  if (i >= a.count - 1) i = a.count - 2;
  const double f = position - i;
  auto mix = [&](int shift) {
    const double lo = channel(a.rgb[i], shift), hi = channel(a.rgb[i + 1], shift);
    return uint8_t(std::lround(lo + (hi - lo) * f));
  };
  return {mix(16), mix(8), mix(0)};
}

const char* colormap_name(Colormap map) {
  switch (map) {
    case Colormap::Magma:
      return "magma";
    case Colormap::CoolWarm:
      return "cool-warm";
    case Colormap::Viridis:
      break;
  }
  return "viridis";
}

}  // namespace difflab::plot
