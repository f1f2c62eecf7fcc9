// flow_race.h — the DiT and the U-Net trained side by side with rectified flow, live (issue 14 §4): the two
// shipped flow architectures built from scratch, each with its own optimizer, stepped in turn on the SAME
// minibatches (the objectives share a seed, so x₀, ε, t and labels are equal at every step), each step's
// loss recorded and each net's training images per second timed. Not the panel (lecture/panel_dit.cpp) and
// not the loss (train/image_flow_objective.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "train/image_trainer.h"
#include "train/live_trainer.h"
#include "train/train_job.h"

namespace difflab {

// The nets of a race: 0 the DiT, 1 the U-Net.
inline constexpr int kFlowRaceNets = 2;

struct FlowRaceSnapshot {
  int step = 0, steps = 0;  // optimizer steps done by each net, and the limit
  int batch = 0;
  size_t params[kFlowRaceNets] = {0, 0};
  double images_per_s[kFlowRaceNets] = {0, 0};  // batch · steps / that net's own step seconds
  SeriesView<double> loss[kFlowRaceNets];       // the loss of every step, as recorded
  std::string error;
};

class FlowRaceJob final : public TrainJob {
 public:
  struct Settings {
    // The architectures: the model keys of these checkpoints (the shipped flow DiT and flow U-Net).
    std::string dit_checkpoint, unet_checkpoint;
    int steps = 200, batch = 32;
    float lr = 1e-3f;
    uint64_t seed = 0;
    int threads = 1;
    std::string dataset = "fashion-mnist";
  };
  explicit FlowRaceJob(Settings settings);
  ~FlowRaceJob() override;
  // Reads the two checkpoints' configurations and loads the data (throws CheckpointError, IdxError).
  void start() override;
  // Tests: the nets train on `data` instead of the dataset named in the settings.
  void start_with(ImageDataset data);
  StepResult step() override;  // one step of each net, on the same minibatch
  int step_count() const override;
  bool finished() const override { return step_count() >= settings_.steps; }
  void set_learning_rate(float lr) override;
  void on_error(const std::exception& e) override { error_ = e.what(); }
  void on_diverged(const StepResult&) override { error_ = "diverged"; }
  std::shared_ptr<const void> snapshot(const RunInfo& info) override;

  ImageTrainer& trainer(int k) { return *trainers_[k]; }
  const Series<double>& losses(int k) const { return losses_[k]; }

 private:
  Settings settings_;
  std::unique_ptr<ImageTrainer> trainers_[kFlowRaceNets];
  Series<double> losses_[kFlowRaceNets];
  double seconds_[kFlowRaceNets] = {0, 0};
  std::string error_;
};

}  // namespace difflab
