// autoencoder.cpp — the latent autoencoder's two convolution stacks, forward and backward, through Backend
// ops. Not an autograd: each stack walks its stages in reverse with two scratch buffers carrying the
// gradient.
#include "nn/autoencoder.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {

// One stage: [nearest ×2] → conv → [GroupNorm → SiLU].
struct StageSpec {
  bool upsample = false;
  int in_side = 0;  // of the conv's input (after the upsampling)
  int in = 1, out = 1, stride = 1, padding = 1;
  bool norm = true;
};

struct Autoencoder::Stack {
  struct Stage {
    StageSpec spec;
    ConvShape shape;
    size_t weight = 0, bias = 0, gamma = 0, beta = 0;  // indices into layout_
    Tensor up_out, conv_out, stats, norm_out, act_out;
    Tensor output() const { return spec.norm ? act_out : conv_out; }
  };
  Autoencoder& owner;
  std::vector<Stage> stages;
  int in_side = 0, in_channels = 1;
  std::unique_ptr<Storage> storage;
  Tensor input, d_output, scratch[2];
  int batch = 0;

  Stack(Autoencoder& o, const std::vector<StageSpec>& specs, int side, int channels, const std::string& name)
      : owner(o), in_side(side), in_channels(channels) {
    int index = 0;
    for (const StageSpec& s : specs) {
      Stage st;
      st.spec = s;
      st.shape = ConvShape{1, s.in_side, s.in_side, s.in, s.out, 3, s.stride, s.padding};
      const std::string prefix = name + ".conv" + std::to_string(index++);
      st.weight = owner.add_block(prefix + ".weight", 9 * s.in, s.out);
      st.bias = owner.add_block(prefix + ".bias", 1, s.out);
      if (s.norm) {
        st.gamma = owner.add_block(prefix + ".norm.gamma", 1, s.out);
        st.beta = owner.add_block(prefix + ".norm.beta", 1, s.out);
      }
      stages.push_back(st);
    }
  }
  int out_rows_per_image() const {
    const ConvShape& s = stages.back().shape;
    return s.out_height() * s.out_width();
  }
  int out_channels() const { return stages.back().shape.out_channels; }

  void ensure_batch(int b) {
    if (b == batch) return;
    const int groups = owner.config_.groups;
    size_t floats = static_cast<size_t>(b) * in_side * in_side * in_channels;
    size_t largest = floats;
    for (Stage& st : stages) {
      st.shape.batch = b;
      const size_t up =
          st.spec.upsample ? static_cast<size_t>(b) * st.spec.in_side * st.spec.in_side * st.spec.in : 0;
      const size_t out = static_cast<size_t>(b) * st.shape.out_height() * st.shape.out_width() * st.spec.out;
      floats += up + (st.spec.norm ? 3 : 1) * out + (st.spec.norm ? 2 * static_cast<size_t>(b) * groups : 0);
      largest = std::max({largest, up, out});
    }
    const size_t out_size = static_cast<size_t>(b) * out_rows_per_image() * out_channels();
    floats += 2 * largest + out_size;
    if (!storage || storage->size < floats) storage = owner.backend_.create_storage(floats);  // grow only
    size_t used = 0;
    auto take = [&](size_t rows, int cols) {
      Tensor t{storage.get(), used, static_cast<int>(rows), cols};
      used += t.size();
      return t;
    };
    input = take(static_cast<size_t>(b) * in_side * in_side, in_channels);
    for (Stage& st : stages) {
      if (st.spec.upsample)
        st.up_out = take(static_cast<size_t>(b) * st.spec.in_side * st.spec.in_side, st.spec.in);
      const size_t rows = static_cast<size_t>(b) * st.shape.out_height() * st.shape.out_width();
      st.conv_out = take(rows, st.spec.out);
      if (st.spec.norm) {
        st.norm_out = take(rows, st.spec.out);
        st.act_out = take(rows, st.spec.out);
        st.stats = take(static_cast<size_t>(b) * groups, 2);
      }
    }
    scratch[0] = take(1, static_cast<int>(largest));
    scratch[1] = take(1, static_cast<int>(largest));
    d_output = take(static_cast<size_t>(b) * out_rows_per_image(), out_channels());
    batch = b;
  }

