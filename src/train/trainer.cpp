// trainer.cpp — one training step = sample (x₀, t, ε), forward, loss, backward, clip, AdamW, EMA.
// Not a sampler: evaluation calls sample/ with the EMA weights.
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "core/metrics.h"
#include "nn/backend_factory.h"
#include "nn/edm_precond.h"
#include "nn/mlp_denoiser.h"
#include "sample/noise_levels.h"
#include "sample/sampler.h"
#include "train/ui_message.h"

namespace difflab {

std::string loss_kind_name(LossKind k) {
  switch (k) {
    case LossKind::Simple:
      return "simple";
    case LossKind::Vlb:
      return "vlb";
    case LossKind::Hybrid:
      return "hybrid";
  }
  return "?";
}

bool parse_loss_kind(const std::string& name, LossKind* k) {
  if (name == "simple")
    *k = LossKind::Simple;
  else if (name == "vlb")
    *k = LossKind::Vlb;
  else if (name == "hybrid")
    *k = LossKind::Hybrid;
  else
    return false;
  return true;
}

std::string describe(const TrainConfig& c) {
  std::ostringstream s;
  s << "dataset " << c.dataset << ", MLP " << c.model.width << "×" << c.model.depth << " "
    << activation_name(c.model.activation) << ", " << schedule_kind_name(c.schedule.kind)
    << " T=" << c.schedule.T << ", predict " << (c.edm ? std::string("edm") : prediction_name(c.prediction))
    << ", loss " << (c.edm ? std::string("edm") : loss_kind_name(c.loss)) << ", batch " << c.batch << ", lr "
    << c.optimizer.lr << ", seed " << c.seed;
  return s.str();
}

Trainer::Trainer(const TrainConfig& config)
    : config_(config),
      schedule_(make_schedule(config.schedule)),
      dataset_(config.custom_points.size() > 0
                   ? Dataset2D::from_points(config.custom_points, "points drawn by hand")
                   : Dataset2D::load(config.dataset)) {
  if (config.batch < 1 || config.batch > 65536)
    throw TrainError(train_message("trainmsg.batch_range", {"65536"}));
  if (!(config.optimizer.lr > 0) || !std::isfinite(config.optimizer.lr))
    throw TrainError(train_message("trainmsg.lr_positive"));
  if (config.train_points < 1 || config.eval_points < 2)
    throw TrainError(train_message("trainmsg.too_few_points"));
  train_data_ = dataset_.sample(config.train_points, config.seed * 2 + 1);
  eval_data_ = dataset_.sample(config.eval_points, config.seed * 2 + 2);
  swd_floor_ =
      sliced_wasserstein2(eval_data_.xy, dataset_.sample(config.eval_points, config.seed * 2 + 3).xy);
  data_box_ = bounding_box(train_data_.xy.data(), train_data_.xy.size() / 2, 2);
  if (config.edm) {
    if (!(config.sigma_data >= 0) || !std::isfinite(config.sigma_data))
      throw std::invalid_argument("σ_data must be finite and > 0 (0 = measured)");
    if (!(config.edm_noise.p_std > 0) || !std::isfinite(config.edm_noise.p_mean))
      throw std::invalid_argument("EDM's log-normal σ needs P_std > 0");
    edm_precond_.sigma_data = config.sigma_data > 0
                                  ? config.sigma_data
                                  : measure_sigma_data(train_data_.xy.data(), train_data_.xy.size() / 2);
  }

  backend_ = make_backend(config.backend, &backend_choice_, mlp_param_count(config.model));
  backend_->set_threads(config.threads);
  model_ = std::make_unique<MlpModel>(config.model, *backend_);
  model_->init_params(config.seed);
  loop_.add_part("model", *model_,
                 {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every});
  objective_ = std::make_unique<Diffusion2DObjective>(config_, *model_, schedule_, train_data_, edm_precond_);
}

Trainer::~Trainer() = default;

StepResult Trainer::step() {
  return loop_.step(*objective_);
}

Diffusion2DObjective::Diffusion2DObjective(const TrainConfig& config, MlpModel& model,
                                           const NoiseSchedule& schedule, const PointSet& train_data,
                                           const EdmPrecond& edm_precond)
    : config_(config),
      model_(model),
      schedule_(schedule),
      train_data_(train_data),
      edm_precond_(edm_precond),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 17) {
  loss_by_t_.assign(std::max(1, config.num_t_buckets), 0.0);
  bucket_seen_.assign(loss_by_t_.size(), 0);
  const int B = config.batch;
  input_.resize(3 * B), x0_.resize(2 * B), eps_.resize(2 * B), out_.resize(2 * B), d_out_.resize(2 * B);
  t_.resize(B);
  sigma_.resize(B);
}

