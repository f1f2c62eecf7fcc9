// latent_model.h — what the 2-D latent-variable models (GAN, VAE) share: the latent/width/depth/activation
// part of their configs and its checkpoint keys, one flat parameter and gradient buffer, and decoding z ~
// 𝒩(0, I). Not either model (nn/gan.h, nn/vae.h) nor any loss.
#pragma once

#include <memory>
#include <vector>

#include "core/rng.h"
#include "nn/dense_net.h"
#include "nn/model.h"

namespace difflab {

// z ∈ ℝ^latent, MLPs of `depth` hidden layers of `width`, one activation (GanConfig, VaeConfig extend it).
struct LatentMlpConfig {
  int latent = 2;  // z ~ 𝒩(0, I) of this dimension
  int width = 156, depth = 3;
  Activation activation = Activation::Relu;
  // The keys latent, width, depth, activation; read_map throws std::invalid_argument naming a bad key.
  void write_map(ModelConfigMap& map) const;
  void read_map(const ModelConfigMap& map);
};

// `size` values of the flat tensor t from `offset` (a block of a model's buffer).
Tensor flat_block(const Tensor& t, size_t offset, size_t size);

// A Model whose parameters and gradients are one flat buffer each, `count` floats, allocated on `backend`.
class FlatParamsModel : public Model {
 public:
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return params_.size(); }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }

 protected:
  FlatParamsModel(Backend& backend, size_t count);
  Backend& backend_;
  std::unique_ptr<Storage> param_storage_, grad_storage_;
  Tensor params_, grads_;
};

// net(z) for n latents z ~ 𝒩(0, I) of dimension `latent` drawn from rng (then rng goes on), in chunks of
// 4096 rows: out [n, net outputs].
std::vector<float> decode_normal_latents(DenseNet& net, int latent, int outputs, int n, Rng& rng);

}  // namespace difflab
