// optimizer.comp — parameter updates over flat buffers: AdamW and the EMA of the weights.
// Not gradient clipping (a scale after sum_squares) and not a learning-rate schedule (the host's).

#ifdef KERNEL_adamw_step
// One invocation per parameter, groups of 256 (dispatch_1d). The host passes the bias corrections
// 1 − β₁ᵗ, 1 − β₂ᵗ and the products the CPU backend forms in float, so both round alike:
// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p·(1 − lr·wd) − (lr/c₁)·m/(√(v/c₂) + eps).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer P { float p[]; };
layout(std430, binding = 1) readonly buffer G { float g[]; };
layout(std430, binding = 2) buffer M { float m[]; };
layout(std430, binding = 3) buffer V { float v[]; };
uniform uint n, p_offset, g_offset, m_offset, v_offset;
uniform float beta1, one_minus_beta1, beta2, one_minus_beta2, decay_factor, step_size, correction2, eps;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  float gi = g[g_offset + i];
  float mi = beta1 * m[m_offset + i] + one_minus_beta1 * gi;
  float vi = beta2 * v[v_offset + i] + one_minus_beta2 * (gi * gi);
  m[m_offset + i] = mi;
  v[v_offset + i] = vi;
  p[p_offset + i] = p[p_offset + i] * decay_factor - step_size * mi / (sqrt(vi / correction2) + eps);
}
#endif

#ifdef KERNEL_ema_update
// ema[i] = decay·ema[i] + (1 − decay)·params[i]; one invocation per element, groups of 256.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer E { float e[]; };
layout(std430, binding = 1) readonly buffer P { float p[]; };
uniform uint n, e_offset, p_offset;
uniform float decay, one_minus_decay;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  e[e_offset + i] = decay * e[e_offset + i] + one_minus_decay * p[p_offset + i];
}
#endif
