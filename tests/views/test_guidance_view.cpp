// test_guidance_view.cpp — the guidance panel's computations at its default settings (8gaussians, classes =
// even/odd modes, σ = 0.35, DDIM 50 trailing, 1000 x_T of seed 1200): the numbers lessons 12–13 quote.
// Not the panel's drawing and not the learned model's training (tests/train/test_cond_guidance.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/gaussian_mixture.h"
#include "core/guidance.h"
#include "core/schedule.h"
#include "views/guidance_view.h"

using namespace difflab;

namespace {
struct Defaults {
  LabelledMixture2D mixture = guidance_mixture("8gaussians", 2, 0.35);
  NoiseSchedule schedule = make_schedule(ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2});
  std::vector<float> x_T = standard_normal(2 * 1000, 1200);
  SamplerConfig config = [] {
    SamplerConfig c;
    c.kind = SamplerKind::Ddim;
    c.steps = 50;
    c.spacing = Spacing::Trailing;
    return c;
  }();
};
double mean_norm(const std::vector<float>& xy) {
  double r = 0;
  for (size_t i = 0; i < xy.size() / 2; ++i) r += std::hypot(xy[2 * i], xy[2 * i + 1]);
  return r / (xy.size() / 2);
}
}  // namespace

TEST_CASE("labelled mixture: 8gaussians with 2 classes is the even and the odd modes, σ replaced") {
  const LabelledMixture2D g = guidance_mixture("8gaussians", 2, 0.35);
  CHECK(g.num_classes == 2);
  CHECK(g.components_of(0) == std::vector<int>{0, 2, 4, 6});
  CHECK(g.class_mixture(1).size() == 4);
  CHECK(g.mixture.covariances[3].a == doctest::Approx(0.35 * 0.35));
  const PointSet p = guidance_points(g, 4000, 1);
  int ones = 0;
  for (int l : p.labels) ones += l;
  CHECK(ones == doctest::Approx(2000).epsilon(0.05));
}

TEST_CASE("the tilted target at γ = 0 is p(x) and at γ = 1 is p(x|y): precision ≈ 1/2 and ≈ in-class") {
  const LabelledMixture2D g = guidance_mixture("8gaussians", 2, 0.1);  // well separated: closed forms apply
  const GuidanceStats s0 = guidance_stats(tilted_samples(g, 0, 0.0, 4000, 1), g, 0);
  const GuidanceStats s1 = guidance_stats(tilted_samples(g, 0, 1.0, 4000, 1), g, 0);
  CHECK(s0.precision == doctest::Approx(0.5 * (1 - std::exp(-4.5))).epsilon(0.05));
  // In 2-D, P(r < 3σ) = 1 − e^(−9/2) = 0.989; the mean distance to the mode is σ√(π/2) = 0.1253.
  CHECK(s1.precision == doctest::Approx(1 - std::exp(-4.5)).epsilon(0.01));
  CHECK(s1.mean_radius == doctest::Approx(0.1 * std::sqrt(M_PI / 2)).epsilon(0.04));
  CHECK(s1.modes_covered == 4);
  // 1 % of the data itself lies outside the data's 99 % region, by construction.
  CHECK(s0.off_data == doctest::Approx(0.01).epsilon(0.6));
}

