// image_quality.h — quality of an image denoiser in training: stratified bits/dim, FID to fixed test images.
// Not `difflab eval`'s full bound over every t (core/vlb.h) nor Inception FID: cheaper estimates of its
// numbers.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/rng.h"
#include "core/vlb.h"
#include "data/idx.h"
#include "sample/sampler.h"
#include "train/frechet_distance.h"
#include "train/ui_message.h"

namespace difflab {

class Classifier;
class ImageTrainer;
struct LoadedClassifier;

// ---- bits/dim --------------------------------------------------------------------------------------------
// The bound L_T + Σ_{t≥1} Lₜ + L₀ with the discretized Gaussian decoder (Ho et al. 2020, eq. 13) and x̂₀
// clipped to [−1, 1], as `difflab eval` reports it, in bits per dimension: nats per image / (D · ln 2) with
// D = model.dim(). Σ Lₜ comes from `strata` timesteps (estimate_vlb_stratified, core/vlb.h); strata = T − 1
// is the full bound. Every image costs strata + 1 network passes.
struct BitsPerDim {
  double total = NAN, prior = NAN, diffusion = NAN, decoder = NAN;
};
BitsPerDim estimate_bits_per_dim(Denoiser& model, const std::vector<float>& images, int strata, Rng& rng,
                                 StrataSpacing spacing = StrataSpacing::Geometric,
                                 VarianceKind variance = VarianceKind::FixedSmall);

// ---- Fréchet distance to a fixed reference ---------------------------------------------------------------
// The Gaussian fit of the classifier features of `reference` images, fitted once, and the floor: the distance
// of `others` (other real images, as many as the generated sets will have) to that fit — what a perfect model
// scores at this sample size, since FID is biased upward at small n.
struct FidReference {
  GaussianFit fit;
  double floor = NAN;
  int reference_count = 0, floor_count = 0;
};
FidReference make_fid_reference(Classifier& net, const float* reference, int n_reference, const float* others,
                                int n_others);
// How FID's samples are drawn, by `difflab eval` and in training alike: DDIM with `steps` steps, η = 0, x̂₀
// clipped.
SamplerConfig fid_sampler_config(int steps);

// FD between the features of n images (n × H·W in [−1, 1], n ≥ 2) and the reference fit (Heusel et al. 2017).
double fid_to_reference(Classifier& net, const float* images, int n, const FidReference& reference);

// ---- both, every few hundred steps of live training ------------------------------------------------
struct ImageQualityConfig {
  std::string dataset = "fashion-mnist";  // its test split is the reference
  std::string classifier;                 // checkpoint of the feature CNN; empty = default_classifier_path()
  int bits_images = 16;                   // the first test images, for bits/dim
  int strata = 50;                        // timesteps of the bound's sum
  int fid_samples = 128;                  // DDIM samples per FID (and test images in the floor)
  int fid_ddim_steps = 10;
  int fid_reference = 1000;  // the first test images, fitted once
  // The same ε, t and x_T at every evaluation: the curves move with the model, not with the draws.
  uint64_t seed = 0;
  int threads = 1;  // the classifier's
};

struct QualityPoint {
  int step = 0;
  double bits_per_dim = NAN, fid = NAN;  // NaN: that curve is unavailable (see the notes)
  double seconds = 0;                    // the whole evaluation
};

class ImageQualityMonitor {
 public:
  // Loads the test split and the classifier, and fits the reference. Never throws for missing files: what is
  // missing turns its curve off and says why in bits_note() / fid_note().
  explicit ImageQualityMonitor(const ImageQualityConfig& config);
  // With given test images (tests); the classifier still comes from config.classifier.
  ImageQualityMonitor(const ImageQualityConfig& config, ImageDataset test);
  ~ImageQualityMonitor();

  bool has_bits_per_dim() const { return bits_note_.empty(); }
  bool has_fid() const { return fid_note_.empty(); }
  // Why a curve is off, in English (CLI), empty when it is computed; *_message(): the same for a window,
  // in its language (train/ui_message.h).
  const std::string& bits_note() const { return bits_note_.english; }
  const std::string& fid_note() const { return fid_note_.english; }
  const UiMessage& bits_message() const { return bits_note_; }
  const UiMessage& fid_message() const { return fid_note_; }
  double fid_floor() const { return reference_.floor; }
  const ImageQualityConfig& config() const { return config_; }

  // Both numbers for the trainer's EMA weights. `cancelled` is asked between the stages and between sampling
  // steps; when it says true the point comes back with NaNs. A test set of another image size turns both off.
  QualityPoint evaluate(ImageTrainer& trainer, const std::function<bool()>& cancelled = {});

 private:
  void prepare(ImageDataset test);

  ImageQualityConfig config_;
  std::vector<float> bits_images_;  // bits_images × D
  std::unique_ptr<LoadedClassifier> classifier_;
  FidReference reference_;
  int image_dim_ = 0;
  UiMessage bits_note_, fid_note_;
};

}  // namespace difflab
