// test_train_ops.cpp — the training and sampling ops of backend.h (random_normal, row_combine, combine,
// mse_loss) on the CPU against their definitions, and on GL against the CPU. Not the model layers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/schedule.h"
#include "nn/backend_factory.h"
#include "nn/philox.h"

using namespace difflab;

namespace {

constexpr float kSentinel = 7777.0f;
constexpr size_t kGuard = 5;  // floats of sentinel before and after every tensor (out-of-bounds writes)

// A tensor at an offset of kGuard floats into its own storage, guarded by sentinels on both sides.
struct Guarded {
  Backend* backend = nullptr;
  std::unique_ptr<Storage> storage;
  Tensor t;
  Guarded(Backend& b, int rows, int cols, const std::vector<float>& values = {}) : backend(&b) {
    const size_t size = static_cast<size_t>(rows) * cols;
    storage = b.create_storage(size + 2 * kGuard);
    std::vector<float> all(size + 2 * kGuard, kSentinel);
    if (!values.empty()) std::copy(values.begin(), values.end(), all.begin() + kGuard);
    b.upload(Tensor{storage.get(), 0, 1, static_cast<int>(all.size())}, all.data());
    t = Tensor{storage.get(), kGuard, rows, cols};
  }
  std::vector<float> values() const {
    std::vector<float> v(t.size());
    backend->download(t, v.data());
    return v;
  }
  // True when both guard regions still hold the sentinel.
  bool guards_intact() const {
    std::vector<float> all(t.size() + 2 * kGuard);
    backend->download(Tensor{storage.get(), 0, 1, static_cast<int>(all.size())}, all.data());
    for (size_t i = 0; i < kGuard; ++i)
      if (all[i] != kSentinel || all[all.size() - 1 - i] != kSentinel) return false;
    return true;
  }
};

std::vector<float> ramp(size_t n, float scale, float shift) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = scale * std::sin(0.37f * static_cast<float>(i) + shift) + 0.01f * shift;
  return v;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
  return worst;
}

// Σ(a − b)² / Σ b² (ggml's test-backend-ops measure).
double nmse(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double err = 0.0, ref = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    err += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
    ref += double(b[i]) * double(b[i]);
  }
  return ref > 0.0 ? err / ref : err;
}

// Standard normal CDF.
double phi(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

}  // namespace

TEST_CASE("philox4x32_10 reproduces Random123's known-answer vectors (tests/kat_vectors)") {
  // philox4x32 10: counter (4 words), key (2 words) → output (4 words).
  CHECK(philox4x32_10({0u, 0u, 0u, 0u}, {0u, 0u}) ==
        std::array<uint32_t, 4>{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u});
  CHECK(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}) ==
        std::array<uint32_t, 4>{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu});
  CHECK(philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}) ==
        std::array<uint32_t, 4>{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u});
}

TEST_CASE("philox_normal 0 and 1 of seed 0 are Box–Muller of the zero known-answer block's first two words") {
  // Block 0 under key 0 is the first KAT line: w0 = 0x6627e8d5, w1 = 0xe169c58d; u = ((w >> 8) + 1)·2⁻²⁴.
  const double u0 = (0x6627e8 + 1) / 16777216.0, u1 = (0xe169c5 + 1) / 16777216.0;
  const double r = std::sqrt(-2.0 * std::log(u0));
  CHECK(philox_normal(0, 0) == doctest::Approx(r * std::cos(2 * std::numbers::pi * u1)).epsilon(1e-6));
  CHECK(philox_normal(0, 1) == doctest::Approx(r * std::sin(2 * std::numbers::pi * u1)).epsilon(1e-6));
  CHECK(philox_normal(0, 2) != philox_normal(0, 0));  // the next block
  CHECK(philox_normal(1, 0) != philox_normal(0, 0));  // another stream
}

