// test_finetune_gl.cpp — `difflab finetune --backend gl`: lesson 18's three hooks into the U-Net on the GL
// backend give the CPU's numbers. Textual inversion's loss and row gradient, the ControlNet's output and its
// zero convolutions' gradient, the IP-Adapter's output and its adapter gradient, on the same tiny U-Net with
// the same weights on both backends. DreamBooth is plain fine-tuning (test_backend_parity covers training
// steps). Skipped without OpenGL 4.3 (Mesa's llvmpipe provides it on CI).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "train/controlnet.h"
#include "train/ip_adapter.h"
#include "train/personalize.h"

#include "gl_parity.h"
#include "tiny_unet.h"

using namespace difflab;

namespace {

using test::gl_here;
using test::relative_error;

std::vector<float> normals(size_t n, uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(scale * rng.normal());
  return v;
}

// The same tiny U-Net (weights made on the CPU, copied to `kind`).
struct Net {
  std::unique_ptr<Backend> be;
  std::unique_ptr<UNet> net;
  Net(BackendKind kind, bool attention) {
    UNetConfig c = test::tiny_unet(attention, 8);
    c.num_classes = 3;
    auto cpu = make_backend(BackendKind::cpu);
    UNet reference(c, *cpu);
    reference.init_params(7);
    std::vector<float> w(reference.num_params());
    cpu->read(reference.params(), w.data());
    be = make_backend(kind);
    net = std::make_unique<UNet>(c, *be);
    be->write(net->params(), w.data());
  }
};

struct TiResult {
  double loss;
  std::vector<float> gradient;
};

TiResult textual_inversion_gradient(BackendKind kind) {
  Net n(kind, false);
  std::vector<float> subject = normals(3 * 64, 5, 0.5);
  TextualInversionConfig tc;
  tc.batch = 4;
  TextualInversion ti(*n.net, make_schedule(ScheduleConfig{}), subject, 3, tc);
  TiResult r;
  r.loss = ti.loss_at(ti.row(), 99, true);
  r.gradient = ti.last_gradient();
  return r;
}

struct CnResult {
  std::vector<float> output, zero_grad;
};

CnResult controlnet_pass(BackendKind kind) {
  Net n(kind, false);
  ControlNet cn(*n.net);
  const int B = 2, D = 64;
  std::vector<float> x = normals(B * D, 1), edges = normals(B * D, 2, 0.3), w = normals(B * D, 3);
  std::vector<float> t{150.0f, 600.0f};
  std::vector<int> labels{0, -1};
  std::vector<float> z =
      normals(cn.zero_convs().num_params(), 4, 0.05);  // non-zero, or the output is the base's
  n.be->write(cn.zero_convs().params(), z.data());
  CnResult r;
  r.output.resize(B * D);
  cn.forward(x.data(), edges.data(), t.data(), labels.data(), B, 1.5f, r.output.data());
  cn.backward(w.data());
  r.zero_grad.resize(z.size());
  n.be->read(cn.zero_convs().grads(), r.zero_grad.data());
  return r;
}

struct IpResult {
  std::vector<float> output, adapter_grad;
};

IpResult ip_adapter_pass(BackendKind kind) {
  Net n(kind, true);
  IpAdapterConfig ac;
  ac.embed_dim = 5, ac.tokens = 3, ac.width = 6;
  IpAdapter adapter(ac, n.net->attention_sites(), *n.be);
  adapter.init_params(3);
  const int B = 2;
  std::vector<float> x = normals(B * n.net->dim(), 11), w = normals(B * n.net->dim(), 12);
  std::vector<float> emb = normals(B * ac.embed_dim, 13), t{120.0f, 700.0f};
  std::vector<int> labels{1, -1};
  IpResult r;
  r.output.resize(x.size());
  adapter.set_prompts(emb.data(), B, 1.0f);
  n.net->set_attention_hook(&adapter);
  n.net->forward(x.data(), t.data(), labels.data(), B, r.output.data());
  n.net->backward(w.data());
  adapter.finish_backward();
  n.net->set_attention_hook(nullptr);
  r.adapter_grad = adapter.grads();
  return r;
}

}  // namespace

TEST_CASE("textual inversion on gl: the CPU's loss and row gradient") {
  if (!gl_here()) return;
  const TiResult cpu = textual_inversion_gradient(BackendKind::cpu);
  const TiResult gl = textual_inversion_gradient(BackendKind::gl);
  CHECK(std::isfinite(cpu.loss));
  CHECK(gl.loss == doctest::Approx(cpu.loss).epsilon(1e-5));
  CHECK(relative_error(gl.gradient, cpu.gradient) < 1e-4);
}

TEST_CASE("ControlNet on gl: the CPU's output and zero-convolution gradient") {
  if (!gl_here()) return;
  const CnResult cpu = controlnet_pass(BackendKind::cpu);
  const CnResult gl = controlnet_pass(BackendKind::gl);
  CHECK(relative_error(gl.output, cpu.output) < 1e-5);
  CHECK(relative_error(gl.zero_grad, cpu.zero_grad) < 1e-4);
}

TEST_CASE("IP-Adapter on gl: the CPU's output and adapter gradient") {
  if (!gl_here()) return;
  const IpResult cpu = ip_adapter_pass(BackendKind::cpu);
  const IpResult gl = ip_adapter_pass(BackendKind::gl);
  CHECK(relative_error(gl.output, cpu.output) < 1e-5);
  CHECK(relative_error(gl.adapter_grad, cpu.adapter_grad) < 1e-4);
}
