// cond_mlp.cpp — forward and backward of the class-conditional 2-D MLP as backend ops (see cond_mlp.h), and
// its denoiser adapter. Not the loss: train/cond_objective.cpp turns outputs into d_out.
#include "nn/cond_mlp.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {
namespace {
int weight_index(int layer) {
  return 2 * layer;
}
int bias_index(int layer) {
  return 2 * layer + 1;
}
}  // namespace

size_t CondMlpModel::count_params(const CondMlpConfig& c) {
  const size_t W = c.mlp.width, E = c.mlp.embedding_size, L = c.mlp.depth, K = c.num_classes;
  return (3 * E * W + W) + L * (W * W + W) + (W * 2 + 2) + (K + 1) * W;
}

CondMlpModel::CondMlpModel(const CondMlpConfig& config, Backend& backend)
    : config_(config), backend_(backend) {
  const MlpConfig& m = config.mlp;
  if (m.width < 1 || m.width > 4096) throw std::invalid_argument("MLP width must be 1 … 4096");
  if (m.depth < 0 || m.depth > 64) throw std::invalid_argument("MLP depth must be 0 … 64");
  if (m.embedding_size < 4 || m.embedding_size % 2 != 0)
    throw std::invalid_argument("the embedding size must be even and at least 4");
  if (config.num_classes < 1 || config.num_classes > 1000)
    throw std::invalid_argument("the number of classes must be 1 … 1000");
  auto add_linear = [&](const std::string& name, int in, int out) {
    layout_.push_back({name + ".weight", num_params_, in, out});
    num_params_ += static_cast<size_t>(in) * out;
    layout_.push_back({name + ".bias", num_params_, 1, out});
    num_params_ += out;
  };
  add_linear("input", 3 * m.embedding_size, m.width);
  for (int i = 0; i < m.depth; ++i) add_linear("block" + std::to_string(i), m.width, m.width);
  add_linear("output", m.width, 2);
  layout_.push_back({"class_embedding", num_params_, config.num_classes + 1, m.width});
  num_params_ += static_cast<size_t>(config.num_classes + 1) * m.width;
  param_storage_ = backend.create_storage(num_params_);
  grad_storage_ = backend.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
}

// The 2-D MLP's keys (mlp.h) and the number of classes.
ModelConfigMap CondMlpModel::config_map() const {
  ModelConfigMap map = mlp_config_map(config_.mlp);
  map["num_classes"] = std::to_string(config_.num_classes);
  return map;
}

CondMlpConfig cond_mlp_config_from_map(const ModelConfigMap& map) {
  CondMlpConfig c;
  c.mlp = mlp_config_from_map(map);
  c.num_classes = config_int(map, "num_classes", 1, 1000);
  return c;
}

