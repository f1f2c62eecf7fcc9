// sampler.cpp — one reverse step of each sampler (see sampler.h for the papers).
// Not a model: every ε̂ comes from Denoiser::predict_eps.
#include "sample/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace difflab {

std::string sampler_kind_name(SamplerKind k) {
  switch (k) {
    case SamplerKind::Ddpm: return "ddpm";
    case SamplerKind::Ddim: return "ddim";
    case SamplerKind::OdeEuler: return "ode-euler";
    case SamplerKind::OdeHeun: return "ode-heun";
    case SamplerKind::Langevin: return "langevin";
  }
  return "?";
}

bool parse_sampler_kind(const std::string& name, SamplerKind* k) {
  if (name == "ddpm") *k = SamplerKind::Ddpm;
  else if (name == "ddim") *k = SamplerKind::Ddim;
  else if (name == "ode-euler") *k = SamplerKind::OdeEuler;
  else if (name == "ode-heun") *k = SamplerKind::OdeHeun;
  else if (name == "langevin" || name == "pc") *k = SamplerKind::Langevin;
  else return false;
  return true;
}

std::vector<float> standard_normal(int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(rng.normal());
  return v;
}

Sampler::Sampler(Denoiser& model, const SamplerConfig& config)
    : model_(model), schedule_(model.schedule()), config_(config) {
  const int T = schedule_.T();
  if (config.eta < 0 || config.eta > 1) throw std::invalid_argument("eta must be in [0, 1]");
  if (config.corrector_steps < 0 || config.corrector_steps > 100)
    throw std::invalid_argument("corrector steps must be 0 … 100");
  timesteps_ = make_timesteps(T, config.steps == 0 ? T : config.steps, config.spacing);
  const int dim = model.dim();
  const DataBox& box = model.data_box();
  if (!box.empty() && (static_cast<int>(box.lo.size()) != dim || static_cast<int>(box.hi.size()) != dim))
    throw std::invalid_argument("the model's data box has the wrong number of coordinates");
  x0_lo_.assign(dim, config.clip_x0 ? -1.0 : -INFINITY);
  x0_hi_.assign(dim, config.clip_x0 ? 1.0 : INFINITY);
  for (int d = 0; d < dim && !box.empty(); ++d) {
    x0_lo_[d] = std::max(x0_lo_[d], box.lo[d]);
    x0_hi_[d] = std::min(x0_hi_[d], box.hi[d]);
  }
}

void Sampler::begin(std::vector<float> x_T, uint64_t seed) {
  if (x_T.empty() || x_T.size() % model_.dim() != 0)
    throw std::invalid_argument("x_T must hold n × " + std::to_string(model_.dim()) + " values");
  x_ = std::move(x_T);
  n_ = static_cast<int>(x_.size()) / model_.dim();
  x0_.assign(x_.size(), 0.0f);
  eps_.assign(x_.size(), 0.0f);
  rng_.reseed(seed);
  index_ = 0;
  nfe_ = 0;
  trajectory_.clear();
  x0_trajectory_.clear();
  if (config_.record_trajectory) trajectory_.push_back(x_);
}

void Sampler::predict(const std::vector<float>& x, int t, std::vector<float>* eps, std::vector<float>* x0) {
  eps->resize(x.size());
  x0->resize(x.size());
  model_.predict_eps(x.data(), n_, t, eps->data());
  ++nfe_;
  const size_t dim = x0_lo_.size();
  for (size_t k = 0; k < x.size(); ++k) {
    double x0_hat = x0_from_eps(schedule_, t, x[k], (*eps)[k]);
    const double lo = x0_lo_[k % dim], hi = x0_hi_[k % dim];
    if (x0_hat < lo || x0_hat > hi) {
      x0_hat = std::clamp(x0_hat, lo, hi);
      (*eps)[k] = static_cast<float>(eps_from_x0(schedule_, t, x[k], x0_hat));  // ε̂ consistent with x̂₀
    }
    (*x0)[k] = static_cast<float>(x0_hat);
  }
}

