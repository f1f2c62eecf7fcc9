// test_autoencoder.cpp — the latent autoencoder (nn/autoencoder.h) and its objective against numbers from
// elsewhere: a parameter count by hand, central finite differences for every parameter, the loss in closed
// form at a network whose weights are zero, the scale factor of a known set, and a short run that learns.
// Not a test of the latent U-Net (test_image_training.cpp covers ImageTrainer; the latents are its data).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "nn/autoencoder.h"
#include "nn/cond_projection.h"
#include "nn/model_family.h"
#include "nn/unet.h"
#include "train/autoencoder_objective.h"
#include "train/latent_diffusion.h"
#include "train/train_loop.h"

using namespace difflab;

namespace {

std::vector<float> normals(size_t n, uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(scale * rng.normal());
  return v;
}

AutoencoderConfig small_config() {
  AutoencoderConfig c;
  c.channels = {4, 8};
  c.latent_channels = 2;
  c.groups = 2;
  return c;
}

}  // namespace

TEST_CASE("autoencoder parameter count: the default 16,32 / 4-channel network counted by hand") {
  // Encoder: conv 1→16 (144 + 16) + GN (32); conv 16→32 (4608 + 32) + GN (64); conv 32→32 (9216 + 32) + GN
  // (64); conv 32→8 (2304 + 8) = 16,520. Decoder: conv 4→32 (1152 + 32) + GN (64); conv 32→32 (9216 + 32) +
  // GN (64); conv 32→16 (4608 + 16) + GN (32); conv 16→1 (144 + 1) = 15,361.
  CHECK(autoencoder_param_count(AutoencoderConfig{}) == 31881u);
  const ModelFamily* family = find_model_family("autoencoder");
  REQUIRE(family != nullptr);
  CHECK(family->param_count(autoencoder_config_map(AutoencoderConfig{})) == 31881u);
  auto backend = make_cpu_backend();
  Autoencoder model(AutoencoderConfig{}, *backend);
  CHECK(model.num_params() == 31881u);
  CHECK(model.latent_dim() == 4 * 8 * 8);
  CHECK_THROWS(
      autoencoder_config_from_map({{"ae_channels", "12,32"}, {"latent_channels", "4"}, {"groups", "8"}}));
}

TEST_CASE("autoencoder loss: gradients match central finite differences (beta 0 and 0.5)") {
  for (double beta : {0.0, 0.5}) {
    CAPTURE(beta);
    auto backend = make_cpu_backend();
    Autoencoder model(small_config(), *backend);
    model.init_params(3);
    ImageDataset none;
    AutoencoderObjective objective(model, none, {2, beta}, 1);
    const std::vector<float> x = normals(2 * 784, 11, 0.5), eps = normals(2 * model.latent_dim(), 12);
    objective.gradients(x, eps);
    std::vector<float> theta(model.num_params()), g(model.num_params());
    backend->read(model.params(), theta.data());
    backend->read(model.grads(), g.data());
    const double h = 1e-2;
    int checked = 0, close = 0;
    for (size_t i = 0; i < theta.size(); i += 3) {
      const float saved = theta[i];
      theta[i] = saved + static_cast<float>(h);
      backend->write(model.params(), theta.data());
      const double plus = objective.loss(x, eps);
      theta[i] = saved - static_cast<float>(h);
      backend->write(model.params(), theta.data());
      const double minus = objective.loss(x, eps);
      theta[i] = saved;
      backend->write(model.params(), theta.data());
      const double numeric = (plus - minus) / (2 * h);
      ++checked;
      if (std::abs(g[i] - numeric) <= 3e-2 * std::abs(numeric) + 2e-5) ++close;
    }
    CAPTURE(checked);
    // Every parameter but a rare one where float32 rounding of a mean over 1,568 pixels dominates a tiny
    // derivative.
    CHECK(close >= checked - 2);
  }
}

