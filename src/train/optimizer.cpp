// optimizer.cpp — clipping, AdamW, EMA and divergence recovery over flat buffers (see optimizer.h).
// Not a loss.
#include "train/optimizer.h"

#include <algorithm>
#include <cmath>

namespace difflab {

Optimizer::Optimizer(Backend& backend, Tensor params, Tensor grads)
    : backend_(backend), params_(params), grads_(grads) {
  const size_t n = params.size();
  storage_ = backend.create_storage(7 * n);
  auto slot = [&](int i) { return Tensor{storage_.get(), i * n, 1, static_cast<int>(n)}; };
  m_ = slot(0), v_ = slot(1), ema_ = slot(2);
  backup_params_ = slot(3), backup_m_ = slot(4), backup_v_ = slot(5), backup_ema_ = slot(6);
  backend_.copy(ema_, params_);
  backup();
}

void Optimizer::backup() {
  backend_.copy(backup_params_, params_);
  backend_.copy(backup_m_, m_);
  backend_.copy(backup_v_, v_);
  backend_.copy(backup_ema_, ema_);
  backup_step_ = step_;
}

void Optimizer::restore() {
  backend_.copy(params_, backup_params_);
  backend_.copy(m_, backup_m_);
  backend_.copy(v_, backup_v_);
  backend_.copy(ema_, backup_ema_);
  step_ = backup_step_;
}

bool Optimizer::step(double loss, const OptimizerSettings& s, double* grad_norm) {
  const double norm = std::isfinite(loss) ? std::sqrt(backend_.sum_squares(grads_)) : NAN;
  if (grad_norm) *grad_norm = norm;
  if (!std::isfinite(norm)) {
    restore();
    return false;
  }
  if (s.grad_clip > 0 && norm > s.grad_clip) backend_.scale(grads_, static_cast<float>(s.grad_clip / norm));
  ++step_;
  backend_.adamw_step(params_, grads_, m_, v_, s.adamw, step_);
  if (s.ema_decay > 0) {
    const float decay = std::min(s.ema_decay, (1.0f + step_) / (10.0f + step_));
    backend_.ema_update(ema_, params_, decay);
  }
  if (s.backup_every > 0 && step_ % s.backup_every == 0) backup();
  return true;
}

void Optimizer::reset(int step) {
  backend_.fill(m_, 0.0f);
  backend_.fill(v_, 0.0f);
  step_ = step;
  backup();
}

}  // namespace difflab
