// image_trainer.cpp — one image training step = sample (x₀, t, ε), U-Net forward, L_simple, backward, clip,
// AdamW, EMA. Not a sampler: sample() hands the EMA weights to sample/ through UNetDenoiser.
#include "train/image_trainer.h"

#include "train/ui_message.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "nn/backend_factory.h"
#include "nn/model_family.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/image_flow_objective.h"

namespace difflab {

std::string describe(const ImageTrainConfig& c) {
  std::ostringstream s;
  s << "dataset " << c.dataset << ", " << (c.family == "unet" ? describe(c.model) : "family " + c.family)
    << ", " << schedule_kind_name(c.schedule.kind) << " T=" << c.schedule.T
    << (c.objective == "flow" ? ", flow matching (v = ε − x₀, t " + c.flow_time + ")"
                              : ", predict eps, loss simple")
    << ", batch " << c.batch << ", lr " << c.optimizer.lr << ", EMA " << c.ema_decay << ", seed " << c.seed
    << ", threads " << c.threads;
  return s.str();
}

ImageTrainer::ImageTrainer(const ImageTrainConfig& config)
    : ImageTrainer(config, load_image_dataset(config.dataset, true)) {}

ImageTrainer::ImageTrainer(const ImageTrainConfig& config, ImageDataset data)
    : config_(config), schedule_(make_schedule(config.schedule)), data_(std::move(data)) {
  init();
}

ImageTrainer::~ImageTrainer() = default;

void ImageTrainer::init() {
  if (config_.batch < 1 || config_.batch > 4096)
    throw TrainError(train_message("trainmsg.batch_range", {"4096"}));
  if (!(config_.optimizer.lr > 0) || !std::isfinite(config_.optimizer.lr))
    throw TrainError(train_message("trainmsg.lr_positive"));
  if (data_.count < 1) throw TrainError(train_message("trainmsg.no_images"));
  config_.model.height = data_.height;
  config_.model.width = data_.width;
  config_.model.in_channels = data_.channels;
  if (config_.model.num_classes > 0 && data_.labels.empty())
    throw TrainError(train_message("trainmsg.label_file"));
  const ModelFamily* family = find_model_family(config_.family);
  if (config_.family == "unet") {
    backend_ = make_backend(config_.backend, &backend_choice_, unet_param_count(config_.model));
    backend_->set_threads(config_.threads);
    model_ = std::make_unique<UNet>(config_.model, *backend_);
  } else {
    // Another image family: its configuration names the image size, which must be the data's.
    if (!family) throw std::invalid_argument("unknown model family '" + config_.family + "'");
    backend_ = make_backend(config_.backend, &backend_choice_, family->param_count(config_.family_config));
    backend_->set_threads(config_.threads);
    std::unique_ptr<Model> made = family->make(config_.family_config, *backend_);
    auto* net = dynamic_cast<ImageNet*>(made.get());
    if (!net) throw std::invalid_argument("model family '" + config_.family + "' is not an image network");
    made.release();
    model_.reset(net);
    if (net->height() != data_.height || net->width() != data_.width || net->channels() != data_.channels)
      throw std::invalid_argument("the model's image size does not match the data's");
  }
  model_->init_params(config_.seed);
  loop_.add_part("model", *model_,
                 {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every});
  if (config_.objective == "flow")
    objective_ = std::make_unique<ImageFlowObjective>(config_, *model_, data_);
  else if (config_.objective == "diffusion")
    objective_ = std::make_unique<ImageDiffusionObjective>(config_, *model_, schedule_, data_);
  else
    throw std::invalid_argument("the image objective must be diffusion or flow, not '" + config_.objective +
                                "'");
}

StepResult ImageTrainer::step() {
  return loop_.step(*objective_);
}

ImageDiffusionObjective::ImageDiffusionObjective(const ImageTrainConfig& config, ImageNet& model,
                                                 const NoiseSchedule& schedule, const ImageDataset& data)
    : config_(config),
      model_(model),
      schedule_(schedule),
      data_(data),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 29) {
  const size_t BD = static_cast<size_t>(config_.batch) * data_.dim();
  xt_.resize(BD), eps_.resize(BD), out_.resize(BD), d_out_.resize(BD);
  t_.resize(config_.batch);
  labels_.resize(config_.batch);
}

StepResult ImageDiffusionObjective::step(TrainLoop& loop) {
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
  model_.forward(xt_.data(), t_.data(), labels_.data(), B, out_.data());
  // L_simple = mean over the batch and the pixels of (ε̂ − ε)².
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  TrainPart& part = loop.part(0);
  part.settings = {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every};
  StepResult result;
  result.loss = loss;
  if (std::isfinite(loss)) model_.backward(d_out_.data());
  result.diverged = !loop.update(part, loss, &result.grad_norm);
  return result;
}

std::vector<float> ImageTrainer::sample(int n, uint64_t seed, int ddim_steps, int label) {
  if (config_.objective == "flow")
    return sample_image_flow(*model_, ema_params(), n, ddim_steps > 0 ? ddim_steps : 50, FlowMethod::Euler,
                             seed, label);
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
    throw TrainError(train_message("trainmsg.param_count"));
  backend_->write(model_->params(), params.data());
  backend_->write(loop_.part(0).optimizer->ema(), ema.data());
  loop_.reset(step);
}

}  // namespace difflab
