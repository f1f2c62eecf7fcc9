// gan.cpp — the GAN's buffers, its two halves as Models, sampling, and its configuration map.
// Not the loss (train/gan_objective.cpp).
#include "nn/gan.h"

#include <stdexcept>

#include "core/rng.h"
#include "nn/model_family.h"

namespace difflab {

namespace {
// One half of a two-network model: a DenseNet on a block of its parent's buffers.
class HalfModel : public Model {
 public:
  HalfModel(std::string family, DenseNet& net, Backend& backend, Tensor params, Tensor grads)
      : family_(std::move(family)), net_(net), backend_(backend), params_(params), grads_(grads) {}
  std::string family() const override { return family_; }
  ModelConfigMap config_map() const override { return {}; }
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return params_.size(); }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  void init_params(uint64_t) override { throw std::logic_error("initialise the whole model"); }
  void set_params_view(const Tensor& params) override { net_.set_params_view(params); }
  void use_own_params() override { net_.use_own_params(); }

 private:
  std::string family_;
  DenseNet& net_;
  Backend& backend_;
  Tensor params_, grads_;
};
}  // namespace

ModelConfigMap GanConfig::to_map() const {
  ModelConfigMap map{{"spectral_norm", spectral_norm ? "1" : "0"}};
  write_map(map);
  return map;
}

GanConfig GanConfig::from_map(const ModelConfigMap& map) {
  GanConfig c;
  c.read_map(map);
  c.spectral_norm = config_int_or(map, "spectral_norm", 0, 1, 0) == 1;
  return c;
}

size_t GanModel::count_params(const GanConfig& c) {
  return DenseNet::params_size(c.generator()) + DenseNet::params_size(c.discriminator());
}

GanModel::GanModel(const GanConfig& config, Backend& backend)
    : FlatParamsModel(backend, count_params(config)), config_(config) {
  g_size_ = DenseNet::params_size(config.generator());
  const size_t n = num_params();
  const size_t d_size = n - g_size_;
  generator_ = std::make_unique<DenseNet>(config.generator(), backend, flat_block(params_, 0, g_size_),
                                          flat_block(grads_, 0, g_size_));
  discriminator_ =
      std::make_unique<DenseNet>(config.discriminator(), backend, flat_block(params_, g_size_, d_size),
                                 flat_block(grads_, g_size_, d_size));
  generator_part_ = std::make_unique<HalfModel>(
      "gan.generator", *generator_, backend, flat_block(params_, 0, g_size_), flat_block(grads_, 0, g_size_));
  discriminator_part_ =
      std::make_unique<HalfModel>("gan.discriminator", *discriminator_, backend,
                                  flat_block(params_, g_size_, d_size), flat_block(grads_, g_size_, d_size));
}

GanModel::~GanModel() = default;

void GanModel::init_params(uint64_t seed) {
  std::vector<float> values(num_params());
  generator_->init_values(values, 0, seed);
  discriminator_->init_values(values, g_size_, seed + 1);
  backend_.write(params_, values.data());
  discriminator_->refresh_spectral_norm(20);
}

void GanModel::set_params_view(const Tensor& params) {
  generator_->set_params_view(flat_block(params, 0, g_size_));
  discriminator_->set_params_view(flat_block(params, g_size_, num_params() - g_size_));
}

void GanModel::use_own_params() {
  generator_->use_own_params();
  discriminator_->use_own_params();
}

std::vector<float> GanModel::sample(int n, uint64_t seed) {
  Rng rng(seed);
  return decode_normal_latents(*generator_, config_.latent, 2, n, rng);
}

}  // namespace difflab
