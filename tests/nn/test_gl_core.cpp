// test_gl_core.cpp — the GL backend's dense ops (gl_core_ops.cpp, shaders/gemm|elementwise|reduce|optimizer)
// against the CPU backend and a double-precision host product. Not the cross-backend table
// (test_backend_ops).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nn/backend_factory.h"
#ifdef DIFFLAB_HAS_GL_BACKEND
#include "nn/gl/gl_backend_impl.h"
#endif

using namespace difflab;

namespace {

constexpr int kGuard = 5;             // floats before and after every tensor, filled with a sentinel
constexpr float kSentinel = 1234.5f;  // an out-of-bounds write shows up as a changed guard

bool gl_skipped() {
  std::string why;
  if (gl_backend_available(&why)) return false;
  MESSAGE("GL backend skipped: " << why);
  return true;
}

std::vector<float> random_values(size_t n, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// A tensor with guard regions on one backend, holding `values`.
struct Guarded {
  Backend* backend = nullptr;
  std::unique_ptr<Storage> storage;
  Tensor t;
  Guarded(Backend& b, int rows, int cols, const std::vector<float>& values) : backend(&b) {
    const size_t n = static_cast<size_t>(rows) * cols;
    storage = b.create_storage(n + 2 * kGuard);
    std::vector<float> all(n + 2 * kGuard, kSentinel);
    std::copy(values.begin(), values.end(), all.begin() + kGuard);
    b.write(Tensor{storage.get(), 0, 1, static_cast<int>(all.size())}, all.data());
    t = Tensor{storage.get(), kGuard, rows, cols};
  }
  std::vector<float> values() const {
    std::vector<float> v(t.size());
    backend->read(t, v.data());
    return v;
  }
  bool guards_intact() const {
    std::vector<float> all(storage->size);
    backend->read(Tensor{storage.get(), 0, 1, static_cast<int>(all.size())}, all.data());
    for (int i = 0; i < kGuard; ++i)
      if (all[static_cast<size_t>(i)] != kSentinel ||
          all[all.size() - 1 - static_cast<size_t>(i)] != kSentinel)
        return false;
    return true;
  }
};

// The same tensor on the CPU and the GL backend.
struct Pair {
  Guarded cpu, gl;
  Pair(Backend& c, Backend& g, int rows, int cols, const std::vector<float>& values)
      : cpu(c, rows, cols, values), gl(g, rows, cols, values) {}
};

// Normalised mean squared error Σ(a − b)²/Σb² (0 when both are zero).
double nmse(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    den += double(b[i]) * b[i];
  }
  return den == 0 ? num : num / den;
}

double max_abs(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - b[i]));
  return m;
}

// Checks the GL tensor against the CPU one: NMSE ≤ 1e-7 and guards untouched on both.
void check_same(const Pair& p, const char* what, double bound = 1e-7) {
  INFO(what);
  CHECK(nmse(p.gl.values(), p.cpu.values()) <= bound);
  CHECK(p.gl.guards_intact());
  CHECK(p.cpu.guards_intact());
}

struct Backends {
  std::unique_ptr<Backend> cpu = make_backend(BackendKind::cpu);
  std::unique_ptr<Backend> gl = make_backend(BackendKind::gl);
};

}  // namespace

#ifdef DIFFLAB_HAS_GL_BACKEND
namespace {
// C = alpha·op(A)·op(B) + beta·C in double on the host, same storage conventions as GlBackend::gemm.
std::vector<float> host_gemm(const std::vector<float>& a, int lda, bool ta, const std::vector<float>& b,
                             int ldb, bool tb, std::vector<float> c, int ldc, int m, int n, int k,
                             float alpha, float beta) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double acc = 0;
      for (int p = 0; p < k; ++p) {
        const double av = ta ? a[size_t(p) * lda + i] : a[size_t(i) * lda + p];
        const double bv = tb ? b[size_t(j) * ldb + p] : b[size_t(p) * ldb + j];
        acc += av * bv;
      }
      float& out = c[size_t(i) * ldc + j];
      out = static_cast<float>(alpha * acc + (beta == 0 ? 0.0 : double(beta) * out));
    }
  return c;
}
}  // namespace

