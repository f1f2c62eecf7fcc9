// test_unet_features.cpp — the feature maps the architecture picture shows: one per module, the resolutions
// and channel counts of the classroom U-Net as issue 5 defines it, and the last one equal to the output.
// Not a gradient test (test_image_ops.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/rng.h"
#include "nn/unet.h"

using namespace difflab;

TEST_CASE("feature maps follow the classroom U-Net: 28 → 14 → 7 and back, the last one is the output") {
  UNetConfig config;
  REQUIRE(unet_preset("classroom", &config));
  auto backend = make_cpu_backend();
  UNet net(config, *backend);
  net.init_params(1);
  Rng rng(2);
  std::vector<float> x(2 * 784), out(2 * 784);
  for (float& v : x) v = static_cast<float>(rng.normal());
  const float t[2] = {10, 500};
  net.forward(x.data(), t, nullptr, 2, out.data());
  const auto maps = net.feature_maps(1, 4);
  REQUIRE(maps.size() > 10);
  CHECK(maps.front().kind == "conv");
  CHECK(maps.front().side == 28);
  CHECK(maps.front().channels == config.channels[0]);
  std::set<int> sides;
  bool attention_at_7 = false;
  for (const auto& f : maps) {
    sides.insert(f.side);
    attention_at_7 |= f.kind == "attention" && f.side == 7;
    CHECK(f.maps.size() == static_cast<size_t>(std::min(4, f.channels)) * f.side * f.side);
  }
  CHECK(sides == std::set<int>{7, 14, 28});
  CHECK(attention_at_7);  // middle attention only
  // The last module is conv_out: its single map is image 1's output.
  const auto& last = maps.back();
  REQUIRE(last.channels == 1);
  for (int i = 0; i < 784; ++i) CHECK(last.maps[i] == out[784 + i]);
  CHECK(net.feature_maps(2, 4).empty());  // no such image in the last batch
}

TEST_CASE("a U-Net's parameter count comes from its layout alone, without allocating the weights") {
  UNetConfig config;
  REQUIRE(unet_preset("classroom", &config));
  // 636,465: the tensor size written in the shipped checkpoints/fashion-mnist-classroom.ckpt header.
  CHECK(UNet::count_params(config) == 636465);
  auto backend = make_cpu_backend();
  CHECK(UNet(config, *backend).num_params() == UNet::count_params(config));
  // A header that claims 1616 channels (fuzz/regressions/checkpoint/unet-1616-channels-header.ckpt) is
  // counted, not built: 283 M parameters would cost over 2 GB as weights and gradients.
  config.channels = {1616, 32, 32};
  CHECK(unet_param_count(config) == 282934513);
}
