// live_runner.h — one worker thread that runs any TrainJob for a UI: play, pause, step once, reset, learning
// rate, and the latest immutable snapshot. Not a job (train_job.h) and not a UI: no GL, no ImGui.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "train/train_job.h"

namespace difflab {

// Every method is safe to call from the UI thread every frame; none waits for a training step. The
// destructor cancels: it waits for the current step (or the job's cancellable long work) only.
class LiveRunner {
 public:
  // Called on the worker; must not throw and should be cheap (a job does its failing, slow work in start()
  // or its first step()).
  using Factory = std::function<std::unique_ptr<TrainJob>()>;
  // playing: whether the run plays from its start (as if play() came first, without a race).
  explicit LiveRunner(Factory factory, bool playing = false);
  ~LiveRunner();
  LiveRunner(const LiveRunner&) = delete;
  LiveRunner& operator=(const LiveRunner&) = delete;

  void play() { playing_ = true; }
  void pause() { playing_ = false; }
  void toggle() { playing_ = !playing_; }
  void step_once();             // one step, then pause
  void reset(Factory factory);  // the worker drops the job and starts a new one from factory()
  bool playing() const { return playing_.load(); }
  void set_learning_rate(float lr) { pending_lr_.store(lr); }  // applied before the next step

  // The latest snapshot the job published (null before the first): a shared_ptr copy under a tiny lock.
  std::shared_ptr<const void> latest() const;
  template <class Snapshot>
  std::shared_ptr<const Snapshot> snapshot() const {
    return std::static_pointer_cast<const Snapshot>(latest());
  }

 private:
  void worker_loop();
  void publish(const RunInfo& info);
  void stop(bool* stopped);
  // Worker-owned: made, started, stepped and destroyed on the worker thread, so that a job's backend (a GL
  // context is current on one thread) never crosses threads.
  std::unique_ptr<TrainJob> job_;
  JobHooks hooks_;  // what the job may poll and call during long work
  std::atomic<bool> playing_{false}, quit_{false}, reset_requested_{false};
  std::atomic<int> pending_single_steps_{0};
  std::atomic<float> pending_lr_{0.0f};
  std::mutex factory_mutex_;
  Factory pending_factory_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const void> snapshot_;
  std::thread worker_;
};

}  // namespace difflab
