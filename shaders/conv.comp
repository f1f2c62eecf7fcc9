// conv.comp — the data movement of a convolution as a matrix product: im2col (input pixels → the rows of a
// column matrix) and its adjoint col2im (column gradients → input pixels, gathered). Not the product itself
// (GlBackend::gemm, gemm.comp) and not the bias (image.comp). Checked against the CPU backend
// (tests/nn/test_gl_image.cpp).
//
// Both work on the images [image0, image0 + images) of a batch; the column matrix holds their output rows
// (b, oy, ox), local to the block, times k·k·C columns ordered (ky, kx, c) like the weight rows.

#ifdef KERNEL_im2col
// cols[(b·OH + oy)·OW + ox, (ky·K + kx)·C + c] = in(image0 + b, oy·S − P + ky, ox·S − P + kx, c), zero in the
// padding; one invocation per column float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) writeonly buffer Cols { float cols[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint n, image0, height, width, channels, out_height, out_width, kernel_size, stride, padding,
    in_offset;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint kkc = kernel_size * kernel_size * channels;
  uint row = i / kkc, j = i % kkc;
  uint c = j % channels, kx = (j / channels) % kernel_size, ky = j / (channels * kernel_size);
  uint ox = row % out_width, oy = (row / out_width) % out_height, b = image0 + row / (out_width * out_height);
  int iy = int(oy * stride + ky) - int(padding), ix = int(ox * stride + kx) - int(padding);
  float v = 0.0;
  if (iy >= 0 && iy < int(height) && ix >= 0 && ix < int(width))
    v = in_[in_offset + ((b * height + uint(iy)) * width + uint(ix)) * channels + c];
  cols[i] = v;
}
#endif

#ifdef KERNEL_col2im
// d_in(image0 + b, iy, ix, c) (+)= Σ over (ky, kx) of the column float im2col copied it to: a gather, one
// invocation per input float of the block's images, so no two invocations write the same float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer DIn { float d_in[]; };
layout(std430, binding = 1) readonly buffer Cols { float cols[]; };
uniform uint n, image0, height, width, channels, out_height, out_width, kernel_size, stride, padding,
    d_in_offset, accumulate;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  uint c = i % channels, pixel = i / channels;
  uint ix = pixel % width, iy = (pixel / width) % height, b = pixel / (width * height);
  uint kkc = kernel_size * kernel_size * channels;
  float s = 0.0;
  for (uint ky = 0u; ky < kernel_size; ++ky) {
    int ty = int(iy + padding) - int(ky);  // = oy·stride
    if (ty < 0 || ty % int(stride) != 0) continue;
    uint oy = uint(ty) / stride;
    if (oy >= out_height) continue;
    for (uint kx = 0u; kx < kernel_size; ++kx) {
      int tx = int(ix + padding) - int(kx);
      if (tx < 0 || tx % int(stride) != 0) continue;
      uint ox = uint(tx) / stride;
      if (ox >= out_width) continue;
      s += cols[((b * out_height + oy) * out_width + ox) * kkc + (ky * kernel_size + kx) * channels + c];
    }
  }
  uint at = d_in_offset + (image0 * height * width) * channels + i;
  d_in[at] = accumulate != 0u ? d_in[at] + s : s;
}
#endif

#ifdef KERNEL_sum_slices
// out[i] (+)= Σ_{s < slices} in[s·n + i], s in order: the per-image partial weight gradients of a convolution
// (one product per image, batched_gemm) summed. One invocation per output float.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Out { float out_[]; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
uniform uint n, slices, out_offset, accumulate;
void main() {
  uint i = GLOBAL_INDEX;
  if (i >= n) return;
  float s = accumulate != 0u ? out_[out_offset + i] : 0.0;
  for (uint k = 0u; k < slices; ++k) s += in_[k * n + i];
  out_[out_offset + i] = s;
}
#endif