TEST_CASE("gl gemm: tiled and naive kernels equal a double product for every transpose, shape and stride") {
  if (gl_skipped()) return;
  Backends b;
  auto* gl = dynamic_cast<glb::GlBackend*>(b.gl.get());
  REQUIRE(gl != nullptr);
  struct Shape {
    int m, n, k;
  };
  // 1, odd sizes, non-multiples of the 64×64 tile and of the 16-deep K tile, an MLP layer, an image layer.
  const Shape shapes[] = {{1, 1, 1},     {7, 5, 3},      {65, 63, 17},  {64, 64, 16},
                          {130, 70, 33}, {32, 128, 128}, {100, 64, 196}};
  unsigned seed = 1;
  for (const Shape& s : shapes)
    for (int t = 0; t < 4; ++t)
      for (float beta : {0.0f, 0.5f}) {
        const bool ta = t & 1, tb = t & 2;
        // Stored shapes with padded row strides (+3) so strides ≠ widths.
        const int a_rows = ta ? s.k : s.m, a_cols = ta ? s.m : s.k, lda = a_cols + 3;
        const int b_rows = tb ? s.n : s.k, b_cols = tb ? s.k : s.n, ldb = b_cols + 3;
        const int ldc = s.n + 3;
        const auto av = random_values(size_t(a_rows) * lda, seed++);
        const auto bv = random_values(size_t(b_rows) * ldb, seed++);
        auto cv = random_values(size_t(s.m) * ldc, seed++);
        // beta = 0 must ignore C's old contents, NaN included.
        if (beta == 0.0f) cv.assign(cv.size(), std::numeric_limits<float>::quiet_NaN());
        const float alpha = 1.5f;
        auto want = host_gemm(av, lda, ta, bv, ldb, tb, cv, ldc, s.m, s.n, s.k, alpha, beta);
        Guarded a(*gl, a_rows, lda, av), bb(*gl, b_rows, ldb, bv), tiled(*gl, s.m, ldc, cv),
            naive(*gl, s.m, ldc, cv);
        gl->gemm(tiled.t, ldc, a.t, lda, ta, bb.t, ldb, tb, s.m, s.n, s.k, alpha, beta);
        gl->gemm_naive(naive.t, ldc, a.t, lda, ta, bb.t, ldb, tb, s.m, s.n, s.k, alpha, beta);
        INFO("m " << s.m << " n " << s.n << " k " << s.k << " trans_a " << ta << " trans_b " << tb << " beta "
                  << beta);
        auto got = tiled.values(), base = naive.values();
        if (beta == 0.0f)  // the padding columns of C were NaN and are not part of the product
          for (int i = 0; i < s.m; ++i)
            for (int j = s.n; j < ldc; ++j)
              got[size_t(i) * ldc + j] = base[size_t(i) * ldc + j] = want[size_t(i) * ldc + j] = 0;
        CHECK(nmse(got, want) <= 1e-12 * s.k + 1e-13);
        CHECK(nmse(base, want) <= 1e-12 * s.k + 1e-13);
        CHECK(nmse(got, base) <= 1e-12 * s.k + 1e-13);
        CHECK(tiled.guards_intact());
        CHECK(naive.guards_intact());
      }
}

TEST_CASE("gl gemm GFLOP/s (set DIFFLAB_GL_PERF=1 to print; not a timed test)") {
  if (gl_skipped()) return;
  if (!std::getenv("DIFFLAB_GL_PERF")) {
    MESSAGE("perf printout skipped: set DIFFLAB_GL_PERF=1");
    return;
  }
  Backends b;
  auto* gl = dynamic_cast<glb::GlBackend*>(b.gl.get());
  REQUIRE(gl != nullptr);
  for (int size : {256, 1024, 4096}) {
    if (size == 4096 && !std::getenv("DIFFLAB_GL_PERF_4096")) continue;
    const auto v = random_values(size_t(size) * size, 9);
    Guarded a(*gl, size, size, v), bb(*gl, size, size, v), c(*gl, size, size, v);
    for (int naive = 0; naive < 2; ++naive) {
      const auto run = [&] {
        if (naive)
          gl->gemm_naive(c.t, size, a.t, size, false, bb.t, size, false, size, size, size, 1.0f, 0.0f);
        else
          gl->gemm(c.t, size, a.t, size, false, bb.t, size, false, size, size, size, 1.0f, 0.0f);
      };
      run();
      gl->synchronize();
      const int reps = size <= 256 ? 10 : 2;
      const auto t0 = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) run();
      gl->synchronize();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
      std::printf("gl gemm %s %d²: %.3f ms, %.2f GFLOP/s (%s)\n", naive ? "naive" : "tiled", size, s * 1e3,
                  2.0 * size * size * size / s * 1e-9, gl->device_description().c_str());
    }
  }
}
#endif

