// test_backend_ops.cpp — every op of nn/backend.h, on every backend this machine has, against the reference
// backend (plain loops): one table of ops × shapes, in the spirit of ggml's tests/test-backend-ops.cpp.
// Not a doctest suite and not a model test: it has its own main(), and the models' parity is issue 11 §4.
//
// Each row of the table builds its inputs from a seed, runs the op on a backend and downloads the outputs.
// - Forward and backward outputs: NMSE = Σ(out − ref)² / Σ ref² ≤ 1e-7 against the reference backend (fp32;
//   Σ ref² has a floor of 1e-6 per element, so an output that is zero in theory compares by absolute error).
// - Guard regions: every tensor sits at an offset inside a larger storage whose extra floats before and after
//   hold a sentinel (1234.5) that must survive the op (out-of-bounds writes); inputs must come back
//   unchanged.
// - Backward ops, on the reference backend itself: each gradient against central finite differences of the
//   reference forward, loss = Σ d_out ⊙ f(x), h = 1e-2, |g − fd| ≤ 2e-2·(0.1 + max(|g|, |fd|)), on 10
//   elements per gradient (the first, the last and 8 drawn; 2 to 10 by the op's size for the large ones). The
//   other backends' backward: NMSE as above.
// - random_normal: the same numbers on every backend for the same (seed, counter) up to 1e-5; drawing
//   [c, c + 2n) equals drawing [c, c + n) then [c + n, c + 2n) (odd c and n too); mean and variance of 10⁵
//   draws; nn/philox.h's block function against Random123's published known-answer vectors (kat_vectors).
// A backend that throws std::logic_error "… has no <op> …" gives a "not supported" row: counted apart, not
// a failure, unless --strict. Rows marked perf-only (sgemm 2048³, batch-32 U-Net layers) run in --perf only.
//
// Usage: test_backend_ops [-o OP] [-b BACKEND] [-t THREADS] [--strict] [--perf]
//   -o OP       only the ops whose name contains OP (-o conv2d: conv2d_forward and conv2d_backward)
//   -b BACKEND  only this backend: cpu, gl or reference (reference: its guards and finite differences only;
//               the reference still runs as the ground truth for cpu and gl)
//   -t THREADS  the CPU backend's threads (default 2: its threaded paths are checked too)
//   --strict    an op a backend does not support is a failure (CI, once the GL backend is complete)
//   --perf      no checks: time per call after two warm-up calls (synchronize() closes the timed loop of
//               ≈ 0.2 s), GFLOP/s for linear, convolution and attention, GB/s elsewhere (each tensor the op
//               names counted once); the reference backend is timed only with -b reference
// Prints one line per (op, shape, backend), a summary per backend and in all; exits 1 on any FAIL (2 on bad
// arguments). A machine without the GL backend or GL ≥ 4.3 prints "gl: skipped — <why>" and checks the rest.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/backend_factory.h"
#include "nn/philox.h"
#include "nn/reference/reference_backend.h"

using namespace difflab;

namespace {

constexpr size_t kGuard = 37;  // sentinel floats before and after every tensor
constexpr float kSentinel = 1234.5f;
constexpr double kMaxNmse = 1e-7;
constexpr double kNormalTolerance = 1e-5;  // random_normal: max |difference| between backends

enum class Init {
  normal,          // 𝒩(0, 1)·scale
  away_from_zero,  // 𝒩(0, 1) pushed ≥ 0.1 away from 0 (ReLU's kink stays out of the finite differences)
  uniform,         // U(0, 1)·scale (second moments, timesteps)
  zeros,
};

// A tensor of a case. Tensors named "… scratch" are inputs the op never touches: only the finite differences'
// forward pass writes them, after the op's outputs were collected.
struct Spec {
  std::string name;
  int rows = 1, cols = 1;
  Init init = Init::normal;
  bool output = false;  // compared against the reference after the op (an in-place op's tensor is one)
  float scale = 1.0f;
};

using Tensors = std::vector<Tensor>;
using OpFn = std::function<double(Backend&, const Tensors&)>;

struct Case {
  Case(std::string op_name, std::string shape_text, std::vector<Spec> tensor_specs, OpFn prepare_fn,
       OpFn run_fn)
      : op(std::move(op_name)),
        shape(std::move(shape_text)),
        specs(std::move(tensor_specs)),
        prepare(std::move(prepare_fn)),
        run(std::move(run_fn)) {}
  std::string op, shape;
  std::vector<Spec> specs;
  OpFn prepare;  // optional, not timed: e.g. the forward pass whose stats or probs a backward op reads
  OpFn run;      // the op; returns its scalar for ops that return one, else NaN
  bool scalar = false;
  double flops = 0;              // > 0: report GFLOP/s in --perf, else GB/s
  double max_abs_tolerance = 0;  // > 0: compare by max |difference| instead of NMSE (random_normal)
  bool perf_only = false;        // too large for the reference's loops: timed by --perf, never checked
  // Backward ops: loss(x) = Σ d_out ⊙ f(x) through the forward op, and (input, gradient) index pairs.
  OpFn loss;
  std::vector<std::pair<int, int>> grads;
};

double nan_value() {
  return std::numeric_limits<double>::quiet_NaN();
}

// Σ a ⊙ b in double, after downloading both.
double dot(Backend& be, const Tensor& a, const Tensor& b) {
  std::vector<float> x(a.size()), y(b.size());
  be.read(a, x.data());
  be.read(b, y.data());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) sum += static_cast<double>(x[i]) * y[i];
  return sum;
}

uint32_t seed_of(const std::string& text) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

std::vector<std::vector<float>> make_inputs(const Case& c) {
  std::mt19937 rng(seed_of(c.op + "|" + c.shape));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<std::vector<float>> values;
  for (const Spec& s : c.specs) {
    std::vector<float> v(static_cast<size_t>(s.rows) * s.cols);
    for (float& x : v) switch (s.init) {
        case Init::normal:
          x = s.scale * normal(rng);
          break;
        case Init::away_from_zero: {
          const float z = normal(rng);
          x = s.scale * (z >= 0 ? z + 0.1f : z - 0.1f);
          break;
        }
        case Init::uniform:
          x = s.scale * uniform(rng);
          break;
        case Init::zeros:
          x = 0.0f;
          break;
      }
    values.push_back(std::move(v));
  }
  return values;
}

// A case's tensors on one backend, each at offset kGuard inside a storage with kGuard sentinels on each side.
struct Placed {
  std::vector<std::unique_ptr<Storage>> storages;
  Tensors tensors;
  Tensor whole(size_t i) const {
    return Tensor{storages[i].get(), 0, 1, static_cast<int>(tensors[i].size() + 2 * kGuard)};
  }
};

Placed place(Backend& be, const Case& c, const std::vector<std::vector<float>>& values) {
  Placed p;
  for (size_t i = 0; i < c.specs.size(); ++i) {
    const size_t n = values[i].size();
    p.storages.push_back(be.create_storage(n + 2 * kGuard));
    p.tensors.push_back(Tensor{p.storages.back().get(), kGuard, c.specs[i].rows, c.specs[i].cols});
    std::vector<float> host(n + 2 * kGuard, kSentinel);
    std::copy(values[i].begin(), values[i].end(), host.begin() + kGuard);
    be.write(p.whole(i), host.data());
  }
  return p;
}

