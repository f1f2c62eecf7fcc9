// test_clip.cpp — the mini-CLIP: the symmetric InfoNCE loss against its closed form, its gradients (loss,
// normalisation, temperature and every network block) against finite differences, the family table, a
// checkpoint round trip, and a short run on tiny images that learns to match captions. Not a quality test of
// the shipped checkpoint (the README states its zero-shot accuracy, measured with `difflab clip`).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/rng.h"
#include "nn/backend_factory.h"
#include "nn/clip.h"
#include "nn/model_family.h"
#include "train/clip_objective.h"

using namespace difflab;

TEST_CASE("InfoNCE of a known 2x2 logit matrix equals the closed form") {
  // logits [[1, 2], [3, 4]]: rows −log(e¹/(e¹+e²)) = log(1+e), −log(e⁴/(e³+e⁴)) = log(1+e⁻¹);
  // columns log(1+e²), log(1+e⁻²); L = ½ (mean of rows + mean of columns).
  const float logits[4] = {1, 2, 3, 4};
  float d[4];
  const double expected = 0.5 * ((std::log1p(std::exp(1.0)) + std::log1p(std::exp(-1.0))) / 2 +
                                 (std::log1p(std::exp(2.0)) + std::log1p(std::exp(-2.0))) / 2);
  CHECK(info_nce_loss(logits, 2, d) == doctest::Approx(expected).epsilon(1e-12));
  // ∂L/∂logit₀₀ = ½ (softmax_row₀(0) − 1 + softmax_col₀(0) − 1)/2 with softmax_row₀(0) = 1/(1+e), col =
  // 1/(1+e²).
  CHECK(d[0] == doctest::Approx(0.25 * (1 / (1 + std::exp(1.0)) - 1 + 1 / (1 + std::exp(2.0)) - 1)));
}

TEST_CASE("InfoNCE of a·I + b·(1 − I) is log(1 + (n − 1)·e^(b − a)), and ln n for equal logits") {
  for (int n : {2, 5, 16}) {
    std::vector<float> logits(static_cast<size_t>(n) * n, 0.5f);
    for (int i = 0; i < n; ++i) logits[static_cast<size_t>(i) * n + i] = 3.0f;
    CHECK(info_nce_loss(logits.data(), n, nullptr) ==
          doctest::Approx(std::log(1 + (n - 1) * std::exp(0.5 - 3.0))).epsilon(1e-9));
    std::fill(logits.begin(), logits.end(), 7.0f);
    CHECK(info_nce_loss(logits.data(), n, nullptr) == doctest::Approx(std::log(n)).epsilon(1e-9));
  }
}

TEST_CASE("clip_loss: gradients w.r.t. raw embeddings and the log-scale match finite differences") {
  const int n = 5, d = 4;
  Rng rng(3);
  std::vector<float> img(n * d), txt(n * d);
  for (float& v : img) v = static_cast<float>(rng.normal());
  for (float& v : txt) v = static_cast<float>(rng.normal());
  const double s = 1.3;
  std::vector<float> d_img(n * d), d_txt(n * d);
  double d_s = 0;
  clip_loss(img.data(), txt.data(), n, d, s, d_img.data(), d_txt.data(), &d_s);
  const double h = 1e-3;
  auto loss_at = [&](std::vector<float> a, std::vector<float> b, double scale) {
    return clip_loss(a.data(), b.data(), n, d, scale, nullptr, nullptr, nullptr).loss;
  };
  for (int k = 0; k < n * d; ++k) {
    std::vector<float> plus = img, minus = img;
    plus[k] += static_cast<float>(h);
    minus[k] -= static_cast<float>(h);
    CHECK(d_img[k] ==
          doctest::Approx((loss_at(plus, txt, s) - loss_at(minus, txt, s)) / (2 * h)).epsilon(2e-3));
    plus = txt, minus = txt;
    plus[k] += static_cast<float>(h);
    minus[k] -= static_cast<float>(h);
    CHECK(d_txt[k] ==
          doctest::Approx((loss_at(img, plus, s) - loss_at(img, minus, s)) / (2 * h)).epsilon(2e-3));
  }
  CHECK(d_s ==
        doctest::Approx((loss_at(img, txt, s + h) - loss_at(img, txt, s - h)) / (2 * h)).epsilon(1e-4));
  // Past the clamp (e^s > 100) the temperature gets no gradient, and the loss does not move with s.
  clip_loss(img.data(), txt.data(), n, d, 5.0, nullptr, nullptr, &d_s);
  CHECK(d_s == 0.0);
  CHECK(loss_at(img, txt, 5.0) == loss_at(img, txt, 6.0));
  // The gradient of a normalised embedding is orthogonal to it (scaling a raw embedding changes nothing).
  for (int i = 0; i < n; ++i) {
    double dot = 0;
    for (int k = 0; k < d; ++k) dot += static_cast<double>(d_img[i * d + k]) * img[i * d + k];
    CHECK(std::abs(dot) < 1e-6);
  }
}

