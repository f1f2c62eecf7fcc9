// live_trainer.cpp — the 2-D Trainer as a TrainJob: its histories, sample refreshes and messages, run by a
// LiveRunner. Not the training math (trainer.cpp) and not the worker thread (live_runner.cpp).
#include "train/live_trainer.h"

#include "train/live_backend.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace difflab {
namespace {
using Clock = std::chrono::steady_clock;
// Model samples for the scatter plot, at most this often. At 700 ms the scatter lagged the step counter and
// the loss by hundreds of steps in a screenshot (lessons 00 and 01); kSampleShare still caps their cost.
constexpr auto kSampleRefresh = std::chrono::milliseconds(250);
// After a refresh that took d, training runs for at least kSampleShare·d before the next one: on a slow
// machine (or under a sanitizer) where sampling 600 points takes longer than kSampleRefresh, sampling still
// gets at most 1/(1 + kSampleShare) of the worker's time instead of starving training.
constexpr int kSampleShare = 3;
constexpr int kLiveSamples = 600;

}  // namespace

int live_eval_points(int step, int every, int points) {
  if (every <= 0 || step <= 0) return 0;
  if (step % every == 0) return points;
  const bool early = every >= 10 && (step == every / 10 || step == every / 5 || step == 2 * every / 5);
  return early ? std::max(2, points / 4) : 0;
}

namespace {

class TrainerJob final : public TrainJob {
 public:
  explicit TrainerJob(const TrainConfig& config) : config_(config) {}

  void start() override {
    trainer_ = std::make_unique<Trainer>(config_);
    set_live_backend_description(trainer_->backend().device_description());
    trainer_->set_record_minibatch(true);
    message_ = train_message("trainmsg.ready", {describe(config_)});
  }
  StepResult step() override { return trainer_->step(); }
  int step_count() const override { return trainer_ ? trainer_->step_count() : 0; }
  bool finished() const override {
    return trainer_ && trainer_->config().steps > 0 && trainer_->step_count() >= trainer_->config().steps;
  }
  void set_learning_rate(float lr) override {
    if (trainer_) trainer_->set_learning_rate(lr);
  }

  void after_step(const StepResult& r, const JobHooks&) override {
    diverged_ = false;
    stepped_ = true;
    smoothed_loss_ = std::isnan(smoothed_loss_) ? r.loss : 0.98 * smoothed_loss_ + 0.02 * r.loss;
    const int step = trainer_->step_count();
    const TrainConfig& c = trainer_->config();
    if (c.log_every > 0 && step % c.log_every == 0) {
      loss_.push_back(static_cast<float>(smoothed_loss_));
      loss_step_.push_back(step);
    }
    if (step % 100 == 0) {
      std::vector<float> row;
      for (double v : trainer_->loss_by_t()) row.push_back(static_cast<float>(v));
      loss_by_t_.push_back(std::move(row));
      loss_by_t_step_.push_back(step);
    }
    if (const int points = live_eval_points(step, c.eval_every, c.eval_points); points > 0) {
      swd_.push_back(static_cast<float>(trainer_->evaluate_swd(points)));
      swd_step_.push_back(step);
    }
  }
  void on_diverged(const StepResult& r) override {
    message_ =
        train_message("trainmsg.diverged", {number_text(r.loss), std::to_string(trainer_->last_good_step()),
                                            number_text(trainer_->config().optimizer.lr)});
    diverged_ = true;
    stepped_ = false;
  }
  void on_error(const std::exception& e) override {
    // A failed start leaves no trainer: "cannot start"; a failed step keeps the trainer and says why.
    message_ = trainer_ ? message_of(e) : with_cause(train_message("trainmsg.cannot_start"), message_of(e));
    stepped_ = false;
  }
  void on_finished() override {
    message_ = train_message("trainmsg.finished", {std::to_string(trainer_->step_count())});
  }

  std::shared_ptr<const void> snapshot(const RunInfo& run) override {
    train_seconds_ += run.seconds;
    if (stepped_)
      message_ = train_message("trainmsg.training_step", {std::to_string(trainer_->step_count())});
    stepped_ = false;
    if (trainer_ && (run.stopped || Clock::now() >= next_samples_)) {
      const auto start = Clock::now();
      samples_xy_ = trainer_->preview_sample(kLiveSamples, 4242);  // no piles on the clip box (trainer.h)
      samples_step_ = trainer_->step_count();
      const auto took = Clock::now() - start;
      sample_seconds_ += std::chrono::duration<double>(took).count();
      ++sample_refreshes_;
      next_samples_ = Clock::now() + std::max<Clock::duration>(kSampleRefresh, kSampleShare * took);
    }
    // The histories are shared, not copied: O(1) whatever their length.
    auto snap = std::make_shared<TrainSnapshot>();
    snap->step = step_count();
    snap->loss = smoothed_loss_;
    snap->steps_per_s = run.steps_per_s;
    snap->loss_history = loss_.view();
    snap->loss_history_step = loss_step_.view();
    snap->swd_history = swd_.view();
    snap->swd_history_step = swd_step_.view();
    snap->loss_by_t_history = loss_by_t_.view();
    snap->loss_by_t_history_step = loss_by_t_step_.view();
    snap->samples_xy = samples_xy_;
    snap->samples_step = samples_step_;
    snap->diverged = diverged_;
    snap->message = message_.english;
    snap->status = message_;
    snap->train_seconds = train_seconds_;
    snap->sample_seconds = sample_seconds_;
    snap->sample_refreshes = sample_refreshes_;
    snap->history_elements_copied = loss_.elements_copied() + loss_step_.elements_copied() +
                                    swd_.elements_copied() + swd_step_.elements_copied() +
                                    loss_by_t_.elements_copied() + loss_by_t_step_.elements_copied();
    if (trainer_) {
      snap->swd_floor = trainer_->swd_floor();
      for (double v : trainer_->loss_by_t()) snap->loss_by_t.push_back(static_cast<float>(v));
      snap->minibatch = trainer_->last_minibatch();
      snap->params = trainer_->read_params(true);
    }
    return snap;
  }

 private:
  TrainConfig config_;
  std::unique_ptr<Trainer> trainer_;
  Series<float> loss_, swd_;  // shared with every snapshot
  Series<int> loss_step_, swd_step_, loss_by_t_step_;
  Series<std::vector<float>> loss_by_t_;
  std::vector<float> samples_xy_;
  double smoothed_loss_ = NAN, train_seconds_ = 0.0, sample_seconds_ = 0.0;
  int sample_refreshes_ = 0, samples_step_ = 0;
  bool diverged_ = false, stepped_ = false;
  UiMessage message_;
  Clock::time_point next_samples_{};  // the earliest time of the next sample refresh
};

LiveRunner::Factory factory_for(const TrainConfig& config) {
  return [config] { return std::make_unique<TrainerJob>(config); };
}
}  // namespace

LiveTrainer::LiveTrainer(const TrainConfig& config) : config_(config), runner_(factory_for(config)) {}

void LiveTrainer::reset(const TrainConfig& config) {
  config_ = config;
  runner_.reset(factory_for(config));
}

std::shared_ptr<const TrainSnapshot> LiveTrainer::snapshot() const {
  std::shared_ptr<const TrainSnapshot> s = runner_.snapshot<TrainSnapshot>();
  return s ? s : empty_;
}

}  // namespace difflab
