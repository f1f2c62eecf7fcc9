// personalize.cpp — textual inversion (one row optimised by Adam through read_d_rows), DreamBooth's objective
// (subject + prior preservation) and the generation/classifier metrics. Not a CLI and not a panel.
#include "train/personalize.h"

#include <cmath>
#include <stdexcept>

#include "nn/classifier.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "train/classifier_trainer.h"
#include "train/image_quality.h"

namespace difflab {

ImageDataset without_class(const ImageDataset& data, int label) {
  if (data.labels.empty()) throw std::invalid_argument("the data set has no labels to leave a class out");
  if (label < 0 || label >= data.num_classes)
    throw std::invalid_argument("class " + std::to_string(label) + " does not exist (the data has " +
                                std::to_string(data.num_classes) + " classes)");
  ImageDataset out = data;
  out.pixels.clear();
  out.labels.clear();
  const int D = data.dim();
  for (int i = 0; i < data.count; ++i) {
    if (data.labels[i] == label) continue;
    out.pixels.insert(out.pixels.end(), data.image(i), data.image(i) + D);
    out.labels.push_back(data.labels[i]);
  }
  out.count = static_cast<int>(out.labels.size());
  const std::string name =
      label < static_cast<int>(data.class_names.size()) ? data.class_names[label] : std::to_string(label);
  out.description = data.description + ", without class " + std::to_string(label) + " (" + name +
                    "): " + std::to_string(out.count) + " images";
  return out;
}

std::vector<float> subject_images(const ImageDataset& data, int label, int count, int first) {
  if (data.labels.empty()) throw std::invalid_argument("the data set has no labels to pick a subject");
  if (label < 0 || label >= data.num_classes)
    throw std::invalid_argument("class " + std::to_string(label) + " does not exist (the data has " +
                                std::to_string(data.num_classes) + " classes)");
  std::vector<float> out;
  const int D = data.dim();
  int seen = 0;
  for (int i = 0; i < data.count && static_cast<int>(out.size()) < count * D; ++i) {
    if (data.labels[i] != label) continue;
    if (seen++ < first) continue;
    out.insert(out.end(), data.image(i), data.image(i) + D);
  }
  if (static_cast<int>(out.size()) < count * D)
    throw std::invalid_argument("class " + std::to_string(label) + " has fewer than " +
                                std::to_string(first + count) + " images");
  return out;
}

namespace {

const ParamBlock& class_block(const UNet& model) {
  for (const ParamBlock& b : model.layout())
    if (b.name == "class_embedding") return b;
  throw std::invalid_argument("the U-Net has no class embedding (train it with --classes K)");
}

size_t row_offset(const UNet& model, const ParamBlock& b, int label) {
  if (label < 0 || label > model.num_classes())
    throw std::invalid_argument("class " + std::to_string(label) + " is not a row of the class table");
  return b.offset + static_cast<size_t>(label) * b.cols;
}

}  // namespace

void write_class_row(const UNet& model, std::vector<float>* params, int label, const float* row) {
  const ParamBlock& b = class_block(model);
  const size_t at = row_offset(model, b, label);
  if (params->size() < at + b.cols) throw std::invalid_argument("the weights do not fit the U-Net");
  std::copy(row, row + b.cols, params->begin() + static_cast<std::ptrdiff_t>(at));
}

TextualInversion::TextualInversion(ImageNet& model, const NoiseSchedule& schedule, std::vector<float> subject,
                                   int count, const TextualInversionConfig& config)
    : model_(model),
      schedule_(schedule),
      subject_(std::move(subject)),
      count_(count),
      config_(config),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 181) {
  if (count_ < 1 || subject_.size() != static_cast<size_t>(count_) * model_.dim())
    throw std::invalid_argument("textual inversion needs at least one subject image of the model's size");
  if (model_.num_classes() <= 0 || model_.cond_dim() <= 0)
    throw std::invalid_argument("textual inversion needs a class-conditional model (a class embedding)");
  if (config_.batch < 1 || config_.batch > 4096) throw std::invalid_argument("batch must be 1 … 4096");
  row_.resize(model_.cond_dim());
  model_.read_class_row(config_.init_label, row_.data());
  grad_.assign(row_.size(), 0);
  m_.assign(row_.size(), 0);
  v_.assign(row_.size(), 0);
}

