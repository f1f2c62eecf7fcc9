// flow_race.cpp — the live DiT-vs-U-Net rectified-flow race: two ImageTrainers, one seed, timed apart.
#include "train/flow_race.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "train/checkpoint.h"

namespace difflab {

FlowRaceJob::FlowRaceJob(Settings settings) : settings_(std::move(settings)) {}
FlowRaceJob::~FlowRaceJob() = default;

void FlowRaceJob::start() {
  start_with(load_image_dataset(settings_.dataset, true));
}

void FlowRaceJob::start_with(ImageDataset data) {
  const std::string paths[kFlowRaceNets] = {settings_.dit_checkpoint, settings_.unet_checkpoint};
  const char* families[kFlowRaceNets] = {"dit", "unet"};
  for (int k = 0; k < kFlowRaceNets; ++k) {
    const Checkpoint ck = load_checkpoint(paths[k]);
    if (ck.architecture != families[k])
      throw std::invalid_argument(paths[k] + ": architecture " + ck.architecture + ", not " + families[k]);
    ImageTrainConfig config;
    config.dataset = settings_.dataset;
    config.family = families[k];
    if (k == 0)
      config.family_config = ck.model_config;
    else
      config.model = unet_config_from_map(ck.model_config);
    config.objective = "flow";
    config.flow_time = "logit-normal";
    config.steps = settings_.steps;
    config.batch = settings_.batch;
    config.optimizer.lr = settings_.lr;
    config.seed = settings_.seed;  // the same seed: the same minibatches for both nets
    config.threads = settings_.threads;
    trainers_[k] = std::make_unique<ImageTrainer>(config, k + 1 < kFlowRaceNets ? data : std::move(data));
  }
}

int FlowRaceJob::step_count() const {
  return trainers_[1] ? trainers_[1]->step_count() : 0;
}

StepResult FlowRaceJob::step() {
  StepResult last;
  for (int k = 0; k < kFlowRaceNets; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    const StepResult r = trainers_[k]->step();
    seconds_[k] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r.diverged) return r;
    losses_[k].push_back(r.loss);
    last = r;
  }
  return last;
}

void FlowRaceJob::set_learning_rate(float lr) {
  for (auto& t : trainers_)
    if (t) t->set_learning_rate(lr);
}

std::shared_ptr<const void> FlowRaceJob::snapshot(const RunInfo&) {
  auto s = std::make_shared<FlowRaceSnapshot>();
  s->step = step_count();
  s->steps = settings_.steps;
  s->batch = settings_.batch;
  s->error = error_;
  for (int k = 0; k < kFlowRaceNets; ++k) {
    if (!trainers_[k]) continue;
    s->params[k] = trainers_[k]->model().num_params();
    s->loss[k] = losses_[k].view();
    const size_t n = losses_[k].size();
    s->images_per_s[k] = seconds_[k] > 0 ? static_cast<double>(n) * settings_.batch / seconds_[k] : 0;
  }
  return s;
}

}  // namespace difflab
