// dit.cpp — the diffusion transformer's forward and hand-written backward over Backend ops (LayerNorm as a
// one-group GroupNorm per token, adaLN as scale_channels + add_channel_bias, attention as the U-Net's op).
// Not an autograd: the backward walks the blocks in reverse with the activations kept by forward.
#include "nn/dit.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {

bool dit_preset(const std::string& name, DiTConfig* c) {
  DiTConfig d;
  d.name = name;
  if (name == "classroom") {
    d.patch = 4;
  } else if (name == "small") {
    d.patch = 2;
  } else {
    return false;
  }
  *c = d;
  return true;
}

std::string describe(const DiTConfig& c) {
  std::ostringstream s;
  s << "DiT " << c.name << ": patch " << c.patch << " (" << (c.height / c.patch) * (c.width / c.patch)
    << " tokens), width " << c.hidden << ", depth " << c.depth << ", " << c.heads << " heads, MLP ×"
    << c.mlp_ratio;
  if (c.num_classes > 0) s << ", " << c.num_classes << " classes";
  if (c.in_channels != 1) s << ", " << c.in_channels << " channels in";
  return s.str();
}

void validate(const DiTConfig& c) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("DiT config: " + what); };
  if (c.hidden < 4 || c.hidden > 4096 || c.hidden % 4) fail("hidden must be a multiple of 4 in 4 … 4096");
  if (c.depth < 1 || c.depth > 64) fail("depth must be 1 … 64");
  if (c.heads < 1 || c.hidden % c.heads) fail("hidden must be a multiple of heads");
  if (c.patch < 1 || c.patch > 16) fail("patch must be 1 … 16");
  if (c.height < 1 || c.width < 1 || c.height % c.patch || c.width % c.patch)
    fail("the image size must be a multiple of the patch");
  if (c.mlp_ratio < 1 || c.mlp_ratio > 16) fail("mlp_ratio must be 1 … 16");
  if (c.in_channels < 1 || c.in_channels > 64) fail("in_channels must be 1 … 64");
  if (c.num_classes < 0 || c.num_classes > 100000) fail("num_classes out of range");
}

ModelConfigMap dit_config_map(const DiTConfig& c) {
  return {{"dit_name", c.name},
          {"hidden", std::to_string(c.hidden)},
          {"depth", std::to_string(c.depth)},
          {"heads", std::to_string(c.heads)},
          {"patch", std::to_string(c.patch)},
          {"mlp_ratio", std::to_string(c.mlp_ratio)},
          {"height", std::to_string(c.height)},
          {"width", std::to_string(c.width)},
          {"in_channels", std::to_string(c.in_channels)},
          {"num_classes", std::to_string(c.num_classes)}};
}

DiTConfig dit_config_from_map(const ModelConfigMap& m) {
  DiTConfig c;
  c.name = config_string(m, "dit_name");
  c.hidden = config_int(m, "hidden", 4, 4096);
  c.depth = config_int(m, "depth", 1, 64);
  c.heads = config_int(m, "heads", 1, 4096);
  c.patch = config_int(m, "patch", 1, 16);
  c.mlp_ratio = config_int(m, "mlp_ratio", 1, 16);
  c.height = config_int(m, "height", 1, 4096);
  c.width = config_int(m, "width", 1, 4096);
  c.in_channels = config_int(m, "in_channels", 1, 64);
  c.num_classes = config_int(m, "num_classes", 0, 100000);
  validate(c);
  return c;
}

namespace {

enum class Init { Xavier, Normal002, Zero };

// Per-block parameter indices into the layout; the six adaLN rows in DiT's order.
enum Mod { kShiftMsa, kScaleMsa, kGateMsa, kShiftMlp, kScaleMlp, kGateMlp };

struct Lin {
  int w = -1, b = -1;
};

}  // namespace

