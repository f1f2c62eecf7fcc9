// test_training.cpp — a small model trained inside the test reaches a sliced-W2 threshold; divergence,
// live training and checkpoints. Not a benchmark.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/file_io.h"
#include "core/metrics.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/live_trainer.h"
#include "train/model_source.h"
#include "train/trainer.h"

using namespace difflab;

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("difflab-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}
}  // namespace

TEST_CASE("default training on moons reaches sliced W2 within 2x of the data-vs-data floor") {
  TrainConfig c;  // the defaults `difflab train` uses
  c.dataset = "moons";
  Trainer trainer(c);
  const double before = trainer.evaluate_swd();
  for (int i = 0; i < c.steps; ++i) REQUIRE_FALSE(trainer.step().diverged);
  const double after = trainer.evaluate_swd();
  CAPTURE(before);
  CAPTURE(trainer.swd_floor());
  CHECK(after < 2.0 * trainer.swd_floor());
  CHECK(before > 4.0 * trainer.swd_floor());  // untrained samples are far from the data
}

TEST_CASE("training is deterministic in its seed") {
  TrainConfig c;
  c.steps = 50;
  c.batch = 64;
  Trainer a(c), b(c);
  for (int i = 0; i < 50; ++i) {
    a.step();
    b.step();
  }
  CHECK(a.read_params(true) == b.read_params(true));
}

TEST_CASE("x0 and v prediction and the hybrid loss also train (to a looser threshold)") {
  for (auto [prediction, loss] : {std::pair{Prediction::X0, LossKind::Simple},
                                  {Prediction::V, LossKind::Simple},
                                  {Prediction::Eps, LossKind::Hybrid}}) {
    CAPTURE(prediction_name(prediction));
    CAPTURE(loss_kind_name(loss));
    TrainConfig c;
    c.dataset = "8gaussians";
    c.steps = 1500;
    c.prediction = prediction;
    c.loss = loss;
    Trainer trainer(c);
    for (int i = 0; i < c.steps; ++i) REQUIRE_FALSE(trainer.step().diverged);
    CHECK(trainer.evaluate_swd() < 4.0 * trainer.swd_floor());
  }
}

TEST_CASE("a learning rate that makes training diverge is detected and the last good state restored") {
  TrainConfig c;
  c.steps = 0;
  c.optimizer.lr = 1e30f;
  c.grad_clip = 0;
  c.backup_every = 5;
  Trainer trainer(c);
  bool diverged = false;
  for (int i = 0; i < 200 && !diverged; ++i) diverged = trainer.step().diverged;
  REQUIRE(diverged);
  CHECK(trainer.step_count() == trainer.last_good_step());
  for (float v : trainer.read_params(false)) REQUIRE(std::isfinite(v));
  trainer.set_learning_rate(1e-3f);
  for (int i = 0; i < 20; ++i) CHECK_FALSE(trainer.step().diverged);
}

TEST_CASE("live trainer publishes snapshots while the caller never waits for a step") {
  TrainConfig c;
  c.steps = 300;
  c.eval_every = 100;
  c.eval_points =
      200;  // three full evaluations and three early quarter-size ones: cheap under a sanitizer too
  LiveTrainer live(c);
  live.play();
  // Progress is awaited by step count, not by a wall-clock budget: a sanitizer build or a loaded machine
  // only makes this slower. The 20-minute guard only turns a hang into a failure.
  const auto hang_guard = std::chrono::steady_clock::now() + std::chrono::minutes(20);
  std::shared_ptr<const TrainSnapshot> s = live.snapshot();
  // A snapshot is a pointer copy: it never waits for a training slice (25 ms). Preemption on a loaded
  // machine can still delay a few calls, so the test counts slow calls instead of failing on one.
  int calls = 0, slow = 0;
  while (s->step < 300 && std::chrono::steady_clock::now() < hang_guard) {
    const auto start = std::chrono::steady_clock::now();
    s = live.snapshot();
    ++calls;
    if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(5)) ++slow;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  CAPTURE(calls);
  CHECK(slow <= calls / 20);
  REQUIRE(s->step == 300);
  // live_eval_points: early points at 10, 20 and 40 (a quarter of the samples), then 100, 200 and 300.
  CHECK(s->swd_history_step.to_vector() == std::vector<int>{10, 20, 40, 100, 200, 300});
  CHECK(s->loss_history.size() == 300 / c.log_every);
  CHECK(s->loss_history_step.back() == 300);
  CHECK(s->params.size() == 99074);
  live.step_once();  // at the limit: nothing more happens
  live.reset(c);     // applied by the worker, which first builds a fresh trainer
  while (live.snapshot()->step != 0 && std::chrono::steady_clock::now() < hang_guard)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(live.snapshot()->step == 0);
  CHECK(live.snapshot()->loss_history.empty());
}

