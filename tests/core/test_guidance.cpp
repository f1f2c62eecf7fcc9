// test_guidance.cpp — exact pₜ(x|y), pₜ(y|x) and the guided fields against finite differences, Bayes' rule
// and the unconditional exact denoiser. Not a sampler test (tests/sample/test_guided.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "core/guidance.h"

using namespace difflab;

namespace {
// Four components, two classes that share components and overlap: class 0 = {0, 2}, class 1 = {1, 3}.
LabelledMixture2D two_class_mixture() {
  LabelledMixture2D l;
  l.mixture.weights = {0.1, 0.3, 0.2, 0.4};
  l.mixture.means = {{-1.0, 0.2}, {0.5, 0.5}, {1.2, -0.8}, {-0.3, -1.0}};
  l.mixture.covariances = {{0.3, 0.1, 0.2}, {0.05, 0.0, 0.4}, {0.2, -0.05, 0.1}, {0.5, 0.2, 0.3}};
  l.classes = {0, 1, 0, 1};
  l.validate();
  return l;
}
const NoiseSchedule kSchedule = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});
const std::pair<double, double> kPoints[] = {{0.1, 0.2}, {-1.2, 0.9}, {2.0, -1.0}, {0.25, -1.3}, {-3, 2.5}};
}  // namespace

TEST_CASE("∇ log p_t(y|x) and ∇ log p_t(x|y) equal finite differences of their logs, at every t and t = −1") {
  ExactConditionalDenoiser exact(two_class_mixture(), kSchedule);
  const double h = 1e-5;
  for (int t : {-1, 0, 10, 50, 99})
    for (int label : {0, 1})
      for (auto [x, y] : kPoints) {
        CAPTURE(t);
        CAPTURE(label);
        CAPTURE(x);
        const ConditionalQuantities q = exact.evaluate(x, y, t, label);
        auto fd = [&](double ConditionalQuantities::*field, int d) {
          const double dx = d == 0 ? h : 0, dy = d == 1 ? h : 0;
          return (exact.evaluate(x + dx, y + dy, t, label).*field -
                  exact.evaluate(x - dx, y - dy, t, label).*field) /
                 (2 * h);
        };
        for (int d = 0; d < 2; ++d) {
          CHECK(q.grad_log_prob_class[d] ==
                doctest::Approx(fd(&ConditionalQuantities::log_prob_class, d)).epsilon(1e-5).scale(1));
          CHECK(q.score_cond[d] ==
                doctest::Approx(fd(&ConditionalQuantities::log_p_cond, d)).epsilon(1e-5).scale(1));
          CHECK(q.score[d] == doctest::Approx(fd(&ConditionalQuantities::log_p, d)).epsilon(1e-5).scale(1));
        }
      }
}

TEST_CASE("Bayes' rule: p_t(y|x) = p(y) p_t(x|y) / p_t(x), with p_t(x|y) the renormalised class mixture") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  ExactDenoiser whole(l.mixture, kSchedule);
  ExactDenoiser class0(l.class_mixture(0), kSchedule), class1(l.class_mixture(1), kSchedule);
  CHECK(l.class_weight(0) == doctest::Approx(0.3));
  for (int t : {-1, 0, 30, 99})
    for (auto [x, y] : kPoints) {
      const double log_p = whole.evaluate(x, y, t).log_p;
      double total = 0;
      for (int label : {0, 1}) {
        ExactDenoiser& c = label == 0 ? class0 : class1;
        const ConditionalQuantities q = exact.evaluate(x, y, t, label);
        const ExactQuantities qc = c.evaluate(x, y, t);
        CHECK(q.log_p == doctest::Approx(log_p).epsilon(1e-12));
        CHECK(q.log_p_cond == doctest::Approx(qc.log_p).epsilon(1e-12));
        CHECK(q.score_cond[0] == doctest::Approx(qc.score[0]).epsilon(1e-12));
        CHECK(q.score_cond[1] == doctest::Approx(qc.score[1]).epsilon(1e-12));
        CHECK(std::exp(q.log_prob_class) ==
              doctest::Approx(l.class_weight(label) * std::exp(qc.log_p - log_p)).epsilon(1e-12));
        total += std::exp(q.log_prob_class);
      }
      CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
      // The classifier's log-probabilities for every class agree with evaluate().
      double all[2];
      exact.at(t).class_log_probs(x, y, all);
      for (int label : {0, 1})
        CHECK(all[label] == doctest::Approx(exact.evaluate(x, y, t, label).log_prob_class).epsilon(1e-12));
    }
}

TEST_CASE(
    "exact classifier guidance with weight γ and exact CFG with weight γ give the same field (to 1e-9)") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  ExactDenoiser whole(l.mixture, kSchedule), class1(l.class_mixture(1), kSchedule);
  for (double gamma : {0.0, 0.5, 1.0, 3.0, 7.5})
    for (int t : {0, 20, 70})
      for (auto [x, y] : kPoints) {
        const ConditionalQuantities q = exact.evaluate(x, y, t, 1);
        double cfg[2], classifier[2];
        guided_score_cfg(q, gamma, cfg);
        guided_score_classifier(q, gamma, classifier);
        // And from independent code: the existing unconditional and class-1 exact denoisers for CFG.
        const ExactQuantities u = whole.evaluate(x, y, t), c = class1.evaluate(x, y, t);
        for (int d = 0; d < 2; ++d) {
          const double scale = std::abs(cfg[d]) + 1;
          CHECK(std::abs(cfg[d] - classifier[d]) < 1e-9 * scale);
          CHECK(std::abs((1 - gamma) * u.score[d] + gamma * c.score[d] - classifier[d]) < 1e-9 * scale);
        }
      }
}

