// image_noise_classifier.cpp — forward and backward (to the parameters and to xₜ) of the noise-conditional
// image CNN (see image_noise_classifier.h). Not the loss: train/image_noise_classifier_trainer.cpp has it.
#include "nn/image_noise_classifier.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {
namespace {

struct StageSpec {
  int in, out, stride;
};
std::vector<StageSpec> stages(const ImageNoiseClassifierConfig& c) {
  return {{1, c.channels[0], 1},
          {c.channels[0], c.channels[0], 2},
          {c.channels[0], c.channels[1], 1},
          {c.channels[1], c.channels[2], 2}};
}
constexpr int kMaxBatch = 128;

}  // namespace

std::string describe(const ImageNoiseClassifierConfig& c) {
  std::ostringstream s;
  s << "noise-conditional CNN classifier: channels";
  for (size_t i = 0; i < c.channels.size(); ++i) s << (i ? "," : " ") << c.channels[i];
  s << ", GroupNorm " << c.groups << ", time embedding " << c.time_embedding << " -> " << c.time_width << ", "
    << c.height << "x" << c.width << ", " << c.num_classes << " classes";
  return s.str();
}

void validate(const ImageNoiseClassifierConfig& c) {
  if (c.channels.size() != 3)
    throw std::invalid_argument("the noise classifier has exactly 3 channel counts (c0, c1, c2)");
  for (int ch : c.channels)
    if (ch < 1 || c.groups < 1 || ch % c.groups != 0)
      throw std::invalid_argument("noise classifier channels " + std::to_string(ch) + " do not divide into " +
                                  std::to_string(c.groups) + " GroupNorm groups");
  if (c.time_embedding < 4 || c.time_embedding % 2 != 0)
    throw std::invalid_argument("the time embedding size must be even and at least 4");
  if (c.time_width < 1) throw std::invalid_argument("the time width must be at least 1");
  if (c.height < 4 || c.width < 4 || c.height % 4 != 0 || c.width % 4 != 0)
    throw std::invalid_argument("noise classifier images must be at least 4×4 and divisible by 4");
  if (c.num_classes < 2) throw std::invalid_argument("the noise classifier needs at least 2 classes");
}

ModelConfigMap image_noise_classifier_config_map(const ImageNoiseClassifierConfig& c) {
  return {{"classifier_channels", config_format_list(c.channels)},
          {"groups", std::to_string(c.groups)},
          {"time_embedding", std::to_string(c.time_embedding)},
          {"time_width", std::to_string(c.time_width)},
          {"height", std::to_string(c.height)},
          {"width", std::to_string(c.width)},
          {"num_classes", std::to_string(c.num_classes)}};
}

ImageNoiseClassifierConfig image_noise_classifier_config_from_map(const ModelConfigMap& config) {
  ImageNoiseClassifierConfig c;
  c.channels = config_int_list(config, "classifier_channels", 0, 4096);
  c.groups = config_int(config, "groups", 1, 1024);
  c.time_embedding = config_int(config, "time_embedding", 4, 4096);
  c.time_width = config_int(config, "time_width", 1, 4096);
  c.height = config_int(config, "height", 1, 4096);
  c.width = config_int(config, "width", 1, 4096);
  c.num_classes = config_int(config, "num_classes", 2, 100000);
  validate(c);
  return c;
}

size_t image_noise_classifier_param_count(const ImageNoiseClassifierConfig& c) {
  size_t n = static_cast<size_t>(c.time_embedding) * c.time_width + c.time_width;
  for (const StageSpec& s : stages(c))
    n += 9 * static_cast<size_t>(s.in) * s.out + 3 * static_cast<size_t>(s.out) +
         static_cast<size_t>(c.time_width) * s.out + s.out;
  return n + static_cast<size_t>(c.channels[2]) * c.num_classes + c.num_classes;
}

ImageNoiseClassifier::ImageNoiseClassifier(const ImageNoiseClassifierConfig& config, Backend& backend)
    : config_(config), backend_(backend) {
  validate(config_);
  auto add = [&](const std::string& name, int rows, int cols) {
    layout_.push_back({name, num_params_, rows, cols});
    num_params_ += static_cast<size_t>(rows) * cols;
    return layout_.size() - 1;
  };
  time_w_ = add("time.weight", config_.time_embedding, config_.time_width);
  time_b_ = add("time.bias", 1, config_.time_width);
  int h = config_.height, w = config_.width;
  int index = 0;
  for (const StageSpec& s : stages(config_)) {
    Layer layer;
    layer.shape = ConvShape{1, h, w, s.in, s.out, 3, s.stride, 1};
    const std::string prefix = "conv" + std::to_string(index++);
    layer.weight = add(prefix + ".weight", 9 * s.in, s.out);
    layer.bias = add(prefix + ".bias", 1, s.out);
    layer.gamma = add(prefix + ".norm.gamma", 1, s.out);
    layer.beta = add(prefix + ".norm.beta", 1, s.out);
    layer.time_w = add(prefix + ".time.weight", config_.time_width, s.out);
    layer.time_b = add(prefix + ".time.bias", 1, s.out);
    h = layer.shape.out_height();
    w = layer.shape.out_width();
    layers_.push_back(layer);
  }
  head_w_ = add("head.weight", config_.channels[2], config_.num_classes);
  head_b_ = add("head.bias", 1, config_.num_classes);
  param_storage_ = backend_.create_storage(num_params_);
  grad_storage_ = backend_.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
}

