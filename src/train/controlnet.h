// controlnet.h — ControlNet (Zhang et al. 2023) on the image U-Net: a trainable copy of the U-Net that also
// reads an edge map (Sobel of the image) and adds its encoder features, through zero-initialised 1×1
// convolutions, to what the frozen base's decoder reads. Not the U-Net's hook itself (nn/unet.h,
// set_control_residuals) and not a CLI or a panel.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/denoiser.h"
#include "core/rng.h"
#include "core/schedule.h"
#include "data/idx.h"
#include "nn/unet.h"
#include "train/checkpoint.h"
#include "train/model_source.h"
#include "train/train_loop.h"

namespace difflab {

// |Sobel| of n images [n × h × w] (zero padding), divided by each image's largest value: edges in [0, 1].
std::vector<float> sobel_edges(const float* images, int n, int h, int w);
// How well samples follow edge maps: the Pearson correlation between sobel_edges(sample) and the edge map
// it was drawn with, averaged over the n images (1 = the same edges; ≈ 0 for unrelated images).
double edge_agreement(const float* samples, const float* edges, int n, int h, int w);

// The zero convolutions: one 1×1 convolution (C_k → C_k, weight and bias) per control point of the U-Net,
// all zero at init, in one flat buffer.
class ZeroConvs final : public Model {
 public:
  ZeroConvs(const std::vector<UNet::ControlPointShape>& points, Backend& backend);
  std::string family() const override { return "zero-convs"; }
  ModelConfigMap config_map() const override { return {}; }
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return count_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  void init_params(uint64_t seed) override;  // zeros, whatever the seed
  void set_params_view(const Tensor& params) override { active_ = params; }
  void use_own_params() override { active_ = params_; }
  Tensor weight(int k, bool grad = false) const;
  Tensor bias(int k, bool grad = false) const;
  size_t size() const { return points_.size(); }

 private:
  std::vector<UNet::ControlPointShape> points_;
  std::vector<size_t> offsets_;
  Backend& backend_;
  size_t count_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_;
  Tensor params_, grads_, active_;
};

class ControlNet {
 public:
  // `base` keeps its weights (frozen) and its backend; the copy starts as the base's weights with one more
  // input channel (the edge map) whose conv_in weights are zero.
  explicit ControlNet(UNet& base);
  ~ControlNet();
  UNet& base() { return base_; }
  UNet& copy() { return *copy_; }
  ZeroConvs& zero_convs() { return *zero_; }

  // ε̂ [B, H·W] of the base with the control residuals × scale added, for x, edges [B, H·W], t and labels
  // (may be null). Keeps what backward() needs.
  void forward(const float* x, const float* edges, const float* t, const int* labels, int batch, float scale,
               float* out);
  // Gradients of the copy's and the zero convolutions' parameters from d_out [B, H·W] (the base's own
  // gradient buffer is overwritten and not used).
  void backward(const float* d_out);

 private:
  void ensure_batch(int batch);
  UNet& base_;
  std::unique_ptr<UNet> copy_;
  std::unique_ptr<ZeroConvs> zero_;
  std::vector<UNet::ControlPointShape> points_;
  std::unique_ptr<Storage> storage_;
  std::vector<Tensor> residuals_, d_residuals_, d_features_;
  std::vector<float> input_, copy_out_;
  int batch_ = 0;
  float scale_ = 1.0f;
};

struct ControlNetConfig {
  int steps = 300;
  int batch = 16;
  float lr = 1e-4f;
  float label_dropout = 0.1f;
  uint64_t seed = 0;
};

// L_simple of the base + ControlNet on (image, its Sobel edges) pairs; updates parts "copy" and "zero".
class ControlNetObjective final : public Objective {
 public:
  ControlNetObjective(ControlNet& net, const NoiseSchedule& schedule, const ImageDataset& data,
                      const ControlNetConfig& config);
  std::string name() const override { return "ControlNet (L_simple, base frozen)"; }
  StepResult step(TrainLoop& loop) override;

 private:
  ControlNet& net_;
  const NoiseSchedule& schedule_;
  const ImageDataset& data_;
  ControlNetConfig config_;
  Rng rng_;
  std::vector<float> x0_, xt_, eps_, t_, out_, d_out_;
  std::vector<int> labels_;
};

// ε̂ of a ControlNet for sampling: every row with the same edge map (or edges[i mod count]), a label and a
// conditioning scale.
class ControlNetDenoiser : public Denoiser {
 public:
  ControlNetDenoiser(ControlNet& net, const NoiseSchedule& schedule, std::vector<float> edges, int label,
                     float scale);
  int dim() const override { return net_.base().dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override;

 private:
  ControlNet& net_;
  const NoiseSchedule& schedule_;
  std::vector<float> edges_;
  int label_;
  float scale_;
  std::vector<float> rows_, times_;
  std::vector<int> labels_;
};

// Samples drawn against edge maps and how well each follows its map (edge_agreement of that one image).
struct EdgeSamples {
  std::vector<float> images;      // n × H·W, in [−1, 1]
  std::vector<double> agreement;  // per image
  double mean_agreement() const;  // = edge_agreement over all n (the CLI's number)
};
// DDIM with `steps` steps (fid_sampler_config: η = 0, x̂₀ clipped) of `denoiser` from x_T (n × H·W) with noise
// seed `seed`; image i is scored against edges[i mod count] (count = edges.size() / H·W). `progress`, when
// given, receives the fraction of steps done after each step (it may throw to stop).
EdgeSamples sample_against_edges(Denoiser& denoiser, const std::vector<float>& edges,
                                 const std::vector<float>& x_T, int height, int width, int steps,
                                 uint64_t seed, const std::function<void(double)>& progress = {});

// Lesson 18's comparison (the panel `controlnet`, `difflab finetune --method controlnet`'s check): the base
// U-Net alone (UNetDenoiser, no residuals at all) and the ControlNet at `scale`, both from the same x_T and
// noise seed with label `label` (−1 = ∅), the ControlNet reading edges (as sample_against_edges).
struct ControlComparison {
  EdgeSamples base, controlled;
};
ControlComparison compare_with_base(ControlNet& net, const NoiseSchedule& schedule,
                                    const std::vector<float>& edges, int label, float scale,
                                    const std::vector<float>& x_T, int steps, uint64_t seed,
                                    const std::function<void(double)>& progress = {});
// The largest |a_k − b_k| (0 exactly when the two are bit for bit equal up to the sign of zero).
double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b);

// A ControlNet checkpoint (architecture "controlnet", nn/model_family.cpp): the copy's U-Net keys
// (in_channels = the base's + 1) and zero_convs = their parameter count; extra keys base (the base
// checkpoint's path as given), control_scale (the default conditioning scale); the base's schedule and data
// set; one tensor (ema) = the copy's weights, then the zero convolutions'. The base's weights are not in it.
Checkpoint controlnet_checkpoint(ControlNet& net, const Checkpoint& base, const std::string& base_path,
                                 float scale, int steps);

struct LoadedControlNet {
  std::unique_ptr<LoadedModel> base;
  std::unique_ptr<ControlNet> net;
  std::string base_path;
  float scale = 1.0f;  // the checkpoint's control_scale
};
// Loads the ControlNet at `path` and its base (`base_path`, or else the header's base: as written, then next
// to the ControlNet file). Throws CheckpointError naming the file for a truncated or corrupt file, a missing
// base or a base of another shape.
LoadedControlNet load_controlnet(const std::string& path, const std::string& base_path = "");

}  // namespace difflab
