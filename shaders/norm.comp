// norm.comp — GroupNorm (Wu & He 2018) over NHWC images [B·P, C]: statistics, normalisation, and the backward
// pass through per-channel sums. Not a layer norm over rows and not the SiLU after it (elementwise.comp).
// Checked against the CPU backend (tests/nn/test_gl_image.cpp). eps = 1e-5 as PyTorch.

#ifdef KERNEL_group_norm_stats
// stats[b·G + g] = (μ, 1/√(σ² + eps)) of the P·Cg floats of group g of image b, two passes (mean, then squared
// deviations); one work group of 256 per (g, b) = (x, y), reduced in shared memory.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Stats { float stats[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint positions, channels, groups, in_offset, stats_offset;
shared float partial[256];
shared float partial_q[256];
void main() {
  uint g = gl_WorkGroupID.x, b = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
  uint cg = channels / groups, count = positions * cg;
  uint base = in_offset + b * positions * channels + g * cg;
  float s = 0.0;
  for (uint e = t; e < count; e += 256u) s += in_[base + (e / cg) * channels + e % cg];
  partial[t] = s;
  barrier();
  for (uint half_ = 128u; half_ > 0u; half_ >>= 1) {
    if (t < half_) partial[t] += partial[t + half_];
    barrier();
  }
  float mean = partial[0] / float(count);
  float q = 0.0;
  for (uint e = t; e < count; e += 256u) {
    float d = in_[base + (e / cg) * channels + e % cg] - mean;
    q += d * d;
  }
  partial_q[t] = q;
  barrier();
  for (uint half_ = 128u; half_ > 0u; half_ >>= 1) {
    if (t < half_) partial_q[t] += partial_q[t + half_];
    barrier();
  }
  if (t == 0u) {
    stats[stats_offset + (b * groups + g) * 2u] = mean;
    stats[stats_offset + (b * groups + g) * 2u + 1u] = 1.0 / sqrt(partial_q[0] / float(count) + 1e-5);
  }
}
#endif

