// test_frechet.cpp — the Fréchet distance vs closed forms; classifier checkpoints; the shipped one's
// accuracy. Not a test of U-Net FID values (`difflab eval` reports them); skips without Fashion-MNIST.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "core/rng.h"
#include "data/idx.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/frechet_distance.h"
#include "train/model_source.h"

using namespace difflab;

namespace {

GaussianFit diagonal_fit(const std::vector<double>& mean, const std::vector<double>& variances) {
  GaussianFit f;
  f.dim = static_cast<int>(mean.size());
  f.mean = mean;
  f.covariance.assign(static_cast<size_t>(f.dim) * f.dim, 0.0);
  for (int i = 0; i < f.dim; ++i) f.covariance[static_cast<size_t>(i) * f.dim + i] = variances[i];
  return f;
}

GaussianFit fit_2x2(double mx, double my, double a, double b, double c) {
  GaussianFit f;
  f.dim = 2;
  f.mean = {mx, my};
  f.covariance = {a, b, b, c};
  return f;
}

std::vector<float> correlated_samples(int n, int dim, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(static_cast<size_t>(n) * dim);
  for (int i = 0; i < n; ++i) {
    double previous = 0;
    for (int k = 0; k < dim; ++k) {
      previous = 0.6 * previous + rng.normal() * (1 + 0.3 * k);
      x[static_cast<size_t>(i) * dim + k] = static_cast<float>(previous + k);
    }
  }
  return x;
}

}  // namespace

TEST_CASE("Frechet distance: identical feature sets give 0, and the distance is symmetric") {
  const std::vector<float> x = correlated_samples(300, 16, 1);
  const GaussianFit a = fit_gaussian(x.data(), 300, 16);
  CHECK(frechet_distance(a, a) == doctest::Approx(0.0).scale(1.0).epsilon(1e-9));
  const std::vector<float> y = correlated_samples(300, 16, 2);
  const GaussianFit b = fit_gaussian(y.data(), 300, 16);
  CHECK(frechet_distance(a, b) > 0.0);
  CHECK(frechet_distance(a, b) == doctest::Approx(frechet_distance(b, a)).epsilon(1e-9));
}

TEST_CASE("Frechet distance: diagonal covariances give ||mu1 - mu2||^2 + sum (sqrt a - sqrt b)^2") {
  // (2 − 1)² + (3 − 2)² + (1 − 4)² = 11, plus ‖(0, 2, 0)‖² = 4.
  CHECK(frechet_distance(diagonal_fit({1, 2, 3}, {4, 9, 1}), diagonal_fit({1, 0, 3}, {1, 4, 16})) ==
        doctest::Approx(15.0).epsilon(1e-12));
  // One dimension: (μ₁ − μ₂)² + (σ₁ − σ₂)² = 9 + (0.5 − 2)².
  CHECK(frechet_distance(diagonal_fit({0}, {0.25}), diagonal_fit({3}, {4})) ==
        doctest::Approx(11.25).epsilon(1e-12));
}

TEST_CASE("Frechet distance: non-diagonal 2x2 covariances match tr sqrt(M) = sqrt(tr M + 2 sqrt(det M))") {
  // Σ₁ = I, Σ₂ = [[2, 1], [1, 2]] (eigenvalues 3, 1): FD = 2 + 4 − 2(√3 + 1) = 4 − 2√3.
  CHECK(frechet_distance(fit_2x2(0, 0, 1, 0, 1), fit_2x2(0, 0, 2, 1, 2)) ==
        doctest::Approx(4 - 2 * std::sqrt(3.0)).epsilon(1e-10));
  // Σ₁ = diag(1, 4) does not commute with Σ₂: Σ₁^{1/2} Σ₂ Σ₁^{1/2} = [[2, 2], [2, 8]], trace 10, determinant
  // 12, so tr(Σ₁Σ₂)^{1/2} = √(10 + 2√12) and FD = 5 + 4 − 2√(10 + 2√12) ≈ 0.771218.
  CHECK(frechet_distance(fit_2x2(0, 0, 1, 0, 4), fit_2x2(0, 0, 2, 1, 2)) ==
        doctest::Approx(9 - 2 * std::sqrt(10 + 2 * std::sqrt(12.0))).epsilon(1e-10));
  // A singular covariance (rank 1) is fine: Σ₁ = [[1, 1], [1, 1]], Σ₂ = I: tr(Σ₁)^{1/2} = √2, FD = 2 + 2 −
  // 2√2.
  CHECK(frechet_distance(fit_2x2(0, 0, 1, 1, 1), fit_2x2(0, 0, 1, 0, 1)) ==
        doctest::Approx(4 - 2 * std::sqrt(2.0)).epsilon(1e-9));
}