TEST_CASE("gl linear forward and backward equal the CPU's at MLP and image shapes, every accumulate flag") {
  if (gl_skipped()) return;
  Backends b;
  struct Shape {
    int batch, in, out;
  };
  // 1, odd, non-multiples of 16/64, the 2-D MLP's hidden layers (B × 128 → 128) and a 784-row image layer.
  const Shape shapes[] = {{1, 1, 1},        {3, 5, 7},     {17, 33, 65},  {32, 128, 128},
                          {4096, 128, 128}, {784, 64, 64}, {784, 576, 64}};
  unsigned seed = 100;
  for (const Shape& s : shapes) {
    INFO("batch " << s.batch << " in " << s.in << " out " << s.out);
    Pair in(*b.cpu, *b.gl, s.batch, s.in, random_values(size_t(s.batch) * s.in, seed++));
    Pair w(*b.cpu, *b.gl, s.in, s.out, random_values(size_t(s.in) * s.out, seed++));
    Pair bias(*b.cpu, *b.gl, 1, s.out, random_values(size_t(s.out), seed++));
    Pair out(*b.cpu, *b.gl, s.batch, s.out, random_values(size_t(s.batch) * s.out, seed++));
    for (Pair* p : {&out}) {
      b.cpu->linear_forward(p->cpu.t, in.cpu.t, w.cpu.t, bias.cpu.t);
      b.gl->linear_forward(p->gl.t, in.gl.t, w.gl.t, bias.gl.t);
    }
    check_same(out, "linear_forward");
    const auto g = random_values(size_t(s.batch) * s.out, seed++);
    Pair d_out(*b.cpu, *b.gl, s.batch, s.out, g);
    for (bool accumulate : {false, true})
      for (int input : {0, 1, 2}) {  // d_in overwritten, added to, or empty
        INFO("accumulate " << accumulate << " d_in " << input);
        Pair dw(*b.cpu, *b.gl, s.in, s.out, random_values(size_t(s.in) * s.out, seed++));
        Pair db(*b.cpu, *b.gl, 1, s.out, random_values(size_t(s.out), seed++));
        Pair dx(*b.cpu, *b.gl, s.batch, s.in, random_values(size_t(s.batch) * s.in, seed++));
        const Tensor none{};
        b.cpu->linear_backward(input == 2 ? none : dx.cpu.t, dw.cpu.t, db.cpu.t, d_out.cpu.t, in.cpu.t,
                               w.cpu.t, accumulate, input == 1);
        b.gl->linear_backward(input == 2 ? none : dx.gl.t, dw.gl.t, db.gl.t, d_out.gl.t, in.gl.t, w.gl.t,
                              accumulate, input == 1);
        check_same(dw, "d_weight");
        check_same(db, "d_bias");
        check_same(dx, "d_in");  // untouched (equal on both) when empty
      }
  }
}

TEST_CASE(
    "gl activations: GELU (exact erf form) within 1e-6 of the CPU, ReLU and SiLU, forward and backward") {
  if (gl_skipped()) return;
  Backends b;
  for (int n : {1, 257, 128 * 4096}) {
    // Inputs over [−8, 8] (both tails of erf, and 0) plus the ends of each erf piece.
    auto x = random_values(size_t(n), 7u + n, -8.0f, 8.0f);
    const float edges[] = {0.0f,        -0.0f,       1.41421356f,  2.82842712f,
                           4.24264069f, 5.65685425f, -5.65685425f, 1e-30f};
    for (size_t i = 0; i < std::size(edges) && i < x.size(); ++i) x[i] = edges[i];
    const auto g = random_values(size_t(n), 8u + n);
    for (Activation a : {Activation::Gelu, Activation::Relu, Activation::Silu}) {
      INFO(activation_name(a) << " n " << n);
      Pair in(*b.cpu, *b.gl, 1, n, x), d_out(*b.cpu, *b.gl, 1, n, g);
      Pair out(*b.cpu, *b.gl, 1, n, random_values(size_t(n), 9));
      Pair d_in(*b.cpu, *b.gl, 1, n, random_values(size_t(n), 10));
      b.cpu->activation_forward(a, out.cpu.t, in.cpu.t);
      b.gl->activation_forward(a, out.gl.t, in.gl.t);
      b.cpu->activation_backward(a, d_in.cpu.t, d_out.cpu.t, in.cpu.t);
      b.gl->activation_backward(a, d_in.gl.t, d_out.gl.t, in.gl.t);
      check_same(out, "forward", 1e-12);
      check_same(d_in, "backward", 1e-12);
      CHECK(max_abs(out.gl.values(), out.cpu.values()) <= 1e-6);
      CHECK(max_abs(d_in.gl.values(), d_in.cpu.values()) <= 1e-6);
    }
  }
}