  void forward(const float* x, int b, float* out) {
    ensure_batch(b);
    Backend& be = owner.backend_;
    be.write(input, x);
    Tensor in = input;
    int side = in_side;
    for (Stage& st : stages) {
      if (st.spec.upsample) {
        be.upsample_nearest2x_forward(st.up_out, in, b, side, side);
        in = st.up_out;
      }
      be.conv2d_forward(st.conv_out, in, owner.param(st.weight), owner.param(st.bias), st.shape);
      if (st.spec.norm) {
        be.group_norm_forward(st.norm_out, st.stats, st.conv_out, owner.param(st.gamma), owner.param(st.beta),
                              b, owner.config_.groups);
        be.activation_forward(Activation::Silu, st.act_out, st.norm_out);
      }
      in = st.output();
      side = st.shape.out_height();
    }
    be.read(in, out);
  }

  // Parameter gradients (overwritten) from d_out; d_in (may be null) = ∂/∂input.
  void backward(const float* d_out, float* d_in) {
    Backend& be = owner.backend_;
    be.write(d_output, d_out);
    auto view = [&](int which, const Tensor& like) {
      return Tensor{scratch[which].storage, scratch[which].offset, like.rows, like.cols};
    };
    // The scratch buffer that `busy` does not occupy (d_output is neither).
    auto free_index = [&](const Tensor& busy) { return busy.offset == scratch[0].offset ? 1 : 0; };
    Tensor d_cur = d_output;  // ∂/∂ the current stage's output
    for (int i = static_cast<int>(stages.size()) - 1; i >= 0; --i) {
      const Stage& st = stages[i];
      Tensor d_conv = d_cur;
      if (st.spec.norm) {
        const Tensor d_norm = view(free_index(d_cur), st.norm_out);
        be.activation_backward(Activation::Silu, d_norm, d_cur, st.norm_out);
        d_conv = view(free_index(d_norm), st.conv_out);
        be.group_norm_backward(d_conv, owner.grad(st.gamma), owner.grad(st.beta), d_norm, st.conv_out,
                               st.stats, owner.param(st.gamma), batch, owner.config_.groups);
      }
      const Tensor prev = i > 0 ? stages[i - 1].output() : input;
      const Tensor conv_in = st.spec.upsample ? st.up_out : prev;
      const bool need_in = i > 0 || d_in != nullptr;
      const Tensor d_conv_in = need_in ? view(free_index(d_conv), conv_in) : Tensor{};
      be.conv2d_backward(d_conv_in, owner.grad(st.weight), owner.grad(st.bias), d_conv, conv_in,
                         owner.param(st.weight), st.shape, false);
      d_cur = d_conv_in;
      if (st.spec.upsample && need_in) {
        const Tensor d_prev = view(free_index(d_cur), prev);
        be.upsample_nearest2x_backward(d_prev, d_cur, batch, st.spec.in_side / 2, st.spec.in_side / 2);
        d_cur = d_prev;
      }
    }
    if (d_in) be.read(d_cur, d_in);
  }
};

namespace {

std::vector<StageSpec> encoder_specs(const AutoencoderConfig& c) {
  const int c0 = c.channels[0], c1 = c.channels[1];
  return {{false, 28, 1, c0, 1, 1, true},
          {false, 28, c0, c1, 2, 1, true},
          {false, 14, c1, c1, 2, 2, true},  // (14 + 4 − 3)/2 + 1 = 8
          {false, 8, c1, 2 * c.latent_channels, 1, 1, false}};
}

std::vector<StageSpec> decoder_specs(const AutoencoderConfig& c) {
  const int c0 = c.channels[0], c1 = c.channels[1];
  return {{false, 8, c.latent_channels, c1, 1, 1, true},
          {true, 16, c1, c1, 1, 0, true},  // 16 − 3 + 1 = 14
          {true, 28, c1, c0, 1, 1, true},
          {false, 28, c0, 1, 1, 1, false}};
}

}  // namespace

std::string describe(const AutoencoderConfig& c) {
  std::ostringstream s;
  s << "autoencoder: channels " << config_format_list(c.channels) << ", GroupNorm " << c.groups << ", latent "
    << c.latent_channels << "x" << kAutoencoderLatentSide << "x" << kAutoencoderLatentSide;
  return s.str();
}

