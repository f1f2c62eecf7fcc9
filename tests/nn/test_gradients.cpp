// test_gradients.cpp — every op's backward against central finite differences, and the whole MLP's.
// Not a speed test. Float32 ops, so differences use h = 1e-2 and tolerances of about 1 %.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "core/rng.h"
#include "nn/backend.h"
#include "nn/mlp.h"

using namespace difflab;

namespace {

struct Fixture {
  std::unique_ptr<Backend> backend = make_cpu_backend();
  std::vector<std::unique_ptr<Storage>> storages;
  Rng rng{42};
  Tensor make(int rows, int cols, double scale = 1.0) {
    storages.push_back(backend->create_storage(static_cast<size_t>(rows) * cols));
    Tensor t{storages.back().get(), 0, rows, cols};
    for (size_t i = 0; i < t.size(); ++i) t.host()[i] = static_cast<float>(scale * rng.normal());
    return t;
  }
};

// Σ r ⊙ f(·), the scalar whose gradient backward() computes when d_out = r.
double weighted_sum(const Tensor& out, const Tensor& r) {
  double s = 0;
  for (size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out.host()[i]) * r.host()[i];
  return s;
}

// Checks analytic[i] against (L(x+h) − L(x−h))/2h for every entry of x.
void check_gradient(const Tensor& x, const Tensor& analytic, const std::function<double()>& loss,
                    double h = 1e-2) {
  for (size_t i = 0; i < x.size(); ++i) {
    const float saved = x.host()[i];
    x.host()[i] = saved + static_cast<float>(h);
    const double plus = loss();
    x.host()[i] = saved - static_cast<float>(h);
    const double minus = loss();
    x.host()[i] = saved;
    const double numeric = (plus - minus) / (2 * h);
    CHECK(analytic.host()[i] == doctest::Approx(numeric).epsilon(1e-2).scale(1e-1));
  }
}

}  // namespace

TEST_CASE("linear backward matches finite differences for input, weight and bias") {
  Fixture f;
  const Tensor in = f.make(5, 4), w = f.make(4, 3), b = f.make(1, 3), out = f.make(5, 3), r = f.make(5, 3);
  const Tensor d_in = f.make(5, 4), d_w = f.make(4, 3), d_b = f.make(1, 3);
  auto loss = [&] {
    f.backend->linear_forward(out, in, w, b);
    return weighted_sum(out, r);
  };
  f.backend->linear_backward(d_in, d_w, d_b, r, in, w, false, false);
  check_gradient(in, d_in, loss);
  check_gradient(w, d_w, loss);
  check_gradient(b, d_b, loss);
}

TEST_CASE("linear backward accumulates when asked") {
  Fixture f;
  const Tensor in = f.make(3, 2), w = f.make(2, 2), r = f.make(3, 2);
  const Tensor d_in = f.make(3, 2), d_w = f.make(2, 2), d_b = f.make(1, 2);
  f.backend->linear_backward(d_in, d_w, d_b, r, in, w, false, false);
  const std::vector<float> once(d_w.host(), d_w.host() + 4), once_in(d_in.host(), d_in.host() + 6);
  f.backend->linear_backward(d_in, d_w, d_b, r, in, w, true, true);
  for (int i = 0; i < 4; ++i) CHECK(d_w.host()[i] == doctest::Approx(2 * once[i]));
  for (int i = 0; i < 6; ++i) CHECK(d_in.host()[i] == doctest::Approx(2 * once_in[i]));
}

TEST_CASE("activation backward matches finite differences (GELU, ReLU, SiLU)") {
  for (Activation a : {Activation::Gelu, Activation::Relu, Activation::Silu}) {
    CAPTURE(activation_name(a));
    Fixture f;
    const Tensor in = f.make(4, 6, 1.5), out = f.make(4, 6), r = f.make(4, 6), d_in = f.make(4, 6);
    for (size_t i = 0; i < in.size(); ++i)  // keep ReLU's kink out of reach of ±h
      if (std::abs(in.host()[i]) < 0.05f) in.host()[i] = 0.3f;
    auto loss = [&] {
      f.backend->activation_forward(a, out, in);
      return weighted_sum(out, r);
    };
    f.backend->activation_backward(a, d_in, r, in);
    check_gradient(in, d_in, loss, 1e-2);
  }
}

TEST_CASE("GELU is the exact erf form: GELU(1) = 0.8413447460685429 (PyTorch nn.GELU())") {
  Fixture f;
  const Tensor in = f.make(1, 3), out = f.make(1, 3);
  in.host()[0] = 1.0f, in.host()[1] = -0.5f, in.host()[2] = 2.0f;
  f.backend->activation_forward(Activation::Gelu, out, in);
  CHECK(out.host()[0] == doctest::Approx(0.8413447460685429).epsilon(1e-6));
  CHECK(out.host()[1] == doctest::Approx(-0.15426876936299347).epsilon(1e-6));
  CHECK(out.host()[2] == doctest::Approx(1.9544997361036416).epsilon(1e-6));
}

TEST_CASE("sinusoidal embedding matches tiny-diffusion's definition") {
  Fixture f;
  const Tensor in = f.make(2, 1), out = f.make(2, 8);
  in.host()[0] = 0.3f, in.host()[1] = -1.0f;
  f.backend->sinusoidal_embedding(out, 0, in, 0, 8, 25.0f);
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 4; ++k) {
      const double freq = std::exp(-std::log(10000.0) * k / 3.0);
      const double arg = 25.0 * in.host()[r] * freq;
      CHECK(out.host()[r * 8 + k] == doctest::Approx(std::sin(arg)).epsilon(1e-4).scale(1));
      CHECK(out.host()[r * 8 + 4 + k] == doctest::Approx(std::cos(arg)).epsilon(1e-4).scale(1));
    }
}