struct DiT::Impl {
  std::vector<Init> inits;
  std::vector<int> fan_in, fan_out;
  // Parameters.
  Lin embed, time1, time2, final_shift, final_scale, final_linear;
  int class_table = -1;
  struct Block {
    Lin mod[6], qkv, proj, fc1, fc2;
    // Activations (views into the activation storage).
    Tensor ln1, stats1, ln2, stats2, mods[6], ops1, ops2, m1, m2, qkv_out, probs, att, a, ga, x1, u, g, v, gv,
        x2;
  };
  std::vector<Block> blocks;
  // Shared activations and scratch.
  Tensor image, tok, x0, t_in, sinus, th, th_act, temb, class_rows, c, c_act;
  Tensor lnf, statsf, shiftf, scalef, opsf, mf, o, out_image;
  Tensor d_image, d_o, d_mf, d_lnf, d_x, d_tmp, d_m, d_ln, d_qkv, d_att, d_a, d_u, d_g, d_v, d_mods[6], d_ops,
      d_c_act, d_c, d_th_act, d_th, d_gamma, d_beta;
  Tensor ones, zeros, pos;  // constant: LayerNorm's γ = 1 and β = 0 [1, D], position embedding [T, D]
  std::vector<int> class_ids;
  int T = 0, D = 0, PC = 0;

  int add(std::vector<ParamBlock>& layout, const std::string& name, int rows, int cols, Init init) {
    const size_t offset =
        layout.empty() ? 0
                       : layout.back().offset + static_cast<size_t>(layout.back().rows) * layout.back().cols;
    layout.push_back(ParamBlock{name, offset, rows, cols});
    inits.push_back(init);
    fan_in.push_back(rows);
    fan_out.push_back(cols);
    return static_cast<int>(layout.size()) - 1;
  }
  Lin linear(std::vector<ParamBlock>& layout, const std::string& name, int in, int out, Init w_init) {
    Lin l;
    l.w = add(layout, name + ".weight", in, out, w_init);
    l.b = add(layout, name + ".bias", 1, out, Init::Zero);
    return l;
  }

  void build(const DiTConfig& cfg, std::vector<ParamBlock>& layout) {
    D = cfg.hidden;
    T = (cfg.height / cfg.patch) * (cfg.width / cfg.patch);
    PC = cfg.patch * cfg.patch * cfg.in_channels;
    embed = linear(layout, "x_embedder", PC, D, Init::Xavier);
    time1 = linear(layout, "t_embedder.linear_1", D, D, Init::Normal002);
    time2 = linear(layout, "t_embedder.linear_2", D, D, Init::Normal002);
    if (cfg.num_classes > 0) class_table = add(layout, "y_embedder", cfg.num_classes + 1, D, Init::Normal002);
    static const char* kModNames[6] = {"shift_msa", "scale_msa", "gate_msa",
                                       "shift_mlp", "scale_mlp", "gate_mlp"};
    blocks.resize(cfg.depth);
    for (int i = 0; i < cfg.depth; ++i) {
      Block& b = blocks[i];
      const std::string name = "blocks." + std::to_string(i);
      for (int k = 0; k < 6; ++k)
        b.mod[k] = linear(layout, name + ".adaLN." + kModNames[k], D, D, Init::Zero);
      b.qkv = linear(layout, name + ".attn.qkv", D, 3 * D, Init::Xavier);
      b.proj = linear(layout, name + ".attn.proj", D, D, Init::Xavier);
      b.fc1 = linear(layout, name + ".mlp.fc1", D, cfg.mlp_ratio * D, Init::Xavier);
      b.fc2 = linear(layout, name + ".mlp.fc2", cfg.mlp_ratio * D, D, Init::Xavier);
    }
    final_shift = linear(layout, "final_layer.adaLN.shift", D, D, Init::Zero);
    final_scale = linear(layout, "final_layer.adaLN.scale", D, D, Init::Zero);
    final_linear = linear(layout, "final_layer.linear", D, PC, Init::Zero);
  }

