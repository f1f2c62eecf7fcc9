// inversion_edit.cpp — DDIM inversion under CFG, null-text inversion, class edits and SDEdit (see the
// header). Not the plain DDIM inversion (sample/inversion.cpp, reused here) nor the network (nn/unet.cpp).
#include "edit/inversion_edit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace difflab {

RowCfgDenoiser::RowCfgDenoiser(ImageNet& net, const NoiseSchedule& schedule, std::vector<float> cond_row,
                               double gamma)
    : net_(net), schedule_(schedule), cond_row_(std::move(cond_row)), gamma_(gamma) {
  if (static_cast<int>(cond_row_.size()) != net.cond_dim())
    throw std::invalid_argument("the conditioning row must hold cond_dim values");
  default_null_ = class_row(net, -1);
}

const float* RowCfgDenoiser::null_row_for(int t, int i) const {
  const auto it = null_rows_.find(t);
  if (it == null_rows_.end()) return default_null_.data();
  const size_t C = static_cast<size_t>(net_.cond_dim());
  return it->second.size() == C ? it->second.data() : it->second.data() + static_cast<size_t>(i) * C;
}

void RowCfgDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  const int D = dim(), C = net_.cond_dim();
  const bool cond = gamma_ != 0.0, null = gamma_ != 1.0;
  const int B = (cond ? n : 0) + (null ? n : 0);
  x2_.resize(static_cast<size_t>(B) * D);
  rows2_.resize(static_cast<size_t>(B) * C);
  out2_.resize(static_cast<size_t>(B) * D);
  times_.assign(B, static_cast<float>(t));
  int b = 0;
  if (cond)
    for (int i = 0; i < n; ++i, ++b) {
      std::copy_n(xt + static_cast<size_t>(i) * D, D, x2_.begin() + static_cast<size_t>(b) * D);
      std::copy_n(cond_row_.begin(), C, rows2_.begin() + static_cast<size_t>(b) * C);
    }
  if (null)
    for (int i = 0; i < n; ++i, ++b) {
      std::copy_n(xt + static_cast<size_t>(i) * D, D, x2_.begin() + static_cast<size_t>(b) * D);
      std::copy_n(null_row_for(t, i), C, rows2_.begin() + static_cast<size_t>(b) * C);
    }
  net_.forward_rows(x2_.data(), times_.data(), rows2_.data(), B, out2_.data());
  rows_done_ += B;
  const size_t count = static_cast<size_t>(n) * D;
  const float* e_cond = cond ? out2_.data() : nullptr;
  const float* e_null = null ? out2_.data() + (cond ? count : 0) : nullptr;
  for (size_t k = 0; k < count; ++k) {
    const double c = e_cond ? e_cond[k] : 0.0, u = e_null ? e_null[k] : 0.0;
    eps[k] = static_cast<float>((1.0 - gamma_) * u + gamma_ * c);
  }
}

std::vector<float> class_row(const ImageNet& net, int label) {
  if (net.num_classes() == 0) throw std::invalid_argument("the network has no class embedding");
  if (label < -1 || label >= net.num_classes())
    throw std::invalid_argument("class " + std::to_string(label) +
                                " does not exist (the model has classes 0 … " +
                                std::to_string(net.num_classes() - 1) + ")");
  std::vector<float> row(net.cond_dim());
  net.read_class_row(label, row.data());
  return row;
}

DdimStepCoefficients ddim_step_coefficients(const NoiseSchedule& s, int t, int t_prev) {
  const double ab = s.alpha_bar[t], ab_prev = t_prev < 0 ? 1.0 : s.alpha_bar[t_prev];
  // x_prev = √ᾱ_prev (x − √(1 − ᾱ) ε)/√ᾱ + √(1 − ᾱ_prev) ε  (DDIM eq. 12, η = 0).
  DdimStepCoefficients k;
  k.c_x = std::sqrt(ab_prev / ab);
  k.c_eps = std::sqrt(1.0 - ab_prev) - std::sqrt(ab_prev) * std::sqrt(1.0 - ab) / std::sqrt(ab);
  return k;
}

