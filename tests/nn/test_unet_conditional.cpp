// test_unet_conditional.cpp — classifier-free guidance on the class-conditional U-Net: the batched 2n-row
// pass equals two separate passes, and γ = 0 / γ = 1 / γ = 3 are the course's (1 − γ) ε(xₜ) + γ ε(xₜ, y). Not
// a sampler test (tests/sample) nor a trained model's quality (difflab eval --guidance-sweep).
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "core/rng.h"
#include "core/schedule.h"
#include "nn/unet.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"

using namespace difflab;

namespace {

struct Fixture {
  UNetConfig config;
  std::unique_ptr<Backend> backend = make_cpu_backend();
  std::unique_ptr<UNet> net;
  NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  std::vector<float> x;
  static constexpr int n = 3;
  Fixture() {
    REQUIRE(unet_preset("classroom", &config));
    config.num_classes = 10;
    net = std::make_unique<UNet>(config, *backend);
    net->init_params(5);
    Rng rng(6);
    x.resize(static_cast<size_t>(n) * net->dim());
    for (float& v : x) v = static_cast<float>(rng.normal());
  }
};

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
  return m;
}

}  // namespace

TEST_CASE("CFG batches the conditional and null passes into one forward that equals two separate passes") {
  Fixture f;
  const int D = f.net->dim(), n = Fixture::n, t = 400;
  UNetConditionalDenoiser model(*f.net, f.schedule);
  std::vector<float> cond(n * D), uncond(n * D), pair_cond(n * D), pair_uncond(n * D);
  model.predict_eps_class(f.x.data(), n, t, 7, cond.data());
  model.predict_eps_class(f.x.data(), n, t, -1, uncond.data());
  CHECK(model.forward_calls() == 2);
  // The class embedding matters: the random initial class rows move ε̂ well above float rounding.
  CHECK(max_abs_diff(cond, uncond) > 1e-3);

  model.predict_eps_pair(f.x.data(), n, t, 7, pair_cond.data(), pair_uncond.data());
  CHECK(model.forward_calls() == 3);             // one forward …
  CHECK(model.forward_rows() == 2 * n + 2 * n);  // … of 2n rows
  CHECK(max_abs_diff(pair_cond, cond) < 1e-5);
  CHECK(max_abs_diff(pair_uncond, uncond) < 1e-5);

  // γ = 3 from the batched pass: (1 − 3) ε(xₜ) + 3 ε(xₜ, y) of the separate passes.
  const std::vector<int> labels(n, 7);
  std::vector<float> guided(n * D), expected(n * D);
  const long calls = model.forward_calls();
  CfgDenoiser(model, labels, 3.0).predict_eps(f.x.data(), n, t, guided.data());
  CHECK(model.forward_calls() == calls + 1);
  for (int i = 0; i < n * D; ++i) expected[i] = -2.0f * uncond[i] + 3.0f * cond[i];
  CHECK(max_abs_diff(guided, expected) < 1e-4);
}

TEST_CASE("γ = 0 is the unconditional ε̂, γ = 1 the conditional one, per-row labels and the null row") {
  Fixture f;
  const int D = f.net->dim(), n = Fixture::n, t = 100;
  UNetConditionalDenoiser model(*f.net, f.schedule, {}, 2);  // max_batch 2: a chunk boundary inside n = 3
  const std::vector<int> labels = {0, 9, -1};
  std::vector<float> uncond(n * D), per_row(n * D), g0(n * D), g1(n * D), g2(n * D);
  model.predict_eps_class(f.x.data(), n, t, -1, uncond.data());
  for (int i = 0; i < n; ++i)
    model.predict_eps_class(f.x.data() + i * D, 1, t, labels[i], per_row.data() + i * D);
  CfgDenoiser(model, labels, 0.0).predict_eps(f.x.data(), n, t, g0.data());
  CfgDenoiser(model, labels, 1.0).predict_eps(f.x.data(), n, t, g1.data());
  CHECK(max_abs_diff(g0, uncond) < 1e-5);
  CHECK(max_abs_diff(g1, per_row) < 1e-5);
  // γ = 2 in the batched path: row 2 has no class, so it stays unconditional.
  CfgDenoiser(model, labels, 2.0).predict_eps(f.x.data(), n, t, g2.data());
  for (int i = 0; i < 2 * D; ++i) CHECK(std::abs(g2[i] - (2.0f * per_row[i] - uncond[i])) < 1e-4);
  for (int i = 2 * D; i < 3 * D; ++i) CHECK(std::abs(g2[i] - uncond[i]) < 1e-5);
  // The labels cycle over the rows: six rows with three labels are the three rows twice.
  std::vector<float> x6(f.x.begin(), f.x.begin() + n * D), via(2 * n * D);
  x6.insert(x6.end(), f.x.begin(), f.x.begin() + n * D);
  CfgDenoiser(model, labels, 2.0).predict_eps(x6.data(), 2 * n, t, via.data());
  for (int i = 0; i < n * D; ++i) {
    CHECK(std::abs(via[i] - g2[i]) < 1e-5);  // a batch of 12 rows: another GEMM blocking
    CHECK(std::abs(via[n * D + i] - g2[i]) < 1e-5);
  }
}
