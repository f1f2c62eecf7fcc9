// image_noise_classifier_trainer.cpp — cross-entropy on noised images, warm-up + cosine AdamW, EMA; accuracy
// per noise level; checkpoint in and out. Not the network (nn/image_noise_classifier.cpp).
#include "train/image_noise_classifier_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "nn/classifier.h"

namespace difflab {

std::string describe(const ImageNoiseClassifierTrainConfig& c) {
  std::ostringstream s;
  s << describe(c.model) << "; " << c.steps << " steps, batch " << c.batch << ", AdamW lr " << c.optimizer.lr
    << " (warm-up " << c.warmup_steps << ", cosine), EMA " << c.ema_decay << ", T = " << c.schedule.T
    << ", seed " << c.seed;
  return s.str();
}

ImageNoiseClassifierObjective::ImageNoiseClassifierObjective(const ImageNoiseClassifierTrainConfig& config,
                                                             ImageNoiseClassifier& model,
                                                             const ImageDataset& data,
                                                             const NoiseSchedule& schedule)
    : config_(config),
      model_(model),
      data_(data),
      schedule_(schedule),
      rng_(config.seed * 0x2545F4914F6CDD1DULL + 17) {}

StepResult ImageNoiseClassifierObjective::step(TrainLoop& loop) {
  TrainPart& part = loop.part(0);
  const int B = config_.batch, D = data_.dim(), K = model_.num_classes(), T = schedule_.T();
  x_.resize(static_cast<size_t>(B) * D);
  t_.resize(B);
  labels_.resize(B);
  logits_.resize(static_cast<size_t>(B) * K);
  d_logits_.resize(logits_.size());
  for (int b = 0; b < B; ++b) {
    const int i = static_cast<int>(rng_.below(static_cast<uint64_t>(data_.count)));
    const int t = static_cast<int>(rng_.below(static_cast<uint64_t>(T)));
    const double a = schedule_.sqrt_alpha_bar[t], s = schedule_.sqrt_one_minus_alpha_bar[t];
    const float* x0 = data_.image(i);
    float* xt = x_.data() + static_cast<size_t>(b) * D;
    for (int k = 0; k < D; ++k) xt[k] = static_cast<float>(a * x0[k] + s * rng_.normal());
    t_[b] = static_cast<float>(t);
    labels_[b] = data_.labels[i];
  }
  model_.use_own_params();
  model_.forward(x_.data(), t_.data(), B, logits_.data());
  const double loss = softmax_cross_entropy(logits_.data(), labels_.data(), B, K, d_logits_.data());
  int correct = 0;
  for (int b = 0; b < B; ++b) {
    const float* z = logits_.data() + static_cast<size_t>(b) * K;
    correct += static_cast<int>(std::max_element(z, z + K) - z) == labels_[b];
  }
  last_accuracy_ = static_cast<double>(correct) / B;
  model_.backward(d_logits_.data());
  const int s = part.optimizer->step_count(), total = config_.steps;
  const int warmup = std::min(config_.warmup_steps, total / 2);
  const double lr_scale =
      s < warmup ? (s + 1.0) / warmup
                 : 0.5 * (1 + std::cos(std::numbers::pi * (s - warmup) / std::max(1, total - warmup)));
  part.settings.adamw.lr = static_cast<float>(config_.optimizer.lr * lr_scale);
  StepResult result;
  result.loss = loss;
  result.diverged = !loop.update(part, loss, &result.grad_norm);
  return result;
}

double noise_classifier_accuracy(ImageNoiseClassifier& model, const NoiseSchedule& schedule,
                                 const ImageDataset& test, int n, int t, uint64_t seed) {
  if (test.labels.empty()) throw std::invalid_argument(test.description + ": accuracy needs labels");
  if (n <= 0 || n > test.count) n = test.count;
  const int D = test.dim(), K = model.num_classes();
  Rng rng(seed);
  const double a = schedule.sqrt_alpha_bar[t], s = schedule.sqrt_one_minus_alpha_bar[t];
  std::vector<float> xt(static_cast<size_t>(n) * D), log_p(static_cast<size_t>(n) * K);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < D; ++k)
      xt[static_cast<size_t>(i) * D + k] = static_cast<float>(a * test.image(i)[k] + s * rng.normal());
  model.log_probs(xt.data(), n, t, log_p.data());
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    const float* z = log_p.data() + static_cast<size_t>(i) * K;
    correct += static_cast<int>(std::max_element(z, z + K) - z) == test.labels[i];
  }
  return static_cast<double>(correct) / n;
}

