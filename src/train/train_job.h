// train_job.h — what a live runner needs from any trainable thing: a step, a step count, periodic work and
// an immutable snapshot for the UI. Not the worker thread (live_runner.h) and not the training math.
#pragma once

#include <exception>
#include <functional>
#include <memory>

#include "train/train_loop.h"

namespace difflab {

// What the runner offers a job during long work on the worker (an evaluation of several seconds).
struct JobHooks {
  std::function<bool()> cancelled;  // quit or reset requested: stop and return soon
  std::function<void()> publish;    // publish a snapshot now (e.g. "evaluating…" before a long evaluation)
};

// What the runner tells a job when it asks for a snapshot.
struct RunInfo {
  bool playing = false;
  // The run just stopped (pause, single step, divergence, error, step limit) or was (re)started: a job
  // refreshes its previews now, whatever their schedule, so that a paused UI shows the current model.
  bool stopped = false;
  double steps_per_s = 0;  // over the last slice of steps (0 when none ran)
  double seconds = 0;      // the last slice's duration: training time, for the job's accounting
  // The runner's hooks, for long work inside snapshot() (a refresh on stop): poll hooks->cancelled().
  const JobHooks* hooks = nullptr;
};

// A trainable thing. Every method runs on the runner's worker thread, one at a time; only snapshots cross
// to the UI thread, and they are immutable once returned.
class TrainJob {
 public:
  virtual ~TrainJob() = default;
  // Once, before any step (load data, build the model). May throw: on_error is then called.
  virtual void start() {}
  virtual StepResult step() = 0;  // one optimizer step; may throw
  virtual int step_count() const = 0;
  virtual bool finished() const { return false; }  // a step limit is reached: playing stops
  virtual void set_learning_rate(float) {}
  // After every step that did not diverge: logging and periodic work (evaluations).
  virtual void after_step(const StepResult&, const JobHooks&) {}
  // The run stopped because of this; the job records the message its snapshots show.
  virtual void on_diverged(const StepResult&) {}
  virtual void on_error(const std::exception&) {}
  virtual void on_finished() {}
  // A new immutable snapshot (the runner publishes it as is). Publishing often: keep it O(1) in the length
  // of the histories (share them, see Series in live_trainer.h).
  virtual std::shared_ptr<const void> snapshot(const RunInfo&) = 0;
};

}  // namespace difflab
