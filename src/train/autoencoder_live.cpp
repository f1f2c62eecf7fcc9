// autoencoder_live.cpp — the autoencoder's live job: one TrainLoop step per call, snapshots with the current
// reconstructions. Not threaded itself (LiveRunner's worker calls it).
#include "train/autoencoder_live.h"

#include <algorithm>

#include "nn/backend_factory.h"

namespace difflab {

AutoencoderLiveJob::AutoencoderLiveJob(Settings settings) : settings_(std::move(settings)) {}
AutoencoderLiveJob::~AutoencoderLiveJob() = default;

void AutoencoderLiveJob::start() {
  train_ = load_image_dataset(settings_.dataset, true);
  const ImageDataset test = load_image_dataset(settings_.dataset, false);
  shown_.count = 8;
  shown_.height = shown_.width = 28;
  shown_.pixels.assign(test.image(0), test.image(8));
  backend_ = make_backend(BackendKind::cpu);
  backend_->set_threads(settings_.threads);
  model_ = std::make_unique<Autoencoder>(settings_.model, *backend_);
  model_->init_params(settings_.seed);
  loop_.add_part("model", *model_, {{settings_.lr, 0.9f, 0.999f, 1e-8f, 0.0f}, 1.0f, 0.0f, 100});
  objective_ = std::make_unique<AutoencoderObjective>(*model_, train_, settings_.objective, settings_.seed);
  steps_ = std::make_shared<std::vector<double>>();
  mses_ = std::make_shared<std::vector<double>>();
}

StepResult AutoencoderLiveJob::step() {
  const StepResult r = loop_.step(*objective_);
  if (!r.diverged && loop_.step_count() % 10 == 0) {
    // Copy-on-write: a snapshot may still share the old vectors with the UI.
    auto steps = std::make_shared<std::vector<double>>(*steps_);
    auto mses = std::make_shared<std::vector<double>>(*mses_);
    steps->push_back(loop_.step_count());
    mses->push_back(objective_->last_mse());
    steps_ = std::move(steps);
    mses_ = std::move(mses);
  }
  return r;
}

void AutoencoderLiveJob::set_learning_rate(float lr) {
  loop_.part(0).settings.adamw.lr = lr;
}

std::shared_ptr<const void> AutoencoderLiveJob::snapshot(const RunInfo& info) {
  auto s = std::make_shared<AutoencoderLiveSnapshot>();
  s->step = loop_.step_count();
  s->steps_per_s = info.steps_per_s;
  s->error = error_;
  if (!model_) return s;
  s->curve_steps = steps_;
  s->curve_mse = mses_;
  s->originals = shown_.pixels;
  const std::vector<float> mu = [&] {
    std::vector<float> moments(static_cast<size_t>(8) * 2 * model_->latent_dim()),
        m(8 * model_->latent_dim());
    model_->encode(shown_.pixels.data(), 8, moments.data());
    model_->split_moments(moments.data(), 8, m.data(), nullptr);
    return m;
  }();
  s->reconstructions.resize(shown_.pixels.size());
  model_->decode(mu.data(), 8, s->reconstructions.data());
  double sq = 0;
  for (size_t k = 0; k < s->reconstructions.size(); ++k) {
    s->reconstructions[k] = std::clamp(s->reconstructions[k], -1.0f, 1.0f);
    const double d = s->reconstructions[k] - shown_.pixels[k];
    sq += d * d;
  }
  s->mse = sq / static_cast<double>(s->reconstructions.size());
  return s;
}

}  // namespace difflab
