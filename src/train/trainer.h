// trainer.h — Algorithm 1 of Ho et al. 2020 for the 2-D MLP: losses, AdamW, clipping, EMA, evaluation.
// Not threaded (live_trainer.h runs it on a worker) and not a UI.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/diffusion.h"
#include "core/rng.h"
#include "core/schedule.h"
#include "data/toy2d.h"
#include "nn/backend.h"
#include "nn/backend_factory.h"
#include "nn/edm_precond.h"
#include "nn/mlp.h"
#include "train/checkpoint.h"
#include "train/optimizer.h"
#include "train/train_loop.h"

namespace difflab {

// L_simple regresses the network's target (ε, x₀ or v); L_vlb is Σₜ Lₜ estimated with t uniform
// (T·λₜ‖ε − ε̂‖², fixed variances); hybrid = L_simple + hybrid_lambda·L_vlb (Nichol & Dhariwal 2021).
enum class LossKind { Simple, Vlb, Hybrid };
std::string loss_kind_name(LossKind k);
bool parse_loss_kind(const std::string& name, LossKind* k);

struct TrainConfig {
  std::string dataset = "moons";
  PointSet custom_points;   // when not empty, the data are these points (dataset is only a label)
  int train_points = 8000;  // a fixed training set, like tiny-diffusion's
  int eval_points = 1000;   // held-out data for the sample-quality metric
  MlpConfig model;
  // DDPM's linear 1e-4 … 0.02 at T = 1000, with β ×10 at T = 100: ᾱ_T ≈ 4e-5, so x_T is pure noise.
  ScheduleConfig schedule{ScheduleKind::Linear, 100, 1e-3, 0.2};
  Prediction prediction = Prediction::Eps;
  // EDM (Karras et al. 2022, Table 1 "Ours") instead of Algorithm 1: the network is F_θ inside the
  // preconditioning of nn/edm_precond.h, σ is log-normal and the loss λ(σ)‖D − x₀‖² (prediction and loss are
  // then unused; the schedule only places the samplers' steps).
  bool edm = false;
  double sigma_data = 0;  // EDM: σ_data; 0 = measured from the training points
  EdmNoiseDistribution edm_noise;
  LossKind loss = LossKind::Simple;
  double hybrid_lambda = 1e-3;
  VarianceKind variance = VarianceKind::FixedSmall;  // the reverse variance L_vlb assumes
  int steps = 4000;                                  // 0 = no limit (live training)
  int batch = 256;
  AdamWConfig optimizer{2e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
  float grad_clip = 1.0f;    // global-norm clipping; 0 = off
  float ema_decay = 0.995f;  // with warm-up min(decay, (1 + step)/(10 + step)); 0 = off
  uint64_t seed = 0;
  BackendKind backend = BackendKind::cpu;  // where it trains: cpu, gl or automatic (by parameter count)
  int threads = 1;                         // the 2-D MLP is fastest on one core up to batch ≈ 512
  int log_every = 10;                      // steps between loss-history entries
  int eval_every = 1000;                   // steps between sliced-W₂ evaluations; 0 = never
  int num_t_buckets = 10;
  int backup_every = 50;  // steps between copies of the last good state (divergence recovery)
};

// One line summarising a configuration, for logs and checkpoint headers.
std::string describe(const TrainConfig& c);

// One minibatch of Algorithm 1, kept for the slow-motion view: x₀, t, ε, xₜ and the network's ε̂.
struct Minibatch {
  std::vector<float> x0, eps, xt, eps_hat;  // interleaved x, y
  std::vector<int> t;
};

// The diffusion objective on 2-D points (Algorithm 1 with L_simple, L_vlb or hybrid, or EDM's): draws a
// minibatch of the training points, runs the MLP forward and backward and updates the loop's part 0. Reads
// `config` at every step (a learning rate changed there applies at the next one).
class Diffusion2DObjective final : public Objective {
 public:
  Diffusion2DObjective(const TrainConfig& config, MlpModel& model, const NoiseSchedule& schedule,
                       const PointSet& train_data, const EdmPrecond& edm_precond);
  std::string name() const override;
  StepResult step(TrainLoop& loop) override;

  const std::vector<double>& loss_by_t() const { return loss_by_t_; }
  void set_record_minibatch(bool on) { record_minibatch_ = on; }
  const Minibatch& last_minibatch() const { return last_minibatch_; }

