// classifier_trainer.cpp — minibatch AdamW on softmax cross-entropy, warm-up + cosine, an EMA.
// Not a general trainer: one model, one loss, labelled images in memory.
#include "train/classifier_trainer.h"

#include "nn/backend_factory.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace difflab {

std::string describe(const ClassifierTrainConfig& c) {
  std::ostringstream s;
  s << describe(c.model) << "; " << c.epochs << " epochs, batch " << c.batch << ", AdamW lr "
    << c.optimizer.lr << " (warm-up " << c.warmup_steps << ", cosine), weight decay "
    << c.optimizer.weight_decay << ", EMA " << c.ema_decay << (c.flip ? ", random flips" : "") << ", seed "
    << c.seed;
  return s.str();
}

ClassifierTrainer::ClassifierTrainer(const ClassifierTrainConfig& config, ImageDataset data)
    : config_(config), data_(std::move(data)) {
  if (data_.labels.empty()) throw std::invalid_argument(data_.description + ": the classifier needs labels");
  config_.model.height = data_.height;
  config_.model.width = data_.width;
  config_.model.num_classes = std::max(config_.model.num_classes, data_.num_classes);
  backend_ = make_backend(config_.backend, &backend_choice_, classifier_param_count(config_.model));
  backend_->set_threads(config_.threads);
  model_ = std::make_unique<Classifier>(config_.model, *backend_);
  model_->init_params(config_.seed);
  loop_.add_part("model", *model_, {config_.optimizer, config_.grad_clip, config_.ema_decay, 100});
  objective_ = std::make_unique<ClassifierObjective>(config_, *model_, data_);
}

ClassifierTrainer::~ClassifierTrainer() = default;

double ClassifierTrainer::step() {
  const StepResult r = loop_.step(*objective_);
  return r.diverged ? NAN : r.loss;
}

ClassifierObjective::ClassifierObjective(const ClassifierTrainConfig& config, Classifier& model,
                                         const ImageDataset& data)
    : config_(config), model_(model), data_(data), rng_(config.seed * 0x2545F4914F6CDD1DULL + 5) {
  order_.resize(data_.count);
}

StepResult ClassifierObjective::step(TrainLoop& loop) {
  TrainPart& part = loop.part(0);
  const int per_epoch = steps_per_epoch(), s = part.optimizer->step_count();
  const int in_epoch = s % per_epoch;
  if (in_epoch == 0) {  // Fisher–Yates shuffle at the start of every epoch
    for (int i = 0; i < data_.count; ++i) order_[i] = i;
    for (int i = data_.count - 1; i > 0; --i)
      std::swap(order_[i], order_[rng_.below(static_cast<uint64_t>(i) + 1)]);
  }
  const int first = in_epoch * config_.batch, batch = std::min(config_.batch, data_.count - first);
  const int H = data_.height, W = data_.width, D = data_.dim(), K = config_.model.num_classes;
  x_.resize(static_cast<size_t>(batch) * D);
  labels_.resize(batch);
  logits_.resize(static_cast<size_t>(batch) * K);
  d_logits_.resize(logits_.size());
  for (int b = 0; b < batch; ++b) {
    const int i = order_[first + b];
    const float* src = data_.image(i);
    float* dst = x_.data() + static_cast<size_t>(b) * D;
    if (config_.flip && rng_.uniform() < 0.5) {
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) dst[y * W + x] = src[y * W + (W - 1 - x)];
    } else {
      std::copy(src, src + D, dst);
    }
    labels_[b] = data_.labels[i];
  }
  model_.use_own_params();
  model_.forward(x_.data(), batch, logits_.data());
  const double loss = softmax_cross_entropy(logits_.data(), labels_.data(), batch, K, d_logits_.data());
  int correct = 0;
  for (int b = 0; b < batch; ++b) {
    const float* z = logits_.data() + static_cast<size_t>(b) * K;
    correct += static_cast<int>(std::max_element(z, z + K) - z) == labels_[b];
  }
  last_accuracy_ = static_cast<double>(correct) / batch;
  model_.backward(d_logits_.data());
  // Linear warm-up, then cosine decay to 0 over the remaining steps.
  const int total = total_steps(), warmup = std::min(config_.warmup_steps, total / 2);
  const double lr_scale =
      s < warmup ? (s + 1.0) / warmup
                 : 0.5 * (1 + std::cos(std::numbers::pi * (s - warmup) / std::max(1, total - warmup)));
  part.settings = {config_.optimizer, config_.grad_clip, config_.ema_decay, 100};
  part.settings.adamw.lr = static_cast<float>(config_.optimizer.lr * lr_scale);
  StepResult result;
  result.loss = loss;
  result.diverged = !loop.update(part, loss, &result.grad_norm);
  return result;
}