TEST_CASE("AdamW step equals PyTorch's update rule computed by hand") {
  Fixture f;
  const Tensor p = f.make(1, 3), g = f.make(1, 3), m = f.make(1, 3), v = f.make(1, 3);
  f.backend->fill(m, 0);
  f.backend->fill(v, 0);
  const float p0[3] = {p.host()[0], p.host()[1], p.host()[2]};
  const AdamWConfig c{0.01f, 0.9f, 0.999f, 1e-8f, 0.1f};
  f.backend->adamw_step(p, g, m, v, c, 1);
  for (int i = 0; i < 3; ++i) {
    // step 1: m̂ = g, v̂ = g², p ← p(1 − lr·wd) − lr·g/(|g| + eps)
    const double gi = g.host()[i];
    const double expected = p0[i] * (1 - 0.01 * 0.1) - 0.01 * gi / (std::abs(gi) + 1e-8);
    CHECK(p.host()[i] == doctest::Approx(expected).epsilon(1e-5));
  }
}

TEST_CASE("the reference MLP has tiny-diffusion's 99,074 parameters") {
  auto backend = make_cpu_backend();
  MlpModel model(MlpConfig{}, *backend);
  CHECK(model.num_params() == 99074);
}

TEST_CASE("whole-MLP backward matches finite differences on sampled parameters") {
  for (Activation a : {Activation::Gelu, Activation::Silu}) {
    auto backend = make_cpu_backend();
    MlpConfig config;
    config.width = 16;
    config.depth = 2;
    config.embedding_size = 8;
    config.input_scale = 2.0f;
    config.activation = a;
    MlpModel model(config, *backend);
    model.init_params(3);
    Rng rng(9);
    const int B = 6;
    std::vector<float> input(3 * B), out(2 * B), r(2 * B);
    for (int i = 0; i < B; ++i) {
      input[3 * i] = static_cast<float>(rng.normal());
      input[3 * i + 1] = static_cast<float>(rng.normal());
      input[3 * i + 2] = static_cast<float>(rng.below(50));
    }
    for (float& x : r) x = static_cast<float>(rng.normal());
    auto loss = [&] {
      model.forward(input.data(), B, out.data());
      double s = 0;
      for (int k = 0; k < 2 * B; ++k) s += static_cast<double>(out[k]) * r[k];
      return s;
    };
    loss();
    model.backward(r.data());
    const Tensor params = model.params(), grads = model.grads();
    for (const ParamBlock& block : model.layout()) {
      CAPTURE(block.name);
      for (int k = 0; k < 5; ++k) {
        const size_t i = block.offset + rng.below(static_cast<uint64_t>(block.rows) * block.cols);
        const float saved = params.host()[i];
        const double h = 1e-2;
        params.host()[i] = saved + static_cast<float>(h);
        const double plus = loss();
        params.host()[i] = saved - static_cast<float>(h);
        const double minus = loss();
        params.host()[i] = saved;
        CHECK(grads.host()[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(2e-2).scale(1e-1));
      }
    }
  }
}

TEST_CASE("forward_shared_t equals forward with every row at the same t") {
  auto backend = make_cpu_backend();
  MlpModel model(MlpConfig{}, *backend);
  model.init_params(1);
  Rng rng(2);
  const int B = 7;
  std::vector<float> input(3 * B), xy(2 * B), a(2 * B), b(2 * B);
  for (int i = 0; i < B; ++i) {
    xy[2 * i] = input[3 * i] = static_cast<float>(rng.normal());
    xy[2 * i + 1] = input[3 * i + 1] = static_cast<float>(rng.normal());
    input[3 * i + 2] = 17.0f;
  }
  model.forward(input.data(), B, a.data());
  model.forward_shared_t(xy.data(), B, 17.0f, b.data());
  for (int k = 0; k < 2 * B; ++k) CHECK(a[k] == doctest::Approx(b[k]).epsilon(1e-4).scale(1));
}

TEST_CASE("threaded ops give the same results as one thread") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    auto backend = make_cpu_backend();
    backend->set_threads(threads);
    MlpModel model(MlpConfig{}, *backend);
    model.init_params(1);
    Rng rng(2);
    const int B = 1024;
    std::vector<float> input(3 * B), out(2 * B), r(2 * B, 0.01f);
    for (int i = 0; i < B; ++i) {
      input[3 * i] = static_cast<float>(rng.normal());
      input[3 * i + 1] = static_cast<float>(rng.normal());
      input[3 * i + 2] = static_cast<float>(rng.below(50));
    }
    model.forward(input.data(), B, out.data());
    model.backward(r.data());
    static std::vector<float> reference_out, reference_grad;
    std::vector<float> grad(model.num_params());
    backend->read(model.grads(), grad.data());
    if (threads == 1) {
      reference_out = out;
      reference_grad = grad;
      continue;
    }
    for (size_t k = 0; k < out.size(); ++k)
      CHECK(out[k] == doctest::Approx(reference_out[k]).epsilon(1e-5).scale(1));
    for (size_t k = 0; k < grad.size(); k += 97)
      CHECK(grad[k] == doctest::Approx(reference_grad[k]).epsilon(1e-4).scale(1e-3));
  }
}
