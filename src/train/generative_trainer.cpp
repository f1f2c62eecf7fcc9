// generative_trainer.cpp — builds a GAN or VAE, its parts and objective, and steps them.
// Not the losses (gan_objective.cpp, vae_objective.cpp).
#include "train/generative_trainer.h"

#include "nn/backend_factory.h"
#include "nn/model_family.h"

namespace difflab {

std::string generative_kind_name(GenerativeKind k) {
  return k == GenerativeKind::Gan ? "gan" : "vae";
}

GenerativeTrainer::GenerativeTrainer(GenerativeKind kind, const GenerativeConfig& config)
    : kind_(kind), config_(config), dataset_(Dataset2D::load(config.dataset)) {
  train_ = dataset_.sample(config.train_points, config.seed);
  const ModelConfigMap model_config = kind == GenerativeKind::Gan ? config.gan.to_map() : config.vae.to_map();
  backend_ = make_backend(config.backend, &backend_choice_,
                          find_model_family(generative_kind_name(kind))->param_count(model_config));
  OptimizerSettings s;
  s.ema_decay = 0;  // samples come from the current weights: a GAN's EMA would average over mode hops
  s.grad_clip = 0;  // the losses' own scale; divergence is still caught
  if (kind == GenerativeKind::Gan) {
    auto gan = std::make_unique<GanModel>(config.gan, *backend_);
    gan->init_params(config.seed + 17);
    s.adamw.lr = config.gan_lr;
    s.adamw.beta1 = config.gan_beta1;
    loop_.add_part("generator", gan->generator(), s);
    OptimizerSettings sd = s;
    sd.adamw.lr = config.gan_d_lr;
    loop_.add_part("discriminator", gan->discriminator(), sd);
    objective_ = std::make_unique<GanObjective>(
        *gan, train_, GanObjectiveSettings{config.batch, config.d_steps}, config.seed + 29);
    model_ = std::move(gan);
  } else {
    auto vae = std::make_unique<VaeModel>(config.vae, *backend_);
    vae->init_params(config.seed + 17);
    s.adamw.lr = config.vae_lr;
    loop_.add_part("model", *vae, s);
    objective_ = std::make_unique<VaeObjective>(*vae, train_, VaeObjectiveSettings{config.batch, config.beta},
                                                config.seed + 29);
    model_ = std::move(vae);
  }
}

GenerativeTrainer::~GenerativeTrainer() = default;

StepResult GenerativeTrainer::step() {
  return loop_.step(*objective_);
}

std::vector<float> GenerativeTrainer::sample(int n, uint64_t seed) {
  if (kind_ == GenerativeKind::Gan) return static_cast<GanModel&>(*model_).sample(n, seed);
  return static_cast<VaeModel&>(*model_).sample(n, seed);
}

std::vector<float> GenerativeTrainer::read_params() const {
  std::vector<float> v(model_->num_params());
  backend_->read(model_->params(), v.data());
  return v;
}

void GenerativeTrainer::load_params(const std::vector<float>& params) {
  if (params.size() != model_->num_params()) throw std::invalid_argument("wrong number of parameters");
  backend_->write(model_->params(), params.data());
  if (kind_ == GenerativeKind::Gan)
    static_cast<GanModel&>(*model_).discriminator_net().refresh_spectral_norm(20);
  loop_.reset(0);
}

}  // namespace difflab
