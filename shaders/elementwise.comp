// elementwise.comp — one invocation per element: axpy, scale, activations and their gradients.
// Not a reduction (reduce.comp) and not a matrix product (gemm.comp). Checked against the reference backend.

#ifdef KERNEL_axpy
// y[i] += alpha·x[i], i < n.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
uniform uint n, y_offset, x_offset;
uniform float alpha;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  y[y_offset + i] += alpha * x[x_offset + i];
}
#endif