TEST_CASE("autoencoder loss at zero weights: (c − x)² and the Gaussian KL in closed form") {
  // All weights and biases 0 except the encoder's last bias (μ = m, log σ² = v) and the decoder's last bias
  // (x̂ = c): every GroupNorm sees a constant 0 and gives β = 0, SiLU(0) = 0, so x̂ ≡ c whatever z.
  auto backend = make_cpu_backend();
  const AutoencoderConfig config = small_config();
  Autoencoder model(config, *backend);
  std::vector<float> theta(model.num_params(), 0.0f);
  // Encoder layout: 4 stages; the last stage (no norm) ends the encoder: weight 9·8·4 then bias 4.
  const size_t encoder_params = 9 * 1 * 4 + 4 + 8 + 9 * 4 * 8 + 8 + 16 + 9 * 8 * 8 + 8 + 16 + 9 * 8 * 4 + 4;
  const double m = 0.3, v = -0.7, c = 0.25, beta = 0.5;
  theta[encoder_params - 4] = theta[encoder_params - 3] = static_cast<float>(m);  // μ channels
  theta[encoder_params - 2] = theta[encoder_params - 1] = static_cast<float>(v);  // log σ² channels
  theta.back() = static_cast<float>(c);                                           // decoder's output bias
  backend->write(model.params(), theta.data());
  ImageDataset none;
  AutoencoderObjective objective(model, none, {2, beta}, 1);
  const std::vector<float> x = normals(2 * 784, 5, 0.5), eps = normals(2 * model.latent_dim(), 6);
  double sq = 0;
  for (float xi : x) sq += (c - xi) * (c - xi);
  const double mse = sq / x.size(), kl = 0.5 * (m * m + std::exp(v) - 1 - v);
  CHECK(objective.loss(x, eps) == doctest::Approx(mse + beta * kl).epsilon(1e-5));
  CHECK(objective.last_mse() == doctest::Approx(mse).epsilon(1e-5));
  CHECK(objective.last_kl() == doctest::Approx(kl).epsilon(1e-5));
  // The encoding is μ = m at every latent number.
  const std::vector<float> mu = encode_means(model, x.data(), 2);
  for (float value : mu) CHECK(value == doctest::Approx(m).epsilon(1e-6));
}

TEST_CASE("latent scale factor: 1 / sample standard deviation, decode divides by it") {
  // {1, −1, 1, −1}: mean 0, sample variance 4/3 → factor √3 / 2.
  CHECK(latent_scale_factor({1, -1, 1, -1}) == doctest::Approx(std::sqrt(3.0) / 2));
  CHECK(latent_scale_factor({2, 2, 2}) == 1.0);  // no spread: left unscaled
}

