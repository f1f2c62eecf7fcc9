// test_image_training.cpp — the image trainer on a tiny U-Net (a few steps), U-Net checkpoints, PNG grids.
// Not a quality test: Fashion-MNIST training is minutes long; this checks the loop, the files and the
// contract.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

#include "nn/unet_denoiser.h"
#include "train/checkpoint.h"
#include "train/image_grid.h"
#include "train/image_trainer.h"
#include "train/model_source.h"

#include "tiny_unet.h"

using namespace difflab;

namespace {

// 8×8 images: a bright square on a dark background at one of two places, labels 0 and 1.
ImageDataset squares() {
  ImageDataset d;
  d.count = 32;
  d.height = d.width = 8;
  d.pixels.assign(d.count * 64, -1.0f);
  for (int i = 0; i < d.count; ++i) {
    const int at = (i % 2) * 4;
    for (int y = 2; y < 6; ++y)
      for (int x = at; x < at + 4; ++x) d.pixels[i * 64 + y * 8 + x] = 1.0f;
    d.labels.push_back(i % 2);
  }
  d.num_classes = 2;
  return d;
}

}  // namespace

TEST_CASE("image trainer: a tiny U-Net's L_simple falls within 60 steps and stays finite") {
  ImageTrainConfig c;
  c.model = test::tiny_unet(true);
  c.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};
  c.batch = 16;
  c.threads = 2;
  c.optimizer.lr = 3e-3f;
  ImageTrainer trainer(c, squares());
  double first = 0, last = 0;
  for (int i = 0; i < 60; ++i) {
    const StepResult r = trainer.step();
    REQUIRE(std::isfinite(r.loss));
    if (i < 10) first += r.loss / 10;
    if (i >= 50) last += r.loss / 10;
  }
  CHECK(first > 0.5);  // ε̂ ≈ 0 at the start: E[ε²] = 1
  CHECK(last < 0.8 * first);
  const std::vector<float> images = trainer.sample(2, 7, 10);
  CHECK(images.size() == 2 * 64);
  for (float v : images) CHECK(std::isfinite(v));
}

TEST_CASE("U-Net checkpoint: save, load and predict the same eps, a wrong size is rejected") {
  ImageTrainConfig c;
  c.model = test::tiny_unet(true);
  c.model.num_classes = 2;
  c.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};
  c.batch = 4;
  c.threads = 1;
  ImageTrainer trainer(c, squares());
  for (int i = 0; i < 3; ++i) trainer.step();
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.dataset = "idx:squares";
  ck.step = trainer.step_count();
  ck.ema_params = trainer.read_params(true);
  const std::string path = (std::filesystem::temp_directory_path() / "difflab_test_unet.ckpt").string();
  save_checkpoint(path, ck);
  auto loaded = load_model(path, "", std::nullopt);
  REQUIRE(loaded->is_image());
  CHECK(loaded->network->family() == "unet");
  CHECK(loaded->model().dim() == 64);
  CHECK(loaded->num_classes == 2);
  CHECK(loaded->image_height == 8);
  std::vector<float> x(2 * 64, 0.3f), a(2 * 64), b(2 * 64);
  loaded->model().predict_eps(x.data(), 2, 40, a.data());
  UNetDenoiser direct(trainer.model(), trainer.schedule(), trainer.ema_params());
  direct.predict_eps(x.data(), 2, 40, b.data());
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-5));

  std::string bytes = serialize_checkpoint(ck);
  const size_t at = bytes.find("channels = 8,16");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 15, "channels = 8,24");
  CHECK_THROWS_WITH_AS(parse_checkpoint(bytes, "x.ckpt"), doctest::Contains("do not match the architecture"),
                       CheckpointError);
}

TEST_CASE(
    "PNG grid: -1 is black, 1 is white, tiles laid out in columns with grey padding (decoded by stb_image)") {
  // Two 2×3 images: the first all −1, the second all 1; one column, padding 1 → a 5 × 7 image.
  std::vector<float> images(12, -1.0f);
  for (int i = 6; i < 12; ++i) images[i] = 1.0f;
  const std::string png = encode_png_grid(images, 2, 2, 3, 1, 1);
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                                                static_cast<int>(png.size()), &w, &h, &channels, 1);
  REQUIRE(pixels);
  CHECK(w == 5);
  CHECK(h == 7);
  CHECK(pixels[0] == 128);          // padding
  CHECK(pixels[1 * 5 + 1] == 0);    // first image
  CHECK(pixels[4 * 5 + 3] == 255);  // second image, row 4 = 1 + 2 + 1
  stbi_image_free(pixels);
}

TEST_CASE("image training gives the same bytes on 1 and 2 threads (same seed)") {
  ImageTrainConfig c;
  c.model = test::tiny_unet(true, 8);
  c.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};
  c.batch = 8;
  c.seed = 5;
  c.threads = 1;
  ImageTrainer one(c, squares());
  c.threads = 2;
  ImageTrainer two(c, squares());
  for (int i = 0; i < 3; ++i) {
    const StepResult a = one.step(), b = two.step();
    CHECK(a.loss == b.loss);
    CHECK(a.grad_norm == b.grad_norm);
  }
  CHECK(one.read_params(false) == two.read_params(false));
  CHECK(one.read_params(true) == two.read_params(true));
  CHECK(one.sample(3, 11, 4) == two.sample(3, 11, 4));  // DDIM-4 from the EMA weights
}
