// test_image_ops.cpp — every NHWC image op's backward against central finite differences on tiny shapes, a
// few forwards against hand-computed values, and the U-Net's parameter counts against issue 5. Not a speed
// test (bench/ and `difflab bench` measure GFLOP/s). Float32, so h = 1e-2 and ≈ 1 % tolerances.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "core/rng.h"
#include "nn/backend.h"
#include "nn/unet.h"

using namespace difflab;

namespace {

struct Fixture {
  std::unique_ptr<Backend> backend = make_cpu_backend();
  std::vector<std::unique_ptr<Storage>> storages;
  Rng rng{7};
  Tensor make(int rows, int cols, double scale = 1.0) {
    storages.push_back(backend->create_storage(static_cast<size_t>(rows) * cols));
    Tensor t{storages.back().get(), 0, rows, cols};
    for (size_t i = 0; i < t.size(); ++i) t.host()[i] = static_cast<float>(scale * rng.normal());
    return t;
  }
  Tensor zeros(int rows, int cols) {
    Tensor t = make(rows, cols);
    backend->fill(t, 0.0f);
    return t;
  }
};

double weighted_sum(const Tensor& out, const Tensor& r) {
  double s = 0;
  for (size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out.host()[i]) * r.host()[i];
  return s;
}

void check_gradient(const Tensor& x, const Tensor& analytic, const std::function<double()>& loss,
                    double h = 1e-2) {
  for (size_t i = 0; i < x.size(); ++i) {
    const float saved = x.host()[i];
    x.host()[i] = saved + static_cast<float>(h);
    const double plus = loss();
    x.host()[i] = saved - static_cast<float>(h);
    const double minus = loss();
    x.host()[i] = saved;
    CHECK(analytic.host()[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(1e-2).scale(1e-1));
  }
}

void check_conv(const ConvShape& s, int threads) {
  Fixture f;
  f.backend->set_threads(threads);
  const int K2C = s.kernel * s.kernel * s.in_channels;
  const int out_rows = s.batch * s.out_height() * s.out_width();
  const Tensor in = f.make(s.batch * s.height * s.width, s.in_channels), w = f.make(K2C, s.out_channels, 0.5),
               b = f.make(1, s.out_channels), out = f.make(out_rows, s.out_channels),
               r = f.make(out_rows, s.out_channels);
  const Tensor d_in = f.make(in.rows, in.cols), d_w = f.make(K2C, s.out_channels),
               d_b = f.make(1, s.out_channels);
  auto loss = [&] {
    f.backend->conv2d_forward(out, in, w, b, s);
    return weighted_sum(out, r);
  };
  f.backend->conv2d_backward(d_in, d_w, d_b, r, in, w, s, false);
  check_gradient(in, d_in, loss);
  check_gradient(w, d_w, loss);
  check_gradient(b, d_b, loss);
}

}  // namespace

// in [2·5·5, 3] → out [2·5·5, 4] (stride 1) or [2·3·3, 4] (stride 2); 1×1: [2·5·5, 3] → [2·5·5, 4].
TEST_CASE("conv2d 3x3 stride 1, 3x3 stride 2 and 1x1 backward match finite differences") {
  check_conv(ConvShape{2, 5, 5, 3, 4, 3, 1, 1}, 1);
  check_conv(ConvShape{2, 5, 5, 3, 4, 3, 2, 1}, 1);
  check_conv(ConvShape{2, 4, 6, 3, 4, 3, 2, 1}, 1);
  check_conv(ConvShape{2, 5, 5, 3, 4, 1, 1, 0}, 1);
}

TEST_CASE("conv2d split over 2 threads matches finite differences too") {
  check_conv(ConvShape{4, 6, 6, 8, 8, 3, 1, 1}, 2);
}

// The convolution as the definition's loops, in double: out, d_in, d_weight and d_bias for a weighting r of
// out.
void check_conv_against_loops(const ConvShape& s, int threads, bool accumulate_input) {
  Fixture f;
  f.backend->set_threads(threads);
  const int C = s.in_channels, OC = s.out_channels, K = s.kernel, OH = s.out_height(), OW = s.out_width();
  const int out_rows = s.batch * OH * OW;
  const Tensor in = f.make(s.batch * s.height * s.width, C), w = f.make(K * K * C, OC, 0.2),
               b = f.make(1, OC), out = f.make(out_rows, OC), r = f.make(out_rows, OC),
               d_in = f.make(in.rows, C), d_w = f.make(K * K * C, OC), d_b = f.make(1, OC);
  const std::vector<float> d_in_before(d_in.host(), d_in.host() + d_in.size());
  std::vector<double> out_ref(out.size()), d_in_ref(d_in.size()), d_w_ref(d_w.size()), d_b_ref(OC);
  for (int bi = 0; bi < s.batch; ++bi)
    for (int oy = 0; oy < OH; ++oy)
      for (int ox = 0; ox < OW; ++ox)
        for (int o = 0; o < OC; ++o) {
          const size_t at = ((static_cast<size_t>(bi) * OH + oy) * OW + ox) * OC + o;
          double sum = b.host()[o];
          d_b_ref[o] += r.host()[at];
          for (int ky = 0; ky < K; ++ky)
            for (int kx = 0; kx < K; ++kx) {
              const int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
              if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
              for (int c = 0; c < C; ++c) {
                const size_t pixel = ((static_cast<size_t>(bi) * s.height + iy) * s.width + ix) * C + c;
                const size_t weight = ((static_cast<size_t>(ky) * K + kx) * C + c) * OC + o;
                sum += double(in.host()[pixel]) * w.host()[weight];
                d_in_ref[pixel] += double(r.host()[at]) * w.host()[weight];
                d_w_ref[weight] += double(r.host()[at]) * in.host()[pixel];
              }
            }
          out_ref[at] = sum;
        }
  f.backend->conv2d_forward(out, in, w, b, s);
  f.backend->conv2d_backward(d_in, d_w, d_b, r, in, w, s, accumulate_input);
  auto agree = [](const Tensor& t, const std::vector<double>& ref, const float* offset) {
    int bad = 0;
    for (size_t i = 0; i < t.size(); ++i)
      if (std::abs(t.host()[i] - (ref[i] + (offset ? offset[i] : 0.0))) > 1e-4 * (1 + std::abs(ref[i])))
        ++bad;
    return bad;
  };
  CHECK(agree(out, out_ref, nullptr) == 0);
  CHECK(agree(d_in, d_in_ref, accumulate_input ? d_in_before.data() : nullptr) == 0);
  CHECK(agree(d_w, d_w_ref, nullptr) == 0);
  CHECK(agree(d_b, d_b_ref, nullptr) == 0);
}

// Channel counts of 16 and more run the vector GEMM kernels (fewer go to Eigen), with ragged row tiles, the
// flipped-kernel input gradient of same-size convolutions, the scatter of strided ones, and accumulation.
TEST_CASE("conv2d with U-Net channel counts matches the definition's loops, forward and backward") {
  check_conv_against_loops(ConvShape{2, 7, 7, 16, 32, 3, 1, 1}, 1, false);
  check_conv_against_loops(ConvShape{3, 6, 5, 32, 16, 3, 1, 1}, 2, true);
  check_conv_against_loops(ConvShape{2, 8, 8, 32, 48, 3, 2, 1}, 2, false);
  check_conv_against_loops(ConvShape{2, 5, 5, 48, 32, 1, 1, 0}, 1, true);
  check_conv_against_loops(ConvShape{2, 9, 9, 1, 32, 3, 1, 1}, 1, false);
  check_conv_against_loops(ConvShape{2, 9, 9, 32, 1, 3, 1, 1}, 2, false);
}

TEST_CASE("conv2d 3x3 forward equals a hand-computed sum at a corner and the centre") {
  // One 3×3 image, one channel, weights all 1, bias 0.5: out = 0.5 + sum of the in-bounds 3×3 neighbours.
  Fixture f;
  const Tensor in = f.make(9, 1), w = f.make(9, 1), b = f.make(1, 1), out = f.make(9, 1);
  for (int i = 0; i < 9; ++i) in.host()[i] = static_cast<float>(i + 1), w.host()[i] = 1.0f;
  b.host()[0] = 0.5f;
  f.backend->conv2d_forward(out, in, w, b, ConvShape{1, 3, 3, 1, 1, 3, 1, 1});
  CHECK(out.host()[0] == doctest::Approx(0.5 + 1 + 2 + 4 + 5));
  CHECK(out.host()[4] == doctest::Approx(0.5 + 45));
  f.backend->conv2d_forward(out.row_block(0, 4), in, w, b, ConvShape{1, 3, 3, 1, 1, 3, 2, 1});  // → 2×2
  CHECK(out.host()[3] == doctest::Approx(0.5 + 5 + 6 + 8 + 9));
}

TEST_CASE("nearest x2 upsampling copies each pixel to a 2x2 block, backward matches finite differences") {
  Fixture f;
  const Tensor in = f.make(2 * 2 * 3, 2), out = f.make(2 * 4 * 6, 2), r = f.make(2 * 4 * 6, 2),
               d_in = f.make(12, 2);
  f.backend->upsample_nearest2x_forward(out, in, 2, 2, 3);
  // Image 1, pixel (y=1, x=2), channel 1 → rows (3,5) of the 4×6 output.
  CHECK(out.host()[((1 * 4 + 3) * 6 + 5) * 2 + 1] == in.host()[((1 * 2 + 1) * 3 + 2) * 2 + 1]);
  auto loss = [&] {
    f.backend->upsample_nearest2x_forward(out, in, 2, 2, 3);
    return weighted_sum(out, r);
  };
  f.backend->upsample_nearest2x_backward(d_in, r, 2, 2, 3);
  check_gradient(in, d_in, loss);
}

TEST_CASE(
    "GroupNorm normalises each group to mean 0, variance 1 and its backward matches finite differences") {
  Fixture f;
  // in [2 images · 6 positions, 4 channels], 2 groups of 2 channels.
  const Tensor in = f.make(12, 4, 2.0), gamma = f.make(1, 4), beta = f.make(1, 4), out = f.make(12, 4),
               stats = f.make(4, 2), r = f.make(12, 4);
  const Tensor d_in = f.make(12, 4), d_gamma = f.make(1, 4), d_beta = f.make(1, 4);
  const Tensor one = f.make(1, 4), zero = f.zeros(1, 4);
  f.backend->fill(one, 1.0f);
  f.backend->group_norm_forward(out, stats, in, one, zero, 2, 2);
  double sum = 0, sum2 = 0;
  for (int p = 6; p < 12; ++p)
    for (int ch = 2; ch < 4; ++ch)
      sum += out.host()[p * 4 + ch], sum2 += out.host()[p * 4 + ch] * out.host()[p * 4 + ch];
  CHECK(sum / 12 == doctest::Approx(0).scale(1));
  CHECK(sum2 / 12 == doctest::Approx(1.0).epsilon(1e-3));  // biased variance, as PyTorch; eps 1e-5
  auto loss = [&] {
    f.backend->group_norm_forward(out, stats, in, gamma, beta, 2, 2);
    return weighted_sum(out, r);
  };
  loss();
  f.backend->group_norm_backward(d_in, d_gamma, d_beta, r, in, stats, gamma, 2, 2);
  check_gradient(in, d_in, loss, 5e-3);
  check_gradient(gamma, d_gamma, loss);
  check_gradient(beta, d_beta, loss);
}

TEST_CASE("SiLU(1) = 1/(1 + e^-1) = 0.7310585786300049 and its backward matches finite differences") {
  Fixture f;
  const Tensor in = f.make(3, 5), out = f.make(3, 5), r = f.make(3, 5), d_in = f.make(3, 5);
  in.host()[0] = 1.0f;
  f.backend->activation_forward(Activation::Silu, out, in);
  CHECK(out.host()[0] == doctest::Approx(0.7310585786300049));
  auto loss = [&] {
    f.backend->activation_forward(Activation::Silu, out, in);
    return weighted_sum(out, r);
  };
  f.backend->activation_backward(Activation::Silu, d_in, r, in);
  check_gradient(in, d_in, loss);
}

TEST_CASE("channel concatenation places a then b and its backward adds the column blocks") {
  Fixture f;
  const Tensor a = f.make(6, 2), b = f.make(6, 3), out = f.make(6, 5), r = f.make(6, 5);
  const Tensor d_a = f.zeros(6, 2), d_b = f.zeros(6, 3);
  f.backend->concat_channels_forward(out, a, b);
  CHECK(out.host()[4 * 5 + 1] == a.host()[4 * 2 + 1]);
  CHECK(out.host()[4 * 5 + 2] == b.host()[4 * 3 + 0]);
  auto loss = [&] {
    f.backend->concat_channels_forward(out, a, b);
    return weighted_sum(out, r);
  };
  f.backend->concat_channels_backward(d_a, d_b, r);
  check_gradient(a, d_a, loss);
  check_gradient(b, d_b, loss);
}

TEST_CASE("multi-head attention: uniform keys average the values, backward matches finite differences") {
  Fixture f;
  // 2 images × 5 positions, C = 4, 2 heads of dimension 2: qkv [10, 12], out [10, 4], probs [2·2·5, 5].
  const Tensor qkv = f.make(10, 12), out = f.make(10, 4), probs = f.make(20, 5), r = f.make(10, 4);
  const Tensor d_qkv = f.make(10, 12);
  {
    Fixture g;
    const Tensor x = g.make(5, 12), o = g.make(5, 4), p = g.make(10, 5);
    for (int i = 0; i < 5; ++i)
      for (int c = 4; c < 8; ++c) x.host()[i * 12 + c] = 0.0f;  // k = 0 → softmax uniform
    g.backend->attention_forward(o, p, x, 1, 2);
    double mean_v = 0;
    for (int i = 0; i < 5; ++i) mean_v += x.host()[i * 12 + 8 + 3] / 5.0;
    CHECK(o.host()[2 * 4 + 3] == doctest::Approx(mean_v));
    CHECK(p.host()[7] == doctest::Approx(0.2));
  }
  auto loss = [&] {
    f.backend->attention_forward(out, probs, qkv, 2, 2);
    return weighted_sum(out, r);
  };
  loss();
  f.backend->attention_backward(d_qkv, r, qkv, probs, 2, 2);
  check_gradient(qkv, d_qkv, loss);
}

TEST_CASE("per-channel add of a projected time embedding and the class-embedding lookup: backward sums") {
  Fixture f;
  const Tensor x = f.make(2 * 3, 4), bias = f.make(2, 4), out = f.make(6, 4), r = f.make(6, 4),
               d_bias = f.make(2, 4);
  const Tensor x0 = f.make(6, 4);
  f.backend->copy(x0, x);
  auto loss = [&] {
    f.backend->copy(out, x0);
    f.backend->add_channel_bias_forward(out, bias, 2);
    return weighted_sum(out, r);
  };
  loss();
  CHECK(out.host()[4 * 4 + 2] == doctest::Approx(x0.host()[4 * 4 + 2] + bias.host()[1 * 4 + 2]));
  f.backend->add_channel_bias_backward(d_bias, r, 2);
  check_gradient(bias, d_bias, loss);

  // Class embedding: table [3 classes + 1 null row, 4]; ids pick rows, the null class is row 3.
  const Tensor table = f.make(4, 4), emb = f.make(5, 4), re = f.make(5, 4), d_table = f.zeros(4, 4);
  const int ids[5] = {0, 3, 2, 0, 3};
  auto eloss = [&] {
    f.backend->embedding_forward(emb, table, ids);
    return weighted_sum(emb, re);
  };
  eloss();
  CHECK(emb.host()[1 * 4 + 1] == table.host()[3 * 4 + 1]);
  f.backend->embedding_backward(d_table, re, ids);
  check_gradient(table, d_table, eloss);
}

TEST_CASE("the time-embedding MLP (sinusoidal, Linear, SiLU, Linear) backward matches finite differences") {
  Fixture f;
  // t [3, 1] → sinusoidal [3, 8] → Linear(8, 32) → SiLU → Linear(32, 32).
  const Tensor t = f.make(3, 1), s = f.make(3, 8), w1 = f.make(8, 32, 0.3), b1 = f.make(1, 32),
               h = f.make(3, 32), a = f.make(3, 32), w2 = f.make(32, 32, 0.2), b2 = f.make(1, 32),
               out = f.make(3, 32), r = f.make(3, 32);
  t.host()[0] = 0, t.host()[1] = 17, t.host()[2] = 999;
  const Tensor d_a = f.make(3, 32), d_h = f.make(3, 32), d_w1 = f.make(8, 32), d_b1 = f.make(1, 32),
               d_w2 = f.make(32, 32), d_b2 = f.make(1, 32);
  auto loss = [&] {
    f.backend->sinusoidal_embedding(s, 0, t, 0, 8, 1.0f);
    f.backend->linear_forward(h, s, w1, b1);
    f.backend->activation_forward(Activation::Silu, a, h);
    f.backend->linear_forward(out, a, w2, b2);
    return weighted_sum(out, r);
  };
  loss();
  f.backend->linear_backward(d_a, d_w2, d_b2, r, a, w2, false, false);
  f.backend->activation_backward(Activation::Silu, d_h, d_a, h);
  f.backend->linear_backward(Tensor{}, d_w1, d_b1, d_h, s, w1, false, false);
  check_gradient(w1, d_w1, loss);
  check_gradient(b1, d_b1, loss);
  check_gradient(w2, d_w2, loss);
}

TEST_CASE("U-Net configs A and B have issue 5's parameter counts (1,707,009 and 2,536,033)") {
  auto backend = make_cpu_backend();
  UNetConfig a, b;
  REQUIRE(unet_preset("A", &a));
  REQUIRE(unet_preset("B", &b));
  CHECK(UNet(a, *backend).num_params() == 1707009);
  CHECK(UNet(b, *backend).num_params() == 2536033);
  UNetConfig bad = a;
  bad.groups = 5;
  CHECK_THROWS_AS(UNet(bad, *backend), std::invalid_argument);
}

// Parameters every `stride`-th (all kinds: convs, norms, attention, embeddings) against central differences.
void check_unet_gradients(const std::vector<int>& channels, int groups, int head_dim, int side, int threads,
                          size_t stride, int min_checked) {
  auto backend = make_cpu_backend();
  backend->set_threads(threads);
  UNetConfig c;
  c.name = "tiny";
  c.channels = channels;
  c.attention = {0, 1};
  c.mid_attention = true;
  c.layers = 1;
  c.groups = groups;
  c.head_dim = head_dim;
  c.height = c.width = side;
  c.num_classes = 3;
  UNet net(c, *backend);
  net.init_params(1);
  const int B = 2, D = side * side;
  Rng rng(3);
  std::vector<float> x(B * D), r(B * D), out(B * D);
  for (auto& v : x) v = static_cast<float>(rng.normal());
  for (auto& v : r) v = static_cast<float>(rng.normal());
  const float t[B] = {3, 40};
  const int labels[B] = {1, -1};
  auto loss = [&] {
    net.forward(x.data(), t, labels, B, out.data());
    double s = 0;
    for (int i = 0; i < B * D; ++i) s += static_cast<double>(out[i]) * r[i];
    return s;
  };
  for (int pass = 0; pass < 2; ++pass) {  // the second pass finds the internal buffers dirty from the first
    loss();
    net.backward(r.data());
  }
  const Tensor p = net.params(), g = net.grads();
  int checked = 0;
  for (size_t i = 0; i < net.num_params(); i += stride, ++checked) {
    const float saved = p.host()[i];
    const double h = 1e-2;
    p.host()[i] = saved + static_cast<float>(h);
    const double plus = loss();
    p.host()[i] = saved - static_cast<float>(h);
    const double minus = loss();
    p.host()[i] = saved;
    CHECK(g.host()[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(3e-2).scale(1e-1));
  }
  CHECK(checked > min_checked);
}

TEST_CASE("whole U-Net backward (attention, skips, class embedding) matches finite differences") {
  check_unet_gradients({4, 8}, 2, 4, 4, 1, 23, 100);
}

// 16 and 32 channels run the vector convolution kernels (padded-image conv_rows, conv_weight_rows,
// flipped-kernel input gradients) through every block of the graph, on two threads.
TEST_CASE("whole U-Net backward with vector-kernel channel counts matches finite differences") {
  check_unet_gradients({16, 32}, 4, 8, 8, 2, 97, 150);
}
