// image_flow_objective.cpp — one flow-matching step on images, the network as a velocity, Euler/Heun
// sampling. Not the ε objective (image_trainer.cpp).
#include "train/image_flow_objective.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/flow_mlp.h"
#include "sample/sampler.h"

namespace difflab {

ImageFlowObjective::ImageFlowObjective(const ImageTrainConfig& config, ImageNet& model,
                                       const ImageDataset& data)
    : config_(config), model_(model), data_(data), rng_(config.seed * 0x9E3779B97F4A7C15ULL + 31) {
  if (!parse_flow_time_distribution(config.flow_time, &time_))
    throw std::invalid_argument("the flow's time distribution must be uniform or logit-normal, not '" +
                                config.flow_time + "'");
  if (model.dim() != data.dim())
    throw std::invalid_argument("the model's image size does not match the data's");
}

ImageFlowBatch ImageFlowObjective::draw_batch() {
  const int B = config_.batch, D = data_.dim();
  ImageFlowBatch b;
  b.batch = B;
  b.x0.resize(static_cast<size_t>(B) * D);
  b.eps.resize(b.x0.size());
  b.t.resize(B);
  b.labels.resize(B);
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    // t ~ U(0, 1), or SD3's logit-normal: t = sigmoid(n), n ~ 𝒩(0, 1) (Esser et al. 2024, §3.1).
    b.t[i] = static_cast<float>(
        time_ == FlowTimeDistribution::LogitNormal ? 1.0 / (1.0 + std::exp(-rng_.normal())) : rng_.uniform());
    b.labels[i] = data_.labels.empty() || rng_.uniform() < config_.label_dropout ? -1 : data_.labels[j];
    std::copy(data_.image(j), data_.image(j) + D, b.x0.begin() + static_cast<size_t>(i) * D);
    for (int k = 0; k < D; ++k) b.eps[static_cast<size_t>(i) * D + k] = static_cast<float>(rng_.normal());
  }
  return b;
}

double ImageFlowObjective::loss_and_gradient(const ImageFlowBatch& b) {
  const int B = b.batch, D = model_.dim();
  const size_t size = static_cast<size_t>(B) * D;
  if (b.x0.size() != size || b.eps.size() != size || b.t.size() != static_cast<size_t>(B))
    throw std::invalid_argument("image flow batch: sizes do not match the model");
  xt_.resize(size), out_.resize(size), d_out_.resize(size), times_.resize(B);
  for (int i = 0; i < B; ++i) {
    const float t = b.t[i];
    times_[i] = t * kFlowTimeScale;
    for (int k = 0; k < D; ++k) {
      const size_t q = static_cast<size_t>(i) * D + k;
      xt_[q] = (1 - t) * b.x0[q] + t * b.eps[q];
    }
  }
  model_.forward(xt_.data(), times_.data(), b.labels.empty() ? nullptr : b.labels.data(), B, out_.data());
  double loss = 0;
  const double scale = 2.0 / static_cast<double>(size);
  for (size_t q = 0; q < size; ++q) {
    const double diff = out_[q] - (b.eps[q] - b.x0[q]);
    loss += diff * diff;
    d_out_[q] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(size);
  if (std::isfinite(loss)) model_.backward(d_out_.data());
  return loss;
}

StepResult ImageFlowObjective::step(TrainLoop& loop) {
  const ImageFlowBatch b = draw_batch();
  StepResult result;
  result.loss = loss_and_gradient(b);
  TrainPart& part = loop.part(0);
  part.settings = {config_.optimizer, config_.grad_clip, config_.ema_decay, config_.backup_every};
  result.diverged = !loop.update(part, result.loss, &result.grad_norm);
  return result;
}

void ImageNetVelocity::predict_velocity(const float* x, int n, double t, float* v) {
  const ParamsView view(model_, params_);
  const int D = dim();
  for (int first = 0; first < n; first += max_batch_) {
    const int count = std::min(max_batch_, n - first);
    times_.assign(count, static_cast<float>(t * kFlowTimeScale));
    labels_.assign(count, label_);
    model_.forward(x + static_cast<size_t>(first) * D, times_.data(), labels_.data(), count,
                   v + static_cast<size_t>(first) * D);
  }
}

std::vector<float> sample_image_flow(ImageNet& model, Tensor params, int n, int steps, FlowMethod method,
                                     uint64_t seed, int label) {
  ImageNetVelocity velocity(model, params, label);
  FlowPath path = integrate_flow(velocity, standard_normal(n * model.dim(), seed), steps, method);
  for (float& p : path.x) p = std::clamp(p, -1.0f, 1.0f);
  return std::move(path.x);
}

}  // namespace difflab