std::vector<float> ddim_decode(Denoiser& model, const std::vector<float>& x_T,
                               const std::vector<int>& timesteps, double eta, uint64_t seed,
                               std::vector<std::vector<float>>* trajectory) {
  const NoiseSchedule& s = model.schedule();
  const int D = model.dim();
  if (x_T.empty() || x_T.size() % D != 0) throw std::invalid_argument("x_T must hold n × dim values");
  const int n = static_cast<int>(x_T.size() / D);
  std::vector<float> x = x_T, eps(x.size());
  Rng rng(seed);
  if (trajectory) trajectory->assign(1, x);
  for (int k = static_cast<int>(timesteps.size()) - 1; k >= 0; --k) {
    const int t = timesteps[k], t_prev = k > 0 ? timesteps[k - 1] : -1;
    const double ab = s.alpha_bar[t], ab_prev = t_prev < 0 ? 1.0 : s.alpha_bar[t_prev];
    model.predict_eps(x.data(), n, t, eps.data());
    // σ of Song et al. eq. 16; η = 1 is DDPM's posterior spread.
    const double sigma =
        eta * std::sqrt((1.0 - ab_prev) / (1.0 - ab)) * std::sqrt(std::max(0.0, 1.0 - ab / ab_prev));
    const double dir = std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma));
    for (size_t i = 0; i < x.size(); ++i) {
      const double x0_hat = (x[i] - std::sqrt(1.0 - ab) * eps[i]) / std::sqrt(ab);
      double next = std::sqrt(ab_prev) * x0_hat + dir * eps[i];
      if (sigma > 0) next += sigma * rng.normal();
      x[i] = static_cast<float>(next);
    }
    if (trajectory) trajectory->push_back(x);
  }
  return x;
}

ReconstructionError reconstruction_error(const std::vector<float>& reconstruction,
                                         const std::vector<float>& x) {
  if (reconstruction.size() != x.size() || x.empty())
    throw std::invalid_argument("reconstruction and image differ in size");
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i)
    sum += (static_cast<double>(reconstruction[i]) - x[i]) * (static_cast<double>(reconstruction[i]) - x[i]);
  ReconstructionError e;
  e.mse = sum / static_cast<double>(x.size());
  e.psnr = 10.0 * std::log10(4.0 / std::max(e.mse, 1e-12));
  return e;
}

CfgRoundTrip cfg_round_trip(ImageNet& net, const NoiseSchedule& schedule, const std::vector<float>& x0,
                            int label, double gamma, int steps, Spacing spacing) {
  RowCfgDenoiser guided(net, schedule, class_row(net, label), gamma);
  CfgRoundTrip r;
  r.inversion = ddim_invert(guided, x0, steps, spacing);
  r.reconstruction = ddim_decode(guided, r.inversion.x_T, r.inversion.timesteps);
  r.error = reconstruction_error(r.reconstruction, x0);
  return r;
}

NullTextStep::NullTextStep(ImageNet& net, const NoiseSchedule& schedule, const float* x, int n, int t,
                           int t_prev, const std::vector<float>& cond_row, double gamma, const float* target)
    : net_(net), n_(n), D_(net.dim()), gamma_(gamma) {
  const size_t count = static_cast<size_t>(n) * D_;
  x_.assign(x, x + count);
  target_.assign(target, target + count);
  k_ = ddim_step_coefficients(schedule, t, t_prev);
  times_.assign(n, static_cast<float>(t));
  // The part of x_prev that does not depend on ∅: c_x x + c_ε γ ε̂(x, c).
  cond_part_.resize(count);
  std::vector<float> eps_cond(count, 0.0f);
  if (gamma != 0.0) {
    std::vector<float> rows(static_cast<size_t>(n) * cond_row.size());
    for (int i = 0; i < n; ++i)
      std::copy(cond_row.begin(), cond_row.end(), rows.begin() + i * cond_row.size());
    net_.forward_rows(x_.data(), times_.data(), rows.data(), n, eps_cond.data());
  }
  for (size_t i = 0; i < count; ++i)
    cond_part_[i] = static_cast<float>(k_.c_x * x_[i] + k_.c_eps * gamma * eps_cond[i]);
  eps_null_.resize(count);
  x_prev_ = cond_part_;
  d_out_.resize(count);
}

double NullTextStep::loss(const float* rows, float* grad) {
  const size_t count = x_.size();
  const double w = k_.c_eps * (1.0 - gamma_);  // ∂x_prev/∂ε̂(x, ∅)
  if (gamma_ != 1.0) net_.forward_rows(x_.data(), times_.data(), rows, n_, eps_null_.data());
  double sum = 0;
  for (size_t i = 0; i < count; ++i) {
    const double prev = cond_part_[i] + (gamma_ != 1.0 ? w * eps_null_[i] : 0.0);
    x_prev_[i] = static_cast<float>(prev);
    const double r = prev - target_[i];
    sum += r * r;
    d_out_[i] = static_cast<float>(2.0 * r * w / D_);
  }
  if (grad) {
    if (gamma_ == 1.0) {
      std::fill(grad, grad + static_cast<size_t>(n_) * net_.cond_dim(), 0.0f);
    } else {
      net_.backward(d_out_.data());
      net_.read_d_rows(grad);
    }
  }
  return sum / D_;
}