TEST_CASE("a short autoencoder run lowers the reconstruction error") {
  auto backend = make_cpu_backend();
  Autoencoder model(small_config(), *backend);
  model.init_params(1);
  ImageDataset data;
  data.count = 32;
  data.height = data.width = 28;
  Rng rng(4);
  for (int i = 0; i < data.count; ++i)  // blobs: a bright square at a random place on a dark background
    for (int k = 0, y0 = static_cast<int>(rng.below(20)), x0 = static_cast<int>(rng.below(20)); k < 784; ++k)
      data.pixels.push_back(k / 28 >= y0 && k / 28 < y0 + 8 && k % 28 >= x0 && k % 28 < x0 + 8 ? 1.0f
                                                                                               : -1.0f);
  const double before = reconstruction_mse(model, data);
  TrainLoop loop;
  loop.add_part("model", model, {{3e-3f, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 100});
  AutoencoderObjective objective(model, data, {16, 1e-3}, 2);
  for (int s = 0; s < 60; ++s) loop.step(objective);
  const double after = reconstruction_mse(model, data);
  CAPTURE(before);
  CAPTURE(after);
  CHECK(after < 0.5 * before);
}

TEST_CASE("text-conditioning path: embedding -> CondProjection -> forward_rows of a 4-channel latent U-Net") {
  // loss = Σ w · U-Net(x, t, rows = e·W + b); ∂loss/∂W from read_d_rows and the projection's backward against
  // central finite differences of W, b and e; and rows equal to the class row reproduce forward with the
  // label.
  auto backend = make_cpu_backend();
  UNetConfig config;
  config.channels = {8, 16};
  config.attention = {0, 0};
  config.mid_attention = false;
  config.groups = 4;
  config.head_dim = 8;
  config.height = config.width = 8;
  config.in_channels = 4;
  config.num_classes = 3;
  UNet net(config, *backend);
  net.init_params(7);
  const int B = 2, E = 5;
  CondProjection projection(E, net.cond_dim(), *backend);
  projection.init_params(8);
  const std::vector<float> x = normals(static_cast<size_t>(B) * net.dim(), 9), w = normals(x.size(), 10);
  std::vector<float> e = normals(static_cast<size_t>(B) * E, 11);
  const std::vector<float> t = {20, 600};
  std::vector<float> rows(static_cast<size_t>(B) * net.cond_dim()), out(x.size());
  auto loss = [&] {
    projection.forward(e.data(), B, rows.data());
    net.forward_rows(x.data(), t.data(), rows.data(), B, out.data());
    double s = 0;
    for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(w[k]) * out[k];
    return s;
  };
  loss();
  net.backward(w.data());
  std::vector<float> d_rows(rows.size()), d_e(e.size()), g(projection.num_params()),
      theta(projection.num_params());
  net.read_d_rows(d_rows.data());
  projection.backward(d_rows.data(), d_e.data());
  backend->read(projection.grads(), g.data());
  backend->read(projection.params(), theta.data());
  const float h = 1e-2f;
  for (size_t i = 0; i < theta.size(); i += 7) {
    const float keep = theta[i];
    theta[i] = keep + h;
    backend->write(projection.params(), theta.data());
    const double up = loss();
    theta[i] = keep - h;
    backend->write(projection.params(), theta.data());
    const double down = loss();
    theta[i] = keep;
    backend->write(projection.params(), theta.data());
    // float32 sums of 512 outputs: an absolute slack of 2e-2 · 1e-2 for the smallest derivatives.
    CHECK(g[i] == doctest::Approx((up - down) / (2.0 * h)).epsilon(2e-2).scale(1e-2));
  }
  for (size_t i = 0; i < e.size(); ++i) {
    const float keep = e[i];
    e[i] = keep + h;
    const double up = loss();
    e[i] = keep - h;
    const double down = loss();
    e[i] = keep;
    CHECK(d_e[i] == doctest::Approx((up - down) / (2.0 * h)).epsilon(2e-2).scale(1e-3));
  }
  // A projection whose output is class 2's row (W = 0, b = that row) gives forward(label 2) exactly.
  std::vector<float> zero_w(projection.num_params(), 0.0f), class_row(net.cond_dim());
  net.read_class_row(2, class_row.data());
  std::copy(class_row.begin(), class_row.end(), zero_w.end() - net.cond_dim());
  backend->write(projection.params(), zero_w.data());
  loss();
  std::vector<float> by_label(out.size());
  const std::vector<int> labels = {2, 2};
  net.forward(x.data(), t.data(), labels.data(), B, by_label.data());
  for (size_t k = 0; k < out.size(); k += 17) CHECK(out[k] == doctest::Approx(by_label[k]).epsilon(1e-5));
}

TEST_CASE(
    "encode_dataset: 8x8xz latents times the scale, labels kept; decode_latents divides the scale back") {
  auto backend = make_cpu_backend();
  Autoencoder model(small_config(), *backend);
  model.init_params(21);
  ImageDataset images;
  images.count = 3;
  images.height = images.width = 28;
  images.pixels = normals(3 * 784, 22, 0.5);
  images.labels = {4, 0, 9};
  images.num_classes = 10;
  const double scale = 2.5;
  const ImageDataset latents = encode_dataset(model, images, scale);
  CHECK(latents.count == 3);
  CHECK(latents.height == 8);
  CHECK(latents.width == 8);
  CHECK(latents.channels == 2);
  CHECK(latents.dim() == model.latent_dim());
  CHECK(latents.labels == images.labels);
  const std::vector<float> mu = encode_means(model, images.pixels.data(), 3);
  REQUIRE(latents.pixels.size() == mu.size());
  for (size_t k = 0; k < mu.size(); ++k)
    CHECK(latents.pixels[k] == doctest::Approx(scale * mu[k]).epsilon(1e-6));
  // decode_latents(scale·μ, scale) = clamp(decode(μ), −1, 1).
  const std::vector<float> via_scaled = decode_latents(model, latents.pixels.data(), 3, scale);
  std::vector<float> direct(3 * 784);
  model.decode(mu.data(), 3, direct.data());
  for (size_t k = 0; k < direct.size(); k += 11)
    CHECK(via_scaled[k] == doctest::Approx(std::clamp(direct[k], -1.0f, 1.0f)).epsilon(1e-5));
}
