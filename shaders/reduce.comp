// reduce.comp — reductions: partial sums of squares (a gradient norm) and column sums (a bias gradient).
// Not a loss (the training ops' files) and not element-wise (elementwise.comp).

#ifdef KERNEL_sum_squares_partial
// partial[g] = Σ x[i]² over the elements i ≡ this group's invocations (mod groups·256): 256 invocations
// per group each sum a strided slice in float, then a shared-memory tree; the host adds the partials in
// double.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Partial { float partial[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
uniform uint n, x_offset;
shared float sums[256];
void main() {
  const uint lid = gl_LocalInvocationID.x;
  const uint stride = gl_NumWorkGroups.x * 256u;
  float acc = 0.0;
  for (uint i = gl_WorkGroupID.x * 256u + lid; i < n; i += stride) {
    float v = x[x_offset + i];
    acc += v * v;
  }
  sums[lid] = acc;
  barrier();
  for (uint width = 128u; width > 0u; width >>= 1) {
    if (lid < width) sums[lid] += sums[lid + width];
    barrier();
  }
  if (lid == 0u) partial[gl_WorkGroupID.x] = sums[0];
}
#endif

#ifdef KERNEL_column_sum
// out[c] = Σ_r in[r, c] (or out[c] += … when accumulate): groups of 16 columns × 16 lanes; lane l sums rows
// l, l + 16, …, then the 16 lanes of a column are added in shared memory.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer In { float x[]; };
uniform uint rows, cols, out_offset, in_offset, accumulate;
shared float sums[16][17];
void main() {
  const uint cx = gl_LocalInvocationID.x, lane = gl_LocalInvocationID.y;
  const uint col = gl_WorkGroupID.x * 16u + cx;
  float acc = 0.0;
  if (col < cols)
    for (uint r = lane; r < rows; r += 16u) acc += x[in_offset + r * cols + col];
  sums[lane][cx] = acc;
  barrier();
  for (uint width = 8u; width > 0u; width >>= 1) {
    if (lane < width) sums[lane][cx] += sums[lane + width][cx];
    barrier();
  }
  if (lane == 0u && col < cols) {
    uint at = out_offset + col;
    o[at] = accumulate != 0u ? o[at] + sums[0][cx] : sums[0][cx];
  }
}
#endif
