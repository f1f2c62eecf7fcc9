// unet.cpp — the U-Net as a list of nodes (conv, ResBlock, attention, concat, …) run forward, then in
// reverse. Not an autograd: each module knows its own backward; the graph only routes gradients to inputs and
// skips.
#include "nn/unet.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {

bool unet_preset(const std::string& name, UNetConfig* c) {
  UNetConfig u;
  u.name = name;
  if (name == "A") {
    u.channels = {32, 64, 64};
    u.attention = {0, 1, 1};
    u.mid_attention = true;
    u.layers = 2;
    u.groups = 32;
    u.head_dim = 8;
  } else if (name == "B") {
    u.channels = {32, 64, 128};
    u.attention = {0, 0, 0};
    u.mid_attention = true;
    u.layers = 1;
    u.groups = 8;
    u.head_dim = 32;
  } else if (name == "classroom") {
    // Config B's shape at half the width at 28×28: ≈ 0.13 GFLOP per image forward (A: 0.64), so a few
    // thousand steps fit in minutes on 2 cores, enough for recognisable Fashion-MNIST samples.
    u.channels = {16, 32, 64};
    u.attention = {0, 0, 0};
    u.mid_attention = true;
    u.layers = 1;
    u.groups = 8;
    u.head_dim = 32;
  } else {
    return false;
  }
  *c = u;
  return true;
}

std::string describe(const UNetConfig& c) {
  std::ostringstream s;
  s << "U-Net " << c.name << ": channels";
  for (size_t i = 0; i < c.channels.size(); ++i) s << (i ? "," : " ") << c.channels[i];
  s << ", attention at";
  bool any = false;
  for (size_t i = 0; i < c.attention.size(); ++i)
    if (c.attention[i]) s << " " << (c.height >> i) << "x" << (c.width >> i), any = true;
  if (c.mid_attention) s << (any ? " +" : "") << " middle";
  s << ", layers " << c.layers << ", GroupNorm " << c.groups << ", head_dim " << c.head_dim;
  if (c.num_classes > 0) s << ", " << c.num_classes << " classes";
  if (c.in_channels != 1) s << ", " << c.in_channels << " channels in";
  return s.str();
}

