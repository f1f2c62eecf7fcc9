// ip_adapter.h — IP-Adapter (Ye et al. 2023) in miniature: a CLIP image embedding → Linear + LayerNorm → N
// image tokens; decoupled cross-attention adds λ·softmax(Q K_imgᵀ/√d) V_img at the frozen U-Net's attention
// blocks (nn/unet.h AttentionHook), K_img/V_img new projections of the tokens. Not a CLI and not a panel.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/classifier.h"
#include "nn/unet.h"
#include "train/clip_objective.h"
#include "train/model_source.h"

namespace difflab {

struct IpAdapterConfig {
  int embed_dim = 64;  // the CLIP image embedding's size
  int tokens = 4;      // N image tokens
  int width = 64;      // each token's width
};

// The adapter's parameters live on the host (a few tens of thousands of floats): proj W [E, N·D], b [N·D],
// LayerNorm γ, β [D], then per attention site k: W_k, W_v [D, C_k] (no bias, as in the paper).
class IpAdapter final : public UNet::AttentionHook {
 public:
  IpAdapter(const IpAdapterConfig& config, const std::vector<UNet::AttentionSite>& sites, Backend& backend);
  const IpAdapterConfig& config() const { return config_; }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& grads() const { return grads_; }
  void init_params(uint64_t seed);

  // The prompts of the next forward(s): raw embeddings [B, E] (a zero row = no image) and λ. Computes the
  // tokens and zeroes the gradients.
  void set_prompts(const float* embeddings, int batch, float scale);
  // After the U-Net's backward(): the projection's and the LayerNorm's gradients from the tokens' gradients.
  void finish_backward();
  const std::vector<float>& tokens() const { return tokens_; }  // [B, N, D]

  void forward(int site, const Tensor& qkv, const Tensor& att, int batch, int heads) override;
  void backward(int site, const Tensor& d_att, const Tensor& qkv, const Tensor& d_qkv, int batch,
                int heads) override;

  size_t num_sites() const { return sites_.size(); }
  // Offsets into params_/grads_.
  size_t wk(int site) const { return site_off_.at(static_cast<size_t>(site)); }
  size_t wv(int site) const { return wk(site) + static_cast<size_t>(config_.width) * sites_[site].channels; }

 private:
  IpAdapterConfig config_;
  std::vector<UNet::AttentionSite> sites_;
  Backend& backend_;
  std::vector<float> params_, grads_;
  size_t proj_w_ = 0, proj_b_ = 0, ln_g_ = 0, ln_b_ = 0;
  std::vector<size_t> site_off_;
  int batch_ = 0;
  float scale_ = 0;
  std::vector<float> emb_, pre_, xhat_, rstd_, tokens_, d_tokens_;
  // Per site: K, V [B, N, C], probabilities [B, heads, P, N], the queries [B·P, C].
  std::vector<std::vector<float>> k_, v_, probs_, q_;
  std::vector<float> host_, host2_;
};

// The classic Adam on a host vector (β₁ 0.9, β₂ 0.999, ε 1e-8).
struct HostAdam {
  std::vector<float> m, v;
  int t = 0;
  void step(std::vector<float>& w, const std::vector<float>& g, float lr);
};

struct IpAdapterTrainConfig {
  int steps = 300, batch = 16;
  float lr = 1e-3f, drop = 0.05f;
  uint64_t seed = 0;
};

// ε-loss of the frozen U-Net (null class) with the adapter reading each image's own CLIP embedding
// (embeddings [count, E], dropped to zero with probability drop). Returns the loss of the step.
class IpAdapterTrainer {
 public:
  IpAdapterTrainer(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule, const ImageDataset& data,
                   std::vector<float> embeddings, const IpAdapterTrainConfig& config);
  double step();

