// gl_token_ops.cpp — the GL backend's token ops for the diffusion transformer: per-image channel scale and
// its gradient, patchify and unpatchify. Not attention or the layer norm (gl_image_ops.cpp); kernels in
// shaders/token.comp.
#include "nn/gl/gl_backend_impl.h"

namespace difflab::glb {
namespace {

GLuint u(size_t v) {
  return static_cast<GLuint>(v);
}

void scale_channels(GlBackend& be, const Tensor& out, const Tensor& in, const Tensor& scale, int batch) {
  Program& p = be.program("scale_channels");
  be.use(p);
  be.bind(0, out);
  be.bind(1, in);
  be.bind(2, scale);
  be.set(p, "n", u(in.size()));
  be.set(p, "positions", u(in.rows / batch));
  be.set(p, "channels", u(in.cols));
  be.set(p, "out_offset", u(out.offset));
  be.set(p, "in_offset", u(in.offset));
  be.set(p, "scale_offset", u(scale.offset));
  be.dispatch_1d(in.size(), 256);
}

void permute_patches(GlBackend& be, const char* kernel, const Tensor& out, const Tensor& in, int height,
                     int width, int patch, int channels, size_t token_floats) {
  Program& p = be.program(kernel);
  be.use(p);
  be.bind(0, out);
  be.bind(1, in);
  be.set(p, "n", u(token_floats));
  be.set(p, "height", u(height));
  be.set(p, "width", u(width));
  be.set(p, "patch_", u(patch));
  be.set(p, "channels", u(channels));
  be.set(p, "out_offset", u(out.offset));
  be.set(p, "in_offset", u(in.offset));
  be.dispatch_1d(token_floats, 256);
}

}  // namespace

void GlBackend::scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) {
  if (in.empty()) return;
  scale_channels(*this, out, in, scale, batch);
}

void GlBackend::scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out,
                                        const Tensor& in, const Tensor& scale, int batch) {
  if (d_out.empty()) return;
  if (!d_in.empty()) scale_channels(*this, d_in, d_out, scale, batch);
  if (!d_scale.empty()) {
    Program& p = program("channel_dot");
    use(p);
    bind(0, d_scale);
    bind(1, d_out);
    bind(2, in);
    set(p, "rows", u(d_out.rows / batch));
    set(p, "cols", u(d_out.cols));
    set(p, "a_offset", u(d_out.offset));
    set(p, "b_offset", u(in.offset));
    set(p, "out_offset", u(d_scale.offset));
    dispatch(u(d_out.cols), u(batch));
  }
}

void GlBackend::patchify(const Tensor& out, const Tensor& in, int /*batch: in.rows says it*/, int height,
                         int width, int patch) {
  if (out.empty()) return;
  permute_patches(*this, "patchify", out, in, height, width, patch, in.cols, out.size());
}

void GlBackend::unpatchify(const Tensor& out, const Tensor& in, int /*batch: in.rows says it*/, int height,
                           int width, int patch) {
  if (out.empty()) return;
  permute_patches(*this, "unpatchify", out, in, height, width, patch, out.cols, in.size());
}

}  // namespace difflab::glb
