// test_image_flow.cpp — flow matching on images: one step's loss and output gradient against the definition,
// training lowers the loss, flow checkpoints for the U-Net load and sample, Euler = DDIM on a flow.
// Not the 2-D flows (test_flow.cpp) and not a quality test.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "nn/backend_factory.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/image_flow_objective.h"
#include "train/model_source.h"

#include "tiny_unet.h"

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

ImageFlowBatch fixed_batch(const ImageDataset& d) {
  ImageFlowBatch b;
  b.batch = 4;
  b.t = {0.0f, 0.3f, 0.7f, 1.0f};
  b.labels = {-1, -1, -1, -1};
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 64; ++k) {
      b.x0.push_back(d.image(i)[k]);
      b.eps.push_back(static_cast<float>(std::sin(0.37 * (64 * i + k) + 1.0)));
    }
  return b;
}

}  // namespace

TEST_CASE("image flow objective: with v_θ ≡ 0 the loss is mean (ε − x₀)² and ∂L/∂v = −2(ε − x₀)/N") {
  const ImageDataset data = squares();
  ImageTrainConfig c;
  c.model = test::tiny_unet(false, 8);
  c.batch = 4;
  auto backend = make_backend(BackendKind::cpu);
  UNet net(c.model, *backend);
  net.init_params(0);
  std::vector<float> zeros(net.num_params(), 0.0f);
  backend->write(net.params(), zeros.data());  // every weight 0: the output is 0 everywhere
  ImageFlowObjective objective(c, net, data);
  const ImageFlowBatch b = fixed_batch(data);
  double expected = 0;
  for (size_t q = 0; q < b.x0.size(); ++q) expected += std::pow(b.eps[q] - b.x0[q], 2);
  expected /= static_cast<double>(b.x0.size());
  CHECK(objective.loss_and_gradient(b) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("image flow objective: the loss of a fixed batch equals ‖v_θ((1 − t)x₀ + tε, 1000t) − (ε − x₀)‖²") {
  const ImageDataset data = squares();
  ImageTrainConfig c;
  c.model = test::tiny_unet(true, 8);
  c.batch = 4;
  auto backend = make_backend(BackendKind::cpu);
  UNet net(c.model, *backend);
  net.init_params(3);
  ImageFlowObjective objective(c, net, data);
  const ImageFlowBatch b = fixed_batch(data);
  const double loss = objective.loss_and_gradient(b);
  // The same quantity from the definition, with our own xₜ and time input.
  std::vector<float> xt(b.x0.size()), out(b.x0.size());
  const float times[4] = {0.0f, 300.0f, 700.0f, 1000.0f};
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 64; ++k) {
      const size_t q = static_cast<size_t>(i) * 64 + k;
      xt[q] = (1 - b.t[i]) * b.x0[q] + b.t[i] * b.eps[q];
    }
  net.forward(xt.data(), times, nullptr, 4, out.data());
  double expected = 0;
  for (size_t q = 0; q < out.size(); ++q) expected += std::pow(out[q] - (b.eps[q] - b.x0[q]), 2);
  expected /= static_cast<double>(out.size());
  CHECK(loss == doctest::Approx(expected).epsilon(1e-6));
  CHECK(expected > 0.5);  // an untrained network is far from ε − x₀ (E‖ε − x₀‖²/N ≈ 2 here)
}

TEST_CASE("image flow training: 200 steps on a tiny data set lower the loss by a third, samples are finite") {
  ImageTrainConfig c;
  c.model = test::tiny_unet(false, 8);
  c.objective = "flow";
  c.batch = 16;
  c.threads = 1;
  c.optimizer.lr = 3e-3f;
  ImageTrainer trainer(c, squares());
  double first = 0, last = 0;
  for (int i = 0; i < 200; ++i) {
    const StepResult r = trainer.step();
    REQUIRE(std::isfinite(r.loss));
    if (i < 20) first += r.loss / 20;
    if (i >= 180) last += r.loss / 20;
  }
  CHECK(first > 1.0);  // v_θ ≈ 0 at the start: E(ε − x₀)² = 1 + E x₀² = 2
  CHECK(last < 0.67 * first);
  const std::vector<float> images = trainer.sample(2, 7, 4);
  CHECK(images.size() == 2 * 64);
  for (float v : images) CHECK(std::isfinite(v));

  // The checkpoint says prediction = flow and loads as a velocity read as ε̂ (ε̂ = x + (1 − t)·v).
  Checkpoint ck;
  ck.architecture = "unet";
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.flow = true;
  ck.dataset = "idx:squares";
  ck.step = trainer.step_count();
  ck.ema_params = trainer.read_params(true);
  const std::string path = (std::filesystem::temp_directory_path() / "difflab_test_unet_flow.ckpt").string();
  save_checkpoint(path, ck);
  CHECK(serialize_checkpoint(ck).find("prediction = flow") != std::string::npos);
  auto loaded = load_model(path, "", std::nullopt);
  REQUIRE(loaded->is_image());
  REQUIRE(loaded->checkpoint->flow);
  const double ab = loaded->schedule.alpha_bar[400];
  const double t = FlowTime::from_alpha_bar(ab), scale = FlowTime::scale(t);
  std::vector<float> x(64, 0.2f), eps(64), xf(64), v(64);
  loaded->model().predict_eps_continuous(x.data(), 1, 400, ab, eps.data());
  for (int k = 0; k < 64; ++k) xf[k] = static_cast<float>(x[k] * scale);
  ImageNetVelocity velocity(trainer.model(), trainer.ema_params());
  velocity.predict_velocity(xf.data(), 1, t, v.data());
  for (int k = 0; k < 64; ++k) CHECK(eps[k] == doctest::Approx(xf[k] + (1 - t) * v[k]).epsilon(1e-4));
}

TEST_CASE("Euler on the flow ODE and DDIM on the flow read as ε̂ land on the same images (same times)") {
  // Euler with constant v = ε̂ − x̂₀ from xₜ = (1 − t)x̂₀ + tε̂ gives (1 − t')x̂₀ + t'ε̂: DDIM's step.
  ImageTrainConfig c;
  c.model = test::tiny_unet(false, 8);
  auto backend = make_backend(BackendKind::cpu);
  UNet net(c.model, *backend);
  net.init_params(5);
  ImageNetVelocity velocity(net);
  const std::vector<float> noise = standard_normal(2 * 64, 11);
  const FlowPath euler = integrate_flow(velocity, noise, 4, FlowMethod::Euler);
  // The same four steps in VP terms: x_vp = x / c(t) at ᾱ(t), t = 1, 0.75, 0.5, 0.25 → 0.
  VelocityDenoiser denoiser(velocity, make_schedule(ScheduleConfig{ScheduleKind::Linear, 1000, 1e-4, 0.02}));
  std::vector<float> x = noise, eps(x.size());
  for (int i = 0; i < 4; ++i) {
    const double t = 1.0 - i / 4.0, t2 = 1.0 - (i + 1) / 4.0;
    const double ab = FlowTime::alpha_bar(t), ab2 = FlowTime::alpha_bar(t2), c1 = FlowTime::scale(t);
    std::vector<float> vp(x.size());
    for (size_t k = 0; k < x.size(); ++k) vp[k] = static_cast<float>(x[k] / c1);
    if (t >= 1.0) {
      // ᾱ = 0: ε̂ = x_vp exactly; x̂₀ comes from v at t = 1 (x̂₀ = x − v).
      std::vector<float> v(x.size());
      velocity.predict_velocity(x.data(), 2, 1.0, v.data());
      for (size_t k = 0; k < x.size(); ++k) {
        const double x0 = x[k] - v[k];
        x[k] = static_cast<float>((1 - t2) * x0 + t2 * x[k]);  // DDIM: √ᾱ' x̂₀ + √(1 − ᾱ') ε̂, times c(t')
      }
      continue;
    }
    denoiser.predict_eps_continuous(vp.data(), 2, 0, ab, eps.data());
    for (size_t k = 0; k < x.size(); ++k) {
      const double x0 = (vp[k] - std::sqrt(1 - ab) * eps[k]) / std::sqrt(ab);
      const double next_vp = std::sqrt(ab2) * x0 + std::sqrt(1 - ab2) * eps[k];
      x[k] = static_cast<float>(next_vp * FlowTime::scale(t2));
    }
  }
  for (size_t k = 0; k < x.size(); ++k) CHECK(x[k] == doctest::Approx(euler.x[k]).epsilon(1e-3));
}

TEST_CASE(
    "image flow objective: logit-normal t puts P(|logit t| < 1) = 2Φ(1) − 1 ≈ 0.6827 of the times there") {
  const ImageDataset data = squares();
  ImageTrainConfig c;
  c.model = test::tiny_unet(false, 8);
  c.batch = 500;
  auto backend = make_backend(BackendKind::cpu);
  UNet net(c.model, *backend);
  for (const char* kind : {"logit-normal", "uniform"}) {
    c.flow_time = kind;
    ImageFlowObjective objective(c, net, data);
    int inside = 0, total = 0;
    for (int k = 0; k < 20; ++k)
      for (float t : objective.draw_batch().t) {
        REQUIRE(t >= 0.0f);
        REQUIRE(t <= 1.0f);
        inside += std::abs(std::log(t / (1 - t))) < 1.0;
        ++total;
      }
    // Uniform t: P(|logit t| < 1) = σ(1) − σ(−1) = 0.4621.
    const double expected = std::string(kind) == "uniform" ? 0.4621 : 0.6827;
    CHECK(static_cast<double>(inside) / total == doctest::Approx(expected).epsilon(0.03));
  }
  c.flow_time = "beta";
  CHECK_THROWS_AS(ImageFlowObjective(c, net, data), std::invalid_argument);
}