 private:
  UNet& net_;
  IpAdapter& adapter_;
  const NoiseSchedule& schedule_;
  const ImageDataset& data_;
  std::vector<float> emb_;
  IpAdapterTrainConfig config_;
  Rng rng_;
  HostAdam adam_;
  std::vector<float> x0_, xt_, eps_, t_, out_, d_out_, rows_;
  std::vector<int> labels_;
};

// ε̂ of the U-Net with the adapter: row i with image embedding i mod count (embeddings [count, E]), class
// labels[i mod count] (−1 = none) and λ.
class IpAdapterDenoiser : public Denoiser {
 public:
  IpAdapterDenoiser(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule,
                    std::vector<float> embeddings, std::vector<int> labels, float scale);
  int dim() const override { return net_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override;

 private:
  UNet& net_;
  IpAdapter& adapter_;
  const NoiseSchedule& schedule_;
  std::vector<float> embeddings_;
  std::vector<int> labels_;
  float scale_;
  std::vector<float> rows_, times_;
  std::vector<int> row_labels_;
};

// The adapter file: "DIFFLAB-IP-ADAPTER 1", header keys (base, embed_dim, tokens, width, sites), END-HEADER,
// the float32 parameters, a checksum line. Only the adapter: the base is named, not copied.
void save_ip_adapter(const std::string& path, const IpAdapter& adapter, const std::string& base);
// Throws std::runtime_error naming the file for a bad or mismatched file; *base = the base's path.
void load_ip_adapter(const std::string& path, IpAdapter& adapter, std::string* base);
// The base U-Net the adapter file names, as recorded (train/checkpoint.h's find_base_checkpoint resolves it).
std::string ip_adapter_base(const std::string& path);

// An adapter file with what it needs to sample: its base U-Net (EMA weights when the checkpoint has them) and
// the CLIP image encoder whose embedding it reads.
struct LoadedIpAdapter {
  std::unique_ptr<LoadedModel> base;
  std::unique_ptr<LoadedClip> clip;
  std::unique_ptr<IpAdapter> adapter;
  std::string base_path;
  UNet& net() const { return base->unet(); }
};
// Loads the adapter at `path`, its base (`base_path`, or else the one its header names, found with
// find_base_checkpoint) and CLIP (`clip_path`, or else default_clip_path()). Throws std::runtime_error naming
// the file: no such adapter, a missing base, a base that is not a class-conditional image U-Net, an adapter
// file that is truncated, damaged or of another size.
LoadedIpAdapter load_ip_adapter_bundle(const std::string& path, const std::string& base_path = "",
                                       const std::string& clip_path = "", int threads = 2);

// One reference image, one set of x_T: samples at each λ of `scales`, without a class (the null class) and,
// when text_class ≥ 0, with that class as the text/class prompt, every cell from the SAME x_T (DDIM, η = 0,
// x̂₀ clipped, as `finetune --method ip-adapter` samples). λ = 0 is the base U-Net alone.
struct IpAdapterSweepConfig {
  std::vector<float> scales{0.0f, 0.5f, 1.0f, 2.0f};
  int text_class = -1;  // −1: only the null-class row
  int samples = 4;      // x_T per cell, the same in every cell
  int steps = 20;
  uint64_t seed = 0;  // x_T = standard_normal(samples · D, seed), the sampler's noise seed + 1
};
struct IpAdapterSweep {
  int rows = 1;  // 1: the null class; 2: the null class, then the text class
  int samples = 0;
  std::vector<float> scales;
  std::vector<float> x_T;              // samples · D
  std::vector<float> images;           // [row][λ][sample], D each
  std::vector<int> verdicts;           // the classifier's class of each image, same order (empty without one)
  std::vector<double> agreement;       // [row][λ]: share of the samples called the reference's class
  std::vector<double> text_agreement;  // [λ] of the text row: share called the text class
  const float* image(int row, int scale, int sample, int dim) const {
    return images.data() +
           ((static_cast<size_t>(row) * scales.size() + scale) * samples + sample) * static_cast<size_t>(dim);
  }
};
// `embedding`: the reference's CLIP image embedding [E]; reference_class: its label (−1: unknown, no
// agreement); classifier: judges each sample (null: no verdicts). progress(0 … 1) after each cell.
IpAdapterSweep ip_adapter_sweep(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule,
                                const std::vector<float>& embedding, int reference_class,
                                const IpAdapterSweepConfig& config, Classifier* classifier = nullptr,
                                const std::function<void(double)>& progress = {});

}  // namespace difflab
