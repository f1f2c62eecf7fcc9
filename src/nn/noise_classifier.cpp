// noise_classifier.cpp — forward and backward (to the parameters and to the input) of the noise-conditional
// 2-D classifier (see noise_classifier.h). Not the loss: train/cond_objective.cpp computes cross-entropy.
#include "nn/noise_classifier.h"

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

size_t NoiseClassifierModel::count_params(const NoiseClassifierConfig& c) {
  const size_t W = c.mlp.width, E = c.mlp.embedding_size, L = c.mlp.depth, K = c.num_classes;
  return (3 * E * W + W) + L * (W * W + W) + (W * K + K);
}

NoiseClassifierModel::NoiseClassifierModel(const NoiseClassifierConfig& config, Backend& backend)
    : config_(config), backend_(backend) {
  const MlpConfig& m = config.mlp;
  if (m.width < 1 || m.width > 4096) throw std::invalid_argument("MLP width must be 1 … 4096");
  if (m.depth < 0 || m.depth > 64) throw std::invalid_argument("MLP depth must be 0 … 64");
  if (m.embedding_size < 4 || m.embedding_size % 2 != 0)
    throw std::invalid_argument("the embedding size must be even and at least 4");
  if (config.num_classes < 2 || config.num_classes > 1000)
    throw std::invalid_argument("a classifier needs 2 … 1000 classes");
  auto add_linear = [&](const std::string& name, int in, int out) {
    layout_.push_back({name + ".weight", num_params_, in, out});
    num_params_ += static_cast<size_t>(in) * out;
    layout_.push_back({name + ".bias", num_params_, 1, out});
    num_params_ += out;
  };
  add_linear("input", 3 * m.embedding_size, m.width);
  for (int i = 0; i < m.depth; ++i) add_linear("block" + std::to_string(i), m.width, m.width);
  add_linear("output", m.width, config.num_classes);
  param_storage_ = backend.create_storage(num_params_);
  grad_storage_ = backend.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
}

// The 2-D MLP's keys (mlp.h) and the number of classes.
ModelConfigMap NoiseClassifierModel::config_map() const {
  ModelConfigMap map = mlp_config_map(config_.mlp);
  map["num_classes"] = std::to_string(config_.num_classes);
  return map;
}

NoiseClassifierConfig noise_classifier_config_from_map(const ModelConfigMap& map) {
  NoiseClassifierConfig c;
  c.mlp = mlp_config_from_map(map);
  c.num_classes = config_int(map, "num_classes", 2, 1000);
  return c;
}