TEST_CASE("checkpoint round trip keeps every field and weight, the loaded model samples") {
  TrainConfig c;
  c.steps = 10;
  Trainer trainer(c);
  for (int i = 0; i < 10; ++i) trainer.step();
  Checkpoint ck;
  ck.model_config = mlp_config_map(c.model);
  ck.schedule = c.schedule;
  ck.prediction = Prediction::V;
  ck.dataset = "moons";
  ck.step = 10;
  ck.seed = 123;
  ck.ema_params = trainer.read_params(true);
  ck.params = trainer.read_params(false);
  ck.extra["note"] = "hello";
  const std::string path = temp_path("roundtrip.ckpt");
  save_checkpoint(path, ck);
  const Checkpoint back = load_checkpoint(path);
  CHECK(back.ema_params == ck.ema_params);
  CHECK(back.params == ck.params);
  CHECK(back.prediction == Prediction::V);
  CHECK(back.schedule.T == c.schedule.T);
  CHECK(back.schedule.beta_end == c.schedule.beta_end);
  CHECK(back.seed == 123);
  CHECK(back.extra.at("note") == "hello");
  auto model = load_model(path, "", std::nullopt);
  std::vector<float> x = {0.1f, 0.2f}, eps(2);
  model->model().predict_eps(x.data(), 1, 5, eps.data());
  CHECK(std::isfinite(eps[0]));
  CHECK(model->model().data_box().empty());  // written without a data_box: older checkpoints load unclipped
  std::filesystem::remove(path);
}