double TextualInversion::batch_loss(const std::vector<float>& row, Rng& rng, bool gradient) {
  const int B = config_.batch, D = model_.dim(), C = model_.cond_dim(), T = schedule_.T();
  xt_.resize(static_cast<size_t>(B) * D), eps_.resize(xt_.size()), out_.resize(xt_.size());
  d_out_.resize(xt_.size()), t_.resize(B), rows_.resize(static_cast<size_t>(B) * C);
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng.below(count_));
    const int t = static_cast<int>(rng.below(T));
    t_[i] = static_cast<float>(t);
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[t]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[t]);
    const float* x0 = subject_.data() + static_cast<size_t>(j) * D;
    for (int k = 0; k < D; ++k) {
      const size_t at = static_cast<size_t>(i) * D + k;
      eps_[at] = static_cast<float>(rng.normal());
      xt_[at] = a * x0[k] + b * eps_[at];
    }
    std::copy(row.begin(), row.end(), rows_.begin() + static_cast<std::ptrdiff_t>(i) * C);
  }
  model_.forward_rows(xt_.data(), t_.data(), rows_.data(), B, out_.data());
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  if (gradient && std::isfinite(loss)) {
    model_.backward(d_out_.data());
    d_rows_.resize(rows_.size());
    model_.read_d_rows(d_rows_.data());
    std::fill(grad_.begin(), grad_.end(), 0.0f);  // the row is shared by the batch: its gradients add up
    for (int i = 0; i < B; ++i)
      for (int c = 0; c < C; ++c) grad_[c] += d_rows_[static_cast<size_t>(i) * C + c];
  }
  return loss;
}

double TextualInversion::loss_at(const std::vector<float>& row, uint64_t seed, bool gradient) {
  Rng rng(seed);
  return batch_loss(row, rng, gradient);
}

double TextualInversion::step() {
  const double loss = batch_loss(row_, rng_, true);
  if (!std::isfinite(loss)) return loss;
  ++steps_;
  // Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) on the one row.
  const double b1 = 0.9, b2 = 0.999;
  const double c1 = 1 - std::pow(b1, steps_), c2 = 1 - std::pow(b2, steps_);
  for (size_t c = 0; c < row_.size(); ++c) {
    m_[c] = static_cast<float>(b1 * m_[c] + (1 - b1) * grad_[c]);
    v_[c] = static_cast<float>(b2 * v_[c] + (1 - b2) * grad_[c] * grad_[c]);
    row_[c] -= static_cast<float>(config_.lr * (m_[c] / c1) / (std::sqrt(v_[c] / c2) + 1e-8));
  }
  return loss;
}

DreamBoothObjective::DreamBoothObjective(ImageNet& model, const NoiseSchedule& schedule,
                                         std::vector<float> subject, int count, std::vector<float> prior,
                                         std::vector<int> prior_labels, const DreamBoothConfig& config)
    : model_(model),
      schedule_(schedule),
      subject_(std::move(subject)),
      prior_(std::move(prior)),
      prior_labels_(std::move(prior_labels)),
      count_(count),
      config_(config),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 433) {
  if (count_ < 1 || subject_.size() != static_cast<size_t>(count_) * model_.dim())
    throw std::invalid_argument("DreamBooth needs at least one subject image of the model's size");
  if (model_.num_classes() <= 0) throw std::invalid_argument("DreamBooth needs a class-conditional model");
  if (config_.token < 0 || config_.token >= model_.num_classes())
    throw std::invalid_argument("the token must be a class id of the model (0 … " +
                                std::to_string(model_.num_classes() - 1) + ")");
  if (prior_.size() != prior_labels_.size() * static_cast<size_t>(model_.dim()))
    throw std::invalid_argument("prior images and labels do not match");
  if (config_.prior_weight > 0 && prior_labels_.empty())
    throw std::invalid_argument("the prior-preservation loss needs prior images");
}