namespace {
ClipConfig tiny_config() {
  ClipConfig c = default_clip_config();
  c.channels = {4, 8, 8};
  c.groups = 2;
  c.height = c.width = 8;
  c.embed_dim = 6;
  c.text_width = 5;
  c.text_hidden = 7;
  return c;
}

// 8×8 images: class k (0 … 9) is a cosine grating cos(2π(fx·x + fy·y)/8 + φ) with a frequency of its own and
// a random phase, plus noise (the CNN normalises levels and pools over positions: classes differ in texture).
ImageDataset tiny_images(int count) {
  ImageDataset data;
  data.description = "tiny";
  data.count = count;
  data.height = data.width = 8;
  data.num_classes = 10;
  data.pixels.assign(static_cast<size_t>(count) * 64, -1.0f);
  Rng rng(5);
  for (int i = 0; i < count; ++i) {
    const int k = i % 10;
    data.labels.push_back(k);
    static const int fx[10] = {1, 0, 1, 1, 2, 0, 2, 1, 3, 0}, fy[10] = {0, 1, 1, -1, 0, 2, 1, 2, 0, 3};
    const double phase = 2 * 3.14159265358979 * rng.uniform();
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x)
        data.pixels[static_cast<size_t>(i) * 64 + y * 8 + x] = static_cast<float>(
            std::cos(2 * 3.14159265358979 * (fx[k] * x + fy[k] * y) / 8 + phase) + 0.05 * rng.normal());
  }
  return data;
}
}  // namespace

TEST_CASE("the clip family: param_count is the model's, and the default has the caption vocabulary") {
  const ModelFamily* f = find_model_family("clip");
  REQUIRE(f != nullptr);
  auto backend = make_backend(BackendKind::cpu);
  const ClipConfig c = default_clip_config();
  auto model = f->make(clip_config_map(c), *backend);
  CHECK(model->num_params() == clip_param_count(c));
  CHECK(model->family() == "clip");
  CHECK(c.vocab == caption_tokenizer().vocab_size());
  // CNN 16, 32, 64 → 64 (30,032 as nn/classifier.h counts it) + V·64 + 64 + 64·128 + 128 + 128·64 + 64 + 1.
  CHECK(clip_param_count(c) ==
        30032u + static_cast<size_t>(c.vocab) * 64 + 64 + 64 * 128 + 128 + 128 * 64 + 64 + 1);
  ModelConfigMap bad = clip_config_map(c);
  bad.at("embed_dim").assign(1, '1');  // (GCC 12's -Wrestrict misfires on `= "1"` here)
  CHECK_THROWS_AS(f->param_count(bad), std::invalid_argument);
}