TEST_CASE("cpu random_normal is philox_normal element by element (uneven ends, a counter across 2^33)") {
  auto cpu = make_backend(BackendKind::cpu);
  const uint64_t seed = 0x0123456789abcdefull;
  // (rows, cols, counter): first element a sin half; last a cos half; both; several blocks of 1024 pairs.
  for (const auto& [rows, cols, counter] :
       {std::tuple{3, 1001, (uint64_t{1} << 33) - 5}, std::tuple{1, 999, uint64_t{12}},
        std::tuple{1, 2, uint64_t{1}}, std::tuple{5, 1001, uint64_t{0}}}) {
    CAPTURE(rows);
    CAPTURE(cols);
    CAPTURE(counter);
    Guarded z(*cpu, rows, cols);
    cpu->random_normal(z.t, seed, counter);
    std::vector<float> expected(z.t.size());
    for (size_t i = 0; i < expected.size(); ++i) expected[i] = philox_normal(seed, counter + i);
    const double worst = max_abs_diff(z.values(), expected);
    INFO("max |cpu − philox_normal| = " << worst);
    CHECK(worst <= 2e-6);  // float ln, sin, cos against double: a few ulp of |z| ≤ 5.8
    CHECK(z.guards_intact());
  }
}

TEST_CASE(
    "cpu random_normal: 1e6 draws have the normal's mean, variance, kurtosis and mass within 1, 2, 3 σ") {
  auto cpu = make_backend(BackendKind::cpu);
  constexpr int kN = 1'000'000;
  Guarded z(*cpu, 1000, kN / 1000);
  cpu->random_normal(z.t, 20261204, 12345);
  const std::vector<float> v = z.values();
  double sum = 0.0, sum2 = 0.0, sum4 = 0.0, pair_product = 0.0;
  int within[3] = {0, 0, 0};
  for (size_t i = 0; i < v.size(); ++i) {
    const double x = v[i];
    sum += x;
    sum2 += x * x;
    sum4 += x * x * x * x;
    for (int k = 0; k < 3; ++k) within[k] += std::abs(x) < k + 1;
    if (i % 2 == 1) pair_product += x * v[i - 1];  // the cos and sin halves of one block (counter is odd)
  }
  const double n = kN;
  // 5σ bounds from the normal's moments: Var x = 1, Var x² = 2, Var x⁴ = E x⁸ − 9 = 96.
  CHECK(std::abs(sum / n) < 5.0 / std::sqrt(n));
  CHECK(std::abs(sum2 / n - 1.0) < 5.0 * std::sqrt(2.0 / n));
  CHECK(std::abs(sum4 / n - 3.0) < 5.0 * std::sqrt(96.0 / n));
  CHECK(std::abs(pair_product / (n / 2)) < 5.0 / std::sqrt(n / 2));
  for (int k = 0; k < 3; ++k) {
    const double p = phi(k + 1) - phi(-(k + 1));  // 0.6827, 0.9545, 0.9973
    INFO("±" << k + 1 << "σ: " << within[k] / n << " vs Φ " << p);
    CHECK(std::abs(within[k] / n - p) < 5.0 * std::sqrt(p * (1 - p) / n));
  }
}

TEST_CASE(
    "random_normal on the cpu draws 2n numbers from counter c as n from c then n from c + n, bit for bit") {
  auto cpu = make_backend(BackendKind::cpu);
  for (const int n : {1, 7, 1001, 3001}) {
    for (const uint64_t c : {uint64_t{0}, uint64_t{7}}) {
      CAPTURE(n);
      CAPTURE(c);
      Guarded whole(*cpu, 2, n), first(*cpu, 1, n), second(*cpu, 1, n);
      cpu->random_normal(whole.t, 99, c);
      cpu->random_normal(first.t, 99, c);
      cpu->random_normal(second.t, 99, c + n);
      std::vector<float> halves = first.values();
      const std::vector<float> rest = second.values();
      halves.insert(halves.end(), rest.begin(), rest.end());
      CHECK(whole.values() == halves);
      CHECK(whole.guards_intact());
    }
  }
}

