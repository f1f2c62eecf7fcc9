// panel_images_parts.h — the pieces of lesson 10's image panel that tests reach: the live trainer it builds
// (from scratch or from a shipped checkpoint), the sample grid it shows, the architecture view's layout.
// Not the panel's drawing (panel_images.cpp) nor the trainer itself (src/train/image_trainer.h).
#pragma once

#include <cstdint>
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
std::unique_ptr<ImageTrainer> make_live_image_trainer(const std::string& warm_start,
                                                      BackendKind backend = BackendKind::cpu);

// The grid the panel shows (kLiveGridImages images, values in [−1, 1] up to the sampler's clipping).
std::vector<float> live_sample_grid(ImageTrainer& trainer);

// The training step a checkpoint's text header records ("step = N" before END-HEADER), or -1 when it has
// none: read from the file's first bytes in the background, so the live panel can say "step 300" while the
// starting grid is still being sampled (it said "step 0" and "first point at step 50" for the first seconds).
int checkpoint_header_step(const std::string& header_text);

// The architecture view: entries (input, every module, output) in two columns of `per_column` rows, each a
// label of two lines (scaled by label_scale ≤ 1) and its maps as square cells. All in pixels.
struct ArchitectureLayout {
  float row_height = 0, column_width = 0, label_width = 0, label_scale = 1, cell = 0;
};
// Fits the view into width × height: rows share the height, the label shrinks (not below 0.6) only when two
// lines would not fit a row, the cells take what is left (at most 2.6 font sizes, 4 maps and a 2 px gap
// each). line_height and font_size are the unscaled font's; label_width is the widest label at scale 1.
ArchitectureLayout architecture_layout(float width, float height, int per_column, float line_height,
                                       float font_size, float spacing_x, float spacing_y, float label_width);

}  // namespace difflab::lecture
