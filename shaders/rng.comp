// rng.comp — counter-based standard normal noise: Philox4x32-10 blocks and Box–Muller (backend.h, random_normal).
// Not a stateful generator and not uniform noise. Checked against nn/philox.h and the CPU backend.

#ifdef KERNEL_random_normal
// Invocation j draws block p = first_pair + j (64-bit, carried by hand: GLSL 4.3 has no 64-bit integers) and
// writes its two normals to elements 2j − odd (cos half) and 2j + 1 − odd (sin half) when they are in [0, n).
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Out { float z[]; };
uniform uint n, out_offset, pairs;
uniform uint first_pair_lo, first_pair_hi;  // counter / 2
uniform uint odd;                           // counter % 2: element 0 is the sin half of its pair
uniform uint key_lo, key_hi;                // the seed's two words

// Salmon et al. 2011: ten rounds of two 32×32→64 multiplies, the key bumped by the Weyl constants between them.
uvec4 philox4x32_10(uvec4 c, uvec2 k) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) k += uvec2(0x9E3779B9u, 0xBB67AE85u);
    uint hi0, lo0, hi1, lo1;
    umulExtended(0xD2511F53u, c.x, hi0, lo0);
    umulExtended(0xCD9E8D57u, c.z, hi1, lo1);
    c = uvec4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}

// ln u for u ∈ (0, 1] to about an ulp. GLSL's log only promises 2⁻²¹ absolute near 1, which √(−2 ln u) would
// blow up to ~1e-3 for u close to 1. u = m·2^e with m ∈ [√½, √2) (m − 1 exact), ln m = 2 atanh s,
// s = (m − 1)/(m + 1), |s| ≤ 0.172: six odd terms leave < 1e-10.
float log_unit(float u) {
  int e;
  float m = frexp(u, e);  // m ∈ [½, 1)
  if (m < 0.70710678) {
    m *= 2.0;
    e -= 1;
  }
  float s = (m - 1.0) / (m + 1.0);
  float s2 = s * s;
  float atanh_series =
      s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0))))));
  return float(e) * 0.69314718 + 2.0 * atanh_series;
}

// (sin 2πt, cos 2πt) for t ∈ [0, 1] to about an ulp. GLSL's sin/cos only promise 2⁻¹¹ absolute. t is a
// multiple of 2⁻²⁴, so f = t − q/4 with q = round(4t) is exact and x = 2πf ∈ [−π/4, π/4]; Taylor series to
// x¹¹ and x¹⁰ leave < 2e-10, and the quarter turns q are a swap and signs.
vec2 sincos_turns(float t) {
  float q = round(4.0 * t);
  float x = 6.28318531 * (t - 0.25 * q);
  float x2 = x * x;
  float s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 +
                 x2 * (1.0 / 362880.0 + x2 * (-1.0 / 39916800.0))))));
  float c = 1.0 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0 +
                 x2 * (-1.0 / 3628800.0)))));
  int quarter = int(q) & 3;  // sin and cos of x + quarter·π/2
  if (quarter == 0) return vec2(s, c);
  if (quarter == 1) return vec2(c, -s);
  if (quarter == 2) return vec2(-s, -c);
  return vec2(-c, s);
}

void main() {
  uint j = GLOBAL_INDEX;
  if (j >= pairs) return;
  uint block_lo = first_pair_lo + j;
  uint block_hi = first_pair_hi + (block_lo < j ? 1u : 0u);
  uvec4 w = philox4x32_10(uvec4(block_lo, block_hi, 0u, 0u), uvec2(key_lo, key_hi));
  float u0 = (float(w.x >> 8) + 1.0) * (1.0 / 16777216.0);  // (0, 1], exact
  float u1 = (float(w.y >> 8) + 1.0) * (1.0 / 16777216.0);
  float r = sqrt(-2.0 * log_unit(u0));
  vec2 sc = sincos_turns(u1);
  uint even = 2u * j;  // element index + odd of the cos half
  if (even >= odd && even - odd < n) z[out_offset + even - odd] = r * sc.y;
  if (even + 1u - odd < n) z[out_offset + even + 1u - odd] = r * sc.x;
}
#endif
