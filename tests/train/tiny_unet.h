// tiny_unet.h — the small U-Net the image-training tests share: two levels (8, 16 channels), one ResBlock
// each. Not a preset of the app (nn/unet.h has those): small enough to train a few steps in a test.
#pragma once

#include "nn/unet.h"

namespace difflab::test {

inline UNetConfig tiny_unet(bool mid_attention, int side = 28) {
  UNetConfig c;
  c.name = "tiny";
  c.channels = {8, 16};
  c.attention = {0, 0};
  c.mid_attention = mid_attention;
  c.layers = 1;
  c.groups = 4;
  c.head_dim = 8;
  c.height = c.width = side;
  return c;
}

}  // namespace difflab::test