void validate(const UNetConfig& c) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("U-Net config: " + what); };
  if (c.channels.empty() || c.channels.size() > 5) fail("1 … 5 levels");
  if (c.attention.size() != c.channels.size()) fail("one attention flag per level");
  if (c.layers < 1 || c.layers > 8) fail("layers must be 1 … 8");
  const int levels = static_cast<int>(c.channels.size());
  if (c.height % (1 << (levels - 1)) || c.width % (1 << (levels - 1)))
    fail("the image size must halve cleanly at every level");
  for (size_t i = 0; i < c.channels.size(); ++i) {
    const int ch = c.channels[i];
    if (ch < 1 || ch % c.groups) fail("channels must be multiples of the GroupNorm groups");
    if ((c.attention[i] || (c.mid_attention && i + 1 == c.channels.size())) && ch % c.head_dim)
      fail("attention channels must be multiples of head_dim");
  }
  if (c.channels[0] % 2) fail("c0 must be even (sinusoidal embedding)");
  if (c.num_classes < 0 || c.num_classes > 100000) fail("num_classes out of range");
  if (c.in_channels < 1 || c.in_channels > 64) fail("in_channels must be 1 … 64");
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks. A module owns its outputs and scratch (views into one activation storage, re-laid out per
// batch size), reads parameters from the active buffer, and in backward ADDS its input gradient into the
// given tensors.

namespace {

// Hands out views into one storage; run once with storage == nullptr to count, then for real.
struct Arena {
  Storage* storage = nullptr;
  size_t used = 0;
  Tensor take(int rows, int cols) {
    Tensor t{storage, used, rows, cols};
    used += (static_cast<size_t>(rows) * cols + 15) / 16 * 16;  // 64-byte aligned starts
    return t;
  }
};

enum class Init { Uniform, One, Zero, Normal };

struct Registry {
  std::vector<ParamBlock>* layout;
  std::vector<Init>* inits;
  std::vector<int>* fan_in;
  int add(const std::string& name, int rows, int cols, Init init, int fan) {
    ParamBlock b{name,
                 layout->empty()
                     ? 0
                     : layout->back().offset + static_cast<size_t>(layout->back().rows) * layout->back().cols,
                 rows, cols};
    layout->push_back(b);
    inits->push_back(init);
    fan_in->push_back(fan);
    return static_cast<int>(layout->size()) - 1;
  }
};

}  // namespace

struct UNet::Impl {
  struct Context {
    Backend* be = nullptr;
    const std::vector<ParamBlock>* layout = nullptr;
    Tensor params, grads;
    int batch = 0;
    Tensor temb_act, d_temb_act;    // SiLU(temb) [B, 4c₀] and its gradient (accumulated by every ResBlock)
    AttentionHook* hook = nullptr;  // IP-Adapter hook (null = none)
    Tensor param(int i) const {
      const ParamBlock& b = (*layout)[i];
      return Tensor{params.storage, params.offset + b.offset, b.rows, b.cols};
    }
    Tensor grad(int i) const {
      const ParamBlock& b = (*layout)[i];
      return Tensor{grads.storage, grads.offset + b.offset, b.rows, b.cols};
    }
  };

  struct Module {
    virtual ~Module() = default;
    virtual void allocate(Arena& a, int batch) = 0;
    virtual Tensor forward(Context& c, const Tensor& in, const Tensor& skip) = 0;
    // Adds ∂L/∂in to d_in (and ∂L/∂skip to d_skip for the concatenation).
    virtual void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor& d_skip) = 0;
    virtual double flops_per_image() const { return 0; }
  };

  struct Conv : Module {
    ConvShape s;
    int w = 0, b = 0;
    Tensor in_, out_;
    Conv(Registry& r, const std::string& name, int cin, int cout, int h, int wd, int kernel, int stride) {
      s.height = h, s.width = wd, s.in_channels = cin, s.out_channels = cout, s.kernel = kernel,
      s.stride = stride;
      s.padding = kernel / 2;
      w = r.add(name + ".weight", kernel * kernel * cin, cout, Init::Uniform, kernel * kernel * cin);
      b = r.add(name + ".bias", 1, cout, Init::Uniform, kernel * kernel * cin);
    }
    void allocate(Arena& a, int batch) override {
      s.batch = batch;
      out_ = a.take(batch * s.out_height() * s.out_width(), s.out_channels);
    }
    Tensor forward(Context& c, const Tensor& in, const Tensor&) override {
      in_ = in;
      c.be->conv2d_forward(out_, in, c.param(w), c.param(b), s);
      return out_;
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor&) override {
      c.be->conv2d_backward(d_in, c.grad(w), c.grad(b), d_out, in_, c.param(w), s, true);
    }
    // Writes ∂L/∂in to d_in instead of adding it (for a block's own buffers: no zero fill first).
    void backward_overwrite(Context& c, const Tensor& d_out, const Tensor& d_in) {
      c.be->conv2d_backward(d_in, c.grad(w), c.grad(b), d_out, in_, c.param(w), s, false);
    }
    double flops_per_image() const override { return s.flops() / std::max(1, s.batch); }
  };

  // GroupNorm, then SiLU when `act`.
  struct Norm : Module {
    int groups, channels, positions, gamma = 0, beta = 0;
    bool act;
    Tensor in_, norm_, out_, stats_, d_norm_, d_x_;
    Norm(Registry& r, const std::string& name, int ch, int pos, int g, bool silu)
        : groups(g), channels(ch), positions(pos), act(silu) {
      gamma = r.add(name + ".gamma", 1, ch, Init::One, 1);
      beta = r.add(name + ".beta", 1, ch, Init::Zero, 1);
    }
    void allocate(Arena& a, int batch) override {
      norm_ = a.take(batch * positions, channels);
      out_ = act ? a.take(batch * positions, channels) : norm_;
      stats_ = a.take(batch * groups, 2);
      d_norm_ = a.take(batch * positions, channels);
      d_x_ = a.take(batch * positions, channels);
    }
    Tensor forward(Context& c, const Tensor& in, const Tensor&) override {
      in_ = in;
      c.be->group_norm_forward(norm_, stats_, in, c.param(gamma), c.param(beta), c.batch, groups);
      if (act) c.be->activation_forward(Activation::Silu, out_, norm_);
      return out_;
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor&) override {
      const Tensor* g = &d_out;
      if (act) {
        c.be->activation_backward(Activation::Silu, d_norm_, d_out, norm_);
        g = &d_norm_;
      }
      c.be->group_norm_backward(d_x_, c.grad(gamma), c.grad(beta), *g, in_, stats_, c.param(gamma), c.batch,
                                groups);
      c.be->axpy(d_in, 1.0f, d_x_);
    }
  };

  struct ResBlock : Module {
    int cin, cout, positions, temb_w = 0, temb_b = 0;
    Norm norm1, norm2;
    Conv conv1, conv2;
    std::unique_ptr<Conv> skip_conv;
    Tensor in_, tproj_, d_tproj_, d_h1_, d_h2_, d_conv1_in_;
    ResBlock(Registry& r, const std::string& name, int ci, int co, int h, int w, int groups, int temb_dim)
        : cin(ci),
          cout(co),
          positions(h * w),
          norm1(r, name + ".norm1", ci, h * w, groups, true),
          norm2(r, name + ".norm2", co, h * w, groups, true),
          conv1(r, name + ".conv1", ci, co, h, w, 3, 1),
          conv2(r, name + ".conv2", co, co, h, w, 3, 1) {
      temb_w = r.add(name + ".time_emb_proj.weight", temb_dim, co, Init::Uniform, temb_dim);
      temb_b = r.add(name + ".time_emb_proj.bias", 1, co, Init::Uniform, temb_dim);
      if (ci != co) skip_conv = std::make_unique<Conv>(r, name + ".conv_shortcut", ci, co, h, w, 1, 1);
    }
    void allocate(Arena& a, int batch) override {
      norm1.allocate(a, batch);
      conv1.allocate(a, batch);
      norm2.allocate(a, batch);
      conv2.allocate(a, batch);
      if (skip_conv) skip_conv->allocate(a, batch);
      tproj_ = a.take(batch, cout);
      d_tproj_ = a.take(batch, cout);
      d_h1_ = a.take(batch * positions, cout);
      d_h2_ = a.take(batch * positions, cout);
      d_conv1_in_ = a.take(batch * positions, cin);
    }
    Tensor forward(Context& c, const Tensor& in, const Tensor&) override {
      in_ = in;
      Tensor h = conv1.forward(c, norm1.forward(c, in, {}), {});
      c.be->linear_forward(tproj_, c.temb_act, c.param(temb_w), c.param(temb_b));
      c.be->add_channel_bias_forward(h, tproj_, c.batch);
      Tensor out = conv2.forward(c, norm2.forward(c, h, {}), {});
      if (skip_conv)
        c.be->axpy(out, 1.0f, skip_conv->forward(c, in, {}));
      else
        c.be->axpy(out, 1.0f, in);
      return out;
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor&) override {
      // out = conv2(norm2(h)) + skip(in), h = conv1(norm1(in)) + tproj.
      conv2.backward_overwrite(c, d_out, d_h2_);
      c.be->fill(d_h1_, 0.0f);
      norm2.backward(c, d_h2_, d_h1_, {});
      c.be->add_channel_bias_backward(d_tproj_, d_h1_, c.batch);
      c.be->linear_backward(c.d_temb_act, c.grad(temb_w), c.grad(temb_b), d_tproj_, c.temb_act,
                            c.param(temb_w), false, true);
      conv1.backward_overwrite(c, d_h1_, d_conv1_in_);
      norm1.backward(c, d_conv1_in_, d_in, {});
      if (skip_conv)
        skip_conv->backward(c, d_out, d_in, {});
      else
        c.be->axpy(d_in, 1.0f, d_out);
    }
    double flops_per_image() const override {
      return conv1.flops_per_image() + conv2.flops_per_image() +
             (skip_conv ? skip_conv->flops_per_image() : 0);
    }
  };

  struct Attention : Module {
    int channels, positions, heads, qkv_w = 0, qkv_b = 0, o_w = 0, o_b = 0, site = 0;
    Norm norm;
    Tensor in_, normed_, qkv_, probs_, att_, out_, d_att_, d_qkv_, d_normed_;
    Attention(Registry& r, const std::string& name, int ch, int pos, int groups, int head_dim)
        : channels(ch),
          positions(pos),
          heads(ch / head_dim),
          norm(r, name + ".group_norm", ch, pos, groups, false) {
      // q, k and v as one [C, 3C] Linear: the same parameters as three Linear(C, C), in one GEMM.
      qkv_w = r.add(name + ".to_qkv.weight", ch, 3 * ch, Init::Uniform, ch);
      qkv_b = r.add(name + ".to_qkv.bias", 1, 3 * ch, Init::Uniform, ch);
      o_w = r.add(name + ".to_out.weight", ch, ch, Init::Uniform, ch);
      o_b = r.add(name + ".to_out.bias", 1, ch, Init::Uniform, ch);
    }
    void allocate(Arena& a, int batch) override {
      norm.allocate(a, batch);
      const int rows = batch * positions;
      qkv_ = a.take(rows, 3 * channels);
      probs_ = a.take(batch * heads * positions, positions);
      att_ = a.take(rows, channels);
      out_ = a.take(rows, channels);
      d_att_ = a.take(rows, channels);
      d_qkv_ = a.take(rows, 3 * channels);
      d_normed_ = a.take(rows, channels);
    }
    Tensor forward(Context& c, const Tensor& in, const Tensor&) override {
      in_ = in;
      normed_ = norm.forward(c, in, {});
      c.be->linear_forward(qkv_, normed_, c.param(qkv_w), c.param(qkv_b));
      c.be->attention_forward(att_, probs_, qkv_, c.batch, heads);
      if (c.hook) c.hook->forward(site, qkv_, att_, c.batch, heads);
      c.be->linear_forward(out_, att_, c.param(o_w), c.param(o_b));
      c.be->axpy(out_, 1.0f, in);
      return out_;
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor&) override {
      c.be->linear_backward(d_att_, c.grad(o_w), c.grad(o_b), d_out, att_, c.param(o_w), false, false);
      c.be->attention_backward(d_qkv_, d_att_, qkv_, probs_, c.batch, heads);
      if (c.hook) c.hook->backward(site, d_att_, qkv_, d_qkv_, c.batch, heads);
      c.be->linear_backward(d_normed_, c.grad(qkv_w), c.grad(qkv_b), d_qkv_, normed_, c.param(qkv_w), false,
                            false);
      norm.backward(c, d_normed_, d_in, {});
      c.be->axpy(d_in, 1.0f, d_out);
    }
    double flops_per_image() const override {
      const double P = positions, C = channels;
      return 2 * P * C * 4 * C + 4 * P * P * C;
    }
  };

  struct Upsample : Module {
    int channels, height, width;
    Conv conv;
    Tensor up_, d_up_;
    Upsample(Registry& r, const std::string& name, int ch, int h, int w)
        : channels(ch), height(h), width(w), conv(r, name + ".conv", ch, ch, 2 * h, 2 * w, 3, 1) {}
    void allocate(Arena& a, int batch) override {
      up_ = a.take(batch * 4 * height * width, channels);
      d_up_ = a.take(batch * 4 * height * width, channels);
      d_small_ = a.take(batch * height * width, channels);
      conv.allocate(a, batch);
    }
    Tensor forward(Context& c, const Tensor& in, const Tensor&) override {
      c.be->upsample_nearest2x_forward(up_, in, c.batch, height, width);
      return conv.forward(c, up_, {});
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor&) override {
      conv.backward_overwrite(c, d_out, d_up_);
      c.be->upsample_nearest2x_backward(d_small_, d_up_, c.batch, height, width);
      c.be->axpy(d_in, 1.0f, d_small_);
    }
    double flops_per_image() const override { return conv.flops_per_image(); }
    Tensor d_small_;
  };

  struct Concat : Module {
    int ca, cb, positions;
    Tensor out_;
    Concat(int a, int b, int pos) : ca(a), cb(b), positions(pos) {}
    void allocate(Arena& a, int batch) override { out_ = a.take(batch * positions, ca + cb); }
    Tensor forward(Context& c, const Tensor& in, const Tensor& skip) override {
      c.be->concat_channels_forward(out_, in, skip);
      return out_;
    }
    void backward(Context& c, const Tensor& d_out, const Tensor& d_in, const Tensor& d_skip) override {
      c.be->concat_channels_backward(d_in, d_skip, d_out);
    }
  };

  struct Node {
    std::unique_ptr<Module> module;
    int input = -1, skip = -1;
    int channels = 0, positions = 0;
    Tensor out, d_out;
  };

  Context ctx;
  std::vector<Node> nodes;  // nodes[0] = the input image
  // ControlNet hook (Zhang et al. 2023): control point k is the k-th tensor the decoder reads from the
  // encoder — the middle block's output (k = 0, the first concatenation's input), then each skip in the order
  // the decoder takes them. `sum` = that tensor + scale · residual, `d` = ∂L/∂sum.
  struct ControlPoint {
    int concat = 0, source = 0;
    bool on_skip = false;
    Tensor sum, d;
  };
  std::vector<ControlPoint> controls;
  int temb_dim = 0, c0 = 0;
  int time1_w = 0, time1_b = 0, time2_w = 0, time2_b = 0, class_table = -1;
  // Time embedding activations.
  Tensor t_in, sinusoid, time_h, time_h_act, temb, d_temb, d_time_h_act, d_time_h, class_rows, d_out_image;
  std::vector<int> class_ids;
  std::vector<Init> inits;
  std::vector<int> fans;

  int add(std::unique_ptr<Module> m, int input, int channels, int positions, int skip = -1) {
    Node n;
    n.module = std::move(m);
    n.input = input;
    n.skip = skip;
    n.channels = channels;
    n.positions = positions;
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size()) - 1;
  }

  void build(const UNetConfig& cfg, Registry& r) {
    c0 = cfg.channels[0];
    temb_dim = 4 * c0;
    time1_w = r.add("time_embedding.linear_1.weight", c0, temb_dim, Init::Uniform, c0);
    time1_b = r.add("time_embedding.linear_1.bias", 1, temb_dim, Init::Uniform, c0);
    time2_w = r.add("time_embedding.linear_2.weight", temb_dim, temb_dim, Init::Uniform, temb_dim);
    time2_b = r.add("time_embedding.linear_2.bias", 1, temb_dim, Init::Uniform, temb_dim);
    if (cfg.num_classes > 0)
      class_table = r.add("class_embedding", cfg.num_classes + 1, temb_dim, Init::Normal, 1);
    const int levels = static_cast<int>(cfg.channels.size());
    int h = cfg.height, w = cfg.width;
    Node input;
    input.channels = cfg.in_channels;
    input.positions = h * w;
    nodes.push_back(std::move(input));
    int x = add(std::make_unique<Conv>(r, "conv_in", cfg.in_channels, c0, h, w, 3, 1), 0, c0, h * w);
    std::vector<int> skips{x};
    int ch = c0;
    for (int i = 0; i < levels; ++i) {
      const int co = cfg.channels[i];
      for (int j = 0; j < cfg.layers; ++j) {
        const std::string name = "down." + std::to_string(i) + ".res." + std::to_string(j);
        x = add(std::make_unique<ResBlock>(r, name, ch, co, h, w, cfg.groups, temb_dim), x, co, h * w);
        ch = co;
        if (cfg.attention[i])
          x = add(std::make_unique<Attention>(r, "down." + std::to_string(i) + ".attn." + std::to_string(j),
                                              ch, h * w, cfg.groups, cfg.head_dim),
                  x, ch, h * w);
        skips.push_back(x);
      }
      if (i + 1 < levels) {
        x = add(std::make_unique<Conv>(r, "down." + std::to_string(i) + ".downsample", ch, ch, h, w, 3, 2), x,
                ch, (h / 2) * (w / 2));
        h /= 2, w /= 2;
        skips.push_back(x);
      }
    }
    x = add(std::make_unique<ResBlock>(r, "mid.res.0", ch, ch, h, w, cfg.groups, temb_dim), x, ch, h * w);
    if (cfg.mid_attention)
      x = add(std::make_unique<Attention>(r, "mid.attn", ch, h * w, cfg.groups, cfg.head_dim), x, ch, h * w);
    x = add(std::make_unique<ResBlock>(r, "mid.res.1", ch, ch, h, w, cfg.groups, temb_dim), x, ch, h * w);
    for (int i = levels - 1; i >= 0; --i) {
      const int co = cfg.channels[i];
      for (int j = 0; j <= cfg.layers; ++j) {
        const int skip = skips.back();
        skips.pop_back();
        const int cs = nodes[skip].channels;
        x = add(std::make_unique<Concat>(ch, cs, h * w), x, ch + cs, h * w, skip);
        const std::string name = "up." + std::to_string(i) + ".res." + std::to_string(j);
        x = add(std::make_unique<ResBlock>(r, name, ch + cs, co, h, w, cfg.groups, temb_dim), x, co, h * w);
        ch = co;
        if (cfg.attention[i])
          x = add(std::make_unique<Attention>(r, "up." + std::to_string(i) + ".attn." + std::to_string(j), ch,
                                              h * w, cfg.groups, cfg.head_dim),
                  x, ch, h * w);
      }
      if (i > 0) {
        x = add(std::make_unique<Upsample>(r, "up." + std::to_string(i) + ".upsample", ch, h, w), x, ch,
                4 * h * w);
        h *= 2, w *= 2;
      }
    }
    x = add(std::make_unique<Norm>(r, "conv_norm_out", ch, h * w, cfg.groups, true), x, ch, h * w);
    add(std::make_unique<Conv>(r, "conv_out", ch, cfg.in_channels, h, w, 3, 1), x, cfg.in_channels, h * w);
    for (int i = 1; i < static_cast<int>(nodes.size()); ++i) {
      if (nodes[i].skip < 0) continue;  // only the concatenations have a skip
      if (controls.empty()) controls.push_back({i, nodes[i].input, false, {}, {}});
      controls.push_back({i, nodes[i].skip, true, {}, {}});
    }
  }

  void allocate(Arena& a, int batch) {
    ctx.batch = batch;
    for (size_t i = 1; i < nodes.size(); ++i) nodes[i].module->allocate(a, batch);
    for (Node& n : nodes) n.d_out = a.take(batch * n.positions, n.channels);
    t_in = a.take(batch, 1);
    sinusoid = a.take(batch, c0);
    time_h = a.take(batch, temb_dim);
    time_h_act = a.take(batch, temb_dim);
    temb = a.take(batch, temb_dim);
    ctx.temb_act = a.take(batch, temb_dim);
    ctx.d_temb_act = a.take(batch, temb_dim);
    d_temb = a.take(batch, temb_dim);
    d_time_h_act = a.take(batch, temb_dim);
    d_time_h = a.take(batch, temb_dim);
    class_rows = a.take(batch, temb_dim);
    nodes[0].out = a.take(batch * nodes[0].positions, nodes[0].channels);
    class_ids.resize(batch);
    for (ControlPoint& k : controls) {
      k.sum = a.take(batch * nodes[k.source].positions, nodes[k.source].channels);
      k.d = a.take(batch * nodes[k.source].positions, nodes[k.source].channels);
    }
  }
};