TEST_CASE(
    "exact guidance at the panel's defaults: precision rises, spread falls, then samples leave the data") {
  Defaults d;
  ExactConditionalDenoiser exact_denoiser(d.mixture, d.schedule);
  const GuidedEps exact = exact_guided_eps(exact_denoiser);
  std::printf("γ    precision  off-data  covered  spread  mean|x| | tilted: precision off spread\n");
  std::vector<GuidanceStats> guided, tilted;
  std::vector<double> norm;
  const std::vector<double> gammas = {0, 1, 3, 10};
  for (double gamma : gammas) {
    const auto xs = guided_samples(exact, d.schedule, {}, 0, gamma, d.x_T, d.config, 1);
    guided.push_back(guidance_stats(xs, d.mixture, 0));
    tilted.push_back(guidance_stats(tilted_samples(d.mixture, 0, gamma, 1000, 5), d.mixture, 0));
    norm.push_back(mean_norm(xs));
    const GuidanceStats& g = guided.back();
    const GuidanceStats& t = tilted.back();
    std::printf("%4.1f %9.3f %9.3f %5d/%d %8.3f %8.3f | %7.3f %7.3f %7.3f\n", gamma, g.precision, g.off_data,
                g.modes_covered, g.class_modes, g.mean_radius, norm.back(), t.precision, t.off_data,
                t.mean_radius);
  }
  // γ = 0 is the unconditional model: half the samples in class 0's modes.
  CHECK(guided[0].precision == doctest::Approx(0.5).epsilon(0.1));
  // γ = 1 samples p(x|y): the same precision and spread as the target (DDIM-50 discretisation aside).
  CHECK(guided[1].precision == doctest::Approx(tilted[1].precision).epsilon(0.03));
  CHECK(guided[1].mean_radius == doctest::Approx(tilted[1].mean_radius).epsilon(0.12));
  // γ = 3: precision up, spread down — and well below the tilted target's spread: NOT p(x|y)^γ p(x)^(1−γ).
  CHECK(guided[2].precision > guided[1].precision);
  CHECK(guided[2].mean_radius < 0.8 * tilted[2].mean_radius);
  // γ = 10: pushed outwards, away from the other class's neighbouring modes: off the data.
  CHECK(norm[3] > norm[1] + 0.25);
  CHECK(guided[3].off_data >= 1.5 * tilted[3].off_data);
  CHECK(guided[3].off_data >= 2 * guided[1].off_data);
}

TEST_CASE("the view's exact guided ε̃ is core's: −σₜ × the CFG score, and (1 − γ) ε*(p) + γ ε*(p(x|y))") {
  Defaults d;
  ExactConditionalDenoiser core(d.mixture, d.schedule);
  const GuidedEps view = exact_guided_eps(core);
  // Two independent routes to the same field: core's closed-form quantities at each point, and the
  // unconditional perfect denoiser of p(x) and of p(x | y) (core/gaussian_mixture.h) mixed with γ.
  ExactDenoiser full(d.mixture.mixture, d.schedule), of_class(d.mixture.class_mixture(1), d.schedule);
  const std::vector<float> x = standard_normal(2 * 200, 31);
  for (int t : {0, 30, 99})
    for (double gamma : {0.0, 1.0, 3.0, 10.0}) {
      CAPTURE(t);
      CAPTURE(gamma);
      std::vector<float> eps(x.size()), eps_full(x.size()), eps_class(x.size());
      view(x.data(), 200, t, 1, gamma, eps.data());
      full.predict_eps(x.data(), 200, t, eps_full.data());
      of_class.predict_eps(x.data(), 200, t, eps_class.data());
      const double sigma = d.schedule.sqrt_one_minus_alpha_bar[t];
      double worst_score = 0, worst_mix = 0;
      for (int i = 0; i < 200; ++i) {
        const ConditionalQuantities q = core.evaluate(x[2 * i], x[2 * i + 1], t, 1);
        double score[2];
        guided_score_cfg(q, gamma, score);
        for (int c = 0; c < 2; ++c) {
          const double mixed = (1 - gamma) * eps_full[2 * i + c] + gamma * eps_class[2 * i + c];
          worst_score = std::max(worst_score, std::abs(eps[2 * i + c] + sigma * score[c]));
          worst_mix = std::max(worst_mix, std::abs(eps[2 * i + c] - mixed) / (1 + std::abs(mixed)));
        }
      }
      CHECK(worst_score < 1e-5 * (1 + gamma));
      CHECK(worst_mix < 1e-5 * (1 + gamma));
    }
  // The unconditional field (label −1) is ε* of p(x) whatever γ.
  std::vector<float> none(x.size()), full_eps(x.size());
  view(x.data(), 200, 30, -1, 5.0, none.data());
  full.predict_eps(x.data(), 200, 30, full_eps.data());
  for (size_t k = 0; k < x.size(); ++k) CHECK(none[k] == doctest::Approx(full_eps[k]).epsilon(1e-5));
}
