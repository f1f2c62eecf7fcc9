// clip.cpp — the mini-CLIP's two encoders on backend ops, the symmetric InfoNCE loss and its gradients (host
// side: the loss works on two [B, d] matrices). Not the training step: train/clip_objective.cpp.
#include "nn/clip.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "data/captions.h"  // WordTokenizer::kPad, kUnknown only (no link to difflab_data)
#include "nn/model_family.h"

namespace difflab {

namespace {
ClassifierConfig image_config(const ClipConfig& c) {
  ClassifierConfig ic;
  ic.channels = c.channels;
  ic.groups = c.groups;
  ic.height = c.height;
  ic.width = c.width;
  ic.num_classes = c.embed_dim;
  return ic;
}
}  // namespace

std::string describe(const ClipConfig& c) {
  std::ostringstream s;
  s << "CLIP: CNN";
  for (size_t i = 0; i < c.channels.size(); ++i) s << (i ? "," : " ") << c.channels[i];
  s << " -> " << c.embed_dim << ", text " << c.text_width << "/" << c.text_hidden << ", vocab " << c.vocab
    << ", " << c.max_tokens << " tokens";
  return s.str();
}

void validate(const ClipConfig& c) {
  validate(image_config(c));
  if (c.embed_dim < 2) throw std::invalid_argument("clip: embed_dim must be at least 2");
  if (c.text_width < 1 || c.text_hidden < 1) throw std::invalid_argument("clip: text widths must be ≥ 1");
  if (c.vocab < 2) throw std::invalid_argument("clip: the vocabulary needs at least <pad> and <unk>");
  if (c.max_tokens < 1) throw std::invalid_argument("clip: max_tokens must be ≥ 1");
}

size_t clip_param_count(const ClipConfig& c) {
  const size_t V = c.vocab, E = c.text_width, H = c.text_hidden, d = c.embed_dim;
  return classifier_param_count(image_config(c)) + V * E + E + E * H + H + H * d + d + 1;
}

ModelConfigMap clip_config_map(const ClipConfig& c) {
  return {{"clip_channels", config_format_list(c.channels)},
          {"groups", std::to_string(c.groups)},
          {"height", std::to_string(c.height)},
          {"width", std::to_string(c.width)},
          {"embed_dim", std::to_string(c.embed_dim)},
          {"text_width", std::to_string(c.text_width)},
          {"text_hidden", std::to_string(c.text_hidden)},
          {"vocab", std::to_string(c.vocab)},
          {"max_tokens", std::to_string(c.max_tokens)}};
}

ClipConfig clip_config_from_map(const ModelConfigMap& config) {
  ClipConfig c;
  c.channels = config_int_list(config, "clip_channels", 1, 4096);
  c.groups = config_int(config, "groups", 1, 1024);
  c.height = config_int(config, "height", 1, 4096);
  c.width = config_int(config, "width", 1, 4096);
  c.embed_dim = config_int(config, "embed_dim", 2, 4096);
  c.text_width = config_int(config, "text_width", 1, 4096);
  c.text_hidden = config_int(config, "text_hidden", 1, 8192);
  c.vocab = config_int(config, "vocab", 2, 1000000);
  c.max_tokens = config_int(config, "max_tokens", 1, 1024);
  validate(c);
  return c;
}

double info_nce_loss(const float* logits, int n, float* d_logits) {
  std::vector<double> row(static_cast<size_t>(n) * n), col(static_cast<size_t>(n) * n);
  double loss = 0;
  auto at = [n](int i, int j) { return static_cast<size_t>(i) * n + j; };
  for (int i = 0; i < n; ++i) {  // image i against every text: softmax over row i
    double top = logits[at(i, 0)];
    for (int j = 1; j < n; ++j) top = std::max(top, static_cast<double>(logits[at(i, j)]));
    double sum = 0;
    for (int j = 0; j < n; ++j) sum += row[at(i, j)] = std::exp(logits[at(i, j)] - top);
    for (int j = 0; j < n; ++j) row[at(i, j)] /= sum;
    loss += 0.5 * (std::log(sum) + top - logits[at(i, i)]) / n;
  }
  for (int j = 0; j < n; ++j) {  // text j against every image: softmax over column j
    double top = logits[at(0, j)];
    for (int i = 1; i < n; ++i) top = std::max(top, static_cast<double>(logits[at(i, j)]));
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += col[at(i, j)] = std::exp(logits[at(i, j)] - top);
    for (int i = 0; i < n; ++i) col[at(i, j)] /= sum;
    loss += 0.5 * (std::log(sum) + top - logits[at(j, j)]) / n;
  }
  if (d_logits)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        d_logits[at(i, j)] = static_cast<float>(0.5 * (row[at(i, j)] + col[at(i, j)] - 2.0 * (i == j)) / n);
  return loss;
}

void l2_normalize_rows(float* x, int n, int d) {
  for (int i = 0; i < n; ++i) {
    float* r = x + static_cast<size_t>(i) * d;
    double s = 0;
    for (int k = 0; k < d; ++k) s += static_cast<double>(r[k]) * r[k];
    const double norm = std::sqrt(s);
    if (norm > 0)
      for (int k = 0; k < d; ++k) r[k] = static_cast<float>(r[k] / norm);
  }
}

ClipLossResult clip_loss(const float* img, const float* txt, int n, int d, double log_scale, float* d_img,
                         float* d_txt, double* d_log_scale, float* logits_out) {
  const size_t nd = static_cast<size_t>(n) * d, nn = static_cast<size_t>(n) * n;
  std::vector<float> u(img, img + nd), v(txt, txt + nd);
  std::vector<double> u_norm(n), v_norm(n);
  for (int i = 0; i < n; ++i) {
    double su = 0, sv = 0;
    for (int k = 0; k < d; ++k) {
      su += static_cast<double>(u[i * static_cast<size_t>(d) + k]) * u[i * static_cast<size_t>(d) + k];
      sv += static_cast<double>(v[i * static_cast<size_t>(d) + k]) * v[i * static_cast<size_t>(d) + k];
    }
    u_norm[i] = std::sqrt(su);
    v_norm[i] = std::sqrt(sv);
  }
  l2_normalize_rows(u.data(), n, d);
  l2_normalize_rows(v.data(), n, d);
  const bool clamped = log_scale > kClipMaxLogScale;
  const double tau = std::exp(clamped ? kClipMaxLogScale : log_scale);
  std::vector<float> logits(nn), d_logits(nn);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double dot = 0;
      for (int k = 0; k < d; ++k)
        dot += static_cast<double>(u[i * static_cast<size_t>(d) + k]) * v[j * static_cast<size_t>(d) + k];
      logits[i * static_cast<size_t>(n) + j] = static_cast<float>(tau * dot);
    }
  ClipLossResult r;
  r.loss = info_nce_loss(logits.data(), n, d_logits.data());
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    const float* row = logits.data() + static_cast<size_t>(i) * n;
    hits += std::max_element(row, row + n) - row == i;
  }
  r.accuracy = n > 0 ? static_cast<double>(hits) / n : 0;
  if (logits_out) std::copy(logits.begin(), logits.end(), logits_out);
  if (d_log_scale) {  // ∂L/∂s = Σ ∂L/∂logitᵢⱼ · logitᵢⱼ (logits = e^s · cos)
    double g = 0;
    for (size_t k = 0; k < nn; ++k) g += static_cast<double>(d_logits[k]) * logits[k];
    *d_log_scale = clamped ? 0.0 : g;
  }
  // ∂L/∂u = τ·dL·V, ∂L/∂v = τ·dLᵀ·U; through the normalisation: ∂L/∂x = (g − u⟨u, g⟩)/‖x‖.
  auto back = [&](const std::vector<float>& self, const std::vector<float>& other,
                  const std::vector<double>& norm, bool transpose, float* out) {
    if (!out) return;
    std::vector<double> g(d);
    for (int i = 0; i < n; ++i) {
      std::fill(g.begin(), g.end(), 0.0);
      for (int j = 0; j < n; ++j) {
        const double w = tau * (transpose ? d_logits[j * static_cast<size_t>(n) + i]
                                          : d_logits[i * static_cast<size_t>(n) + j]);
        for (int k = 0; k < d; ++k) g[k] += w * other[j * static_cast<size_t>(d) + k];
      }
      double dot = 0;
      for (int k = 0; k < d; ++k) dot += g[k] * self[i * static_cast<size_t>(d) + k];
      for (int k = 0; k < d; ++k)
        out[i * static_cast<size_t>(d) + k] =
            norm[i] > 0 ? static_cast<float>((g[k] - self[i * static_cast<size_t>(d) + k] * dot) / norm[i])
                        : 0.0f;
    }
  };
  back(u, v, u_norm, false, d_img);
  back(v, u, v_norm, true, d_txt);
  return r;
}

