// test_controlnet.cpp — the U-Net's control hook (zero residuals change nothing, the residual's gradient
// against finite differences), ControlNet at step 0 (EXACTLY the base: zero convolutions), the zero
// convolutions' gradient, Sobel edges and the edge-agreement metric; the panel's comparison (base alone
// against ControlNet from one x_T) at step 0 and on the shipped checkpoint against the numbers the CLI
// printed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/file_io.h"
#include "core/rng.h"
#include "data/idx.h"
#include "nn/backend_factory.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/controlnet.h"
#include "train/image_quality.h"

#include "tiny_unet.h"

using namespace difflab;

namespace {

struct Batch {
  std::vector<float> x, t, edges, w;
  std::vector<int> labels;
};

Batch make_batch(int B, int D, uint64_t seed) {
  Batch b;
  Rng rng(seed);
  for (int k = 0; k < B * D; ++k) {
    b.x.push_back(static_cast<float>(rng.normal()));
    b.edges.push_back(static_cast<float>(rng.uniform()));
    b.w.push_back(static_cast<float>(rng.normal()));
  }
  for (int i = 0; i < B; ++i) {
    b.t.push_back(static_cast<float>(100 + 300 * i));
    b.labels.push_back(i % 2);
  }
  return b;
}

double weighted(const std::vector<float>& out, const std::vector<float>& w) {
  double s = 0;
  for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(out[k]) * w[k];
  return s;
}

}  // namespace

TEST_CASE("the U-Net's control hook: zero residuals change nothing, the residual's gradient is exact") {
  UNetConfig c = test::tiny_unet(true, 8);
  c.num_classes = 2;
  auto backend = make_cpu_backend();
  UNet net(c, *backend);
  net.init_params(4);
  const int B = 2, D = 64;
  const Batch b = make_batch(B, D, 1);
  std::vector<float> plain(B * D), hooked(B * D);
  net.forward(b.x.data(), b.t.data(), b.labels.data(), B, plain.data());
  const auto points = net.control_points();
  // two levels, one ResBlock each: the middle, conv_in, down.0.res.0, the downsample, down.1.res.0
  REQUIRE(points.size() == 5u);
  CHECK(points[0].channels == 16);
  CHECK(points[0].positions == 16);
  std::vector<std::unique_ptr<Storage>> storages;
  std::vector<Tensor> residuals;
  for (const auto& p : points) {
    storages.push_back(backend->create_storage(static_cast<size_t>(B) * p.positions * p.channels));
    residuals.push_back(Tensor{storages.back().get(), 0, B * p.positions, p.channels});
    backend->fill(residuals.back(), 0.0f);
  }
  net.set_control_residuals(&residuals, 3.0f);
  net.forward(b.x.data(), b.t.data(), b.labels.data(), B, hooked.data());
  CHECK(hooked == plain);  // bit for bit

  // A residual at the middle (k = 0) and at a skip (k = 2): ∂(Σ w·out)/∂residual = scale × control_gradient.
  for (int k : {0, 2}) {
    Rng rng(9 + k);
    std::vector<float> r(residuals[k].size());
    for (float& v : r) v = static_cast<float>(0.1 * rng.normal());
    backend->write(residuals[k], r.data());
    net.forward(b.x.data(), b.t.data(), b.labels.data(), B, hooked.data());
    CHECK(hooked != plain);
    net.backward(b.w.data());
    std::vector<float> g(residuals[k].size());
    backend->read(net.control_gradient(k), g.data());
    for (int j : {0, 5, static_cast<int>(r.size()) - 1}) {
      const float h = 1e-2f;
      std::vector<float> rp = r, rm = r;
      rp[j] += h;
      rm[j] -= h;
      backend->write(residuals[k], rp.data());
      net.forward(b.x.data(), b.t.data(), b.labels.data(), B, hooked.data());
      const double lp = weighted(hooked, b.w);
      backend->write(residuals[k], rm.data());
      net.forward(b.x.data(), b.t.data(), b.labels.data(), B, hooked.data());
      const double lm = weighted(hooked, b.w);
      CHECK((lp - lm) / (2 * h) == doctest::Approx(3.0 * g[j]).epsilon(0.02).scale(1e-3));
    }
    backend->write(residuals[k], std::vector<float>(r.size(), 0.0f).data());
  }
  net.set_control_residuals(nullptr, 1.0f);
  net.forward(b.x.data(), b.t.data(), b.labels.data(), B, hooked.data());
  CHECK(hooked == plain);
}

