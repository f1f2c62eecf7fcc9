// image_quality.cpp — stratified bits/dim, FID to a fixed reference, and the monitor that runs both.
// Not the math of either: the bound is core/vlb.cpp, the Fréchet distance train/frechet_distance.cpp.
#include "train/image_quality.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <numbers>
#include <stdexcept>

#include "nn/classifier.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/classifier_trainer.h"
#include "train/image_trainer.h"

namespace difflab {

BitsPerDim estimate_bits_per_dim(Denoiser& model, const std::vector<float>& images, int strata, Rng& rng,
                                 StrataSpacing spacing, VarianceKind variance) {
  const VlbEstimate v = estimate_vlb_stratified(model, variance, images, DecoderKind::DiscretizedGaussian,
                                                strata, rng, true, spacing);
  const double to_bits = 1.0 / (model.dim() * std::numbers::ln2);
  return {v.total * to_bits, v.prior * to_bits, v.diffusion * to_bits, v.decoder * to_bits};
}

SamplerConfig fid_sampler_config(int steps) {
  SamplerConfig sc;
  sc.kind = SamplerKind::Ddim;
  sc.steps = steps;
  sc.eta = 0.0;
  sc.clip_x0 = true;
  sc.record_trajectory = false;
  return sc;
}

FidReference make_fid_reference(Classifier& net, const float* reference, int n_reference, const float* others,
                                int n_others) {
  FidReference r;
  const std::vector<float> features = classifier_features(net, reference, n_reference);
  r.fit = fit_gaussian(features.data(), n_reference, net.feature_dim());
  r.reference_count = n_reference;
  r.floor = fid_to_reference(net, others, n_others, r);
  r.floor_count = n_others;
  return r;
}

double fid_to_reference(Classifier& net, const float* images, int n, const FidReference& reference) {
  const std::vector<float> features = classifier_features(net, images, n);
  return frechet_distance(fit_gaussian(features.data(), n, net.feature_dim()), reference.fit);
}

ImageQualityMonitor::ImageQualityMonitor(const ImageQualityConfig& config) : config_(config) {
  ImageDataset test;
  try {
    test = load_image_dataset(config.dataset, false);
  } catch (const std::exception& e) {
    bits_note_ = fid_note_ = with_cause(train_message("trainmsg.no_test_split"), message_of(e));
    return;
  }
  prepare(std::move(test));
}

ImageQualityMonitor::ImageQualityMonitor(const ImageQualityConfig& config, ImageDataset test)
    : config_(config) {
  prepare(std::move(test));
}

ImageQualityMonitor::~ImageQualityMonitor() = default;

void ImageQualityMonitor::prepare(ImageDataset test) {
  image_dim_ = test.dim();
  if (test.count < config_.bits_images) {
    bits_note_ = train_message("trainmsg.test_split_small", {std::to_string(config_.bits_images)});
  } else {
    bits_images_.assign(test.pixels.begin(),
                        test.pixels.begin() + static_cast<std::ptrdiff_t>(config_.bits_images) * image_dim_);
  }
  const std::string path = config_.classifier.empty() ? default_classifier_path() : config_.classifier;
  if (!std::filesystem::exists(path)) {
    fid_note_ = train_message("trainmsg.no_classifier", {path});
    return;
  }
  if (test.count < config_.fid_reference + config_.fid_samples) {
    fid_note_ =
        train_message("trainmsg.fid_needs", {std::to_string(config_.fid_reference + config_.fid_samples)});
    return;
  }
  try {
    classifier_ = load_classifier(path, config_.threads);
  } catch (const std::exception& e) {
    fid_note_ = message_of(e);
    return;
  }
  Classifier& net = *classifier_->model;
  if (net.dim() != image_dim_) {
    fid_note_ = train_message("trainmsg.classifier_size", {path});
    classifier_.reset();
    return;
  }
  // Reference: test images 0 … R−1; floor: the next fid_samples test images against them.
  reference_ = make_fid_reference(net, test.pixels.data(), config_.fid_reference,
                                  test.image(config_.fid_reference), config_.fid_samples);
}

QualityPoint ImageQualityMonitor::evaluate(ImageTrainer& trainer, const std::function<bool()>& cancelled) {
  const auto start = std::chrono::steady_clock::now();
  auto stop = [&] { return cancelled && cancelled(); };
  QualityPoint p;
  p.step = trainer.step_count();
  const int D = trainer.model().dim();
  if (D != image_dim_ && image_dim_ > 0) {
    const UiMessage note = train_message("trainmsg.model_size");
    if (has_bits_per_dim()) bits_note_ = note;
    if (has_fid()) fid_note_ = note;
    classifier_.reset();
  }
  UNetDenoiser ema(trainer.model(), trainer.schedule(), trainer.ema_params());
  if (has_bits_per_dim() && !stop()) {
    Rng rng(config_.seed + 1);
    p.bits_per_dim = estimate_bits_per_dim(ema, bits_images_, config_.strata, rng).total;
  }
  if (has_fid() && !stop()) {
    Sampler sampler(ema, fid_sampler_config(config_.fid_ddim_steps));
    sampler.begin(standard_normal(config_.fid_samples * D, config_.seed + 7), config_.seed + 8);
    while (!sampler.done() && !stop()) sampler.step();
    if (sampler.done())
      p.fid = fid_to_reference(*classifier_->model, sampler.x().data(), config_.fid_samples, reference_);
  }
  if (stop()) p.bits_per_dim = p.fid = NAN;
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return p;
}

}  // namespace difflab
