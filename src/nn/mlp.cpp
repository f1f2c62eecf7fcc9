// mlp.cpp — forward and backward of the 2-D MLP denoiser as a sequence of backend ops (see mlp.h).
// Not the loss: the trainer turns outputs into d_out.
#include "nn/mlp.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {
namespace {
// Parameter indices: 2 per linear layer (weight, bias). Layer 0 is the input layer, 1 … depth the
// blocks, depth + 1 the output layer.
int weight_index(int layer) {
  return 2 * layer;
}
int bias_index(int layer) {
  return 2 * layer + 1;
}
}  // namespace

ModelConfigMap mlp_config_map(const MlpConfig& c) {
  return {{"width", std::to_string(c.width)},
          {"depth", std::to_string(c.depth)},
          {"embedding_size", std::to_string(c.embedding_size)},
          {"input_scale", config_format_double(c.input_scale)},
          {"time_scale", config_format_double(c.time_scale)},
          {"activation", activation_name(c.activation)}};
}

MlpConfig mlp_config_from_map(const ModelConfigMap& config) {
  MlpConfig c;
  c.width = config_int(config, "width", 1, 4096);
  c.depth = config_int(config, "depth", 0, 64);
  c.embedding_size = config_int(config, "embedding_size", 4, 4096);
  if (c.embedding_size % 2) throw std::invalid_argument("model config: 'embedding_size' must be even");
  c.input_scale = static_cast<float>(config_double(config, "input_scale", -1e6, 1e6));
  c.time_scale = static_cast<float>(config_double(config, "time_scale", -1e6, 1e6));
  const std::string activation = config_string(config, "activation");
  if (!parse_activation(activation, &c.activation))
    throw std::invalid_argument("model config: unknown activation '" + activation + "'");
  return c;
}

size_t mlp_param_count(const MlpConfig& c) {
  const size_t E = c.embedding_size, W = c.width, L = c.depth;
  return 3 * E * W + W + L * (W * W + W) + W * 2 + 2;
}

MlpModel::MlpModel(const MlpConfig& config, Backend& backend) : config_(config), backend_(backend) {
  if (config.width < 1 || config.width > 4096) throw std::invalid_argument("MLP width must be 1 … 4096");
  if (config.depth < 0 || config.depth > 64) throw std::invalid_argument("MLP depth must be 0 … 64");
  if (config.embedding_size < 4 || config.embedding_size % 2 != 0)
    throw std::invalid_argument("the embedding size must be even and at least 4");
  auto add_linear = [&](const std::string& name, int in, int out) {
    layout_.push_back({name + ".weight", num_params_, in, out});
    num_params_ += static_cast<size_t>(in) * out;
    layout_.push_back({name + ".bias", num_params_, 1, out});
    num_params_ += out;
  };
  add_linear("input", 3 * config.embedding_size, config.width);
  for (int i = 0; i < config.depth; ++i) add_linear("block" + std::to_string(i), config.width, config.width);
  add_linear("output", config.width, 2);
  param_storage_ = backend.create_storage(num_params_);
  grad_storage_ = backend.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
  shared_storage_ = backend.create_storage(1 + config.embedding_size + config.width);
  shared_t_in_ = Tensor{shared_storage_.get(), 0, 1, 1};
  shared_t_embedding_ = Tensor{shared_storage_.get(), 1, 1, config.embedding_size};
  shared_bias_ =
      Tensor{shared_storage_.get(), 1 + static_cast<size_t>(config.embedding_size), 1, config.width};
}