StepResult DreamBoothObjective::step(TrainLoop& loop) {
  const bool prior = config_.prior_weight > 0;
  const int S = config_.batch, B = prior ? 2 * S : S, D = model_.dim(), T = schedule_.T();
  xt_.resize(static_cast<size_t>(B) * D), eps_.resize(xt_.size()), out_.resize(xt_.size());
  d_out_.resize(xt_.size()), t_.resize(B), labels_.resize(B);
  for (int i = 0; i < B; ++i) {
    const float* x0 = nullptr;
    if (i < S) {
      const int j = static_cast<int>(rng_.below(count_));
      x0 = subject_.data() + static_cast<size_t>(j) * D;
      labels_[i] = rng_.uniform() < config_.label_dropout ? -1 : config_.token;
    } else {
      const int j = static_cast<int>(rng_.below(prior_labels_.size()));
      x0 = prior_.data() + static_cast<size_t>(j) * D;
      labels_[i] = prior_labels_[j];
    }
    const int t = static_cast<int>(rng_.below(T));
    t_[i] = static_cast<float>(t);
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[t]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[t]);
    for (int k = 0; k < D; ++k) {
      const size_t at = static_cast<size_t>(i) * D + k;
      eps_[at] = static_cast<float>(rng_.normal());
      xt_[at] = a * x0[k] + b * eps_[at];
    }
  }
  model_.forward(xt_.data(), t_.data(), labels_.data(), B, out_.data());
  // Each half is a mean over its own images and pixels; the prior half is weighted by λ.
  double sums[2] = {0, 0};
  const double per_half = static_cast<double>(S) * D;
  for (int i = 0; i < B; ++i) {
    const int half = i < S ? 0 : 1;
    const double w = half == 0 ? 1.0 : config_.prior_weight;
    for (int k = 0; k < D; ++k) {
      const size_t at = static_cast<size_t>(i) * D + k;
      const double diff = out_[at] - eps_[at];
      sums[half] += diff * diff;
      d_out_[at] = static_cast<float>(w * 2.0 * diff / per_half);
    }
  }
  subject_loss_ = sums[0] / per_half;
  prior_loss_ = prior ? sums[1] / per_half : 0;
  StepResult result;
  result.loss = subject_loss_ + config_.prior_weight * prior_loss_;
  if (std::isfinite(result.loss)) model_.backward(d_out_.data());
  result.diverged = !loop.update(loop.part(0), result.loss, &result.grad_norm);
  return result;
}

std::vector<float> generate_per_class(ImageNet& model, const NoiseSchedule& schedule, int per_class,
                                      double gamma, int steps, uint64_t seed,
                                      const std::vector<int>& classes) {
  const int n = per_class * static_cast<int>(classes.size());
  std::vector<int> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = classes[i / per_class];
  UNetConditionalDenoiser conditional(model, schedule, {}, 64);
  CfgDenoiser guided(conditional, labels, gamma);
  SamplerConfig sc = fid_sampler_config(steps);
  sc.record_trajectory = false;
  Sampler sampler(guided, sc);
  sampler.begin(standard_normal(n * model.dim(), seed), seed + 1);
  sampler.run();
  return sampler.x();
}

GenerationAccuracy generation_accuracy(ImageNet& model, const NoiseSchedule& schedule, Classifier& classifier,
                                       const std::vector<int>& classes, int per_class, double gamma,
                                       int steps, uint64_t seed) {
  if (classifier.dim() != model.dim())
    throw std::invalid_argument("the classifier and the U-Net must have the same image size");
  GenerationAccuracy r;
  r.classes = classes;
  r.images = generate_per_class(model, schedule, per_class, gamma, steps, seed, classes);
  const int n = per_class * static_cast<int>(classes.size());
  const std::vector<int> predicted = classify(classifier, r.images.data(), n);
  for (size_t c = 0; c < classes.size(); ++c) {
    int right = 0;
    for (int i = 0; i < per_class; ++i) right += predicted[c * per_class + i] == classes[c];
    r.accuracy.push_back(static_cast<double>(right) / per_class);
    r.mean += r.accuracy.back() / static_cast<double>(classes.size());
  }
  return r;
}

}  // namespace difflab