  // Lays out every activation for `batch` images in storage (nullptr: only counts). Returns the floats used.
  size_t allocate(Storage* storage, const DiTConfig& cfg, int batch) {
    size_t used = 0;
    auto take = [&](int rows, int cols) {
      Tensor t{storage, used, rows, cols};
      used += (static_cast<size_t>(rows) * cols + 15) / 16 * 16;
      return t;
    };
    const int N = batch * T, H = cfg.mlp_ratio * D, P = cfg.height * cfg.width;
    image = take(batch * P, cfg.in_channels);
    tok = take(N, PC);
    x0 = take(N, D);
    t_in = take(batch, 1);
    sinus = take(batch, D);
    th = take(batch, D);
    th_act = take(batch, D);
    temb = take(batch, D);
    class_rows = take(batch, D);
    c = take(batch, D);
    c_act = take(batch, D);
    for (Block& b : blocks) {
      b.ln1 = take(N, D), b.stats1 = take(N, 2), b.ln2 = take(N, D), b.stats2 = take(N, 2);
      for (Tensor& m : b.mods) m = take(batch, D);
      b.ops1 = take(batch, D), b.ops2 = take(batch, D);
      b.m1 = take(N, D), b.m2 = take(N, D), b.qkv_out = take(N, 3 * D);
      b.probs = take(batch * cfg.heads * T, T);
      b.att = take(N, D), b.a = take(N, D), b.ga = take(N, D), b.x1 = take(N, D);
      b.u = take(N, H), b.g = take(N, H), b.v = take(N, D), b.gv = take(N, D), b.x2 = take(N, D);
    }
    lnf = take(N, D), statsf = take(N, 2), shiftf = take(batch, D), scalef = take(batch, D);
    opsf = take(batch, D), mf = take(N, D), o = take(N, PC), out_image = take(batch * P, cfg.in_channels);
    d_image = take(batch * P, cfg.in_channels), d_o = take(N, PC), d_mf = take(N, D), d_lnf = take(N, D);
    d_x = take(N, D), d_tmp = take(N, D), d_m = take(N, D), d_ln = take(N, D), d_qkv = take(N, 3 * D);
    d_att = take(N, D), d_a = take(N, D), d_u = take(N, H), d_g = take(N, H), d_v = take(N, D);
    for (Tensor& m : d_mods) m = take(batch, D);
    d_ops = take(batch, D), d_c_act = take(batch, D), d_c = take(batch, D), d_th_act = take(batch, D);
    d_th = take(batch, D), d_gamma = take(1, D), d_beta = take(1, D);
    class_ids.resize(batch);
    return used;
  }
};

namespace {
size_t layout_floats(const std::vector<ParamBlock>& layout) {
  return layout.empty() ? 0
                        : layout.back().offset + layout.back().rows * static_cast<size_t>(layout.back().cols);
}
}  // namespace

DiT::DiT(const DiTConfig& config, Backend& backend) : config_(config), backend_(backend) {
  validate(config_);
  impl_ = std::make_unique<Impl>();
  impl_->build(config_, layout_);
  const size_t n = num_params();
  param_storage_ = backend_.create_storage(n);
  grad_storage_ = backend_.create_storage(n);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(n)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(n)};
  active_params_ = params_;
  // Constants: γ = 1, β = 0 of the affine-free LayerNorm, and the fixed 2-D sin-cos position embedding (the
  // first D/2 columns encode the token's row, the others its column; each half sin(pos·ω_k) then
  // cos(pos·ω_k), ω_k = 10000^(−k/(D/4)), k < D/4, as DiT's get_2d_sincos_pos_embed).
  const int D = config_.hidden, T = tokens(), tw = config_.width / config_.patch;
  const_storage_ = backend_.create_storage(2 * static_cast<size_t>(D) + static_cast<size_t>(T) * D + 16);
  Impl& m = *impl_;
  m.ones = Tensor{const_storage_.get(), 0, 1, D};
  m.zeros = Tensor{const_storage_.get(), static_cast<size_t>(D), 1, D};
  m.pos = Tensor{const_storage_.get(), 2 * static_cast<size_t>(D), T, D};
  std::vector<float> ones(D, 1.0f), pos(static_cast<size_t>(T) * D);
  const int quarter = D / 4;
  for (int tok = 0; tok < T; ++tok) {
    const double coord[2] = {static_cast<double>(tok / tw), static_cast<double>(tok % tw)};
    for (int axis = 0; axis < 2; ++axis)
      for (int k = 0; k < quarter; ++k) {
        const double omega = std::pow(10000.0, -static_cast<double>(k) / quarter);
        float* row = &pos[static_cast<size_t>(tok) * D + axis * (D / 2)];
        row[k] = static_cast<float>(std::sin(coord[axis] * omega));
        row[quarter + k] = static_cast<float>(std::cos(coord[axis] * omega));
      }
  }
  backend_.write(m.ones, ones.data());
  backend_.fill(m.zeros, 0.0f);
  backend_.write(m.pos, pos.data());
}