UNet::UNet(const UNetConfig& config, Backend& backend) : config_(config), backend_(backend) {
  validate(config_);
  impl_ = std::make_unique<Impl>();
  Registry r{&layout_, &impl_->inits, &impl_->fans};
  impl_->build(config_, r);
  const size_t n = num_params();
  param_storage_ = backend_.create_storage(n);
  grad_storage_ = backend_.create_storage(n);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(n)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(n)};
  active_params_ = params_;
  impl_->ctx.be = &backend_;
  impl_->ctx.layout = &layout_;
}

UNet::~UNet() = default;

size_t unet_param_count(const UNetConfig& c) {
  return UNet::count_params(c);
}

ModelConfigMap unet_config_map(const UNetConfig& c) {
  ModelConfigMap m = {{"unet_name", c.name},
                      {"channels", config_format_list(c.channels)},
                      {"attention", config_format_list(c.attention)},
                      {"mid_attention", c.mid_attention ? "1" : "0"},
                      {"layers", std::to_string(c.layers)},
                      {"groups", std::to_string(c.groups)},
                      {"head_dim", std::to_string(c.head_dim)},
                      {"height", std::to_string(c.height)},
                      {"width", std::to_string(c.width)},
                      {"num_classes", std::to_string(c.num_classes)}};
  // Written only when not 1, so that files from before latent diffusion read and write back unchanged.
  if (c.in_channels != 1) m["in_channels"] = std::to_string(c.in_channels);
  return m;
}

