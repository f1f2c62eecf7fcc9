// gemm.comp — C = alpha·op(A)·op(B) + beta·C, row-major with row strides and offsets (GlBackend::gemm).
// Not tuned yet: one invocation per output element (the correctness baseline for the tiled kernel).

#ifdef KERNEL_gemm_naive
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) buffer C { float c[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
uniform uint m, n, k, lda, ldb, ldc, a_offset, b_offset, c_offset, trans_a, trans_b;
uniform float alpha, beta;
void main() {
  uint col = gl_GlobalInvocationID.x, row = gl_GlobalInvocationID.y;
  if (row >= m || col >= n) return;
  float acc = 0.0;
  for (uint p = 0u; p < k; ++p) {
    float av = trans_a != 0u ? a[a_offset + p * lda + row] : a[a_offset + row * lda + p];
    float bv = trans_b != 0u ? b[b_offset + col * ldb + p] : b[b_offset + p * ldb + col];
    acc += av * bv;
  }
  uint at = c_offset + row * ldc + col;
  c[at] = beta == 0.0 ? alpha * acc : alpha * acc + beta * c[at];
}
#endif