// What an op left: every output's values, its scalar, and what went wrong with guards or inputs.
struct Outcome {
  std::vector<std::vector<float>> outputs;  // per spec (empty for inputs)
  double scalar = 0;
  std::string problem;
};

Outcome collect(Backend& be, const Case& c, const Placed& p, const std::vector<std::vector<float>>& values) {
  Outcome o;
  for (size_t i = 0; i < c.specs.size(); ++i) {
    const size_t n = values[i].size();
    std::vector<float> host(n + 2 * kGuard);
    be.read(p.whole(i), host.data());
    for (size_t k = 0; k < kGuard && o.problem.empty(); ++k)
      if (std::memcmp(&host[k], &kSentinel, sizeof(float)) != 0 ||
          std::memcmp(&host[n + kGuard + k], &kSentinel, sizeof(float)) != 0)
        o.problem = "wrote outside " + c.specs[i].name;
    std::vector<float> inner(host.begin() + kGuard, host.begin() + kGuard + n);
    if (c.specs[i].output)
      o.outputs.push_back(std::move(inner));
    else {
      if (o.problem.empty() && std::memcmp(inner.data(), values[i].data(), n * sizeof(float)) != 0)
        o.problem = "changed its input " + c.specs[i].name;
      o.outputs.emplace_back();
    }
  }
  return o;
}

bool is_not_supported(const std::logic_error& e) {
  return std::string(e.what()).find(" has no ") != std::string::npos;
}

// ---- The table ----

// printf into a string (shape names; GCC 12 warns falsely about chains of std::string + in this file).
template <typename... Args>
std::string text(const char* format_string, Args... args) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, format_string, args...);
  return buffer;
}

std::string dims(int a, int b) {
  return text("%dx%d", a, b);
}

Spec in(const std::string& name, int rows, int cols, Init init = Init::normal, float scale = 1.0f) {
  return Spec{name, rows, cols, init, false, scale};
}
Spec out(const std::string& name, int rows, int cols, Init init = Init::zeros, float scale = 1.0f) {
  return Spec{name, rows, cols, init, true, scale};
}