UNetConfig unet_config_from_map(const ModelConfigMap& config) {
  UNetConfig c;
  c.name = config_string(config, "unet_name");
  c.channels = config_int_list(config, "channels", 0, 4096);
  c.attention = config_int_list(config, "attention", 0, 4096);
  c.mid_attention = config_int(config, "mid_attention", 0, 1) != 0;
  c.layers = config_int(config, "layers", 1, 8);
  c.groups = config_int(config, "groups", 1, 1024);
  c.head_dim = config_int(config, "head_dim", 1, 4096);
  c.height = config_int(config, "height", 1, 4096);
  c.width = config_int(config, "width", 1, 4096);
  c.num_classes = config_int(config, "num_classes", 0, 100000);
  c.in_channels = config_int_or(config, "in_channels", 1, 64, 1);  // files before latent diffusion: 1
  validate(c);
  return c;
}

size_t UNet::count_params(const UNetConfig& c) {
  // The layout only: a checkpoint header's claimed architecture is counted without allocating its weights
  // (a 1616-channel header once cost 2 GB here before the payload size could refuse it).
  validate(c);
  UNet::Impl impl;
  std::vector<ParamBlock> layout;
  Registry r{&layout, &impl.inits, &impl.fans};
  impl.build(c, r);
  return layout.empty() ? 0
                        : layout.back().offset + layout.back().rows * static_cast<size_t>(layout.back().cols);
}

