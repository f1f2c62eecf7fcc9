// sampler.cpp — the Sampler: noise levels, the state, x̂₀ clipping and the trajectory around one Stepper.
// Not any sampler's step: those live in ddpm.cpp, ddim.cpp, … (sampler_table.cpp lists them).
#include "sample/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/limits.h"
#include "sample/sampler_table.h"
#include "sample/stepper.h"

namespace difflab {

std::vector<float> standard_normal(int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(rng.normal());
  return v;
}

SigmaSpacing resolved_sigmas(const SamplerConfig& config) {
  return config.sigmas == SigmaSpacing::Auto ? sampler_info(config.kind).paper_sigmas : config.sigmas;
}

bool uses_sigma_steps(const SamplerConfig& config) {
  return sampler_info(config.kind).sigma_steps && resolved_sigmas(config) != SigmaSpacing::Timesteps;
}

void StepContext::predict(const std::vector<float>& x, const NoiseLevel& level, std::vector<float>* eps,
                          std::vector<float>* x0) {
  if (level.t < 0) throw std::logic_error("the model is never called at σ = 0");
  eps->resize(x.size());
  x0->resize(x.size());
  const size_t dim = x0_lo.size();
  if (level.on_schedule) {
    const int t = level.t;
    model.predict_eps(x.data(), points, t, eps->data());
    ++evaluations;
    for (size_t k = 0; k < x.size(); ++k) {
      double x0_hat = x0_from_eps(schedule, t, x[k], (*eps)[k]);
      const double lo = x0_lo[k % dim], hi = x0_hi[k % dim];
      if (x0_hat < lo || x0_hat > hi) {
        x0_hat = std::clamp(x0_hat, lo, hi);
        (*eps)[k] = static_cast<float>(eps_from_x0(schedule, t, x[k], x0_hat));  // ε̂ consistent with x̂₀
      }
      (*x0)[k] = static_cast<float>(x0_hat);
    }
    return;
  }
  model.predict_eps_continuous(x.data(), points, level.t_continuous, level.alpha_bar, eps->data());
  ++evaluations;
  const double sqrt_alpha_bar = std::sqrt(level.alpha_bar), sqrt_one_minus = std::sqrt(1.0 - level.alpha_bar);
  for (size_t k = 0; k < x.size(); ++k) {
    double x0_hat = (x[k] - sqrt_one_minus * (*eps)[k]) / sqrt_alpha_bar;
    const double lo = x0_lo[k % dim], hi = x0_hi[k % dim];
    if (x0_hat < lo || x0_hat > hi) {
      x0_hat = std::clamp(x0_hat, lo, hi);
      (*eps)[k] = static_cast<float>((x[k] - sqrt_alpha_bar * x0_hat) / sqrt_one_minus);
    }
    (*x0)[k] = static_cast<float>(x0_hat);
  }
}

Sampler::Sampler(Denoiser& model, const SamplerConfig& config) : model_(model), config_(config) {
  const NoiseSchedule& schedule = model.schedule();
  const int T = schedule.T();
  if (config.eta < 0 || config.eta > 1) throw std::invalid_argument("eta must be in [0, 1]");
  if (config.corrector_steps < 0 || config.corrector_steps > 100)
    throw std::invalid_argument("corrector steps must be 0 … 100");
  if (uses_sigma_steps(config)) {
    if (config.steps < 0 || config.steps > limits::kMaxSigmaSteps)
      throw std::invalid_argument("the number of σ-steps must be 1 … " +
                                  std::to_string(limits::kMaxSigmaSteps));
    if (!(config.s_churn >= 0) || !(config.s_noise >= 0) || !(config.s_tmin <= config.s_tmax))
      throw std::invalid_argument("churn needs S_churn ≥ 0, S_noise ≥ 0 and S_tmin ≤ S_tmax");
    const int steps = config.steps == 0 ? 18 : config.steps;
    levels_ = resolved_sigmas(config) == SigmaSpacing::LogSnr
                  ? log_snr_levels(schedule, steps, config.sigma_min, config.sigma_max)
                  : karras_levels(schedule, steps, config.sigma_min, config.sigma_max, config.rho);
  } else {
    levels_ = timestep_levels(schedule, config.steps == 0 ? T : config.steps, config.spacing);
  }
  for (size_t i = 0; i + 1 < levels_.size(); ++i) timesteps_.push_back(levels_[i].t);
  const int dim = model.dim();
  const DataBox& box = model.data_box();
  if (!box.empty() && (static_cast<int>(box.lo.size()) != dim || static_cast<int>(box.hi.size()) != dim))
    throw std::invalid_argument("the model's data box has the wrong number of coordinates");
  context_.reset(new StepContext{model, schedule, config_, levels_, rng_, {}, {}, 0, 0});
  context_->x0_lo.assign(dim, config.clip_x0 ? -1.0 : -INFINITY);
  context_->x0_hi.assign(dim, config.clip_x0 ? 1.0 : INFINITY);
  for (int d = 0; d < dim && !box.empty(); ++d) {
    context_->x0_lo[d] = std::max(context_->x0_lo[d], box.lo[d]);
    context_->x0_hi[d] = std::min(context_->x0_hi[d], box.hi[d]);
  }
  stepper_ = sampler_info(config.kind).make_stepper();
}

Sampler::~Sampler() = default;

int Sampler::network_evaluations() const {
  return context_->evaluations;
}

void Sampler::begin(std::vector<float> x_T, uint64_t seed) {
  if (x_T.empty() || x_T.size() % model_.dim() != 0)
    throw std::invalid_argument("x_T must hold n × " + std::to_string(model_.dim()) + " values");
  x_ = std::move(x_T);
  context_->points = static_cast<int>(x_.size()) / model_.dim();
  context_->evaluations = 0;
  x0_.assign(x_.size(), 0.0f);
  rng_.reseed(seed);
  index_ = 0;
  stepper_->begin();
  trajectory_.clear();
  x0_trajectory_.clear();
  if (config_.record_trajectory) trajectory_.push_back(x_);
}

void Sampler::step() {
  if (done()) return;
  stepper_->step(*context_, index_, x_, x0_);
  ++index_;
  if (config_.record_trajectory) {
    trajectory_.push_back(x_);
    x0_trajectory_.push_back(x0_);
  }
}

}  // namespace difflab
