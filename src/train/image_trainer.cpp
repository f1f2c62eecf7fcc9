// image_trainer.cpp — one image training step = sample (x₀, t, ε), U-Net forward, L_simple, backward, clip, AdamW, EMA.
// Not a sampler: sample() hands the EMA weights to sample/ through UNetDenoiser.
#include "train/image_trainer.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "nn/unet_denoiser.h"
#include "sample/sampler.h"

namespace difflab {

std::string describe(const ImageTrainConfig& c) {
  std::ostringstream s;
  s << "dataset " << c.dataset << ", " << describe(c.model) << ", " << schedule_kind_name(c.schedule.kind)
    << " T=" << c.schedule.T << ", predict eps, loss simple, batch " << c.batch << ", lr " << c.optimizer.lr
    << ", EMA " << c.ema_decay << ", seed " << c.seed << ", threads " << c.threads;
  return s.str();
}

ImageTrainer::ImageTrainer(const ImageTrainConfig& config)
    : ImageTrainer(config, load_image_dataset(config.dataset, true)) {}

ImageTrainer::ImageTrainer(const ImageTrainConfig& config, ImageDataset data)
    : config_(config), schedule_(make_schedule(config.schedule)), data_(std::move(data)),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 29) {
  init();
}

ImageTrainer::~ImageTrainer() = default;

void ImageTrainer::init() {
  if (config_.batch < 1 || config_.batch > 4096) throw std::invalid_argument("batch must be 1 … 4096");
  if (!(config_.optimizer.lr > 0) || !std::isfinite(config_.optimizer.lr))
    throw std::invalid_argument("the learning rate must be positive");
  if (data_.count < 1) throw std::invalid_argument("no training images");
  config_.model.height = data_.height;
  config_.model.width = data_.width;
  if (config_.model.num_classes > 0 && data_.labels.empty())
    throw std::invalid_argument("a class-conditional model needs a label file (idx:IMAGES,LABELS)");
  backend_ = make_cpu_backend();
  backend_->set_threads(config_.threads);
  model_ = std::make_unique<UNet>(config_.model, *backend_);
  model_->init_params(config_.seed);
  const size_t n = model_->num_params();
  state_storage_ = backend_->create_storage(7 * n);
  auto slot = [&](int i) { return Tensor{state_storage_.get(), i * n, 1, static_cast<int>(n)}; };
  adam_m_ = slot(0), adam_v_ = slot(1), ema_params_ = slot(2);
  backup_params_ = slot(3), backup_m_ = slot(4), backup_v_ = slot(5), backup_ema_ = slot(6);
  backend_->copy(ema_params_, model_->params());
  backup();
  const size_t BD = static_cast<size_t>(config_.batch) * data_.dim();
  xt_.resize(BD), eps_.resize(BD), out_.resize(BD), d_out_.resize(BD);
  t_.resize(config_.batch);
  labels_.resize(config_.batch);
}

void ImageTrainer::backup() {
  backend_->copy(backup_params_, model_->params());
  backend_->copy(backup_m_, adam_m_);
  backend_->copy(backup_v_, adam_v_);
  backend_->copy(backup_ema_, ema_params_);
  backup_step_ = step_;
}

void ImageTrainer::restore() {
  backend_->copy(model_->params(), backup_params_);
  backend_->copy(adam_m_, backup_m_);
  backend_->copy(adam_v_, backup_v_);
  backend_->copy(ema_params_, backup_ema_);
  step_ = backup_step_;
}

StepResult ImageTrainer::step() {
  const int B = config_.batch, D = data_.dim(), T = schedule_.T();
  // Algorithm 1: x₀ ~ data, t ~ U{0 … T−1}, ε ~ 𝒩(0, I), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    const int t = static_cast<int>(rng_.below(T));
    t_[i] = static_cast<float>(t);
    labels_[i] = data_.labels.empty() || rng_.uniform() < config_.label_dropout ? -1 : data_.labels[j];
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[t]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[t]);
    const float* x0 = data_.image(j);
    float* e = eps_.data() + static_cast<size_t>(i) * D;
    float* xt = xt_.data() + static_cast<size_t>(i) * D;
    for (int k = 0; k < D; ++k) {
      e[k] = static_cast<float>(rng_.normal());
      xt[k] = a * x0[k] + b * e[k];
    }
  }
  model_->forward(xt_.data(), t_.data(), labels_.data(), B, out_.data());
  // L_simple = mean over the batch and the pixels of (ε̂ − ε)².
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  StepResult result;
  result.loss = loss;
  if (!std::isfinite(loss)) {
    restore();
    result.diverged = true;
    return result;
  }
  model_->backward(d_out_.data());
  const double norm = std::sqrt(backend_->sum_squares(model_->grads()));
  result.grad_norm = norm;
  if (!std::isfinite(norm)) {
    restore();
    result.diverged = true;
    return result;
  }
  if (config_.grad_clip > 0 && norm > config_.grad_clip)
    backend_->scale(model_->grads(), static_cast<float>(config_.grad_clip / norm));
  ++step_;
  backend_->adamw_step(model_->params(), model_->grads(), adam_m_, adam_v_, config_.optimizer, step_);
  if (config_.ema_decay > 0) {
    const float decay = std::min(config_.ema_decay, (1.0f + step_) / (10.0f + step_));
    backend_->ema_update(ema_params_, model_->params(), decay);
  }
  if (config_.backup_every > 0 && step_ % config_.backup_every == 0) backup();
  return result;
}

std::vector<float> ImageTrainer::sample(int n, uint64_t seed, int ddim_steps, int label) {
  UNetDenoiser denoiser(*model_, schedule_, ema_params(), label);
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.clip_x0 = true;
  if (ddim_steps > 0) {
    sc.kind = SamplerKind::Ddim;
    sc.steps = ddim_steps;
  }
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(n * data_.dim(), seed), seed + 1);
  sampler.run();
  return sampler.x();
}

std::vector<float> ImageTrainer::read_params(bool ema) const {
  std::vector<float> v(model_->num_params());
  backend_->read(ema ? ema_params() : model_->params(), v.data());
  return v;
}

void ImageTrainer::load_params(const std::vector<float>& params, const std::vector<float>& ema, int step) {
  if (params.size() != model_->num_params() || ema.size() != model_->num_params())
    throw std::invalid_argument("parameter count does not match the model");
  backend_->write(model_->params(), params.data());
  backend_->write(ema_params_, ema.data());
  backend_->fill(adam_m_, 0.0f);
  backend_->fill(adam_v_, 0.0f);
  step_ = step;
  backup();
}

}  // namespace difflab
