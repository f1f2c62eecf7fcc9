// test_cond_guidance.cpp — the class-conditional 2-D MLP: its gradients against finite differences, label
// dropout's rate, checkpoints, and that a short run's class-k samples land in class k's mode.
// Not the exact guided field (exactguide's tests) and not a speed test.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "nn/cond_mlp.h"
#include "nn/model_family.h"
#include "nn/noise_classifier.h"
#include "sample/sampler.h"
#include "train/cond_objective.h"
#include "views/guidance_view.h"

using namespace difflab;

TEST_CASE("conditional MLP: backward matches central finite differences, class table included") {
  auto backend = make_cpu_backend();
  CondMlpConfig c;
  c.mlp.width = 8;
  c.mlp.depth = 2;
  c.mlp.embedding_size = 4;
  c.mlp.input_scale = 1.0f;
  c.mlp.time_scale = 0.1f;
  c.num_classes = 3;
  CondMlpModel m(c, *backend);
  CHECK(m.num_params() == CondMlpModel::count_params(c));
  // (3·4·8 + 8) + 2·(8·8 + 8) + (8·2 + 2) + 4·8
  CHECK(m.num_params() == 104u + 144u + 18u + 32u);
  m.init_params(3);
  const int B = 5;
  Rng rng(7);
  std::vector<float> input(3 * B), r(2 * B), out(2 * B);
  const std::vector<int> labels = {0, 3, 1, 2, 3};  // 3 = ∅
  for (int i = 0; i < B; ++i) {
    input[3 * i] = static_cast<float>(rng.normal());
    input[3 * i + 1] = static_cast<float>(rng.normal());
    input[3 * i + 2] = static_cast<float>(rng.below(20));
  }
  for (float& v : r) v = static_cast<float>(rng.normal());
  auto loss = [&] {
    m.forward(input.data(), labels.data(), B, out.data());
    double s = 0;
    for (int k = 0; k < 2 * B; ++k) s += static_cast<double>(out[k]) * r[k];
    return s;
  };
  loss();
  m.backward(r.data());
  std::vector<float> grads(m.num_params());
  backend->read(m.grads(), grads.data());
  float* p = m.params().host();
  int checked = 0;
  for (size_t i = 0; i < m.num_params(); i += (i >= m.num_params() - 32 ? 1 : 7)) {
    const float saved = p[i];
    const double h = 1e-2;
    p[i] = saved + static_cast<float>(h);
    const double plus = loss();
    p[i] = saved - static_cast<float>(h);
    const double minus = loss();
    p[i] = saved;
    CHECK(grads[i] == doctest::Approx((plus - minus) / (2 * h)).epsilon(2e-2).scale(1e-1));
    ++checked;
  }
  CHECK(checked > 60);
  // The table row of class 0 has a gradient; the row of ∅ too (two rows use it).
  double row0 = 0, row_null = 0;
  const size_t table = m.num_params() - 32;
  for (int k = 0; k < 8; ++k) {
    row0 += std::fabs(grads[table + k]);
    row_null += std::fabs(grads[table + 24 + k]);
  }
  CHECK(row0 > 0);
  CHECK(row_null > 0);
}

TEST_CASE("conditional MLP: the family table builds it, and the guided pass is (1 − γ) ε(∅) + γ ε(y)") {
  const ModelFamily* f = find_model_family("mlp2d-cond");
  REQUIRE(f != nullptr);
  const ModelConfigMap config = {{"width", "16"},       {"depth", "1"},      {"embedding_size", "8"},
                                 {"input_scale", "25"}, {"time_scale", "1"}, {"activation", "gelu"},
                                 {"num_classes", "4"}};
  auto backend = make_cpu_backend();
  auto model = f->make(config, *backend);
  CHECK(f->param_count(config) == model->num_params());
  CHECK(model->config_map().at("num_classes") == "4");
  model->init_params(1);
  auto& cm = dynamic_cast<CondMlpModel&>(*model);
  const NoiseSchedule s = make_schedule(ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2});
  CondMlpDenoiser d(cm, s);
  const std::vector<float> x = {0.3f, -1.0f, 1.5f, 0.2f, -0.7f, 0.9f};
  std::vector<float> u(6), c(6), g(6);
  d.predict_eps_class(x.data(), 3, 40, -1, u.data());
  d.predict_eps_class(x.data(), 3, 40, 2, c.data());
  d.predict_eps_guided(x.data(), 3, 40, 2, 3.5, g.data());
  for (int k = 0; k < 6; ++k) CHECK(g[k] == doctest::Approx(-2.5 * u[k] + 3.5 * c[k]).epsilon(1e-5));
  CHECK(u != c);
}

