// gemm.comp — C = alpha·op(A)·op(B) + beta·C, row-major with row strides and offsets (GlBackend::gemm).
// Not a convolution or attention kernel: those call GlBackend::gemm. gemm_naive is the tests' baseline.

#ifdef KERNEL_gemm_naive
// One invocation per element of C, 16×16 work groups: the correctness baseline for gemm_tiled.
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

#ifdef KERNEL_gemm_tiled
// A 64×64 block of C per work group of 16×16 invocations; each invocation keeps a 4×4 register block
// (rows ty + 16i, columns tx + 16j, so neighbouring invocations read neighbouring shared words). K runs in
// tiles of 16: the group stages op(A)[64×16] and op(B)[16×64] in shared memory (zero outside the matrices,
// so any M, N, K works), then every invocation does 16 rank-1 updates of its 4×4 block from registers.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) buffer C { float c[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
uniform uint m, n, k, lda, ldb, ldc, a_offset, b_offset, c_offset, trans_a, trans_b;
uniform float alpha, beta;

const uint TILE = 64u, KTILE = 16u;
shared float as_[KTILE][TILE + 1u];  // as_[p][r] = op(A)[row0 + r, k0 + p]
shared float bs_[KTILE][TILE + 1u];  // bs_[p][j] = op(B)[k0 + p, col0 + j]

void main() {
  const uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
  const uint tid = ty * 16u + tx;
  const uint row0 = gl_WorkGroupID.y * TILE, col0 = gl_WorkGroupID.x * TILE;
  float acc[4][4];
  for (uint i = 0u; i < 4u; ++i)
    for (uint j = 0u; j < 4u; ++j) acc[i][j] = 0.0;

  for (uint k0 = 0u; k0 < k; k0 += KTILE) {
    // 1024 elements of each tile, 4 per invocation; the fastest-varying index follows memory order.
    for (uint q = 0u; q < 4u; ++q) {
      const uint l = tid + 256u * q;
      uint r, p;
      if (trans_a != 0u) {  // A stored [K, M]: consecutive invocations read consecutive rows r
        r = l % TILE;
        p = l / TILE;
      } else {  // A stored [M, K]: consecutive invocations read consecutive p
        p = l % KTILE;
        r = l / KTILE;
      }
      const uint gr = row0 + r, gp = k0 + p;
      float v = 0.0;
      if (gr < m && gp < k) v = trans_a != 0u ? a[a_offset + gp * lda + gr] : a[a_offset + gr * lda + gp];
      as_[p][r] = v;
    }
    for (uint q = 0u; q < 4u; ++q) {
      const uint l = tid + 256u * q;
      uint j, p;
      if (trans_b != 0u) {  // B stored [N, K]
        p = l % KTILE;
        j = l / KTILE;
      } else {  // B stored [K, N]
        j = l % TILE;
        p = l / TILE;
      }
      const uint gj = col0 + j, gp = k0 + p;
      float v = 0.0;
      if (gj < n && gp < k) v = trans_b != 0u ? b[b_offset + gj * ldb + gp] : b[b_offset + gp * ldb + gj];
      bs_[p][j] = v;
    }
    barrier();
    for (uint p = 0u; p < KTILE; ++p) {
      float ar[4], br[4];
      for (uint i = 0u; i < 4u; ++i) ar[i] = as_[p][ty + 16u * i];
      for (uint j = 0u; j < 4u; ++j) br[j] = bs_[p][tx + 16u * j];
      for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j) acc[i][j] += ar[i] * br[j];
    }
    barrier();
  }

  for (uint i = 0u; i < 4u; ++i) {
    const uint row = row0 + ty + 16u * i;
    if (row >= m) continue;
    for (uint j = 0u; j < 4u; ++j) {
      const uint col = col0 + tx + 16u * j;
      if (col >= n) continue;
      const uint at = c_offset + row * ldc + col;
      c[at] = beta == 0.0 ? alpha * acc[i][j] : alpha * acc[i][j] + beta * c[at];
    }
  }
}
#endif
