// clip_objective.cpp — the mini-CLIP's training step, trainer, zero-shot accuracy and checkpoints.
// Not the encoders or the loss: nn/clip.cpp.
#include "train/clip_objective.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace difflab {

ClipConfig default_clip_config() {
  ClipConfig c;
  c.vocab = caption_tokenizer().vocab_size();
  c.max_tokens = caption_tokenizer().max_tokens();
  return c;
}

std::string describe(const ClipTrainConfig& c) {
  std::ostringstream s;
  s << describe(c.model) << "; " << c.steps << " steps, batch " << c.batch << ", AdamW lr " << c.optimizer.lr
    << " (warm-up " << c.warmup_steps << ", cosine), EMA " << c.ema_decay << ", seed " << c.seed;
  return s.str();
}

ClipObjective::ClipObjective(const ClipTrainConfig& config, ClipModel& model, const ImageDataset& data)
    : config_(config), model_(model), data_(data), rng_(config.seed * 0x2545F4914F6CDD1DULL + 14) {}

ClipLossResult ClipObjective::gradients(const float* images, const int* tokens, int n) {
  const int d = model_.embed_dim();
  img_.resize(static_cast<size_t>(n) * d);
  txt_.resize(img_.size());
  d_img_.resize(img_.size());
  d_txt_.resize(img_.size());
  model_.forward_images(images, n, img_.data());
  model_.forward_texts(tokens, n, txt_.data());
  double d_scale = 0;
  const ClipLossResult r =
      clip_loss(img_.data(), txt_.data(), n, d, model_.log_scale(), d_img_.data(), d_txt_.data(), &d_scale);
  model_.zero_grads();
  model_.backward_texts(d_txt_.data());  // the text activations are the last forward's
  model_.backward_images(d_img_.data());
  model_.add_log_scale_grad(d_scale);
  return r;
}

StepResult ClipObjective::step(TrainLoop& loop) {
  TrainPart& part = loop.part(0);
  const int B = config_.batch, D = data_.dim(), L = model_.config().max_tokens;
  const WordTokenizer& tokenizer = caption_tokenizer();
  x_.resize(static_cast<size_t>(B) * D);
  tokens_.resize(static_cast<size_t>(B) * L);
  for (int b = 0; b < B; ++b) {
    const int i = static_cast<int>(rng_.below(static_cast<uint64_t>(data_.count)));
    std::copy_n(data_.image(i), D, x_.begin() + static_cast<std::ptrdiff_t>(b) * D);
    const std::vector<int> t = tokenizer.encode(random_caption(data_.labels[i], rng_));
    std::copy_n(t.begin(), L, tokens_.begin() + static_cast<std::ptrdiff_t>(b) * L);
  }
  model_.use_own_params();
  last_ = gradients(x_.data(), tokens_.data(), B);
  const int s = part.optimizer->step_count(), total = std::max(1, config_.steps);
  const int warmup = std::min(config_.warmup_steps, total / 2);
  // Linear warm-up, then cosine decay to 0 at `steps` (a live run past it keeps a tenth of the rate).
  const double lr_scale =
      s < warmup  ? (s + 1.0) / std::max(1, warmup)
      : s < total ? 0.5 * (1 + std::cos(std::numbers::pi * (s - warmup) / std::max(1, total - warmup)))
                  : 0.0;
  part.settings = {config_.optimizer, config_.grad_clip, config_.ema_decay, 100};
  part.settings.adamw.lr = static_cast<float>(config_.optimizer.lr * std::max(lr_scale, 0.1));
  StepResult result;
  result.loss = last_.loss;
  result.diverged = !loop.update(part, last_.loss, &result.grad_norm);
  // CLIP clamps the learned log-scale to 0 … ln 100 after each step.
  const double log_scale = std::clamp(model_.log_scale(), 0.0, kClipMaxLogScale);
  const float v = static_cast<float>(log_scale);
  const Tensor params = model_.params();
  model_.backend().write(Tensor{params.storage, params.offset + model_.num_params() - 1, 1, 1}, &v);
  logit_scale_ = std::exp(log_scale);
  return result;
}

std::vector<std::vector<std::string>> zero_shot_prompts(ZeroShotPrompts kind) {
  std::vector<std::vector<std::string>> prompts(kCaptionClasses);
  for (int c = 0; c < kCaptionClasses; ++c) {
    if (kind == ZeroShotPrompts::Ensemble)
      prompts[c] = all_captions(c);
    else
      prompts[c] = {
          class_prompt(kind == ZeroShotPrompts::Spanish ? CaptionLanguage::Es : CaptionLanguage::En, c)};
  }
  return prompts;
}