void UNet::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 3);
  std::vector<float> values(num_params());
  for (size_t i = 0; i < layout_.size(); ++i) {
    const ParamBlock& b = layout_[i];
    const double bound = 1.0 / std::sqrt(static_cast<double>(impl_->fans[i]));
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k) {
      float& v = values[b.offset + k];
      switch (impl_->inits[i]) {
        case Init::Uniform:
          v = static_cast<float>((2 * rng.uniform() - 1) * bound);
          break;
        case Init::One:
          v = 1.0f;
          break;
        case Init::Zero:
          v = 0.0f;
          break;
        case Init::Normal:
          v = static_cast<float>(rng.normal());
          break;
      }
    }
  }
  backend_.write(params_, values.data());
}

void UNet::ensure_batch(int batch) {
  if (batch == batch_) return;
  Arena count;
  impl_->allocate(count, batch);
  if (!act_storage_ || act_storage_->size < count.used) act_storage_ = backend_.create_storage(count.used);
  Arena real{act_storage_.get(), 0};
  impl_->allocate(real, batch);
  batch_ = batch;
}

void UNet::forward(const float* x, const float* t, const int* labels, int batch, float* out) {
  run_forward(x, t, labels, nullptr, batch, out);
}

void UNet::forward_rows(const float* x, const float* t, const float* rows, int batch, float* out) {
  run_forward(x, t, nullptr, rows, batch, out);
}