TEST_CASE(
    "the exact conditional denoiser: label −1 is the unconditional ε*, a class its class mixture's ε*") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  ExactDenoiser whole(l.mixture, kSchedule), class0(l.class_mixture(0), kSchedule);
  const float xt[] = {0.1f, 0.2f, -1.2f, 0.9f, 2.0f, -1.0f};
  float e[6], u[6], c[6], pc[6], pu[6];
  for (int t : {0, 40, 99}) {
    exact.predict_eps(xt, 3, t, e);
    whole.predict_eps(xt, 3, t, u);
    exact.predict_eps_class(xt, 3, t, 0, pc);
    class0.predict_eps(xt, 3, t, c);
    for (int i = 0; i < 6; ++i) {
      CHECK(e[i] == doctest::Approx(u[i]).epsilon(1e-6));
      CHECK(pc[i] == doctest::Approx(c[i]).epsilon(1e-6));
    }
    exact.predict_eps_pair(xt, 3, t, 0, pc, pu);
    for (int i = 0; i < 6; ++i) {
      CHECK(pc[i] == doctest::Approx(c[i]).epsilon(1e-6));
      CHECK(pu[i] == doctest::Approx(u[i]).epsilon(1e-6));
    }
  }
  // Between the steps: exact at any ᾱ.
  const double ab = 0.5 * (kSchedule.alpha_bar[10] + kSchedule.alpha_bar[11]);
  exact.predict_eps_class_continuous(xt, 3, 10.5, ab, 0, pc);
  class0.predict_eps_continuous(xt, 3, 10.5, ab, c);
  for (int i = 0; i < 6; ++i) CHECK(pc[i] == doctest::Approx(c[i]).epsilon(1e-6));
  exact.predict_eps_continuous(xt, 3, 10.5, ab, e);
  whole.predict_eps_continuous(xt, 3, 10.5, ab, u);
  for (int i = 0; i < 6; ++i) CHECK(e[i] == doctest::Approx(u[i]).epsilon(1e-6));
  CHECK_THROWS_AS(exact.predict_eps_class(xt, 3, 0, 2, pc), std::out_of_range);
  CHECK_THROWS_AS(exact.predict_eps_class(xt, 3, 0, -2, pc), std::out_of_range);
}

TEST_CASE("the exact noise classifier: log-probabilities sum to 1 and its gradient is ∇ log p_t(y|x)") {
  ExactConditionalDenoiser exact(two_class_mixture(), kSchedule);
  ExactNoiseClassifier classifier(exact);
  CHECK(classifier.num_classes() == 2);
  const float xt[] = {0.1f, 0.2f, -1.2f, 0.9f};
  float lp[4], g[4];
  classifier.log_probs(xt, 2, 25, lp);
  for (int i = 0; i < 2; ++i) CHECK(std::exp(lp[2 * i]) + std::exp(lp[2 * i + 1]) == doctest::Approx(1.0));
  classifier.grad_log_prob(xt, 2, 25, 1, g);
  const ConditionalQuantities q = exact.evaluate(-1.2, 0.9, 25, 1);
  CHECK(g[2] == doctest::Approx(q.grad_log_prob_class[0]).epsilon(1e-6));
  CHECK(g[3] == doctest::Approx(q.grad_log_prob_class[1]).epsilon(1e-6));
  CHECK_THROWS_AS(classifier.grad_log_prob(xt, 2, 25, -1, g), std::out_of_range);
}

TEST_CASE("labelled mixtures refuse mismatched sizes, classes out of range and classes without a component") {
  LabelledMixture2D l = two_class_mixture();
  l.classes = {0, 1, 0};
  CHECK_THROWS_WITH(l.validate(), doctest::Contains("one class per component (4 components, 3 classes)"));
  l.classes = {0, 2, 0, 2};
  CHECK_THROWS_WITH(l.validate(), doctest::Contains("class 1 has no component"));
  l.classes = {0, 1, 0, 0};
  l.mixture.weights = {0.1, 0, 0.2, 0.4};  // class 1's only component has weight 0
  CHECK_THROWS_WITH(l.validate(), doctest::Contains("class 1 has zero weight"));
  l = two_class_mixture();
  l.classes = {0, 1, 0, 1000};
  CHECK_THROWS_WITH(l.validate(), doctest::Contains("classes must be 0 … 999"));
  const LabelledMixture2D one = LabelledMixture2D::one_class_per_component(two_class_mixture().mixture);
  CHECK(one.num_classes == 4);
  CHECK(one.class_weight(3) == doctest::Approx(0.4));
}