TEST_CASE("ControlNet at step 0 is EXACTLY the base (zero convolutions), training moves it") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 2;
  auto backend = make_cpu_backend();
  UNet base(c, *backend);
  base.init_params(5);
  std::vector<float> base_params(base.num_params());
  backend->read(base.params(), base_params.data());
  ControlNet cn(base);
  const int B = 3, D = 64;
  const Batch b = make_batch(B, D, 2);
  std::vector<float> plain(B * D), controlled(B * D);
  base.forward(b.x.data(), b.t.data(), b.labels.data(), B, plain.data());
  for (float scale : {1.0f, 2.5f}) {
    cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, scale, controlled.data());
    CHECK(controlled == plain);
  }
  // The copy starts as the base (its edge channel's weights are zero): the same encoder features.
  base.forward(b.x.data(), b.t.data(), b.labels.data(), B, plain.data());
  for (int k = 0; k < static_cast<int>(base.control_points().size()); ++k) {
    std::vector<float> fb(base.control_feature(k).size()), fc(fb.size());
    backend->read(base.control_feature(k), fb.data());
    backend->read(cn.copy().control_feature(k), fc.data());
    double worst = 0;
    for (size_t j = 0; j < fb.size(); ++j)
      worst = std::max(worst, std::abs(static_cast<double>(fb[j]) - fc[j]));
    CHECK(worst < 1e-5);  // equal up to the summation order of a convolution with one more (zero) channel
  }

  // The zero convolutions' gradient against finite differences (weights made non-zero first).
  std::vector<float> z(cn.zero_convs().num_params());
  Rng rng(3);
  for (float& v : z) v = static_cast<float>(0.05 * rng.normal());
  backend->write(cn.zero_convs().params(), z.data());
  cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.5f, controlled.data());
  cn.backward(b.w.data());
  std::vector<float> g(z.size());
  backend->read(cn.zero_convs().grads(), g.data());
  for (size_t j : {size_t{0}, size_t{7}, z.size() / 2, z.size() - 1}) {
    const float h = 1e-2f;
    std::vector<float> zp = z, zm = z;
    zp[j] += h;
    zm[j] -= h;
    backend->write(cn.zero_convs().params(), zp.data());
    cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.5f, controlled.data());
    const double lp = weighted(controlled, b.w);
    backend->write(cn.zero_convs().params(), zm.data());
    cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.5f, controlled.data());
    const double lm = weighted(controlled, b.w);
    CHECK((lp - lm) / (2 * h) == doctest::Approx(g[j]).epsilon(0.02).scale(1e-3));
  }
  backend->write(cn.zero_convs().params(), std::vector<float>(z.size(), 0.0f).data());

  // Two training steps: the zero convolutions leave zero, the base's weights never change.
  ImageDataset data;
  data.count = 6;
  data.height = data.width = 8;
  data.num_classes = 2;
  for (int i = 0; i < 6; ++i) {
    data.labels.push_back(i % 2);
    for (int k = 0; k < D; ++k) data.pixels.push_back((k % 8) < 4 + (i % 3) ? -1.0f : 1.0f);
  }
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  ControlNetConfig config;
  config.batch = 4;
  TrainLoop loop;
  loop.add_part("copy", cn.copy(), {{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
  loop.add_part("zero", cn.zero_convs(), {{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 50});
  ControlNetObjective objective(cn, schedule, data, config);
  for (int s = 0; s < 2; ++s) CHECK_FALSE(loop.step(objective).diverged);
  backend->read(cn.zero_convs().params(), z.data());
  CHECK(std::any_of(z.begin(), z.end(), [](float v) { return v != 0.0f; }));
  std::vector<float> after(base.num_params());
  backend->read(base.params(), after.data());
  CHECK(after == base_params);
  cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.0f, controlled.data());
  base.forward(b.x.data(), b.t.data(), b.labels.data(), B, plain.data());
  CHECK(controlled != plain);
}

TEST_CASE("Sobel edges of a vertical step, and edge agreement") {
  // 4 × 4: left half −1, right half 1. Interior rows: |gx| = 4 · 2 = 8 on columns 1 and 2, 0 elsewhere
  // (before zero padding's own edges at the border).
  std::vector<float> im(16);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) im[y * 4 + x] = x < 2 ? -1.0f : 1.0f;
  const std::vector<float> e = sobel_edges(im.data(), 1, 4, 4);
  float largest = 0;
  for (float v : e) largest = std::max(largest, v);
  CHECK(largest == doctest::Approx(1.0));
  CHECK(e[1 * 4 + 1] == doctest::Approx(e[1 * 4 + 2]));
  CHECK(e[1 * 4 + 1] == doctest::Approx(1.0));  // inside the step: |Gx| = 2·(1 + 2 + 1) = 8, the largest
  CHECK(edge_agreement(im.data(), e.data(), 1, 4, 4) == doctest::Approx(1.0));
  std::vector<float> flat(16, 0.0f);  // no edges at all: no agreement
  CHECK(edge_agreement(flat.data(), e.data(), 1, 4, 4) == doctest::Approx(0.0));
}

namespace {

// A base U-Net checkpoint file for the ControlNet file tests.
std::string write_base(const UNet& base, Backend& backend, const std::string& name) {
  Checkpoint c;
  c.architecture = "unet";
  c.model_config = unet_config_map(base.config());
  c.dataset = "test";
  c.ema_params.resize(base.num_params());
  backend.read(const_cast<UNet&>(base).params(), c.ema_params.data());
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  save_checkpoint(path, c);
  return path;
}

}  // namespace

TEST_CASE("ControlNet checkpoint: round trip bit for bit, scale 0 samples = the base's, bad files named") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 2;
  auto backend = make_cpu_backend();
  UNet base(c, *backend);
  base.init_params(5);
  const std::string base_path = write_base(base, *backend, "difflab-test-cn-base.ckpt");
  ControlNet cn(base);
  // Weights that are not the init's: the copy perturbed, the zero convolutions non-zero.
  Rng rng(11);
  std::vector<float> copy(cn.copy().num_params()), z(cn.zero_convs().num_params());
  backend->read(cn.copy().params(), copy.data());
  for (float& v : copy) v += static_cast<float>(0.01 * rng.normal());
  for (float& v : z) v = static_cast<float>(0.05 * rng.normal());
  backend->write(cn.copy().params(), copy.data());
  backend->write(cn.zero_convs().params(), z.data());
  Checkpoint base_ck;
  base_ck.dataset = "test";
  const std::string path = (std::filesystem::temp_directory_path() / "difflab-test-cn.ckpt").string();
  save_checkpoint(path, controlnet_checkpoint(cn, base_ck, base_path, 1.5f, 7));

  LoadedControlNet loaded = load_controlnet(path);
  CHECK(loaded.scale == 1.5f);
  CHECK(loaded.base_path == base_path);
  const int B = 3, D = 64;
  const Batch b = make_batch(B, D, 2);
  std::vector<float> want(B * D), got(B * D);
  cn.forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.5f, want.data());
  loaded.net->forward(b.x.data(), b.edges.data(), b.t.data(), b.labels.data(), B, 1.5f, got.data());
  CHECK(got == want);  // bit for bit
  CHECK(got != std::vector<float>(B * D, 0.0f));

  // Scale 0: DDIM samples from the same x_T equal the base's own, bit for bit (the residuals × 0 add zeros).
  const NoiseSchedule& schedule = loaded.base->schedule;
  SamplerConfig sc;
  sc.kind = SamplerKind::Ddim;
  sc.steps = 4;
  sc.record_trajectory = false;
  const std::vector<float> x_T = standard_normal(2 * D, 9);
  Sampler plain(loaded.base->model(), sc);
  plain.begin(x_T, 10);
  plain.run();
  ControlNetDenoiser zero_scale(*loaded.net, schedule,
                                std::vector<float>(b.edges.begin(), b.edges.begin() + D), -1, 0.0f);
  Sampler controlled(zero_scale, sc);
  controlled.begin(x_T, 10);
  controlled.run();
  CHECK(controlled.x() == plain.x());
  ControlNetDenoiser full_scale(*loaded.net, schedule,
                                std::vector<float>(b.edges.begin(), b.edges.begin() + D), -1, 1.5f);
  Sampler moved(full_scale, sc);
  moved.begin(x_T, 10);
  moved.run();
  CHECK(moved.x() != plain.x());

  // A base of another shape, a missing base, a truncated file: each named.
  UNetConfig other = c;
  other.num_classes = 3;
  UNet other_base(other, *backend);
  other_base.init_params(1);
  const std::string other_path = write_base(other_base, *backend, "difflab-test-cn-other.ckpt");
  CHECK_THROWS_WITH_AS(load_controlnet(path, other_path), doctest::Contains("made for another base"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(load_controlnet(path, "/nonexistent/base.ckpt"),
                       doctest::Contains("its base U-Net /nonexistent/base.ckpt is not there"),
                       CheckpointError);
  const std::string bytes = read_file(path, 1 << 26);
  const std::string cut = (std::filesystem::temp_directory_path() / "difflab-test-cn-cut.ckpt").string();
  write_file_atomically(cut, bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH_AS(load_controlnet(cut), doctest::Contains("truncated"), CheckpointError);
  for (const std::string& f : {path, base_path, other_path, cut}) std::filesystem::remove(f);
}

TEST_CASE("compare_with_base: a fresh ControlNet's DDIM samples are the base's bit for bit, at any scale") {
  UNetConfig c = test::tiny_unet(false, 8);
  c.num_classes = 2;
  auto backend = make_cpu_backend();
  UNet base(c, *backend);
  base.init_params(5);
  ControlNet fresh(base);
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  const Batch b = make_batch(1, 64, 4);
  const std::vector<float> x_T = standard_normal(3 * 64, 21);
  // The base alone, sampled here without any ControlNet code: the reference.
  UNetDenoiser plain(base, schedule, {}, 1);
  Sampler reference(plain, fid_sampler_config(5));
  reference.begin(x_T, 22);
  reference.run();
  for (float scale : {0.0f, 1.0f, 2.0f}) {
    CAPTURE(scale);
    std::vector<double> seen;
    const ControlComparison r = compare_with_base(fresh, schedule, b.edges, 1, scale, x_T, 5, 22,
                                                  [&](double f) { seen.push_back(f); });
    CHECK(r.base.images == reference.x());
    CHECK(r.controlled.images == reference.x());  // zero convolutions: the residuals are exactly zero
    CHECK(max_abs_difference(r.controlled.images, r.base.images) == 0.0);
    REQUIRE(r.controlled.agreement.size() == 3);
    CHECK(r.controlled.agreement == r.base.agreement);
    // Each image scored alone: the mean is the CLI's metric over all three (the map repeated).
    std::vector<float> edges3;
    for (int i = 0; i < 3; ++i) edges3.insert(edges3.end(), b.edges.begin(), b.edges.end());
    CHECK(r.base.mean_agreement() ==
          doctest::Approx(edge_agreement(r.base.images.data(), edges3.data(), 3, 8, 8)).epsilon(1e-12));
    REQUIRE(seen.size() == 10);  // 5 steps of each run
    CHECK(seen.front() > 0);
    CHECK(seen.back() == 1.0);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
  }
  CHECK_THROWS_AS(compare_with_base(fresh, schedule, std::vector<float>(63), 1, 1.0f, x_T, 5, 22),
                  std::invalid_argument);
}

TEST_CASE("the shipped ControlNet: scale 0 is the base, scale 1 follows the edges as the CLI measured") {
  const std::string path = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classroom-controlnet.ckpt";
  ImageDataset test;
  try {
    test = load_image_dataset("fashion-mnist", false);
  } catch (const std::exception&) {
    MESSAGE("skipped: Fashion-MNIST is not installed");
    return;
  }
  LoadedControlNet cn = load_controlnet(path);
  UNet& base = cn.base->unet();
  const int D = base.dim();
  // Scale 0, two images, class 3: the ControlNet's samples are the base's from the same x_T, bit for bit.
  const std::vector<float> two_edges = sobel_edges(test.image(0), 2, 28, 28);
  const ControlComparison zero =
      compare_with_base(*cn.net, cn.base->schedule, two_edges, 3, 0.0f, standard_normal(2 * D, 7), 20, 8);
  CHECK(zero.controlled.images == zero.base.images);
  CHECK(max_abs_difference(zero.controlled.images, zero.base.images) == 0.0);
  // Scale 1 on the first 16 test images, no class, DDIM 20, x_T seed 5000 and noise seed 5001: what
  // `difflab finetune --method controlnet --steps 400 --control-n 16` printed when it wrote this file
  // (README, section ControlNet): 0.187 for the base (scale 0), 0.576 at scale 1.
  const std::vector<float> edges = sobel_edges(test.image(0), 16, 28, 28);
  const ControlComparison one =
      compare_with_base(*cn.net, cn.base->schedule, edges, -1, 1.0f, standard_normal(16 * D, 5000), 20, 5001);
  CHECK(std::abs(one.base.mean_agreement() - 0.187) <= 0.0005);  // printed with 3 decimals
  CHECK(std::abs(one.controlled.mean_agreement() - 0.576) <= 0.0005);
  CHECK(one.controlled.mean_agreement() > one.base.mean_agreement());
}