TEST_CASE(
    "ClipObjective::gradients: every block of both encoders and the log-scale match finite differences") {
  auto backend = make_backend(BackendKind::reference);
  const ClipConfig config = tiny_config();
  ClipModel model(config, *backend);
  model.init_params(1);
  ClipTrainConfig train;
  train.model = config;
  const ImageDataset data = tiny_images(6);
  ClipObjective objective(train, model, data);
  std::vector<int> tokens;
  for (int i = 0; i < 6; ++i) {
    const std::vector<int> t = caption_tokenizer().encode(class_prompt(CaptionLanguage::Es, data.labels[i]));
    tokens.insert(tokens.end(), t.begin(), t.end());
  }
  objective.gradients(data.pixels.data(), tokens.data(), 6);
  const size_t N = model.num_params();
  std::vector<float> params(N), grads(N);
  backend->read(model.params(), params.data());
  backend->read(model.grads(), grads.data());
  auto loss_with = [&](size_t k, float value) {
    std::vector<float> p = params;
    p[k] = value;
    backend->write(model.params(), p.data());
    const double l = objective.gradients(data.pixels.data(), tokens.data(), 6).loss;
    backend->write(model.params(), params.data());
    return l;
  };
  // Indices in every block: the first conv, the image head, the word table (a used word), fc1, fc2,
  // log-scale.
  const size_t image =
      clip_param_count(config) - (static_cast<size_t>(config.vocab) * 5 + 5 + 5 * 7 + 7 + 7 * 6 + 6 + 1);
  const size_t word = image + static_cast<size_t>(caption_tokenizer().id("foto")) * 5 + 2;
  const std::vector<size_t> probes = {0,
                                      10,
                                      image - 3,
                                      image - 20,
                                      word,
                                      image + config.vocab * 5 + 1,
                                      image + config.vocab * 5 + 5 + 9,
                                      N - 4,
                                      N - 1};
  int checked = 0;
  for (size_t k : probes) {
    const float h = 1e-2f;
    const double numeric = (loss_with(k, params[k] + h) - loss_with(k, params[k] - h)) / (2.0 * h);
    INFO("parameter " << k << " of " << N);
    CHECK(grads[k] == doctest::Approx(numeric).epsilon(0.02).scale(1e-3));
    checked += std::abs(numeric) > 1e-4;
  }
  CHECK(checked >= 6);  // most probes have a gradient that is not ~0
}

TEST_CASE("a short run on tiny images learns to match captions, and a checkpoint round trip keeps it") {
  ClipTrainConfig train;
  train.model = tiny_config();
  train.steps = 600;
  train.batch = 20;
  train.warmup_steps = 10;
  train.optimizer.lr = 1e-2f;
  train.threads = 1;
  ClipTrainer trainer(train, tiny_images(200));
  const ImageDataset test = tiny_images(100);
  trainer.model().set_params_view(trainer.eval_params());
  const auto classes_before =
      clip_class_embeddings(trainer.model(), zero_shot_prompts(ZeroShotPrompts::Ensemble));
  const double before = clip_zero_shot_accuracy(trainer.model(), test, classes_before);
  trainer.model().use_own_params();
  for (int i = 0; i < train.steps; ++i) {
    const StepResult r = trainer.step();
    if (i % 150 == 0 || i + 1 == train.steps) MESSAGE("step " << i << " loss " << r.loss);
  }
  trainer.model().set_params_view(trainer.eval_params());
  const auto classes = clip_class_embeddings(trainer.model(), zero_shot_prompts(ZeroShotPrompts::Ensemble));
  const double after = clip_zero_shot_accuracy(trainer.model(), test, classes);
  MESSAGE("zero-shot accuracy on tiny images: " << before << " -> " << after);
  CHECK(after > 0.9);
  CHECK(after > before + 0.3);
  const auto spanish = clip_class_embeddings(trainer.model(), zero_shot_prompts(ZeroShotPrompts::Spanish));
  CHECK(clip_zero_shot_accuracy(trainer.model(), test, spanish) > 0.8);
  // The temperature was learned and stays within CLIP's clamp.
  const double tau = trainer.model().logit_scale();
  CHECK(tau >= 1.0);
  CHECK(tau <= 100.0);
  CHECK(std::abs(trainer.model().log_scale() - kClipInitLogScale) > 1e-3);

  const std::string path =
      (std::filesystem::temp_directory_path() / ("test_clip_" + std::to_string(::getpid()) + ".ckpt"))
          .string();
  save_checkpoint(path, trainer.to_checkpoint());
  auto loaded = load_clip(path, 1);
  std::filesystem::remove(path);
  const std::vector<int> tokens = caption_tokenizer().encode("una foto de un bolso");
  const std::vector<float> a = trainer.model().text_embedding(tokens),
                           b = loaded->model->text_embedding(tokens);
  REQUIRE(a.size() == 6u);
  double norm = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k] == doctest::Approx(b[k]).epsilon(1e-6));
    norm += static_cast<double>(b[k]) * b[k];
  }
  CHECK(norm == doctest::Approx(1.0).epsilon(1e-6));  // text_embedding is L2-normalised
}
