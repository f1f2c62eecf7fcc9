// sampler.comp — the linear updates of q_sample and every sampler step: per-row and scalar combinations.
// Not the noise (rng.comp) and not a loss (loss.comp). Checked against the CPU backend.

#ifdef KERNEL_row_combine
// out[r, :] = a[r]·x[r, :] + b[r]·y[r, :], a and b [R, 1]; one invocation per element, i < n = R·cols. out may
// be x or y: each invocation reads its element before writing it.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer X { float x[]; };
layout(std430, binding = 3) readonly buffer B { float b[]; };
layout(std430, binding = 4) readonly buffer Y { float y[]; };
uniform uint n, cols, out_offset, a_offset, x_offset, b_offset, y_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint row = i / cols;
  o[out_offset + i] = a[a_offset + row] * x[x_offset + i] + b[b_offset + row] * y[y_offset + i];
}
#endif

#ifdef KERNEL_combine
// out[i] = a·x[i] + b·y[i] (+ c·z[i] when has_z), i < n; out may be x, y or z.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) readonly buffer Y { float y[]; };
layout(std430, binding = 3) readonly buffer Z { float z[]; };
uniform uint n, out_offset, x_offset, y_offset, z_offset, has_z;
uniform float a, b, c;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  float value = a * x[x_offset + i] + b * y[y_offset + i];
  if (has_z != 0u) value += c * z[z_offset + i];
  o[out_offset + i] = value;
}
#endif
