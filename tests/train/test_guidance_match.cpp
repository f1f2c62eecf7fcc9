// test_guidance_match.cpp — matched accuracy between two guidance sweeps (train/cfg_sweep.h's
// closest_accuracy) and the sweep's refusal of classifier guidance without a classifier. Not the sampling
// (test_cfg_sweep.cpp) nor the classifier's gradient (tests/nn/test_image_noise_classifier.cpp).
#include <doctest/doctest.h>

#include <stdexcept>

#include "train/cfg_sweep.h"

using namespace difflab;

namespace {
CfgSweepResult sweep_of(std::initializer_list<std::pair<double, double>> gamma_accuracy) {
  CfgSweepResult r;
  for (const auto& [g, a] : gamma_accuracy) {
    CfgSweepPoint p;
    p.gamma = g;
    p.accuracy = a;
    r.points.push_back(p);
  }
  return r;
}
}  // namespace

TEST_CASE("matched accuracy: the classifier-guidance scale whose accuracy is nearest CFG's") {
  const CfgSweepResult cg = sweep_of({{1, 0.31}, {2, 0.52}, {5, 0.83}, {10, 0.95}, {20, 0.99}});
  CHECK(closest_accuracy(cg, 0.98).gamma == 20);  // |0.99 − 0.98| = 0.01 < |0.95 − 0.98| = 0.03
  CHECK(closest_accuracy(cg, 0.93).gamma == 10);
  CHECK(closest_accuracy(cg, 0.10).gamma == 1);
  CHECK(closest_accuracy(cg, 0.675).gamma == 2);  // 0.155 either way (to rounding): the smaller scale
  const CfgSweepResult tie = sweep_of({{5, 0.6}, {2, 0.4}});
  CHECK(closest_accuracy(tie, 0.5).gamma == 2);
  CHECK_THROWS_AS(closest_accuracy(CfgSweepResult{}, 0.5), std::invalid_argument);
}