Tensor NoiseClassifierModel::param(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor NoiseClassifierModel::grad(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{grads_.storage, b.offset, b.rows, b.cols};
}

void NoiseClassifierModel::init_params(uint64_t seed) {
  Rng rng(seed);
  std::vector<float> values(num_params_);
  for (size_t i = 0; i + 1 < layout_.size(); i += 2) {
    const ParamBlock& w = layout_[i];
    const double bound = 1.0 / std::sqrt(static_cast<double>(w.rows));
    for (int k = 0; k < w.rows * w.cols; ++k)
      values[w.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
    const ParamBlock& b = layout_[i + 1];
    for (int k = 0; k < b.cols; ++k) values[b.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
  }
  backend_.write(params_, values.data());
}

void NoiseClassifierModel::ensure_batch(int batch) {
  if (batch < 1) throw std::invalid_argument("batch must be at least 1");
  batch_capacity_ = std::max(batch_capacity_, batch);
  const int B = batch_capacity_, W = config_.mlp.width, E = config_.mlp.embedding_size, L = config_.mlp.depth,
            K = config_.num_classes;
  const size_t needed =
      static_cast<size_t>(B) * (3 + 6 * E + 2 * K + 2 * W + 2 * W * (L + 1)) + 16 * (7 + 2 * (L + 1));
  if (!act_storage_ || act_storage_->size < needed) act_storage_ = backend_.create_storage(needed);
  size_t offset = 0;
  auto take = [&](int cols) {
    Tensor t{act_storage_.get(), offset, batch, cols};
    offset += (static_cast<size_t>(B) * cols + 15) / 16 * 16;
    return t;
  };
  input_ = take(3);
  embedding_ = take(3 * E);
  d_embedding_ = take(3 * E);
  out_ = take(K);
  d_out_ = take(K);
  d_h_ = take(W);
  d_z_ = take(W);
  z_.resize(L + 1);
  h_.resize(L + 1);
  for (int i = 0; i <= L; ++i) {
    z_[i] = take(W);
    h_[i] = take(W);
  }
}

void NoiseClassifierModel::forward(const float* input, int batch, float* logits) {
  ensure_batch(batch);
  const MlpConfig& m = config_.mlp;
  const int E = m.embedding_size, L = m.depth;
  host_input_.assign(input, input + 3 * static_cast<size_t>(batch));
  backend_.write(input_, input);
  backend_.sinusoidal_embedding(embedding_, 0, input_, 0, E, m.input_scale);
  backend_.sinusoidal_embedding(embedding_, E, input_, 1, E, m.input_scale);
  backend_.sinusoidal_embedding(embedding_, 2 * E, input_, 2, E, m.time_scale);
  backend_.linear_forward(z_[0], embedding_, param(weight_index(0)), param(bias_index(0)));
  backend_.activation_forward(m.activation, h_[0], z_[0]);
  for (int i = 1; i <= L; ++i) {
    backend_.linear_forward(z_[i], h_[i - 1], param(weight_index(i)), param(bias_index(i)));
    backend_.activation_forward(m.activation, h_[i], z_[i]);
    backend_.axpy(h_[i], 1.0f, h_[i - 1]);
  }
  backend_.linear_forward(out_, h_[L], param(weight_index(L + 1)), param(bias_index(L + 1)));
  backend_.read(out_, logits);
}

void NoiseClassifierModel::backward(const float* d_logits, float* d_input) {
  const MlpConfig& m = config_.mlp;
  const int L = m.depth, E = m.embedding_size, B = input_.rows;
  backend_.write(d_out_, d_logits);
  backend_.linear_backward(d_h_, grad(weight_index(L + 1)), grad(bias_index(L + 1)), d_out_, h_[L],
                           param(weight_index(L + 1)), false, false);
  for (int i = L; i >= 1; --i) {
    backend_.activation_backward(m.activation, d_z_, d_h_, z_[i]);
    backend_.linear_backward(d_h_, grad(weight_index(i)), grad(bias_index(i)), d_z_, h_[i - 1],
                             param(weight_index(i)), false, true);
  }
  backend_.activation_backward(m.activation, d_z_, d_h_, z_[0]);
  backend_.linear_backward(d_input ? d_embedding_ : Tensor{}, grad(weight_index(0)), grad(bias_index(0)),
                           d_z_, embedding_, param(weight_index(0)), false, false);
  if (!d_input) return;
  // emb[k] = sin(s·x·f_k), emb[half + k] = cos(s·x·f_k), f_k = exp(−ln(10000)·k/(half − 1)) (backend.h):
  // ∂/∂x = Σ_k s f_k (d_emb[k] cos(s x f_k) − d_emb[half + k] sin(s x f_k)).
  host_d_embedding_.resize(static_cast<size_t>(B) * 3 * E);
  backend_.read(d_embedding_, host_d_embedding_.data());
  const int half = E / 2;
  const double step = half > 1 ? std::log(10000.0) / (half - 1) : 0.0, s = m.input_scale;
  for (int r = 0; r < B; ++r)
    for (int c = 0; c < 2; ++c) {
      const double x = host_input_[3 * static_cast<size_t>(r) + c];
      const float* d = host_d_embedding_.data() + static_cast<size_t>(r) * 3 * E + c * E;
      double sum = 0;
      for (int k = 0; k < half; ++k) {
        const double f = std::exp(-step * k), a = s * x * f;
        sum += s * f * (d[k] * std::cos(a) - d[half + k] * std::sin(a));
      }
      d_input[2 * static_cast<size_t>(r) + c] = static_cast<float>(sum);
    }
}

void NoiseClassifierModel::log_probs(const float* xt, int n, int t, float* log_probs) {
  const int K = config_.num_classes;
  scratch_in_.resize(3 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    scratch_in_[3 * i] = xt[2 * i];
    scratch_in_[3 * i + 1] = xt[2 * i + 1];
    scratch_in_[3 * i + 2] = static_cast<float>(t);
  }
  forward(scratch_in_.data(), n, log_probs);
  for (int i = 0; i < n; ++i) {
    float* row = log_probs + static_cast<size_t>(i) * K;
    const float top = *std::max_element(row, row + K);
    double sum = 0;
    for (int k = 0; k < K; ++k) sum += std::exp(static_cast<double>(row[k] - top));
    const double log_sum = top + std::log(sum);
    for (int k = 0; k < K; ++k) row[k] = static_cast<float>(row[k] - log_sum);
  }
}

void NoiseClassifierModel::grad_log_prob(const float* xt, int n, int t, int label, float* grad) {
  const int K = config_.num_classes;
  if (label < 0 || label >= K) throw std::invalid_argument("class label out of range");
  scratch_logits_.resize(static_cast<size_t>(n) * K);
  log_probs(xt, n, t, scratch_logits_.data());
  // ∂ log softmax(z)_y / ∂z = onehot(y) − softmax(z).
  scratch_d_.resize(static_cast<size_t>(n) * K);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < K; ++k)
      scratch_d_[static_cast<size_t>(i) * K + k] =
          (k == label ? 1.0f : 0.0f) - std::exp(scratch_logits_[static_cast<size_t>(i) * K + k]);
  backward(scratch_d_.data(), grad);
}

}  // namespace difflab
