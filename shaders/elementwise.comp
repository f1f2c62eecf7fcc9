// elementwise.comp — one invocation per element: axpy, scale, the row bias of a linear layer, activations and
// their gradients, the sinusoidal time embedding. Not a reduction (reduce.comp), not a product (gemm.comp).

// Work groups of 256 invocations, flat index from GlBackend::dispatch_1d (GLOBAL_INDEX).
#if defined(KERNEL_activation_forward) || defined(KERNEL_activation_backward)
// erf(x) to within 1.5e-7 absolute in float (GLSL has none). Our own Chebyshev fits (mpmath.chebyfit,
// tools in the shaders/README.md paragraph): |x| < 1: x·P(x²), degree 8; 1 ≤ |x| < 4: 1 − Q_a(|x| − a) with
// Q_a ≈ erfc on [a, a + 1], a = 1, 2, 3, degree 13 / 12 / 12; |x| ≥ 4: ±1 (erfc(4) = 1.5e-8).
float erf_approx(float x) {
  float ax = abs(x), v;
  if (ax < 1.0) {
    float u = ax * ax;
    float p = 1.0589381e-06;
    p = p * u - 1.39093399e-05;
    p = p * u + 0.000119565622;
    p = p * u - 0.000854263781;
    p = p * u + 0.00522378366;
    p = p * u - 0.0268661324;
    p = p * u + 0.112837911;
    p = p * u - 0.376126379;
    p = p * u + 1.12837923;
    v = ax * p;
  } else if (ax < 2.0) {
    float t = ax - 1.0;
    float p = -1.83294378e-05;
    p = p * t + 5.30899379e-05;
    p = p * t + 0.000293445424;
    p = p * t - 0.00174566649;
    p = p * t + 0.00234274357;
    p = p * t + 0.00450214744;
    p = p * t - 0.0150400586;
    p = p * t - 0.00464536436;
    p = p * t + 0.0691910237;
    p = p * t - 0.0691853911;
    p = p * t - 0.138369098;
    p = p * t + 0.415107489;
    p = p * t - 0.415107489;
    p = p * t + 0.157299206;
    v = 1.0 - p;
  } else if (ax < 3.0) {
    float t = ax - 2.0;
    float p = 1.38636187e-05;
    p = p * t - 9.18727601e-05;
    p = p * t + 0.000197823581;
    p = p * t + 0.000144253048;
    p = p * t - 0.00166936591;
    p = p * t + 0.00342101255;
    p = p * t - 0.000474326313;
    p = p * t - 0.0130855404;
    p = p * t + 0.0344444439;
    p = p * t - 0.0482229181;
    p = p * t + 0.0413339697;
    p = p * t - 0.0206669848;
    p = p * t + 0.0046777348;
    v = 1.0 - p;
  } else if (ax < 4.0) {
    float t = ax - 3.0;
    float p = -5.15315833e-07;
    p = p * t + 2.89398145e-06;
    p = p * t - 2.75116963e-06;
    p = p * t - 2.72732414e-05;
    p = p * t + 0.000144190359;
    p = p * t - 0.000395150186;
    p = p * t + 0.000739573734;
    p = p * t - 0.00101689261;
    p = p * t + 0.001044448;
    p = p * t - 0.000789104961;
    p = p * t + 0.000417759351;
    p = p * t - 0.000139253054;
    p = p * t + 2.20904967e-05;
    v = 1.0 - p;
  } else {
    v = 1.0;
  }
  return x < 0.0 ? -v : v;
}
const float INV_SQRT2 = 0.70710678118654752;
const float INV_SQRT_2PI = 0.3989422804014327;
#endif

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

#ifdef KERNEL_scale
// x[i] *= factor, i < n.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer X { float x[]; };
uniform uint n, x_offset;
uniform float factor;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  x[x_offset + i] *= factor;
}
#endif

