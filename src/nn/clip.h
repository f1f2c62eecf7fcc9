// clip.h — CLIP in miniature (Radford et al. 2021): a small CNN image encoder and a mean-pooled
// word-embedding MLP text encoder projecting to one d-dim space (L2-normalised), a learned temperature, the
// symmetric InfoNCE loss. Not training (train/clip_objective.h) and not the captions (data/captions.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/classifier.h"
#include "nn/model.h"

namespace difflab {

// Image: the feature CNN of nn/classifier.h with its Linear head giving d outputs instead of 10 classes:
//   x [B, 28·28] → 4 × (conv3×3 → GroupNorm → SiLU), two of stride 2 → global average pool → Linear(c₂, d).
// Text: tokens [B, L] → mean of the word embeddings of the non-padding tokens (a bag of words times the table
//   [V, E], plus a bias) → Linear(E, H) → GELU → Linear(H, d).
// Both outputs are L2-normalised; the logits of image i and text j are exp(s)·⟨uᵢ, vⱼ⟩ with the learned
// log-scale s (CLIP's logit_scale: starts at ln(1/0.07), clamped to 0 … ln 100).
// Defaults: 70,081 parameters with the caption vocabulary.
struct ClipConfig {
  std::vector<int> channels{16, 32, 64};  // the image CNN's c₀, c₁, c₂
  int groups = 8;
  int height = 28, width = 28;
  int embed_dim = 64;     // d, the shared space
  int text_width = 64;    // E, word embeddings
  int text_hidden = 128;  // H
  int vocab = 0;          // V: the word table's size (train/clip_objective.h default_clip_config())
  int max_tokens = 16;    // L
};

inline constexpr double kClipInitLogScale = 2.6592600369327779;  // ln(1/0.07)
inline constexpr double kClipMaxLogScale = 4.6051701859880914;   // ln 100

std::string describe(const ClipConfig& c);  // "CLIP: CNN 16,32,64 → 64, text 64/128, vocab 93"
void validate(const ClipConfig& c);         // throws std::invalid_argument
size_t clip_param_count(const ClipConfig& c);
inline constexpr const char* kClipConfigKeys =
    "clip_channels groups height width embed_dim text_width text_hidden vocab max_tokens";
ModelConfigMap clip_config_map(const ClipConfig& c);
ClipConfig clip_config_from_map(const ModelConfigMap& config);

// The symmetric InfoNCE loss of an n×n logit matrix whose matching pairs are on the diagonal (CLIP's eq.):
//   L = ½ [ (1/n) Σᵢ −log softmax(logitsᵢ,·)ᵢ + (1/n) Σⱼ −log softmax(logits·,ⱼ)ⱼ ].
// d_logits [n, n] (may be null) = ½ (softmax_rows − I + softmax_cols − I) / n.
double info_nce_loss(const float* logits, int n, float* d_logits);

// The whole loss from raw (unnormalised) embeddings img, txt [n, d]: normalise, logits = exp(s)·U Vᵀ with
// exp(s) clamped to ≤ 100, InfoNCE. Gradients with respect to the raw embeddings and to s (zero where
// clamped) written when the pointers are not null; logits [n, n] and the normalised rows written when given.
struct ClipLossResult {
  double loss = 0;
  double accuracy = 0;  // share of images whose largest logit is their own text
};
ClipLossResult clip_loss(const float* img, const float* txt, int n, int d, double log_scale, float* d_img,
                         float* d_txt, double* d_log_scale, float* logits = nullptr);

// Rows of x [n, d] divided by their norm (a zero row stays zero).
void l2_normalize_rows(float* x, int n, int d);

class ClipModel final : public Model {
 public:
  ClipModel(const ClipConfig& config, Backend& backend);
  ~ClipModel() override;

  std::string family() const override { return "clip"; }
  ModelConfigMap config_map() const override { return clip_config_map(config_); }
  const ClipConfig& config() const { return config_; }
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return num_params_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // The CNN as the classifier initialises it, U(±1/√fan_in) for the text side's Linear layers (PyTorch's
  // default; the word table is a Linear(V, E) over the bag of words), s = ln(1/0.07).
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override;
  void use_own_params() override;

  int embed_dim() const { return config_.embed_dim; }
  // The log-scale s of the weights in use (read from the backend) and its clamped exp(s).
  double log_scale();
  double logit_scale() { return std::exp(std::min(log_scale(), kClipMaxLogScale)); }

  // Raw image embeddings [B, d] of x [B, H·W] in [−1, 1]; keeps activations for backward_images().
  void forward_images(const float* x, int batch, float* raw);
  // Raw text embeddings [B, d] of tokens [B, max_tokens]; keeps activations for backward_texts().
  void forward_texts(const int* tokens, int batch, float* raw);
  // Gradients (added to grads(): call zero_grads() first) from ∂L/∂raw of the last forward of each side.
  void zero_grads();
  void backward_images(const float* d_raw);
  void backward_texts(const float* d_raw);
  void add_log_scale_grad(double g);

  // Normalised embeddings, in batches (no gradient kept): images [n, d], texts [n, d].
  std::vector<float> encode_images(const float* x, int n, int batch = 500);
  std::vector<float> encode_texts(const std::vector<std::vector<int>>& tokens);
  // The seam for text-conditioned models (latent diffusion): the L2-normalised d-dim embedding of one text's
  // tokens (max_tokens ids, data/captions.h WordTokenizer::encode).
  std::vector<float> text_embedding(const std::vector<int>& tokens);

 private:
  Tensor slice(const Tensor& flat, size_t block) const;
  ClipConfig config_;
  Backend& backend_;
  std::unique_ptr<Classifier> image_;  // computes with a view of the image part of params
  std::vector<ParamBlock> layout_;     // image (one block), text blocks, log_scale
  size_t num_params_ = 0, image_params_ = 0;
  size_t image_block_ = 0, embed_w_ = 0, embed_b_ = 0, w1_ = 0, b1_ = 0, w2_ = 0, b2_ = 0, scale_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_;
  Tensor bow_, pooled_, hidden_pre_, hidden_, text_out_, d_text_out_, d_hidden_, d_hidden_pre_, d_pooled_;
  int text_batch_ = 0;
  std::vector<float> host_bow_, host_image_d_;
};

}  // namespace difflab