#ifdef KERNEL_group_norm_apply
// out = x·(r·γ[c]) + (β[c] − μ·r·γ[c]) (the CPU's form); one invocation per float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
layout(std430, binding = 2) readonly buffer Stats { float stats[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
uniform uint n, positions, channels, groups, in_offset, out_offset, stats_offset, gamma_offset, beta_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, b = i / (channels * positions), g = c / (channels / groups);
  uint s = stats_offset + (b * groups + g) * 2u;
  float scale = stats[s + 1u] * gamma[gamma_offset + c];
  float shift = beta[beta_offset + c] - stats[s] * scale;
  out_[out_offset + i] = in_[in_offset + i] * scale + shift;
}
#endif

#ifdef KERNEL_group_norm_channel_sums
// sums[(b·C + c)·2 + (0, 1)] = (Σ_p dy, Σ_p dy·(x − μ)) over the P positions of image b; one work group of 64
// per (c, b) = (x, y).
layout(local_size_x = 64) in;
layout(std430, binding = 0) writeonly buffer Sums { float sums[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
layout(std430, binding = 2) readonly buffer DOut { float d_out[]; };
layout(std430, binding = 3) readonly buffer Stats { float stats[]; };
uniform uint positions, channels, groups, in_offset, d_out_offset, stats_offset;
shared float partial_dy[64];
shared float partial_dyx[64];
void main() {
  uint c = gl_WorkGroupID.x, b = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
  float mean = stats[stats_offset + (b * groups + c / (channels / groups)) * 2u];
  float s1 = 0.0, s2 = 0.0;
  for (uint p = t; p < positions; p += 64u) {
    uint e = (b * positions + p) * channels + c;
    float dy = d_out[d_out_offset + e];
    s1 += dy;
    s2 += dy * (in_[in_offset + e] - mean);
  }
  partial_dy[t] = s1;
  partial_dyx[t] = s2;
  barrier();
  for (uint half_ = 32u; half_ > 0u; half_ >>= 1) {
    if (t < half_) {
      partial_dy[t] += partial_dy[t + half_];
      partial_dyx[t] += partial_dyx[t + half_];
    }
    barrier();
  }
  if (t == 0u) {
    sums[(b * channels + c) * 2u] = partial_dy[0];
    sums[(b * channels + c) * 2u + 1u] = partial_dyx[0];
  }
}
#endif

#ifdef KERNEL_group_norm_param_grads
// d_gamma[c] = Σ_b r_bg·Σ_p dy·(x − μ), d_beta[c] = Σ_b Σ_p dy (overwritten); one invocation per channel.
layout(local_size_x = 64) in;
layout(std430, binding = 0) writeonly buffer DGamma { float d_gamma[]; };
layout(std430, binding = 1) writeonly buffer DBeta { float d_beta[]; };
layout(std430, binding = 2) readonly buffer Sums { float sums[]; };
layout(std430, binding = 3) readonly buffer Stats { float stats[]; };
uniform uint batch, channels, groups, stats_offset, d_gamma_offset, d_beta_offset;
void main() {
  uint c = GLOBAL_INDEX;
  if (c >= channels) return;
  uint g = c / (channels / groups);
  float dg = 0.0, db = 0.0;
  for (uint b = 0u; b < batch; ++b) {
    db += sums[(b * channels + c) * 2u];
    dg += sums[(b * channels + c) * 2u + 1u] * stats[stats_offset + (b * groups + g) * 2u + 1u];
  }
  d_gamma[d_gamma_offset + c] = dg;
  d_beta[d_beta_offset + c] = db;
}
#endif

#ifdef KERNEL_group_norm_coefficients
// With x̂ = (x − μ)·r and g = dy·γ: d_in = r·(g − mean_group(g) − x̂·mean_group(g·x̂)) = A·dy + B·x + D per
// channel; coeffs[(b·C + c)·3 + (0, 1, 2)] = (A, B, D). One invocation per (b, c), summing its group's Cg
// channels.
layout(local_size_x = 64) in;
layout(std430, binding = 0) writeonly buffer Coeffs { float coeffs[]; };
layout(std430, binding = 1) readonly buffer Sums { float sums[]; };
layout(std430, binding = 2) readonly buffer Stats { float stats[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
uniform uint n, positions, channels, groups, stats_offset, gamma_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint b = i / channels, c = i % channels, cg = channels / groups, g = c / cg;
  float mu = stats[stats_offset + (b * groups + g) * 2u];
  float r = stats[stats_offset + (b * groups + g) * 2u + 1u];
  float m1 = 0.0, m2 = 0.0;
  for (uint k = g * cg; k < (g + 1u) * cg; ++k) {
    float gk = gamma[gamma_offset + k];
    m1 += gk * sums[(b * channels + k) * 2u];
    m2 += gk * sums[(b * channels + k) * 2u + 1u] * r;
  }
  float count = float(positions * cg);
  m1 /= count;
  m2 /= count;
  coeffs[i * 3u] = r * gamma[gamma_offset + c];
  coeffs[i * 3u + 1u] = -r * r * m2;
  coeffs[i * 3u + 2u] = -r * m1 + r * r * m2 * mu;
}
#endif

#ifdef KERNEL_group_norm_backward_apply
// d_in = A·dy + B·x + D with the coefficients of (b, c); one invocation per float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer DIn { float d_in[]; };
layout(std430, binding = 1) readonly buffer DOut { float d_out[]; };
layout(std430, binding = 2) readonly buffer In { float in_[]; };
layout(std430, binding = 3) readonly buffer Coeffs { float coeffs[]; };
uniform uint n, positions, channels, d_in_offset, d_out_offset, in_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, b = i / (channels * positions);
  uint k = (b * channels + c) * 3u;
  d_in[d_in_offset + i] =
      d_out[d_out_offset + i] * coeffs[k] + in_[in_offset + i] * coeffs[k + 1u] + coeffs[k + 2u];
}
#endif
