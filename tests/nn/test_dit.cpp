// test_dit.cpp — the diffusion transformer (nn/dit.h): patch layout, adaLN-Zero's zero output at init, the
// whole network's gradient against finite differences, CPU vs GL parity, the family table and a checkpoint.
// Not the token ops' own checks (tests/nn/test_backend_ops.cpp) and not training (tests/train).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "nn/dit.h"
#include "nn/model_family.h"
#include "train/checkpoint.h"
#include "train/image_trainer.h"
#include "train/model_source.h"

using namespace difflab;

namespace {

// 8×8 images of 2 channels in 2×2 patches (16 tokens), width 8, 2 blocks of 2 heads, 3 classes.
DiTConfig tiny() {
  DiTConfig c;
  c.name = "tiny";
  c.height = c.width = 8;
  c.in_channels = 2;
  c.patch = 2;
  c.hidden = 8;
  c.depth = 2;
  c.heads = 2;
  c.mlp_ratio = 2;
  c.num_classes = 3;
  return c;
}

// Every parameter 𝒩(0, scale²): away from adaLN-Zero's init, so that every path carries gradient.
void randomise(DiT& model, uint64_t seed, double scale) {
  Rng rng(seed);
  std::vector<float> p(model.num_params());
  for (float& v : p) v = static_cast<float>(scale * rng.normal());
  model.backend().write(model.params(), p.data());
}

struct Inputs {
  std::vector<float> x, t, r;
  std::vector<int> labels;
};

Inputs inputs(const DiT& model, int batch, uint64_t seed) {
  Rng rng(seed);
  Inputs in;
  in.x.resize(static_cast<size_t>(batch) * model.dim());
  in.r.resize(in.x.size());
  for (float& v : in.x) v = static_cast<float>(rng.normal());
  for (float& v : in.r) v = static_cast<float>(rng.normal());
  for (int i = 0; i < batch; ++i) {
    in.t.push_back(static_cast<float>(rng.below(1000)));
    in.labels.push_back(i % 4 == 3 ? -1 : i % 3);
  }
  return in;
}

}  // namespace

TEST_CASE("patchify puts pixel (i·p + dy  j·p + dx) channel c at column (dy·p + dx)·C + c of token (i  j)") {
  auto be = make_cpu_backend();
  const int B = 2, H = 6, W = 4, C = 3, p = 2, th = H / p, tw = W / p;
  auto image = be->create_storage(B * H * W * C), tokens = be->create_storage(B * H * W * C),
       back = be->create_storage(B * H * W * C);
  const Tensor img{image.get(), 0, B * H * W, C}, tok{tokens.get(), 0, B * th * tw, p * p * C},
      img2{back.get(), 0, B * H * W, C};
  std::vector<float> values(B * H * W * C);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  be->write(img, values.data());
  be->patchify(tok, img, B, H, W, p);
  std::vector<float> t(values.size());
  be->read(tok, t.data());
  // Token (b = 1, i = 2, j = 1), dy = 1, dx = 0, c = 2 ← pixel (1, 5, 2), channel 2.
  const int token = (1 * th + 2) * tw + 1, col = (1 * p + 0) * C + 2;
  CHECK(t[static_cast<size_t>(token) * p * p * C + col] == values[((1 * H + 5) * W + 2) * C + 2]);
  be->unpatchify(img2, tok, B, H, W, p);
  std::vector<float> round(values.size());
  be->read(img2, round.data());
  CHECK(round == values);
}

TEST_CASE("adaLN-Zero: the DiT's output is exactly zero at init for any x and t and class") {
  auto be = make_cpu_backend();
  DiT model(tiny(), *be);
  model.init_params(5);
  const Inputs in = inputs(model, 4, 1);
  std::vector<float> out(in.x.size(), 1.0f);
  model.forward(in.x.data(), in.t.data(), in.labels.data(), 4, out.data());
  for (float v : out) REQUIRE(v == 0.0f);
  // Yet the final layer is where training starts: its weights get a nonzero gradient.
  model.backward(in.r.data());
  std::vector<float> g(model.num_params());
  be->read(model.grads(), g.data());
  double final_norm = 0;
  for (const ParamBlock& b : model.layout())
    if (b.name == "final_layer.linear.weight")
      for (int k = 0; k < b.rows * b.cols; ++k) final_norm += g[b.offset + k] * g[b.offset + k];
  CHECK(final_norm > 0);
}