ImageNoiseClassifier::~ImageNoiseClassifier() = default;

Tensor ImageNoiseClassifier::param(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor ImageNoiseClassifier::grad(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{grads_.storage, grads_.offset + b.offset, b.rows, b.cols};
}

void ImageNoiseClassifier::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 29);
  std::vector<float> values(num_params_, 0.0f);
  auto uniform = [&](size_t block, double fan_in) {
    const ParamBlock& b = layout_[block];
    const double bound = 1.0 / std::sqrt(fan_in);
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k)
      values[b.offset + k] = static_cast<float>((2 * rng.uniform() - 1) * bound);
  };
  uniform(time_w_, config_.time_embedding);
  uniform(time_b_, config_.time_embedding);
  for (const Layer& l : layers_) {
    const double fan_in = 9.0 * l.shape.in_channels;
    uniform(l.weight, fan_in);
    uniform(l.bias, fan_in);
    std::fill_n(values.begin() + static_cast<std::ptrdiff_t>(layout_[l.gamma].offset), layout_[l.gamma].cols,
                1.0f);
  }
  uniform(head_w_, config_.channels[2]);
  uniform(head_b_, config_.channels[2]);
  backend_.write(params_, values.data());
}

void ImageNoiseClassifier::ensure_batch(int batch) {
  if (batch == batch_) return;
  const int K = config_.num_classes, TW = config_.time_width, C2 = config_.channels[2];
  size_t floats = 2 * static_cast<size_t>(batch) * dim() + batch +
                  static_cast<size_t>(batch) * (config_.time_embedding + 4 * TW + 2 * C2 + 2 * K);
  for (Layer& l : layers_) {
    l.shape.batch = batch;
    const size_t out =
        static_cast<size_t>(batch) * l.shape.out_height() * l.shape.out_width() * l.shape.out_channels;
    floats += 7 * out + 2 * static_cast<size_t>(batch) * config_.groups +
              2 * static_cast<size_t>(batch) * l.shape.out_channels;
  }
  if (!act_storage_ || act_storage_->size < floats) act_storage_ = backend_.create_storage(floats);
  size_t used = 0;
  auto take = [&](int rows, int cols) {
    Tensor t{act_storage_.get(), used, rows, cols};
    used += t.size();
    return t;
  };
  input_ = take(batch * dim(), 1);
  d_input_ = take(batch * dim(), 1);
  t_in_ = take(batch, 1);
  sinusoid_ = take(batch, config_.time_embedding);
  time_h_ = take(batch, TW);
  temb_ = take(batch, TW);
  d_temb_ = take(batch, TW);
  d_time_h_ = take(batch, TW);
  for (Layer& l : layers_) {
    const int rows = batch * l.shape.out_height() * l.shape.out_width(), C = l.shape.out_channels;
    l.conv_out = take(rows, C);
    l.norm_out = take(rows, C);
    l.act_out = take(rows, C);
    l.d_act = take(rows, C);
    l.d_norm = take(rows, C);
    l.d_conv = take(rows, C);
    take(rows, C);  // spare (keeps the size formula simple)
    l.stats = take(batch * config_.groups, 2);
    l.shift = take(batch, C);
    l.d_shift = take(batch, C);
  }
  features_ = take(batch, C2);
  d_features_ = take(batch, C2);
  logits_ = take(batch, K);
  d_logits_ = take(batch, K);
  batch_ = batch;
}

void ImageNoiseClassifier::forward(const float* x, const float* t, int batch, float* logits) {
  ensure_batch(batch);
  Backend& be = backend_;
  be.write(input_, x);
  be.write(t_in_, t);
  be.sinusoidal_embedding(sinusoid_, 0, t_in_, 0, config_.time_embedding, 1.0f);
  be.linear_forward(time_h_, sinusoid_, param(time_w_), param(time_b_));
  be.activation_forward(Activation::Silu, temb_, time_h_);
  Tensor in = input_;
  for (Layer& l : layers_) {
    be.conv2d_forward(l.conv_out, in, param(l.weight), param(l.bias), l.shape);
    be.group_norm_forward(l.norm_out, l.stats, l.conv_out, param(l.gamma), param(l.beta), batch,
                          config_.groups);
    be.linear_forward(l.shift, temb_, param(l.time_w), param(l.time_b));
    be.add_channel_bias_forward(l.norm_out, l.shift, batch);  // norm_out now holds GN(x) + shift
    be.activation_forward(Activation::Silu, l.act_out, l.norm_out);
    in = l.act_out;
  }
  be.global_avg_pool_forward(features_, in, batch);
  be.linear_forward(logits_, features_, param(head_w_), param(head_b_));
  be.read(logits_, logits);
}

