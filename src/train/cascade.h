// cascade.h — a two-stage cascaded diffusion model in miniature (Ho et al. 2022 "CDM"; Imagen, Saharia et al.
// 2022; DALL-E 2's upsamplers, Ramesh et al. 2022): a class-conditional U-Net on 14×14 Fashion-MNIST, and a
// 28×28 super-resolution U-Net conditioned on the upsampled, noise-augmented base image. Not the U-Net
// (nn/unet.h) nor the CLI (app/cli_cascade.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/backend.h"
#include "nn/unet.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

inline constexpr int kCascadeLowSide = 14, kCascadeHighSide = 28;
// Noise-conditioning augmentation (CDM §3; Imagen §2.5): the low-res conditioning image z is replaced by
// √(1 − s)·z + √s·ε, a variance-preserving noising of strength s ∈ [0, 1] (s = 1 − ᾱ). Training draws
// s ~ U(0, kCascadeTrainAugMax) per image; sampling uses one fixed s (default kCascadeSampleAug).
inline constexpr double kCascadeTrainAugMax = 0.5;
inline constexpr double kCascadeSampleAug = 0.1;

// 2×2 average pooling: n images side×side → n images (side/2)×(side/2). side must be even.
std::vector<float> downsample_2x(const float* images, int n, int side);
// Bilinear ×2 with half-pixel centres and clamped edges (PyTorch's interpolate(..., align_corners=False)):
// output pixel i reads the input at i/2 − 1/4. n images side×side → (2·side)×(2·side).
std::vector<float> upsample_2x(const float* images, int n, int side);
// z ← √(1 − s)·z + √s·ε in place, ε = noise (same length). s = 0 leaves z unchanged.
void noise_augment(float* z, const float* noise, size_t count, double s);

// The two stages' U-Nets: the base (14×14, 1 channel) and the SR net (28×28, in_channels 3: channel 0 the
// noisy image, channel 1 the conditioning z, channel 2 the augmentation level s as a constant plane, so the
// net is told s as CDM and Imagen do; its output channels 1 and 2 are ignored by the loss and the sampler).
// SR checkpoints written before s was an input have in_channels 2 (no s plane) and still load and sample.
inline constexpr int kCascadeSrChannels = 3, kCascadeSrLegacyChannels = 2;
UNetConfig cascade_base_config();
UNetConfig cascade_sr_config();

// The Fashion-MNIST images 2×2-average-pooled to 14×14 (labels and classes kept).
ImageDataset downsample_dataset(const ImageDataset& data);

// L_simple of the SR stage: x₀ ~ data (28×28), z = upsample(downsample(x₀)) noise-augmented with
// s ~ U(0, aug_max), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε, ε̂ = channel 0 of net([xₜ | z | s], t, y) (no s plane for
// a 2-channel net), y dropped with p.
class CascadeSrObjective final : public Objective {
 public:
  CascadeSrObjective(ImageNet& net, const NoiseSchedule& schedule, const ImageDataset& data, int batch,
                     double aug_max, double label_dropout, uint64_t seed);
  std::string name() const override { return "cascade SR (L_simple on channel 0, noise-augmented z)"; }
  StepResult step(TrainLoop& loop) override;

 private:
  ImageNet& net_;
  const NoiseSchedule& schedule_;
  const ImageDataset& data_;
  int batch_;
  double aug_max_, label_dropout_;
  Rng rng_;
  int channels_;
  std::vector<float> x0_, low_, input_, eps_, out_, d_out_, t_;
  std::vector<int> labels_;
};

// One loaded stage: its backend, its U-Net with the EMA weights as its own, the schedule.
struct CascadeStage {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<UNet> net;
  NoiseSchedule schedule;
  Checkpoint checkpoint;
};
enum class CascadeStageKind { Base, Sr };
// Checks a stage's U-Net shape: the base is 14×14 with 1 channel, the SR net 28×28 with 3 (or 2, written
// before s was an input). Throws
// std::invalid_argument with a message naming what was expected and what the checkpoint has.
void check_cascade_stage(const UNetConfig& c, CascadeStageKind kind, const std::string& path);
// Throws CheckpointError for a bad file, std::invalid_argument for another family or a wrong shape.
std::unique_ptr<CascadeStage> load_cascade_stage(const std::string& path, CascadeStageKind kind,
                                                 int threads = 1);

// n base samples (14×14) with labels[i mod size] (conditional, no guidance), DDIM with `steps` steps, x̂₀
// clipped to [−1, 1].
std::vector<float> sample_cascade_base(CascadeStage& base, int n, const std::vector<int>& labels, int steps,
                                       uint64_t seed);
// n SR samples (28×28) conditioned on `low` (n × 14×14): upsampled, noise-augmented with level s (fixed
// noise from seed), s itself given to a 3-channel net, DDIM with `steps` steps from the noise of seed + 1.
std::vector<float> sample_cascade_sr(CascadeStage& sr, const std::vector<float>& low, int n,
                                     const std::vector<int>& labels, double s, int steps, uint64_t seed);
// Whether the SR net reads s (in_channels 3) or is a checkpoint from before (2).
bool cascade_sr_reads_s(const CascadeStage& sr);

// "Visible noise": a 28×28 image's roughness, the mean squared 4-neighbour Laplacian over its pixels
// ([−1, 1] scale). `difflab cascade measure` counts the SR samples rougher than the q-quantile of the test
// images' roughness (q = 0.99): a clean sample is rarely rougher than 99 % of real images.
double image_roughness(const float* image, int side);

}  // namespace difflab
