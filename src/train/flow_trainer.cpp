// flow_trainer.cpp — flow matching and Reflow on the 2-D MLP through the shared TrainLoop.
// Not the ODE (sample/flow_ode.cpp).
#include "train/flow_trainer.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/metrics.h"
#include "sample/sampler.h"

namespace difflab {

std::string flow_time_distribution_name(FlowTimeDistribution d) {
  return d == FlowTimeDistribution::Uniform ? "uniform" : "logit-normal";
}

bool parse_flow_time_distribution(const std::string& name, FlowTimeDistribution* d) {
  if (name == "uniform")
    *d = FlowTimeDistribution::Uniform;
  else if (name == "logit-normal")
    *d = FlowTimeDistribution::LogitNormal;
  else
    return false;
  return true;
}

MlpConfig flow_mlp_config() {
  MlpConfig c;
  c.time_scale = kFlowTimeScale;
  return c;
}

FlowObjective::FlowObjective(const FlowTrainConfig& config, MlpModel& model, const PointSet& data,
                             const CoupledPairs& pairs)
    : config_(config),
      model_(model),
      data_(data),
      pairs_(pairs),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 29) {
  const size_t B = static_cast<size_t>(config.batch);
  input_.resize(3 * B), target_.resize(2 * B), out_.resize(2 * B), d_out_.resize(2 * B);
}

StepResult FlowObjective::step(TrainLoop& loop) {
  const int B = config_.batch;
  const bool coupled = pairs_.size() > 0;
  const int n = coupled ? pairs_.size() : data_.size();
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(static_cast<uint64_t>(n)));
    double t = rng_.uniform();
    if (config_.time_distribution == FlowTimeDistribution::LogitNormal)
      t = 1.0 / (1.0 + std::exp(-(config_.logit_mean + config_.logit_std * rng_.normal())));
    for (int d = 0; d < 2; ++d) {
      const double x0 = coupled ? pairs_.x0[2 * j + d] : data_.xy[2 * j + d];
      const double eps = coupled ? pairs_.noise[2 * j + d] : rng_.normal();
      input_[3 * i + d] = static_cast<float>((1 - t) * x0 + t * eps);
      target_[2 * i + d] = static_cast<float>(eps - x0);
    }
    input_[3 * i + 2] = static_cast<float>(t);
  }
  model_.forward(input_.data(), B, out_.data());
  double loss = 0;
  for (int k = 0; k < 2 * B; ++k) {
    const double diff = out_[k] - target_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(2.0 * diff / (2.0 * B));
  }
  loss /= 2.0 * B;
  StepResult result;
  result.loss = loss;
  TrainPart& part = loop.part(0);
  if (std::isfinite(loss)) model_.backward(d_out_.data());
  result.diverged = !loop.update(part, loss, &result.grad_norm);
  return result;
}

FlowTrainer::FlowTrainer(const FlowTrainConfig& config, CoupledPairs pairs)
    : config_(config), dataset_(Dataset2D::load(config.dataset)), pairs_(std::move(pairs)) {
  if (config.batch < 1 || config.batch > 65536) throw std::invalid_argument("batch must be in 1 … 65536");
  if (!(config.optimizer.lr > 0) || !std::isfinite(config.optimizer.lr))
    throw std::invalid_argument("the learning rate must be a finite number > 0");
  if (config.train_points < 1 || config.eval_points < 2)
    throw std::invalid_argument("flow training needs ≥ 1 training point and ≥ 2 held-out points");
  if (!(config.logit_std > 0) || !std::isfinite(config.logit_mean))
    throw std::invalid_argument("the logit-normal time distribution needs a finite mean and a std > 0");
  if (pairs_.x0.size() != pairs_.noise.size() || pairs_.x0.size() % 2 != 0)
    throw std::invalid_argument("Reflow pairs: x₀ and ε must both be n × 2");
  train_data_ = dataset_.sample(config.train_points, config.seed * 2 + 1);
  eval_data_ = dataset_.sample(config.eval_points, config.seed * 2 + 2);
  swd_floor_ =
      sliced_wasserstein2(eval_data_.xy, dataset_.sample(config.eval_points, config.seed * 2 + 3).xy);
  backend_ = make_backend(config.backend, nullptr, mlp_param_count(config.model));
  backend_->set_threads(config.threads);
  model_ = std::make_unique<MlpModel>(config.model, *backend_);
  model_->init_params(config.seed);
  loop_.add_part("model", *model_, {config_.optimizer, config_.grad_clip, config_.ema_decay, 50});
  objective_ = std::make_unique<FlowObjective>(config_, *model_, train_data_, pairs_);
}

FlowTrainer::~FlowTrainer() = default;

StepResult FlowTrainer::step() {
  return loop_.step(*objective_);
}

FlowPath FlowTrainer::sample(int n, int steps, FlowMethod method, uint64_t seed, bool keep_states) {
  MlpVelocity velocity(*model_, ema_params());
  return integrate_flow(velocity, standard_normal(2 * n, seed), steps, method, keep_states);
}

CoupledPairs couple_pairs(VelocityField& field, int n, int steps, uint64_t seed) {
  CoupledPairs pairs;
  pairs.noise = standard_normal(2 * n, seed);
  pairs.x0 = integrate_flow(field, pairs.noise, steps, FlowMethod::Heun).x;
  return pairs;
}

CoupledPairs FlowTrainer::make_pairs(int n, int steps, uint64_t seed) {
  MlpVelocity velocity(*model_, ema_params());
  return couple_pairs(velocity, n, steps, seed);
}

Checkpoint FlowTrainer::checkpoint(bool ema_only) const {
  Checkpoint ck;
  ck.model_config = mlp_config_map(config_.model);
  ck.flow = true;
  ck.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};  // the 2-D VP steps, for VP samplers
  ck.dataset = config_.dataset;
  ck.loss = reflow() ? "reflow" : "flow";
  ck.step = step_count();
  ck.seed = config_.seed;
  ck.ema_params.resize(model_->num_params());
  backend_->read(ema_params(), ck.ema_params.data());
  if (!ema_only) {
    ck.params.resize(model_->num_params());
    backend_->read(model_->params(), ck.params.data());
  }
  ck.extra["time_distribution"] = flow_time_distribution_name(config_.time_distribution);
  ck.extra["batch"] = std::to_string(config_.batch);
  ck.extra["data_box"] = format_data_box(bounding_box(train_data_.xy.data(), train_data_.xy.size() / 2, 2));
  return ck;
}

}  // namespace difflab
