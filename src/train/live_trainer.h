// live_trainer.h — training on a worker thread, publishing immutable snapshots a UI can read each frame.
// Not the training math (see trainer.h) and not a UI: no GL, no ImGui.
#pragma once

#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "train/live_runner.h"
#include "train/trainer.h"
#include "train/ui_message.h"

namespace difflab {

// An append-only series of metric values, shared by the worker and every snapshot it publishes: a snapshot
// takes a SeriesView (a pointer and a length, nothing copied), so publishing costs O(1) however long training
// has run. Appending is amortised O(1): when the buffer is full the worker copies it once into one twice as
// large; views taken before keep the old buffer alive. A view never sees later appends (they go to slots past
// its length, which it never reads), so the worker and the UI thread share no mutable element.
template <class T>
class SeriesView {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return buffer_.get(); }
  const T* begin() const { return buffer_.get(); }
  const T* end() const { return buffer_.get() + size_; }
  std::reverse_iterator<const T*> rbegin() const { return std::reverse_iterator<const T*>(end()); }
  std::reverse_iterator<const T*> rend() const { return std::reverse_iterator<const T*>(begin()); }
  const T& operator[](size_t i) const { return buffer_[i]; }
  const T& front() const { return buffer_[0]; }
  const T& back() const { return buffer_[size_ - 1]; }
  std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

 private:
  template <class>
  friend class Series;
  std::shared_ptr<const T[]> buffer_;
  size_t size_ = 0;
};

template <class T>
class Series {
 public:
  void push_back(T value) {
    if (size_ == capacity_) grow();
    buffer_[size_++] = std::move(value);
  }
  SeriesView<T> view() const {
    SeriesView<T> v;
    v.buffer_ = buffer_;
    v.size_ = size_;
    return v;
  }
  size_t size() const { return size_; }
  // Elements copied by growth over the series' life: below 2 × size(), never per view.
  size_t elements_copied() const { return copied_; }

 private:
  void grow() {
    const size_t capacity = capacity_ < 64 ? 64 : 2 * capacity_;
    std::shared_ptr<T[]> bigger(new T[capacity]);
    for (size_t i = 0; i < size_; ++i) bigger[i] = buffer_[i];
    copied_ += size_;
    buffer_ = std::move(bigger);
    capacity_ = capacity;
  }
  std::shared_ptr<T[]> buffer_;
  size_t size_ = 0, capacity_ = 0, copied_ = 0;
};

// What the UI reads. Published by the worker every few steps; never mutated after publication.
struct TrainSnapshot {
  int step = 0;                    // optimizer steps done
  double loss = 0.0;               // smoothed training loss (the chosen objective)
  double steps_per_s = 0.0;        // measured over the last publication interval
  SeriesView<float> loss_history;  // one entry per logged step (see TrainConfig::log_every)
  SeriesView<int> loss_history_step;
  SeriesView<float> swd_history;  // sliced W2(model samples, held-out data), one per eval
  SeriesView<int> swd_history_step;
  double swd_floor = 0.0;                            // sliced W2 between two data sets of the same size
  std::vector<float> loss_by_t;                      // mean L_simple per bucket of t (num_t_buckets entries)
  SeriesView<std::vector<float>> loss_by_t_history;  // loss_by_t every 100 steps (a heat map over training)
  SeriesView<int> loss_by_t_history_step;
  Minibatch minibatch;            // the last minibatch (x₀, t, ε, xₜ, ε̂) for the slow-motion view
  std::vector<float> samples_xy;  // latest model samples, interleaved x,y (from the EMA weights)
  int samples_step = 0;           // the optimizer step those samples were drawn at (≤ step)
  std::vector<float> params;      // EMA parameters at this step (the model to sample from)
  bool diverged = false;          // a NaN/Inf was seen; training paused at the last good state
  std::string message;            // human-readable status, English ("diverged (loss = nan): …"): CLI, logs
  UiMessage status;               // the same for a window, in its language (format_message with tr)
  // Where the worker's time went since the last reset: optimizer steps (evaluations included) and the
  // scatter plot's sample refreshes, which the worker keeps to at most a quarter of the total.
  double train_seconds = 0.0, sample_seconds = 0.0;
  int sample_refreshes = 0;
  size_t history_elements_copied = 0;  // by the series' growth, in total (publishing itself copies none)
};

// The 2-D Trainer as a TrainJob on a LiveRunner (live_runner.h). All methods are safe to call from the UI
// thread every frame; none of them waits for a training step to finish.
// How many model samples the live trainer's sliced-W₂ evaluation draws after `step` (TrainConfig::eval_every
// = `every`, eval_points = `points`); 0 = no evaluation then. A first point early, at every/10, every/5 and
// 2·every/5 (steps 25, 50 and 100 for every = 250) with a quarter of the samples (the model is still far from
// the data there: W₂ is many times the floor, so the smaller sample's extra spread does not show), then the
// full `points` at every multiple of `every`. The three early ones cost about one full evaluation in all: the
// curve starts within about a second and training keeps its speed. Never for every <= 0.
int live_eval_points(int step, int every, int points);

class LiveTrainer {
 public:
  explicit LiveTrainer(const TrainConfig& config);
  LiveTrainer(const LiveTrainer&) = delete;
  LiveTrainer& operator=(const LiveTrainer&) = delete;

  void play() { runner_.play(); }  // train continuously (until config.steps, if > 0)
  void pause() { runner_.pause(); }
  void step_once() { runner_.step_once(); }  // one optimizer step, then pause
  void reset(const TrainConfig& config);     // start again from freshly initialised weights
  bool playing() const { return runner_.playing(); }
  // Applied by the worker before its next step (e.g. after a divergence).
  void set_learning_rate(float lr) { runner_.set_learning_rate(lr); }

  // The latest published state; never null. Cheap: a shared_ptr copy under a tiny lock.
  std::shared_ptr<const TrainSnapshot> snapshot() const;
  const TrainConfig& config() const { return config_; }

 private:
  TrainConfig config_;
  std::shared_ptr<const TrainSnapshot> empty_ = std::make_shared<TrainSnapshot>();
  LiveRunner runner_;  // last: its worker stops before the members above go
};

}  // namespace difflab