TEST_CASE("label dropout: the fraction of ∅ labels is p_uncond") {
  CondTrainConfig c;
  c.model.mlp.width = 8;
  c.model.mlp.depth = 1;
  c.model.mlp.embedding_size = 4;
  c.batch = 1000;
  c.train_points = 500;
  for (double p : {0.1, 0.3}) {
    c.p_uncond = p;
    CondTrainer t(c);
    long dropped = 0, total = 0;
    for (int s = 0; s < 20; ++s) {
      t.step();
      for (int l : t.objective().last_labels()) dropped += l == t.model().null_label();
      total += c.batch;
    }
    const double rate = static_cast<double>(dropped) / total;
    const double sd = std::sqrt(p * (1 - p) / total);  // binomial
    CAPTURE(rate);
    CHECK(std::fabs(rate - p) < 4 * sd);
  }
}

namespace {
GuidedEps learned_eps_for_test(CondMlpDenoiser& d) {
  return [&d](const float* xt, int n, int t, int label, double gamma, float* eps) {
    d.predict_eps_guided(xt, n, t, label, gamma, eps);
  };
}
// Fraction of the n samples within 3σ of mode k of 8gaussians (radius 2, σ = 0.1, mode k at angle 2πk/8).
double fraction_in_mode(const std::vector<float>& xy, const GaussianMixture2D& mix, int k) {
  const int n = static_cast<int>(xy.size() / 2);
  const double sigma = std::sqrt(mix.covariances[k].a);
  int in = 0;
  for (int i = 0; i < n; ++i)
    in += std::hypot(xy[2 * i] - mix.means[k][0], xy[2 * i + 1] - mix.means[k][1]) < 3 * sigma;
  return static_cast<double>(in) / n;
}
}  // namespace

TEST_CASE("a short conditional run: class-k samples land in mode k far more often than unconditional ones") {
  CondTrainConfig c;
  c.dataset = "8gaussians";
  c.model.mlp.width = 64;
  c.model.mlp.depth = 2;
  c.model.mlp.embedding_size = 32;
  c.steps = 1500;
  CondTrainer t(c);
  for (int s = 0; s < c.steps; ++s) t.step();
  auto d = t.denoiser();
  const GaussianMixture2D mix = t.dataset().oracle_mixture();
  REQUIRE(mix.size() == 8);
  SamplerConfig sc;
  sc.kind = SamplerKind::Ddim;
  sc.steps = 50;
  sc.record_trajectory = false;
  double cond_sum = 0, uncond_sum = 0;
  for (int k : {0, 3, 6}) {
    CondMlpGuidedDenoiser cond(*d, k, 1.0), uncond(*d, k, 0.0);
    Sampler a(cond, sc), b(uncond, sc);
    a.begin(standard_normal(2 * 300, 11), 1);
    a.run();
    b.begin(standard_normal(2 * 300, 11), 1);
    b.run();
    const double fc = fraction_in_mode(a.x(), mix, k), fu = fraction_in_mode(b.x(), mix, k);
    CAPTURE(k);
    CAPTURE(fc);
    CAPTURE(fu);
    CHECK(fc > 0.7);
    CHECK(fu < 0.3);
    cond_sum += fc;
    uncond_sum += fu;
  }
  MESSAGE("class-k samples in mode k: conditional " << cond_sum / 3 << ", unconditional " << uncond_sum / 3);
  // A checkpoint round trip keeps the weights and the class count.
  const Checkpoint ck = cond_checkpoint_of(t, false);
  const Checkpoint back = parse_checkpoint(serialize_checkpoint(ck), "mem");
  CHECK(back.architecture == "mlp2d-cond");
  CHECK(back.model_config.at("num_classes") == "8");
  CHECK(back.ema_params == ck.ema_params);
}

TEST_CASE("the guidance panel's live model: learned against exact guided ε̃ at noised data, and CFG samples") {
  const LabelledMixture2D g = guidance_mixture("8gaussians", 2, 0.35);
  CondTrainConfig c;  // as panel_guidance.cpp's learned_model
  c.custom_points = guidance_points(g, 8000, 1);
  c.model.mlp.width = 64;
  c.model.mlp.depth = 2;
  c.model.mlp.embedding_size = 32;
  CondTrainer trainer(c);
  for (int s = 0; s < 3000; ++s) trainer.step();
  auto learned = trainer.denoiser();
  ExactConditionalDenoiser exact_denoiser(g, trainer.schedule());
  const GuidedEps exact = exact_guided_eps(exact_denoiser);
  const PointSet data = guidance_points(g, 1000, 2);
  const std::vector<float> noise = standard_normal(2000, 77);
  for (int t : {10, 30, 60}) {
    std::vector<float> xt(2000), e(2000), l(2000);
    for (int k = 0; k < 2000; ++k)
      xt[k] = static_cast<float>(trainer.schedule().sqrt_alpha_bar[t] * data.xy[k] +
                                 trainer.schedule().sqrt_one_minus_alpha_bar[t] * noise[k]);
    for (double gamma : {0.0, 1.0, 3.0}) {
      exact(xt.data(), 1000, t, 0, gamma, e.data());
      learned->predict_eps_guided(xt.data(), 1000, t, 0, gamma, l.data());
      double diff = 0, norm = 0;
      for (int k = 0; k < 2000; ++k) diff += (e[k] - l[k]) * (e[k] - l[k]), norm += e[k] * e[k];
      MESSAGE("t = " << t << ", γ = " << gamma << ": relative RMS learned − exact "
                     << std::sqrt(diff / norm));
      CHECK(std::sqrt(diff / norm) < 0.6);
    }
  }
  SamplerConfig sc;
  sc.kind = SamplerKind::Ddim;
  sc.steps = 50;
  sc.spacing = Spacing::Trailing;
  const std::vector<float> x_T = standard_normal(2000, 1200);
  for (double gamma : {0.0, 1.0, 3.0}) {
    const GuidanceStats s = guidance_stats(guided_samples(learned_eps_for_test(*learned), trainer.schedule(),
                                                          trainer.data_box(), 0, gamma, x_T, sc, 1),
                                           g, 0);
    MESSAGE("learned CFG, γ = " << gamma << ": precision " << s.precision << ", off the data " << s.off_data
                                << ", spread " << s.mean_radius);
    if (gamma == 0.0) CHECK(s.precision < 0.65);
    if (gamma == 3.0) CHECK(s.precision > 0.9);
  }
}

