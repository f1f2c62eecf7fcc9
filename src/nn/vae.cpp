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
  return {{"latent", std::to_string(latent)},
          {"width", std::to_string(width)},
          {"depth", std::to_string(depth)},
          {"activation", activation_name(activation)},
          {"learned_sigma", learned_sigma ? "1" : "0"},
          {"decoder_sigma", sigma}};
}

VaeConfig VaeConfig::from_map(const ModelConfigMap& map) {
  VaeConfig c;
  c.latent = config_int(map, "latent", 1, 64);
  c.width = config_int(map, "width", 1, 4096);
  c.depth = config_int(map, "depth", 1, 64);
  if (!parse_activation(config_string(map, "activation"), &c.activation))
    throw std::invalid_argument("model config: 'activation' = '" + config_string(map, "activation") +
                                "' is not gelu, relu or silu");
  c.learned_sigma = config_int(map, "learned_sigma", 0, 1) == 1;
  c.decoder_sigma = config_double(map, "decoder_sigma", 1e-4, 100);
  return c;
}

size_t VaeModel::count_params(const VaeConfig& c) {
  return DenseNet::params_size(c.encoder()) + DenseNet::params_size(c.decoder()) + 1;
}

VaeModel::VaeModel(const VaeConfig& config, Backend& backend) : config_(config), backend_(backend) {
  e_size_ = DenseNet::params_size(config.encoder());
  d_size_ = DenseNet::params_size(config.decoder());
  const size_t n = count_params(config);
  param_storage_ = backend.create_storage(n);
  grad_storage_ = backend.create_storage(n);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(n)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(n)};
  active_ = params_;
  auto blk = [](const Tensor& t, size_t off, size_t size) {
    return Tensor{t.storage, t.offset + off, 1, static_cast<int>(size)};
  };
  encoder_ = std::make_unique<DenseNet>(config.encoder(), backend, blk(params_, 0, e_size_),
                                        blk(grads_, 0, e_size_));
  decoder_ = std::make_unique<DenseNet>(config.decoder(), backend, blk(params_, e_size_, d_size_),
                                        blk(grads_, e_size_, d_size_));
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
  encoder_->set_params_view(Tensor{params.storage, params.offset, 1, static_cast<int>(e_size_)});
  decoder_->set_params_view(Tensor{params.storage, params.offset + e_size_, 1, static_cast<int>(d_size_)});
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
  const int d = config_.latent;
  std::vector<float> z(static_cast<size_t>(n) * d), out(2 * static_cast<size_t>(n));
  for (float& v : z) v = static_cast<float>(rng.normal());
  constexpr int kChunk = 4096;
  for (int begin = 0; begin < n; begin += kChunk) {
    const int count = std::min(kChunk, n - begin);
    decoder_->forward(z.data() + static_cast<size_t>(begin) * d, count,
                      out.data() + 2 * static_cast<size_t>(begin));
  }
  if (!mean_only) {
    const double sigma = std::exp(log_sigma());
    for (float& v : out) v = static_cast<float>(v + sigma * rng.normal());
  }
  return out;
}

}  // namespace difflab
