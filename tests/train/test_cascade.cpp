// test_cascade.cpp — the cascade (train/cascade.h): 2×2 pooling and bilinear ×2 against hand values, noise
// augmentation, the stages' shape checks, an SR checkpoint round trip and the CLI's class check.
// Not a quality test: the shipped stages' FID is measured by `difflab cascade measure` (README).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/cli.h"
#include "nn/backend.h"
#include "train/cascade.h"
#include "train/checkpoint.h"

using namespace difflab;

TEST_CASE("cascade: 2x2 average pooling of a 4x4 ramp") {
  std::vector<float> x(16);
  for (int k = 0; k < 16; ++k) x[k] = static_cast<float>(k);
  // (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4.
  CHECK(downsample_2x(x.data(), 1, 4) == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});
  CHECK_THROWS_AS(downsample_2x(x.data(), 1, 3), std::invalid_argument);
}

TEST_CASE("cascade: bilinear x2 with half-pixel centres (align_corners = False)") {
  // f(r, c) = c + 2r on a 2x2 grid; output index i samples i/2 - 1/4 clamped to [0, 1]: the 1-D weights
  // read 0, 0.25, 0.75, 1 of the way, so the output is c' + 2r' with c', r' in {0, 0.25, 0.75, 1}.
  const std::vector<float> x{0, 1, 2, 3};
  const std::vector<float> y = upsample_2x(x.data(), 1, 2);
  REQUIRE(y.size() == 16);
  const float w[4] = {0, 0.25f, 0.75f, 1};
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) CHECK(y[r * 4 + c] == doctest::Approx(w[c] + 2 * w[r]));
  CHECK(y[1 * 4 + 2] == doctest::Approx(1.25));  // 0.75 + 2·0.25
  // A constant image stays constant; two images do not mix.
  std::vector<float> two(2 * 196);
  for (int k = 0; k < 196; ++k) two[k] = 0.5f, two[196 + k] = -1;
  const std::vector<float> up = upsample_2x(two.data(), 2, 14);
  REQUIRE(up.size() == 2 * 784);
  CHECK(up[0] == 0.5f);
  CHECK(up[783] == 0.5f);
  CHECK(up[784] == -1.0f);
}

TEST_CASE("cascade: noise augmentation is the identity at s = 0 and variance-preserving") {
  std::vector<float> z{0.5f, -1.0f, 0.25f}, noise{1.0f, 2.0f, -3.0f};
  std::vector<float> same = z;
  noise_augment(same.data(), noise.data(), same.size(), 0.0);
  CHECK(same == z);
  // s = 0.36: √0.64 z + √0.36 ε = 0.8 z + 0.6 ε.
  std::vector<float> mixed = z;
  noise_augment(mixed.data(), noise.data(), mixed.size(), 0.36);
  CHECK(mixed[0] == doctest::Approx(0.8 * 0.5 + 0.6 * 1.0));
  CHECK(mixed[1] == doctest::Approx(0.8 * -1.0 + 0.6 * 2.0));
  std::vector<float> all_noise = z;
  noise_augment(all_noise.data(), noise.data(), all_noise.size(), 1.0);
  CHECK(all_noise[2] == doctest::Approx(-3.0));
}

