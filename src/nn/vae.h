// vae.h — the 2-D VAE (Kingma & Welling 2014): an MLP encoder x → (μ, log σ²) of q(z|x) and an MLP decoder
// z → mean of a Gaussian p(x|z) with one learned (or fixed) σ, in one parameter buffer
// [encoder | decoder | log σ_dec]. Not the loss (train/vae_objective.h).
#pragma once

#include <memory>

#include "nn/dense_net.h"
#include "nn/latent_model.h"

namespace difflab {

struct VaeConfig : LatentMlpConfig {
  bool learned_sigma = true;   // the decoder's σ is a parameter; else fixed at decoder_sigma
  double decoder_sigma = 0.1;  // fixed σ, and the learned σ's initial value
  DenseNetConfig encoder() const { return {2, 2 * latent, width, depth, activation, false}; }
  DenseNetConfig decoder() const { return {latent, 2, width, depth, activation, false}; }
  ModelConfigMap to_map() const;
  static VaeConfig from_map(const ModelConfigMap& map);  // throws std::invalid_argument
};

class VaeModel : public FlatParamsModel {
 public:
  VaeModel(const VaeConfig& config, Backend& backend);
  static size_t count_params(const VaeConfig& config);

  std::string family() const override { return "vae"; }
  ModelConfigMap config_map() const override { return config_.to_map(); }
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override;
  void use_own_params() override;

  const VaeConfig& config() const { return config_; }
  DenseNet& encoder() { return *encoder_; }
  DenseNet& decoder() { return *decoder_; }
  // log σ of the decoder (the parameter when learned, else log decoder_sigma) and its gradient slot.
  double log_sigma() const;
  Tensor log_sigma_grad() const;
  // n samples x = decoder(z) + σ·ε, z, ε ~ 𝒩(0, I) (mean_only: decoder(z), the decoder's mean).
  std::vector<float> sample(int n, uint64_t seed, bool mean_only = false);

 private:
  VaeConfig config_;
  Tensor active_;
  size_t e_size_ = 0, d_size_ = 0;
  std::unique_ptr<DenseNet> encoder_, decoder_;
};

}  // namespace difflab
