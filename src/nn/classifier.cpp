// classifier.cpp — the feature CNN's forward and backward: four conv → GN → SiLU stages, pool, Linear.
// Not an autograd: backward walks the stages in reverse, two scratch buffers carrying the gradient.
#include "nn/classifier.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {
namespace {

// (in channels, out channels, stride) of the four convolutions.
struct StageSpec {
  int in, out, stride;
};
std::vector<StageSpec> stages(const ClassifierConfig& c) {
  return {{1, c.channels[0], 1},
          {c.channels[0], c.channels[0], 2},
          {c.channels[0], c.channels[1], 1},
          {c.channels[1], c.channels[2], 2}};
}

}  // namespace

std::string describe(const ClassifierConfig& c) {
  std::ostringstream s;
  s << "CNN classifier: channels";
  for (size_t i = 0; i < c.channels.size(); ++i) s << (i ? "," : " ") << c.channels[i];
  s << ", GroupNorm " << c.groups << ", " << c.height << "x" << c.width << ", " << c.num_classes
    << " classes";
  return s.str();
}

void validate(const ClassifierConfig& c) {
  if (c.channels.size() != 3)
    throw std::invalid_argument("the classifier has exactly 3 channel counts (c0, c1, c2)");
  for (int ch : c.channels)
    if (ch < 1 || c.groups < 1 || ch % c.groups != 0)
      throw std::invalid_argument("classifier channels " + std::to_string(ch) + " do not divide into " +
                                  std::to_string(c.groups) + " GroupNorm groups");
  if (c.height < 4 || c.width < 4 || c.height % 4 != 0 || c.width % 4 != 0)
    throw std::invalid_argument(
        "classifier images must be at least 4×4 and divisible by 4 (two stride-2 convolutions)");
  if (c.num_classes < 2) throw std::invalid_argument("the classifier needs at least 2 classes");
}

ModelConfigMap classifier_config_map(const ClassifierConfig& c) {
  return {{"classifier_channels", config_format_list(c.channels)},
          {"groups", std::to_string(c.groups)},
          {"height", std::to_string(c.height)},
          {"width", std::to_string(c.width)},
          {"num_classes", std::to_string(c.num_classes)}};
}

ClassifierConfig classifier_config_from_map(const ModelConfigMap& config) {
  ClassifierConfig c;
  c.channels = config_int_list(config, "classifier_channels", 0, 4096);
  c.groups = config_int(config, "groups", 1, 1024);
  c.height = config_int(config, "height", 1, 4096);
  c.width = config_int(config, "width", 1, 4096);
  c.num_classes = config_int(config, "num_classes", 2, 100000);
  validate(c);
  return c;
}

size_t classifier_param_count(const ClassifierConfig& c) {
  size_t n = 0;
  for (const StageSpec& s : stages(c))
    n += 9 * static_cast<size_t>(s.in) * s.out + 3 * static_cast<size_t>(s.out);
  return n + static_cast<size_t>(c.channels[2]) * c.num_classes + c.num_classes;
}

double softmax_cross_entropy(const float* logits, const int* labels, int batch, int classes,
                             float* d_logits) {
  double loss = 0;
  std::vector<double> p(classes);
  for (int b = 0; b < batch; ++b) {
    const float* z = logits + static_cast<size_t>(b) * classes;
    const double top = *std::max_element(z, z + classes);
    double sum = 0;
    for (int k = 0; k < classes; ++k) sum += p[k] = std::exp(z[k] - top);
    loss += std::log(sum) - (z[labels[b]] - top);
    if (!d_logits) continue;
    for (int k = 0; k < classes; ++k)
      d_logits[static_cast<size_t>(b) * classes + k] =
          static_cast<float>((p[k] / sum - (k == labels[b])) / batch);
  }
  return loss / batch;
}

Classifier::Classifier(const ClassifierConfig& config, Backend& backend)
    : config_(config), backend_(backend) {
  validate(config_);
  auto add = [&](const std::string& name, int rows, int cols) {
    layout_.push_back({name, num_params_, rows, cols});
    num_params_ += static_cast<size_t>(rows) * cols;
    return layout_.size() - 1;
  };
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
    h = layer.shape.out_height();
    w = layer.shape.out_width();
    layers_.push_back(layer);
  }
  add("head.weight", feature_dim(), config_.num_classes);
  add("head.bias", 1, config_.num_classes);
  param_storage_ = backend_.create_storage(num_params_);
  grad_storage_ = backend_.create_storage(num_params_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params_)};
  active_params_ = params_;
}

Classifier::~Classifier() = default;

Tensor Classifier::param(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{active_params_.storage, active_params_.offset + b.offset, b.rows, b.cols};
}

Tensor Classifier::grad(size_t block) const {
  const ParamBlock& b = layout_[block];
  return Tensor{grads_.storage, grads_.offset + b.offset, b.rows, b.cols};
}

