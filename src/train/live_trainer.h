// live_trainer.h — training on a worker thread, publishing immutable snapshots a UI can read each frame.
// Not the training math (see trainer.h) and not a UI: no GL, no ImGui.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "train/trainer.h"

namespace difflab {

// What the UI reads. Published by the worker every few steps; never mutated after publication.
struct TrainSnapshot {
  int step = 0;                      // optimizer steps done
  double loss = 0.0;                 // smoothed training loss (the chosen objective)
  double steps_per_s = 0.0;          // measured over the last publication interval
  std::vector<float> loss_history;   // one entry per logged step (see TrainConfig::log_every)
  std::vector<int> loss_history_step;
  std::vector<float> swd_history;    // sliced W2(model samples, held-out data), one per eval
  std::vector<int> swd_history_step;
  double swd_floor = 0.0;            // sliced W2 between two data sets of the same size
  std::vector<float> loss_by_t;      // mean L_simple per bucket of t (num_t_buckets entries)
  std::vector<std::vector<float>> loss_by_t_history;  // loss_by_t every 100 steps (a heat map over training)
  std::vector<int> loss_by_t_history_step;
  Minibatch minibatch;               // the last minibatch (x₀, t, ε, xₜ, ε̂) for the slow-motion view
  std::vector<float> samples_xy;     // latest model samples, interleaved x,y (from the EMA weights)
  std::vector<float> params;         // EMA parameters at this step (the model to sample from)
  bool diverged = false;             // a NaN/Inf was seen; training paused at the last good state
  std::string message;               // human-readable status ("diverged at step 1234: loss = nan; ...")
};

// Owns a Trainer and a worker thread. All methods are safe to call from the UI thread every frame;
// none of them waits for a training step to finish.
class LiveTrainer {
 public:
  explicit LiveTrainer(const TrainConfig& config);
  ~LiveTrainer();
  LiveTrainer(const LiveTrainer&) = delete;
  LiveTrainer& operator=(const LiveTrainer&) = delete;

  void play();                 // train continuously (until config.steps, if > 0)
  void pause();
  void step_once();            // one optimizer step, then pause
  void reset(const TrainConfig& config);  // start again from freshly initialised weights
  bool playing() const { return playing_.load(); }
  // Applied by the worker before its next step (e.g. after a divergence).
  void set_learning_rate(float lr) { pending_lr_.store(lr); }

  // The latest published state; never null. Cheap: a shared_ptr copy under a tiny lock.
  std::shared_ptr<const TrainSnapshot> snapshot() const;
  const TrainConfig& config() const { return config_; }

 private:
  void worker_loop();
  void publish(bool with_samples, double steps_per_s);
  TrainSnapshot history_;  // worker-owned running copy of the histories
  TrainConfig config_;
  std::unique_ptr<Trainer> trainer_;
  std::atomic<bool> playing_{false};
  std::atomic<int> pending_single_steps_{0};
  std::atomic<bool> quit_{false};
  std::atomic<bool> reset_requested_{false};
  std::atomic<float> pending_lr_{0.0f};
  TrainConfig pending_config_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const TrainSnapshot> snapshot_;
  std::mutex config_mutex_;
  std::thread worker_;
};

}  // namespace difflab
