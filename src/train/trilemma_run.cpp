// trilemma_run.cpp — the trilemma's workers: a training loop per model and its periodic scoring.
// Not a UI. The engine is built on the worker thread, so a panel's constructor never waits for it.
#include "train/trilemma_run.h"

#include <chrono>
#include <cmath>

#include "nn/mlp_denoiser.h"
#include "sample/sampler.h"
#include "train/generative_trainer.h"
#include "train/trainer.h"

namespace difflab {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

struct TrilemmaRun::Engine {
  TrilemmaModel model;
  TrilemmaRunConfig config;
  std::unique_ptr<GenerativeTrainer> generative;
  std::unique_ptr<Trainer> diffusion;
  std::vector<float> held_out;
  std::optional<GaussianMixture2D> modes;
  Dataset2D data;
  TrilemmaSnapshot state;
  uint64_t eval_count = 0;

  Engine(TrilemmaModel m, const TrilemmaRunConfig& c)
      : model(m), config(c), data(Dataset2D::load(c.dataset)) {
    if (m == TrilemmaModel::Diffusion) {
      TrainConfig t;
      t.dataset = c.dataset;
      t.seed = c.seed;
      t.schedule = ScheduleConfig{ScheduleKind::Linear, c.diffusion_T, 1e-4, 0.02};
      t.steps = 0;
      t.eval_every = 0;
      diffusion = std::make_unique<Trainer>(t);
    } else {
      GenerativeConfig g;
      g.dataset = c.dataset;
      g.seed = c.seed;
      g.gan.spectral_norm = c.gan_spectral_norm;
      if (c.gan_fast_discriminator) g.gan_d_lr = g.gan_lr;
      generative = std::make_unique<GenerativeTrainer>(
          m == TrilemmaModel::Gan ? GenerativeKind::Gan : GenerativeKind::Vae, g);
    }
    held_out = data.sample(2000, c.seed + 5000).xy;
    if (data.is_mixture() && has_labelled_modes(data.oracle_mixture())) modes = data.oracle_mixture();
  }

  bool step() {
    const auto t0 = Clock::now();
    const StepResult r = diffusion ? diffusion->step() : generative->step();
    state.train_seconds += since(t0);
    ++state.step;
    if (r.diverged) state.diverged = true;
    return !r.diverged;
  }

  TrilemmaScore score(const std::vector<float>& samples, int nfe, double seconds) {
    TrilemmaScore s;
    s.nfe = nfe;
    s.step = state.step;
    const int n = static_cast<int>(samples.size() / 2);
    s.ms_per_sample = 1000 * seconds / n;
    const std::vector<float> fresh = data.sample(n, config.seed + 7000 + eval_count).xy;
    s.score = score_samples(samples, held_out, fresh, modes ? &*modes : nullptr);
    return s;
  }

  void evaluate() {
    ++eval_count;
    const uint64_t seed = config.seed + 100 * eval_count;
    const std::vector<TrilemmaScore> previous = std::move(state.scores);
    state.scores.clear();
    if (generative) {
      const auto t0 = Clock::now();
      std::vector<float> x = generative->sample(config.eval_points, seed);
      state.scores.push_back(score(x, 1, since(t0)));
      state.samples = std::move(x);
    } else {
      MlpDenoiser denoiser(diffusion->model(), diffusion->schedule(), Prediction::Eps,
                           diffusion->ema_params(), diffusion->data_box());
      for (size_t k = 0; k < config.diffusion_steps.size(); ++k) {
        const int steps = std::min(config.diffusion_steps[k], config.diffusion_T);
        const bool full = steps >= config.diffusion_T;
        // All T steps on a fifth of the points cost four DDIM-50 batches: scored on every other evaluation
        // (the last score, with its step, is kept in between).
        if (full && eval_count % 2 != 1 && k < previous.size()) {
          state.scores.push_back(previous[k]);
          continue;
        }
        const int n = full ? std::max(50, config.eval_points / 5) : config.eval_points;
        SamplerConfig sc;
        sc.record_trajectory = false;
        sc.kind = full ? SamplerKind::Ddpm : SamplerKind::Ddim;
        sc.steps = steps;
        sc.spacing = Spacing::Trailing;
        const auto t0 = Clock::now();
        Sampler sampler(denoiser, sc);
        sampler.begin(standard_normal(2 * n, seed + k), seed + k + 50);
        sampler.run();
        std::vector<float> x = sampler.x();
        state.scores.push_back(score(x, sampler.network_evaluations(), since(t0)));
        if (k == 0) state.samples = std::move(x);
      }
    }
    state.evaluated = true;
    const double swd = state.scores.front().score.swd;
    if (state.best_step == 0 || swd < state.best_swd) {
      state.best_swd = swd;
      state.best_seconds = state.train_seconds;
      state.best_step = state.step;
    }
  }
};

TrilemmaRun::TrilemmaRun(TrilemmaModel model, const TrilemmaRunConfig& config)
    : model_(model), config_(config), snapshot_(std::make_shared<TrilemmaSnapshot>()) {
  worker_ = std::thread([this] { worker_loop(); });
}

TrilemmaRun::~TrilemmaRun() {
  quit_ = true;
  if (worker_.joinable()) worker_.join();
}

std::shared_ptr<const TrilemmaSnapshot> TrilemmaRun::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshot_;
}

void TrilemmaRun::worker_loop() {
  try {
    engine_ = std::make_unique<Engine>(model_, config_);
  } catch (const std::exception&) {
    return;  // the panel shows the data set's own error
  }
  // Scoring takes at most about a quarter of the worker's time: after an evaluation that took E seconds, the
  // next comes after 3E seconds of training (at least 0.25 s).
  // GAN and VAE publish their untrained samples at once; diffusion (whose scoring samples 1000 steps) trains
  // for a second first.
  double train_budget = model_ == TrilemmaModel::Diffusion ? 1.0 : 0.25;
  double trained = 0;
  bool first = model_ != TrilemmaModel::Diffusion;
  while (!quit_) {
    const bool limit = config_.max_steps > 0 && engine_->state.step >= config_.max_steps;
    if ((!playing_ || limit) && !first) {
      // A paused diffusion run that has not scored yet scores its current weights once.
      if (!engine_->state.evaluated) first = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      continue;
    }
    if (!first) {
      const double before = engine_->state.train_seconds;
      engine_->step();
      trained += engine_->state.train_seconds - before;
    }
    if (first || trained >= train_budget ||
        (config_.max_steps > 0 && engine_->state.step >= config_.max_steps)) {
      const auto t0 = Clock::now();
      engine_->evaluate();
      train_budget = std::max(0.25, 3 * since(t0));
      trained = 0;
      first = false;
      auto s = std::make_shared<TrilemmaSnapshot>(engine_->state);
      std::lock_guard<std::mutex> lock(mutex_);
      snapshot_ = std::move(s);
    }
  }
}

TrilemmaSnapshot TrilemmaRun::train_and_score(TrilemmaModel model, const TrilemmaRunConfig& config,
                                              int steps) {
  Engine e(model, config);
  for (int i = 0; i < steps; ++i) e.step();
  e.evaluate();
  return e.state;
}

}  // namespace difflab
