// test_flow_race.cpp — the live DiT-vs-U-Net race (train/flow_race.h): the curves it records are the losses
// two independent ImageTrainers with the same settings produce step by step, both nets see the same
// minibatches, the snapshot's counts and views, and a wrong checkpoint is refused with its name.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "nn/backend_factory.h"
#include "nn/dit.h"
#include "tiny_unet.h"
#include "train/checkpoint.h"
#include "train/flow_race.h"
#include "train/image_flow_objective.h"

using namespace difflab;

namespace {

// 8×8 images: a bright 4×4 square on a dark background at one of two places.
ImageDataset squares() {
  ImageDataset d;
  d.count = 32;
  d.height = d.width = 8;
  d.pixels.assign(d.count * 64, -1.0f);
  for (int i = 0; i < d.count; ++i)
    for (int y = 2; y < 6; ++y)
      for (int x = (i % 2) * 4; x < (i % 2) * 4 + 4; ++x) d.pixels[i * 64 + y * 8 + x] = 1.0f;
  return d;
}

DiTConfig tiny_dit() {
  DiTConfig c;
  c.name = "tiny";
  c.hidden = 16;
  c.depth = 1;
  c.heads = 2;
  c.patch = 2;
  c.mlp_ratio = 2;
  c.height = c.width = 8;
  return c;
}

// A header-only checkpoint of the architecture (the race reads its model keys, not its weights).
std::string write_architecture(const std::string& family, const ModelConfigMap& config, size_t params,
                               const std::string& name) {
  Checkpoint ck;
  ck.architecture = family;
  ck.model_config = config;
  ck.flow = family == "dit" || family == "unet";
  ck.prediction = Prediction::Eps;
  ck.schedule = ScheduleConfig{ScheduleKind::Linear, 1000, 1e-4, 0.02};
  ck.dataset = "fashion-mnist";
  ck.ema_params.assign(params, 0.0f);
  const std::string path = "/tmp/difflab_test_flow_race_" + name + ".ckpt";
  save_checkpoint(path, ck);
  return path;
}

ImageTrainConfig reference_config(const std::string& family, const DiTConfig& dit, const UNetConfig& unet) {
  ImageTrainConfig c;
  c.family = family;
  if (family == "dit")
    c.family_config = dit_config_map(dit);
  else
    c.model = unet;
  c.objective = "flow";
  c.flow_time = "logit-normal";
  c.batch = 4;
  c.steps = 6;
  c.optimizer.lr = 1e-3f;
  c.seed = 0;
  c.threads = 1;
  return c;
}

}  // namespace

TEST_CASE("flow race: the recorded curves are each net's own training losses, on the same minibatches") {
  const DiTConfig dit = tiny_dit();
  const UNetConfig unet = test::tiny_unet(false, 8);
  const std::string dit_path = write_architecture("dit", dit_config_map(dit), dit_param_count(dit), "dit");
  auto backend = make_cpu_backend();
  const size_t unet_params = UNet(unet, *backend).num_params();
  const std::string unet_path =
      write_architecture("unet", UNet(unet, *backend).config_map(), unet_params, "unet");
  FlowRaceJob::Settings settings;
  settings.dit_checkpoint = dit_path;
  settings.unet_checkpoint = unet_path;
  settings.steps = 6;
  settings.batch = 4;
  settings.threads = 1;
  FlowRaceJob job(settings);
  job.start_with(squares());
  while (!job.finished()) REQUIRE_FALSE(job.step().diverged);
  CHECK(job.step_count() == 6);
  // The same settings trained apart: the race's recorded losses are these, value for value.
  for (int k = 0; k < kFlowRaceNets; ++k) {
    CAPTURE(k);
    ImageTrainer alone(reference_config(k == 0 ? "dit" : "unet", dit, unet), squares());
    const SeriesView<double> recorded = job.losses(k).view();
    REQUIRE(recorded.size() == 6);
    for (int s = 0; s < 6; ++s) CHECK(recorded[s] == alone.step().loss);
  }
  // Both objectives draw the same x₀, ε, t and labels (the seed, not the net, decides the batch).
  const ImageTrainConfig c0 = reference_config("dit", dit, unet), c1 = reference_config("unet", dit, unet);
  const ImageDataset data = squares();
  ImageFlowObjective a(c0, job.trainer(0).model(), data), b(c1, job.trainer(1).model(), data);
  for (int s = 0; s < 3; ++s) {
    const ImageFlowBatch x = a.draw_batch(), y = b.draw_batch();
    CHECK(x.x0 == y.x0);
    CHECK(x.eps == y.eps);
    CHECK(x.t == y.t);
  }
  // The snapshot: step, limit, parameter counts, positive images/s, the curves as views of the series.
  RunInfo info;
  auto snap = std::static_pointer_cast<const FlowRaceSnapshot>(job.snapshot(info));
  CHECK(snap->step == 6);
  CHECK(snap->steps == 6);
  CHECK(snap->params[0] == dit_param_count(dit));
  CHECK(snap->params[1] == unet_params);
  for (int k = 0; k < kFlowRaceNets; ++k) {
    CHECK(snap->images_per_s[k] > 0);
    CHECK(snap->loss[k].size() == 6);
    CHECK(snap->loss[k][5] == job.losses(k).view()[5]);
  }
  std::remove(dit_path.c_str());
  std::remove(unet_path.c_str());
}

TEST_CASE("flow race: a checkpoint of the wrong family is refused with its name") {
  const DiTConfig dit = tiny_dit();
  const std::string dit_path = write_architecture("dit", dit_config_map(dit), dit_param_count(dit), "dit2");
  FlowRaceJob::Settings settings;
  settings.dit_checkpoint = dit_path;
  settings.unet_checkpoint = dit_path;  // a DiT where the U-Net should be
  FlowRaceJob job(settings);
  CHECK_THROWS_WITH_AS(job.start_with(squares()), doctest::Contains("architecture dit, not unet"),
                       std::invalid_argument);
  std::remove(dit_path.c_str());
}
