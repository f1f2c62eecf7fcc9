// text_latent.h — text-conditioned latent diffusion: the mini-CLIP's frozen text embedding of a caption,
// projected by a trainable CondProjection into the latent U-Net's conditioning row, caption dropout for CFG,
// guided sampling from a typed prompt, and the checkpoint that keeps U-Net and projection in one file.
// Not cross-attention (one row per image, as the class row) and not the CLIP training (clip_objective.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/clip.h"
#include "nn/cond_projection.h"
#include "nn/image_net.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

struct TextLatentSettings {
  int batch = 64;
  // Share of images whose caption is dropped: their embedding is the zero vector, so their row is the
  // projection's bias b — the learned null row CFG's unconditional branch uses (CLIP embeddings are unit
  // vectors, so no caption maps to it).
  float caption_dropout = 0.1f;
  uint64_t seed = 0;
};

// The frozen text side: the (cached) CLIP embedding of a caption, tokenised with data/captions.h's
// caption_tokenizer() (unknown words → <unk>).
class TextEmbedder {
 public:
  explicit TextEmbedder(ClipModel& clip) : clip_(clip) {}
  int dim() const { return clip_.embed_dim(); }
  const std::vector<float>& embed(const std::string& text);

 private:
  ClipModel& clip_;
  std::map<std::string, std::vector<float>> cache_;
};

// L_simple in the latent with text rows: each step draws `batch` latents, a random caption of each one's
// class (random_caption: es or en), t ~ U{0 … T−1}, ε ~ 𝒩(0, I); rows = CondProjection(embedding); the loss
// is mean (ε̂ − ε)² over the batch and the latent's numbers. Two TrainLoop parts: part 0 the U-Net ("unet"),
// part 1 the projection ("projection"); both updated every step.
class TextLatentObjective final : public Objective {
 public:
  TextLatentObjective(ImageNet& unet, CondProjection& projection, TextEmbedder& text,
                      const ImageDataset& latents, const NoiseSchedule& schedule,
                      const TextLatentSettings& settings);
  std::string name() const override { return "text-conditioned latent diffusion (L_simple)"; }
  StepResult step(TrainLoop& loop) override;
  // The loss and both parts' gradients (grads() overwritten) for given x₀ [B, dim], t [B], ε [B, dim] and
  // embeddings [B, embedding_dim] (a zero row = dropped caption).
  double gradients(const float* x0, const float* t, const float* eps, const float* embeddings, int batch);

 private:
  ImageNet& unet_;
  CondProjection& projection_;
  TextEmbedder& text_;
  const ImageDataset& data_;
  const NoiseSchedule& schedule_;
  TextLatentSettings settings_;
  Rng rng_;
  std::vector<float> x0_, t_, eps_, emb_, xt_, rows_, out_, d_out_, d_rows_;
};

// n scaled latents for one text embedding with classifier-free guidance of weight γ against the null row
// (embedding 0), DDIM with `steps` steps (η = 0), x̂₀ clipped to [−clip, clip] (0 = off). Uses the models'
// active weights.
std::vector<float> sample_text_latents(ImageNet& unet, CondProjection& projection,
                                       const NoiseSchedule& schedule, const std::vector<float>& embedding,
                                       int n, double gamma, int steps, uint64_t seed, double clip = 2.0);

// Checkpoint format: architecture "unet" with the U-Net's weights as ema_params (so every U-Net tool reads
// it), plus header keys text_embedding_dim and text_projection = the projection's (E + 1)·cond_dim weights
// (W row-major, then b) as space-separated decimals.
void put_text_projection(Checkpoint& checkpoint, const std::vector<float>& projection_params,
                         int embedding_dim);
// Throws std::invalid_argument when the checkpoint has no (or a malformed) projection.
std::vector<float> get_text_projection(const Checkpoint& checkpoint, int* embedding_dim, int cond_dim);

}  // namespace difflab