TEST_CASE("random_normal and mse_loss give the same bits on one and on two cpu threads") {
  auto one = make_backend(BackendKind::cpu), two = make_backend(BackendKind::cpu);
  two->set_threads(2);
  // 1,024,000 floats: large enough that both ops split over the pool (cpu_backend.cpp, split()).
  Guarded a(*one, 1024, 1000), b(*two, 1024, 1000);
  one->random_normal(a.t, 5, 3);
  two->random_normal(b.t, 5, 3);
  CHECK(a.values() == b.values());
  const std::vector<float> target = ramp(a.t.size(), 1.0f, 0.5f);
  Guarded ta(*one, 1024, 1000, target), tb(*two, 1024, 1000, target), da(*one, 1024, 1000),
      db(*two, 1024, 1000);
  CHECK(one->mse_loss(da.t, a.t, ta.t) == two->mse_loss(db.t, b.t, tb.t));
  CHECK(da.values() == db.values());
}

TEST_CASE("row_combine is a_r·x_r + b_r·y_r for every row r, also in place on x or y") {
  auto cpu = make_backend(BackendKind::cpu);
  const int rows = 37, cols = 5;
  const std::vector<float> x = ramp(rows * cols, 2.0f, 0.1f), y = ramp(rows * cols, 1.5f, 0.7f);
  const std::vector<float> a = ramp(rows, 1.0f, 0.3f), b = ramp(rows, 0.8f, 1.9f);
  std::vector<float> expected(x.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) expected[r * cols + c] = a[r] * x[r * cols + c] + b[r] * y[r * cols + c];
  Guarded ta(*cpu, rows, 1, a), tb(*cpu, rows, 1, b), tx(*cpu, rows, cols, x), ty(*cpu, rows, cols, y);
  Guarded out(*cpu, rows, cols);
  cpu->row_combine(out.t, ta.t, tx.t, tb.t, ty.t);
  CHECK(max_abs_diff(out.values(), expected) <= 1e-6);
  CHECK(out.guards_intact());
  cpu->row_combine(tx.t, ta.t, tx.t, tb.t, ty.t);  // out = x
  CHECK(max_abs_diff(tx.values(), expected) <= 1e-6);
  Guarded tx2(*cpu, rows, cols, x);
  cpu->row_combine(ty.t, ta.t, tx2.t, tb.t, ty.t);  // out = y
  CHECK(max_abs_diff(ty.values(), expected) <= 1e-6);
  CHECK((tx.guards_intact() && ty.guards_intact()));
}

TEST_CASE("combine is out = a·x + b·y + c·z, z empty allowed, also in place on x, y or z") {
  auto cpu = make_backend(BackendKind::cpu);
  const int rows = 3, cols = 4099;  // crosses a 4096-float chunk
  const size_t n = static_cast<size_t>(rows) * cols;
  const std::vector<float> x = ramp(n, 1.0f, 0.0f), y = ramp(n, 2.0f, 1.0f), z = ramp(n, 3.0f, 2.0f);
  const float a = 0.9f, b = -0.4f, c = 0.25f;
  std::vector<float> with_z(n), without_z(n);
  for (size_t i = 0; i < n; ++i) {
    without_z[i] = a * x[i] + b * y[i];
    with_z[i] = a * x[i] + b * y[i] + c * z[i];
  }
  Guarded tx(*cpu, rows, cols, x), ty(*cpu, rows, cols, y), tz(*cpu, rows, cols, z), out(*cpu, rows, cols);
  cpu->combine(out.t, a, tx.t, b, ty.t, c, tz.t);
  CHECK(max_abs_diff(out.values(), with_z) <= 1e-6);
  cpu->combine(out.t, a, tx.t, b, ty.t, c, Tensor{});
  CHECK(max_abs_diff(out.values(), without_z) <= 1e-6);
  CHECK(out.guards_intact());
  for (int alias = 0; alias < 3; ++alias) {
    CAPTURE(alias);
    Guarded ax(*cpu, rows, cols, x), ay(*cpu, rows, cols, y), az(*cpu, rows, cols, z);
    const Tensor& target = alias == 0 ? ax.t : alias == 1 ? ay.t : az.t;
    cpu->combine(target, a, ax.t, b, ay.t, c, az.t);
    std::vector<float> got(n);
    cpu->download(target, got.data());
    CHECK(max_abs_diff(got, with_z) <= 1e-6);
  }
}