double ClassifierTrainer::accuracy(const ImageDataset& test, int n) {
  model_->set_params_view(eval_params());
  const double a = classifier_accuracy(*model_, test, n);
  model_->use_own_params();
  return a;
}

Checkpoint ClassifierTrainer::to_checkpoint() const {
  Checkpoint c;
  c.architecture = "classifier";
  c.model_config = classifier_config_map(config_.model);
  c.denoiser = false;
  c.dataset = config_.dataset;
  c.loss = "cross_entropy";
  c.step = step_count();
  c.seed = config_.seed;
  c.ema_params.resize(model_->num_params());
  backend_->read(eval_params(), c.ema_params.data());
  c.extra["epochs"] = std::to_string(config_.epochs);
  c.extra["batch"] = std::to_string(config_.batch);
  return c;
}

std::unique_ptr<LoadedClassifier> load_classifier(const std::string& path, int threads, BackendKind backend) {
  auto loaded = std::make_unique<LoadedClassifier>();
  loaded->checkpoint = load_checkpoint(path);
  if (loaded->checkpoint.architecture != "classifier")
    throw std::invalid_argument(path + ": a '" + loaded->checkpoint.architecture +
                                "' checkpoint, not a classifier (train one with `difflab classifier train`)");
  loaded->backend = make_backend(
      backend, nullptr, classifier_param_count(classifier_config_from_map(loaded->checkpoint.model_config)));
  loaded->backend->set_threads(threads);
  loaded->model = std::make_unique<Classifier>(classifier_config_from_map(loaded->checkpoint.model_config),
                                               *loaded->backend);
  loaded->backend->write(loaded->model->params(), loaded->checkpoint.ema_params.data());
  return loaded;
}

std::string default_classifier_path() {
  return shipped_checkpoint_path("fashion-mnist-classifier.ckpt");
}

std::vector<int> classify(Classifier& model, const float* images, int n, int batch) {
  const int D = model.dim(), K = model.config().num_classes;
  std::vector<int> classes(n);
  std::vector<float> logits(static_cast<size_t>(std::min(batch, n)) * K);
  for (int first = 0; first < n; first += batch) {
    const int count = std::min(batch, n - first);
    model.forward(images + static_cast<size_t>(first) * D, count, logits.data());
    for (int b = 0; b < count; ++b) {
      const float* z = logits.data() + static_cast<size_t>(b) * K;
      classes[first + b] = static_cast<int>(std::max_element(z, z + K) - z);
    }
  }
  return classes;
}

double classifier_accuracy(Classifier& model, const ImageDataset& data, int n) {
  if (data.labels.empty()) throw std::invalid_argument(data.description + ": accuracy needs labels");
  if (n <= 0 || n > data.count) n = data.count;
  const std::vector<int> predicted = classify(model, data.pixels.data(), n);
  int correct = 0;
  for (int i = 0; i < n; ++i) correct += predicted[i] == data.labels[i];
  return static_cast<double>(correct) / n;
}

std::vector<float> classifier_features(Classifier& model, const float* images, int n, int batch) {
  const int D = model.dim(), F = model.feature_dim(), K = model.config().num_classes;
  std::vector<float> features(static_cast<size_t>(n) * F);
  std::vector<float> logits(static_cast<size_t>(std::min(batch, n)) * K);
  for (int first = 0; first < n; first += batch) {
    const int count = std::min(batch, n - first);
    model.forward(images + static_cast<size_t>(first) * D, count, logits.data(),
                  features.data() + static_cast<size_t>(first) * F);
  }
  return features;
}

}  // namespace difflab