DiT::~DiT() = default;

size_t DiT::num_params() const {
  return layout_floats(layout_);
}

size_t dit_param_count(const DiTConfig& c) {
  validate(c);
  DiT::Impl impl;
  std::vector<ParamBlock> layout;
  impl.build(c, layout);
  return layout_floats(layout);
}

void DiT::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 14);
  std::vector<float> values(num_params());
  for (size_t i = 0; i < layout_.size(); ++i) {
    const ParamBlock& b = layout_[i];
    const double bound = std::sqrt(6.0 / (impl_->fan_in[i] + impl_->fan_out[i]));
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k) {
      float& v = values[b.offset + k];
      switch (impl_->inits[i]) {
        case Init::Xavier:
          v = static_cast<float>((2 * rng.uniform() - 1) * bound);
          break;
        case Init::Normal002:
          v = static_cast<float>(0.02 * rng.normal());
          break;
        case Init::Zero:
          v = 0.0f;
          break;
      }
    }
  }
  backend_.write(params_, values.data());
}

void DiT::ensure_batch(int batch) {
  if (batch == batch_) return;
  const size_t floats = impl_->allocate(nullptr, config_, batch);
  if (!act_storage_ || act_storage_->size < floats) act_storage_ = backend_.create_storage(floats);
  impl_->allocate(act_storage_.get(), config_, batch);
  batch_ = batch;
}

void DiT::forward(const float* x, const float* t, const int* labels, int batch, float* out) {
  run_forward(x, t, labels, nullptr, batch, out);
}

void DiT::forward_rows(const float* x, const float* t, const float* rows, int batch, float* out) {
  run_forward(x, t, nullptr, rows, batch, out);
}

namespace {
Tensor param_of(const Tensor& params, const std::vector<ParamBlock>& layout, int i) {
  const ParamBlock& b = layout[i];
  return Tensor{params.storage, params.offset + b.offset, b.rows, b.cols};
}
}  // namespace

