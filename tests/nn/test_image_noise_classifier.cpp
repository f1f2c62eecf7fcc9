// test_image_noise_classifier.cpp — the noise-conditional image classifier: its parameter count, ∇ₓ log p(y |
// xₜ, t) against central finite differences of log p, classifier guidance's ε̂ − γ σₜ ∇ₓ log p with a label
// per row, the checkpoint round trip and a short training run that learns. Not the guidance sweep
// (tests/train).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "nn/image_noise_classifier.h"
#include "nn/model_family.h"
#include "sample/guided.h"
#include "train/checkpoint.h"
#include "train/image_noise_classifier_trainer.h"

using namespace difflab;

namespace {

// Small 8×8 network, all weights random (the time projections too, so t matters).
ImageNoiseClassifierConfig small_config() {
  ImageNoiseClassifierConfig c;
  c.channels = {4, 8, 8};
  c.groups = 2;
  c.time_embedding = 8;
  c.time_width = 8;
  c.height = c.width = 8;
  c.num_classes = 3;
  return c;
}

void randomise(ImageNoiseClassifier& m, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> p(m.num_params());
  for (float& v : p) v = static_cast<float>(0.4 * rng.normal());
  m.backend().write(m.params(), p.data());
}

std::vector<float> random_images(int n, int dim, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(static_cast<size_t>(n) * dim);
  for (float& v : x) v = static_cast<float>(rng.normal());
  return x;
}

// A denoiser whose ε̂ is a fixed ramp, to read the guidance term off the output.
class RampDenoiser final : public Denoiser {
 public:
  RampDenoiser(int dim, const NoiseSchedule& s) : dim_(dim), schedule_(s) {}
  int dim() const override { return dim_; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float*, int n, int, float* eps) override {
    for (int i = 0; i < n * dim_; ++i) eps[i] = 0.01f * static_cast<float>(i % 17);
  }

 private:
  int dim_;
  const NoiseSchedule& schedule_;
};

}  // namespace

TEST_CASE("image noise classifier: parameter count from the layer list, and the family table agrees") {
  auto backend = make_backend(BackendKind::cpu);
  const ImageNoiseClassifierConfig c;  // defaults: 16, 32, 64; time 32 → 64; 10 classes
  // time MLP 32·64 + 64; per stage 9·in·out + out (conv) + 2·out (GN) + 64·out + out (time shift); head 64·10
  // + 10.
  constexpr size_t expected =
      (32 * 64 + 64) + (9 * 1 * 16 + 16 + 32 + 64 * 16 + 16) + (9 * 16 * 16 + 16 + 32 + 64 * 16 + 16) +
      (9 * 16 * 32 + 32 + 64 + 64 * 32 + 32) + (9 * 32 * 64 + 64 + 128 + 64 * 64 + 64) + (64 * 10 + 10);
  static_assert(expected == 36954);  // the count README and the header state
  ImageNoiseClassifier m(c, *backend);
  CHECK(m.num_params() == expected);
  CHECK(image_noise_classifier_param_count(c) == expected);
  const ModelFamily* family = find_model_family("image-noise-classifier");
  REQUIRE(family != nullptr);
  CHECK(family->param_count(image_noise_classifier_config_map(c)) == expected);
  auto made = family->make(image_noise_classifier_config_map(c), *backend);
  CHECK(made->family() == "image-noise-classifier");
  CHECK(made->num_params() == expected);
}

TEST_CASE("image noise classifier: the gradient of log p(y | x_t, t) matches central finite differences") {
  auto backend = make_backend(BackendKind::reference);
  ImageNoiseClassifier m(small_config(), *backend);
  randomise(m, 3);
  const int n = 2, D = m.dim(), K = m.num_classes();
  std::vector<float> x = random_images(n, D, 5);
  for (int t : {0, 400}) {
    for (int label = 0; label < K; ++label) {
      std::vector<float> grad(static_cast<size_t>(n) * D);
      m.grad_log_prob(x.data(), n, t, label, grad.data());
      std::vector<float> lp_plus(static_cast<size_t>(n) * K), lp_minus(lp_plus.size());
      const double h = 1e-2;
      double max_error = 0, max_grad = 0;
      for (int k = 0; k < D; k += 3) {  // every third pixel of both images
        std::vector<float> xp = x, xm = x;
        for (int i = 0; i < n; ++i) {
          xp[static_cast<size_t>(i) * D + k] += static_cast<float>(h);
          xm[static_cast<size_t>(i) * D + k] -= static_cast<float>(h);
        }
        m.log_probs(xp.data(), n, t, lp_plus.data());
        m.log_probs(xm.data(), n, t, lp_minus.data());
        for (int i = 0; i < n; ++i) {
          const double fd =
              (lp_plus[static_cast<size_t>(i) * K + label] - lp_minus[static_cast<size_t>(i) * K + label]) /
              (2 * h);
          const double g = grad[static_cast<size_t>(i) * D + k];
          max_error = std::max(max_error, std::abs(fd - g));
          max_grad = std::max(max_grad, std::abs(g));
        }
      }
      CAPTURE(t);
      CAPTURE(label);
      MESSAGE("t " << t << " label " << label << ": max abs grad " << max_grad << ", max error "
                   << max_error);
      CHECK(max_grad > 1e-4);                     // a real gradient, not zeros
      CHECK(max_error < 2e-5 + 0.02 * max_grad);  // float forward, h = 0.01
    }
  }
}