Tensor MlpModel::param(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor MlpModel::grad(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{grads_.storage, b.offset, b.rows, b.cols};
}

void MlpModel::init_params(uint64_t seed) {
  Rng rng(seed);
  std::vector<float> values(num_params_);
  for (size_t i = 0; i + 1 < layout_.size(); i += 2) {
    const ParamBlock& w = layout_[i];
    const double bound = 1.0 / std::sqrt(static_cast<double>(w.rows));  // fan_in = rows
    for (int k = 0; k < w.rows * w.cols; ++k)
      values[w.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
    const ParamBlock& b = layout_[i + 1];
    for (int k = 0; k < b.cols; ++k) values[b.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
  }
  backend_.write(params_, values.data());
}

void MlpModel::ensure_batch(int batch) {
  if (batch < 1) throw std::invalid_argument("batch must be at least 1");
  batch_ = batch;
  batch_capacity_ = std::max(batch_capacity_, batch);  // storage only grows; smaller batches re-view it
  const int B = batch_capacity_, W = config_.width, E = config_.embedding_size, L = config_.depth;
  const size_t needed =
      static_cast<size_t>(B) * (3 + 3 * E + 2 + 2 + 2 * W + 2 * W * (L + 1)) + 16 * (6 + 2 * (L + 1));
  if (!act_storage_ || act_storage_->size < needed) act_storage_ = backend_.create_storage(needed);
  size_t offset = 0;
  auto take = [&](int cols) {
    Tensor t{act_storage_.get(), offset, batch, cols};
    offset += (static_cast<size_t>(B) * cols + 15) / 16 * 16;  // keep every activation 64-byte aligned
    return t;
  };
  input_ = take(3);
  embedding_ = take(3 * E);
  out_ = take(2);
  d_out_ = take(2);
  d_h_ = take(W);
  d_z_ = take(W);
  z_.resize(L + 1);
  h_.resize(L + 1);
  for (int i = 0; i <= L; ++i) {
    z_[i] = take(W);
    h_[i] = take(W);
  }
}

void MlpModel::hidden_stack_forward() {
  const int L = config_.depth;
  backend_.activation_forward(config_.activation, h_[0], z_[0]);
  for (int i = 1; i <= L; ++i) {
    // hᵢ = hᵢ₋₁ + act(Linear(hᵢ₋₁))
    backend_.linear_forward(z_[i], h_[i - 1], param(weight_index(i)), param(bias_index(i)));
    backend_.activation_forward(config_.activation, h_[i], z_[i]);
    backend_.axpy(h_[i], 1.0f, h_[i - 1]);
  }
  backend_.linear_forward(out_, h_[L], param(weight_index(L + 1)), param(bias_index(L + 1)));
}

void MlpModel::forward(const float* input, int batch, float* out) {
  ensure_batch(batch);
  const int E = config_.embedding_size;
  backend_.write(input_, input);
  backend_.sinusoidal_embedding(embedding_, 0, input_, 0, E, config_.input_scale);
  backend_.sinusoidal_embedding(embedding_, E, input_, 1, E, config_.input_scale);
  backend_.sinusoidal_embedding(embedding_, 2 * E, input_, 2, E, config_.time_scale);
  backend_.linear_forward(z_[0], embedding_, param(weight_index(0)), param(bias_index(0)));
  hidden_stack_forward();
  backend_.read(out_, out);
}

void MlpModel::forward_shared_t(const float* xy, int batch, float t, float* out) {
  // Inference keeps no activations for backward(), so it runs in fixed-size chunks: the activation storage
  // (≈ 1,700 floats per point at the default size) stays the same whatever n is. Rows are independent, so
  // the result is the same bytes as one big batch.
  for (int begin = 0; begin < batch; begin += kInferenceChunk) {
    const int count = std::min(kInferenceChunk, batch - begin);
    forward_shared_t_chunk(xy + 2 * static_cast<size_t>(begin), count, t,
                           out + 2 * static_cast<size_t>(begin));
  }
}

void MlpModel::forward_shared_t_chunk(const float* xy, int batch, float t, float* out) {
  ensure_batch(batch);
  const int E = config_.embedding_size;
  // The input layer splits as [e_x, e_y]·W₀[0:2E] + (e_t·W₀[2E:3E] + b₀); the bracket is one row.
  const Tensor w0 = param(weight_index(0));
  backend_.write(shared_t_in_, &t);
  backend_.sinusoidal_embedding(shared_t_embedding_, 0, shared_t_in_, 0, E, config_.time_scale);
  backend_.linear_forward(shared_bias_, shared_t_embedding_, w0.row_block(2 * E, E), param(bias_index(0)));
  const Tensor xy_in{input_.storage, input_.offset, batch, 2};
  const Tensor xy_embedding{embedding_.storage, embedding_.offset, batch, 2 * E};
  backend_.write(xy_in, xy);
  backend_.sinusoidal_embedding(xy_embedding, 0, xy_in, 0, E, config_.input_scale);
  backend_.sinusoidal_embedding(xy_embedding, E, xy_in, 1, E, config_.input_scale);
  backend_.linear_forward(z_[0], xy_embedding, w0.row_block(0, 2 * E), shared_bias_);
  hidden_stack_forward();
  backend_.read(out_, out);
}

void MlpModel::backward(const float* d_out) {
  const int L = config_.depth;
  backend_.write(d_out_, d_out);
  // Output layer: d_h = d_out · W_outᵀ.
  backend_.linear_backward(d_h_, grad(weight_index(L + 1)), grad(bias_index(L + 1)), d_out_, h_[L],
                           param(weight_index(L + 1)), false, false);
  for (int i = L; i >= 1; --i) {
    // hᵢ = hᵢ₋₁ + act(zᵢ): d_hᵢ₋₁ = d_hᵢ + (act'(zᵢ) ⊙ d_hᵢ)·Wᵢᵀ.
    backend_.activation_backward(config_.activation, d_z_, d_h_, z_[i]);
    backend_.linear_backward(d_h_, grad(weight_index(i)), grad(bias_index(i)), d_z_, h_[i - 1],
                             param(weight_index(i)), false, true);
  }
  backend_.activation_backward(config_.activation, d_z_, d_h_, z_[0]);
  backend_.linear_backward(Tensor{}, grad(weight_index(0)), grad(bias_index(0)), d_z_, embedding_,
                           param(weight_index(0)), false, false);
}

}  // namespace difflab
