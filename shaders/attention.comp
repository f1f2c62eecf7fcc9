// attention.comp — the row softmax of multi-head self-attention and its backward, over the score blocks
// [B·heads·P, P]. Not the products q·kᵀ, probs·v and their gradients (GlBackend::gemm, gemm.comp).
// Checked against the CPU backend (tests/nn/test_gl_image.cpp).

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