ClipModel::ClipModel(const ClipConfig& config, Backend& backend) : config_(config), backend_(backend) {
  validate(config_);
  image_ = std::make_unique<Classifier>(image_config(config_), backend_);
  image_params_ = image_->num_params();
  auto add = [&](const std::string& name, int rows, int cols) {
    layout_.push_back({name, num_params_, rows, cols});
    num_params_ += static_cast<size_t>(rows) * cols;
    return layout_.size() - 1;
  };
  const int V = config_.vocab, E = config_.text_width, H = config_.text_hidden, d = config_.embed_dim;
  image_block_ = add("image", 1, static_cast<int>(image_params_));
  embed_w_ = add("text.embed.weight", V, E);
  embed_b_ = add("text.embed.bias", 1, E);
  w1_ = add("text.fc1.weight", E, H);
  b1_ = add("text.fc1.bias", 1, H);
  w2_ = add("text.fc2.weight", H, d);
  b2_ = add("text.fc2.bias", 1, d);
  scale_ = add("log_scale", 1, 1);
  param_storage_ = backend_.create_storage(num_params_);
  grad_storage_ = backend_.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  use_own_params();
}

ClipModel::~ClipModel() = default;

Tensor ClipModel::slice(const Tensor& flat, size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{flat.storage, flat.offset + b.offset, b.rows, b.cols};
}