TEST_CASE("the DiT's parameter count: the family table and the layout and the formula agree") {
  const DiTConfig c = tiny();
  auto be = make_cpu_backend();
  DiT model(c, *be);
  // Embedding p²C·D + D; t MLP 2(D² + D); classes (K + 1)·D; per block 6(D² + D) + (3D² + 3D) + (D² + D) +
  // (2rD² + rD + D); final 2(D² + D) + D·p²C + p²C.
  const size_t D = 8, PC = 8, r = 2, K = 3;
  const size_t block = 6 * (D * D + D) + 3 * D * D + 3 * D + D * D + D + 2 * r * D * D + r * D + D;
  const size_t expected =
      PC * D + D + 2 * (D * D + D) + (K + 1) * D + 2 * block + 2 * (D * D + D) + D * PC + PC;
  CHECK(model.num_params() == expected);
  const ModelFamily* f = find_model_family("dit");
  REQUIRE(f != nullptr);
  CHECK(f->param_count(dit_config_map(c)) == expected);
  CHECK(dit_config_from_map(dit_config_map(c)).hidden == c.hidden);
}

TEST_CASE("whole-DiT backward matches finite differences on sampled parameters") {
  auto be = make_cpu_backend();
  DiT model(tiny(), *be);
  randomise(model, 7, 0.3);
  const int B = 3;
  const Inputs in = inputs(model, B, 2);
  std::vector<float> out(in.x.size());
  auto loss = [&] {
    model.forward(in.x.data(), in.t.data(), in.labels.data(), B, out.data());
    double s = 0;
    for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(out[k]) * in.r[k];
    return s;
  };
  loss();
  model.backward(in.r.data());
  const Tensor params = model.params(), grads = model.grads();
  std::vector<float> g(model.num_params());
  be->read(grads, g.data());
  Rng rng(3);
  for (const ParamBlock& block : model.layout()) {
    CAPTURE(block.name);
    for (int k = 0; k < 3; ++k) {
      const size_t i = block.offset + rng.below(static_cast<uint64_t>(block.rows) * block.cols);
      const float saved = params.host()[i];
      const double h = 1e-2;
      params.host()[i] = saved + static_cast<float>(h);
      const double plus = loss();
      params.host()[i] = saved - static_cast<float>(h);
      const double minus = loss();
      params.host()[i] = saved;
      CHECK(g[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(2e-2).scale(1e-1));
    }
  }
}

TEST_CASE("DiT: forward_rows with the class rows equals forward with labels and read_d_rows is d/d(row)") {
  auto be = make_cpu_backend();
  DiT model(tiny(), *be);
  randomise(model, 8, 0.3);
  const int B = 4;
  const Inputs in = inputs(model, B, 4);
  std::vector<float> rows(B * model.cond_dim()), a(in.x.size()), b(in.x.size());
  for (int i = 0; i < B; ++i) model.read_class_row(in.labels[i], &rows[i * model.cond_dim()]);
  model.forward(in.x.data(), in.t.data(), in.labels.data(), B, a.data());
  model.forward_rows(in.x.data(), in.t.data(), rows.data(), B, b.data());
  CHECK(a == b);
  model.backward(in.r.data());
  std::vector<float> d_rows(rows.size());
  model.read_d_rows(d_rows.data());
  auto loss = [&](const std::vector<float>& r) {
    model.forward_rows(in.x.data(), in.t.data(), r.data(), B, b.data());
    double s = 0;
    for (size_t k = 0; k < b.size(); ++k) s += static_cast<double>(b[k]) * in.r[k];
    return s;
  };
  for (size_t k : {size_t{0}, size_t{5}, rows.size() - 1}) {
    std::vector<float> plus = rows, minus = rows;
    plus[k] += 1e-2f;
    minus[k] -= 1e-2f;
    CHECK(d_rows[k] == doctest::Approx((loss(plus) - loss(minus)) / 2e-2).epsilon(2e-2).scale(1e-1));
  }
}

TEST_CASE("DiT attention maps: heads × T × T and each row a distribution") {
  auto be = make_cpu_backend();
  DiT model(tiny(), *be);
  model.init_params(1);
  const Inputs in = inputs(model, 2, 6);
  std::vector<float> out(in.x.size());
  model.forward(in.x.data(), in.t.data(), in.labels.data(), 2, out.data());
  const std::vector<float> map = model.attention_map(1, 1);
  const int T = model.tokens();
  REQUIRE(map.size() == static_cast<size_t>(2 * T * T));
  for (int row = 0; row < 2 * T; ++row) {
    double s = 0;
    for (int k = 0; k < T; ++k) s += map[static_cast<size_t>(row) * T + k];
    CHECK(s == doctest::Approx(1.0).epsilon(1e-5));
  }
  CHECK(model.attention_map(2, 0).empty());
  CHECK(model.attention_map(0, 2).empty());
}

TEST_CASE("DiT on the GL backend: forward and every gradient match the CPU backend") {
  std::string why;
  if (!gl_backend_available(&why)) {
    MESSAGE("GL backend skipped: " << why);
    return;
  }
  auto cpu = make_cpu_backend();
  auto gl = make_backend(BackendKind::gl);
  DiT a(tiny(), *cpu), b(tiny(), *gl);
  randomise(a, 9, 0.3);
  std::vector<float> p(a.num_params());
  cpu->read(a.params(), p.data());
  gl->write(b.params(), p.data());
  const int B = 3;
  const Inputs in = inputs(a, B, 5);
  std::vector<float> oa(in.x.size()), ob(in.x.size());
  a.forward(in.x.data(), in.t.data(), in.labels.data(), B, oa.data());
  b.forward(in.x.data(), in.t.data(), in.labels.data(), B, ob.data());
  auto nmse = [](const std::vector<float>& x, const std::vector<float>& y) {
    double num = 0, den = 1e-12;
    for (size_t i = 0; i < x.size(); ++i)
      num += (x[i] - y[i]) * double(x[i] - y[i]), den += double(x[i]) * x[i];
    return num / den;
  };
  CHECK(nmse(oa, ob) < 1e-9);
  a.backward(in.r.data());
  b.backward(in.r.data());
  std::vector<float> ga(a.num_params()), gb(a.num_params());
  cpu->read(a.grads(), ga.data());
  gl->read(b.grads(), gb.data());
  for (const ParamBlock& blk : a.layout()) {
    CAPTURE(blk.name);
    std::vector<float> x(ga.begin() + blk.offset, ga.begin() + blk.offset + blk.rows * blk.cols),
        y(gb.begin() + blk.offset, gb.begin() + blk.offset + blk.rows * blk.cols);
    CHECK(nmse(x, y) < 1e-8);
  }
  const std::vector<float> ma = a.attention_map(0, 2), mb = b.attention_map(0, 2);
  CHECK(nmse(ma, mb) < 1e-9);
}

TEST_CASE("a DiT checkpoint round-trips: same config and weights and output") {
  auto be = make_cpu_backend();
  DiT model(tiny(), *be);
  randomise(model, 10, 0.3);
  Checkpoint ck;
  ck.architecture = model.family();
  ck.model_config = model.config_map();
  ck.dataset = "fashion-mnist";
  ck.params.resize(model.num_params());
  be->read(model.params(), ck.params.data());
  ck.ema_params = ck.params;
  const Checkpoint back = parse_checkpoint(serialize_checkpoint(ck), "dit.ckpt");
  CHECK(back.architecture == "dit");
  CHECK(back.model_config == ck.model_config);
  const ModelFamily* f = find_model_family(back.architecture);
  REQUIRE(f != nullptr);
  auto loaded = f->make(back.model_config, *be);
  auto* dit = dynamic_cast<DiT*>(loaded.get());
  REQUIRE(dit != nullptr);
  be->write(dit->params(), back.ema_params.data());
  const Inputs in = inputs(model, 2, 11);
  std::vector<float> a(in.x.size()), b(in.x.size());
  model.forward(in.x.data(), in.t.data(), in.labels.data(), 2, a.data());
  dit->forward(in.x.data(), in.t.data(), in.labels.data(), 2, b.data());
  CHECK(a == b);
}

TEST_CASE(
    "ImageTrainer trains family dit: L_simple falls within 60 steps and its checkpoint samples as an image") {
  // 8×8 images: a bright square on a dark background at one of two places, labels 0 and 1.
  ImageDataset d;
  d.count = 32;
  d.height = d.width = 8;
  d.pixels.assign(d.count * 64, -1.0f);
  for (int i = 0; i < d.count; ++i) {
    for (int y = 2; y < 6; ++y)
      for (int x = (i % 2) * 4; x < (i % 2) * 4 + 4; ++x) d.pixels[i * 64 + y * 8 + x] = 1.0f;
    d.labels.push_back(i % 2);
  }
  d.num_classes = 2;
  DiTConfig m = tiny();
  m.in_channels = 1;
  m.num_classes = 2;
  ImageTrainConfig c;
  c.family = "dit";
  c.family_config = dit_config_map(m);
  c.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};
  c.batch = 16;
  c.threads = 1;
  c.optimizer.lr = 3e-3f;
  ImageTrainer trainer(c, d);
  CHECK(trainer.model().family() == "dit");
  double first = 0, last = 0;
  for (int i = 0; i < 60; ++i) {
    const StepResult r = trainer.step();
    REQUIRE(std::isfinite(r.loss));
    if (i < 10) first += r.loss / 10;
    if (i >= 50) last += r.loss / 10;
  }
  CHECK(last < 0.8 * first);
  Checkpoint ck;
  ck.architecture = trainer.model().family();
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.dataset = "squares";
  ck.ema_params = trainer.read_params(true);
  auto loaded = model_from_checkpoint(parse_checkpoint(serialize_checkpoint(ck), "d.ckpt"), "d.ckpt");
  CHECK(loaded->is_image());
  CHECK(loaded->image_height == 8);
  CHECK(loaded->num_classes == 2);
  std::vector<float> x(2 * 64, 0.5f), eps(2 * 64);
  loaded->model().predict_eps(x.data(), 2, 50, eps.data());
  for (float v : eps) CHECK(std::isfinite(v));
}