ImageNoiseClassifierTrainer::ImageNoiseClassifierTrainer(const ImageNoiseClassifierTrainConfig& config,
                                                         ImageDataset data)
    : config_(config), data_(std::move(data)), schedule_(make_schedule(config.schedule)) {
  if (data_.labels.empty())
    throw std::invalid_argument(data_.description + ": the noise classifier needs labels");
  if (data_.channels != 1) throw std::invalid_argument("the noise classifier takes one-channel images");
  config_.model.height = data_.height;
  config_.model.width = data_.width;
  config_.model.num_classes = std::max(2, data_.num_classes);
  backend_ = make_backend(BackendKind::cpu);
  backend_->set_threads(config_.threads);
  model_ = std::make_unique<ImageNoiseClassifier>(config_.model, *backend_);
  model_->init_params(config_.seed);
  loop_.add_part("model", *model_, {config_.optimizer, config_.grad_clip, config_.ema_decay, 100});
  objective_ = std::make_unique<ImageNoiseClassifierObjective>(config_, *model_, data_, schedule_);
}

ImageNoiseClassifierTrainer::~ImageNoiseClassifierTrainer() = default;

double ImageNoiseClassifierTrainer::step() {
  const StepResult r = loop_.step(*objective_);
  return r.diverged ? NAN : r.loss;
}

double ImageNoiseClassifierTrainer::accuracy(const ImageDataset& test, int n, int t) {
  ParamsView view(*model_, eval_params());
  return noise_classifier_accuracy(*model_, schedule_, test, n, t);
}

Checkpoint ImageNoiseClassifierTrainer::to_checkpoint() const {
  Checkpoint c;
  c.architecture = "image-noise-classifier";
  c.model_config = image_noise_classifier_config_map(config_.model);
  // Not a denoiser, but it keeps the schedule keys: its t is a code index of that schedule, and guidance
  // checks it against the U-Net's.
  c.denoiser = true;
  c.schedule = config_.schedule;
  c.dataset = config_.dataset;
  c.loss = "cross-entropy";
  c.step = step_count();
  c.seed = config_.seed;
  c.ema_params.resize(model_->num_params());
  backend_->read(eval_params(), c.ema_params.data());
  c.extra["batch"] = std::to_string(config_.batch);
  return c;
}

std::unique_ptr<LoadedImageNoiseClassifier> load_image_noise_classifier(const std::string& path,
                                                                        int threads) {
  auto loaded = std::make_unique<LoadedImageNoiseClassifier>();
  loaded->checkpoint = load_checkpoint(path);
  if (loaded->checkpoint.architecture != "image-noise-classifier")
    throw std::invalid_argument(path + ": a '" + loaded->checkpoint.architecture +
                                "' checkpoint, not a noise-conditional image classifier (train one with "
                                "`difflab classifier train --noise-conditional`)");
  loaded->backend = make_backend(BackendKind::cpu);
  loaded->backend->set_threads(threads);
  loaded->model = std::make_unique<ImageNoiseClassifier>(
      image_noise_classifier_config_from_map(loaded->checkpoint.model_config), *loaded->backend);
  loaded->backend->write(loaded->model->params(), loaded->checkpoint.ema_params.data());
  loaded->schedule = make_schedule(loaded->checkpoint.schedule);
  return loaded;
}

std::string default_noise_classifier_path() {
  return shipped_checkpoint_path("fashion-mnist-noise-classifier.ckpt");
}

}  // namespace difflab
