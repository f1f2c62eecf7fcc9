// test_flow_run.cpp — the flow panel's run: from the shipped checkpoints (what the panel shows cold) and
// trained live in a few hundred steps. Not the drawing (panel_flow.cpp) and not the flow maths
// (test_flow.cpp).
#include <doctest/doctest.h>

#include <cstdio>

#include "train/flow_run.h"

using namespace difflab;

namespace {
std::string ckpt(const std::string& name) {
  return std::string(DIFFLAB_SOURCE_DIR) + "/checkpoints/2d/" + name;
}
}  // namespace

TEST_CASE("flow run from the shipped checkpoints: Reflow straightens the paths and one Euler step suffices") {
  FlowRunConfig c;
  c.flow_checkpoints = {ckpt("flow-8gaussians.ckpt"), ckpt("flow-8gaussians-reflow1.ckpt"),
                        ckpt("flow-8gaussians-reflow2.ckpt")};
  c.diffusion_checkpoint = ckpt("8gaussians.ckpt");
  const FlowRunSnapshot s = FlowRun::run_to_end(c);
  REQUIRE(s.error.empty());
  CHECK(s.stage == FlowRunSnapshot::Stage::Done);
  CHECK_FALSE(s.live);
  REQUIRE(s.has_exact);
  REQUIRE(s.has_diffusion);
  std::printf("floor %.3f\n", s.floor);
  const char* names[] = {"exact", "flow", "reflow-1", "reflow-2", "DDIM"};
  const FlowCurve* curves[] = {&s.exact, &s.flows[0], &s.flows[1], &s.flows[2], &s.diffusion};
  for (int k = 0; k < 5; ++k)
    std::printf("%-9s W2 %.3f %.3f %.3f %.3f  straightness %.4f\n", names[k], curves[k]->w2[0],
                curves[k]->w2[1], curves[k]->w2[2], curves[k]->w2[3], curves[k]->straightness);
  // The paths: 40 from the same noise, fine ODE with 50 Heun steps (the exact flow 100).
  CHECK(s.flows[0].states.size() == 51);
  CHECK(s.exact.states.size() == 101);
  CHECK(s.flows[0].states[0] == s.flows[1].states[0]);
  CHECK(s.ddpm.front() == s.flows[0].states[0]);  // DDPM from the same noise
  CHECK(s.flows[0].states[0].size() == 80);
  // Straightness falls by more than 10× with one Reflow round (Liu et al. 2023).
  CHECK(s.flows[1].straightness < 0.1 * s.flows[0].straightness);
  CHECK(s.flows[2].straightness < 0.1 * s.flows[0].straightness);
  // Issue 14 §6: reflow's 1-step W₂ within 2× of the 50-step flow's (here: of the 8-step flow and the floor).
  CHECK(s.flows[1].w2[0] < 2 * s.flows[0].w2[3]);
  CHECK(s.flows[1].w2[0] < 2 * s.floor);
  // The diffusion model read as a velocity follows the same curved flow as the exact one (its straightness
  // was 141× too large while t above its schedule's noisiest level divided the network's error by 1 − t).
  CHECK(s.diffusion.straightness == doctest::Approx(s.exact.straightness).epsilon(0.1));
  CHECK(s.flows[0].straightness == doctest::Approx(s.exact.straightness).epsilon(0.1));
  // The one-step flow (and DDIM) lands at the mean: far from the data.
  CHECK(s.flows[0].w2[0] > 4 * s.floor);
  CHECK(s.diffusion.w2[0] > 4 * s.floor);
}

TEST_CASE("flow run trained live: three rounds in turn, each measured at its last step") {
  FlowRunConfig c;
  c.train_steps = 150;
  c.pairs = 500;
  c.pair_steps = 10;
  c.paths = 8;
  c.fine_steps = 10;
  c.eval_points = 200;
  const FlowRunSnapshot s = FlowRun::run_to_end(c);
  REQUIRE(s.error.empty());
  CHECK(s.live);
  CHECK(s.stage == FlowRunSnapshot::Stage::Done);
  for (const FlowCurve& f : s.flows) {
    CHECK(f.ready);
    CHECK(f.step == 150);
    CHECK(f.states.size() == 11);
  }
  CHECK_FALSE(s.has_diffusion);
  CHECK(s.flows[1].straightness < s.flows[0].straightness);
}
