// gemm.cpp — register-blocked fp32 kernels for C = A·B and C = Aᵀ·B on row-major operands (see gemm.h).
// Not tuned beyond the U-Net's shapes (N a multiple of 16 or 32, K up to a few thousand, M large): a tile
// of MR rows × NV vectors of C lives in registers while A's entries are broadcast and B's rows loaded in
// place; cache blocking keeps B's panel in L1 and A's block in L2. Edge columns that fill no vector go to
// Eigen.
#include "nn/cpu/gemm.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <utility>

#include <Eigen/Core>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#define DIFFLAB_GEMM_SIMD 1
#endif

namespace difflab::cpu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

void eigen_nn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
              bool accumulate) {
  Strided c(C, M, N, Eigen::OuterStride<>(ldc));
  const ConstStrided a(A, M, K, Eigen::OuterStride<>(lda)), b(B, K, N, Eigen::OuterStride<>(ldb));
  if (accumulate)
    c.noalias() += a * b;
  else
    c.noalias() = a * b;
}

void eigen_tn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
              bool accumulate) {
  Strided c(C, K, N, Eigen::OuterStride<>(ldc));
  const ConstStrided a(A, M, K, Eigen::OuterStride<>(lda)), b(B, M, N, Eigen::OuterStride<>(ldb));
  if (accumulate)
    c.noalias() += a.transpose() * b;
  else
    c.noalias() = a.transpose() * b;
}

#ifdef DIFFLAB_GEMM_SIMD

// One vector register's worth of floats, and how many rows of C a tile keeps in registers: MR × 2
// accumulators plus 2 for B's row fill 30 of AVX-512's 32 registers (A's entries are broadcast from memory),
// 14 of AVX2's 16.
#if defined(__AVX512F__)
struct Simd {
  using V = __m512;
  static constexpr int W = 16, MR = 14;
  static constexpr const char* name = "avx512";
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V zero() { return _mm512_setzero_ps(); }
  static V broadcast(float a) { return _mm512_set1_ps(a); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
};
#else
struct Simd {
  using V = __m256;
  static constexpr int W = 8, MR = 6;
  static constexpr const char* name = "avx2";
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V zero() { return _mm256_setzero_ps(); }
  static V broadcast(float a) { return _mm256_set1_ps(a); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
};
#endif

constexpr int W = Simd::W, MR = Simd::MR;
constexpr int kKc = 256;      // depth of a B panel: 256 × 2 vectors = 32 KB in L1 (AVX-512)
constexpr int kMc = 35 * MR;  // rows of A per block: 490 × 256 floats = 490 KB in L2
constexpr int kMt = 256;      // rows summed per pass of Aᵀ·B before C's tile is written back

template <int R, int NV>
void load_tile(typename Simd::V (&c)[R][NV], const float* C, int ldc, bool accumulate,
               const float* bias = nullptr) {
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    const typename Simd::V start = bias ? Simd::load(bias + v * W) : Simd::zero();
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
      c[r][v] = accumulate ? Simd::add(start, Simd::load(C + r * ldc + v * W)) : start;
  }
}

template <int R, int NV>
void store_tile(typename Simd::V (&c)[R][NV], float* C, int ldc) {
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) Simd::store(C + r * ldc + v * W, c[r][v]);
}

// C[R × NV·W] (+)= bias + Σ over `taps` views of A: A[s·tap_stride + r·lda + k] · B[(s·K + k)·ldb]. With one
// tap it is a plain product; with a convolution's kernel rows as taps, A's rows are adjacent pixels (lda =
// channels).
template <int R, int NV>
void tile_nn(int taps, int K, const float* A, int lda, size_t tap_stride, const float* B, int ldb,
             const float* bias, float* C, int ldc, bool accumulate) {
  typename Simd::V c[R][NV];
  load_tile<R, NV>(c, C, ldc, accumulate, bias);
  for (int s = 0; s < taps; ++s) {
    const float* a = A + s * tap_stride;
    const float* b_row = B + static_cast<size_t>(s) * K * ldb;
    for (int k = 0; k < K; ++k, b_row += ldb) {
      typename Simd::V b[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) b[v] = Simd::load(b_row + v * W);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const typename Simd::V x = Simd::broadcast(a[static_cast<size_t>(r) * lda + k]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) c[r][v] = Simd::fma(x, b[v], c[r][v]);
      }
    }
  }
  store_tile<R, NV>(c, C, ldc);
}

