// gemm.h — the two fp32 matrix products the convolutions spend their time in, for row-major operands.
// Not a BLAS: single-threaded (callers split rows over the pool), no transposed-B form, no α/β beyond
// "overwrite or accumulate". With AVX-512 or AVX2+FMA it runs register-blocked kernels that read the
// operands in place (no packing of the large matrix); otherwise, and for ragged column edges, Eigen.
#pragma once

namespace difflab::cpu {

// C[M×N] = A[M×K]·B[K×N] (accumulate: C += A·B). ld* are row strides in floats.
void gemm_nn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate);

// C[K×N] = Aᵀ·B with A[M×K], B[M×N]: the sum over the M rows of A's row ⊗ B's row (weight gradients).
void gemm_tn(int M, int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc, bool accumulate);

// The instruction set the kernels were built for: "avx512", "avx2" or "eigen".
const char* gemm_kernel_name();

}  // namespace difflab::cpu
