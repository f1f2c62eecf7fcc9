// test_text_latent.cpp — text-conditioned latent diffusion: the objective's loss on a fixed batch against its
// definition, its gradients against finite differences, prompts with unknown words, the checkpoint keys.
// Not a training-quality test (the shipped checkpoint's accuracy per prompt is in README).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "data/captions.h"
#include "nn/backend_factory.h"
#include "nn/unet.h"
#include "tiny_unet.h"
#include "train/clip_objective.h"
#include "train/text_latent.h"

using namespace difflab;

namespace {

struct Fixture {
  std::unique_ptr<Backend> backend = make_backend(BackendKind::cpu);
  UNetConfig config = [] {
    UNetConfig c = test::tiny_unet(false, 8);
    c.in_channels = 4;
    return c;
  }();
  UNet unet{config, *backend};
  ClipModel clip{default_clip_config(), *backend};
  TextEmbedder text{clip};
  CondProjection projection{clip.embed_dim(), unet.cond_dim(), *backend};
  ImageDataset latents;
  NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  int B = 3, D = 0, E = 0;
  std::vector<float> x0, t, eps, emb;
  Fixture() {
    unet.init_params(1);
    clip.init_params(2);
    projection.init_params(3);
    D = unet.dim();
    E = clip.embed_dim();
    latents.height = latents.width = 8;
    latents.channels = 4;
    latents.count = 4;
    Rng rng(7);
    for (int k = 0; k < latents.count * D; ++k) latents.pixels.push_back(static_cast<float>(rng.normal()));
    latents.labels = {0, 8, 3, 8};
    x0.assign(latents.pixels.begin(), latents.pixels.begin() + B * D);
    t = {5.0f, 400.0f, 900.0f};
    for (int k = 0; k < B * D; ++k) eps.push_back(static_cast<float>(rng.normal()));
    const std::vector<float>& a = text.embed("una foto de un bolso");
    const std::vector<float>& b = text.embed("a photo of a bag");
    emb = a;
    emb.insert(emb.end(), b.begin(), b.end());
    emb.insert(emb.end(), E, 0.0f);  // the third caption dropped: the null row
  }
  std::vector<float> read(const Tensor& tensor, size_t n) {
    std::vector<float> v(n);
    backend->read(tensor, v.data());
    return v;
  }
};

}  // namespace

TEST_CASE("text latent: the loss on a fixed batch is mean (eps_hat - eps)^2 with rows = e W + b") {
  Fixture f;
  TextLatentSettings s;
  TextLatentObjective objective(f.unet, f.projection, f.text, f.latents, f.schedule, s);
  const double loss = objective.gradients(f.x0.data(), f.t.data(), f.eps.data(), f.emb.data(), f.B);
  // The definition, by hand: rows from the projection's weights, xₜ from the schedule, the U-Net's ε̂.
  const int C = f.unet.cond_dim();
  const std::vector<float> p = f.read(f.projection.params(), f.projection.num_params());
  std::vector<float> rows(static_cast<size_t>(f.B) * C), xt(static_cast<size_t>(f.B) * f.D), out(xt.size());
  for (int i = 0; i < f.B; ++i)
    for (int c = 0; c < C; ++c) {
      double r = p[static_cast<size_t>(f.E) * C + c];
      for (int e = 0; e < f.E; ++e)
        r += f.emb[static_cast<size_t>(i) * f.E + e] * p[static_cast<size_t>(e) * C + c];
      rows[static_cast<size_t>(i) * C + c] = static_cast<float>(r);
    }
  // The dropped caption's row is exactly the bias b.
  for (int c = 0; c < C; ++c)
    CHECK(rows[static_cast<size_t>(2) * C + c] == p[static_cast<size_t>(f.E) * C + c]);
  for (int i = 0; i < f.B; ++i) {
    const int ti = static_cast<int>(f.t[i]);
    for (int k = 0; k < f.D; ++k) {
      const size_t j = static_cast<size_t>(i) * f.D + k;
      xt[j] = static_cast<float>(f.schedule.sqrt_alpha_bar[ti] * f.x0[j] +
                                 f.schedule.sqrt_one_minus_alpha_bar[ti] * f.eps[j]);
    }
  }
  f.unet.forward_rows(xt.data(), f.t.data(), rows.data(), f.B, out.data());
  double expected = 0;
  for (size_t k = 0; k < out.size(); ++k) expected += (out[k] - f.eps[k]) * (out[k] - f.eps[k]);
  expected /= static_cast<double>(out.size());
  CHECK(loss == doctest::Approx(expected).epsilon(1e-5));
  CHECK(loss > 0.1);  // untrained: ε̂ is far from ε
}