std::string Diffusion2DObjective::name() const {
  return config_.edm ? "diffusion (EDM, λ(σ)‖D − x₀‖²)"
                     : "diffusion (L_" + loss_kind_name(config_.loss) + ")";
}

StepResult Diffusion2DObjective::finish(TrainLoop& loop, double loss) {
  TrainPart& part = loop.part(0);
  part.settings = {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every};
  StepResult result;
  result.loss = loss;
  if (std::isfinite(loss)) model_.backward(d_out_.data());
  result.diverged = !loop.update(part, loss, &result.grad_norm);
  return result;
}

// EDM (Karras et al. 2022, Table 1 "Ours"): ln σ ~ 𝒩(P_mean, P_std²), x̃ = x₀ + σ ε, the network sees
// (c_in x̃, c_noise) and regresses F* = (x₀ − c_skip x̃)/c_out; λ(σ) c_out² = 1 makes λ‖D − x₀‖² = ‖F − F*‖².
StepResult Diffusion2DObjective::edm_step(TrainLoop& loop) {
  const int B = config_.batch, T = schedule_.T();
  const int n_train = train_data_.size();
  const EdmPrecond& p = edm_precond_;
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(n_train));
    const double sigma = config_.edm_noise.sigma(rng_.normal());
    sigma_[i] = sigma;
    t_[i] = level_at_sigma(schedule_, sigma).t;  // the VP step of the same σ (loss by t, slow-motion view)
    for (int d = 0; d < 2; ++d) {
      x0_[2 * i + d] = train_data_.xy[2 * j + d];
      eps_[2 * i + d] = static_cast<float>(rng_.normal());
      const double x_tilde = x0_[2 * i + d] + sigma * eps_[2 * i + d];
      input_[3 * i + d] = static_cast<float>(p.c_in(sigma) * x_tilde);
    }
    input_[3 * i + 2] = static_cast<float>(EdmPrecond::c_noise(sigma));
  }
  model_.forward(input_.data(), B, out_.data());
  double loss = 0;
  for (int i = 0; i < B; ++i) {
    const double sigma = sigma_[i];
    double squared = 0;
    for (int d = 0; d < 2; ++d) {
      const int k = 2 * i + d;
      const double x_tilde = x0_[k] + sigma * eps_[k];
      const double diff = out_[k] - p.target(sigma, x0_[k], x_tilde);
      squared += diff * diff;
      d_out_[k] = static_cast<float>(2.0 * diff / (2.0 * B));  // mean over batch and the 2 coordinates
    }
    loss += squared / 2.0 / B;
    // ε̂ = (x̃ − D)/σ, so ε̂ − ε = (x₀ − D)/σ = −c_out (F − F*)/σ: the ε-MSE per coordinate, by VP step.
    const double eps_scale = p.c_out(sigma) / sigma;
    const size_t bucket = static_cast<size_t>(t_[i]) * loss_by_t_.size() / T;
    const double rate = bucket_seen_[bucket] < 100 ? 1.0 / ++bucket_seen_[bucket] : 0.01;
    loss_by_t_[bucket] += rate * (eps_scale * eps_scale * squared / 2.0 - loss_by_t_[bucket]);
  }
  if (record_minibatch_) {
    Minibatch& m = last_minibatch_;
    m.x0 = x0_;
    m.eps = eps_;
    m.t = t_;
    m.xt.resize(2 * B);
    m.eps_hat.resize(2 * B);
    for (int i = 0; i < B; ++i) {
      const double sigma = sigma_[i], sqrt_alpha_bar = 1.0 / std::sqrt(1.0 + sigma * sigma);
      for (int d = 0; d < 2; ++d) {
        const int k = 2 * i + d;
        const double x_tilde = x0_[k] + sigma * eps_[k];
        const double denoised = p.c_skip(sigma) * x_tilde + p.c_out(sigma) * out_[k];
        m.xt[k] = static_cast<float>(sqrt_alpha_bar * x_tilde);  // VP variables at ᾱ = 1/(1 + σ²)
        m.eps_hat[k] = static_cast<float>((x_tilde - denoised) / sigma);
      }
    }
  }
  return finish(loop, loss);
}