 private:
  StepResult finish(TrainLoop& loop, double loss);  // backward and the optimizer step
  StepResult edm_step(TrainLoop& loop);
  const TrainConfig& config_;
  MlpModel& model_;
  const NoiseSchedule& schedule_;
  const PointSet& train_data_;
  const EdmPrecond& edm_precond_;
  Rng rng_;
  std::vector<double> loss_by_t_;
  std::vector<int> bucket_seen_;
  // Per-step scratch, allocated once.
  std::vector<float> input_, x0_, eps_, out_, d_out_;
  std::vector<int> t_;
  std::vector<double> sigma_;  // EDM: each sample's σ
  bool record_minibatch_ = false;
  Minibatch last_minibatch_;
};

// The 2-D MLP, its data and the shared TrainLoop with a Diffusion2DObjective.
class Trainer {
 public:
  explicit Trainer(const TrainConfig& config);
  ~Trainer();

  StepResult step();  // one optimizer step
  int step_count() const { return optimizer().step_count(); }
  const TrainConfig& config() const { return config_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  const Dataset2D& dataset() const { return dataset_; }
  MlpModel& model() { return *model_; }
  // The EMA weights, or the raw weights when EMA is off.
  Tensor ema_params() const { return config_.ema_decay > 0 ? optimizer().ema() : model_->params(); }
  const PointSet& train_data() const { return train_data_; }
  const PointSet& eval_data() const { return eval_data_; }

  // Samples n points with the EMA weights (DDPM, every step) and returns them interleaved.
  std::vector<float> sample(int n, uint64_t seed);
  // The live preview's samples: as sample(), but x̂₀ is clipped into the data box widened by its own extent on
  // every side (three times as wide). An untrained network's x̂₀ overshoots the data box at almost every
  // step, and the data-box clip then stacks its samples on the box's edges (lines and frames that read as a
  // bug); the wide box keeps the numbers bounded while those samples land far outside the plotted area.
  std::vector<float> preview_sample(int n, uint64_t seed);
  // Sliced W₂ between `samples` model samples (0 = eval_points) and the held-out data.
  double evaluate_swd(int samples = 0);
  // Sliced W₂ between two independent data sets of eval_points each: the floor for scale.
  double swd_floor() const { return swd_floor_; }
  // The training points' bounding box (+10 % each side): what sample() and checkpoints give the sampler.
  const DataBox& data_box() const { return data_box_; }
  // EDM training: the preconditioning with its σ_data (given or measured); sigma_data = 0 otherwise.
  const EdmPrecond& edm_precond() const { return edm_precond_; }
  // Mean L_simple per bucket of t over recent steps (exponential average).
  const std::vector<double>& loss_by_t() const { return objective_->loss_by_t(); }

  // When on, step() keeps a copy of its minibatch (a small cost; the UI turns it on).
  void set_record_minibatch(bool on) { objective_->set_record_minibatch(on); }
  const Minibatch& last_minibatch() const { return objective_->last_minibatch(); }

  // Divergence recovery: the last state with a finite loss (restored automatically by step()).
  int last_good_step() const { return optimizer().last_good_step(); }
  void set_learning_rate(float lr) { config_.optimizer.lr = lr; }

  std::vector<float> read_params(bool ema) const;
  void load_params(const std::vector<float>& params, const std::vector<float>& ema, int step);

  TrainLoop& loop() { return loop_; }
  Backend& backend() { return *backend_; }
  // What make_backend chose for config().backend and why (a note for auto).
  const BackendChoice& backend_choice() const { return backend_choice_; }

 private:
  const Optimizer& optimizer() const { return *loop_.part(0).optimizer; }

  TrainConfig config_;
  NoiseSchedule schedule_;
  Dataset2D dataset_;
  PointSet train_data_, eval_data_;
  BackendChoice backend_choice_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<MlpModel> model_;
  TrainLoop loop_;  // one part, "model": AdamW moments, EMA, last good state
  std::unique_ptr<Diffusion2DObjective> objective_;
  double swd_floor_ = 0;
  DataBox data_box_;
  EdmPrecond edm_precond_{0};
  std::vector<float> sample_in_box(int n, uint64_t seed, const DataBox& box);
};

// A checkpoint of the trainer's current state: EMA weights, and the raw ones unless ema_only.
Checkpoint checkpoint_of(const Trainer& trainer, bool ema_only);

}  // namespace difflab