// C[R × NV·W] (+)= Σ over rows i of A[i, 0:R]ᵀ ⊗ B[i, 0:NV·W], the rows taken as `lines` runs of `line_len`
// (row (l, x) of A at l·a_line + x·lda, of B at l·b_line + x·ldb): one run for a plain Aᵀ·B, an image's rows
// of pixels for a convolution's weight gradient.
template <int R, int NV>
void tile_tn(int lines, int line_len, const float* A, int lda, size_t a_line, const float* B, int ldb,
             size_t b_line, float* C, int ldc, bool accumulate) {
  typename Simd::V c[R][NV];
  load_tile<R, NV>(c, C, ldc, accumulate);
  for (int l = 0; l < lines; ++l) {
    const float* a_row = A + l * a_line;
    const float* b_row = B + l * b_line;
    for (int i = 0; i < line_len; ++i, a_row += lda, b_row += ldb) {
      typename Simd::V b[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) b[v] = Simd::load(b_row + v * W);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const typename Simd::V a = Simd::broadcast(a_row[r]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) c[r][v] = Simd::fma(a, b[v], c[r][v]);
      }
    }
  }
  store_tile<R, NV>(c, C, ldc);
}

// Tiles of every height 1 … MR, so ragged row edges run the same kernel.
using NnFn = void (*)(int, int, const float*, int, size_t, const float*, int, const float*, float*, int,
                      bool);
using TnFn = void (*)(int, int, const float*, int, size_t, const float*, int, size_t, float*, int, bool);
template <int NV, int... R>
constexpr std::array<NnFn, sizeof...(R)> nn_tiles(std::integer_sequence<int, R...>) {
  return {&tile_nn<R + 1, NV>...};
}
template <int NV, int... R>
constexpr std::array<TnFn, sizeof...(R)> tn_tiles(std::integer_sequence<int, R...>) {
  return {&tile_tn<R + 1, NV>...};
}
constexpr auto kNn1 = nn_tiles<1>(std::make_integer_sequence<int, MR>{});
constexpr auto kNn2 = nn_tiles<2>(std::make_integer_sequence<int, MR>{});
constexpr auto kTn1 = tn_tiles<1>(std::make_integer_sequence<int, MR>{});
constexpr auto kTn2 = tn_tiles<2>(std::make_integer_sequence<int, MR>{});

// Columns [0, simd_cols) go through the kernels, 2 vectors at a time and then 1; the rest to Eigen.
int simd_columns(int N) {
  return N / W * W;
}

// Rows [0, M) of C (+)= bias + Σ_taps A·B, in column panels of 2 vectors (then 1) and row tiles of MR.
void nn_rows(int M, int cols, int taps, int K, const float* A, int lda, size_t tap_stride, const float* B,
             int ldb, const float* bias, float* C, int ldc, bool accumulate) {
  for (int j = 0; j < cols; j += 2 * W) {
    const bool pair = j + 2 * W <= cols;
    const auto& tiles = pair ? kNn2 : kNn1;
    for (int i = 0; i < M; i += MR)
      tiles[std::min(MR, M - i) - 1](taps, K, A + static_cast<size_t>(i) * lda, lda, tap_stride, B + j, ldb,
                                     bias ? bias + j : nullptr, C + static_cast<size_t>(i) * ldc + j, ldc,
                                     accumulate);
    if (!pair) break;
  }
}

void simd_nn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate) {
  const int cols = simd_columns(N);
  for (int m0 = 0; m0 < M; m0 += kMc) {
    const int mc = std::min(kMc, M - m0);
    for (int k0 = 0; k0 < K || k0 == 0; k0 += kKc) {
      nn_rows(mc, cols, 1, std::min(kKc, K - k0), A + static_cast<size_t>(m0) * lda + k0, lda, 0,
              B + static_cast<size_t>(k0) * ldb, ldb, nullptr, C + static_cast<size_t>(m0) * ldc, ldc,
              accumulate || k0 > 0);
      if (K == 0) break;
    }
  }
  if (cols < N) eigen_nn(M, N - cols, K, A, lda, B + cols, ldb, C + cols, ldc, accumulate);
}

