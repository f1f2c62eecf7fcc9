// latent_diffusion.h — the glue of latent diffusion (Rombach et al. 2022): images → scaled latents through
// the autoencoder's encoder, latents → images through its decoder, and guided sampling of a latent U-Net. Not
// the autoencoder (nn/autoencoder.h), its loss (train/autoencoder_objective.h) nor the U-Net trainer
// (train/image_trainer.h, which trains in the latent unchanged: the latents are an ImageDataset).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <memory>

#include "core/schedule.h"
#include "data/idx.h"
#include "nn/autoencoder.h"
#include "nn/image_net.h"
#include "nn/unet.h"
#include "train/checkpoint.h"

namespace difflab {

// μ(x) [n, latent_dim()] of n images [n, 784], in batches of 256 (the deterministic encoding; Stable
// Diffusion samples z ~ q(z | x) instead, which for a small β differs from μ by little).
std::vector<float> encode_means(Autoencoder& model, const float* images, int n);
// Stable Diffusion's scale factor: 1 / (standard deviation of every number of `latents`), so that the scaled
// latents have unit variance, as the diffusion schedule assumes of its data (SD 1.x: 0.18215).
double latent_scale_factor(const std::vector<float>& latents);
// The images of `images` as scaled latents: an ImageDataset of 8×8×z "images" (channels = z), the same labels
// and classes. `scale` = latent_scale_factor of (a part of) them.
ImageDataset encode_dataset(Autoencoder& model, const ImageDataset& images, double scale);
// Images [n, 784] in [−1, 1] (clamped) of n scaled latents [n, latent_dim()]: decode(z / scale).
std::vector<float> decode_latents(Autoencoder& model, const float* scaled, int n, double scale);

// Where sample_latents clips x̂₀ (in standard deviations of the scaled latents); 0 = no clipping.
inline constexpr double kLatentClip = 2.0;

// n scaled latents from a class-conditional latent U-Net with classifier-free guidance of weight γ
// (sample/guided.h; labels[i mod size], −1 = unconditional), DDIM with `steps` steps (η = 0), x̂₀ clipped to
// [−clip, clip] (latents have no [−1, 1] box; 0 = unclipped). `params` selects the weights (the EMA copy),
// empty = the model's own.
std::vector<float> sample_latents(ImageNet& net, const NoiseSchedule& schedule, const Tensor& params, int n,
                                  const std::vector<int>& labels, double gamma, int steps, uint64_t seed,
                                  double clip = kLatentClip);

// A shipped pair, loaded cold: the autoencoder (with the scale factor its checkpoint states) and, when a path
// is given, the latent U-Net; both with their EMA weights as their own, on one CPU backend.
struct LatentModels {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Autoencoder> autoencoder;
  double scale = 1.0;  // the autoencoder checkpoint's scale_factor
  Checkpoint autoencoder_checkpoint;
  std::unique_ptr<UNet> unet;  // null without a U-Net path
  NoiseSchedule schedule;
  Checkpoint unet_checkpoint;
};
// Throws CheckpointError for a bad file and std::invalid_argument for a checkpoint of another family, or a
// U-Net whose input is not this autoencoder's latent (8×8×z).
std::unique_ptr<LatentModels> load_latent_models(const std::string& autoencoder_path,
                                                 const std::string& unet_path = "", int threads = 1);

}  // namespace difflab
