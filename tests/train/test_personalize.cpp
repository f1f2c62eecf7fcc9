// test_personalize.cpp — textual inversion's row gradient against finite differences, the frozen network, the
// class-table round trip, DreamBooth's loss (subject + λ prior) and the held-out-class data filter.
// Not the trained numbers (`difflab finetune` on the shipped 9-class checkpoint, README).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "train/personalize.h"

#include "tiny_unet.h"

using namespace difflab;

namespace {

ImageDataset toy_data(int count, int side, int classes) {
  ImageDataset d;
  d.count = count;
  d.height = d.width = side;
  d.num_classes = classes;
  Rng rng(7);
  for (int i = 0; i < count; ++i) {
    d.labels.push_back(i % classes);
    for (int k = 0; k < side * side; ++k)
      d.pixels.push_back(static_cast<float>(std::tanh(rng.normal() + 0.5 * (i % classes))));
  }
  return d;
}

std::vector<float> read_all(UNet& net) {
  std::vector<float> v(net.num_params());
  net.backend().read(net.params(), v.data());
  return v;
}

}  // namespace

TEST_CASE("the held-out class: without_class drops exactly its images, subject_images takes the first ones") {
  const ImageDataset d = toy_data(30, 4, 3);
  const ImageDataset rest = without_class(d, 1);
  CHECK(rest.count == 20);  // 30 images, every third of class 1
  for (int label : rest.labels) CHECK(label != 1);
  CHECK(rest.pixels.size() == 20u * 16u);
  CHECK(std::vector<float>(rest.image(1), rest.image(1) + 16) ==
        std::vector<float>(d.image(2), d.image(2) + 16));
  const std::vector<float> s = subject_images(d, 1, 2, 1);  // class 1 = images 1, 4, 7, …; skip one
  CHECK(std::vector<float>(s.begin(), s.begin() + 16) == std::vector<float>(d.image(4), d.image(4) + 16));
  CHECK(std::vector<float>(s.begin() + 16, s.end()) == std::vector<float>(d.image(7), d.image(7) + 16));
  CHECK_THROWS_WITH_AS(without_class(d, 3), doctest::Contains("class 3 does not exist"),
                       std::invalid_argument);
  CHECK_THROWS_AS(subject_images(d, 1, 11), std::invalid_argument);  // class 1 has 10 images
}

TEST_CASE("a class row written into the weights is what the U-Net reads for that class") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 3;
  auto backend = make_cpu_backend();
  UNet net(c, *backend);
  net.init_params(1);
  std::vector<float> params = read_all(net);
  std::vector<float> row(net.cond_dim());
  for (size_t i = 0; i < row.size(); ++i) row[i] = 0.25f * static_cast<float>(i) - 1.0f;
  write_class_row(net, &params, 2, row.data());
  net.backend().write(net.params(), params.data());
  std::vector<float> got(net.cond_dim());
  net.read_class_row(2, got.data());
  CHECK(got == row);
  net.read_class_row(1, got.data());
  CHECK(got != row);
  CHECK_THROWS_AS(write_class_row(net, &params, 4, row.data()), std::invalid_argument);  // rows 0 … 3
}

TEST_CASE("textual inversion: the row's gradient matches finite differences, the network stays frozen") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 3;
  auto backend = make_cpu_backend();
  UNet net(c, *backend);
  net.init_params(2);
  const ImageDataset d = toy_data(12, 8, 3);
  const std::vector<float> before = read_all(net);
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  TextualInversionConfig tc;
  tc.batch = 4;
  tc.lr = 0.05f;
  TextualInversion ti(net, schedule, subject_images(d, 2, 3), 3, tc);
  // The row starts as the null class's row.
  std::vector<float> null_row(net.cond_dim());
  net.read_class_row(-1, null_row.data());
  CHECK(ti.row() == null_row);

  std::vector<float> row = ti.row();
  const double base = ti.loss_at(row, 99, true);
  const std::vector<float> g = ti.last_gradient();
  CHECK(std::isfinite(base));
  double worst = 0;
  for (int k : {0, 5, 17, 31}) {
    const float h = 1e-2f;
    std::vector<float> plus = row, minus = row;
    plus[k] += h;
    minus[k] -= h;
    const double numeric = (ti.loss_at(plus, 99) - ti.loss_at(minus, 99)) / (2.0 * h);
    worst = std::max(worst, std::abs(numeric - g[k]) / (std::abs(numeric) + 1e-4));
  }
  CHECK(worst < 0.05);

  const double fixed_before = ti.loss_at(ti.row(), 123);
  for (int s = 0; s < 60; ++s) ti.step();
  CHECK(ti.step_count() == 60);
  CHECK(ti.row() != null_row);
  CHECK(ti.loss_at(ti.row(), 123) < fixed_before);  // the same noisy batch is denoised better
  CHECK(read_all(net) == before);                   // every weight of the network untouched
}

TEST_CASE("DreamBooth: the loss is subject + λ · prior, plain fine-tuning has no prior term") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 3;
  auto backend = make_cpu_backend();
  UNet net(c, *backend);
  net.init_params(3);
  const ImageDataset d = toy_data(12, 8, 3);
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  std::vector<float> prior(d.image(0), d.image(0) + 2 * d.dim());
  DreamBoothConfig dc;
  dc.batch = 3;
  dc.token = 2;
  dc.prior_weight = 0.5f;
  dc.lr = 1e-3f;
  {
    TrainLoop loop;
    loop.add_part("model", net, {{dc.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
    DreamBoothObjective objective(net, schedule, subject_images(d, 2, 3), 3, prior, {0, 1}, dc);
    const std::vector<float> before = read_all(net);
    const StepResult r = loop.step(objective);
    CHECK(objective.last_prior_loss() > 0);
    CHECK(r.loss == doctest::Approx(objective.last_subject_loss() + 0.5 * objective.last_prior_loss()));
    CHECK(read_all(net) != before);  // the whole network is fine-tuned
  }
  dc.prior_weight = 0;
  TrainLoop loop;
  loop.add_part("model", net, {{dc.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
  DreamBoothObjective plain(net, schedule, subject_images(d, 2, 3), 3, {}, {}, dc);
  const StepResult r = loop.step(plain);
  CHECK(plain.last_prior_loss() == 0);
  CHECK(r.loss == doctest::Approx(plain.last_subject_loss()));
  dc.token = 3;  // rows 0 … 2 are classes; 3 is the null row
  CHECK_THROWS_WITH_AS(DreamBoothObjective(net, schedule, subject_images(d, 2, 3), 3, {}, {}, dc),
                       doctest::Contains("token"), std::invalid_argument);
  dc.token = 2;
  dc.prior_weight = 1;
  CHECK_THROWS_WITH_AS(DreamBoothObjective(net, schedule, subject_images(d, 2, 3), 3, {}, {}, dc),
                       doctest::Contains("prior"), std::invalid_argument);
}
