// guidance_view.h — what the guidance panels compute, headless: the presets as labelled mixtures
// (core/guidance.h), the exact guided ε̃ (core's exact conditional denoiser under sample/guided.h's CFG),
// guided samples from one fixed x_T, per-class precision and mode coverage, the tilted target
// p(x|y)^γ p(x)^(1−γ) sampled exactly (importance resampling), the quality/diversity curve against γ.
// Not drawing (lecture/panel_guidance.cpp) and not the samplers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/gaussian_mixture.h"
#include "core/guidance.h"
#include "data/toy2d.h"
#include "sample/sampler.h"

namespace difflab {

// A preset's mixture with class = component index mod classes_mod (0: one class per component); sigma > 0
// replaces every component's covariance by σ²I (wider modes that overlap their neighbours).
// 8gaussians with 2: the even and the odd modes. Throws when the data set is not a mixture.
LabelledMixture2D guidance_mixture(const std::string& dataset, int classes_mod, double sigma = 0);
// n labelled points of it (label = class), deterministic in seed: what the learned model trains on.
PointSet guidance_points(const LabelledMixture2D& mixture, int n, uint64_t seed);

// The course's guided ε̃ for a class y and weight γ, from any conditional model:
//   ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y).
using GuidedEps = std::function<void(const float* xt, int n, int t, int label, double gamma, float* eps)>;

// A Denoiser that calls `eps` with a fixed (label, γ): what the samplers run.
class GammaDenoiser final : public Denoiser {
 public:
  GammaDenoiser(GuidedEps eps, const NoiseSchedule& schedule, int label, double gamma, DataBox box = {})
      : eps_(std::move(eps)), schedule_(schedule), label_(label), gamma_(gamma), box_(std::move(box)) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  const DataBox& data_box() const override { return box_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    eps_(xt, n, t, label_, gamma_, eps);
  }

 private:
  GuidedEps eps_;
  const NoiseSchedule& schedule_;
  int label_;
  double gamma_;
  DataBox box_;
};

// The exact guided ε̃ of the mixture: core/guidance.h's ExactConditionalDenoiser combined with γ by
// sample/guided.h's CfgDenoiser (label −1: the unconditional ε*). Exact for every γ (the exact CFG field
// equals exact classifier guidance). Refers to `exact`, which must outlive it.
GuidedEps exact_guided_eps(ExactConditionalDenoiser& exact);

// Per-class quality and diversity of samples for class y. A sample belongs to its nearest mode when it lies
// within 3σ of its mean (σ = √(largest eigenvalue of the mode's covariance)); y's modes are its components.
struct GuidanceStats {
  double precision = 0;    // fraction of samples in one of y's modes
  double off_data = 0;     // fraction outside the data's 99 % region: p(x) below the density that 99 % of
                           // data points exceed (1 % of the data itself is "off" by construction)
  int modes_covered = 0;   // y's modes holding ≥ 1/(4·modes) of the samples
  int class_modes = 0;     // y's modes
  double mean_radius = 0;  // mean distance from each sample to its nearest mode of y (σ√(π/2) for p(x|y))
};
// The log-density level that 99 % of the data exceed (from 20,000 points, seed 99).
double data_log_density_floor(const LabelledMixture2D& mixture);
GuidanceStats guidance_stats(const std::vector<float>& xy, const LabelledMixture2D& mixture, int label);

// n exact samples of the tilted density p(x|y)^γ p(x)^(1−γ) at t = 0 by importance resampling: proposals from
// p(x) (γ ≤ 1, weights (p(x|y)/p(x))^γ) or p(x|y) (γ > 1, weights (p(x|y)/p(x))^(γ−1)); both weights are
// bounded (p(x|y) p(y) ≤ p(x)), so 40 proposals per sample are plenty.
std::vector<float> tilted_samples(const LabelledMixture2D& mixture, int label, double gamma, int n,
                                  uint64_t seed);

// Runs `config` on the guided field from the fixed x_T; `progress` (may be empty) after every step.
std::vector<float> guided_samples(const GuidedEps& eps, const NoiseSchedule& schedule, const DataBox& box,
                                  int label, double gamma, const std::vector<float>& x_T,
                                  SamplerConfig config, uint64_t seed,
                                  const std::function<void(double)>& progress = {});

struct TradeoffPoint {
  double gamma = 0;
  GuidanceStats guided, tilted;
};
// The quality/diversity curve against γ: guided samples from the same x_T and the tilted target's, per γ.
std::vector<TradeoffPoint> guidance_tradeoff(const GuidedEps& eps, const NoiseSchedule& schedule,
                                             const DataBox& box, const LabelledMixture2D& mixture, int label,
                                             const std::vector<double>& gammas, const std::vector<float>& x_T,
                                             const SamplerConfig& config,
                                             const std::function<void(double)>& progress = {});

}  // namespace difflab
