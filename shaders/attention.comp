// attention.comp — multi-head self-attention's products, batched over (image, head) pairs, and the row
// softmax and its backward over the score blocks [B·heads·P, P]. Not a general GEMM (gemm.comp): the
// per-head matrices are small (P×P with P = 49 … 784, d = 32), so one dispatch covers every pair. The batched
// product also gives a convolution's weight gradient one product per image (gl_image_ops.cpp).
// Checked against the CPU backend (tests/nn/test_gl_image.cpp).

#ifdef KERNEL_batched_gemm
// For pair j = j0 + z (z = gl_WorkGroupID.z; image j / heads, head j % heads), C_j = op(A_j)·op(B_j) with
// op(A) [M, K] (stored [K, M] when trans_a) and op(B) [K, N] (stored [N, K] when trans_b), row strides
// lda, ldb, ldc. Operand X of pair j starts at x_offset + image·x_image + head·x_head, or at x_offset +
// z·x_image when x_local (a scratch block holding only this dispatch's pairs). One invocation per element of
// C, 16×16 work groups.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) writeonly buffer C { float c[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
uniform uint m, n, k, lda, ldb, ldc, trans_a, trans_b, heads, j0;
uniform uint a_offset, a_image, a_head, a_local, b_offset, b_image, b_head, b_local, c_offset, c_image, c_head,
    c_local;
uint operand(uint offset, uint per_image, uint per_head, uint local_) {
  uint z = gl_WorkGroupID.z, j = j0 + z;
  return local_ != 0u ? offset + z * per_image : offset + (j / heads) * per_image + (j % heads) * per_head;
}
void main() {
  uint col = gl_GlobalInvocationID.x, row = gl_GlobalInvocationID.y;
  if (row >= m || col >= n) return;
  uint ao = operand(a_offset, a_image, a_head, a_local), bo = operand(b_offset, b_image, b_head, b_local);
  float acc = 0.0;
  for (uint p = 0u; p < k; ++p) {
    float av = trans_a != 0u ? a[ao + p * lda + row] : a[ao + row * lda + p];
    float bv = trans_b != 0u ? b[bo + col * ldb + p] : b[bo + p * ldb + col];
    acc += av * bv;
  }
  c[operand(c_offset, c_image, c_head, c_local) + row * ldc + col] = acc;
}
#endif

#ifdef KERNEL_attention_softmax
// probs[r, :] = softmax((s[r, :] − max)·scale) in place, as the CPU; one invocation per row.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Probs { float probs[]; };
uniform uint rows, cols, probs_offset;
uniform float scale;
void main() {
  uint r = GLOBAL_INDEX;
  if (r >= rows) return;
  uint base = probs_offset + r * cols;
  float top = probs[base];
  for (uint j = 1u; j < cols; ++j) top = max(top, probs[base + j]);
  float total = 0.0;
  for (uint j = 0u; j < cols; ++j) {
    float e = exp((probs[base + j] - top) * scale);
    probs[base + j] = e;
    total += e;
  }
  for (uint j = 0u; j < cols; ++j) probs[base + j] /= total;
}
#endif

#ifdef KERNEL_attention_softmax_backward
// ds[r, :] = probs[r, :] ⊙ (dp[r, :] − Σ_j probs[r, j]·dp[r, j])·scale, in place over dp; one invocation per
// row.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer DS { float ds[]; };
layout(std430, binding = 1) readonly buffer Probs { float probs[]; };
uniform uint rows, cols, probs_offset;
uniform float scale;
void main() {
  uint r = GLOBAL_INDEX;
  if (r >= rows) return;
  uint base = r * cols, pbase = probs_offset + r * cols;
  float dot_ = 0.0;
  for (uint j = 0u; j < cols; ++j) dot_ += probs[pbase + j] * ds[base + j];
  for (uint j = 0u; j < cols; ++j) ds[base + j] = probs[pbase + j] * (ds[base + j] - dot_) * scale;
}
#endif