TEST_CASE(
    "mse_loss is the mean of (pred − target)² with d_pred = 2(pred − target)/N, and central differences "
    "agree") {
  auto cpu = make_backend(BackendKind::cpu);
  for (const auto& [rows, cols] : {std::pair{1, 1}, std::pair{7, 3}, std::pair{300, 41}}) {
    CAPTURE(rows);
    CAPTURE(cols);
    const size_t n = static_cast<size_t>(rows) * cols;
    const std::vector<float> pred = ramp(n, 1.3f, 0.2f), target = ramp(n, 0.7f, 2.2f);
    double expected = 0.0;
    for (size_t i = 0; i < n; ++i) expected += (double(pred[i]) - target[i]) * (double(pred[i]) - target[i]);
    expected /= double(n);
    Guarded p(*cpu, rows, cols, pred), t(*cpu, rows, cols, target), d(*cpu, rows, cols);
    CHECK(cpu->mse_loss(d.t, p.t, t.t) == doctest::Approx(expected).epsilon(1e-6));
    const std::vector<float> grad = d.values();
    for (size_t i = 0; i < n; ++i)
      REQUIRE(grad[i] == doctest::Approx(2.0 * (double(pred[i]) - target[i]) / double(n)).epsilon(1e-6));
    CHECK(d.guards_intact());
    // Central differences of the returned loss: exact for a quadratic, so only the float rounding of the sum
    // (a few 1e-8 of the loss, over 2h) is left; on small N that is far below the gradient 2(pred −
    // target)/N.
    if (n > 100) continue;
    Guarded scratch(*cpu, rows, cols);
    const float h = 0.25f;
    for (size_t i : {size_t{0}, n / 2, n - 1}) {
      std::vector<float> moved = pred;
      moved[i] = pred[i] + h;
      cpu->upload(p.t, moved.data());
      const double plus = cpu->mse_loss(scratch.t, p.t, t.t);
      moved[i] = pred[i] - h;
      cpu->upload(p.t, moved.data());
      const double minus = cpu->mse_loss(scratch.t, p.t, t.t);
      CHECK(std::abs((plus - minus) / (2.0 * h) - grad[i]) <= 1e-4 * std::abs(grad[i]) + 1e-6 * expected / h);
    }
  }
  Guarded empty_d(*cpu, 0, 3), empty_p(*cpu, 0, 3), empty_t(*cpu, 0, 3);
  CHECK(cpu->mse_loss(empty_d.t, empty_p.t, empty_t.t) == 0.0);
}

