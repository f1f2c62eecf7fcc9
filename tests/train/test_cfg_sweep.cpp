// test_cfg_sweep.cpp — the guidance sweep on a tiny class-conditional U-Net: γ = 0 is the unconditional model
// from the same x_T, accuracy is the classifier's own verdict per class, FID floors use each class's images.
// Not a trained model's numbers (`difflab eval --guidance-sweep` on the shipped checkpoint).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "nn/classifier.h"
#include "nn/unet_denoiser.h"
#include "train/cfg_sweep.h"
#include "train/classifier_trainer.h"
#include "train/image_quality.h"

#include "tiny_unet.h"

using namespace difflab;

TEST_CASE("guidance lists: numbers in (0, 100), anything else names the item") {
  CHECK(parse_gamma_list("0,1,2,3,5,7.5") == std::vector<double>{0, 1, 2, 3, 5, 7.5});
  CHECK_THROWS_WITH_AS(parse_gamma_list("0,x"), doctest::Contains("'x'"), std::invalid_argument);
  CHECK_THROWS_AS(parse_gamma_list("-1"), std::invalid_argument);
  CHECK_THROWS_AS(parse_gamma_list("101"), std::invalid_argument);
  CHECK_THROWS_AS(parse_gamma_list("1,,2"), std::invalid_argument);
  CHECK_THROWS_AS(parse_gamma_list("nan"), std::invalid_argument);
}

TEST_CASE("the sweep: γ = 0 is the unconditional model from the same x_T, accuracy is the classifier's") {
  const int K = 3, P = 2, side = 8, D = side * side;
  UNetConfig uc = test::tiny_unet(false, side);
  uc.num_classes = K;
  auto backend = make_cpu_backend();
  UNet unet(uc, *backend);
  unet.init_params(3);
  ClassifierConfig cc;
  cc.channels = {8, 8, 8};
  cc.groups = 4;
  cc.height = cc.width = side;
  cc.num_classes = K;
  Classifier classifier(cc, *backend);
  classifier.init_params(4);
  ImageDataset test;
  test.count = 3 * K * (P + 2);
  test.height = test.width = side;
  test.num_classes = K;
  Rng rng(5);
  for (int i = 0; i < test.count; ++i) {
    test.labels.push_back(i % K);
    for (int d = 0; d < D; ++d)
      test.pixels.push_back(static_cast<float>(std::tanh(rng.normal() + 0.3 * (i % K))));
  }
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  CfgSweepConfig config;
  config.gammas = {0, 1, 4};
  config.per_class = P;
  config.sampler = fid_sampler_config(3);
  config.seed = 11;
  long last_done = 0, last_total = 0;
  const CfgSweepResult r =
      run_cfg_sweep(unet, schedule, classifier, test, config, [&](long done, long total) {
        last_done = done;
        last_total = total;
      });
  REQUIRE(r.points.size() == 3);
  CHECK(last_total == 3 * 3);
  CHECK(last_done == last_total);
  CHECK_FALSE(r.cancelled);

  // γ = 0: plain DDIM on the null class from standard_normal(K·P·D, seed).
  UNetDenoiser unconditional(unet, schedule, {}, -1);
  Sampler s(unconditional, fid_sampler_config(3));
  s.begin(standard_normal(K * P * D, config.seed), config.seed + 1);
  s.run();
  REQUIRE(r.points[0].images.size() == s.x().size());
  for (size_t i = 0; i < s.x().size(); ++i) REQUIRE(std::abs(r.points[0].images[i] - s.x()[i]) < 1e-5f);
  // γ = 4 guides: different images from γ = 1.
  double moved = 0;
  for (size_t i = 0; i < s.x().size(); ++i) moved += std::abs(r.points[2].images[i] - r.points[1].images[i]);
  CHECK(moved > 1e-3);

  for (const CfgSweepPoint& q : r.points) {
    const std::vector<int> predicted = classify(classifier, q.images.data(), K * P);
    double mean = 0;
    for (int k = 0; k < K; ++k) {
      int right = 0;
      for (int i = 0; i < P; ++i) right += predicted[k * P + i] == k;
      CHECK(q.accuracy_per_class[k] == doctest::Approx(static_cast<double>(right) / P));
      mean += q.accuracy_per_class[k] / K;
      CHECK(std::isfinite(q.fid_per_class[k]));
    }
    CHECK(q.accuracy == doctest::Approx(mean));
    CHECK(q.network_evaluations == 3);
  }
  // Class 1's floor: its last P test images against the rest of class 1's.
  std::vector<float> class1;
  for (int i = 0; i < test.count; ++i)
    if (test.labels[i] == 1) class1.insert(class1.end(), test.image(i), test.image(i) + D);
  const int n1 = static_cast<int>(class1.size() / D);
  const FidReference ref =
      make_fid_reference(classifier, class1.data(), n1 - P, class1.data() + (n1 - P) * D, P);
  CHECK(r.class_fid_floor[1] == doctest::Approx(ref.floor));

  // An unconditional U-Net is refused.
  UNet plain(test::tiny_unet(false, side), *backend);
  plain.init_params(1);
  CHECK_THROWS_AS(run_cfg_sweep(plain, schedule, classifier, test, config), std::invalid_argument);
}
