// flow_run.h — the flow panel's run on a LiveRunner (train/live_runner.h): the exact flow of a mixture, a
// flow and two Reflow rounds (loaded from shipped checkpoints, or trained live in turn), a diffusion model
// read as a velocity and sampled by DDPM, each with its paths from the same noise, straightness and sliced W₂
// at 1, 2, 4 and 8 Euler steps (DDIM for the diffusion model). Not a UI (lecture/panel_flow.cpp draws the
// snapshots) and not the training math (train/flow_trainer.h).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "train/live_runner.h"

namespace difflab {

// The step counts the table compares (Euler for flows, DDIM with trailing steps for diffusion).
inline constexpr std::array<int, 4> kFlowStepBudgets = {1, 2, 4, 8};

struct FlowRunConfig {
  std::string dataset = "8gaussians";
  uint64_t seed = 0;
  // Cold start: the shipped flow, reflow-1 and reflow-2 checkpoints (all three given) — else trained live.
  std::vector<std::string> flow_checkpoints;
  std::string diffusion_checkpoint;   // an ε-model of the same data (DDIM row, equivalence view); "" = none
  int train_steps = 2000;             // per round when live (the CLI's `flow compare --steps 2000`)
  int pairs = 8000, pair_steps = 50;  // Reflow: pairs per round, Heun steps per pair (the CLI's defaults)
  int paths = 40;                     // trajectories drawn per model
  int fine_steps = 50;                // Heun steps of a drawn trajectory (the exact flow: 2×)
  int eval_points = 1000;             // points per sliced-W₂ estimate
};

// One velocity field's view: trajectories from the shared noise and its scores.
struct FlowCurve {
  bool ready = false;
  int step = 0;                            // the training step it was measured at (live)
  std::vector<std::vector<float>> states;  // fine ODE: states[k] = all paths after k steps (paths × 2)
  double straightness = 0;                 // of the fine ODE: ∫ E‖(x₁ − x₀) − v‖² dt
  std::array<double, 4> w2{};              // at kFlowStepBudgets Euler steps
};

struct FlowRunSnapshot {
  enum class Stage { Loading, Training, Coupling, Done };
  Stage stage = Stage::Loading;
  bool live = false;
  int round = 0;  // the round training now (0 flow, 1 reflow-1, 2 reflow-2)
  int step = 0;   // its step
  double train_seconds = 0;
  std::string error;
  double floor = 0;  // sliced W₂ between two samples of the data
  std::vector<float> data;
  bool has_exact = false;
  FlowCurve exact;                 // the mixture's exact velocity, 2 × fine_steps Heun steps
  std::array<FlowCurve, 3> flows;  // flow, reflow-1, reflow-2
  bool has_diffusion = false;
  FlowCurve diffusion;                   // the diffusion model read as a velocity (w2: DDIM at the budgets)
  std::vector<std::vector<float>> ddpm;  // DDPM's trajectory from the same noise (T states + 1)
};

class FlowRun {
 public:
  FlowRun(const FlowRunConfig& config, bool playing);
  ~FlowRun();
  FlowRun(const FlowRun&) = delete;
  FlowRun& operator=(const FlowRun&) = delete;
  void play() { runner_->play(); }
  void pause() { runner_->pause(); }
  bool playing() const { return runner_->playing(); }
  std::shared_ptr<const FlowRunSnapshot> snapshot() const;  // never null

  // Synchronous use (tests, README numbers): start, then train every live round to the end.
  static FlowRunSnapshot run_to_end(const FlowRunConfig& config);

 private:
  std::shared_ptr<const FlowRunSnapshot> empty_;
  std::unique_ptr<LiveRunner> runner_;
};

}  // namespace difflab