void ImageNoiseClassifier::backward(const float* d_logits, float* d_x) {
  Backend& be = backend_;
  be.write(d_logits_, d_logits);
  be.linear_backward(d_features_, grad(head_w_), grad(head_b_), d_logits_, features_, param(head_w_), false,
                     false);
  be.global_avg_pool_backward(layers_.back().d_act, d_features_, batch_);
  be.fill(d_temb_, 0.0f);
  for (int i = static_cast<int>(layers_.size()) - 1; i >= 0; --i) {
    Layer& l = layers_[i];
    be.activation_backward(Activation::Silu, l.d_norm, l.d_act, l.norm_out);
    be.add_channel_bias_backward(l.d_shift, l.d_norm, batch_);
    be.linear_backward(d_temb_, grad(l.time_w), grad(l.time_b), l.d_shift, temb_, param(l.time_w), false,
                       true);
    // GroupNorm's backward reads its input (conv_out) and stats; norm_out's shift does not enter d_conv.
    be.group_norm_backward(l.d_conv, grad(l.gamma), grad(l.beta), l.d_norm, l.conv_out, l.stats,
                           param(l.gamma), batch_, config_.groups);
    const Tensor in = i > 0 ? layers_[i - 1].act_out : input_;
    const Tensor d_in = i > 0 ? layers_[i - 1].d_act : (d_x ? d_input_ : Tensor{});
    be.conv2d_backward(d_in, grad(l.weight), grad(l.bias), l.d_conv, in, param(l.weight), l.shape, false);
  }
  be.activation_backward(Activation::Silu, d_time_h_, d_temb_, time_h_);
  be.linear_backward(Tensor{}, grad(time_w_), grad(time_b_), d_time_h_, sinusoid_, param(time_w_), false,
                     false);
  if (d_x) be.read(d_input_, d_x);
}

void ImageNoiseClassifier::log_probs(const float* xt, int n, int t, float* log_probs) {
  const int K = config_.num_classes, D = dim();
  for (int first = 0; first < n; first += kMaxBatch) {
    const int count = std::min(kMaxBatch, n - first);
    host_t_.assign(count, static_cast<float>(t));
    float* out = log_probs + static_cast<size_t>(first) * K;
    forward(xt + static_cast<size_t>(first) * D, host_t_.data(), count, out);
    for (int b = 0; b < count; ++b) {
      float* z = out + static_cast<size_t>(b) * K;
      const double top = *std::max_element(z, z + K);
      double sum = 0;
      for (int k = 0; k < K; ++k) sum += std::exp(z[k] - top);
      const double log_sum = top + std::log(sum);
      for (int k = 0; k < K; ++k) z[k] = static_cast<float>(z[k] - log_sum);
    }
  }
}

void ImageNoiseClassifier::grad_log_prob(const float* xt, int n, int t, int label, float* grad) {
  std::vector<int> labels(n, label);
  grad_log_prob_labels(xt, n, t, labels.data(), grad);
}

void ImageNoiseClassifier::grad_log_prob_labels(const float* xt, int n, int t, const int* labels,
                                                float* grad) {
  const int K = config_.num_classes, D = dim();
  for (int first = 0; first < n; first += kMaxBatch) {
    const int count = std::min(kMaxBatch, n - first);
    host_t_.assign(count, static_cast<float>(t));
    host_logits_.resize(static_cast<size_t>(count) * K);
    host_d_logits_.resize(host_logits_.size());
    forward(xt + static_cast<size_t>(first) * D, host_t_.data(), count, host_logits_.data());
    // ∂ log softmax(z)[y] / ∂z = one_hot(y) − softmax(z).
    for (int b = 0; b < count; ++b) {
      const float* z = host_logits_.data() + static_cast<size_t>(b) * K;
      float* d = host_d_logits_.data() + static_cast<size_t>(b) * K;
      const double top = *std::max_element(z, z + K);
      double sum = 0;
      for (int k = 0; k < K; ++k) sum += std::exp(z[k] - top);
      const int y = labels[first + b];
      if (y < 0 || y >= K)
        throw std::out_of_range("class " + std::to_string(y) + " is outside 0 … " + std::to_string(K - 1));
      for (int k = 0; k < K; ++k) d[k] = static_cast<float>((k == y) - std::exp(z[k] - top) / sum);
    }
    backward(host_d_logits_.data(), grad + static_cast<size_t>(first) * D);
  }
}

}  // namespace difflab
