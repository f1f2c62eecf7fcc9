// trilemma_run.cpp — the trilemma's runs: a TrainJob per model (training steps and periodic scoring) on a
// LiveRunner. Not a UI. The job builds its model in start(), on the worker, so a panel never waits for it.
#include "train/trilemma_run.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>

#include "core/metrics.h"
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

// The run as a TrainJob: every method on the LiveRunner's worker.
class TrilemmaJob final : public TrainJob {
 public:
  TrilemmaJob(TrilemmaModel m, const TrilemmaRunConfig& c)
      : model(m), config(c), published(std::make_shared<TrilemmaSnapshot>()) {
    // GAN and VAE score their untrained samples at once; diffusion (whose scoring samples 1000 steps) trains
    // for a second first.
    train_budget = m == TrilemmaModel::Diffusion ? 1.0 : 0.25;
  }
  TrilemmaModel model;
  TrilemmaRunConfig config;
  std::unique_ptr<GenerativeTrainer> generative;
  std::unique_ptr<Trainer> diffusion;
  std::vector<float> held_out;
  std::optional<GaussianMixture2D> modes;
  Dataset2D data;
  TrilemmaSnapshot state;
  uint64_t eval_count = 0;
  std::map<int, double> floors;  // the floor for each sample size, computed once

  std::shared_ptr<const TrilemmaSnapshot> published;  // the last scored state
  double train_budget = 0, trained = 0;
  bool broken = false;

  // Loads the data and builds the model (on the worker: the panel's constructor never waits for it).
  void start() override {
    const TrilemmaModel m = model;
    const TrilemmaRunConfig& c = config;
    data = Dataset2D::load(c.dataset);
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

  StepResult step() override {
    const auto t0 = Clock::now();
    const StepResult r = diffusion ? diffusion->step() : generative->step();
    const double seconds = since(t0);
    state.train_seconds += seconds;
    trained += seconds;
    ++state.step;
    if (r.diverged) state.diverged = true;
    return r;
  }
  int step_count() const override { return state.step; }
  bool finished() const override { return config.max_steps > 0 && state.step >= config.max_steps; }

  void after_step(const StepResult&, const JobHooks& hooks) override {
    if (trained >= train_budget || finished()) evaluate_on_schedule(&hooks);
  }
  void on_diverged(const StepResult&) override { state.diverged = true; }
  void on_error(const std::exception&) override { broken = true; }  // the panel shows the data set's error

  // A paused run that has never scored scores its current weights once (GAN, VAE: at once, playing or not).
  std::shared_ptr<const void> snapshot(const RunInfo& info) override {
    if (!broken && !state.evaluated && (model != TrilemmaModel::Diffusion || !info.playing))
      evaluate_on_schedule(info.hooks);
    return published;
  }

  void evaluate_on_schedule(const JobHooks* hooks) {
    const auto t0 = Clock::now();
    if (!evaluate(hooks)) return;  // cancelled: the run is going away or restarting
    train_budget = std::max(0.25, 3 * since(t0));
    trained = 0;
    published = std::make_shared<TrilemmaSnapshot>(state);
  }

  TrilemmaScore score(const std::vector<float>& samples, int nfe, double seconds,
                      const std::function<bool()>& cancelled) {
    TrilemmaScore s;
    s.nfe = nfe;
    s.step = state.step;
    const int n = static_cast<int>(samples.size() / 2);
    s.ms_per_sample = 1000 * seconds / n;
    // The floor is data against data at this sample size, the same number for the three models and from one
    // evaluation to the next (a fresh draw each time made it jump); the mean of several draws, since one draw
    // (0.159 on 8 Gaussians) was beaten by the VAE's 0.132 and diffusion's 0.126: a floor the models beat.
    s.score = score_samples(samples, held_out, {}, modes ? &*modes : nullptr);
    s.score.swd_floor = floor_for(n, cancelled);
    return s;
  }

  // The mean of data-against-held-out sliced W₂ over kFloorDraws fixed draws of n points, computed once per
  // n. Cancelled between draws, it returns draw 0 and keeps nothing (the evaluation is dropped anyway).
  double floor_for(int n, const std::function<bool()>& cancelled) {
    constexpr int kFloorDraws = 8;
    const auto found = floors.find(n);
    if (found != floors.end()) return found->second;
    const auto draw = [&](int k) {
      const uint64_t seed = config.seed + 7000 + static_cast<uint64_t>(n) + 100000 * static_cast<uint64_t>(k);
      return sliced_wasserstein2(data.sample(n, seed).xy, held_out);
    };
    const double first = draw(0);
    double sum = first;
    for (int k = 1; k < kFloorDraws; ++k) {
      if (cancelled()) return first;
      sum += draw(k);
    }
    return floors[n] = sum / kFloorDraws;
  }

  // Scores the current model; false (state unchanged) when hooks say cancelled between sampler steps.
  bool evaluate(const JobHooks* hooks) {
    const auto cancelled = [hooks] { return hooks && hooks->cancelled && hooks->cancelled(); };
    ++eval_count;
    const uint64_t seed = config.seed + 100 * eval_count;
    const std::vector<TrilemmaScore> previous = std::move(state.scores);
    state.scores.clear();
    if (generative) {
      const auto t0 = Clock::now();
      std::vector<float> x = generative->sample(config.eval_points, seed);
      state.scores.push_back(score(x, 1, since(t0), cancelled));
      if (cancelled()) {  // the floor was cut short
        state.scores = previous;
        return false;
      }
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
        while (!sampler.done()) {
          if (cancelled()) {
            state.scores = previous;
            return false;
          }
          sampler.step();
        }
        std::vector<float> x = sampler.x();
        state.scores.push_back(score(x, sampler.network_evaluations(), since(t0), cancelled));
        if (cancelled()) {  // the floor was cut short
          state.scores = previous;
          return false;
        }
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
    return true;
  }
};

TrilemmaRun::TrilemmaRun(TrilemmaModel model, const TrilemmaRunConfig& config, bool playing)
    : model_(model), empty_(std::make_shared<TrilemmaSnapshot>()) {
  runner_ = std::make_unique<LiveRunner>(
      [model, config]() -> std::unique_ptr<TrainJob> { return std::make_unique<TrilemmaJob>(model, config); },
      playing);
}

TrilemmaRun::~TrilemmaRun() = default;  // ~LiveRunner cancels and joins its worker

std::shared_ptr<const TrilemmaSnapshot> TrilemmaRun::snapshot() const {
  std::shared_ptr<const TrilemmaSnapshot> s = runner_->snapshot<TrilemmaSnapshot>();
  return s ? s : empty_;
}

TrilemmaSnapshot TrilemmaRun::train_and_score(TrilemmaModel model, const TrilemmaRunConfig& config,
                                              int steps) {
  TrilemmaJob job(model, config);
  job.start();
  for (int i = 0; i < steps; ++i) job.step();
  job.evaluate(nullptr);
  return job.state;
}

}  // namespace difflab
