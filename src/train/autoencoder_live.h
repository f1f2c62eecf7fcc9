// autoencoder_live.h — the latent autoencoder as a LiveRunner job (train/live_runner.h): it trains on
// Fashion-MNIST step by step and its snapshots carry the reconstruction MSE curve and 8 test images rebuilt
// with the current weights. Not the panel (lecture/panel_latent.cpp) and not the loss
// (train/autoencoder_objective.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/idx.h"
#include "nn/autoencoder.h"
#include "train/autoencoder_objective.h"
#include "train/train_job.h"

namespace difflab {

struct AutoencoderLiveSnapshot {
  int step = 0;
  double steps_per_s = 0;
  double mse = 0;  // of the 8 shown test images, current weights
  std::shared_ptr<const std::vector<double>> curve_steps, curve_mse;  // every 10 steps: batch MSE
  std::vector<float> originals, reconstructions;                      // 8 × 784 each
  std::string error;
};

class AutoencoderLiveJob final : public TrainJob {
 public:
  struct Settings {
    AutoencoderConfig model;
    AutoencoderObjectiveSettings objective;
    float lr = 2e-3f;
    uint64_t seed = 0;
    int threads = 1;
    std::string dataset = "fashion-mnist";
  };
  explicit AutoencoderLiveJob(Settings settings);
  ~AutoencoderLiveJob() override;
  void start() override;  // loads the data (throws IdxError when missing)
  StepResult step() override;
  int step_count() const override { return loop_.step_count(); }
  void set_learning_rate(float lr) override;
  void on_error(const std::exception& e) override { error_ = e.what(); }
  void on_diverged(const StepResult&) override { error_ = "diverged"; }
  std::shared_ptr<const void> snapshot(const RunInfo& info) override;

 private:
  Settings settings_;
  ImageDataset train_, shown_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Autoencoder> model_;
  TrainLoop loop_;
  std::unique_ptr<AutoencoderObjective> objective_;
  std::shared_ptr<std::vector<double>> steps_, mses_;
  std::string error_;
};

}  // namespace difflab