// Rows [0, K) of C (+)= Σ over the runs of rows of Aᵀ·B, in row tiles of MR and column panels of 2 vectors
// (then 1).
void tn_rows(int lines, int line_len, int cols, int K, const float* A, int lda, size_t a_line, const float* B,
             int ldb, size_t b_line, float* C, int ldc, bool accumulate) {
  for (int k = 0; k < K; k += MR) {
    const int rows = std::min(MR, K - k);
    for (int j = 0; j < cols; j += 2 * W) {
      const bool pair = j + 2 * W <= cols;
      (pair ? kTn2 : kTn1)[rows - 1](lines, line_len, A + k, lda, a_line, B + j, ldb, b_line,
                                     C + static_cast<size_t>(k) * ldc + j, ldc, accumulate);
      if (!pair) break;
    }
  }
}

void simd_tn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate) {
  const int cols = simd_columns(N);
  for (int m0 = 0; m0 < M || m0 == 0; m0 += kMt) {
    tn_rows(1, std::min(kMt, M - m0), cols, K, A + static_cast<size_t>(m0) * lda, lda, 0,
            B + static_cast<size_t>(m0) * ldb, ldb, 0, C, ldc, accumulate || m0 > 0);
    if (M == 0) break;
  }
  if (cols < N) eigen_tn(M, N - cols, K, A, lda, B + cols, ldb, C + cols, ldc, accumulate);
}

#endif  // DIFFLAB_GEMM_SIMD

}  // namespace

void gemm_nn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate) {
#ifdef DIFFLAB_GEMM_SIMD
  simd_nn(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
#else
  eigen_nn(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
#endif
}

void gemm_tn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate) {
#ifdef DIFFLAB_GEMM_SIMD
  simd_tn(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
#else
  eigen_tn(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
#endif
}

void conv_rows(int pixels, int N, int taps, int K, const float* A, int lda, size_t tap_stride, const float* B,
               int ldb, const float* bias, float* C, int ldc, bool accumulate) {
#ifdef DIFFLAB_GEMM_SIMD
  assert(conv_rows_supported(N));
  nn_rows(pixels, N, taps, K, A, lda, tap_stride, B, ldb, bias, C, ldc, accumulate);
#else
  (void)pixels, (void)N, (void)taps, (void)K, (void)A, (void)lda, (void)tap_stride, (void)B, (void)ldb,
      (void)bias, (void)C, (void)ldc, (void)accumulate;
  assert(!"conv_rows without vector kernels");
#endif
}

void conv_weight_rows(int lines, int line_len, int N, int K, const float* A, int lda, size_t a_line,
                      const float* B, int ldb, size_t b_line, float* C, int ldc, bool accumulate) {
#ifdef DIFFLAB_GEMM_SIMD
  assert(conv_rows_supported(N));
  tn_rows(lines, line_len, N, K, A, lda, a_line, B, ldb, b_line, C, ldc, accumulate);
#else
  (void)lines, (void)line_len, (void)N, (void)K, (void)A, (void)lda, (void)a_line, (void)B, (void)ldb,
      (void)b_line, (void)C, (void)ldc, (void)accumulate;
  assert(!"conv_weight_rows without vector kernels");
#endif
}

int conv_rows_panel() {
#ifdef DIFFLAB_GEMM_SIMD
  return 2 * W;
#else
  return 1;
#endif
}

bool conv_rows_supported(int N) {
#ifdef DIFFLAB_GEMM_SIMD
  return N > 0 && N % W == 0;
#else
  (void)N;
  return false;
#endif
}

const char* gemm_kernel_name() {
#ifdef DIFFLAB_GEMM_SIMD
  return Simd::name;
#else
  return "eigen";
#endif
}

}  // namespace difflab::cpu