void UNet::run_forward(const float* x, const float* t, const int* labels, const float* rows, int batch,
                       float* out) {
  ensure_batch(batch);
  rows_given_ = rows != nullptr;
  Impl& m = *impl_;
  Impl::Context& c = m.ctx;
  c.params = active_params_;
  c.grads = grads_;
  Backend& be = backend_;
  // temb = Linear₂(SiLU(Linear₁(sinusoidal(t)))) (+ class row); every ResBlock reads SiLU(temb).
  be.write(m.t_in, t);
  be.sinusoidal_embedding(m.sinusoid, 0, m.t_in, 0, m.c0, 1.0f);
  be.linear_forward(m.time_h, m.sinusoid, c.param(m.time1_w), c.param(m.time1_b));
  be.activation_forward(Activation::Silu, m.time_h_act, m.time_h);
  be.linear_forward(m.temb, m.time_h_act, c.param(m.time2_w), c.param(m.time2_b));
  if (rows) {
    be.write(m.class_rows, rows);
    be.axpy(m.temb, 1.0f, m.class_rows);
  } else if (m.class_table >= 0) {
    for (int i = 0; i < batch; ++i) {
      const int label = labels ? labels[i] : -1;
      m.class_ids[i] = label < 0 || label >= config_.num_classes ? config_.num_classes : label;
    }
    be.embedding_forward(m.class_rows, c.param(m.class_table), m.class_ids.data());
    be.axpy(m.temb, 1.0f, m.class_rows);
  }
  be.activation_forward(Activation::Silu, c.temb_act, m.temb);
  be.write(m.nodes[0].out, x);
  controls_used_ = control_residuals_ != nullptr;
  for (size_t i = 1; i < m.nodes.size(); ++i) {
    Impl::Node& n = m.nodes[i];
    Tensor in = m.nodes[n.input].out, skip = n.skip >= 0 ? m.nodes[n.skip].out : Tensor{};
    if (controls_used_ && n.skip >= 0)
      for (size_t k = 0; k < m.controls.size(); ++k) {
        Impl::ControlPoint& cp = m.controls[k];
        if (cp.concat != static_cast<int>(i)) continue;
        be.copy(cp.sum, m.nodes[cp.source].out);
        be.axpy(cp.sum, control_scale_, (*control_residuals_)[k]);
        (cp.on_skip ? skip : in) = cp.sum;
      }
    n.out = n.module->forward(c, in, skip);
  }
  be.read(m.nodes.back().out, out);
}

