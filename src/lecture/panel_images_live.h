// panel_images_live.h — the two pieces of lesson 10's live U-Net training that tests reach: the trainer the
// panel builds (from scratch or from a shipped checkpoint) and the sample grid it shows.
// Not the panel (panel_images.cpp) nor the trainer itself (src/train/image_trainer.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "train/image_trainer.h"

namespace difflab::lecture {

// The live grid: 8 images, DDIM with 20 steps, fixed noise (the same seed at every refresh, so a class sees
// the same 8 samples sharpen).
constexpr int kLiveGridImages = 8, kLiveGridSteps = 20;
constexpr uint64_t kLiveGridSeed = 3;

// The classroom U-Net's trainer as the live panel runs it: one thread; warm_start = the path of a checkpoint
// to continue from (its params, EMA and step), "" = freshly initialised. Throws when the checkpoint or the
// data set cannot be read.
std::unique_ptr<ImageTrainer> make_live_image_trainer(const std::string& warm_start);

// The grid the panel shows (kLiveGridImages images, values in [−1, 1] up to the sampler's clipping).
std::vector<float> live_sample_grid(ImageTrainer& trainer);

}  // namespace difflab::lecture