TEST_CASE("Frechet distance: shifting every feature vector by d adds exactly ||d||^2") {
  const int n = 400, dim = 12;
  std::vector<float> x = correlated_samples(n, dim, 3), shifted = x;
  double d_squared = 0;
  for (int k = 0; k < dim; ++k) {
    const float d = 0.25f * static_cast<float>(k % 5) - 0.5f;
    d_squared += static_cast<double>(d) * d;
    for (int i = 0; i < n; ++i) shifted[static_cast<size_t>(i) * dim + k] += d;
  }
  const double fd = frechet_distance(fit_gaussian(x.data(), n, dim), fit_gaussian(shifted.data(), n, dim));
  CHECK(fd == doctest::Approx(d_squared).epsilon(1e-4));
}

TEST_CASE("Gaussian fit: the mean and the unbiased covariance of a hand-made set") {
  // Points (0, 0), (2, 0), (0, 2), (2, 2): mean (1, 1); covariance 4/3 on the diagonal (sum of squares 4 over
  // n − 1 = 3).
  const std::vector<float> x{0, 0, 2, 0, 0, 2, 2, 2};
  const GaussianFit f = fit_gaussian(x.data(), 4, 2);
  CHECK(f.mean[0] == doctest::Approx(1.0));
  CHECK(f.mean[1] == doctest::Approx(1.0));
  CHECK(f.covariance[0] == doctest::Approx(4.0 / 3));
  CHECK(f.covariance[1] == doctest::Approx(0.0));
  CHECK(f.covariance[3] == doctest::Approx(4.0 / 3));
}

TEST_CASE(
    "classifier checkpoint: round trip, no schedule keys, wrong sizes rejected, not loadable as a denoiser") {
  ClassifierConfig c;
  c.channels = {8, 8, 16};
  c.groups = 4;
  Checkpoint ck;
  ck.architecture = "classifier";
  ck.model_config = classifier_config_map(c);
  ck.denoiser = false;
  ck.dataset = "fashion-mnist";
  ck.loss = "cross_entropy";
  ck.step = 7;
  ck.ema_params.assign(classifier_param_count(c), 0.5f);
  const std::string bytes = serialize_checkpoint(ck);
  CHECK(bytes.find("schedule = ") == std::string::npos);
  CHECK(bytes.find("classifier_channels = 8,8,16\n") != std::string::npos);
  const Checkpoint back = parse_checkpoint(bytes, "mem");
  CHECK(back.architecture == "classifier");
  CHECK(!back.denoiser);
  CHECK(classifier_config_from_map(back.model_config).channels == c.channels);
  CHECK(classifier_config_from_map(back.model_config).groups == 4);
  CHECK(back.step == 7);
  CHECK(back.ema_params == ck.ema_params);
  CHECK_THROWS_AS(model_from_checkpoint(back, "mem"), std::invalid_argument);
  ck.ema_params.pop_back();
  CHECK_THROWS_AS(parse_checkpoint(serialize_checkpoint(ck), "mem"), CheckpointError);
}

TEST_CASE("the shipped classifier reaches >= 90% accuracy on the first 2,000 Fashion-MNIST test images") {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "t10k-images-idx3-ubyte.gz") &&
      !std::filesystem::exists(std::string(kFashionMnistDir) + "t10k-images-idx3-ubyte")) {
    MESSAGE("skipped: Fashion-MNIST is not installed in ", kFashionMnistDir,
            " (apt install dataset-fashion-mnist)");
    return;
  }
  const std::string path = std::string(DIFFLAB_SOURCE_DIR) + "/checkpoints/fashion-mnist-classifier.ckpt";
  REQUIRE(std::filesystem::exists(path));
  CHECK(std::filesystem::file_size(path) < 4u * 1024 * 1024);
  auto loaded = load_classifier(path, 2);
  const ImageDataset test = load_image_dataset("fashion-mnist", false);
  const double accuracy = classifier_accuracy(*loaded->model, test, 2000);
  MESSAGE("shipped classifier: accuracy ", accuracy, " on the first 2000 test images");
  CHECK(accuracy >= 0.90);
  // Its features for FID: feature_dim() per image, all finite.
  const std::vector<float> f = classifier_features(*loaded->model, test.pixels.data(), 4, 4);
  CHECK(f.size() == 4u * loaded->model->feature_dim());
  for (float v : f) CHECK(std::isfinite(v));
}