Tensor CondMlpModel::param(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor CondMlpModel::grad(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{grads_.storage, b.offset, b.rows, b.cols};
}

void CondMlpModel::init_params(uint64_t seed) {
  Rng rng(seed);
  std::vector<float> values(num_params_);
  const size_t linear_blocks = layout_.size() - 1;  // the last block is the class table
  for (size_t i = 0; i + 1 < linear_blocks; i += 2) {
    const ParamBlock& w = layout_[i];
    const double bound = 1.0 / std::sqrt(static_cast<double>(w.rows));  // PyTorch's Linear: fan_in = rows
    for (int k = 0; k < w.rows * w.cols; ++k)
      values[w.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
    const ParamBlock& b = layout_[i + 1];
    for (int k = 0; k < b.cols; ++k) values[b.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
  }
  // The class table starts at the input layer's bias scale, so a fresh model barely depends on the class.
  const ParamBlock& table = layout_.back();
  const double bound = 1.0 / std::sqrt(static_cast<double>(layout_[0].rows));
  for (int k = 0; k < table.rows * table.cols; ++k)
    values[table.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
  backend_.write(params_, values.data());
}

void CondMlpModel::ensure_batch(int batch) {
  if (batch < 1) throw std::invalid_argument("batch must be at least 1");
  batch_capacity_ = std::max(batch_capacity_, batch);
  const int B = batch_capacity_, W = config_.mlp.width, E = config_.mlp.embedding_size, L = config_.mlp.depth;
  const size_t needed =
      static_cast<size_t>(B) * (3 + 3 * E + W + 2 + 2 + 2 * W + 2 * W * (L + 1)) + 16 * (7 + 2 * (L + 1));
  if (!act_storage_ || act_storage_->size < needed) act_storage_ = backend_.create_storage(needed);
  size_t offset = 0;
  auto take = [&](int cols) {
    Tensor t{act_storage_.get(), offset, batch, cols};
    offset += (static_cast<size_t>(B) * cols + 15) / 16 * 16;
    return t;
  };
  input_ = take(3);
  embedding_ = take(3 * E);
  class_rows_ = take(W);
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

void CondMlpModel::forward(const float* input, const int* labels, int batch, float* out) {
  ensure_batch(batch);
  const MlpConfig& m = config_.mlp;
  const int E = m.embedding_size, L = m.depth, K = config_.num_classes;
  labels_.assign(labels, labels + batch);
  for (int& l : labels_)
    if (l < 0 || l > K) throw std::invalid_argument("class label out of range (0 … K, K = no class)");
  backend_.write(input_, input);
  backend_.sinusoidal_embedding(embedding_, 0, input_, 0, E, m.input_scale);
  backend_.sinusoidal_embedding(embedding_, E, input_, 1, E, m.input_scale);
  backend_.sinusoidal_embedding(embedding_, 2 * E, input_, 2, E, m.time_scale);
  backend_.linear_forward(z_[0], embedding_, param(weight_index(0)), param(bias_index(0)));
  const int table = static_cast<int>(layout_.size()) - 1;
  backend_.embedding_forward(class_rows_, param(table), labels_.data());
  backend_.axpy(z_[0], 1.0f, class_rows_);
  backend_.activation_forward(m.activation, h_[0], z_[0]);
  for (int i = 1; i <= L; ++i) {
    backend_.linear_forward(z_[i], h_[i - 1], param(weight_index(i)), param(bias_index(i)));
    backend_.activation_forward(m.activation, h_[i], z_[i]);
    backend_.axpy(h_[i], 1.0f, h_[i - 1]);
  }
  backend_.linear_forward(out_, h_[L], param(weight_index(L + 1)), param(bias_index(L + 1)));
  backend_.read(out_, out);
}

void CondMlpModel::backward(const float* d_out) {
  const MlpConfig& m = config_.mlp;
  const int L = m.depth;
  backend_.write(d_out_, d_out);
  backend_.linear_backward(d_h_, grad(weight_index(L + 1)), grad(bias_index(L + 1)), d_out_, h_[L],
                           param(weight_index(L + 1)), false, false);
  for (int i = L; i >= 1; --i) {
    backend_.activation_backward(m.activation, d_z_, d_h_, z_[i]);
    backend_.linear_backward(d_h_, grad(weight_index(i)), grad(bias_index(i)), d_z_, h_[i - 1],
                             param(weight_index(i)), false, true);
  }
  backend_.activation_backward(m.activation, d_z_, d_h_, z_[0]);
  backend_.linear_backward(Tensor{}, grad(weight_index(0)), grad(bias_index(0)), d_z_, embedding_,
                           param(weight_index(0)), false, false);
  const int table = static_cast<int>(layout_.size()) - 1;
  backend_.fill(grad(table), 0.0f);
  backend_.embedding_backward(grad(table), d_z_, labels_.data());
}

void CondMlpModel::predict(const float* xy, const int* labels, int n, float t, float* out) {
  for (int begin = 0; begin < n; begin += kInferenceChunk) {
    const int count = std::min(kInferenceChunk, n - begin);
    scratch_in_.resize(3 * static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      scratch_in_[3 * i] = xy[2 * static_cast<size_t>(begin + i)];
      scratch_in_[3 * i + 1] = xy[2 * static_cast<size_t>(begin + i) + 1];
      scratch_in_[3 * i + 2] = t;
    }
    forward(scratch_in_.data(), labels + begin, count, out + 2 * static_cast<size_t>(begin));
  }
}

void CondMlpDenoiser::predict_eps_rows(const float* xt, const int* labels, int n, int t, float* eps) {
  rows_labels_.resize(n);
  for (int i = 0; i < n; ++i) rows_labels_[i] = labels[i] < 0 ? model_.null_label() : labels[i];
  ParamsView view(model_, params_);
  model_.predict(xt, rows_labels_.data(), n, static_cast<float>(t), eps);
}

void CondMlpDenoiser::predict_eps_class(const float* xt, int n, int t, int label, float* eps) {
  rows_labels_.assign(n, label < 0 ? model_.null_label() : label);
  ParamsView view(model_, params_);
  model_.predict(xt, rows_labels_.data(), n, static_cast<float>(t), eps);
}

void CondMlpDenoiser::predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                                       float* eps_uncond) {
  const size_t half = 2 * static_cast<size_t>(n);
  rows_in_.resize(2 * half);
  rows_out_.resize(2 * half);
  rows_labels_.resize(2 * static_cast<size_t>(n));
  std::copy(xt, xt + half, rows_in_.begin());
  std::copy(xt, xt + half, rows_in_.begin() + half);
  for (int i = 0; i < n; ++i) {
    rows_labels_[i] = model_.null_label();
    rows_labels_[n + i] = label < 0 ? model_.null_label() : label;
  }
  {
    ParamsView view(model_, params_);
    model_.predict(rows_in_.data(), rows_labels_.data(), 2 * n, static_cast<float>(t), rows_out_.data());
  }
  std::copy(rows_out_.begin(), rows_out_.begin() + half, eps_uncond);
  std::copy(rows_out_.begin() + half, rows_out_.end(), eps_cond);
}

void CondMlpDenoiser::predict_eps_guided(const float* xt, int n, int t, int label, double gamma, float* eps) {
  if (gamma == 0.0 || label < 0) return predict_eps_class(xt, n, t, -1, eps);
  if (gamma == 1.0) return predict_eps_class(xt, n, t, label, eps);
  const size_t half = 2 * static_cast<size_t>(n);
  pair_cond_.resize(half);
  pair_uncond_.resize(half);
  predict_eps_pair(xt, n, t, label, pair_cond_.data(), pair_uncond_.data());
  for (size_t k = 0; k < half; ++k)
    eps[k] = static_cast<float>((1.0 - gamma) * pair_uncond_[k] + gamma * pair_cond_[k]);
}

}  // namespace difflab
