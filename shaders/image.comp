// image.comp — NHWC image ops that move or sum whole channel vectors: channel sums (bias gradients, global
// average pooling), nearest ×2 upsampling, channel concatenation, per-image channel bias, class embedding.
// Not convolution (conv.comp), normalisation (norm.comp) or attention (attention.comp). Checked against the
// CPU backend (tests/nn/test_gl_image.cpp).

#ifdef KERNEL_channel_sum
// out[out_offset + g·cols + c] (+)= (Σ_{p < rows} in[in_offset + (g·rows + p)·cols + c]) / divisor:
// one work group of 256 per (c, g) = (x, y), each invocation strides the rows, then a tree in shared memory.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint rows, cols, in_offset, out_offset, accumulate;
uniform float divisor;
shared float partial[256];
void main() {
  uint c = gl_WorkGroupID.x, g = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
  float s = 0.0;
  for (uint p = t; p < rows; p += 256u) s += in_[in_offset + (g * rows + p) * cols + c];
  partial[t] = s;
  barrier();
  for (uint half_ = 128u; half_ > 0u; half_ >>= 1) {
    if (t < half_) partial[t] += partial[t + half_];
    barrier();
  }
  if (t == 0u) {
    uint at = out_offset + g * cols + c;
    float v = partial[0] / divisor;
    out_[at] = accumulate != 0u ? out_[at] + v : v;
  }
}
#endif

#ifdef KERNEL_upsample_nearest2x_forward
// out(b, y, x, c) = in(b, y/2, x/2, c); one invocation per output float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint n, height, width, channels, in_offset, out_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, pixel = i / channels;
  uint ow = 2u * width, oh = 2u * height;
  uint x = pixel % ow, y = (pixel / ow) % oh, b = pixel / (ow * oh);
  out_[out_offset + i] = in_[in_offset + ((b * height + y / 2u) * width + x / 2u) * channels + c];
}
#endif

#ifdef KERNEL_upsample_nearest2x_backward
// d_in(b, y, x, c) = Σ of the 2×2 block of d_out it was copied to; one invocation per d_in float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer DIn { float d_in[]; };
layout(std430, binding = 1) readonly buffer DOut { float d_out[]; };
uniform uint n, height, width, channels, d_in_offset, d_out_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, pixel = i / channels;
  uint x = pixel % width, y = (pixel / width) % height, b = pixel / (width * height);
  uint ow = 2u * width;
  uint top = d_out_offset + ((b * 2u * height + 2u * y) * ow + 2u * x) * channels + c;
  uint bottom = top + ow * channels;
  d_in[d_in_offset + i] = d_out[top] + d_out[top + channels] + d_out[bottom] + d_out[bottom + channels];
}
#endif

#ifdef KERNEL_copy_columns
// dst[r, dst_col + c] (+)= src[r, src_col + c] for r < rows, c < count (row strides dst_cols, src_cols):
// concatenation and its backward. One invocation per copied float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Dst { float dst[]; };
layout(std430, binding = 1) readonly buffer Src { float src[]; };
uniform uint n, count, dst_cols, src_cols, dst_col, src_col, dst_offset, src_offset, accumulate;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint r = i / count, c = i % count;
  uint at = dst_offset + r * dst_cols + dst_col + c;
  float v = src[src_offset + r * src_cols + src_col + c];
  dst[at] = accumulate != 0u ? dst[at] + v : v;
}
#endif

#ifdef KERNEL_add_channel_bias
// x[b·P + p, c] += bias[b, c]; one invocation per float of x.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Bias { float bias[]; };
uniform uint n, positions, channels, x_offset, bias_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, b = i / (channels * positions);
  x[x_offset + i] += bias[bias_offset + b * channels + c];
}
#endif

#ifdef KERNEL_broadcast_rows
// out[b·P + p, c] = src[b, c] / divisor (global average pooling's backward); one invocation per output float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer Src { float src[]; };
uniform uint n, positions, channels, out_offset, src_offset;
uniform float divisor;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, b = i / (channels * positions);
  out_[out_offset + i] = src[src_offset + b * channels + c] / divisor;
}
#endif

#ifdef KERNEL_embedding_forward
// out[i, c] = table[ids[i], c]; one invocation per output float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer Table { float table[]; };
layout(std430, binding = 2) readonly buffer Ids { int ids[]; };
uniform uint n, cols, out_offset, table_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint r = i / cols, c = i % cols;
  out_[out_offset + i] = table[table_offset + uint(ids[r]) * cols + c];
}
#endif

#ifdef KERNEL_embedding_backward
// d_table[k, c] += Σ_{i: ids[i] = k} d_out[i, c], gathered per table float (no two invocations write the same
// float, and the sum runs over i in order as on the CPU).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer DTable { float d_table[]; };
layout(std430, binding = 1) readonly buffer DOut { float d_out[]; };
layout(std430, binding = 2) readonly buffer Ids { int ids[]; };
uniform uint n, cols, count, d_table_offset, d_out_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint k = i / cols, c = i % cols;
  float s = d_table[d_table_offset + i];
  for (uint r = 0u; r < count; ++r)
    if (uint(ids[r]) == k) s += d_out[d_out_offset + r * cols + c];
  d_table[d_table_offset + i] = s;
}
#endif