void ClipModel::set_params_view(const Tensor& params) {
  active_ = params;
  image_->set_params_view(slice(active_, image_block_));
}

void ClipModel::use_own_params() {
  set_params_view(params_);
}

void ClipModel::init_params(uint64_t seed) {
  image_->init_params(seed);
  backend_.copy(slice(params_, image_block_), image_->params());
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 29);
  std::vector<float> values(num_params_ - image_params_);
  auto uniform = [&](size_t block, double fan_in) {
    const ParamBlock& b = layout_[block];
    const double bound = 1.0 / std::sqrt(fan_in);
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k)
      values[b.offset - image_params_ + k] = static_cast<float>((2 * rng.uniform() - 1) * bound);
  };
  uniform(embed_w_, config_.vocab);
  uniform(embed_b_, config_.vocab);
  uniform(w1_, config_.text_width);
  uniform(b1_, config_.text_width);
  uniform(w2_, config_.text_hidden);
  uniform(b2_, config_.text_hidden);
  values.back() = static_cast<float>(kClipInitLogScale);
  backend_.write(Tensor{params_.storage, params_.offset + image_params_, 1, static_cast<int>(values.size())},
                 values.data());
}

double ClipModel::log_scale() {
  float s = 0;
  backend_.read(slice(active_, scale_), &s);
  return s;
}

void ClipModel::forward_images(const float* x, int batch, float* raw) {
  image_->forward(x, batch, raw);
}