#ifdef KERNEL_add_row_bias
// out[r, c] += bias[c] for the rows × cols block of out (the bias of linear_forward).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer Bias { float bias[]; };
uniform uint n, cols, out_offset, bias_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  o[out_offset + i] += bias[bias_offset + i % cols];
}
#endif

#ifdef KERNEL_activation_forward
// out[i] = act(in[i]); act 0 = GELU (exact erf form), 1 = ReLU, 2 = SiLU.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer In { float x[]; };
uniform uint n, out_offset, in_offset, act;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  float v = x[in_offset + i], y;
  if (act == 0u)
    y = 0.5 * v * (1.0 + erf_approx(v * INV_SQRT2));
  else if (act == 1u)
    y = max(v, 0.0);
  else
    y = v / (1.0 + exp(-v));
  o[out_offset + i] = y;
}
#endif

#ifdef KERNEL_activation_backward
// d_in[i] = act'(in[i])·d_out[i] (overwritten); GELU' = Φ(x) + x·φ(x), SiLU' = σ(x)·(1 + x·(1 − σ(x))).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer DIn { float d_in[]; };
layout(std430, binding = 1) readonly buffer DOut { float d_out[]; };
layout(std430, binding = 2) readonly buffer In { float x[]; };
uniform uint n, d_in_offset, d_out_offset, in_offset, act;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  float v = x[in_offset + i], g = d_out[d_out_offset + i], d;
  if (act == 0u) {
    d = g * (0.5 * (1.0 + erf_approx(v * INV_SQRT2)) + v * INV_SQRT_2PI * exp(-0.5 * v * v));
  } else if (act == 1u) {
    d = v > 0.0 ? g : 0.0;
  } else {
    float s = 1.0 / (1.0 + exp(-v));
    d = g * s * (1.0 + v * (1.0 - s));
  }
  d_in[d_in_offset + i] = d;
}
#endif

#ifdef KERNEL_sinusoidal_embedding
// out[r, out_col + j] = sin(scale·in[r, in_col]·f_j), out[r, out_col + half + j] = cos(…), j < half; the
// frequencies f_j come from the host (computed as the CPU backend does). One invocation per (r, j).
// sin and cos are our own: the argument is reduced by a three-part π/2 (Cody–Waite: exact for |x| < 6000)
// and Taylor polynomials to degree 11/12 on |t| ≤ π/4 (truncation < 1e-11), since GLSL's built-ins are only
// ~1e-4 accurate for arguments in the hundreds on some drivers.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer In { float x[]; };
layout(std430, binding = 2) readonly buffer Freq { float freq[]; };
uniform uint rows, half_size, out_offset, out_cols, out_col, in_offset, in_cols, in_col;
uniform float scale;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= rows * half_size) return;
  uint r = i / half_size, j = i % half_size;
  float arg = (scale * x[in_offset + r * in_cols + in_col]) * freq[j];
  float q = round(arg * 0.636619772);
  precise float t = ((arg - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.54979013e-08;
  float t2 = t * t;
  float s = t * (1.0 + t2 * (-1.0 / 6.0 + t2 * (1.0 / 120.0 + t2 * (-1.0 / 5040.0 + t2 * (1.0 / 362880.0 +
                                                                                       t2 * (-1.0 / 39916800.0))))));
  float c = 1.0 + t2 * (-0.5 + t2 * (1.0 / 24.0 + t2 * (-1.0 / 720.0 + t2 * (1.0 / 40320.0 +
                                                                         t2 * (-1.0 / 3628800.0 + t2 * (1.0 / 479001600.0))))));
  int quadrant = int(q) & 3;
  float sv = quadrant == 0 ? s : quadrant == 1 ? c : quadrant == 2 ? -s : -c;
  float cv = quadrant == 0 ? c : quadrant == 1 ? -s : quadrant == 2 ? -c : s;
  uint at = out_offset + r * out_cols + out_col + j;
  o[at] = sv;
  o[at + half_size] = cv;
}
#endif