TEST_CASE("text latent: gradients of the projection and the U-Net match finite differences") {
  Fixture f;
  TextLatentObjective objective(f.unet, f.projection, f.text, f.latents, f.schedule, TextLatentSettings{});
  objective.gradients(f.x0.data(), f.t.data(), f.eps.data(), f.emb.data(), f.B);
  const std::vector<float> gp = f.read(f.projection.grads(), f.projection.num_params());
  const std::vector<float> gu = f.read(f.unet.grads(), f.unet.num_params());
  auto check = [&](Model& model, const std::vector<float>& grads, size_t index) {
    std::vector<float> params = f.read(model.params(), model.num_params());
    const float original = params[index], h = 1e-2f;
    params[index] = original + h;
    f.backend->write(model.params(), params.data());
    const double up = objective.gradients(f.x0.data(), f.t.data(), f.eps.data(), f.emb.data(), f.B);
    params[index] = original - h;
    f.backend->write(model.params(), params.data());
    const double down = objective.gradients(f.x0.data(), f.t.data(), f.eps.data(), f.emb.data(), f.B);
    params[index] = original;
    f.backend->write(model.params(), params.data());
    const double numeric = (up - down) / (2 * h);
    // The gradients here are ~3e-4 … 2e-2; central differences agree to < 0.4 %.
    CHECK(std::fabs(numeric) > 1e-5);
    CHECK(grads[index] == doctest::Approx(numeric).epsilon(0.01).scale(1e-5));
  };
  const int C = f.unet.cond_dim();
  // W[0][0], W[5][7], b[3] (the bias gets the dropped caption's gradient too), and U-Net weights.
  for (size_t index : {size_t{0}, static_cast<size_t>(5 * C + 7), static_cast<size_t>(f.E * C + 3)})
    check(f.projection, gp, index);
  for (size_t index : {size_t{10}, f.unet.num_params() / 2, f.unet.num_params() - 1})
    check(f.unet, gu, index);
}

TEST_CASE("text latent: a prompt with unknown words still embeds and samples") {
  Fixture f;
  const std::vector<int> tokens = caption_tokenizer().encode("bolso xyzzy");
  CHECK(tokens[1] == WordTokenizer::kUnknown);
  CHECK(caption_tokenizer().decode(tokens) == "bolso <unk>");
  const std::vector<float>& e = f.text.embed("bolso xyzzy");
  REQUIRE(static_cast<int>(e.size()) == f.E);
  double norm = 0;
  for (float v : e) norm += v * v;
  CHECK(std::sqrt(norm) == doctest::Approx(1.0).epsilon(1e-4));  // CLIP's embeddings are normalised
  const std::vector<float> z = sample_text_latents(f.unet, f.projection, f.schedule, e, 2, 3.0, 4, 9);
  REQUIRE(z.size() == static_cast<size_t>(2) * f.D);
  for (float v : z) CHECK(std::isfinite(v));
  // x̂₀ clipped at 2: the last DDIM step returns x̂₀ itself, inside the box.
  for (float v : z) CHECK(std::fabs(v) <= 2.0f + 1e-4f);
}

TEST_CASE("text latent: the projection round-trips through the checkpoint's header keys") {
  Fixture f;
  const std::vector<float> p = f.read(f.projection.params(), f.projection.num_params());
  Checkpoint ck;
  put_text_projection(ck, p, f.E);
  int E = 0;
  const std::vector<float> back = get_text_projection(ck, &E, f.unet.cond_dim());
  CHECK(E == f.E);
  CHECK(back == p);
  ck.extra["text_projection"] += " 1";
  CHECK_THROWS_AS(get_text_projection(ck, &E, f.unet.cond_dim()), std::invalid_argument);
  CHECK_THROWS_AS(get_text_projection(Checkpoint{}, &E, 64), std::invalid_argument);
}