TEST_CASE("classifier guidance on images: ε̃ = ε̂ − γ √(1 − ᾱₜ) ∇ₓ log p(yᵢ | xₜ), a label per row") {
  auto backend = make_backend(BackendKind::cpu);
  ImageNoiseClassifier m(small_config(), *backend);
  randomise(m, 11);
  const NoiseSchedule schedule = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  const int D = m.dim(), n = 5;
  RampDenoiser base(D, schedule);
  const std::vector<int> labels = {2, 2, 0, 1, 1};
  const std::vector<float> x = random_images(n, D, 9);
  const int t = 600;
  const double gamma = 3.5;
  ClassifierGuidedDenoiser guided(base, m, labels, gamma);
  std::vector<float> eps(static_cast<size_t>(n) * D), plain(eps.size()), grad(D);
  guided.predict_eps(x.data(), n, t, eps.data());
  base.predict_eps(x.data(), n, t, plain.data());
  const double sigma = std::sqrt(1 - schedule.alpha_bar[t]);
  CHECK(sigma == doctest::Approx(schedule.sqrt_one_minus_alpha_bar[t]));
  for (int i = 0; i < n; ++i) {
    m.grad_log_prob(x.data() + static_cast<size_t>(i) * D, 1, t, labels[i], grad.data());
    for (int k = 0; k < D; ++k) {
      const size_t j = static_cast<size_t>(i) * D + k;
      CHECK(eps[j] == doctest::Approx(plain[j] - gamma * sigma * grad[k]).epsilon(1e-4).scale(1e-5));
    }
  }
  // γ = 0 is the unguided ε̂.
  ClassifierGuidedDenoiser off(base, m, labels, 0.0);
  off.predict_eps(x.data(), n, t, eps.data());
  for (size_t j = 0; j < eps.size(); ++j) CHECK(eps[j] == plain[j]);
  CHECK_THROWS_AS(ClassifierGuidedDenoiser(base, m, std::vector<int>{0, 3}, 1.0), std::out_of_range);
}

TEST_CASE(
    "image noise classifier: a short training run learns a two-class toy set, and its checkpoint loads") {
  // Class 0: a bright left half, class 1: a bright right half, 8×8, with pixel noise.
  ImageDataset data;
  data.description = "halves";
  data.count = 400;
  data.height = data.width = 8;
  data.num_classes = 2;
  Rng rng(1);
  for (int i = 0; i < data.count; ++i) {
    const int y = i % 2;
    data.labels.push_back(y);
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 8; ++c)
        data.pixels.push_back(static_cast<float>(((c < 4) == (y == 0) ? 0.8 : -0.8) + 0.1 * rng.normal()));
  }
  ImageNoiseClassifierTrainConfig config;
  config.model = small_config();
  config.steps = 150;
  config.batch = 32;
  config.optimizer.lr = 5e-3f;
  config.schedule = {ScheduleKind::Linear, 100, 1e-4, 0.02};
  ImageNoiseClassifierTrainer trainer(config, data);
  for (int s = 0; s < config.steps; ++s) trainer.step();
  CHECK(trainer.model().num_classes() == 2);
  const double clean = trainer.accuracy(data, 200, 0);
  MESSAGE("accuracy at t = 0: " << clean);
  CHECK(clean > 0.95);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("difflab_nc_" + std::to_string(::getpid()) + ".ckpt"))
          .string();
  save_checkpoint(path, trainer.to_checkpoint());
  auto loaded = load_image_noise_classifier(path);
  std::filesystem::remove(path);
  CHECK(loaded->schedule.T() == 100);
  CHECK(loaded->model->num_params() == trainer.model().num_params());
  CHECK(noise_classifier_accuracy(*loaded->model, loaded->schedule, data, 200, 0) == doctest::Approx(clean));
}