void Sampler::step() {
  if (done()) return;
  const int t = timesteps_[index_];
  const int t_prev = index_ + 1 < static_cast<int>(timesteps_.size()) ? timesteps_[index_ + 1] : -1;
  const double ab = alpha_bar_at(t), ab_prev = alpha_bar_at(t_prev);
  const size_t count = x_.size();

  if (config_.kind == SamplerKind::Langevin) {
    // Corrector (Song et al. 2021, Alg. 5 for VP): x ← x + ε s + √(2ε) z, ε = 2 αₜ (r‖z‖/‖s‖)².
    for (int c = 0; c < config_.corrector_steps; ++c) {
      predict(x_, t, &eps_, &x0_);
      double grad_norm = 0, noise_norm = 0;
      scratch_x_.resize(count);
      for (size_t k = 0; k < count; ++k) {
        const double z = rng_.normal();
        scratch_x_[k] = static_cast<float>(z);
        const double s = score_from_eps(schedule_, t, eps_[k]);
        grad_norm += s * s;
        noise_norm += z * z;
      }
      const double ratio = grad_norm > 0 ? config_.corrector_snr * std::sqrt(noise_norm / grad_norm) : 0.0;
      const double step_size = 2.0 * schedule_.alpha[t] * ratio * ratio;
      for (size_t k = 0; k < count; ++k) {
        const double s = score_from_eps(schedule_, t, eps_[k]);
        x_[k] = static_cast<float>(x_[k] + step_size * s + std::sqrt(2.0 * step_size) * scratch_x_[k]);
      }
    }
  }

  predict(x_, t, &eps_, &x0_);
  switch (config_.kind) {
    case SamplerKind::Ddpm:
    case SamplerKind::Langevin: {
      // Posterior of the (possibly strided) step t → t_prev with β = 1 − ᾱₜ/ᾱ_prev (Ho et al. 2020, eq. 7).
      const double beta = 1.0 - ab / ab_prev;
      const double coef1 = std::sqrt(ab_prev) * beta / (1.0 - ab);
      const double coef2 = (1.0 - ab_prev) * std::sqrt(1.0 - beta) / (1.0 - ab);
      double variance = config_.variance == VarianceKind::FixedSmall ? beta * (1.0 - ab_prev) / (1.0 - ab) : beta;
      if (t_prev < 0) variance = 0.0;  // the last step returns the mean
      const double sigma = std::sqrt(variance);
      for (size_t k = 0; k < count; ++k) {
        const double mean = coef1 * x0_[k] + coef2 * x_[k];
        x_[k] = static_cast<float>(mean + (sigma > 0 ? sigma * rng_.normal() : 0.0));
      }
      break;
    }
    case SamplerKind::Ddim: {
      // Song et al. 2021, eq. 12 (σ from eq. 16).
      const double sigma =
          config_.eta * std::sqrt((1.0 - ab_prev) / (1.0 - ab)) * std::sqrt(std::max(0.0, 1.0 - ab / ab_prev));
      const double direction = std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma));
      for (size_t k = 0; k < count; ++k) {
        const double noise = sigma > 0 ? sigma * rng_.normal() : 0.0;
        x_[k] = static_cast<float>(std::sqrt(ab_prev) * x0_[k] + direction * eps_[k] + noise);
      }
      break;
    }
    case SamplerKind::OdeEuler:
    case SamplerKind::OdeHeun: {
      // dx̃/dσ = ε̂ with x̃ = x/√ᾱ and σ = √((1−ᾱ)/ᾱ) (Karras et al. 2022, eq. 4 in VP variables).
      const double sigma = std::sqrt((1.0 - ab) / ab), sigma_prev = std::sqrt((1.0 - ab_prev) / ab_prev);
      const double h = sigma_prev - sigma;
      scratch_x_.resize(count);
      for (size_t k = 0; k < count; ++k) scratch_x_[k] = static_cast<float>(x_[k] / std::sqrt(ab) + h * eps_[k]);
      if (config_.kind == SamplerKind::OdeHeun && t_prev >= 0) {
        // Trapezoidal correction with ε̂ at the Euler endpoint (2nd evaluation).
        std::vector<float> x_euler(count);
        for (size_t k = 0; k < count; ++k) x_euler[k] = static_cast<float>(scratch_x_[k] * std::sqrt(ab_prev));
        predict(x_euler, t_prev, &scratch_eps_, &scratch_x0_);
        for (size_t k = 0; k < count; ++k)
          scratch_x_[k] = static_cast<float>(x_[k] / std::sqrt(ab) + 0.5 * h * (eps_[k] + scratch_eps_[k]));
      }
      for (size_t k = 0; k < count; ++k) x_[k] = static_cast<float>(scratch_x_[k] * std::sqrt(ab_prev));
      break;
    }
  }
  ++index_;
  if (config_.record_trajectory) {
    trajectory_.push_back(x_);
    x0_trajectory_.push_back(x0_);
  }
}

}  // namespace difflab
