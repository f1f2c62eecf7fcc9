// test_classifier.cpp — pooling, softmax cross-entropy and the classifier's gradients vs finite differences.
// Not an accuracy test (test_frechet.cpp loads the shipped checkpoint). Float32, h = 1e-2.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "core/rng.h"
#include "nn/backend.h"
#include "nn/classifier.h"

using namespace difflab;

namespace {

// Central differences of a scalar loss w.r.t. every entry of x, against the analytic gradient.
void check_gradient(float* x, size_t n, const float* analytic, const std::function<double()>& loss,
                    double h = 1e-2, double tolerance = 1e-2) {
  for (size_t i = 0; i < n; ++i) {
    const float saved = x[i];
    x[i] = saved + static_cast<float>(h);
    const double plus = loss();
    x[i] = saved - static_cast<float>(h);
    const double minus = loss();
    x[i] = saved;
    CHECK(analytic[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(tolerance).scale(1e-1));
  }
}

}  // namespace

TEST_CASE(
    "global average pooling: the forward is the per-image channel mean, the backward matches finite "
    "differences") {
  auto backend = make_cpu_backend();
  const int B = 2, P = 6, C = 3;
  auto storage = backend->create_storage(2 * B * P * C + 2 * B * C);
  const Tensor in{storage.get(), 0, B * P, C}, d_in{storage.get(), in.size(), B * P, C};
  const Tensor out{storage.get(), 2 * in.size(), B, C}, r{storage.get(), 2 * in.size() + out.size(), B, C};
  Rng rng(3);
  for (size_t i = 0; i < in.size(); ++i) in.host()[i] = static_cast<float>(rng.normal());
  for (size_t i = 0; i < r.size(); ++i) r.host()[i] = static_cast<float>(rng.normal());
  // Forward against a plain loop: out[b, c] = (1/P) Σ_p in[b·P + p, c].
  backend->global_avg_pool_forward(out, in, B);
  for (int b = 0; b < B; ++b)
    for (int c = 0; c < C; ++c) {
      double sum = 0;
      for (int p = 0; p < P; ++p) sum += in.host()[(b * P + p) * C + c];
      CHECK(out.host()[b * C + c] == doctest::Approx(sum / P).epsilon(1e-6));
    }
  auto loss = [&] {
    backend->global_avg_pool_forward(out, in, B);
    double s = 0;
    for (size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out.host()[i]) * r.host()[i];
    return s;
  };
  backend->global_avg_pool_backward(d_in, r, B);
  check_gradient(in.host(), in.size(), d_in.host(), loss);
}

TEST_CASE("softmax cross-entropy: hand-computed values and a gradient that matches finite differences") {
  // Equal logits over 4 classes: loss = ln 4 whatever the label; d = (1/4 − [k = y]) / B.
  const std::vector<float> flat(8, 0.5f);
  const std::vector<int> labels{1, 3};
  std::vector<float> d(8);
  CHECK(softmax_cross_entropy(flat.data(), labels.data(), 2, 4, d.data()) == doctest::Approx(std::log(4.0)));
  CHECK(d[0] == doctest::Approx(0.125));
  CHECK(d[1] == doctest::Approx(-0.375));
  // logits (0, ln 3) with label 1: p = (1/4, 3/4), loss = −ln(3/4); large logits must not overflow.
  const std::vector<float> two{0.0f, static_cast<float>(std::log(3.0))};
  const int one = 1;
  CHECK(softmax_cross_entropy(two.data(), &one, 1, 2, nullptr) == doctest::Approx(-std::log(0.75)));
  const std::vector<float> huge{1000.0f, 1000.0f};
  CHECK(softmax_cross_entropy(huge.data(), &one, 1, 2, nullptr) == doctest::Approx(std::log(2.0)));

  Rng rng(5);
  const int B = 3, K = 5;
  std::vector<float> logits(B * K), grad(B * K);
  for (float& z : logits) z = static_cast<float>(2 * rng.normal());
  const std::vector<int> y{0, 4, 2};
  softmax_cross_entropy(logits.data(), y.data(), B, K, grad.data());
  check_gradient(
      logits.data(), logits.size(), grad.data(),
      [&] { return softmax_cross_entropy(logits.data(), y.data(), B, K, nullptr); }, 1e-3);
}

TEST_CASE("classifier: parameter count, and every parameter's gradient matches finite differences") {
  ClassifierConfig full;
  // Hand count of the default (32, 64, 128), 8 groups: convs 9·1·32+32, 9·32·32+32, 9·32·64+64, 9·64·128+128,
  // GroupNorm 2·(32+32+64+128), head 128·10+10.
  CHECK(classifier_param_count(full) == 320 + 9248 + 18496 + 73856 + 512 + 1290);

  ClassifierConfig c;
  c.channels = {4, 4, 8};
  c.groups = 2;
  c.height = c.width = 8;
  c.num_classes = 3;
  auto backend = make_cpu_backend();
  Classifier model(c, *backend);
  CHECK(model.num_params() == classifier_param_count(c));
  model.init_params(1);
  const int B = 2;
  Rng rng(9);
  std::vector<float> x(B * model.dim()), logits(B * c.num_classes), d_logits(logits.size());
  for (float& v : x) v = static_cast<float>(rng.uniform(-1, 1));
  const std::vector<int> labels{2, 0};
  auto loss = [&] {
    model.forward(x.data(), B, logits.data());
    return softmax_cross_entropy(logits.data(), labels.data(), B, c.num_classes, d_logits.data());
  };
  loss();
  model.backward(d_logits.data());
  std::vector<float> analytic(model.num_params());
  backend->read(model.grads(), analytic.data());
  // Float32 through four GroupNorms: a larger step and a looser tolerance than the single-op checks.
  check_gradient(model.params().host(), model.num_params(), analytic.data(), loss, 1e-2, 3e-2);
}

TEST_CASE(
    "classifier: features are the pooled last stage and do not depend on the batch they are computed in") {
  ClassifierConfig c;
  c.channels = {8, 8, 16};
  c.groups = 4;
  c.height = c.width = 12;
  auto backend = make_cpu_backend();
  Classifier model(c, *backend);
  model.init_params(2);
  Rng rng(4);
  std::vector<float> x(3 * model.dim());
  for (float& v : x) v = static_cast<float>(rng.uniform(-1, 1));
  std::vector<float> logits3(3 * 10), features3(3 * 16), logits1(10), features1(16);
  model.forward(x.data(), 3, logits3.data(), features3.data());
  model.forward(x.data() + 2 * model.dim(), 1, logits1.data(), features1.data());
  for (int k = 0; k < 16; ++k) CHECK(features1[k] == doctest::Approx(features3[2 * 16 + k]).epsilon(1e-5));
  for (int k = 0; k < 10; ++k) CHECK(logits1[k] == doctest::Approx(logits3[2 * 10 + k]).epsilon(1e-5));
}

// Classifier guidance needs ∇ₓ log p(y | x): backward() with d_x gives the input gradient of the loss, here
// −(1/B) Σ log p(y_b | x_b), against central differences in every pixel.
TEST_CASE("classifier: the gradient w.r.t. the input matches finite differences") {
  ClassifierConfig c;
  c.channels = {4, 4, 8};
  c.groups = 2;
  c.height = c.width = 8;
  c.num_classes = 3;
  auto backend = make_cpu_backend();
  Classifier model(c, *backend);
  model.init_params(3);
  const int B = 2;
  Rng rng(11);
  std::vector<float> x(B * model.dim()), logits(B * c.num_classes), d_logits(logits.size());
  for (float& v : x) v = static_cast<float>(rng.uniform(-1, 1));
  const std::vector<int> labels{1, 2};
  auto loss = [&] {
    model.forward(x.data(), B, logits.data());
    return softmax_cross_entropy(logits.data(), labels.data(), B, c.num_classes, d_logits.data());
  };
  loss();
  std::vector<float> d_x(x.size(), NAN);
  model.backward(d_logits.data(), d_x.data());
  for (float v : d_x) REQUIRE(std::isfinite(v));
  check_gradient(x.data(), x.size(), d_x.data(), loss, 1e-2, 3e-2);
  // Without d_x, the parameters' gradients are the same (the input gradient is extra work, not a change).
  std::vector<float> with(model.num_params()), without(model.num_params());
  backend->read(model.grads(), with.data());
  loss();
  model.backward(d_logits.data());
  backend->read(model.grads(), without.data());
  CHECK(with == without);
}