TEST_CASE(
    "gl computes the same random_normal, row_combine, combine and mse_loss as the cpu (skipped without GL)") {
  std::string why;
  if (!gl_backend_available(&why)) {
    MESSAGE("GL train ops not checked: " << why);
    return;
  }
  auto gl = make_backend(BackendKind::gl);
  auto cpu = make_backend(BackendKind::cpu);

  SUBCASE("random_normal: the same normals within 1e-5, counters across 2^32, bit-identical in halves") {
    const uint64_t seed = 0xfedcba9876543210ull;
    for (const auto& [rows, cols, counter] :
         {std::tuple{1, 1, uint64_t{0}}, std::tuple{1, 1, uint64_t{3}}, std::tuple{17, 31, uint64_t{1}},
          std::tuple{301, 257, (uint64_t{1} << 33) - 1001}, std::tuple{1000, 1000, uint64_t{42}}}) {
      CAPTURE(rows);
      CAPTURE(cols);
      CAPTURE(counter);
      Guarded zg(*gl, rows, cols), zc(*cpu, rows, cols);
      gl->random_normal(zg.t, seed, counter);
      cpu->random_normal(zc.t, seed, counter);
      const std::vector<float> g = zg.values(), c = zc.values();
      const double worst = max_abs_diff(g, c);
      INFO("max |gl − cpu| = " << worst);
      CHECK(worst <= 1e-5);
      CHECK(zg.guards_intact());
      if (rows * cols >= 1000) {
        for (size_t i = 0; i < g.size(); i += 97)
          CHECK(std::abs(g[i] - philox_normal(seed, counter + i)) <= 1e-5);
      }
    }
    const int n = 1001;
    Guarded whole(*gl, 2, n), first(*gl, 1, n), second(*gl, 1, n);
    gl->random_normal(whole.t, 3, 7);
    gl->random_normal(first.t, 3, 7);
    gl->random_normal(second.t, 3, 7 + n);
    std::vector<float> halves = first.values();
    const std::vector<float> rest = second.values();
    halves.insert(halves.end(), rest.begin(), rest.end());
    CHECK(whole.values() == halves);
  }

  SUBCASE("row_combine and combine: NMSE ≤ 1e-7, in place too, odd sizes") {
    for (const auto& [rows, cols] : {std::pair{1, 1}, std::pair{33, 7}, std::pair{513, 129}}) {
      CAPTURE(rows);
      CAPTURE(cols);
      const size_t n = static_cast<size_t>(rows) * cols;
      const std::vector<float> x = ramp(n, 1.0f, 0.0f), y = ramp(n, 2.0f, 1.0f), z = ramp(n, 0.5f, 2.0f);
      const std::vector<float> a = ramp(rows, 1.0f, 0.4f), b = ramp(rows, 1.0f, 1.4f);
      auto run = [&](Backend& be) {
        Guarded ta(be, rows, 1, a), tb(be, rows, 1, b), tx(be, rows, cols, x), ty(be, rows, cols, y);
        Guarded tz(be, rows, cols, z), out(be, rows, cols);
        std::vector<std::vector<float>> results;
        be.row_combine(out.t, ta.t, tx.t, tb.t, ty.t);
        results.push_back(out.values());
        be.combine(out.t, 0.7f, tx.t, -1.3f, ty.t, 0.2f, tz.t);
        results.push_back(out.values());
        be.combine(out.t, 0.7f, tx.t, -1.3f, ty.t, 0.2f, Tensor{});
        results.push_back(out.values());
        be.combine(tz.t, 0.7f, tx.t, -1.3f, ty.t, 0.2f, tz.t);  // out = z
        results.push_back(tz.values());
        be.row_combine(tx.t, ta.t, tx.t, tb.t, ty.t);  // out = x
        results.push_back(tx.values());
        CHECK((out.guards_intact() && tx.guards_intact() && tz.guards_intact()));
        return results;
      };
      const auto g = run(*gl), c = run(*cpu);
      for (size_t k = 0; k < g.size(); ++k) {
        CAPTURE(k);
        CHECK(nmse(g[k], c[k]) <= 1e-7);
      }
    }
  }

  SUBCASE(
      "mse_loss: the loss within 1e-5 relative, the gradient NMSE ≤ 1e-7, up to 1024 work groups of 256 "
      "striding") {
    for (const auto& [rows, cols] :
         {std::pair{1, 1}, std::pair{1, 255}, std::pair{1, 257}, std::pair{64, 784}, std::pair{700, 500},
          std::pair{2049, 2049}}) {  // the last past 1024 groups · 256 · 16
      CAPTURE(rows);
      CAPTURE(cols);
      const size_t n = static_cast<size_t>(rows) * cols;
      const std::vector<float> pred = ramp(n, 1.3f, 0.2f), target = ramp(n, 0.7f, 2.2f);
      Guarded pg(*gl, rows, cols, pred), tg(*gl, rows, cols, target), dg(*gl, rows, cols);
      Guarded pc(*cpu, rows, cols, pred), tc(*cpu, rows, cols, target), dc(*cpu, rows, cols);
      const double loss_gl = gl->mse_loss(dg.t, pg.t, tg.t), loss_cpu = cpu->mse_loss(dc.t, pc.t, tc.t);
      CHECK(loss_gl == doctest::Approx(loss_cpu).epsilon(1e-5));
      CHECK(nmse(dg.values(), dc.values()) <= 1e-7);
      CHECK(dg.guards_intact());
    }
  }
}

