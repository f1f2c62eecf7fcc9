// test_gemm.cpp — the convolution GEMM kernels against a double-precision triple loop, on shapes that hit
// every edge: rows that fill no whole tile, columns that fill one vector or none, depths across the cache
// blocks.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "nn/cpu/gemm.h"

namespace difflab {
namespace {

struct Shape {
  int M, N, K;
};

// Fills a rows × ld buffer (ld ≥ cols) with N(0, 1) values; the padding stays a sentinel the kernels must not
// read into C.
std::vector<float> random_matrix(int rows, int ld, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> m(static_cast<size_t>(rows) * ld);
  for (float& v : m) v = static_cast<float>(rng.normal());
  return m;
}

// |C − reference| ≤ 1e-5 · Σ|aᵢ bᵢ| + 1e-6 per entry: fp32 rounding of a length-K dot product, not more.
void check(const std::vector<float>& c, const std::vector<double>& reference,
           const std::vector<double>& magnitude, int rows, int cols, int ldc) {
  int bad = 0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const size_t at = static_cast<size_t>(i) * ldc + j, ref = static_cast<size_t>(i) * cols + j;
      if (std::abs(c[at] - reference[ref]) > 1e-5 * magnitude[ref] + 1e-6) ++bad;
    }
  CHECK(bad == 0);
}

// Runs the product overwriting C, then accumulating onto the same starting C, against reference (+ C₀), and
// checks that the row padding of C is left alone. run(c, accumulate) computes into c.
template <typename Run>
void check_both_modes(const std::vector<float>& c0, std::vector<double> reference,
                      std::vector<double> magnitude, int rows, int cols, int ldc, Run run) {
  std::vector<float> c = c0;
  run(c, false);
  check(c, reference, magnitude, rows, cols, ldc);
  for (int i = 0; i < rows; ++i)
    for (int j = cols; j < ldc; ++j)
      CHECK(c[static_cast<size_t>(i) * ldc + j] == c0[static_cast<size_t>(i) * ldc + j]);
  c = c0;
  run(c, true);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      reference[static_cast<size_t>(i) * cols + j] += c0[static_cast<size_t>(i) * ldc + j];
      magnitude[static_cast<size_t>(i) * cols + j] += std::abs(c0[static_cast<size_t>(i) * ldc + j]);
    }
  check(c, reference, magnitude, rows, cols, ldc);
}

const Shape kShapes[] = {{1, 16, 1},    {37, 50, 13},   {13, 32, 1152}, {500, 128, 300}, {100, 7, 5},
                         {25, 48, 600}, {490, 64, 576}, {3, 96, 9},     {1000, 16, 40},  {0, 32, 8}};

// reference[i, j] = Σ_k left(i, k)·right(k, j) in double, and magnitude[i, j] = Σ_k |left(i, k)·right(k, j)|.
template <typename Left, typename Right>
void reference_product(int rows, int cols, int inner, Left left, Right right, std::vector<double>* reference,
                       std::vector<double>* magnitude) {
  reference->assign(static_cast<size_t>(rows) * cols, 0.0);
  magnitude->assign(reference->size(), 0.0);
  for (int i = 0; i < rows; ++i)
    for (int k = 0; k < inner; ++k)
      for (int j = 0; j < cols; ++j) {
        const double p = double(left(i, k)) * right(k, j);
        (*reference)[static_cast<size_t>(i) * cols + j] += p;
        (*magnitude)[static_cast<size_t>(i) * cols + j] += std::abs(p);
      }
}

TEST_CASE("gemm_nn matches a double-precision loop, overwriting and accumulating") {
  for (const Shape& s : kShapes) {
    CAPTURE(s.M);
    CAPTURE(s.N);
    CAPTURE(s.K);
    const int lda = s.K + 3, ldb = s.N + 5, ldc = s.N + 2;
    const std::vector<float> a = random_matrix(s.M, lda, 1), b = random_matrix(s.K, ldb, 2),
                             c0 = random_matrix(s.M, ldc, 3);
    std::vector<double> reference, magnitude;
    reference_product(
        s.M, s.N, s.K, [&](int i, int k) { return a[static_cast<size_t>(i) * lda + k]; },
        [&](int k, int j) { return b[static_cast<size_t>(k) * ldb + j]; }, &reference, &magnitude);
    check_both_modes(c0, reference, magnitude, s.M, s.N, ldc, [&](std::vector<float>& c, bool accumulate) {
      cpu::gemm_nn(s.M, s.N, s.K, a.data(), lda, b.data(), ldb, c.data(), ldc, accumulate);
    });
  }
}

TEST_CASE("gemm_tn sums row outer products like a double-precision loop") {
  for (const Shape& s : kShapes) {
    CAPTURE(s.M);
    CAPTURE(s.N);
    CAPTURE(s.K);
    const int lda = s.K + 1, ldb = s.N + 4, ldc = s.N + 3;
    const std::vector<float> a = random_matrix(s.M, lda, 4), b = random_matrix(s.M, ldb, 5),
                             c0 = random_matrix(s.K, ldc, 6);
    std::vector<double> reference, magnitude;  // C = Aᵀ·B: C[k, j] = Σ_i A[i, k]·B[i, j]
    reference_product(
        s.K, s.N, s.M, [&](int k, int i) { return a[static_cast<size_t>(i) * lda + k]; },
        [&](int i, int j) { return b[static_cast<size_t>(i) * ldb + j]; }, &reference, &magnitude);
    check_both_modes(c0, reference, magnitude, s.K, s.N, ldc, [&](std::vector<float>& c, bool accumulate) {
      cpu::gemm_tn(s.M, s.N, s.K, a.data(), lda, b.data(), ldb, c.data(), ldc, accumulate);
    });
  }
}

}  // namespace
}  // namespace difflab
