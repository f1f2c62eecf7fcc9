// test_image_net.cpp — the image-network seam (nn/image_net.h) on the U-Net: given conditioning rows equal
// the class lookup, their gradient is the finite difference of the loss, and a 4-channel (latent) U-Net keeps
// its channels. Not the U-Net's parameter gradients (test_gradients.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "core/rng.h"
#include "nn/unet.h"

using namespace difflab;

namespace {

UNetConfig small_config(int classes, int channels) {
  UNetConfig c;
  c.channels = {8, 16};
  c.attention = {0, 0};
  c.mid_attention = false;
  c.groups = 4;
  c.head_dim = 8;
  c.height = c.width = 8;
  c.num_classes = classes;
  c.in_channels = channels;
  return c;
}

std::vector<float> normal(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng.normal());
  return v;
}

}  // namespace

TEST_CASE("forward_rows with the class rows equals forward with the labels") {
  auto backend = make_cpu_backend();
  UNet net(small_config(3, 1), *backend);
  net.init_params(11);
  const int B = 4;
  const std::vector<float> x = normal(static_cast<size_t>(B) * net.dim(), 1);
  const std::vector<float> t = {3, 40, 500, 999};
  const std::vector<int> labels = {0, 2, -1, 1};
  std::vector<float> rows(static_cast<size_t>(B) * net.cond_dim());
  for (int i = 0; i < B; ++i)
    net.read_class_row(labels[i], rows.data() + static_cast<size_t>(i) * net.cond_dim());
  // The null class is the extra row: not the zero vector (the embedding is drawn from 𝒩(0, 1)).
  double null_norm = 0;
  for (int k = 0; k < net.cond_dim(); ++k) null_norm += std::abs(rows[2 * net.cond_dim() + k]);
  CHECK(null_norm > 0.1);
  std::vector<float> a(x.size()), b(x.size());
  net.forward(x.data(), t.data(), labels.data(), B, a.data());
  net.forward_rows(x.data(), t.data(), rows.data(), B, b.data());
  for (size_t k = 0; k < a.size(); ++k) REQUIRE(a[k] == doctest::Approx(b[k]).epsilon(1e-6));
}

TEST_CASE("read_d_rows is the finite-difference gradient of the loss with respect to a conditioning row") {
  auto backend = make_cpu_backend();
  UNet net(small_config(0, 1), *backend);
  net.init_params(12);
  const int B = 2;
  const std::vector<float> x = normal(static_cast<size_t>(B) * net.dim(), 2);
  const std::vector<float> w = normal(x.size(), 3);  // loss = Σ w · out
  const std::vector<float> t = {10, 700};
  std::vector<float> rows = normal(static_cast<size_t>(B) * net.cond_dim(), 4);
  std::vector<float> out(x.size()), d_rows(rows.size());
  auto loss = [&]() {
    net.forward_rows(x.data(), t.data(), rows.data(), B, out.data());
    double s = 0;
    for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(w[k]) * out[k];
    return s;
  };
  loss();
  net.backward(w.data());
  net.read_d_rows(d_rows.data());
  for (int k : {0, 5, net.cond_dim() + 7, 2 * net.cond_dim() - 1}) {
    const float keep = rows[k], h = 1e-2f;
    rows[k] = keep + h;
    const double up = loss();
    rows[k] = keep - h;
    const double down = loss();
    rows[k] = keep;
    const double fd = (up - down) / (2.0 * h);
    CHECK(d_rows[k] == doctest::Approx(fd).epsilon(2e-2).scale(1e-3));
  }
}

TEST_CASE("a 4-channel U-Net maps x of H·W·4 values to as many and writes in_channels in its config") {
  auto backend = make_cpu_backend();
  UNet net(small_config(0, 4), *backend);
  net.init_params(13);
  CHECK(net.dim() == 8 * 8 * 4);
  CHECK(net.channels() == 4);
  CHECK(net.config_map().at("in_channels") == "4");
  CHECK(unet_config_from_map(net.config_map()).in_channels == 4);
  ModelConfigMap old = net.config_map();
  old.erase("in_channels");  // a checkpoint from before latent diffusion
  CHECK(unet_config_from_map(old).in_channels == 1);
  // More input channels: conv_in and conv_out grow by 3 × 9 × c₀ and 3 × 9 × c₀ + 3 (bias).
  CHECK(UNet::count_params(small_config(0, 4)) - UNet::count_params(small_config(0, 1)) == 3 * 9 * 8 * 2 + 3);
  const std::vector<float> x = normal(static_cast<size_t>(2) * net.dim(), 5), t = {1, 2};
  std::vector<float> out(x.size(), NAN);
  net.forward(x.data(), t.data(), nullptr, 2, out.data());
  for (float v : out) REQUIRE(std::isfinite(v));
}