void validate(const AutoencoderConfig& c) {
  if (c.channels.size() != 2)
    throw std::invalid_argument("the autoencoder has exactly 2 channel counts (c0, c1)");
  for (int ch : c.channels)
    if (ch < 1 || c.groups < 1 || ch % c.groups != 0)
      throw std::invalid_argument("autoencoder channels " + std::to_string(ch) + " do not divide into " +
                                  std::to_string(c.groups) + " GroupNorm groups");
  if (c.latent_channels < 1 || c.latent_channels > 64)
    throw std::invalid_argument("autoencoder latent channels must be 1 … 64");
}

ModelConfigMap autoencoder_config_map(const AutoencoderConfig& c) {
  return {{"ae_channels", config_format_list(c.channels)},
          {"latent_channels", std::to_string(c.latent_channels)},
          {"groups", std::to_string(c.groups)}};
}

AutoencoderConfig autoencoder_config_from_map(const ModelConfigMap& config) {
  AutoencoderConfig c;
  c.channels = config_int_list(config, "ae_channels", 1, 4096);
  c.latent_channels = config_int(config, "latent_channels", 1, 64);
  c.groups = config_int(config, "groups", 1, 1024);
  validate(c);
  return c;
}

size_t autoencoder_param_count(const AutoencoderConfig& c) {
  validate(c);
  size_t n = 0;
  for (const auto& specs : {encoder_specs(c), decoder_specs(c)})
    for (const StageSpec& s : specs)
      n += 9 * static_cast<size_t>(s.in) * s.out + (s.norm ? 3 : 1) * static_cast<size_t>(s.out);
  return n;
}

size_t Autoencoder::add_block(const std::string& name, int rows, int cols) {
  layout_.push_back({name, num_params_, rows, cols});
  num_params_ += static_cast<size_t>(rows) * cols;
  return layout_.size() - 1;
}

Tensor Autoencoder::param(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor Autoencoder::grad(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{grads_.storage, grads_.offset + b.offset, b.rows, b.cols};
}

Autoencoder::Autoencoder(const AutoencoderConfig& config, Backend& backend)
    : config_(config), backend_(backend) {
  validate(config_);
  encoder_ = std::make_unique<Stack>(*this, encoder_specs(config_), kAutoencoderImageSide, 1, "encoder");
  decoder_ = std::make_unique<Stack>(*this, decoder_specs(config_), kAutoencoderLatentSide,
                                     config_.latent_channels, "decoder");
  param_storage_ = backend_.create_storage(num_params_);
  grad_storage_ = backend_.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
}

Autoencoder::~Autoencoder() = default;

void Autoencoder::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 17);
  std::vector<float> values(num_params_);
  auto uniform = [&](size_t block, double fan_in) {
    const ParamBlock& b = layout_[block];
    const double bound = 1.0 / std::sqrt(fan_in);
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k)
      values[b.offset + k] = static_cast<float>((2 * rng.uniform() - 1) * bound);
  };
  for (Stack* stack : {encoder_.get(), decoder_.get()})
    for (const Stack::Stage& st : stack->stages) {
      const double fan_in = 9.0 * st.spec.in;
      uniform(st.weight, fan_in);
      uniform(st.bias, fan_in);
      if (st.spec.norm)
        std::fill_n(values.begin() + static_cast<std::ptrdiff_t>(layout_[st.gamma].offset),
                    layout_[st.gamma].cols, 1.0f);
    }
  backend_.write(params_, values.data());
}

void Autoencoder::encode(const float* x, int batch, float* moments) {
  encoder_->forward(x, batch, moments);
}
void Autoencoder::decode(const float* z, int batch, float* x_hat) {
  decoder_->forward(z, batch, x_hat);
}
void Autoencoder::backward_decoder(const float* d_x_hat, float* d_z) {
  decoder_->backward(d_x_hat, d_z);
}
void Autoencoder::backward_encoder(const float* d_moments) {
  encoder_->backward(d_moments, nullptr);
}

void Autoencoder::split_moments(const float* moments, int batch, float* mu, float* log_var) const {
  const int z = config_.latent_channels, P = kAutoencoderLatentSide * kAutoencoderLatentSide;
  for (int b = 0; b < batch; ++b)
    for (int p = 0; p < P; ++p)
      for (int c = 0; c < z; ++c) {
        const size_t src = (static_cast<size_t>(b) * P + p) * 2 * z + c;
        const size_t dst = (static_cast<size_t>(b) * P + p) * z + c;
        if (mu) mu[dst] = moments[src];
        if (log_var) log_var[dst] = moments[src + z];
      }
}

}  // namespace difflab
