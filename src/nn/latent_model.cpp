// latent_model.cpp — the GAN's and the VAE's shared config keys, flat buffers and latent decoding.
// Not either model (gan.cpp, vae.cpp).
#include "nn/latent_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "nn/model_family.h"

namespace difflab {

void LatentMlpConfig::write_map(ModelConfigMap& map) const {
  map["latent"] = std::to_string(latent);
  map["width"] = std::to_string(width);
  map["depth"] = std::to_string(depth);
  map["activation"] = activation_name(activation);
}

void LatentMlpConfig::read_map(const ModelConfigMap& map) {
  latent = config_int(map, "latent", 1, 64);
  width = config_int(map, "width", 1, 4096);
  depth = config_int(map, "depth", 1, 64);
  if (!parse_activation(config_string(map, "activation"), &activation))
    throw std::invalid_argument("model config: 'activation' = '" + config_string(map, "activation") +
                                "' is not gelu, relu or silu");
}

Tensor flat_block(const Tensor& t, size_t offset, size_t size) {
  return Tensor{t.storage, t.offset + offset, 1, static_cast<int>(size)};
}

FlatParamsModel::FlatParamsModel(Backend& backend, size_t count) : backend_(backend) {
  param_storage_ = backend.create_storage(count);
  grad_storage_ = backend.create_storage(count);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(count)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(count)};
}

std::vector<float> decode_normal_latents(DenseNet& net, int latent, int outputs, int n, Rng& rng) {
  std::vector<float> z(static_cast<size_t>(n) * latent), out(static_cast<size_t>(outputs) * n);
  for (float& v : z) v = static_cast<float>(rng.normal());
  constexpr int kChunk = 4096;
  for (int begin = 0; begin < n; begin += kChunk) {
    const int count = std::min(kChunk, n - begin);
    net.forward(z.data() + static_cast<size_t>(begin) * latent, count,
                out.data() + static_cast<size_t>(outputs) * begin);
  }
  return out;
}

}  // namespace difflab
