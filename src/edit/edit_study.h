// edit_study.h — the measurements of lesson 17 as library calls: reconstruction error of DDIM inversion
// against the number of steps and against γ (with and without null-text inversion), the SDEdit t₀ sweep
// (faithfulness against the classifier's realism), and reading the image to edit (a test image or a 28×28
// PNG). Not the algorithms (edit/inversion_edit.h) and not the output formats (the CLI writes JSON and PNG).
#pragma once

#include <string>
#include <vector>

#include "edit/inversion_edit.h"

namespace difflab {

class Classifier;

// A grayscale PNG (or any image stb_image reads) as one image in [−1, 1] (0 → −1, 255 → 1). Throws
// std::runtime_error for an unreadable file and std::invalid_argument naming both sizes when it is not
// height × width.
std::vector<float> load_image_file(const std::string& path, int height, int width);

struct InversionRow {
  int steps = 0;
  double gamma = 1;
  ReconstructionError ddim;       // plain DDIM inversion at γ (inverting and decoding with ε̃)
  ReconstructionError null_text;  // null-text inversion at γ (zero when not run)
  bool has_null_text = false;
  double seconds_ddim = 0, seconds_null_text = 0;
  std::vector<float> ddim_image, null_text_image;  // the reconstructions
  NullTextResult null_text_run;                    // the null-text inversion itself (x_T, ∅ₜ), for edits
};

// Plain DDIM round trips of image x (label `label`) at γ = gamma for every step count.
std::vector<InversionRow> inversion_error_by_steps(ImageNet& net, const NoiseSchedule& schedule,
                                                   const std::vector<float>& x, int label, double gamma,
                                                   const std::vector<int>& steps);
// At `steps` steps for every γ: plain DDIM round trip, and null-text inversion when `config` is given (its
// label, steps and gamma are overwritten per row).
std::vector<InversionRow> inversion_error_by_gamma(ImageNet& net, const NoiseSchedule& schedule,
                                                   const std::vector<float>& x, int label,
                                                   const std::vector<double>& gammas, int steps,
                                                   const NullTextConfig* config,
                                                   const EditProgress& progress = {},
                                                   const std::function<bool()>& cancelled = {});

struct SdeditPoint {
  int t0 = 0;
  double distance = 0;        // mean over samples of the MSE to the input (faithfulness: lower is closer)
  double confidence = 0;      // mean classifier probability of the target class (realism)
  double accuracy = 0;        // share of samples the classifier calls the target class
  std::vector<float> images;  // the samples, one per seed
};

// SDEdit of image x into class `to_label` at guidance γ from each t₀, `samples` seeds each, `steps` levels
// over 0 … t₀; the classifier (may be null: no realism numbers) judges the results.
std::vector<SdeditPoint> sdedit_sweep(ImageNet& net, const NoiseSchedule& schedule, Classifier* classifier,
                                      const std::vector<float>& x, int to_label, double gamma,
                                      const std::vector<int>& t0s, int samples, int steps, uint64_t seed,
                                      const EditProgress& progress = {},
                                      const std::function<bool()>& cancelled = {});

// The classifier's probability of each class for n images (softmax of its logits), n × classes.
std::vector<double> class_probabilities(Classifier& classifier, const std::vector<float>& images, int n);

}  // namespace difflab