NullTextResult null_text_invert(ImageNet& net, const NoiseSchedule& schedule, const std::vector<float>& x0,
                                const NullTextConfig& config, const EditProgress& progress,
                                const std::function<bool()>& cancelled) {
  const std::vector<float> cond = class_row(net, config.label);
  const int D = net.dim(), C = net.cond_dim();
  if (x0.empty() || x0.size() % D != 0) throw std::invalid_argument("x0 must hold n × dim values");
  const int n = static_cast<int>(x0.size() / D);
  NullTextResult r;
  RowCfgDenoiser conditional(net, schedule, cond, 1.0);
  r.pivot = ddim_invert(conditional, x0, config.steps, config.spacing);
  const std::vector<int>& ts = r.pivot.timesteps;
  const int K = static_cast<int>(ts.size());
  r.null_rows.assign(K, {});
  const std::vector<float> null = class_row(net, -1);
  std::vector<float> rows(static_cast<size_t>(n) * C), grad(rows.size()), m(rows.size()), v(rows.size());
  for (int i = 0; i < n; ++i) std::copy(null.begin(), null.end(), rows.begin() + static_cast<size_t>(i) * C);
  std::vector<float> z = r.pivot.trajectory[K];
  const double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-8;
  for (int k = K; k >= 1; --k) {
    if (cancelled && cancelled()) {
      r.cancelled = true;
      return r;
    }
    const int t = ts[k - 1], t_prev = k >= 2 ? ts[k - 2] : -1;
    NullTextStep step(net, schedule, z.data(), n, t, t_prev, cond, config.gamma,
                      r.pivot.trajectory[k - 1].data());
    std::fill(m.begin(), m.end(), 0.0f);
    std::fill(v.begin(), v.end(), 0.0f);
    for (int j = 0; j < config.inner_iterations && config.gamma != 1.0; ++j) {
      const double L = step.loss(rows.data(), grad.data());
      if (L / n < config.early_stop) break;
      ++r.iterations;
      // Adam (Kingma & Ba 2015) on the null rows, fresh moments per step as in Mokady et al.'s code.
      const double c1 = 1.0 - std::pow(beta1, j + 1), c2 = 1.0 - std::pow(beta2, j + 1);
      for (size_t q = 0; q < rows.size(); ++q) {
        m[q] = static_cast<float>(beta1 * m[q] + (1 - beta1) * grad[q]);
        v[q] = static_cast<float>(beta2 * v[q] + (1 - beta2) * grad[q] * grad[q]);
        rows[q] -= static_cast<float>(config.learning_rate * (m[q] / c1) / (std::sqrt(v[q] / c2) + adam_eps));
      }
    }
    r.final_loss.push_back(step.loss(rows.data(), nullptr));
    z = step.x_prev();
    r.null_rows[k - 1] = rows;
    if (progress) progress(K - k + 1, K);
  }
  r.reconstruction = z;
  return r;
}

std::vector<float> decode_with_class(ImageNet& net, const NoiseSchedule& schedule,
                                     const std::vector<float>& x_T, const std::vector<int>& timesteps,
                                     int label, double gamma, const NullTextResult* null_text) {
  RowCfgDenoiser guided(net, schedule, class_row(net, label), gamma);
  if (null_text)
    for (size_t k = 0; k < timesteps.size() && k < null_text->null_rows.size(); ++k)
      if (!null_text->null_rows[k].empty()) guided.set_null_rows(timesteps[k], null_text->null_rows[k]);
  return ddim_decode(guided, x_T, timesteps);
}

std::vector<float> sdedit(Denoiser& model, const std::vector<float>& x, int t0, int steps, uint64_t seed,
                          double eta) {
  const NoiseSchedule& s = model.schedule();
  if (t0 < 0 || t0 >= s.T()) throw std::invalid_argument("t0 must lie in 0 … T − 1");
  if (steps < 1) throw std::invalid_argument("SDEdit needs at least one step");
  // Levels spread over (0, t₀], ending at t₀: round((j + 1) t₀ / k), distinct.
  const int k = std::min(steps, t0 + 1);
  std::vector<int> ts;
  for (int j = 0; j < k; ++j) {
    const int t = static_cast<int>(std::lround(static_cast<double>(j + 1) * t0 / k));
    if (ts.empty() || t > ts.back()) ts.push_back(t);
  }
  Rng rng(seed);
  const double a = std::sqrt(s.alpha_bar[t0]), b = std::sqrt(1.0 - s.alpha_bar[t0]);
  std::vector<float> xt(x.size());
  for (size_t i = 0; i < x.size(); ++i) xt[i] = static_cast<float>(a * x[i] + b * rng.normal());
  return ddim_decode(model, xt, ts, eta, seed + 1);
}

}  // namespace difflab
