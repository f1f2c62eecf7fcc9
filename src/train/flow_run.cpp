// flow_run.cpp — the flow panel's job: load or train the flows, measure paths, straightness and sliced W₂,
// publish immutable snapshots. Not a UI. Everything heavy runs on the LiveRunner's worker.
#include "train/flow_run.h"

#include <chrono>

#include "core/flow.h"
#include "core/metrics.h"
#include "data/toy2d.h"
#include "nn/flow_mlp.h"
#include "sample/flow_ode.h"
#include "sample/sampler.h"
#include "train/flow_trainer.h"
#include "train/model_source.h"

namespace difflab {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

class FlowJob final : public TrainJob {
 public:
  explicit FlowJob(const FlowRunConfig& c) : config(c), published(std::make_shared<FlowRunSnapshot>()) {}

  FlowRunConfig config;
  FlowRunSnapshot state;
  std::shared_ptr<const FlowRunSnapshot> published;
  std::vector<float> held_out, path_noise, eval_noise;
  std::unique_ptr<FlowTrainer> trainer;
  double since_eval = 0;

  // The fine ODE's paths from the shared noise and the Euler W₂ at each budget.
  FlowCurve measure(VelocityField& field, int fine_steps) const {
    FlowCurve c;
    FlowPath fine = integrate_flow(field, path_noise, fine_steps, FlowMethod::Heun, true);
    c.states = std::move(fine.states);
    c.straightness = fine.straightness;
    for (size_t k = 0; k < kFlowStepBudgets.size(); ++k)
      c.w2[k] = sliced_wasserstein2(
          integrate_flow(field, eval_noise, kFlowStepBudgets[k], FlowMethod::Euler).x, held_out);
    c.ready = true;
    c.step = state.step;
    return c;
  }

  void start() override {
    const Dataset2D data = Dataset2D::load(config.dataset);
    // The held-out points, floor and noise of `difflab flow compare` (FlowTrainer with seed 0; noise seed +
    // 4242).
    held_out = data.sample(config.eval_points, config.seed * 2 + 2).xy;
    state.floor = sliced_wasserstein2(held_out, data.sample(config.eval_points, config.seed * 2 + 3).xy);
    eval_noise = standard_normal(2 * config.eval_points, config.seed + 4242);
    path_noise = standard_normal(2 * config.paths, config.seed + 99);
    state.data = data.sample(2000, config.seed + 3).xy;
    if (data.is_mixture()) {
      ExactVelocity exact(data.oracle_mixture());
      state.exact = measure(exact, 2 * config.fine_steps);
      state.has_exact = true;
    }
    if (!config.diffusion_checkpoint.empty()) {
      auto model = load_model(config.diffusion_checkpoint, config.dataset, std::nullopt);
      Denoiser& d = model->model();
      DenoiserVelocity velocity(d);
      state.diffusion = measure(velocity, config.fine_steps);
      for (size_t k = 0; k < kFlowStepBudgets.size(); ++k) {
        SamplerConfig sc;
        sc.kind = SamplerKind::Ddim;
        sc.steps = kFlowStepBudgets[k];
        sc.spacing = Spacing::Trailing;
        sc.record_trajectory = false;
        Sampler sampler(d, sc);
        sampler.begin(eval_noise, config.seed + 1);
        sampler.run();
        state.diffusion.w2[k] = sliced_wasserstein2(sampler.x(), held_out);
      }
      SamplerConfig sc;  // DDPM, every step, from the paths' noise
      sc.kind = SamplerKind::Ddpm;
      sc.steps = model->schedule.T();
      Sampler ddpm(d, sc);
      ddpm.begin(path_noise, config.seed + 7);
      ddpm.run();
      state.ddpm = ddpm.trajectory();
      state.has_diffusion = true;
    }
    state.live = config.flow_checkpoints.size() < 3;
    if (!state.live) {
      for (int k = 0; k < 3; ++k) {
        auto model = load_model(config.flow_checkpoints[k], config.dataset, std::nullopt);
        if (!model->checkpoint || !model->checkpoint->flow)
          throw std::invalid_argument(config.flow_checkpoints[k] + " is not a flow checkpoint");
        MlpVelocity velocity(dynamic_cast<MlpModel&>(*model->network));
        state.flows[k] = measure(velocity, config.fine_steps);
        state.flows[k].step = model->checkpoint->step;
      }
      state.stage = FlowRunSnapshot::Stage::Done;
    } else {
      begin_round(0, {});
    }
    publish();
  }

  void begin_round(int round, CoupledPairs pairs) {
    FlowTrainConfig c;
    c.dataset = config.dataset;
    c.steps = config.train_steps;
    c.seed = config.seed + static_cast<uint64_t>(round);
    trainer = std::make_unique<FlowTrainer>(c, std::move(pairs));
    state.round = round;
    state.step = 0;
    state.stage = FlowRunSnapshot::Stage::Training;
  }

  void measure_current() {
    MlpVelocity velocity(trainer->model(), trainer->ema_params());
    state.flows[state.round] = measure(velocity, config.fine_steps);
  }

  StepResult step() override {
    const auto t0 = Clock::now();
    const StepResult r = trainer->step();
    ++state.step;
    const double s = since(t0);
    state.train_seconds += s;
    since_eval += s;
    return r;
  }
  int step_count() const override { return state.step; }
  bool finished() const override { return state.stage == FlowRunSnapshot::Stage::Done; }

  void after_step(const StepResult&, const JobHooks& hooks) override {
    if (state.step >= config.train_steps) {
      measure_current();
      if (state.round == 2) {
        state.stage = FlowRunSnapshot::Stage::Done;
        trainer.reset();
        publish();
        return;
      }
      state.stage = FlowRunSnapshot::Stage::Coupling;
      publish();
      if (hooks.publish) hooks.publish();
      const auto t0 = Clock::now();
      MlpVelocity previous(trainer->model(), trainer->ema_params());
      CoupledPairs pairs =
          couple_pairs(previous, config.pairs, config.pair_steps, config.seed + 100 + state.round + 1);
      state.train_seconds += since(t0);
      begin_round(state.round + 1, std::move(pairs));
      publish();
    } else if (since_eval > 1.0) {  // the paths and the table follow the training about once a second
      measure_current();
      publish();
    }
  }
  void on_error(const std::exception& e) override {
    state.error = e.what();
    publish();
  }
  void publish() {
    since_eval = 0;
    published = std::make_shared<FlowRunSnapshot>(state);
  }
  std::shared_ptr<const void> snapshot(const RunInfo&) override { return published; }
};

FlowRun::FlowRun(const FlowRunConfig& config, bool playing) : empty_(std::make_shared<FlowRunSnapshot>()) {
  runner_ = std::make_unique<LiveRunner>(
      [config]() -> std::unique_ptr<TrainJob> { return std::make_unique<FlowJob>(config); }, playing);
}

FlowRun::~FlowRun() = default;

std::shared_ptr<const FlowRunSnapshot> FlowRun::snapshot() const {
  std::shared_ptr<const FlowRunSnapshot> s = runner_->snapshot<FlowRunSnapshot>();
  return s ? s : empty_;
}

FlowRunSnapshot FlowRun::run_to_end(const FlowRunConfig& config) {
  FlowJob job(config);
  job.start();
  const JobHooks hooks;
  while (!job.finished()) {
    const StepResult r = job.step();
    job.after_step(r, hooks);
  }
  return job.state;
}

}  // namespace difflab
