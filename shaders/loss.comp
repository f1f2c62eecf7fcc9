// loss.comp — the mean squared error and its gradient, as a two-pass parallel reduction.
// Not a general reduction of other ops (each op file keeps its own). Checked against the CPU backend.

#ifdef KERNEL_mse_partial
// d_pred[i] = scale·(pred[i] − target[i]), scale = 2/N; work group g strides over the elements
// g·256 + k·(groups·256) and writes its Σ (pred − target)² to partial[g] (a tree in shared memory).
// d_pred may be pred: each invocation reads its elements before writing them.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer DPred { float d_pred[]; };
layout(std430, binding = 1) readonly buffer Pred { float pred[]; };
layout(std430, binding = 2) readonly buffer Target { float target[]; };
layout(std430, binding = 3) writeonly buffer Partial { float partial[]; };
uniform uint n, d_offset, pred_offset, target_offset;
uniform float scale;
shared float sums[256];
void main() {
  uint local = gl_LocalInvocationID.x;
  uint stride = gl_NumWorkGroups.x * 256u;
  float acc = 0.0;
  for (uint i = gl_WorkGroupID.x * 256u + local; i < n; i += stride) {
    float d = pred[pred_offset + i] - target[target_offset + i];
    d_pred[d_offset + i] = scale * d;
    acc += d * d;
  }
  sums[local] = acc;
  memoryBarrierShared();
  barrier();
  for (uint width = 128u; width > 0u; width >>= 1) {
    if (local < width) sums[local] += sums[local + width];
    memoryBarrierShared();
    barrier();
  }
  if (local == 0u) partial[gl_WorkGroupID.x] = sums[0];
}
#endif

#ifdef KERNEL_mse_sum_partials
// total[0] = Σ partial[0 … count): one work group of 256, each invocation strides, then a tree.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) writeonly buffer Total { float total[]; };
uniform uint count;
shared float sums[256];
void main() {
  uint local = gl_LocalInvocationID.x;
  float acc = 0.0;
  for (uint i = local; i < count; i += 256u) acc += partial[i];
  sums[local] = acc;
  memoryBarrierShared();
  barrier();
  for (uint width = 128u; width > 0u; width >>= 1) {
    if (local < width) sums[local] += sums[local + width];
    memoryBarrierShared();
    barrier();
  }
  if (local == 0u) total[0] = sums[0];
}
#endif
