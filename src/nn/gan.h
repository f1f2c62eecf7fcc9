// gan.h — the 2-D GAN (Goodfellow et al. 2014): an MLP generator z ∈ ℝᵈ → ℝ² and an MLP discriminator
// ℝ² → logit, in one parameter buffer [generator | discriminator] (one checkpoint), each also a Model of its
// own so that the training loop gives them separate optimizers. Not the loss (train/gan_objective.h).
#pragma once

#include <memory>

#include "nn/dense_net.h"
#include "nn/latent_model.h"

namespace difflab {

struct GanConfig : LatentMlpConfig {
  bool spectral_norm = false;  // on the discriminator's weights
  DenseNetConfig generator() const { return {latent, 2, width, depth, activation, false}; }
  DenseNetConfig discriminator() const { return {2, 1, width, depth, activation, spectral_norm}; }
  ModelConfigMap to_map() const;
  static GanConfig from_map(const ModelConfigMap& map);  // throws std::invalid_argument
};

class GanModel : public FlatParamsModel {
 public:
  GanModel(const GanConfig& config, Backend& backend);
  ~GanModel() override;
  static size_t count_params(const GanConfig& config);

  std::string family() const override { return "gan"; }
  ModelConfigMap config_map() const override { return config_.to_map(); }
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override;
  void use_own_params() override;

  const GanConfig& config() const { return config_; }
  DenseNet& generator_net() { return *generator_; }
  DenseNet& discriminator_net() { return *discriminator_; }
  // The two halves as Models (views of this model's buffers), for TrainLoop parts.
  Model& generator() { return *generator_part_; }
  Model& discriminator() { return *discriminator_part_; }
  // n samples G(z), z ~ 𝒩(0, I) from `seed` (with the weights currently in use).
  std::vector<float> sample(int n, uint64_t seed);

 private:
  GanConfig config_;
  size_t g_size_ = 0;
  std::unique_ptr<DenseNet> generator_, discriminator_;
  std::unique_ptr<Model> generator_part_, discriminator_part_;
};

}  // namespace difflab