TEST_CASE(
    "a trained 2-D checkpoint carries its data's box (+10 % each side) to the sampler, a bad box is "
    "refused") {
  TrainConfig c;
  c.steps = 2;
  Trainer trainer(c);
  trainer.step();
  const DataBox& box = trainer.data_box();
  REQUIRE(box.lo.size() == 2);
  const std::vector<float>& xy = trainer.train_data().xy;
  for (int d = 0; d < 2; ++d) {
    float lo = 1e30f, hi = -1e30f;
    for (size_t i = d; i < xy.size(); i += 2) lo = std::min(lo, xy[i]), hi = std::max(hi, xy[i]);
    CHECK(box.lo[d] == doctest::Approx(lo - 0.1 * (hi - lo)));
    CHECK(box.hi[d] == doctest::Approx(hi + 0.1 * (hi - lo)));
  }
  const std::string path = temp_path("box.ckpt");
  save_checkpoint(path, checkpoint_of(trainer, true));
  auto model = load_model(path, "", std::nullopt);
  REQUIRE(model->model().data_box().lo.size() == 2);
  for (int d = 0; d < 2; ++d) {
    CHECK(model->model().data_box().lo[d] == doctest::Approx(box.lo[d]).epsilon(1e-7));
    CHECK(model->model().data_box().hi[d] == doctest::Approx(box.hi[d]).epsilon(1e-7));
  }
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(parse_data_box("0 1 2", 2, "m.ckpt"), doctest::Contains("needs 4 numbers"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(parse_data_box("0 1 2 x", 2, "m.ckpt"),
                       doctest::Contains("'x' is not a finite number"), CheckpointError);
  CHECK_THROWS_WITH_AS(parse_data_box("0 1 3 2", 2, "m.ckpt"), doctest::Contains("lo ≥ hi"), CheckpointError);
  CHECK(parse_data_box(format_data_box(box), 2, "m.ckpt").hi[1] == doctest::Approx(box.hi[1]).epsilon(1e-7));
}

TEST_CASE("corrupted, truncated or foreign checkpoints are rejected with a message that says what is wrong") {
  Checkpoint ck;
  ck.dataset = "moons";
  const size_t n = 3 * 128 * 128 + 128 + 3 * (128 * 128 + 128) + 128 * 2 + 2;
  ck.ema_params.assign(n, 0.5f);
  ck.params.assign(n, 0.25f);
  const std::string bytes = serialize_checkpoint(ck);
  CHECK_NOTHROW(parse_checkpoint(bytes, "ok"));
  CHECK_THROWS_WITH_AS(parse_checkpoint(bytes.substr(0, bytes.size() / 2), "f"),
                       doctest::Contains("truncated"), CheckpointError);
  CHECK_THROWS_WITH_AS(parse_checkpoint(bytes.substr(0, 40), "f"), doctest::Contains("truncated"),
                       CheckpointError);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  CHECK_THROWS_WITH_AS(parse_checkpoint(flipped, "f"), doctest::Contains("checksum mismatch"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(parse_checkpoint("PK\x03\x04 zip file", "f"),
                       doctest::Contains("not a Diffusion Lab checkpoint"), CheckpointError);
  std::string version = bytes;
  version.replace(version.find(" 1\n"), 3, " 9\n");
  CHECK_THROWS_WITH_AS(parse_checkpoint(version, "f"), doctest::Contains("version 9"), CheckpointError);
  std::string width = bytes;
  width.replace(width.find("width = 128"), 11, "width = 129");
  CHECK_THROWS_WITH_AS(parse_checkpoint(width, "f"), doctest::Contains("do not match the architecture"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(load_checkpoint("/nonexistent/x.ckpt"), doctest::Contains("cannot read"),
                       CheckpointError);
}

TEST_CASE("files are written atomically: a failed write leaves the old file intact") {
  const std::string path = temp_path("atomic.txt");
  write_file_atomically(path, "first");
  CHECK(read_file(path) == "first");
  CHECK_THROWS(write_file_atomically("/nonexistent-dir/x.txt", "second"));
  write_file_atomically(path, "second");
  CHECK(read_file(path) == "second");
  std::filesystem::remove(path);
}

TEST_CASE("the recorded minibatch satisfies x_t = sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) eps") {
  TrainConfig c;
  c.batch = 16;
  Trainer trainer(c);
  trainer.set_record_minibatch(true);
  trainer.step();
  const Minibatch& m = trainer.last_minibatch();
  REQUIRE(m.t.size() == 16);
  const NoiseSchedule& s = trainer.schedule();
  for (int i = 0; i < 16; ++i)
    for (int d = 0; d < 2; ++d) {
      const int k = 2 * i + d;
      CHECK(m.xt[k] == doctest::Approx(s.sqrt_alpha_bar[m.t[i]] * m.x0[k] +
                                       s.sqrt_one_minus_alpha_bar[m.t[i]] * m.eps[k])
                           .epsilon(1e-5));
    }
}

TEST_CASE("every shipped 2-D checkpoint loads and samples within 2x of its data's sliced-W2 floor") {
  for (const std::string& dataset : dataset_presets()) {
    CAPTURE(dataset);
    const std::string path = std::string(DIFFLAB_SOURCE_DIR) + "/checkpoints/2d/" + dataset + ".ckpt";
    auto model = load_model(path, "", std::nullopt);
    REQUIRE(model->checkpoint);
    CHECK(model->checkpoint->dataset == dataset);
    SamplerConfig sc;
    sc.record_trajectory = false;
    Sampler sampler(model->model(), sc);
    sampler.begin(standard_normal(2 * 1000, 1), 2);
    sampler.run();
    const Dataset2D data = Dataset2D::load(dataset);
    const double floor = sliced_wasserstein2(data.sample(1000, 3).xy, data.sample(1000, 4).xy);
    CHECK(sliced_wasserstein2(sampler.x(), data.sample(1000, 5).xy) < 2.0 * floor);
  }
}

TEST_CASE("training on hand-drawn points uses exactly those points as data") {
  TrainConfig c;
  c.custom_points.xy = {1, 1, 1.1f, 0.9f, -1, -1, -0.9f, -1.1f};
  c.steps = 600;
  Trainer trainer(c);
  CHECK(trainer.train_data().size() == c.train_points);
  for (int i = 0; i < trainer.train_data().size(); ++i) {
    const float x = trainer.train_data().xy[2 * i];
    CHECK((x == 1 || x == 1.1f || x == -1 || x == -0.9f));
  }
}

TEST_CASE("an --ema-only checkpoint (no raw weights) loads: empty params, the EMA weights intact") {
  // The old loader called memcpy(params.data() = nullptr, …, 0): undefined behaviour that UBSan reports.
  TrainConfig c;
  c.steps = 5;
  Trainer trainer(c);
  for (int i = 0; i < 5; ++i) trainer.step();
  const Checkpoint ck = checkpoint_of(trainer, true);
  REQUIRE(ck.params.empty());
  const std::string bytes = serialize_checkpoint(ck);
  CHECK(bytes.find("tensors = ema:" + std::to_string(ck.ema_params.size()) + ",params:0\n") !=
        std::string::npos);
  const Checkpoint back = parse_checkpoint(bytes, "ema-only.ckpt");
  CHECK(back.params.empty());
  CHECK(back.ema_params == trainer.read_params(true));
}

TEST_CASE("a directory given as a checkpoint is named as a directory, not 'not a checkpoint'") {
  const std::string dir = temp_path("ckpt-dir");
  std::filesystem::create_directory(dir);
  const std::string expected = "cannot read " + dir + ": it is a directory, not a file";
  CHECK_THROWS_WITH_AS(load_checkpoint(dir), doctest::Contains(expected.c_str()), CheckpointError);
  std::filesystem::remove(dir);
}

TEST_CASE("2-D training and sampling give the same bytes on 1 and 2 threads") {
  TrainConfig c;
  c.steps = 30;
  c.batch = 1024;  // large enough that the ops split over threads
  c.threads = 1;
  Trainer one(c);
  c.threads = 2;
  Trainer two(c);
  for (int i = 0; i < 30; ++i) {
    one.step();
    two.step();
  }
  CHECK(one.read_params(false) == two.read_params(false));
  CHECK(one.read_params(true) == two.read_params(true));
  auto a = model_from_checkpoint(checkpoint_of(one, true), "one");
  auto b = model_from_checkpoint(checkpoint_of(two, true), "two");
  a->backend->set_threads(1);
  b->backend->set_threads(2);
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.steps = 20;
  Sampler sa(a->model(), sc), sb(b->model(), sc);
  sa.begin(standard_normal(2 * 5000, 3), 4);  // 5000 points: more than one 4096-point inference chunk
  sb.begin(standard_normal(2 * 5000, 3), 4);
  sa.run();
  sb.run();
  CHECK(sa.x() == sb.x());
}

TEST_CASE("the live preview of an untrained network does not stack samples on the data box's edges") {
  // Walkthrough of issue 10: at step 0 the preview drew lines and frames of samples on the clip box, since
  // the network's x̂₀ overshoots the box and clipping puts it on the edge. sample() keeps that clip (the
  // sampler as checkpoints use it); preview_sample() clips into a box three times as wide.
  for (const char* dataset : {"moons", "swiss-roll", "8gaussians"}) {
    INFO(dataset);
    TrainConfig c;
    c.dataset = dataset;
    c.eval_every = 0;
    Trainer trainer(c);
    const DataBox& box = trainer.data_box();
    // A sample "on an edge" sits within 1 % of the box's extent of one of its four sides.
    auto on_edge = [&](const std::vector<float>& xy) {
      int n = 0;
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        bool edge = false;
        for (int d = 0; d < 2; ++d) {
          const double tol = 0.01 * (box.hi[d] - box.lo[d]);
          edge = edge || std::abs(xy[i + d] - box.lo[d]) < tol || std::abs(xy[i + d] - box.hi[d]) < tol;
        }
        n += edge;
      }
      return double(n) / double(xy.size() / 2);
    };
    const std::vector<float> clipped = trainer.sample(400, 4242), preview = trainer.preview_sample(400, 4242);
    MESSAGE(dataset << ": on the data box's edges, sample() " << on_edge(clipped) << ", preview "
                    << on_edge(preview));
    CHECK(on_edge(clipped) > 0.3);  // the defect, as the sampler with the data-box clip produces it
    CHECK(on_edge(preview) < 0.05);
    for (float v : preview) CHECK(std::isfinite(v));
  }
}
