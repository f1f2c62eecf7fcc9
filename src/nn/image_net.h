// image_net.h — what an image denoising network (the U-Net, a DiT, a latent U-Net) is to trainers, samplers
// and editing tools: x [B, H·W·C] and t [B] in, a prediction of the same shape out, conditioned on a class
// label or on a per-row vector added to the time embedding. Not a denoiser (nn/unet_denoiser.h adapts one to
// core/denoiser.h) and not a loss: what the output means (ε, v) is the trainer's objective.
#pragma once

#include "nn/model.h"

namespace difflab {

class ImageNet : public Model {
 public:
  virtual int height() const = 0;
  virtual int width() const = 0;
  virtual int channels() const = 0;  // NHWC, channel fastest
  int dim() const { return height() * width() * channels(); }
  // Classes of the class embedding (row num_classes() = the null class); 0 = unconditional.
  virtual int num_classes() const = 0;
  // Width of the conditioning vector added to the time embedding (the class-embedding rows' width).
  virtual int cond_dim() const = 0;

  // out [B, dim()] for x [B, dim()] at times t [B] (code indices, floats); labels [B] may be null, and −1 (or
  // any label outside 0 … num_classes()−1) is the null class. Keeps activations for backward().
  virtual void forward(const float* x, const float* t, const int* labels, int batch, float* out) = 0;
  // The same with the class-embedding lookup replaced by given rows [B, cond_dim()] (a learned token for
  // textual inversion, an optimised null embedding for null-text inversion, a projected text embedding).
  virtual void forward_rows(const float* x, const float* t, const float* rows, int batch, float* out) = 0;
  // Every parameter's gradient (grads() overwritten) from d_out [B, dim()]; after forward_rows() the class
  // table gets no gradient.
  virtual void backward(const float* d_out) = 0;
  // After backward(): ∂loss/∂(conditioning row) [B, cond_dim()] — the gradient with respect to the class
  // embedding row (or the given row) of each image.
  virtual void read_d_rows(float* d_rows) const = 0;
  // The class-embedding row of `label` (−1 = the null class) [cond_dim()] from the active weights.
  virtual void read_class_row(int label, float* row) const = 0;
  // Multiply-adds of one forward pass per image ×2, for GFLOP/s figures.
  virtual double forward_flops_per_image() const = 0;
};

}  // namespace difflab