TEST_CASE("50 DDIM updates x ← a·x + b·ε̂ run as combine() on gl as on the cpu, and match their closed form") {
  // DDIM (Song et al. 2021, eq. 12, η = 0) over 50 of T = 1000 linear-schedule steps: x_prev = a·x + b·ε̂ with
  // a = √(ᾱ_prev/ᾱ_t), b = √(1 − ᾱ_prev) − a·√(1 − ᾱ_t). The network is the exact ε̂ of data N(0, I),
  // ε̂ = √(1 − ᾱ_t)·x (also a combine), which keeps x of order one, so x₀ = x_T·Π(a + b·√(1 − ᾱ_t)).
  const NoiseSchedule schedule = make_schedule(ScheduleConfig{});
  struct Step {
    float a, b, eps_scale;
  };
  std::vector<Step> steps;
  double factor = 1.0;
  for (int t = 980; t >= 0; t -= 20) {
    const double alpha_bar = schedule.alpha_bar[t];
    const double alpha_bar_prev = t >= 20 ? schedule.alpha_bar[t - 20] : 1.0;
    const double a = std::sqrt(alpha_bar_prev / alpha_bar);
    const double b = std::sqrt(1.0 - alpha_bar_prev) - a * std::sqrt(1.0 - alpha_bar);
    const Step step{static_cast<float>(a), static_cast<float>(b),
                    static_cast<float>(std::sqrt(1.0 - alpha_bar))};
    steps.push_back(step);
    factor *= double(step.a) + double(step.b) * double(step.eps_scale);
  }
  REQUIRE(steps.size() == 50);
  auto sample = [&](Backend& be) {
    Guarded x(be, 1000, 2), eps(be, 1000, 2);
    be.random_normal(x.t, 2026, 0);  // x_T
    const std::vector<float> x_T = x.values();
    for (const Step& step : steps) {
      be.combine(eps.t, step.eps_scale, x.t, 0.0f, x.t, 0.0f, Tensor{});  // ε̂ = √(1 − ᾱ_t)·x
      be.combine(x.t, step.a, x.t, step.b, eps.t, 0.0f, Tensor{});        // the DDIM update, in place
    }
    CHECK(x.guards_intact());
    return std::pair{x_T, x.values()};
  };
  auto cpu = make_backend(BackendKind::cpu);
  const auto [x_T, x0_cpu] = sample(*cpu);
  std::vector<float> closed(x_T.size());
  for (size_t i = 0; i < x_T.size(); ++i) closed[i] = static_cast<float>(x_T[i] * factor);
  INFO("Π(a + b·√(1 − ᾱ_t)) = " << factor);
  CHECK(max_abs_diff(x0_cpu, closed) <= 1e-5);
  std::string why;
  if (!gl_backend_available(&why)) {
    MESSAGE("GL DDIM updates not checked: " << why);
    return;
  }
  auto gl = make_backend(BackendKind::gl);
  const auto [x_T_gl, x0_gl] = sample(*gl);
  CHECK(max_abs_diff(x_T_gl, x_T) <= 1e-5);
  const double worst = max_abs_diff(x0_gl, x0_cpu);
  INFO("max |gl − cpu| after 50 steps = " << worst);
  CHECK(worst <= 1e-5);
}
