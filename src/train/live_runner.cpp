// live_runner.cpp — the worker behind LiveRunner: steps a TrainJob in short slices and publishes its
// snapshots. Not any job's training math. The UI thread only sets flags and swaps a shared_ptr; it never
// waits on a step.
#include "train/live_runner.h"

#include <chrono>

namespace difflab {
namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kSlice = std::chrono::milliseconds(25);  // work between publications
constexpr auto kIdle = std::chrono::milliseconds(5);    // how often an idle worker looks at its flags
}  // namespace

LiveRunner::LiveRunner(Factory factory, bool playing) : pending_factory_(std::move(factory)) {
  playing_ = playing;
  hooks_ = JobHooks{[this] { return quit_.load() || reset_requested_.load(); },
                    [this] {
                      publish(RunInfo{playing_.load(), false, 0, 0});
                    }};
  reset_requested_ = true;
  worker_ = std::thread([this] { worker_loop(); });
}

LiveRunner::~LiveRunner() {
  quit_ = true;
  worker_.join();
}

void LiveRunner::step_once() {
  playing_ = false;
  ++pending_single_steps_;
}

void LiveRunner::reset(Factory factory) {
  {
    std::lock_guard<std::mutex> lock(factory_mutex_);
    pending_factory_ = std::move(factory);
  }
  reset_requested_ = true;
}

std::shared_ptr<const void> LiveRunner::latest() const {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  return snapshot_;
}

void LiveRunner::publish(const RunInfo& info) {
  RunInfo with_hooks = info;
  with_hooks.hooks = &hooks_;
  std::shared_ptr<const void> snap = job_->snapshot(with_hooks);
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

void LiveRunner::stop(bool* stopped) {
  playing_ = false;
  pending_single_steps_ = 0;
  *stopped = true;
}

void LiveRunner::worker_loop() {
  const JobHooks& hooks = hooks_;
  bool broken = false;  // the job's start() threw: it never steps (until a reset)
  while (!quit_) {
    if (reset_requested_.exchange(false)) {
      Factory factory;
      {
        std::lock_guard<std::mutex> lock(factory_mutex_);
        factory = pending_factory_;
      }
      job_.reset();  // the old job (and its backend) goes first, on this thread: a GL context is per thread
      job_ = factory();
      broken = false;
      try {
        job_->start();
      } catch (const std::exception& e) {
        broken = true;
        playing_ = false;
        job_->on_error(e);
      }
      publish(RunInfo{playing_.load(), true, 0, 0});
    }
    const float lr = pending_lr_.exchange(0.0f);
    if (lr > 0 && !broken) job_->set_learning_rate(lr);

    const bool finished = job_->finished();
    if (broken || (!playing_ && pending_single_steps_ == 0) || finished) {
      if (broken) {
        playing_ = false;
        pending_single_steps_ = 0;
      } else if (finished && (playing_ || pending_single_steps_ > 0)) {
        playing_ = false;
        pending_single_steps_ = 0;
        job_->on_finished();
        publish(RunInfo{false, true, 0, 0});
      }
      std::this_thread::sleep_for(kIdle);
      continue;
    }

    const auto start = Clock::now();
    int steps = 0;
    bool stopped = false;
    do {
      try {
        const StepResult r = job_->step();
        if (r.diverged) {
          job_->on_diverged(r);
          stop(&stopped);
          break;
        }
        ++steps;
        job_->after_step(r, hooks);
      } catch (const std::exception& e) {
        job_->on_error(e);
        stop(&stopped);
        break;
      }
      if (pending_single_steps_ > 0) {
        --pending_single_steps_;
        if (!playing_) {
          stopped = true;
          break;
        }
      }
      if (job_->finished()) break;
    } while (playing_ && !quit_ && !reset_requested_ && Clock::now() - start < kSlice);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const bool playing = playing_;
    publish(RunInfo{playing, stopped || !playing, seconds > 0 ? steps / seconds : 0.0, seconds});
  }
  // The job's backend was made on this thread (in start()); a GL backend is destroyed where it lives.
  job_.reset();
}

}  // namespace difflab