std::vector<Case> build_table() {
  std::vector<Case> t;
  auto add = [&](Case c) { t.push_back(std::move(c)); };
  const double nan = nan_value();

  // Memory and element-wise ops.
  for (auto [r, c] : {std::pair{1, 1}, {37, 5}, {300, 129}}) {
    add({"fill", dims(r, c), {out("dst", r, c, Init::normal)}, {}, [=](Backend& be, const Tensors& x) {
           be.fill(x[0], -2.5f);
           return nan;
         }});
    add({"copy",
         dims(r, c),
         {out("dst", r, c, Init::normal), in("src", r, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.copy(x[0], x[1]);
           return nan;
         }});
    // write a host block into dst, read src back to the host and write that into dst2 (offsets on both
    // sides).
    add({"write_read",
         dims(r, c),
         {out("dst", r, c), in("src", r, c), out("dst2", r, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           std::vector<float> host(x[0].size());
           for (size_t i = 0; i < host.size(); ++i) host[i] = 0.25f * static_cast<float>(i % 97) - 3.0f;
           be.write(x[0], host.data());
           be.read(x[1], host.data());
           be.write(x[2], host.data());
           return nan;
         }});
    add({"axpy",
         dims(r, c),
         {out("y", r, c, Init::normal), in("x", r, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.axpy(x[0], -0.7f, x[1]);
           return nan;
         }});
    add({"scale", dims(r, c), {out("x", r, c, Init::normal)}, {}, [=](Backend& be, const Tensors& x) {
           be.scale(x[0], 1.7f);
           return nan;
         }});
    add({"ema_update",
         dims(r, c),
         {out("ema", r, c, Init::normal), in("params", r, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.ema_update(x[0], x[1], 0.995f);
           return nan;
         }});
  }
  for (auto [r, c] : {std::pair{1, 1}, {37, 5}, {4097, 33}}) {
    Case s{"sum_squares", dims(r, c), {in("x", r, c)}, {}, [=](Backend& be, const Tensors& x) {
             return be.sum_squares(x[0]);
           }};
    s.scalar = true;
    add(s);
  }
  for (auto [r, c, wd, step] : {std::tuple{1, 1, 0.0f, 1}, {37, 5, 0.01f, 3}, {12345, 1, 0.1f, 1000}}) {
    add({"adamw_step",
         text("%dx%d wd %.2f step %d", r, c, wd, step),
         {out("params", r, c), in("grads", r, c), out("m", r, c, Init::normal, 0.1f),
          out("v", r, c, Init::uniform, 0.01f)},
         {},
         [=](Backend& be, const Tensors& x) {
           AdamWConfig config;
           config.lr = 2e-3f;
           config.weight_decay = wd;
           be.adamw_step(x[0], x[1], x[2], x[3], config, step);
           return nan;
         }});
  }

  // sinusoidal_embedding: out [B, 3 + size + 2], written at column 3 from column 1 of in [B, 2].
  for (auto [b, size, scale, time] :
       {std::tuple{1, 2, 1.0f, false}, {33, 16, 25.0f, false}, {37, 128, 1.0f, true}}) {
    add({"sinusoidal_embedding",
         text("B %d size %d", b, size),
         {out("out", b, 3 + size + 2),
          in("in", b, 2, time ? Init::uniform : Init::normal, time ? 999.0f : 1.0f)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.sinusoidal_embedding(x[0], 3, x[1], 1, size, scale);
           return nan;
         }});
  }

  // Linear: odd sizes, 1, non-multiples of 16 and 64, the 2-D MLP's (B×384 → 128, 128 → 128, 128 → 2) and the
  // U-Net's time embedding (32 → 128 → 128).
  const std::vector<std::array<int, 3>> linear_shapes = {
      {1, 1, 1}, {37, 5, 3}, {65, 17, 63}, {32, 384, 128}, {129, 128, 128}, {130, 128, 2}, {2, 32, 128}};
  for (auto [b, c, oc] : linear_shapes) {
    const std::string shape = text("%dx%d -> %d", b, c, oc);
    Case f{"linear_forward",
           shape,
           {out("out", b, oc), in("in", b, c), in("weight", c, oc), in("bias", 1, oc)},
           {},
           [](Backend& be, const Tensors& x) {
             be.linear_forward(x[0], x[1], x[2], x[3]);
             return nan_value();
           }};
    f.flops = 2.0 * b * c * oc;
    add(f);
    // 0 d_in, 1 d_weight, 2 d_bias, 3 d_out, 4 in, 5 weight, 6 bias, 7 forward scratch
    Case g{"linear_backward",
           shape,
           {out("d_in", b, c), out("d_weight", c, oc), out("d_bias", 1, oc), in("d_out", b, oc),
            in("in", b, c), in("weight", c, oc), in("bias", 1, oc), in("scratch", b, oc)},
           {},
           [](Backend& be, const Tensors& x) {
             be.linear_backward(x[0], x[1], x[2], x[3], x[4], x[5], false, false);
             return nan_value();
           }};
    g.flops = 4.0 * b * c * oc;
    g.loss = [](Backend& be, const Tensors& x) {
      be.linear_forward(x[7], x[4], x[5], x[6]);
      return dot(be, x[3], x[7]);
    };
    g.grads = {{4, 0}, {5, 1}, {6, 2}};
    add(g);
  }
  for (auto [b, c, oc] : {std::array{37, 5, 3}, {129, 128, 128}}) {
    const std::string shape = text("%dx%d -> %d", b, c, oc);
    Case g{"linear_backward",
           shape + " accumulate",
           {out("d_in", b, c, Init::normal), out("d_weight", c, oc, Init::normal),
            out("d_bias", 1, oc, Init::normal), in("d_out", b, oc), in("in", b, c), in("weight", c, oc)},
           {},
           [](Backend& be, const Tensors& x) {
             be.linear_backward(x[0], x[1], x[2], x[3], x[4], x[5], true, true);
             return nan_value();
           }};
    g.flops = 4.0 * b * c * oc;
    add(g);
    Case h{"linear_backward",
           shape + " no d_in",
           {out("d_weight", c, oc), out("d_bias", 1, oc), in("d_out", b, oc), in("in", b, c),
            in("weight", c, oc)},
           {},
           [](Backend& be, const Tensors& x) {
             be.linear_backward(Tensor{}, x[0], x[1], x[2], x[3], x[4], false, false);
             return nan_value();
           }};
    h.flops = 2.0 * b * c * oc;
    add(h);
  }

  // Activations.
  for (Activation a : {Activation::Gelu, Activation::Relu, Activation::Silu})
    for (auto [r, c] : {std::pair{1, 1}, {37, 5}, {129, 128}}) {
      const Init init = a == Activation::Relu ? Init::away_from_zero : Init::normal;
      const std::string shape = activation_name(a) + " " + dims(r, c);
      add({"activation_forward",
           shape,
           {out("out", r, c), in("in", r, c, init, 2.0f)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.activation_forward(a, x[0], x[1]);
             return nan_value();
           }});
      Case g{"activation_backward",
             shape,
             {out("d_in", r, c), in("d_out", r, c), in("in", r, c, init, 2.0f), in("scratch", r, c)},
             {},
             [=](Backend& be, const Tensors& x) {
               be.activation_backward(a, x[0], x[1], x[2]);
               return nan_value();
             }};
      g.loss = [=](Backend& be, const Tensors& x) {
        be.activation_forward(a, x[3], x[2]);
        return dot(be, x[1], x[3]);
      };
      g.grads = {{2, 0}};
      add(g);
    }

  // Training and sampling ops.
  for (auto [r, c, seed, counter] : {std::tuple{1, 1, uint64_t{0}, uint64_t{0}},
                                     {37, 3, (uint64_t{1} << 40) + 5, uint64_t{7}},
                                     {2, 1000, uint64_t{42}, (uint64_t{1} << 33) + 1}}) {
    Case n{"random_normal",
           text("%dx%d seed %llu counter %llu", r, c, static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(counter)),
           {out("out", r, c, Init::normal)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.random_normal(x[0], seed, counter);
             return nan_value();
           }};
    n.max_abs_tolerance = kNormalTolerance;
    add(n);
  }
  for (auto [r, c] : {std::pair{1, 1}, {37, 5}, {128, 2}, {33, 784}}) {
    add({"row_combine",
         dims(r, c),
         {out("out", r, c), in("a", r, 1), in("x", r, c), in("b", r, 1), in("y", r, c)},
         {},
         [](Backend& be, const Tensors& x) {
           be.row_combine(x[0], x[1], x[2], x[3], x[4]);
           return nan_value();
         }});
    add({"combine",
         dims(r, c),
         {out("out", r, c), in("x", r, c), in("y", r, c), in("z", r, c)},
         {},
         [](Backend& be, const Tensors& x) {
           be.combine(x[0], 0.9f, x[1], -0.3f, x[2], 0.05f, x[3]);
           return nan_value();
         }});
  }
  add({"row_combine",
       "37x5 out = x",
       {out("x", 37, 5), in("a", 37, 1), in("b", 37, 1), in("y", 37, 5)},
       {},
       [](Backend& be, const Tensors& x) {
         be.row_combine(x[0], x[1], x[0], x[2], x[3]);
         return nan_value();
       }});
  add({"row_combine",
       "37x5 out = y",
       {out("y", 37, 5), in("a", 37, 1), in("x", 37, 5), in("b", 37, 1)},
       {},
       [](Backend& be, const Tensors& x) {
         be.row_combine(x[0], x[1], x[2], x[3], x[0]);
         return nan_value();
       }});
  add({"combine",
       "37x5 no z",
       {out("out", 37, 5), in("x", 37, 5), in("y", 37, 5)},
       {},
       [](Backend& be, const Tensors& x) {
         be.combine(x[0], 1.1f, x[1], 0.4f, x[2], 123.0f, Tensor{});
         return nan_value();
       }});
  add({"combine",
       "37x5 out = z",
       {out("z", 37, 5), in("x", 37, 5), in("y", 37, 5)},
       {},
       [](Backend& be, const Tensors& x) {
         be.combine(x[0], 1.1f, x[1], 0.4f, x[2], -0.5f, x[0]);
         return nan_value();
       }});
  add({"combine",
       "37x5 out = x",
       {out("x", 37, 5), in("y", 37, 5), in("z", 37, 5)},
       {},
       [](Backend& be, const Tensors& x) {
         be.combine(x[0], 1.1f, x[0], 0.4f, x[1], -0.5f, x[2]);
         return nan_value();
       }});
  for (auto [r, c] : {std::pair{1, 1}, {37, 5}, {128, 2}, {4, 784}}) {
    Case m{"mse_loss",
           dims(r, c),
           {out("d_pred", r, c), in("pred", r, c), in("target", r, c), in("scratch", r, c)},
           {},
           [](Backend& be, const Tensors& x) { return be.mse_loss(x[0], x[1], x[2]); }};
    m.scalar = true;
    m.loss = [](Backend& be, const Tensors& x) { return be.mse_loss(x[3], x[1], x[2]); };
    m.grads = {{1, 0}};
    add(m);
  }

  // Convolutions: tiny and odd shapes, stride 2, 1×1, no padding, and the classroom U-Net's (28×28, c₀ 32).
  struct ConvCase {
    int b, h, w, c, oc, k, s, p;
  };
  const std::vector<ConvCase> convs = {
      {1, 1, 1, 1, 1, 3, 1, 1},     {2, 5, 7, 3, 5, 3, 1, 1},     {2, 7, 6, 3, 4, 3, 2, 1},
      {2, 5, 5, 7, 9, 1, 1, 0},     {1, 6, 5, 2, 3, 3, 1, 0},     {2, 28, 28, 1, 32, 3, 1, 1},
      {2, 28, 28, 32, 32, 3, 1, 1}, {2, 28, 28, 32, 32, 3, 2, 1}, {2, 14, 14, 64, 64, 3, 1, 1},
      {2, 7, 7, 128, 64, 3, 1, 1},  {2, 14, 14, 96, 64, 1, 1, 0}, {2, 28, 28, 32, 1, 3, 1, 1}};
  for (const ConvCase& cc : convs) {
    ConvShape s;
    s.batch = cc.b, s.height = cc.h, s.width = cc.w, s.in_channels = cc.c, s.out_channels = cc.oc;
    s.kernel = cc.k, s.stride = cc.s, s.padding = cc.p;
    const std::string shape =
        text("B%d %dx%d %d->%d k%d s%d p%d", cc.b, cc.h, cc.w, cc.c, cc.oc, cc.k, cc.s, cc.p);
    const int rows = cc.b * cc.h * cc.w, out_rows = cc.b * s.out_height() * s.out_width(),
              kkc = cc.k * cc.k * cc.c;
    Case f{"conv2d_forward",
           shape,
           {out("out", out_rows, cc.oc), in("in", rows, cc.c), in("weight", kkc, cc.oc, Init::normal, 0.3f),
            in("bias", 1, cc.oc)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.conv2d_forward(x[0], x[1], x[2], x[3], s);
             return nan_value();
           }};
    f.flops = s.flops();
    add(f);
    // 0 d_in, 1 d_weight, 2 d_bias, 3 d_out, 4 in, 5 weight, 6 bias, 7 scratch
    Case g{"conv2d_backward",
           shape,
           {out("d_in", rows, cc.c), out("d_weight", kkc, cc.oc), out("d_bias", 1, cc.oc),
            in("d_out", out_rows, cc.oc), in("in", rows, cc.c), in("weight", kkc, cc.oc, Init::normal, 0.3f),
            in("bias", 1, cc.oc), in("scratch", out_rows, cc.oc)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.conv2d_backward(x[0], x[1], x[2], x[3], x[4], x[5], s, false);
             return nan_value();
           }};
    g.flops = 2 * s.flops();
    g.loss = [=](Backend& be, const Tensors& x) {
      be.conv2d_forward(x[7], x[4], x[5], x[6], s);
      return dot(be, x[3], x[7]);
    };
    g.grads = {{4, 0}, {5, 1}, {6, 2}};
    add(g);
    if (cc.b == 2 && cc.h == 5) {
      Case a{"conv2d_backward",
             shape + " accumulate",
             {out("d_in", rows, cc.c, Init::normal), out("d_weight", kkc, cc.oc), out("d_bias", 1, cc.oc),
              in("d_out", out_rows, cc.oc), in("in", rows, cc.c), in("weight", kkc, cc.oc)},
             {},
             [=](Backend& be, const Tensors& x) {
               be.conv2d_backward(x[0], x[1], x[2], x[3], x[4], x[5], s, true);
               return nan_value();
             }};
      add(a);
      Case e{"conv2d_backward",
             shape + " no d_in",
             {out("d_weight", kkc, cc.oc), out("d_bias", 1, cc.oc), in("d_out", out_rows, cc.oc),
              in("in", rows, cc.c), in("weight", kkc, cc.oc)},
             {},
             [=](Backend& be, const Tensors& x) {
               be.conv2d_backward(Tensor{}, x[0], x[1], x[2], x[3], x[4], s, false);
               return nan_value();
             }};
      add(e);
    }
  }

  // Nearest ×2 upsampling.
  for (auto [b, h, w, c] : {std::array{1, 1, 1, 1}, {2, 3, 5, 3}, {2, 7, 7, 64}, {2, 14, 14, 64}}) {
    const std::string shape = text("B%d %dx%d C%d", b, h, w, c);
    add({"upsample_nearest2x_forward",
         shape,
         {out("out", b * 4 * h * w, c), in("in", b * h * w, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.upsample_nearest2x_forward(x[0], x[1], b, h, w);
           return nan_value();
         }});
    Case g{"upsample_nearest2x_backward",
           shape,
           {out("d_in", b * h * w, c), in("d_out", b * 4 * h * w, c), in("in", b * h * w, c),
            in("scratch", b * 4 * h * w, c)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.upsample_nearest2x_backward(x[0], x[1], b, h, w);
             return nan_value();
           }};
    g.loss = [=](Backend& be, const Tensors& x) {
      be.upsample_nearest2x_forward(x[3], x[2], b, h, w);
      return dot(be, x[1], x[3]);
    };
    g.grads = {{2, 0}};
    add(g);
  }

  // GroupNorm: the inputs are U(0, 6), a mean of 3 (centring must not cost precision). The smallest group has
  // two values: over one value the output is β whatever x, and its input gradient is 0 up to r·γ·d_out ≈ 300×
  // rounding noise (r = 1/√eps).
  for (auto [b, p, c, groups] :
       {std::array{1, 1, 2, 1}, {2, 35, 6, 3}, {2, 784, 32, 8}, {2, 49, 64, 8}, {3, 196, 128, 8}}) {
    const std::string shape = text("B%d P%d C%d G%d", b, p, c, groups);
    const int rows = b * p;
    add({"group_norm_forward",
         shape,
         {out("out", rows, c), out("stats", b * groups, 2), in("in", rows, c, Init::uniform, 6.0f),
          in("gamma", 1, c), in("beta", 1, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.group_norm_forward(x[0], x[1], x[2], x[3], x[4], b, groups);
           return nan_value();
         }});
    // 0 d_in, 1 d_gamma, 2 d_beta, 3 d_out, 4 in, 5 stats, 6 gamma, 7 beta, 8 out (prepare), 9 scratch, 10
    // stats scratch
    Case g{
        "group_norm_backward",
        shape,
        {out("d_in", rows, c), out("d_gamma", 1, c), out("d_beta", 1, c), in("d_out", rows, c),
         in("in", rows, c, Init::uniform, 6.0f), out("stats", b * groups, 2), in("gamma", 1, c),
         in("beta", 1, c), out("out", rows, c), in("scratch", rows, c), in("stats scratch", b * groups, 2)},
        [=](Backend& be, const Tensors& x) {
          be.group_norm_forward(x[8], x[5], x[4], x[6], x[7], b, groups);
          return nan_value();
        },
        [=](Backend& be, const Tensors& x) {
          be.group_norm_backward(x[0], x[1], x[2], x[3], x[4], x[5], x[6], b, groups);
          return nan_value();
        }};
    g.loss = [=](Backend& be, const Tensors& x) {
      be.group_norm_forward(x[9], x[10], x[4], x[6], x[7], b, groups);
      return dot(be, x[3], x[9]);
    };
    g.grads = {{4, 0}, {6, 1}, {7, 2}};
    add(g);
  }

  // Channel concatenation.
  for (auto [r, ca, cb] : {std::array{1, 1, 1}, {37, 3, 5}, {392, 64, 64}}) {
    const std::string shape = text("%dx(%d+%d)", r, ca, cb);
    add({"concat_channels_forward",
         shape,
         {out("out", r, ca + cb), in("a", r, ca), in("b", r, cb)},
         {},
         [](Backend& be, const Tensors& x) {
           be.concat_channels_forward(x[0], x[1], x[2]);
           return nan_value();
         }});
    // 0 d_a, 1 d_b, 2 d_out, 3 a, 4 b, 5 scratch
    Case g{"concat_channels_backward",
           shape,
           {out("d_a", r, ca), out("d_b", r, cb), in("d_out", r, ca + cb), in("a", r, ca), in("b", r, cb),
            in("scratch", r, ca + cb)},
           {},
           [](Backend& be, const Tensors& x) {
             be.concat_channels_backward(x[0], x[1], x[2]);
             return nan_value();
           }};
    g.loss = [](Backend& be, const Tensors& x) {
      be.concat_channels_forward(x[5], x[3], x[4]);
      return dot(be, x[2], x[5]);
    };
    g.grads = {{3, 0}, {4, 1}};
    add(g);
  }
  add({"concat_channels_backward",
       "37x(3+5) adds, no d_b",
       {out("d_a", 37, 3, Init::normal), in("d_out", 37, 8)},
       {},
       [](Backend& be, const Tensors& x) {
         be.concat_channels_backward(x[0], Tensor{}, x[1]);
         return nan_value();
       }});
  add({"concat_channels_backward",
       "37x(3+5) adds, no d_a",
       {out("d_b", 37, 5, Init::normal), in("d_out", 37, 8)},
       {},
       [](Backend& be, const Tensors& x) {
         be.concat_channels_backward(Tensor{}, x[0], x[1]);
         return nan_value();
       }});

  // Attention: one position, odd head size, the classroom U-Net's middle (7×7, 64 channels, 2 heads of 32)
  // and a 14×14 level with 4 heads (configs A and B).
  for (auto [b, p, c, heads] : {std::array{1, 1, 1, 1}, {2, 5, 6, 2}, {2, 49, 64, 2}, {1, 196, 128, 4}}) {
    const std::string shape = text("B%d P%d C%d heads %d", b, p, c, heads);
    const int rows = b * p;
    const double flops = 4.0 * b * p * p * c;
    Case f{"attention_forward",
           shape,
           {out("out", rows, c), out("probs", b * heads * p, p), in("qkv", rows, 3 * c, Init::normal, 1.5f)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.attention_forward(x[0], x[1], x[2], b, heads);
             return nan_value();
           }};
    f.flops = flops;
    add(f);
    // 0 d_qkv, 1 d_out, 2 qkv, 3 probs (prepare), 4 out (prepare), 5 scratch out, 6 scratch probs
    Case g{"attention_backward",
           shape,
           {out("d_qkv", rows, 3 * c), in("d_out", rows, c), in("qkv", rows, 3 * c, Init::normal, 1.5f),
            out("probs", b * heads * p, p), out("out", rows, c), in("scratch", rows, c),
            in("probs scratch", b * heads * p, p)},
           [=](Backend& be, const Tensors& x) {
             be.attention_forward(x[4], x[3], x[2], b, heads);
             return nan_value();
           },
           [=](Backend& be, const Tensors& x) {
             be.attention_backward(x[0], x[1], x[2], x[3], b, heads);
             return nan_value();
           }};
    g.flops = 2 * flops;
    g.loss = [=](Backend& be, const Tensors& x) {
      be.attention_forward(x[5], x[6], x[2], b, heads);
      return dot(be, x[1], x[5]);
    };
    g.grads = {{2, 0}};
    add(g);
  }

  // Per-image channel bias, class embedding, global average pooling.
  for (auto [b, p, c] : {std::array{1, 1, 1}, {2, 35, 5}, {2, 784, 32}}) {
    const std::string shape = text("B%d P%d C%d", b, p, c);
    add({"add_channel_bias_forward",
         shape,
         {out("x", b * p, c, Init::normal), in("bias", b, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.add_channel_bias_forward(x[0], x[1], b);
           return nan_value();
         }});
    // 0 d_bias, 1 d_x, 2 bias, 3 x, 4 scratch
    Case g{"add_channel_bias_backward",
           shape,
           {out("d_bias", b, c), in("d_x", b * p, c), in("bias", b, c), in("x", b * p, c),
            in("scratch", b * p, c)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.add_channel_bias_backward(x[0], x[1], b);
             return nan_value();
           }};
    g.loss = [=](Backend& be, const Tensors& x) {
      be.copy(x[4], x[3]);
      be.add_channel_bias_forward(x[4], x[2], b);
      return dot(be, x[1], x[4]);
    };
    g.grads = {{2, 0}};
    add(g);

    add({"global_avg_pool_forward",
         shape,
         {out("out", b, c), in("in", b * p, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.global_avg_pool_forward(x[0], x[1], b);
           return nan_value();
         }});
    Case q{"global_avg_pool_backward",
           shape,
           {out("d_in", b * p, c), in("d_out", b, c), in("in", b * p, c), in("scratch", b, c)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.global_avg_pool_backward(x[0], x[1], b);
             return nan_value();
           }};
    q.loss = [=](Backend& be, const Tensors& x) {
      be.global_avg_pool_forward(x[3], x[2], b);
      return dot(be, x[1], x[3]);
    };
    q.grads = {{2, 0}};
    add(q);
  }
  for (auto [rows, k, d] : {std::array{1, 1, 1}, {3, 4, 5}, {37, 11, 128}}) {
    std::vector<int> ids(rows);
    for (int i = 0; i < rows; ++i) ids[i] = (i * 7 + 3) % k;  // repeats once rows > k
    const std::string shape = text("%d ids, table %dx%d", rows, k, d);
    add({"embedding_forward",
         shape,
         {out("out", rows, d), in("table", k, d)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.embedding_forward(x[0], x[1], ids.data());
           return nan_value();
         }});
    // 0 d_table (adds to its start), 1 d_out, 2 table, 3 scratch
    Case g{"embedding_backward",
           shape,
           {out("d_table", k, d), in("d_out", rows, d), in("table", k, d), in("scratch", rows, d)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.embedding_backward(x[0], x[1], ids.data());
             return nan_value();
           }};
    g.loss = [=](Backend& be, const Tensors& x) {
      be.embedding_forward(x[3], x[2], ids.data());
      return dot(be, x[1], x[3]);
    };
    g.grads = {{2, 0}};
    add(g);
    add({"embedding_backward",
         shape + " adds",
         {out("d_table", k, d, Init::normal), in("d_out", rows, d)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.embedding_backward(x[0], x[1], ids.data());
           return nan_value();
         }});
  }
  // Token ops of the diffusion transformer: one token, odd sizes, the classroom DiT (49 tokens of 64
  // channels, batch 2) and patch 2 over 28×28.
  for (auto [b, p, c] : {std::array{1, 1, 1}, {3, 7, 5}, {2, 49, 64}}) {
    const std::string shape = text("B%d P%d C%d", b, p, c);
    add({"scale_channels_forward",
         shape,
         {out("out", b * p, c), in("in", b * p, c), in("scale", b, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.scale_channels_forward(x[0], x[1], x[2], b);
           return nan_value();
         }});
    // 0 d_in, 1 d_scale, 2 d_out, 3 in, 4 scale, 5 scratch
    Case g{"scale_channels_backward",
           shape,
           {out("d_in", b * p, c), out("d_scale", b, c), in("d_out", b * p, c), in("in", b * p, c),
            in("scale", b, c), in("scratch", b * p, c)},
           {},
           [=](Backend& be, const Tensors& x) {
             be.scale_channels_backward(x[0], x[1], x[2], x[3], x[4], b);
             return nan_value();
           }};
    g.loss = [=](Backend& be, const Tensors& x) {
      be.scale_channels_forward(x[5], x[3], x[4], b);
      return dot(be, x[2], x[5]);
    };
    g.grads = {{3, 0}, {4, 1}};
    add(g);
    add({"scale_channels_backward",
         shape + ", no d_in",
         {out("d_scale", b, c), in("d_out", b * p, c), in("in", b * p, c), in("scale", b, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.scale_channels_backward(Tensor{}, x[0], x[1], x[2], x[3], b);
           return nan_value();
         }});
  }
  for (auto [b, h, w, c, p] :
       {std::array{1, 1, 1, 1, 1}, {2, 6, 4, 3, 2}, {2, 28, 28, 1, 4}, {1, 28, 28, 4, 2}}) {
    const std::string shape = text("B%d %dx%d C%d patch %d", b, h, w, c, p);
    const int tokens = b * (h / p) * (w / p), width = p * p * c;
    add({"patchify",
         shape,
         {out("tokens", tokens, width), in("image", b * h * w, c)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.patchify(x[0], x[1], b, h, w, p);
           return nan_value();
         }});
    add({"unpatchify",
         shape,
         {out("image", b * h * w, c), in("tokens", tokens, width)},
         {},
         [=](Backend& be, const Tensors& x) {
           be.unpatchify(x[0], x[1], b, h, w, p);
           return nan_value();
         }});
  }

  // --perf only: sizes where a GPU has work to do (the reference never runs them).
  auto perf_only = [&](Case c) {
    c.perf_only = true;
    add(std::move(c));
  };
  {
    Case f{"linear_forward",
           "2048x2048 -> 2048 (sgemm)",
           {out("out", 2048, 2048), in("in", 2048, 2048), in("weight", 2048, 2048), in("bias", 1, 2048)},
           {},
           [](Backend& be, const Tensors& x) {
             be.linear_forward(x[0], x[1], x[2], x[3]);
             return nan_value();
           }};
    f.flops = 2.0 * 2048 * 2048 * 2048;
    perf_only(f);
    ConvShape s;  // a classroom U-Net ResBlock convolution at batch 32
    s.batch = 32, s.height = 28, s.width = 28, s.in_channels = 32, s.out_channels = 32;
    const int rows = 32 * 28 * 28;
    Case conv{"conv2d_forward",
              "B32 28x28 32->32 k3 s1 p1",
              {out("out", rows, 32), in("in", rows, 32), in("weight", 288, 32), in("bias", 1, 32)},
              {},
              [=](Backend& be, const Tensors& x) {
                be.conv2d_forward(x[0], x[1], x[2], x[3], s);
                return nan_value();
              }};
    conv.flops = s.flops();
    perf_only(conv);
    Case back{"conv2d_backward",
              "B32 28x28 32->32 k3 s1 p1",
              {out("d_in", rows, 32), out("d_weight", 288, 32), out("d_bias", 1, 32), in("d_out", rows, 32),
               in("in", rows, 32), in("weight", 288, 32)},
              {},
              [=](Backend& be, const Tensors& x) {
                be.conv2d_backward(x[0], x[1], x[2], x[3], x[4], x[5], s, false);
                return nan_value();
              }};
    back.flops = 2 * s.flops();
    perf_only(back);
    Case att{"attention_forward",
             "B32 P49 C64 heads 2",
             {out("out", 32 * 49, 64), out("probs", 32 * 2 * 49, 49), in("qkv", 32 * 49, 192)},
             {},
             [](Backend& be, const Tensors& x) {
               be.attention_forward(x[0], x[1], x[2], 32, 2);
               return nan_value();
             }};
    att.flops = 4.0 * 32 * 49 * 49 * 64;
    perf_only(att);
    perf_only({"axpy",
               "4194304x1",
               {out("y", 1 << 22, 1), in("x", 1 << 22, 1)},
               {},
               [](Backend& be, const Tensors& x) {
                 be.axpy(x[0], 0.5f, x[1]);
                 return nan_value();
               }});
    perf_only({"random_normal", "4194304x1", {out("out", 1 << 22, 1)}, {}, [](Backend& be, const Tensors& x) {
                 be.random_normal(x[0], 1, 0);
                 return nan_value();
               }});
  }
  return t;
}

// ---- Checks ----

struct Tally {
  int ok = 0, fail = 0, not_supported = 0;
};
struct Counts : Tally {
  std::vector<std::pair<std::string, Tally>> per_backend;  // in order of first appearance
  Tally& of(const std::string& backend) {
    for (auto& [name, tally] : per_backend)
      if (name == backend) return tally;
    per_backend.push_back({backend, Tally{}});
    return per_backend.back().second;
  }
};

void report_not_supported(Counts& counts, const std::string& op, const std::string& shape,
                          const std::string& backend) {
  ++counts.not_supported;
  ++counts.of(backend).not_supported;
  std::printf("  %-4s %-28s %-36s %-10s not supported\n", "--", op.c_str(), shape.c_str(), backend.c_str());
}

void report(Counts& counts, bool ok, const Case& c, const std::string& backend, const std::string& detail) {
  (ok ? counts.ok : counts.fail) += 1;
  (ok ? counts.of(backend).ok : counts.of(backend).fail) += 1;
  std::printf("  %-4s %-28s %-36s %-10s %s\n", ok ? "OK" : "FAIL", c.op.c_str(), c.shape.c_str(),
              backend.c_str(), detail.c_str());
}

// Normalised mean squared error of `got` against `want`; NaN when either holds a NaN. The norm has a floor of
// 1e-6 per element (values of 1e-3 from inputs of size 1): an output that is zero in theory, like GroupNorm's
// input gradient over a group of one value, then compares by absolute error instead of dividing rounding
// noise by rounding noise.
double nmse(const std::vector<float>& got, const std::vector<float>& want) {
  double err = 0, norm = 0;
  const double floor = 1e-6 * static_cast<double>(want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    err += d * d;
    norm += static_cast<double>(want[i]) * want[i];
  }
  return err / std::max(norm, floor);
}

double max_abs_difference(const std::vector<float>& got, const std::vector<float>& want) {
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (!(d <= worst)) worst = d;  // NaN sticks
  }
  return worst;
}

std::string format(const char* fmt, double value) {
  char text[64];
  std::snprintf(text, sizeof text, fmt, value);
  return text;
}

struct RunResult {
  bool supported = true;
  Outcome outcome;
};

// Places a case's inputs on a backend, runs prepare and the op, and collects what it left; supported = false
// when the backend says it lacks the op. *keep receives the tensors (for the finite differences).
RunResult run_and_collect(Backend& be, const Case& c, const std::vector<std::vector<float>>& values,
                          Placed* keep = nullptr) {
  RunResult r;
  Placed p = place(be, c, values);
  double scalar = 0;
  try {
    if (c.prepare) c.prepare(be, p.tensors);
    scalar = c.run(be, p.tensors);
    be.synchronize();
  } catch (const std::logic_error& e) {
    if (!is_not_supported(e)) throw;
    r.supported = false;
    return r;
  }
  r.outcome = collect(be, c, p, values);
  r.outcome.scalar = scalar;
  if (keep) *keep = std::move(p);
  return r;
}

// The reference backward against central finite differences of the reference forward: a few elements of each
// input, loss(x ± h·e_i), |g − fd| ≤ 2e-2·(0.1 + max(|g|, |fd|)).
std::string finite_difference_problem(Backend& ref, const Case& c, Placed& p, double* worst_ratio) {
  constexpr float kStep = 1e-2f;
  constexpr double kRelative = 2e-2, kFloor = 0.1;
  constexpr int kSamples = 10;
  std::mt19937 rng(seed_of("fd|" + c.op + "|" + c.shape));
  *worst_ratio = 0;
  for (auto [input, grad] : c.grads) {
    const Tensor& x = p.tensors[input];
    std::vector<float> g(p.tensors[grad].size());
    ref.read(p.tensors[grad], g.data());
    // Large shapes (a U-Net convolution) get fewer samples: about 1e8 flops of forward passes per gradient.
    const int affordable = c.flops > 0 ? static_cast<int>(std::clamp(1e8 / c.flops, 2.0, 10.0)) : kSamples;
    const int samples = static_cast<int>(std::min<size_t>(std::min(kSamples, affordable), x.size()));
    for (int s = 0; s < samples; ++s) {
      const size_t i = s == 0 ? 0 : (s == 1 ? x.size() - 1 : rng() % x.size());
      float* element = x.host() + i;
      const float saved = *element;
      *element = saved + kStep;
      const double plus = c.loss(ref, p.tensors);
      *element = saved - kStep;
      const double minus = c.loss(ref, p.tensors);
      *element = saved;
      const double fd = (plus - minus) / (2.0 * kStep);
      const double bound =
          kRelative * (kFloor + std::max(std::fabs(fd), std::fabs(static_cast<double>(g[i]))));
      const double ratio = std::fabs(fd - g[i]) / bound;
      *worst_ratio = std::max(*worst_ratio, ratio);
      if (!(ratio <= 1.0))
        return c.specs[grad].name + text("[%zu] = %.6g, finite differences %.6g", i, g[i], fd);
    }
  }
  return "";
}

// Random123's published known-answer vectors for Philox4x32-10 (its tests/kat_vectors): counter, key, result.
void check_philox(Counts& counts) {
  struct Kat {
    std::array<uint32_t, 4> counter;
    std::array<uint32_t, 2> key, unused;
    std::array<uint32_t, 4> expected;
  };
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},  // the digits of π
       {0xa4093822, 0x299f31d0},
       {},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  Case row{"philox4x32_10", "Random123 kat_vectors", {}, {}, {}};
  for (const Kat& k : kats) {
    const bool ok = philox4x32_10(k.counter, k.key) == k.expected;
    char text[32];
    std::snprintf(text, sizeof text, "%08x…", k.counter[0]);
    row.shape = std::string("counter ") + text;
    report(counts, ok, row, "host", ok ? "exact" : "wrong block");
  }
  // Normal numbers 0 and 1 of stream 0 are Box–Muller on the first KAT block's words 0x6627e8d5, 0xe169c58d,
  // worked out here in double.
  const double u0 = ((0x6627e8d5u >> 8) + 1) / 16777216.0, u1 = ((0xe169c58du >> 8) + 1) / 16777216.0;
  const double r = std::sqrt(-2.0 * std::log(u0)), angle = 2.0 * 3.14159265358979323846 * u1;
  const double z0 = r * std::cos(angle), z1 = r * std::sin(angle);
  const double err = std::max(std::fabs(philox_normal(0, 0) - z0), std::fabs(philox_normal(0, 1) - z1));
  row.op = "philox_normal";
  row.shape = "seed 0, n 0 and 1 (Box-Muller)";
  report(counts, err <= kNormalTolerance, row, "host", format("max |diff| %.2g", err));
}

// On one backend: drawing [c, c + 2n) equals drawing [c, c + n) then [c + n, c + 2n) (odd c and n too), and
// on the reference 10⁵ draws have mean 0 and variance 1 (5 standard errors).
void check_random_normal_streams(Counts& counts, Backend& be) {
  Case row{"random_normal", "", {}, {}, {}};
  try {
    for (int n : {1, 7, 64, 333}) {
      const uint64_t seed = 0x123456789abcull, counter = 5;
      auto whole = be.create_storage(2 * n), parts = be.create_storage(2 * n);
      be.random_normal(Tensor{whole.get(), 0, 1, 2 * n}, seed, counter);
      be.random_normal(Tensor{parts.get(), 0, 1, n}, seed, counter);
      be.random_normal(Tensor{parts.get(), static_cast<size_t>(n), 1, n}, seed, counter + n);
      std::vector<float> a(2 * n), b(2 * n);
      be.read(Tensor{whole.get(), 0, 1, 2 * n}, a.data());
      be.read(Tensor{parts.get(), 0, 1, 2 * n}, b.data());
      const double diff = max_abs_difference(b, a);
      row.shape = text("[5, 5+%d) = two halves", 2 * n);
      report(counts, diff <= 1e-6, row, be.name(), format("max |diff| %.2g", diff));
    }
    if (be.name() != "reference") return;
    constexpr int kDraws = 100000;
    auto storage = be.create_storage(kDraws);
    const Tensor t{storage.get(), 0, 1, kDraws};
    be.random_normal(t, 7, 0);
    std::vector<float> z(kDraws);
    be.read(t, z.data());
    double sum = 0, squares = 0;
    for (float v : z) sum += v, squares += static_cast<double>(v) * v;
    const double mean = sum / kDraws, variance = squares / kDraws - mean * mean;
    row.shape = "1e5 draws: mean 0, variance 1";
    report(counts,
           std::fabs(mean) <= 5.0 / std::sqrt(kDraws) &&
               std::fabs(variance - 1) <= 5.0 * std::sqrt(2.0 / kDraws),
           row, be.name(), format("mean %.4f", mean) + format(" variance %.4f", variance));
  } catch (const std::logic_error& e) {
    if (!is_not_supported(e)) throw;
    report_not_supported(counts, row.op, "stream splits", be.name());
  }
}

struct NamedBackend {
  std::string name;
  std::unique_ptr<Backend> backend;
};

// Checks one case: the reference (guards, inputs, finite differences) and every other backend against it.
void check_case(Counts& counts, const Case& c, Backend& ref, std::vector<NamedBackend>& others,
                bool show_reference) {
  const auto values = make_inputs(c);
  Placed ref_tensors;
  RunResult want;
  try {
    want = run_and_collect(ref, c, values, &ref_tensors);
  } catch (const std::exception& e) {
    report(counts, false, c, "reference", std::string("threw: ") + e.what());
    return;
  }
  if (!want.supported) {
    report(counts, false, c, "reference", "the reference backend must have every op");
    return;
  }
  if (show_reference) {
    std::string problem = want.outcome.problem, detail = "guards and inputs intact";
    if (problem.empty() && c.loss) {
      double worst = 0;
      problem = finite_difference_problem(ref, c, ref_tensors, &worst);
      detail = "finite differences: worst " + format("%.2f", worst) + " of tolerance";
    }
    report(counts, problem.empty(), c, "reference", problem.empty() ? detail : problem);
  }
  for (NamedBackend& b : others) {
    RunResult got;
    try {
      got = run_and_collect(*b.backend, c, values);
    } catch (const std::exception& e) {
      report(counts, false, c, b.name, std::string("threw: ") + e.what());
      continue;
    }
    if (!got.supported) {
      report_not_supported(counts, c.op, c.shape, b.name);
      continue;
    }
    if (!got.outcome.problem.empty()) {
      report(counts, false, c, b.name, got.outcome.problem);
      continue;
    }
    double worst = 0;
    std::string worst_name;
    for (size_t i = 0; i < c.specs.size(); ++i) {
      if (!c.specs[i].output) continue;
      const double e = c.max_abs_tolerance > 0
                           ? max_abs_difference(got.outcome.outputs[i], want.outcome.outputs[i])
                           : nmse(got.outcome.outputs[i], want.outcome.outputs[i]);
      if (!(e <= worst)) worst = e, worst_name = c.specs[i].name;
    }
    if (c.scalar) {
      const double e =
          nmse({static_cast<float>(got.outcome.scalar)}, {static_cast<float>(want.outcome.scalar)});
      if (!(e <= worst)) worst = e, worst_name = "returned value";
    }
    const double tolerance = c.max_abs_tolerance > 0 ? c.max_abs_tolerance : kMaxNmse;
    const std::string what = c.max_abs_tolerance > 0 ? "max |diff| " : "nmse ";
    report(counts, worst <= tolerance, c, b.name,
           what + format("%.2e", worst) + (worst_name.empty() ? "" : " (" + worst_name + ")"));
  }
}

// Bytes an op moves, counting every tensor it names once (scratch tensors of the finite differences
// excluded).
double bytes_of(const Case& c) {
  double floats = 0;
  for (const Spec& s : c.specs)
    if (s.name.find("scratch") == std::string::npos) floats += static_cast<double>(s.rows) * s.cols;
  return 4.0 * floats;
}

void run_perf(const std::vector<Case>& table, std::vector<NamedBackend>& backends) {
  using Clock = std::chrono::steady_clock;
  std::printf("  %-28s %-36s %-10s %12s %12s\n", "op", "shape", "backend", "us/call", "rate");
  for (NamedBackend& b : backends)
    for (const Case& c : table) {
      const auto values = make_inputs(c);
      Placed p = place(*b.backend, c, values);
      try {
        if (c.prepare) c.prepare(*b.backend, p.tensors);
        for (int i = 0; i < 2; ++i) c.run(*b.backend, p.tensors);  // warm-up
        b.backend->synchronize();
        auto start = Clock::now();
        c.run(*b.backend, p.tensors);
        b.backend->synchronize();
        const double once = std::chrono::duration<double>(Clock::now() - start).count();
        const int iterations = static_cast<int>(std::clamp(0.2 / std::max(once, 1e-9), 1.0, 10000.0));
        start = Clock::now();
        for (int i = 0; i < iterations; ++i) c.run(*b.backend, p.tensors);
        b.backend->synchronize();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count() / iterations;
        const std::string rate = c.flops > 0 ? format("%.2f GFLOP/s", c.flops / seconds * 1e-9)
                                             : format("%.2f GB/s", bytes_of(c) / seconds * 1e-9);
        std::printf("  %-28s %-36s %-10s %12.2f %12s\n", c.op.c_str(), c.shape.c_str(), b.name.c_str(),
                    seconds * 1e6, rate.c_str());
      } catch (const std::logic_error& e) {
        if (!is_not_supported(e)) throw;
        std::printf("  %-28s %-36s %-10s %12s\n", c.op.c_str(), c.shape.c_str(), b.name.c_str(),
                    "not supported");
      }
    }
}

}  // namespace

int main(int argc, char** argv) {
  std::string op_filter, backend_filter;
  bool strict = false, perf = false;
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-o" && i + 1 < argc)
      op_filter = argv[++i];
    else if (arg == "-b" && i + 1 < argc)
      backend_filter = argv[++i];
    else if (arg == "-t" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--strict")
      strict = true;
    else if (arg == "--perf")
      perf = true;
    else {
      std::fprintf(stderr, "usage: %s [-o OP] [-b cpu|gl|reference] [-t THREADS] [--strict] [--perf]\n",
                   argv[0]);
      return 2;
    }
  }
  if (!backend_filter.empty() && backend_filter != "cpu" && backend_filter != "gl" &&
      backend_filter != "reference") {
    std::fprintf(stderr, "test_backend_ops: unknown backend '%s' (cpu, gl or reference)\n",
                 backend_filter.c_str());
    return 2;
  }
  auto wanted = [&](const std::string& name) { return backend_filter.empty() || backend_filter == name; };

  std::vector<Case> table;
  for (Case& c : build_table())
    if (c.op.find(op_filter) != std::string::npos) table.push_back(std::move(c));

  auto reference = make_reference_backend();
  std::vector<NamedBackend> others;
  if (wanted("cpu")) {
    others.push_back({"cpu", make_backend(BackendKind::cpu)});
    others.back().backend->set_threads(threads);
  }
  if (wanted("gl")) {
    try {
      others.push_back({"gl", make_backend(BackendKind::gl)});
      std::printf("gl: %s\n", others.back().backend->device_description().c_str());
    } catch (const std::exception& e) {
      std::printf("gl: skipped — %s\n", e.what());
    }
  }

  if (perf) {
    if (backend_filter == "reference") others.push_back({"reference", make_reference_backend()});
    run_perf(table, others);
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  Counts counts;
  const bool show_reference = wanted("reference");
  if (std::string("philox4x32_10 philox_normal").find(op_filter) != std::string::npos && show_reference)
    check_philox(counts);
  for (const Case& c : table)
    if (!c.perf_only) check_case(counts, c, *reference, others, show_reference);
  if (std::string("random_normal").find(op_filter) != std::string::npos) {
    if (show_reference) check_random_normal_streams(counts, *reference);
    for (NamedBackend& b : others) check_random_normal_streams(counts, *b.backend);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& [name, tally] : counts.per_backend)
    std::printf("%s: %d OK, %d FAIL, %d not supported\n", name.c_str(), tally.ok, tally.fail,
                tally.not_supported);
  std::printf("test_backend_ops: %d OK, %d FAIL, %d not supported%s (%.1f s)\n", counts.ok, counts.fail,
              counts.not_supported, strict ? " (--strict: counted as failures)" : "", seconds);
  return counts.fail > 0 || (strict && counts.not_supported > 0) ? 1 : 0;
}
