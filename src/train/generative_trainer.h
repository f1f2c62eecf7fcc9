// generative_trainer.h — a GAN or a VAE on a 2-D data set, trained through TrainLoop with its objective:
// what `difflab train --model gan|vae` and the trilemma panel's workers step. Not threaded and not a UI.
// Not diffusion (train/trainer.h trains the diffusion MLP).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/toy2d.h"
#include "nn/backend_factory.h"
#include "nn/gan.h"
#include "nn/vae.h"
#include "train/gan_objective.h"
#include "train/train_loop.h"
#include "train/vae_objective.h"

namespace difflab {

enum class GenerativeKind { Gan, Vae };
std::string generative_kind_name(GenerativeKind k);  // "gan", "vae"

struct GenerativeConfig {
  std::string dataset = "8gaussians";
  int train_points = 8000;
  int batch = 256;
  uint64_t seed = 0;
  GanConfig gan;      // vanilla: no spectral norm
  VaeConfig vae;      // learned σ
  double beta = 1.0;  // VAE: KL weight
  int d_steps = 1;    // GAN: discriminator steps per generator step
  // Adam for both (the GAN with β₁ = 0.5, as DCGAN, Radford et al. 2016). The GAN's defaults are the classic
  // collapse-prone setting of the 2-D mixture experiments (non-saturating loss, no regulariser, z ∈ ℝ², one
  // discriminator step, and a discriminator that learns 5× slower than the generator): on 8 and 25 Gaussians
  // the generator settles on a few modes and hops between them. The fix a student can switch on: a
  // discriminator as fast as the generator (gan_d_lr = gan_lr) or more discriminator steps (d_steps = 5).
  float gan_lr = 1e-3f, gan_beta1 = 0.5f;
  float gan_d_lr = 2e-4f;  // the discriminator's
  float vae_lr = 1e-3f;
  BackendKind backend = BackendKind::cpu;  // where it trains: cpu, gl or automatic (by parameter count)
};

class GenerativeTrainer {
 public:
  GenerativeTrainer(GenerativeKind kind, const GenerativeConfig& config);
  ~GenerativeTrainer();
  GenerativeKind kind() const { return kind_; }
  const GenerativeConfig& config() const { return config_; }
  const Dataset2D& dataset() const { return dataset_; }
  StepResult step();
  int step_count() const { return loop_.step_count(); }
  Model& model() { return *model_; }
  // What make_backend chose for config().backend and why (a note for auto).
  const BackendChoice& backend_choice() const { return backend_choice_; }
  Objective& objective() { return *objective_; }
  // n samples from the current weights (GAN: G(z); VAE: dec(z) + σε). One network evaluation per sample.
  std::vector<float> sample(int n, uint64_t seed);
  std::vector<float> read_params() const;
  void load_params(const std::vector<float>& params);

 private:
  GenerativeKind kind_;
  GenerativeConfig config_;
  Dataset2D dataset_;
  PointSet train_;
  BackendChoice backend_choice_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Model> model_;
  TrainLoop loop_;
  std::unique_ptr<Objective> objective_;
};

}  // namespace difflab
