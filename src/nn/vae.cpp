// vae.cpp — the VAE's buffers, sampling, and its configuration map.
// Not the loss (train/vae_objective.cpp).
#include "nn/vae.h"

#include <cmath>
#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {

ModelConfigMap VaeConfig::to_map() const {
  char sigma[32];
  std::snprintf(sigma, sizeof sigma, "%.9g", decoder_sigma);
  ModelConfigMap map{{"learned_sigma", learned_sigma ? "1" : "0"}, {"decoder_sigma", sigma}};
  write_map(map);
  return map;
}

VaeConfig VaeConfig::from_map(const ModelConfigMap& map) {
  VaeConfig c;
  c.read_map(map);
  c.learned_sigma = config_int(map, "learned_sigma", 0, 1) == 1;
  c.decoder_sigma = config_double(map, "decoder_sigma", 1e-4, 100);
  return c;
}

size_t VaeModel::count_params(const VaeConfig& c) {
  return DenseNet::params_size(c.encoder()) + DenseNet::params_size(c.decoder()) + 1;
}

VaeModel::VaeModel(const VaeConfig& config, Backend& backend)
    : FlatParamsModel(backend, count_params(config)), config_(config) {
  e_size_ = DenseNet::params_size(config.encoder());
  d_size_ = DenseNet::params_size(config.decoder());
  active_ = params_;
  encoder_ = std::make_unique<DenseNet>(config.encoder(), backend, flat_block(params_, 0, e_size_),
                                        flat_block(grads_, 0, e_size_));
  decoder_ = std::make_unique<DenseNet>(config.decoder(), backend, flat_block(params_, e_size_, d_size_),
                                        flat_block(grads_, e_size_, d_size_));
}

void VaeModel::init_params(uint64_t seed) {
  std::vector<float> values(num_params());
  encoder_->init_values(values, 0, seed);
  decoder_->init_values(values, e_size_, seed + 1);
  values.back() = static_cast<float>(std::log(config_.decoder_sigma));
  backend_.write(params_, values.data());
}

void VaeModel::set_params_view(const Tensor& params) {
  active_ = params;
  encoder_->set_params_view(flat_block(params, 0, e_size_));
  decoder_->set_params_view(flat_block(params, e_size_, d_size_));
}

void VaeModel::use_own_params() {
  active_ = params_;
  encoder_->use_own_params();
  decoder_->use_own_params();
}

double VaeModel::log_sigma() const {
  if (!config_.learned_sigma) return std::log(config_.decoder_sigma);
  float v = 0;
  backend_.read(Tensor{active_.storage, active_.offset + e_size_ + d_size_, 1, 1}, &v);
  return v;
}

Tensor VaeModel::log_sigma_grad() const {
  return Tensor{grads_.storage, grads_.offset + e_size_ + d_size_, 1, 1};
}

std::vector<float> VaeModel::sample(int n, uint64_t seed, bool mean_only) {
  Rng rng(seed);
  std::vector<float> out = decode_normal_latents(*decoder_, config_.latent, 2, n, rng);
  if (!mean_only) {
    const double sigma = std::exp(log_sigma());
    for (float& v : out) v = static_cast<float>(v + sigma * rng.normal());
  }
  return out;
}

}  // namespace difflab
