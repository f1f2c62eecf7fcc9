// gemm.h — the two fp32 matrix products the convolutions spend their time in, for row-major operands.
// Not a BLAS: single-threaded (callers split rows over the pool), no transposed-B form, no α/β beyond
// "overwrite or accumulate". With AVX-512 or AVX2+FMA it runs register-blocked kernels that read the
// operands in place (no packing of the large matrix); otherwise, and for ragged column edges, Eigen.
#pragma once

#include <cstddef>

namespace difflab::cpu {

// C[M×N] = A[M×K]·B[K×N] (accumulate: C += A·B). ld* are row strides in floats.
void gemm_nn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate);

// C[K×N] = Aᵀ·B with A[M×K], B[M×N]: the sum over the M rows of A's row ⊗ B's row (weight gradients).
void gemm_tn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
             bool accumulate);

// C[pixels × N] = bias + Σ_{s<taps} A_s·B_s (accumulate: C += …), where A_s[i, k] = A[s·tap_stride + i·lda +
// k] and B_s is rows [s·K, (s+1)·K) of B: a convolution over a zero-padded NHWC image with one kernel row per
// tap and lda = channels, so no im2col copy. bias may be null. Only where conv_rows_supported(N).
void conv_rows(int pixels, int N, int taps, int K, const float* A, int lda, std::size_t tap_stride,
               const float* B, int ldb, const float* bias, float* C, int ldc, bool accumulate);

// C[K × N] (+)= Σ over rows of A_rowᵀ ⊗ B_row, the rows being `lines` runs of `line_len`: row (l, x) of A at
// A + l·a_line + x·lda, of B at B + l·b_line + x·ldb. With A a padded image (lda = channels, a_line = its
// padded row) and B the output gradient, it is the weight gradient of one kernel row, again without im2col.
// Only where conv_rows_supported(N).
void conv_weight_rows(int lines, int line_len, int N, int K, const float* A, int lda, std::size_t a_line,
                      const float* B, int ldb, std::size_t b_line, float* C, int ldc, bool accumulate);

// Whether conv_rows and conv_weight_rows have a kernel for N output columns (a whole number of vectors, and
// vector kernels built in).
bool conv_rows_supported(int N);

// The columns conv_rows computes per pass (2 vectors): callers that loop over panels of this width themselves
// keep one panel of B in cache across many calls.
int conv_rows_panel();

// The instruction set the kernels were built for: "avx512", "avx2" or "eigen".
const char* gemm_kernel_name();

}  // namespace difflab::cpu