TEST_CASE("gl GELU matches the closed form x·Φ(x) at points with known erf") {
  if (gl_skipped()) return;
  Backends b;
  const std::vector<float> x = {-3.0f, -1.0f, -0.5f, 0.0f, 0.25f, 1.0f, 2.0f, 3.5f, 6.0f};
  std::vector<float> want(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    want[i] = static_cast<float>(0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0))));  // double erf
  Guarded in(*b.gl, 1, int(x.size()), x), out(*b.gl, 1, int(x.size()), x);
  b.gl->activation_forward(Activation::Gelu, out.t, in.t);
  CHECK(max_abs(out.values(), want) <= 1e-6);
}

TEST_CASE("gl sinusoidal embedding equals the CPU's for odd sizes, column offsets and arguments up to 1000") {
  if (gl_skipped()) return;
  Backends b;
  for (int size : {2, 7, 32, 128})
    for (int rows : {1, 33, 4096}) {
      INFO("size " << size << " rows " << rows);
      const int in_cols = 3, out_cols = size + 5;
      Pair in(*b.cpu, *b.gl, rows, in_cols, random_values(size_t(rows) * in_cols, 11u + rows, 0.0f, 1000.0f));
      Pair out(*b.cpu, *b.gl, rows, out_cols, random_values(size_t(rows) * out_cols, 12));
      b.cpu->sinusoidal_embedding(out.cpu.t, 2, in.cpu.t, 1, size, 1.0f);
      b.gl->sinusoidal_embedding(out.gl.t, 2, in.gl.t, 1, size, 1.0f);
      check_same(out, "embedding", 1e-11);
      // sin/cos of the same float argument: both within a few ulp of the truth.
      CHECK(max_abs(out.gl.values(), out.cpu.values()) <= 1e-6);
    }
}

TEST_CASE("gl scale, sum_squares, AdamW and EMA equal the CPU's") {
  if (gl_skipped()) return;
  Backends b;
  // 1, a partial work group, and more than 1024 groups × 256 (the partial-sum kernel's grid-stride loop).
  for (int n : {1, 255, 99'074, 1024 * 256 + 777}) {
    INFO("n " << n);
    const auto x = random_values(size_t(n), 20u + n);
    Pair s(*b.cpu, *b.gl, 1, n, x);
    b.cpu->scale(s.cpu.t, -0.37f);
    b.gl->scale(s.gl.t, -0.37f);
    check_same(s, "scale", 0.0);  // one multiply: bit for bit
    const double want = b.cpu->sum_squares(s.cpu.t);
    double exact = 0;
    for (float v : s.cpu.values()) exact += double(v) * v;
    CHECK(std::abs(b.gl->sum_squares(s.gl.t) - exact) <= 1e-6 * exact);
    CHECK(std::abs(want - exact) <= 1e-5 * exact);

    Pair p(*b.cpu, *b.gl, 1, n, x), m(*b.cpu, *b.gl, 1, n, std::vector<float>(size_t(n), 0.0f)),
        v(*b.cpu, *b.gl, 1, n, std::vector<float>(size_t(n), 0.0f)), ema(*b.cpu, *b.gl, 1, n, x);
    AdamWConfig config;
    config.lr = 3e-3f;
    config.weight_decay = 0.01f;
    for (int step = 1; step <= 3; ++step) {
      Pair g(*b.cpu, *b.gl, 1, n, random_values(size_t(n), 30u + step));
      b.cpu->adamw_step(p.cpu.t, g.cpu.t, m.cpu.t, v.cpu.t, config, step);
      b.gl->adamw_step(p.gl.t, g.gl.t, m.gl.t, v.gl.t, config, step);
      b.cpu->ema_update(ema.cpu.t, p.cpu.t, 0.995f);
      b.gl->ema_update(ema.gl.t, p.gl.t, 0.995f);
    }
    check_same(p, "adamw params", 1e-12);
    check_same(m, "adamw m", 1e-12);
    check_same(v, "adamw v", 1e-12);
    check_same(ema, "ema", 1e-12);
  }
}
