// live_trainer.cpp — the worker thread behind LiveTrainer: steps in short slices, publishes snapshots.
// Not the training math (trainer.cpp). The UI thread only swaps a shared_ptr; it never waits on a step.
#include "train/live_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace difflab {
namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kSlice = std::chrono::milliseconds(25);  // work between publications
constexpr auto kSampleRefresh =
    std::chrono::milliseconds(700);  // model samples for the scatter plot, at most
// After a refresh that took d, training runs for at least kSampleShare·d before the next one: on a slow
// machine (or under a sanitizer) where sampling 600 points takes longer than kSampleRefresh, sampling still
// gets at most 1/(1 + kSampleShare) of the worker's time instead of starving training.
constexpr int kSampleShare = 3;
constexpr int kLiveSamples = 600;
}  // namespace

LiveTrainer::LiveTrainer(const TrainConfig& config) : config_(config) {
  snapshot_ = std::make_shared<TrainSnapshot>();
  pending_config_ = config;
  reset_requested_ = true;
  worker_ = std::thread([this] { worker_loop(); });
}

LiveTrainer::~LiveTrainer() {
  quit_ = true;
  worker_.join();
}

void LiveTrainer::play() {
  playing_ = true;
}
void LiveTrainer::pause() {
  playing_ = false;
}
void LiveTrainer::step_once() {
  playing_ = false;
  ++pending_single_steps_;
}

void LiveTrainer::reset(const TrainConfig& config) {
  {
    std::lock_guard<std::mutex> lock(config_mutex_);
    pending_config_ = config;
  }
  config_ = config;
  reset_requested_ = true;
}

std::shared_ptr<const TrainSnapshot> LiveTrainer::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  return snapshot_;
}

void LiveTrainer::publish(bool with_samples, double steps_per_s) {
  History& h = history_;
  if (trainer_ && with_samples) {
    const auto start = Clock::now();
    h.samples_xy = trainer_->preview_sample(kLiveSamples, 4242);  // no piles on the clip box (trainer.h)
    const auto took = Clock::now() - start;
    h.sample_seconds += std::chrono::duration<double>(took).count();
    ++h.sample_refreshes;
    next_samples_ = Clock::now() + std::max<Clock::duration>(kSampleRefresh, kSampleShare * took);
  }
  // The histories are shared, not copied: O(1) whatever their length.
  auto snap = std::make_shared<TrainSnapshot>();
  snap->step = trainer_ ? trainer_->step_count() : 0;
  snap->loss = h.loss_now;
  snap->steps_per_s = steps_per_s;
  snap->loss_history = h.loss.view();
  snap->loss_history_step = h.loss_step.view();
  snap->swd_history = h.swd.view();
  snap->swd_history_step = h.swd_step.view();
  snap->loss_by_t_history = h.loss_by_t.view();
  snap->loss_by_t_history_step = h.loss_by_t_step.view();
  snap->samples_xy = h.samples_xy;
  snap->diverged = h.diverged;
  snap->message = h.message.english;
  snap->status = h.message;
  snap->train_seconds = h.train_seconds;
  snap->sample_seconds = h.sample_seconds;
  snap->sample_refreshes = h.sample_refreshes;
  snap->history_elements_copied = h.loss.elements_copied() + h.loss_step.elements_copied() +
                                  h.swd.elements_copied() + h.swd_step.elements_copied() +
                                  h.loss_by_t.elements_copied() + h.loss_by_t_step.elements_copied();
  if (trainer_) {
    snap->swd_floor = trainer_->swd_floor();
    for (double v : trainer_->loss_by_t()) snap->loss_by_t.push_back(static_cast<float>(v));
    snap->minibatch = trainer_->last_minibatch();
    snap->params = trainer_->read_params(true);
  }
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

void LiveTrainer::worker_loop() {
  double smoothed_loss = NAN;
  while (!quit_) {
    if (reset_requested_.exchange(false)) {
      TrainConfig config;
      {
        std::lock_guard<std::mutex> lock(config_mutex_);
        config = pending_config_;
      }
      history_ = History{};
      smoothed_loss = NAN;
      try {
        trainer_ = std::make_unique<Trainer>(config);
        trainer_->set_record_minibatch(true);
        history_.message = train_message("trainmsg.ready", {describe(config)});
      } catch (const std::exception& e) {
        trainer_.reset();
        playing_ = false;
        history_.message = with_cause(train_message("trainmsg.cannot_start"), message_of(e));
      }
      publish(trainer_ != nullptr, 0.0);
    }
    const float lr = pending_lr_.exchange(0.0f);
    if (trainer_ && lr > 0) trainer_->set_learning_rate(lr);

    const bool limit_reached =
        trainer_ && trainer_->config().steps > 0 && trainer_->step_count() >= trainer_->config().steps;
    if (!trainer_ || (!playing_ && pending_single_steps_ == 0) || limit_reached) {
      if (limit_reached && playing_) {
        playing_ = false;
        history_.message = train_message("trainmsg.finished", {std::to_string(trainer_->step_count())});
        publish(true, 0.0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }

    const auto start = Clock::now();
    int steps = 0;
    bool diverged = false;
    do {
      const StepResult r = trainer_->step();
      if (r.diverged) {
        diverged = true;
        history_.message = train_message("trainmsg.diverged",
                                         {number_text(r.loss), std::to_string(trainer_->last_good_step()),
                                          number_text(trainer_->config().optimizer.lr)});
        history_.diverged = true;
        playing_ = false;
        pending_single_steps_ = 0;
        break;
      }
      history_.diverged = false;
      ++steps;
      smoothed_loss = std::isnan(smoothed_loss) ? r.loss : 0.98 * smoothed_loss + 0.02 * r.loss;
      const int step = trainer_->step_count();
      const TrainConfig& c = trainer_->config();
      if (c.log_every > 0 && step % c.log_every == 0) {
        history_.loss.push_back(static_cast<float>(smoothed_loss));
        history_.loss_step.push_back(step);
      }
      if (step % 100 == 0) {
        std::vector<float> row;
        for (double v : trainer_->loss_by_t()) row.push_back(static_cast<float>(v));
        history_.loss_by_t.push_back(std::move(row));
        history_.loss_by_t_step.push_back(step);
      }
      if (c.eval_every > 0 && step % c.eval_every == 0) {
        history_.swd.push_back(static_cast<float>(trainer_->evaluate_swd()));
        history_.swd_step.push_back(step);
      }
      if (pending_single_steps_ > 0) {
        --pending_single_steps_;
        if (!playing_) break;
      }
      if (c.steps > 0 && step >= c.steps) break;
    } while (playing_ && !quit_ && !reset_requested_ && Clock::now() - start < kSlice);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    history_.train_seconds += seconds;
    history_.loss_now = smoothed_loss;
    const bool refresh = diverged || !playing_ || Clock::now() >= next_samples_;
    if (!diverged && trainer_)
      history_.message = train_message("trainmsg.training_step", {std::to_string(trainer_->step_count())});
    publish(refresh, seconds > 0 ? steps / seconds : 0.0);
  }
}

}  // namespace difflab
