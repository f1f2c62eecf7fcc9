// cfg_sweep.cpp — the guidance sweep: CFG samples per class and γ, classifier accuracy and FID per class.
// Not a CLI (app/cli_eval_cfg.cpp) nor a panel (lecture/panel_cfg_images.cpp).
#include "train/cfg_sweep.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "nn/classifier.h"
#include "nn/unet.h"
#include "nn/unet_conditional.h"
#include "sample/guided.h"
#include "train/classifier_trainer.h"
#include "train/frechet_distance.h"
#include "train/image_quality.h"

namespace difflab {

CfgSweepConfig::CfgSweepConfig() : sampler(fid_sampler_config(20)) {}

std::vector<double> parse_gamma_list(const std::string& text) {
  std::vector<double> gammas;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    double g = NAN;
    try {
      g = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || !std::isfinite(g) || g < 0 || g > 100)
      throw std::invalid_argument("guidance weight '" + item + "' must be a number in [0, 100]");
    gammas.push_back(g);
  }
  if (gammas.empty()) throw std::invalid_argument("the list of guidance weights is empty");
  return gammas;
}

namespace {

// Test images of class k, row-major.
std::vector<float> class_images(const ImageDataset& test, int k) {
  std::vector<float> out;
  for (int i = 0; i < test.count; ++i)
    if (test.labels[i] == k) out.insert(out.end(), test.image(i), test.image(i) + test.dim());
  return out;
}

}  // namespace

CfgSweepResult run_cfg_sweep(UNet& model, const NoiseSchedule& schedule, Classifier& classifier,
                             const ImageDataset& test, const CfgSweepConfig& config,
                             const CfgSweepProgress& progress, const std::function<bool()>& cancelled) {
  const int K = model.config().num_classes, D = model.dim(), P = config.per_class;
  if (K <= 0) throw std::invalid_argument("the guidance sweep needs a class-conditional U-Net (--classes K)");
  if (test.dim() != D || classifier.dim() != D)
    throw std::invalid_argument("the test images, the classifier and the U-Net must have the same size");
  if (test.labels.empty()) throw std::invalid_argument("the guidance sweep needs labelled test images");
  if (P < 2) throw std::invalid_argument("the guidance sweep needs at least 2 samples per class");
  if (config.gammas.empty()) throw std::invalid_argument("the list of guidance weights is empty");
  if (config.kind == GuidanceKind::Exact)
    throw std::invalid_argument("the image guidance sweep is classifier-free or classifier guidance");
  if (config.kind == GuidanceKind::Classifier &&
      (!config.noise_classifier || config.noise_classifier->dim() != D ||
       config.noise_classifier->num_classes() < K))
    throw std::invalid_argument(
        "classifier guidance needs a noise classifier of the U-Net's size and classes");

  CfgSweepResult r;
  r.num_classes = K;
  r.per_class = P;
  r.height = model.config().height;
  r.width = model.config().width;
  // References: class k's test images but the last P (FID floor: those P against the rest); pooled: all
  // test images but K·P of them, and those K·P for the floor.
  std::vector<FidReference> class_refs(K);
  r.class_fid_floor.assign(K, 0);
  for (int k = 0; k < K; ++k) {
    const std::vector<float> images = class_images(test, k);
    const int count = static_cast<int>(images.size() / D);
    if (count < P + 2)
      throw std::invalid_argument("class " + std::to_string(k) + " has " + std::to_string(count) +
                                  " test images; the sweep needs per_class + 2 = " + std::to_string(P + 2));
    class_refs[k] = make_fid_reference(classifier, images.data(), count - P,
                                       images.data() + static_cast<size_t>(count - P) * D, P);
    r.class_fid_floor[k] = class_refs[k].floor;
    r.class_fid_floor_mean += class_refs[k].floor / K;
  }
  const int pooled = K * P;
  if (test.count < pooled + 2) throw std::invalid_argument("too few test images for the pooled FID");
  const FidReference all_ref = make_fid_reference(classifier, test.pixels.data(), test.count - pooled,
                                                  test.image(test.count - pooled), pooled);
  r.fid_floor = all_ref.floor;

  UNetConditionalDenoiser conditional(model, schedule, {}, 64);
  std::vector<int> labels(pooled);
  for (int i = 0; i < pooled; ++i) labels[i] = i / P;
  const std::vector<float> x_T = standard_normal(pooled * D, config.seed);
  SamplerConfig sc = config.sampler;
  sc.record_trajectory = false;
  long total = 0, done = 0;
  {
    CfgDenoiser probe(conditional, labels, 1.0);
    Sampler s(probe, sc);
    total = static_cast<long>(s.timesteps().size()) * static_cast<long>(config.gammas.size());
  }
  for (double gamma : config.gammas) {
    CfgSweepPoint point;
    point.gamma = gamma;
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Denoiser> guided;
    if (config.kind == GuidanceKind::Classifier)  // over the null class: the unconditional ε̂
      guided =
          std::make_unique<ClassifierGuidedDenoiser>(conditional, *config.noise_classifier, labels, gamma);
    else
      guided = std::make_unique<CfgDenoiser>(conditional, labels, gamma);
    Sampler sampler(*guided, sc);
    sampler.begin(x_T, config.seed + 1);
    while (!sampler.done()) {
      if (cancelled && cancelled()) {
        r.cancelled = true;
        return r;
      }
      sampler.step();
      if (progress) progress(++done, total);
    }
    point.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    point.network_evaluations = sampler.network_evaluations();
    point.images = sampler.x();
    const std::vector<int> predicted = classify(classifier, point.images.data(), pooled);
    point.accuracy_per_class.assign(K, 0);
    point.fid_per_class.assign(K, 0);
    for (int k = 0; k < K; ++k) {
      int right = 0;
      for (int i = 0; i < P; ++i) right += predicted[k * P + i] == k;
      point.accuracy_per_class[k] = static_cast<double>(right) / P;
      point.accuracy += point.accuracy_per_class[k] / K;
      point.fid_per_class[k] = fid_to_reference(
          classifier, point.images.data() + static_cast<size_t>(k) * P * D, P, class_refs[k]);
      point.class_fid += point.fid_per_class[k] / K;
    }
    point.fid = fid_to_reference(classifier, point.images.data(), pooled, all_ref);
    r.points.push_back(std::move(point));
  }
  return r;
}

const CfgSweepPoint& closest_accuracy(const CfgSweepResult& sweep, double accuracy) {
  if (sweep.points.empty()) throw std::invalid_argument("the guidance sweep has no points");
  const CfgSweepPoint* best = &sweep.points.front();
  for (const CfgSweepPoint& p : sweep.points) {
    const double d = std::abs(p.accuracy - accuracy), d_best = std::abs(best->accuracy - accuracy);
    if (d < d_best - 1e-12 || (std::abs(d - d_best) <= 1e-12 && p.gamma < best->gamma)) best = &p;
  }
  return *best;
}

}  // namespace difflab