void Classifier::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 11);
  std::vector<float> values(num_params_);
  auto uniform = [&](size_t block, double fan_in) {
    const ParamBlock& b = layout_[block];
    const double bound = 1.0 / std::sqrt(fan_in);
    for (size_t k = 0; k < static_cast<size_t>(b.rows) * b.cols; ++k)
      values[b.offset + k] = static_cast<float>((2 * rng.uniform() - 1) * bound);
  };
  for (const Layer& l : layers_) {
    const double fan_in = 9.0 * l.shape.in_channels;
    uniform(l.weight, fan_in);
    uniform(l.bias, fan_in);
    std::fill_n(values.begin() + static_cast<std::ptrdiff_t>(layout_[l.gamma].offset), layout_[l.gamma].cols,
                1.0f);
  }
  uniform(layout_.size() - 2, feature_dim());
  uniform(layout_.size() - 1, feature_dim());
  backend_.write(params_, values.data());
}

void Classifier::ensure_batch(int batch) {
  if (batch == batch_) return;
  size_t floats = static_cast<size_t>(batch) * dim() + 2 * static_cast<size_t>(batch) * feature_dim() +
                  2 * static_cast<size_t>(batch) * config_.num_classes;
  size_t largest = 0;
  for (Layer& l : layers_) {
    l.shape.batch = batch;
    const size_t out =
        static_cast<size_t>(batch) * l.shape.out_height() * l.shape.out_width() * l.shape.out_channels;
    floats += 3 * out + 2 * static_cast<size_t>(batch) * config_.groups;
    largest = std::max(largest, out);
  }
  floats += 2 * largest;
  if (!act_storage_ || act_storage_->size < floats) act_storage_ = backend_.create_storage(floats);
  size_t used = 0;
  auto take = [&](int rows, int cols) {
    Tensor t{act_storage_.get(), used, rows, cols};
    used += t.size();
    return t;
  };
  input_ = take(batch * dim(), 1);
  for (Layer& l : layers_) {
    const int rows = batch * l.shape.out_height() * l.shape.out_width(), C = l.shape.out_channels;
    l.conv_out = take(rows, C);
    l.norm_out = take(rows, C);
    l.act_out = take(rows, C);
    l.stats = take(batch * config_.groups, 2);
  }
  features_ = take(batch, feature_dim());
  d_features_ = take(batch, feature_dim());
  logits_ = take(batch, config_.num_classes);
  d_logits_ = take(batch, config_.num_classes);
  scratch_[0] = take(1, static_cast<int>(largest));
  scratch_[1] = take(1, static_cast<int>(largest));
  batch_ = batch;
}

void Classifier::forward(const float* x, int batch, float* logits, float* features) {
  ensure_batch(batch);
  backend_.write(input_, x);
  Tensor in = input_;
  for (const Layer& l : layers_) {
    backend_.conv2d_forward(l.conv_out, in, param(l.weight), param(l.bias), l.shape);
    backend_.group_norm_forward(l.norm_out, l.stats, l.conv_out, param(l.gamma), param(l.beta), batch,
                                config_.groups);
    backend_.activation_forward(Activation::Silu, l.act_out, l.norm_out);
    in = l.act_out;
  }
  backend_.global_avg_pool_forward(features_, in, batch);
  backend_.linear_forward(logits_, features_, param(layout_.size() - 2), param(layout_.size() - 1));
  backend_.read(logits_, logits);
  if (features) backend_.read(features_, features);
}

void Classifier::backward(const float* d_logits, float* d_x) {
  backend_.write(d_logits_, d_logits);
  backend_.linear_backward(d_features_, grad(layout_.size() - 2), grad(layout_.size() - 1), d_logits_,
                           features_, param(layout_.size() - 2), false, false);
  // The gradient w.r.t. the current stage's output lives in scratch_[p]; the other buffer takes the next one.
  int p = 0;
  auto view = [&](int which, const Tensor& like) {
    return Tensor{scratch_[which].storage, scratch_[which].offset, like.rows, like.cols};
  };
  backend_.global_avg_pool_backward(view(p, layers_.back().act_out), d_features_, batch_);
  for (int i = static_cast<int>(layers_.size()) - 1; i >= 0; --i) {
    const Layer& l = layers_[i];
    const Tensor d_act = view(p, l.act_out), d_norm = view(1 - p, l.norm_out), d_conv = view(p, l.conv_out);
    backend_.activation_backward(Activation::Silu, d_norm, d_act, l.norm_out);
    backend_.group_norm_backward(d_conv, grad(l.gamma), grad(l.beta), d_norm, l.conv_out, l.stats,
                                 param(l.gamma), batch_, config_.groups);
    const Tensor in = i > 0 ? layers_[i - 1].act_out : input_;
    // The first stage's input gradient fits in a scratch buffer: its output has c₀ ≥ 1 channels per pixel.
    const Tensor d_in = i > 0 || d_x ? view(1 - p, in) : Tensor{};
    backend_.conv2d_backward(d_in, grad(l.weight), grad(l.bias), d_conv, in, param(l.weight), l.shape, false);
    if (i == 0 && d_x) backend_.read(d_in, d_x);
    p = 1 - p;
  }
}

}  // namespace difflab