StepResult Diffusion2DObjective::step(TrainLoop& loop) {
  if (config_.edm) return edm_step(loop);
  const int B = config_.batch, T = schedule_.T();
  const int n_train = train_data_.size();
  // Algorithm 1: x₀ ~ data, t ~ U{0 … T−1}, ε ~ 𝒩(0, I), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(n_train));
    const int t = static_cast<int>(rng_.below(T));
    t_[i] = t;
    for (int d = 0; d < 2; ++d) {
      x0_[2 * i + d] = train_data_.xy[2 * j + d];
      eps_[2 * i + d] = static_cast<float>(rng_.normal());
      input_[3 * i + d] = static_cast<float>(schedule_.sqrt_alpha_bar[t] * x0_[2 * i + d] +
                                             schedule_.sqrt_one_minus_alpha_bar[t] * eps_[2 * i + d]);
    }
    input_[3 * i + 2] = static_cast<float>(t);
  }
  model_.forward(input_.data(), B, out_.data());

  // Loss and its gradient w.r.t. the network output, per sample.
  const bool use_simple = config_.loss != LossKind::Vlb;
  const bool use_vlb = config_.loss != LossKind::Simple;
  const double vlb_factor = config_.loss == LossKind::Hybrid ? config_.hybrid_lambda : 1.0;
  double loss = 0;
  for (int i = 0; i < B; ++i) {
    const int t = t_[i];
    double simple = 0, eps_error = 0;
    // ε̂ = a·xₜ + b·out for every prediction type; b is ∂ε̂/∂out.
    double b = 1.0;
    if (config_.prediction == Prediction::X0)
      b = -schedule_.sqrt_alpha_bar[t] / schedule_.sqrt_one_minus_alpha_bar[t];
    if (config_.prediction == Prediction::V) b = schedule_.sqrt_alpha_bar[t];
    // Lₜ = wₜ‖ε − ε̂‖² with wₜ = coef1²(1−ᾱ)/(2σ²ᾱ) (= λₜ for fixed_small); ×T for t uniform.
    const double sigma2 = reverse_variance(schedule_, t, config_.variance);
    const double c1 = schedule_.posterior_mean_coef1[t];
    const double w = c1 * c1 * (1.0 - schedule_.alpha_bar[t]) / (2.0 * sigma2 * schedule_.alpha_bar[t]) * T;
    for (int d = 0; d < 2; ++d) {
      const int k = 2 * i + d;
      const double xt = input_[3 * i + d];
      const double target = prediction_target(schedule_, t, config_.prediction, x0_[k], eps_[k]);
      const double diff = out_[k] - target;
      const double eps_hat = eps_from_prediction(schedule_, t, config_.prediction, xt, out_[k]);
      const double e = eps_hat - eps_[k];
      simple += diff * diff;
      eps_error += e * e;
      double grad = 0;
      if (use_simple) grad += 2.0 * diff / (2.0 * B);  // mean over batch and the 2 coordinates
      if (use_vlb) grad += vlb_factor * w * 2.0 * e * b / B;
      d_out_[k] = static_cast<float>(grad);
    }
    double sample_loss = 0;
    if (use_simple) sample_loss += simple / 2.0;
    if (use_vlb) sample_loss += vlb_factor * w * eps_error;
    loss += sample_loss / B;
    // Loss by t (ε-MSE per coordinate), an exponential average per bucket.
    const size_t bucket = static_cast<size_t>(t) * loss_by_t_.size() / T;
    const double rate = bucket_seen_[bucket] < 100 ? 1.0 / ++bucket_seen_[bucket] : 0.01;
    loss_by_t_[bucket] += rate * (eps_error / 2.0 - loss_by_t_[bucket]);
  }

  if (record_minibatch_) {
    Minibatch& m = last_minibatch_;
    m.x0 = x0_;
    m.eps = eps_;
    m.t = t_;
    m.xt.resize(2 * B);
    m.eps_hat.resize(2 * B);
    for (int i = 0; i < B; ++i)
      for (int d = 0; d < 2; ++d) {
        const double xt = input_[3 * i + d];
        m.xt[2 * i + d] = static_cast<float>(xt);
        m.eps_hat[2 * i + d] = static_cast<float>(
            eps_from_prediction(schedule_, t_[i], config_.prediction, xt, out_[2 * i + d]));
      }
  }

  return finish(loop, loss);
}