TEST_CASE("noise classifier: ∇ₓ log p(y | xₜ, t) by backprop matches finite differences of log p") {
  auto backend = make_cpu_backend();
  NoiseClassifierConfig c;
  c.mlp.width = 16;
  c.mlp.depth = 2;
  c.mlp.embedding_size = 8;
  c.num_classes = 3;
  NoiseClassifierModel m(c, *backend);
  CHECK(m.num_params() == NoiseClassifierModel::count_params(c));
  m.init_params(5);
  const std::vector<float> x = {0.4f, -1.2f, 1.7f, 0.3f, -0.8f, 2.1f};
  for (int label = 0; label < 3; ++label) {
    std::vector<float> grad(6), lp(9);
    m.grad_log_prob(x.data(), 3, 25, label, grad.data());
    for (int k = 0; k < 6; ++k) {
      const double h = 1e-2;
      std::vector<float> xp = x, xm = x;
      xp[k] += static_cast<float>(h);
      xm[k] -= static_cast<float>(h);
      m.log_probs(xp.data(), 3, 25, lp.data());
      const double plus = lp[(k / 2) * 3 + label];
      m.log_probs(xm.data(), 3, 25, lp.data());
      const double minus = lp[(k / 2) * 3 + label];
      CHECK(grad[k] == doctest::Approx((plus - minus) / (2 * h)).epsilon(2e-2).scale(1e-2));
    }
  }
  // log-probabilities sum to one.
  std::vector<float> lp(9);
  m.log_probs(x.data(), 3, 0, lp.data());
  for (int i = 0; i < 3; ++i)
    CHECK(std::exp(lp[3 * i]) + std::exp(lp[3 * i + 1]) + std::exp(lp[3 * i + 2]) == doctest::Approx(1.0));
}

TEST_CASE("noise classifier: accuracy near the Bayes classifier pₜ(y|x) of the mixture at small and mid t") {
  const LabelledMixture2D g = guidance_mixture("8gaussians", 2, 0.35);
  NoiseClassifierTrainConfig c;
  c.custom_points = guidance_points(g, 8000, 1);
  c.model.mlp.width = 64;
  c.model.mlp.depth = 2;
  c.steps = 3000;
  NoiseClassifierTrainer trainer(c);
  for (int s = 0; s < c.steps; ++s) trainer.step();
  NoiseClassifierModel& m = trainer.model();
  ParamsView ema(m, trainer.ema_params());
  const NoiseSchedule& schedule = trainer.schedule();
  const PointSet test = guidance_points(g, 4000, 9);
  const std::vector<float> noise = standard_normal(8000, 4);
  for (int t : {0, 10, 30}) {
    const double ab = schedule.alpha_bar[t];
    const DiffusedMixture c0(g.class_mixture(0), ab), c1(g.class_mixture(1), ab);
    std::vector<float> xt(8000), lp(8000);
    for (int k = 0; k < 8000; ++k)
      xt[k] = static_cast<float>(schedule.sqrt_alpha_bar[t] * test.xy[k] +
                                 schedule.sqrt_one_minus_alpha_bar[t] * noise[k]);
    m.log_probs(xt.data(), 4000, t, lp.data());
    int model_right = 0, bayes_right = 0;
    for (int i = 0; i < 4000; ++i) {
      // Equal class weights: the Bayes classifier picks the larger pₜ(x | y).
      const int bayes =
          c1.evaluate(xt[2 * i], xt[2 * i + 1]).log_p > c0.evaluate(xt[2 * i], xt[2 * i + 1]).log_p;
      const int model = lp[2 * i + 1] > lp[2 * i];
      bayes_right += bayes == test.labels[i];
      model_right += model == test.labels[i];
    }
    MESSAGE("t = " << t << ": accuracy " << model_right / 4000.0 << ", Bayes " << bayes_right / 4000.0);
    CHECK(model_right / 4000.0 > bayes_right / 4000.0 - 0.03);
  }
}