std::vector<UNet::FeatureMap> UNet::feature_maps(int image, int max_channels) const {
  const Impl& m = *impl_;
  std::vector<FeatureMap> result;
  if (image < 0 || image >= batch_) return result;
  for (size_t i = 1; i < m.nodes.size(); ++i) {
    const Impl::Node& n = m.nodes[i];
    const Impl::Module* module = n.module.get();
    FeatureMap f;
    if (dynamic_cast<const Impl::Concat*>(module)) continue;
    f.kind = dynamic_cast<const Impl::ResBlock*>(module)    ? "resblock"
             : dynamic_cast<const Impl::Attention*>(module) ? "attention"
             : dynamic_cast<const Impl::Upsample*>(module)  ? "upsample"
             : dynamic_cast<const Impl::Norm*>(module)      ? "norm"
                                                            : "conv";
    f.side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(n.positions))));
    f.channels = n.channels;
    const int shown = std::min(max_channels, n.channels);
    // NHWC rows: position p of image b is row b·positions + p.
    std::vector<float> rows(static_cast<size_t>(n.positions) * n.channels);
    backend_.read(n.out.row_block(image * n.positions, n.positions), rows.data());
    f.maps.resize(static_cast<size_t>(shown) * n.positions);
    for (int ch = 0; ch < shown; ++ch)
      for (int p = 0; p < n.positions; ++p)
        f.maps[static_cast<size_t>(ch) * n.positions + p] = rows[static_cast<size_t>(p) * n.channels + ch];
    result.push_back(std::move(f));
  }
  return result;
}

std::vector<UNet::AttentionSite> UNet::attention_sites() const {
  std::vector<AttentionSite> out;
  for (const Impl::Node& n : impl_->nodes)
    if (const auto* a = dynamic_cast<const Impl::Attention*>(n.module.get()))
      out.push_back({a->channels, a->positions, a->heads});
  return out;
}