TEST_CASE("cascade: the stages' shapes, and the message for a wrong one") {
  CHECK_NOTHROW(check_cascade_stage(cascade_base_config(), CascadeStageKind::Base, "b.ckpt"));
  CHECK_NOTHROW(check_cascade_stage(cascade_sr_config(), CascadeStageKind::Sr, "s.ckpt"));
  CHECK_NOTHROW(validate(cascade_base_config()));
  CHECK_NOTHROW(validate(cascade_sr_config()));
  UNetConfig one_channel = cascade_sr_config();
  one_channel.in_channels = 1;
  CHECK_THROWS_WITH_AS(
      check_cascade_stage(one_channel, CascadeStageKind::Sr, "s.ckpt"),
      "s.ckpt: the cascade's super-resolution stage needs a 28x28 U-Net with in_channels 3 (or "
      "2 before s was an input), this checkpoint has 28x28 with in_channels 1",
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(check_cascade_stage(cascade_sr_config(), CascadeStageKind::Base, "b.ckpt"),
                       "b.ckpt: the cascade's base stage needs a 14x14 U-Net with in_channels 1, this "
                       "checkpoint has 28x28 with in_channels 3",
                       std::invalid_argument);
}

namespace {

std::string write_stage(const UNetConfig& config, const std::string& name) {
  auto backend = make_cpu_backend();
  UNet net(config, *backend);
  net.init_params(3);
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = net.config_map();
  ck.schedule = ScheduleConfig{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  ck.dataset = "fashion-mnist";
  ck.ema_params.resize(net.num_params());
  backend->read(net.params(), ck.ema_params.data());
  const std::string path = "/tmp/difflab_test_cascade_" + name + ".ckpt";
  save_checkpoint(path, ck);
  return path;
}

}  // namespace

TEST_CASE("cascade: an SR checkpoint round trip, its sampling shape, and the CLI's refusals") {
  const std::string sr_path = write_stage(cascade_sr_config(), "sr");
  const std::string base_path = write_stage(cascade_base_config(), "base");
  auto sr = load_cascade_stage(sr_path, CascadeStageKind::Sr);
  CHECK(sr->net->config().in_channels == 3);
  CHECK(sr->net->dim() == 3 * 784);
  CHECK(cascade_sr_reads_s(*sr));
  std::vector<float> loaded(sr->net->num_params());
  sr->backend->read(sr->net->params(), loaded.data());
  CHECK(loaded == load_checkpoint(sr_path).ema_params);
  CHECK_THROWS_WITH_AS(load_cascade_stage(sr_path, CascadeStageKind::Base),
                       doctest::Contains("base stage needs a 14x14 U-Net with in_channels 1"),
                       std::invalid_argument);
  // Sampling: 2 images of 28×28 in [−1, 1] from 2 low-res ones, at 2 DDIM steps.
  const std::vector<float> low(2 * 196, 0.25f);
  const std::vector<float> high = sample_cascade_sr(*sr, low, 2, {3, 4}, kCascadeSampleAug, 2, 7);
  REQUIRE(high.size() == 2 * 784);
  for (float v : high) CHECK((std::isfinite(v) && v >= -1 && v <= 1));
  CHECK_THROWS_AS(sample_cascade_sr(*sr, std::vector<float>(196), 2, {0}, 0, 2, 7), std::invalid_argument);
  // The CLI: an SR checkpoint given as the base, and a class out of range.
  const std::string out = "/tmp/difflab_test_cascade.png";
  const char* swapped[] = {"difflab", "cascade",       "sample", "--base",   sr_path.c_str(),
                           "--sr",    sr_path.c_str(), "--out",  out.c_str()};
  CHECK_THROWS_WITH_AS(cli_cascade(9, const_cast<char**>(swapped)),
                       doctest::Contains("needs a 14x14 U-Net with in_channels 1, this checkpoint has 28x28"),
                       std::invalid_argument);
  const char* bad_class[] = {"difflab",       "cascade", "sample", "--base", base_path.c_str(), "--sr",
                             sr_path.c_str(), "--class", "10",     "--out",  out.c_str()};
  CHECK_THROWS_WITH_AS(cli_cascade(11, const_cast<char**>(bad_class)),
                       "--class 10 is out of range: the base has classes 0..9", UsageError);
  std::remove(sr_path.c_str());
  std::remove(base_path.c_str());
}

TEST_CASE("cascade: the SR net reads s, and a 2-channel SR checkpoint from before s still loads") {
  // A 3-channel SR net whose weights are random: the output at the same x_T, z and noise must change with s
  // alone (the s plane is an input the net reads); at the same s it is the same.
  const std::string sr_path = write_stage(cascade_sr_config(), "sr_s");
  auto sr = load_cascade_stage(sr_path, CascadeStageKind::Sr);
  std::vector<float> low(2 * 196);
  for (size_t k = 0; k < low.size(); ++k) low[k] = static_cast<float>(std::sin(0.1 * k));
  const std::vector<float> a = sample_cascade_sr(*sr, low, 2, {1, 2}, 0.0, 2, 5);
  const std::vector<float> a2 = sample_cascade_sr(*sr, low, 2, {1, 2}, 0.0, 2, 5);
  CHECK(a == a2);
  // One forward by hand with the same x_t and z, only the s plane changed (0 → 0.5): ε̂ changes.
  const int D = 784;
  std::vector<float> in(3 * D), out0(3 * D), out1(3 * D);
  for (int k = 0; k < D; ++k) in[3 * k] = static_cast<float>(std::cos(0.05 * k)), in[3 * k + 1] = 0.1f;
  const float t = 500;
  const int label = 1;
  sr->net->forward(in.data(), &t, &label, 1, out0.data());
  for (int k = 0; k < D; ++k) in[3 * k + 2] = 0.5f;
  sr->net->forward(in.data(), &t, &label, 1, out1.data());
  double diff = 0;
  for (int k = 0; k < D; ++k) diff += std::fabs(out1[3 * k] - out0[3 * k]);
  CHECK(diff / D > 1e-4);
  // The same through the sampler: s = 0.2 against s = 0 changes both z and the plane, so the samples differ.
  const std::vector<float> b = sample_cascade_sr(*sr, low, 2, {1, 2}, 0.2, 2, 5);
  CHECK(b != a);
  // A 2-channel checkpoint (written before s was an input) loads, samples, and says it does not read s.
  UNetConfig legacy = cascade_sr_config();
  legacy.in_channels = kCascadeSrLegacyChannels;
  const std::string legacy_path = write_stage(legacy, "sr_legacy");
  auto old = load_cascade_stage(legacy_path, CascadeStageKind::Sr);
  CHECK_FALSE(cascade_sr_reads_s(*old));
  CHECK(old->net->dim() == 2 * 784);
  const std::vector<float> c = sample_cascade_sr(*old, low, 2, {1, 2}, 0.1, 2, 5);
  CHECK(c.size() == 2 * 784);
  std::remove(sr_path.c_str());
  std::remove(legacy_path.c_str());
}

TEST_CASE("cascade: the shipped SR stage is told s, as lesson 15 and the panel caption say") {
  auto sr = load_cascade_stage(DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-cascade-sr.ckpt",
                               CascadeStageKind::Sr);
  CHECK(cascade_sr_reads_s(*sr));
  CHECK(sr->net->dim() == 3 * 784);  // x_t, the upsampled base, the s plane
}

TEST_CASE("cascade: the SR objective puts s in the third channel") {
  // One training step of a 3-channel net on 4 constant images: the loss is finite, and a 2-channel net
  // trains through the same objective (the legacy layout).
  ImageDataset data;
  data.count = 4;
  data.height = data.width = 28;
  data.channels = 1;
  data.pixels.assign(4 * 784, 0.5f);
  data.labels = {0, 1, 2, 3};
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{ScheduleKind::Linear, 1000, 1e-4, 0.02});
  for (int channels : {kCascadeSrChannels, kCascadeSrLegacyChannels}) {
    CAPTURE(channels);
    auto backend = make_cpu_backend();
    UNetConfig config = cascade_sr_config();
    config.in_channels = channels;
    UNet net(config, *backend);
    net.init_params(1);
    TrainLoop loop;
    loop.add_part("model", net, {AdamWConfig{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.999f, 100});
    CascadeSrObjective objective(net, schedule, data, 2, kCascadeTrainAugMax, 0.1, 0);
    const StepResult r = loop.step(objective);
    CHECK(std::isfinite(r.loss));
    CHECK_FALSE(r.diverged);
  }
  UNetConfig one = cascade_sr_config();
  one.in_channels = 1;
  auto backend = make_cpu_backend();
  UNet net(one, *backend);
  CHECK_THROWS_AS(CascadeSrObjective(net, schedule, data, 2, 0.5, 0.1, 0), std::invalid_argument);
}

TEST_CASE("cascade: image roughness is the mean squared Laplacian") {
  // A constant image has none; a single bright pixel in the middle of a 4x4 zero image has Laplacian −4 at
  // itself and +1 at its 4 neighbours: (16 + 4) / 16.
  std::vector<float> flat(16, 0.3f);
  CHECK(image_roughness(flat.data(), 4) == doctest::Approx(0.0));
  std::vector<float> dot(16, 0.0f);
  dot[1 * 4 + 1] = 1;
  CHECK(image_roughness(dot.data(), 4) == doctest::Approx(20.0 / 16));
}