void DiT::run_forward(const float* x, const float* t, const int* labels, const float* rows, int batch,
                      float* out) {
  ensure_batch(batch);
  rows_given_ = rows != nullptr;
  Impl& m = *impl_;
  Backend& be = backend_;
  const int N = batch * m.T, H = config_.height, W = config_.width, p = config_.patch;
  auto P = [&](int i) { return param_of(active_params_, layout_, i); };
  auto lin = [&](const Tensor& out_t, const Tensor& in, const Lin& l) {
    be.linear_forward(out_t, in, P(l.w), P(l.b));
  };
  // x·(1 + scale) + shift per image, ops = 1 + scale kept for backward.
  auto modulate = [&](const Tensor& out_t, const Tensor& in, const Tensor& ops, const Tensor& scale,
                      const Tensor& shift) {
    be.fill(ops, 1.0f);
    be.axpy(ops, 1.0f, scale);
    be.scale_channels_forward(out_t, in, ops, batch);
    be.add_channel_bias_forward(out_t, shift, batch);
  };
  auto layer_norm = [&](const Tensor& out_t, const Tensor& stats, const Tensor& in) {
    be.group_norm_forward(out_t, stats, in, m.ones, m.zeros, N, 1);
  };

  // Tokens.
  be.write(m.image, x);
  be.patchify(m.tok, m.image, batch, H, W, p);
  lin(m.x0, m.tok, m.embed);
  for (int b = 0; b < batch; ++b) be.axpy(m.x0.row_block(b * m.T, m.T), 1.0f, m.pos);
  // Conditioning c = t embedding + class row; every adaLN reads SiLU(c).
  be.write(m.t_in, t);
  be.sinusoidal_embedding(m.sinus, 0, m.t_in, 0, m.D, 1.0f);
  lin(m.th, m.sinus, m.time1);
  be.activation_forward(Activation::Silu, m.th_act, m.th);
  lin(m.temb, m.th_act, m.time2);
  be.copy(m.c, m.temb);
  if (rows) {
    be.write(m.class_rows, rows);
    be.axpy(m.c, 1.0f, m.class_rows);
  } else if (m.class_table >= 0) {
    for (int i = 0; i < batch; ++i) {
      const int label = labels ? labels[i] : -1;
      m.class_ids[i] = label < 0 || label >= config_.num_classes ? config_.num_classes : label;
    }
    be.embedding_forward(m.class_rows, P(m.class_table), m.class_ids.data());
    be.axpy(m.c, 1.0f, m.class_rows);
  }
  be.activation_forward(Activation::Silu, m.c_act, m.c);

  Tensor x_in = m.x0;
  for (Impl::Block& b : m.blocks) {
    for (int k = 0; k < 6; ++k) lin(b.mods[k], m.c_act, b.mod[k]);
    layer_norm(b.ln1, b.stats1, x_in);
    modulate(b.m1, b.ln1, b.ops1, b.mods[kScaleMsa], b.mods[kShiftMsa]);
    lin(b.qkv_out, b.m1, b.qkv);
    be.attention_forward(b.att, b.probs, b.qkv_out, batch, config_.heads);
    lin(b.a, b.att, b.proj);
    be.scale_channels_forward(b.ga, b.a, b.mods[kGateMsa], batch);
    be.copy(b.x1, x_in);
    be.axpy(b.x1, 1.0f, b.ga);
    layer_norm(b.ln2, b.stats2, b.x1);
    modulate(b.m2, b.ln2, b.ops2, b.mods[kScaleMlp], b.mods[kShiftMlp]);
    lin(b.u, b.m2, b.fc1);
    be.activation_forward(Activation::Gelu, b.g, b.u);
    lin(b.v, b.g, b.fc2);
    be.scale_channels_forward(b.gv, b.v, b.mods[kGateMlp], batch);
    be.copy(b.x2, b.x1);
    be.axpy(b.x2, 1.0f, b.gv);
    x_in = b.x2;
  }
  lin(m.shiftf, m.c_act, m.final_shift);
  lin(m.scalef, m.c_act, m.final_scale);
  layer_norm(m.lnf, m.statsf, x_in);
  modulate(m.mf, m.lnf, m.opsf, m.scalef, m.shiftf);
  lin(m.o, m.mf, m.final_linear);
  be.unpatchify(m.out_image, m.o, batch, H, W, p);
  be.read(m.out_image, out);
}

