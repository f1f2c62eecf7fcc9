// cfg_sweep.h — classifier-free guidance on a class-conditional U-Net against the guidance weight γ: samples
// per class, the shipped classifier's accuracy on them (per class) and FID against each class's test images.
// Not the guidance itself (nn/unet_conditional.h) nor FID's formula (train/frechet_distance.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/conditional.h"
#include "data/idx.h"
#include "sample/sampler.h"

namespace difflab {

class Classifier;
class UNet;
struct NoiseSchedule;

struct CfgSweepConfig {
  std::vector<double> gammas = {0, 1, 2, 3, 5, 7.5};  // the course's γ (0 = unconditional, 1 = conditional)
  int per_class = 50;                                 // samples per class and γ; the same x_T at every γ
  SamplerConfig sampler;  // default: DDIM, 20 steps, η = 0, x̂₀ clipped (as FID's samples)
  uint64_t seed = 0;
  // Cfg: classifier-free guidance. Classifier: the null class's ε̂ − γ σₜ ∇ₓ log p(y | xₜ, t) of
  // `noise_classifier` (needed then; e.g. nn/image_noise_classifier.h), Dhariwal & Nichol's guidance; γ is
  // their scale s.
  GuidanceKind kind = GuidanceKind::Cfg;
  NoiseClassifier* noise_classifier = nullptr;
  CfgSweepConfig();
};

struct CfgSweepPoint {
  double gamma = 0;
  std::vector<double> accuracy_per_class;  // share of class k's samples the classifier calls k
  std::vector<double> fid_per_class;       // class k's samples against class k's test images
  double accuracy = 0;                     // mean over classes
  double class_fid = 0;                    // mean of fid_per_class
  double fid = 0;                          // all samples against all test images (diversity across classes)
  int network_evaluations = 0;             // NFE of the sampler (a CFG step is one NFE of 2n rows)
  double seconds = 0;                      // sampling this γ
  std::vector<float> images;               // num_classes × per_class images, class-major, in [−1, 1]
};

struct CfgSweepResult {
  int num_classes = 0, per_class = 0, height = 0, width = 0;
  std::vector<CfgSweepPoint> points;  // one per γ, in the config's order
  std::vector<double>
      class_fid_floor;  // per class: per_class other test images of class k vs the same reference
  double class_fid_floor_mean = 0;
  double fid_floor = 0;  // the same for the pooled FID
  bool cancelled = false;
};

// Progress: `done` of `total` sampler steps over the whole sweep. `cancelled` is asked between steps; when it
// says true the result comes back with cancelled = true and only the finished points.
using CfgSweepProgress = std::function<void(long done, long total)>;

// `model` must have a class embedding (num_classes > 0), `params` a view of its weights (empty = its own);
// `test` holds labelled test images of the model's size; `classifier` their classes' feature CNN. Each class
// needs at least per_class + 2 test images. Throws std::invalid_argument for a model or data that do not fit.
CfgSweepResult run_cfg_sweep(UNet& model, const NoiseSchedule& schedule, Classifier& classifier,
                             const ImageDataset& test, const CfgSweepConfig& config,
                             const CfgSweepProgress& progress = {},
                             const std::function<bool()>& cancelled = {});

// Matched accuracy: the point of `sweep` whose mean accuracy is closest to `accuracy` (ties: the smaller γ).
// Throws std::invalid_argument for an empty sweep.
const CfgSweepPoint& closest_accuracy(const CfgSweepResult& sweep, double accuracy);

// "0,1,2,3,5,7.5" → {0, 1, 2, 3, 5, 7.5}; each γ in [0, 100]. Throws std::invalid_argument naming the item.
std::vector<double> parse_gamma_list(const std::string& text);

}  // namespace difflab