std::vector<float> Trainer::sample(int n, uint64_t seed) {
  return sample_in_box(n, seed, data_box_);
}

std::vector<float> Trainer::preview_sample(int n, uint64_t seed) {
  DataBox wide = data_box_;
  for (size_t d = 0; d < wide.lo.size(); ++d) {
    const double extent = data_box_.hi[d] - data_box_.lo[d];
    wide.lo[d] -= extent;
    wide.hi[d] += extent;
  }
  return sample_in_box(n, seed, wide);
}

std::vector<float> Trainer::sample_in_box(int n, uint64_t seed, const DataBox& box) {
  MlpDenoiser vp_denoiser(*model_, schedule_, config_.prediction, ema_params(), box);
  EdmMlpDenoiser edm_denoiser(*model_, schedule_, edm_precond_, ema_params(), box);
  SamplerConfig sc;
  sc.record_trajectory = false;
  Sampler sampler(config_.edm ? static_cast<Denoiser&>(edm_denoiser) : vp_denoiser, sc);
  sampler.begin(standard_normal(2 * n, seed), seed + 1);
  sampler.run();
  return sampler.x();
}

double Trainer::evaluate_swd(int n) {
  const std::vector<float> samples = sample(n > 0 ? n : config_.eval_points, config_.seed + 1000003);
  for (float v : samples)
    if (!std::isfinite(v)) return INFINITY;
  return sliced_wasserstein2(samples, eval_data_.xy);
}

std::vector<float> Trainer::read_params(bool ema) const {
  std::vector<float> v(model_->num_params());
  backend_->read(ema ? ema_params() : model_->params(), v.data());
  return v;
}

void Trainer::load_params(const std::vector<float>& params, const std::vector<float>& ema, int step) {
  if (params.size() != model_->num_params() || ema.size() != model_->num_params())
    throw TrainError(train_message("trainmsg.param_count"));
  backend_->write(model_->params(), params.data());
  backend_->write(loop_.part(0).optimizer->ema(), ema.data());
  loop_.reset(step);
}

Checkpoint checkpoint_of(const Trainer& trainer, bool ema_only) {
  const TrainConfig& c = trainer.config();
  Checkpoint ck;
  ck.model_config = mlp_config_map(c.model);
  ck.schedule = c.schedule;
  ck.prediction = c.prediction;
  ck.dataset = c.custom_points.size() > 0 ? "points" : c.dataset;
  ck.loss = loss_kind_name(c.loss);
  if (c.edm) {
    ck.edm = true;
    ck.sigma_data = trainer.edm_precond().sigma_data;
    ck.prediction = Prediction::Eps;  // not used: the header says prediction = edm
    ck.loss = "edm";
    char value[64];
    std::snprintf(value, sizeof value, "%.9g", c.edm_noise.p_mean);
    ck.extra["p_mean"] = value;
    std::snprintf(value, sizeof value, "%.9g", c.edm_noise.p_std);
    ck.extra["p_std"] = value;
  }
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  ck.ema_params = trainer.read_params(true);
  if (!ema_only) ck.params = trainer.read_params(false);
  char number[64];
  std::snprintf(number, sizeof number, "%.6g", c.optimizer.lr);
  ck.extra["lr"] = number;
  ck.extra["batch"] = std::to_string(c.batch);
  ck.extra["data_box"] = format_data_box(trainer.data_box());
  return ck;
}

}  // namespace difflab