std::vector<float> clip_class_embeddings(ClipModel& model,
                                         const std::vector<std::vector<std::string>>& prompts) {
  const int d = model.embed_dim(), K = static_cast<int>(prompts.size());
  std::vector<float> classes(static_cast<size_t>(K) * d, 0.0f);
  for (int c = 0; c < K; ++c) {
    std::vector<std::vector<int>> tokens;
    for (const std::string& p : prompts[c]) tokens.push_back(caption_tokenizer().encode(p));
    const std::vector<float> e = model.encode_texts(tokens);
    for (size_t i = 0; i < tokens.size(); ++i)
      for (int k = 0; k < d; ++k) classes[static_cast<size_t>(c) * d + k] += e[i * d + k];
  }
  l2_normalize_rows(classes.data(), K, d);
  return classes;
}

double clip_zero_shot_accuracy(ClipModel& model, const ImageDataset& data, const std::vector<float>& classes,
                               int n) {
  if (data.labels.empty()) throw std::invalid_argument(data.description + ": accuracy needs labels");
  if (n <= 0 || n > data.count) n = data.count;
  const int d = model.embed_dim(), K = static_cast<int>(classes.size() / d);
  const std::vector<float> u = model.encode_images(data.pixels.data(), n, 250);
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    int best = 0;
    double best_dot = -2;
    for (int c = 0; c < K; ++c) {
      double dot = 0;
      for (int k = 0; k < d; ++k)
        dot += static_cast<double>(u[static_cast<size_t>(i) * d + k]) * classes[c * d + k];
      if (dot > best_dot) best_dot = dot, best = c;
    }
    correct += best == data.labels[i];
  }
  return static_cast<double>(correct) / n;
}

ClipTrainer::ClipTrainer(const ClipTrainConfig& config, ImageDataset data)
    : config_(config), data_(std::move(data)) {
  if (data_.labels.empty()) throw std::invalid_argument(data_.description + ": CLIP's captions need labels");
  if (data_.num_classes > kCaptionClasses || data_.channels != 1)
    throw std::invalid_argument(data_.description + ": the captions describe Fashion-MNIST's 10 classes");
  config_.model.height = data_.height;
  config_.model.width = data_.width;
  backend_ = make_backend(config_.backend, nullptr, clip_param_count(config_.model));
  backend_->set_threads(config_.threads);
  model_ = std::make_unique<ClipModel>(config_.model, *backend_);
  model_->init_params(config_.seed);
  loop_.add_part("model", *model_, {config_.optimizer, config_.grad_clip, config_.ema_decay, 100});
  objective_ = std::make_unique<ClipObjective>(config_, *model_, data_);
}

ClipTrainer::~ClipTrainer() = default;

Checkpoint ClipTrainer::to_checkpoint() const {
  Checkpoint c;
  c.architecture = "clip";
  c.model_config = clip_config_map(config_.model);
  c.denoiser = false;
  c.dataset = config_.dataset;
  c.loss = "info_nce";
  c.step = step_count();
  c.seed = config_.seed;
  c.ema_params.resize(model_->num_params());
  backend_->read(eval_params(), c.ema_params.data());
  c.extra["batch"] = std::to_string(config_.batch);
  c.extra["steps"] = std::to_string(config_.steps);
  return c;
}

void ClipTrainer::load_weights(const std::vector<float>& params, int step) {
  if (params.size() != model_->num_params())
    throw std::invalid_argument("CLIP weights: " + std::to_string(params.size()) + " values, the model has " +
                                std::to_string(model_->num_params()));
  backend_->write(model_->params(), params.data());
  if (config_.ema_decay > 0) backend_->write(loop_.part(0).optimizer->ema(), params.data());
  loop_.reset(step);
}

std::unique_ptr<LoadedClip> load_clip(const std::string& path, int threads) {
  auto loaded = std::make_unique<LoadedClip>();
  loaded->checkpoint = load_checkpoint(path);
  if (loaded->checkpoint.architecture != "clip")
    throw std::invalid_argument(
        path + ": a '" + loaded->checkpoint.architecture +
        "' checkpoint, not a CLIP model (train one with `difflab train --model clip`)");
  const ClipConfig config = clip_config_from_map(loaded->checkpoint.model_config);
  if (config.vocab != caption_tokenizer().vocab_size() ||
      config.max_tokens != caption_tokenizer().max_tokens())
    throw std::invalid_argument(path + ": its word table has " + std::to_string(config.vocab) +
                                " words, the captions' has " +
                                std::to_string(caption_tokenizer().vocab_size()));
  loaded->backend = make_backend(BackendKind::cpu, nullptr, clip_param_count(config));
  loaded->backend->set_threads(threads);
  loaded->model = std::make_unique<ClipModel>(config, *loaded->backend);
  loaded->backend->write(loaded->model->params(), loaded->checkpoint.ema_params.data());
  return loaded;
}

std::string default_clip_path() {
  return shipped_checkpoint_path("fashion-mnist-clip.ckpt");
}

}  // namespace difflab