void DiT::backward(const float* d_out) {
  Impl& m = *impl_;
  Backend& be = backend_;
  const int batch = batch_, N = batch * m.T, H = config_.height, W = config_.width, p = config_.patch;
  auto P = [&](int i) { return param_of(active_params_, layout_, i); };
  auto G = [&](int i) { return param_of(grads_, layout_, i); };
  // ∂/∂in (overwritten, or skipped when d_in is empty) and the weight gradients of out = in·W + b.
  auto lin_back = [&](const Tensor& d_in, const Tensor& d_o, const Tensor& in, const Lin& l,
                      bool accumulate_in) {
    be.linear_backward(d_in, G(l.w), G(l.b), d_o, in, P(l.w), false, accumulate_in);
  };
  // out = in·ops + shift: d_shift, d_scale (= d_ops) and d_in.
  auto modulate_back = [&](const Tensor& d_in, const Tensor& d_scale, const Tensor& d_shift,
                           const Tensor& d_o, const Tensor& in, const Tensor& ops) {
    be.add_channel_bias_backward(d_shift, d_o, batch);
    be.scale_channels_backward(d_in, d_scale, d_o, in, ops, batch);
  };
  auto layer_norm_back = [&](const Tensor& d_in, const Tensor& d_o, const Tensor& in, const Tensor& stats) {
    be.group_norm_backward(d_in, m.d_gamma, m.d_beta, d_o, in, stats, m.ones, N, 1);
  };

  be.write(m.d_image, d_out);
  be.patchify(m.d_o, m.d_image, batch, H, W, p);
  be.fill(m.d_c_act, 0.0f);
  lin_back(m.d_mf, m.d_o, m.mf, m.final_linear, false);
  modulate_back(m.d_lnf, m.d_ops, m.d_mods[kShiftMsa], m.d_mf, m.lnf, m.opsf);
  lin_back(m.d_c_act, m.d_mods[kShiftMsa], m.c_act, m.final_shift, true);
  lin_back(m.d_c_act, m.d_ops, m.c_act, m.final_scale, true);
  const Tensor& x_last = m.blocks.back().x2;
  layer_norm_back(m.d_x, m.d_lnf, x_last, m.statsf);

  for (size_t i = m.blocks.size(); i-- > 0;) {
    Impl::Block& b = m.blocks[i];
    const Tensor& x_in = i == 0 ? m.x0 : m.blocks[i - 1].x2;
    // x2 = x1 + gate_mlp ⊙ v, v = fc2(GELU(fc1(m2))), m2 = LN(x1)·ops2 + shift_mlp.
    be.scale_channels_backward(m.d_v, m.d_mods[kGateMlp], m.d_x, b.v, b.mods[kGateMlp], batch);
    lin_back(m.d_g, m.d_v, b.g, b.fc2, false);
    be.activation_backward(Activation::Gelu, m.d_u, m.d_g, b.u);
    lin_back(m.d_m, m.d_u, b.m2, b.fc1, false);
    modulate_back(m.d_ln, m.d_mods[kScaleMlp], m.d_mods[kShiftMlp], m.d_m, b.ln2, b.ops2);
    layer_norm_back(m.d_tmp, m.d_ln, b.x1, b.stats2);
    be.axpy(m.d_x, 1.0f, m.d_tmp);  // ∂L/∂x1
    // x1 = x_in + gate_msa ⊙ proj(attn(qkv(m1))), m1 = LN(x_in)·ops1 + shift_msa.
    be.scale_channels_backward(m.d_a, m.d_mods[kGateMsa], m.d_x, b.a, b.mods[kGateMsa], batch);
    lin_back(m.d_att, m.d_a, b.att, b.proj, false);
    be.attention_backward(m.d_qkv, m.d_att, b.qkv_out, b.probs, batch, config_.heads);
    lin_back(m.d_m, m.d_qkv, b.m1, b.qkv, false);
    modulate_back(m.d_ln, m.d_mods[kScaleMsa], m.d_mods[kShiftMsa], m.d_m, b.ln1, b.ops1);
    layer_norm_back(m.d_tmp, m.d_ln, x_in, b.stats1);
    be.axpy(m.d_x, 1.0f, m.d_tmp);  // ∂L/∂x_in
    for (int k = 0; k < 6; ++k) lin_back(m.d_c_act, m.d_mods[k], m.c_act, b.mod[k], true);
  }
  lin_back(Tensor{}, m.d_x, m.tok, m.embed, false);
  be.activation_backward(Activation::Silu, m.d_c, m.d_c_act, m.c);
  if (m.class_table >= 0) {
    be.fill(G(m.class_table), 0.0f);
    if (!rows_given_) be.embedding_backward(G(m.class_table), m.d_c, m.class_ids.data());
  }
  lin_back(m.d_th_act, m.d_c, m.th_act, m.time2, false);
  be.activation_backward(Activation::Silu, m.d_th, m.d_th_act, m.th);
  lin_back(Tensor{}, m.d_th, m.sinus, m.time1, false);
}

void DiT::read_d_rows(float* d_rows) const {
  backend_.read(impl_->d_c, d_rows);
}

void DiT::read_class_row(int label, float* row) const {
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

double DiT::forward_flops_per_image() const {
  const double T = tokens(), D = config_.hidden, PC = impl_->PC, R = config_.mlp_ratio;
  const double block = 2 * T * (3 * D * D + D * D + 2 * R * D * D) + 4 * T * T * D + 2 * 6 * D * D;
  return 2 * T * PC * D + 2 * 2 * D * D + config_.depth * block + 2 * 2 * D * D + 2 * T * D * PC;
}

std::vector<float> DiT::attention_map(int block, int image) const {
  std::vector<float> result;
  if (block < 0 || block >= config_.depth || image < 0 || image >= batch_) return result;
  const int T = tokens(), heads = config_.heads;
  result.resize(static_cast<size_t>(heads) * T * T);
  backend_.read(impl_->blocks[block].probs.row_block(image * heads * T, heads * T), result.data());
  return result;
}

}  // namespace difflab