void UNet::set_attention_hook(AttentionHook* hook) {
  int site = 0;
  for (Impl::Node& n : impl_->nodes)
    if (auto* a = dynamic_cast<Impl::Attention*>(n.module.get())) a->site = site++;
  impl_->ctx.hook = hook;
}

void UNet::backward(const float* d_out) {
  backward_control(d_out, nullptr);
}

std::vector<UNet::ControlPointShape> UNet::control_points() const {
  std::vector<ControlPointShape> out;
  for (const Impl::ControlPoint& cp : impl_->controls)
    out.push_back({impl_->nodes[cp.source].positions, impl_->nodes[cp.source].channels});
  return out;
}

void UNet::set_control_residuals(const std::vector<Tensor>* residuals, float scale) {
  if (residuals && residuals->size() != impl_->controls.size())
    throw std::invalid_argument("one residual per control point");
  control_residuals_ = residuals;
  control_scale_ = scale;
}

Tensor UNet::control_gradient(int k) const {
  return impl_->controls.at(static_cast<size_t>(k)).d;
}

Tensor UNet::control_feature(int k) const {
  return impl_->nodes[impl_->controls.at(static_cast<size_t>(k)).source].out;
}

void UNet::backward_control(const float* d_out, const std::vector<Tensor>* d_features) {
  Impl& m = *impl_;
  Impl::Context& c = m.ctx;
  c.grads = grads_;
  Backend& be = backend_;
  for (size_t i = 0; i + 1 < m.nodes.size(); ++i) be.fill(m.nodes[i].d_out, 0.0f);
  if (d_out)
    be.write(m.nodes.back().d_out, d_out);
  else
    be.fill(m.nodes.back().d_out, 0.0f);
  if (d_features)
    for (size_t k = 0; k < m.controls.size() && k < d_features->size(); ++k)
      be.axpy(m.nodes[m.controls[k].source].d_out, 1.0f, (*d_features)[k]);
  be.fill(c.d_temb_act, 0.0f);
  for (size_t i = m.nodes.size() - 1; i >= 1; --i) {
    Impl::Node& n = m.nodes[i];
    Tensor d_in = m.nodes[n.input].d_out, d_skip = n.skip >= 0 ? m.nodes[n.skip].d_out : Tensor{};
    if (!controls_used_ || n.skip < 0) {
      n.module->backward(c, n.d_out, d_in, d_skip);
      continue;
    }
    // The concatenation read cp.sum: its gradient goes to cp.d, then on to the encoder's tensor.
    for (Impl::ControlPoint& cp : m.controls)
      if (cp.concat == static_cast<int>(i)) {
        be.fill(cp.d, 0.0f);
        (cp.on_skip ? d_skip : d_in) = cp.d;
      }
    n.module->backward(c, n.d_out, d_in, d_skip);
    for (Impl::ControlPoint& cp : m.controls)
      if (cp.concat == static_cast<int>(i)) be.axpy(m.nodes[cp.source].d_out, 1.0f, cp.d);
  }
  be.activation_backward(Activation::Silu, m.d_temb, c.d_temb_act, m.temb);
  if (m.class_table >= 0) {
    be.fill(c.grad(m.class_table), 0.0f);
    if (!rows_given_) be.embedding_backward(c.grad(m.class_table), m.d_temb, m.class_ids.data());
  }
  be.linear_backward(m.d_time_h_act, c.grad(m.time2_w), c.grad(m.time2_b), m.d_temb, m.time_h_act,
                     c.param(m.time2_w), false, false);
  be.activation_backward(Activation::Silu, m.d_time_h, m.d_time_h_act, m.time_h);
  be.linear_backward(Tensor{}, c.grad(m.time1_w), c.grad(m.time1_b), m.d_time_h, m.sinusoid,
                     c.param(m.time1_w), false, false);
}

void UNet::read_d_rows(float* d_rows) const {
  backend_.read(impl_->d_temb, d_rows);
}

void UNet::read_class_row(int label, float* row) const {
  const Impl& m = *impl_;
  if (m.class_table < 0) {
    std::fill(row, row + cond_dim(), 0.0f);
    return;
  }
  const int id = label < 0 || label >= config_.num_classes ? config_.num_classes : label;
  const ParamBlock& b = layout_[m.class_table];
  backend_.read(Tensor{active_params_.storage,
                       active_params_.offset + b.offset + static_cast<size_t>(id) * b.cols, 1, b.cols},
                row);
}

double UNet::forward_flops_per_image() const {
  if (batch_ == 0) {
    // Shapes need a batch size; lay out for one image.
    const_cast<UNet*>(this)->ensure_batch(1);
  }
  double total = 0;
  for (size_t i = 1; i < impl_->nodes.size(); ++i) total += impl_->nodes[i].module->flops_per_image();
  return total;
}

}  // namespace difflab