void ClipModel::forward_texts(const int* tokens, int batch, float* raw) {
  const int V = config_.vocab, E = config_.text_width, H = config_.text_hidden, d = config_.embed_dim,
            L = config_.max_tokens;
  if (batch != text_batch_) {
    const size_t floats = static_cast<size_t>(batch) * (V + 2 * E + 4 * H + 2 * d);
    if (!act_storage_ || act_storage_->size < floats) act_storage_ = backend_.create_storage(floats);
    size_t used = 0;
    auto take = [&](int rows, int cols) {
      Tensor t{act_storage_.get(), used, rows, cols};
      used += t.size();
      return t;
    };
    bow_ = take(batch, V);
    pooled_ = take(batch, E);
    d_pooled_ = take(batch, E);
    hidden_pre_ = take(batch, H);
    hidden_ = take(batch, H);
    d_hidden_ = take(batch, H);
    d_hidden_pre_ = take(batch, H);
    text_out_ = take(batch, d);
    d_text_out_ = take(batch, d);
    text_batch_ = batch;
  }
  // The mean of the word embeddings is the bag of words (each non-padding token 1/count) times the table.
  host_bow_.assign(static_cast<size_t>(batch) * V, 0.0f);
  for (int b = 0; b < batch; ++b) {
    const int* t = tokens + static_cast<size_t>(b) * L;
    int count = 0;
    for (int k = 0; k < L; ++k) count += t[k] != WordTokenizer::kPad;
    for (int k = 0; k < L; ++k) {
      const int id = t[k] >= 0 && t[k] < V ? t[k] : WordTokenizer::kUnknown;
      if (id != WordTokenizer::kPad) host_bow_[static_cast<size_t>(b) * V + id] += 1.0f / count;
    }
  }
  backend_.write(bow_, host_bow_.data());
  backend_.linear_forward(pooled_, bow_, slice(active_, embed_w_), slice(active_, embed_b_));
  backend_.linear_forward(hidden_pre_, pooled_, slice(active_, w1_), slice(active_, b1_));
  backend_.activation_forward(Activation::Gelu, hidden_, hidden_pre_);
  backend_.linear_forward(text_out_, hidden_, slice(active_, w2_), slice(active_, b2_));
  backend_.read(text_out_, raw);
}

void ClipModel::zero_grads() {
  backend_.fill(grads_, 0.0f);
}

void ClipModel::backward_images(const float* d_raw) {
  image_->backward(d_raw);
  backend_.axpy(slice(grads_, image_block_), 1.0f, image_->grads());
}

void ClipModel::backward_texts(const float* d_raw) {
  backend_.write(d_text_out_, d_raw);
  backend_.linear_backward(d_hidden_, slice(grads_, w2_), slice(grads_, b2_), d_text_out_, hidden_,
                           slice(active_, w2_), true, false);
  backend_.activation_backward(Activation::Gelu, d_hidden_pre_, d_hidden_, hidden_pre_);
  backend_.linear_backward(d_pooled_, slice(grads_, w1_), slice(grads_, b1_), d_hidden_pre_, pooled_,
                           slice(active_, w1_), true, false);
  backend_.linear_backward(Tensor{}, slice(grads_, embed_w_), slice(grads_, embed_b_), d_pooled_, bow_,
                           slice(active_, embed_w_), true, false);
}

void ClipModel::add_log_scale_grad(double g) {
  float v = 0;
  backend_.read(slice(grads_, scale_), &v);
  v += static_cast<float>(g);
  backend_.write(slice(grads_, scale_), &v);
}

std::vector<float> ClipModel::encode_images(const float* x, int n, int batch) {
  const int d = config_.embed_dim, dim = config_.height * config_.width;
  std::vector<float> out(static_cast<size_t>(n) * d);
  for (int first = 0; first < n; first += batch) {
    const int b = std::min(batch, n - first);
    forward_images(x + static_cast<size_t>(first) * dim, b, out.data() + static_cast<size_t>(first) * d);
  }
  l2_normalize_rows(out.data(), n, d);
  return out;
}

std::vector<float> ClipModel::encode_texts(const std::vector<std::vector<int>>& tokens) {
  const int n = static_cast<int>(tokens.size()), d = config_.embed_dim, L = config_.max_tokens;
  std::vector<int> flat(static_cast<size_t>(n) * L, WordTokenizer::kPad);
  for (int i = 0; i < n; ++i)
    std::copy_n(tokens[i].begin(), std::min<size_t>(tokens[i].size(), L), flat.begin() + i * L);
  std::vector<float> out(static_cast<size_t>(n) * d);
  if (n == 0) return out;
  forward_texts(flat.data(), n, out.data());
  l2_normalize_rows(out.data(), n, d);
  return out;
}

std::vector<float> ClipModel::text_embedding(const std::vector<int>& tokens) {
  return encode_texts({tokens});
}

}  // namespace difflab
