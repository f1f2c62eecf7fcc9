// token.comp — the diffusion transformer's token ops: per-image channel scale (adaLN's modulation and gates),
// its per-image channel dot product (the scale's gradient), patchify and unpatchify. Not attention
// (attention.comp) and not the layer norm (norm.comp's group norm with one group per token).

#ifdef KERNEL_scale_channels
// out[b·P + p, c] = in[b·P + p, c]·scale[b, c]; one invocation per float of out.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
layout(std430, binding = 2) readonly buffer Scale { float scale[]; };
uniform uint n, positions, channels, out_offset, in_offset, scale_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, b = i / (channels * positions);
  out_[out_offset + i] = in_[in_offset + i] * scale[scale_offset + b * channels + c];
}
#endif

#ifdef KERNEL_channel_dot
// out[g, c] = Σ_{p < rows} a[(g·rows + p)·cols + c]·b[(g·rows + p)·cols + c]: one work group of 256 per
// (c, g) = (x, y), each invocation strides the rows, then a tree in shared memory (image.comp's channel_sum).
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
uniform uint rows, cols, a_offset, b_offset, out_offset;
shared float partial[256];
void main() {
  uint c = gl_WorkGroupID.x, g = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
  float s = 0.0;
  for (uint p = t; p < rows; p += 256u) {
    uint at = (g * rows + p) * cols + c;
    s += a[a_offset + at] * b[b_offset + at];
  }
  partial[t] = s;
  barrier();
  for (uint half_ = 128u; half_ > 0u; half_ >>= 1) {
    if (t < half_) partial[t] += partial[t + half_];
    barrier();
  }
  if (t == 0u) out_[out_offset + g * cols + c] = partial[0];
}
#endif

// patchify / unpatchify: token float i (token (b, ti, tj), column (dy·p + dx)·C + c) ↔ the float of pixel
// (b, ti·p + dy, tj·p + dx), channel c. Both are permutations, so no two invocations write the same float.
uint pixel_float(uint i, uint height, uint width, uint p, uint channels) {
  uint row_len = p * p * channels;
  uint token = i / row_len, col = i % row_len;
  uint c = col % channels, dx = (col / channels) % p, dy = col / (channels * p);
  uint tw = width / p, th = height / p;
  uint tj = token % tw, ti = (token / tw) % th, b = token / (tw * th);
  return ((b * height + ti * p + dy) * width + tj * p + dx) * channels + c;
}

#ifdef KERNEL_patchify
// out (tokens)[i] = in (image)[pixel_float(i)]; one invocation per token float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint n, height, width, patch_, channels, out_offset, in_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  out_[out_offset + i] = in_[in_offset + pixel_float(i, height, width, patch_, channels)];
}
#endif

#ifdef KERNEL_unpatchify
// out (image)[pixel_float(i)] = in (tokens)[i]; one invocation per token float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint n, height, width, patch_, channels, out_offset, in_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  out_[out_offset + pixel_float(i, height, width, patch_, channels)] = in_[in_offset + i];
}
#endif
