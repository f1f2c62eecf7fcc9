// gan_objective.cpp — the GAN's two losses, their gradients through backend ops, one alternating step.
// Not the networks: nn/gan.cpp.
#include "train/gan_objective.h"

#include <cmath>

namespace difflab {

namespace {
double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double sigmoid(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
}  // namespace

GanObjective::GanObjective(GanModel& model, const PointSet& train, GanObjectiveSettings settings,
                           uint64_t seed)
    : model_(model), train_(train), settings_(settings), rng_(seed) {}

void GanObjective::draw(std::vector<float>* x, std::vector<float>* z) {
  const int B = settings_.batch, n = train_.size();
  if (x) {
    x->resize(2 * static_cast<size_t>(B));
    for (int i = 0; i < B; ++i) {
      const size_t k = rng_.below(n);
      (*x)[2 * i] = train_.xy[2 * k];
      (*x)[2 * i + 1] = train_.xy[2 * k + 1];
    }
  }
  z->resize(static_cast<size_t>(B) * model_.config().latent);
  for (float& v : *z) v = static_cast<float>(rng_.normal());
}

double GanObjective::discriminator_gradients(const std::vector<float>& x, const std::vector<float>& z) {
  const int B = static_cast<int>(x.size() / 2);
  fake_.resize(2 * static_cast<size_t>(B));
  model_.generator_net().forward(z.data(), B, fake_.data());
  both_.assign(x.begin(), x.end());
  both_.insert(both_.end(), fake_.begin(), fake_.end());
  logits_.resize(2 * static_cast<size_t>(B));
  DenseNet& d = model_.discriminator_net();
  d.forward(both_.data(), 2 * B, logits_.data());
  d_logits_.resize(logits_.size());
  double loss = 0;
  for (int i = 0; i < 2 * B; ++i) {
    const double l = logits_[i];
    if (i < B) {  // real: softplus(−l), d/dl = σ(l) − 1
      loss += softplus(-l);
      d_logits_[i] = static_cast<float>((sigmoid(l) - 1) / B);
    } else {  // fake: softplus(l), d/dl = σ(l)
      loss += softplus(l);
      d_logits_[i] = static_cast<float>(sigmoid(l) / B);
    }
  }
  d.backward(d_logits_.data(), nullptr);
  return loss / B;
}

double GanObjective::generator_gradients(const std::vector<float>& z) {
  const int B = static_cast<int>(z.size() / model_.config().latent);
  fake_.resize(2 * static_cast<size_t>(B));
  model_.generator_net().forward(z.data(), B, fake_.data());
  logits_.resize(B);
  DenseNet& d = model_.discriminator_net();
  d.forward(fake_.data(), B, logits_.data());
  d_logits_.resize(B);
  double loss = 0;
  for (int i = 0; i < B; ++i) {  // softplus(−l), d/dl = σ(l) − 1
    loss += softplus(-logits_[i]);
    d_logits_[i] = static_cast<float>((sigmoid(logits_[i]) - 1) / B);
  }
  d_fake_.resize(2 * static_cast<size_t>(B));
  d.backward(d_logits_.data(), d_fake_.data());  // writes D's grads too; they are not applied
  model_.generator_net().backward(d_fake_.data(), nullptr);
  return loss / B;
}

double GanObjective::discriminator_loss(const std::vector<float>& x, const std::vector<float>& z) {
  const int B = static_cast<int>(x.size() / 2);
  fake_.resize(2 * static_cast<size_t>(B));
  model_.generator_net().forward(z.data(), B, fake_.data());
  std::vector<float> lr(B), lf(B);
  model_.discriminator_net().forward(x.data(), B, lr.data());
  model_.discriminator_net().forward(fake_.data(), B, lf.data());
  double loss = 0;
  for (int i = 0; i < B; ++i) loss += softplus(-lr[i]) + softplus(lf[i]);
  return loss / B;
}

double GanObjective::generator_loss(const std::vector<float>& z) {
  const int B = static_cast<int>(z.size() / model_.config().latent);
  fake_.resize(2 * static_cast<size_t>(B));
  model_.generator_net().forward(z.data(), B, fake_.data());
  std::vector<float> l(B);
  model_.discriminator_net().forward(fake_.data(), B, l.data());
  double loss = 0;
  for (int i = 0; i < B; ++i) loss += softplus(-l[i]);
  return loss / B;
}

StepResult GanObjective::step(TrainLoop& loop) {
  TrainPart& g = loop.part("generator");
  TrainPart& d = loop.part("discriminator");
  StepResult r;
  for (int k = 0; k < settings_.d_steps; ++k) {
    draw(&x_, &z_);
    d_loss_ = discriminator_gradients(x_, z_);
    double norm = 0;
    if (!loop.update(d, d_loss_, &norm)) r.diverged = true;
    model_.discriminator_net().refresh_spectral_norm(1);
  }
  draw(nullptr, &z_);
  g_loss_ = generator_gradients(z_);
  if (!loop.update(g, g_loss_, &r.grad_norm)) r.diverged = true;
  r.loss = g_loss_;
  return r;
}

}  // namespace difflab
