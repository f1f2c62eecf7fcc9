// flow_trainer.h — flow matching / rectified flow on 2-D data (Lipman et al. 2023; Liu et al. 2023): the MLP
// regresses v = ε − x₀ at xₜ = (1 − t)·x₀ + t·ε, t uniform or logit-normal (Esser et al. 2024), and Reflow
// retrains on (x₀, ε) pairs the previous flow coupled. Not the ODE (sample/flow_ode.h) and not VP diffusion
// (train/trainer.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/toy2d.h"
#include "nn/backend_factory.h"
#include "nn/flow_mlp.h"
#include "sample/flow_ode.h"
#include "train/checkpoint.h"
#include "train/train_loop.h"

namespace difflab {

enum class FlowTimeDistribution { Uniform, LogitNormal };
std::string flow_time_distribution_name(FlowTimeDistribution d);
bool parse_flow_time_distribution(const std::string& name, FlowTimeDistribution* d);

// The reference 2-D MLP with t ∈ [0, 1] scaled by kFlowTimeScale before its embedding.
MlpConfig flow_mlp_config();

struct FlowTrainConfig {
  std::string dataset = "8gaussians";
  int train_points = 8000;
  int eval_points = 1000;
  MlpConfig model = flow_mlp_config();
  FlowTimeDistribution time_distribution = FlowTimeDistribution::Uniform;
  double logit_mean = 0, logit_std = 1;  // t = sigmoid(m + s·n), n ~ 𝒩(0, 1) (SD3's choice: 0, 1)
  int steps = 4000;
  int batch = 256;
  AdamWConfig optimizer{2e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
  float grad_clip = 1.0f;
  float ema_decay = 0.995f;
  uint64_t seed = 0;
  int threads = 1;
  BackendKind backend = BackendKind::cpu;
};

// Reflow's training set: pair j couples data point x0[j] with the noise noise[j] the previous flow carried
// to it (both n × 2).
struct CoupledPairs {
  std::vector<float> x0, noise;
  int size() const { return static_cast<int>(x0.size() / 2); }
};

// n (x₀, ε) pairs that `field` couples: ε ~ 𝒩(0, I) from `seed`, x₀ its endpoint after `steps` Heun steps.
CoupledPairs couple_pairs(VelocityField& field, int n, int steps, uint64_t seed);

// One step: j ~ U{pairs or data}, ε ~ 𝒩(0, I) (or the coupled noise), t ~ the time distribution, the MSE
// ‖v_θ(xₜ, t) − (ε − x₀)‖² averaged over the batch and both coordinates.
class FlowObjective final : public Objective {
 public:
  FlowObjective(const FlowTrainConfig& config, MlpModel& model, const PointSet& data,
                const CoupledPairs& pairs);
  std::string name() const override { return "flow matching (‖v − (ε − x₀)‖²)"; }
  StepResult step(TrainLoop& loop) override;

 private:
  const FlowTrainConfig& config_;
  MlpModel& model_;
  const PointSet& data_;
  const CoupledPairs& pairs_;
  Rng rng_;
  std::vector<float> input_, target_, out_, d_out_;
};

class FlowTrainer {
 public:
  // pairs empty: flow matching on the dataset with independent noise; else Reflow on the pairs (the dataset
  // still gives the held-out points that sample quality is measured against). Throws std::invalid_argument.
  explicit FlowTrainer(const FlowTrainConfig& config, CoupledPairs pairs = {});
  ~FlowTrainer();

  StepResult step();
  int step_count() const { return loop_.step_count(); }
  const FlowTrainConfig& config() const { return config_; }
  bool reflow() const { return pairs_.size() > 0; }
  MlpModel& model() { return *model_; }
  Tensor ema_params() const { return loop_.part(0).ema(); }
  const PointSet& eval_data() const { return eval_data_; }
  double swd_floor() const { return swd_floor_; }
  const Dataset2D& dataset() const { return dataset_; }

  // The EMA weights' ODE from n standard normal points (seed) in `steps` uniform steps.
  FlowPath sample(int n, int steps, FlowMethod method, uint64_t seed, bool keep_states = false);
  // n (x₀, ε) pairs for the next Reflow: ε ~ 𝒩(0, I) (seed), x₀ its endpoint with `steps` Heun steps.
  CoupledPairs make_pairs(int n, int steps, uint64_t seed);
  Checkpoint checkpoint(bool ema_only) const;

 private:
  FlowTrainConfig config_;
  Dataset2D dataset_;
  PointSet train_data_, eval_data_;
  CoupledPairs pairs_;
  double swd_floor_ = 0;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<MlpModel> model_;
  TrainLoop loop_;
  std::unique_ptr<FlowObjective> objective_;
};

}  // namespace difflab
