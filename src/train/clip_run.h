// clip_run.h — the mini-CLIP training live on a LiveRunner (train/live_runner.h): from scratch or from the
// shipped checkpoint, publishing immutable snapshots (loss, temperature, and on a schedule the embeddings of
// a pool of test images, of every caption and of the class prompts, with the zero-shot accuracy).
// Not a UI (panel_clip.cpp draws snapshots) and not the training math (train/clip_objective.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/idx.h"
#include "train/live_runner.h"

namespace difflab {

// Embeddings of one evaluation (all rows L2-normalised, d columns).
struct ClipEval {
  int step = 0;
  int dim = 0;
  double logit_scale = 0;       // the learned 1/T at this step
  std::vector<float> images;    // [pool, d]
  std::vector<float> captions;  // [captions, d], in ClipRunSnapshot::captions order
  std::vector<float> prompts[3];  // [10, d]: es "una foto de …", en "a photo of …", ensemble of all captions
  double zero_shot[3] = {0, 0, 0};  // accuracy on the pool with each prompt set
};

struct ClipRunSnapshot {
  bool ready = false;  // data and model loaded
  std::string error;   // loading failed (no Fashion-MNIST, a bad checkpoint)
  bool shipped = false;
  int step = 0;
  double train_seconds = 0;
  double steps_per_s = 0;
  double loss = 0;                  // smoothed InfoNCE
  double batch_accuracy = 0;        // smoothed share of images whose own caption is the batch's best match
  std::vector<float> loss_history;  // one value per 10 steps
  std::shared_ptr<const ClipEval> eval;
  std::shared_ptr<const ImageDataset> pool;  // the test images evaluated (labels kept)
  std::shared_ptr<const std::vector<std::string>> captions;
  std::shared_ptr<const std::vector<int>> caption_labels;
};

struct ClipRunConfig {
  bool shipped = false;    // start from the shipped checkpoint (default_clip_path()) instead of from scratch
  std::string checkpoint;  // empty: default_clip_path()
  int pool = 500;          // test images embedded per evaluation
  int batch = 128;
  int steps = 1500;  // the learning-rate schedule's length (the run may go on at a tenth of it)
  uint64_t seed = 0;
  std::string dataset = "fashion-mnist";
};

class ClipRun {
 public:
  explicit ClipRun(const ClipRunConfig& config, bool playing = false);
  ~ClipRun();
  ClipRun(const ClipRun&) = delete;
  ClipRun& operator=(const ClipRun&) = delete;
  void play() { runner_->play(); }
  void pause() { runner_->pause(); }
  void step_once() { runner_->step_once(); }
  bool playing() const { return runner_->playing(); }
  std::shared_ptr<const ClipRunSnapshot> snapshot() const;

 private:
  std::shared_ptr<const ClipRunSnapshot> empty_;
  std::unique_ptr<LiveRunner> runner_;
};

}  // namespace difflab
