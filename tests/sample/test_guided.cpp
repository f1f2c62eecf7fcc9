// test_guided.cpp — guided sampling with the exact labelled mixture: the CFG and classifier-guided wrappers,
// the annealed-SMC reference for the tilted density, and the lesson: guided sampling does not sample the
// tilted density. Not a model test: the exact mixture stands in for perfectly trained networks.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "core/guidance.h"
#include "core/metrics.h"
#include "data/toy2d.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "sample/tilted_mcmc.h"

using namespace difflab;

namespace {
const NoiseSchedule kSchedule = make_schedule({ScheduleKind::Linear, 100, 1e-3, 0.2});  // the 2-D default

// Two overlapping classes of two components each (class 0 = {0, 2}, class 1 = {1, 3}).
LabelledMixture2D two_class_mixture() {
  LabelledMixture2D l;
  l.mixture.weights = {0.1, 0.3, 0.2, 0.4};
  l.mixture.means = {{-1.0, 0.2}, {0.5, 0.5}, {1.2, -0.8}, {-0.3, -1.0}};
  l.mixture.covariances = {{0.3, 0.1, 0.2}, {0.05, 0.0, 0.4}, {0.2, -0.05, 0.1}, {0.5, 0.2, 0.3}};
  l.classes = {0, 1, 0, 1};
  l.validate();
  return l;
}

std::vector<float> run(Denoiser& d, SamplerKind kind, int n, uint64_t seed, int steps = 0) {
  SamplerConfig c;
  c.kind = kind;
  c.steps = steps;
  c.record_trajectory = false;
  Sampler s(d, c);
  s.begin(standard_normal(2 * n, seed), seed + 1);
  s.run();
  return s.x();
}

// Counts the calls a CFG step makes.
class CountingDenoiser : public ConditionalDenoiser {
 public:
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return kSchedule; }
  int num_classes() const override { return 3; }
  void predict_eps_class(const float*, int n, int, int label, float* eps) override {
    ++class_calls;
    for (int i = 0; i < 2 * n; ++i) eps[i] = static_cast<float>(label + 1);  // ∅ → 0, class y → y + 1
  }
  void predict_eps_pair(const float*, int n, int, int label, float* c, float* u) override {
    ++pair_calls;
    for (int i = 0; i < 2 * n; ++i) {
      c[i] = static_cast<float>(label + 1);
      u[i] = 0;
    }
  }
  int class_calls = 0, pair_calls = 0;
};

struct Moments {
  double mean[2] = {0, 0}, cov[3] = {0, 0, 0};  // cov: xx, xy, yy
};
Moments moments(const std::vector<float>& xy) {
  Moments m;
  const size_t n = xy.size() / 2;
  for (size_t i = 0; i < n; ++i) {
    m.mean[0] += xy[2 * i] / double(n);
    m.mean[1] += xy[2 * i + 1] / double(n);
  }
  for (size_t i = 0; i < n; ++i) {
    const double dx = xy[2 * i] - m.mean[0], dy = xy[2 * i + 1] - m.mean[1];
    m.cov[0] += dx * dx / double(n);
    m.cov[1] += dx * dy / double(n);
    m.cov[2] += dy * dy / double(n);
  }
  return m;
}
}  // namespace

TEST_CASE("CFG: γ = 0 is one unconditional pass, γ = 1 one conditional pass, else ONE paired call") {
  CountingDenoiser d;
  const float x[4] = {0, 0, 1, 1};
  float eps[4];
  CfgDenoiser g0(d, 2, 0.0), g1(d, 2, 1.0), g3(d, 2, 3.0);
  g0.predict_eps(x, 2, 5, eps);
  CHECK(eps[0] == 0.0f);
  g1.predict_eps(x, 2, 5, eps);
  CHECK(eps[0] == 3.0f);
  CHECK(d.class_calls == 2);
  g3.predict_eps(x, 2, 5, eps);  // (1 − 3)·0 + 3·3
  CHECK(eps[3] == 9.0f);
  CHECK(d.pair_calls == 1);
  CHECK(d.class_calls == 2);
  CHECK_THROWS_AS(CfgDenoiser(d, 3, 1.0), std::out_of_range);
  CHECK_THROWS_AS(CfgDenoiser(d, 0, NAN), std::invalid_argument);
}

TEST_CASE("with exact fields, CFG(γ) = classifier guidance(γ), γ = 0 is ε*, γ = 1 the class's ε*") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  ExactNoiseClassifier classifier(exact);
  ExactDenoiser whole(l.mixture, kSchedule), class1(l.class_mixture(1), kSchedule);
  const float x[] = {0.1f, 0.2f, -1.2f, 0.9f, 2.0f, -1.0f, 0.25f, -1.3f};
  float a[8], b[8], ref[8];
  for (double gamma : {0.0, 1.0, 2.5, 7.5})
    for (int t : {0, 30, 99}) {
      CfgDenoiser cfg(exact, 1, gamma);
      ClassifierGuidedDenoiser cg(whole, classifier, 1, gamma);
      cfg.predict_eps(x, 4, t, a);
      cg.predict_eps(x, 4, t, b);
      for (int i = 0; i < 8; ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-5).scale(1));
      if (gamma == 0) whole.predict_eps(x, 4, t, ref);
      if (gamma == 1) class1.predict_eps(x, 4, t, ref);
      if (gamma <= 1)
        for (int i = 0; i < 8; ++i) CHECK(a[i] == doctest::Approx(ref[i]).epsilon(1e-6));
      // Between the steps (σ-step samplers): CFG is exact at ᾱ; the classifier is asked at the nearest t.
      const double ab = kSchedule.alpha_bar[t];
      cfg.predict_eps_continuous(x, 4, t, ab, a);
      cg.predict_eps_continuous(x, 4, t, ab, b);
      for (int i = 0; i < 8; ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-5).scale(1));
    }
}

TEST_CASE("guided sampling at γ = 1 with the exact conditional field samples class y (DDPM, DDIM, ODE)") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  const int n = 3000;
  for (int label : {0, 1}) {
    CfgDenoiser guided(exact, label, 1.0);
    const GaussianMixture2D cls = l.class_mixture(label);
    const std::vector<float> ref = sample_diffused(cls, 1.0, n, 100 + label);
    const double floor = sliced_wasserstein2(ref, sample_diffused(cls, 1.0, n, 200 + label));
    for (SamplerKind kind : {SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::OdeHeun}) {
      const double swd = sliced_wasserstein2(run(guided, kind, n, 7), ref);
      MESSAGE("class " << label << " " << sampler_kind_name(kind) << ": SW2 " << swd << " floor " << floor);
      // DDPM's last step returns the posterior mean (no noise), which narrows each mode slightly: 1.9× the
      // floor.
      CHECK(swd < 2.5 * floor);
    }
    const double other = sliced_wasserstein2(sample_diffused(l.mixture, 1.0, n, 300), ref);
    CHECK(other > 4 * floor);
  }
}

TEST_CASE(
    "annealed SMC (MALA moves) samples a Gaussian tilted density with its closed-form mean and covariance") {
  // p = 𝒩(μ₀, Σ₀), q = 𝒩(μ₁, Σ₁); p^(1−γ) q^γ is Gaussian with precision P = (1−γ)Σ₀⁻¹ + γΣ₁⁻¹ and mean
  // P⁻¹((1−γ)Σ₀⁻¹μ₀ + γΣ₁⁻¹μ₁). With Σ₀ = 2I, Σ₁ = diag(0.5, 0.25), γ = 3: P = diag(5, 11).
  const double gamma = 3, mu0[2] = {0.5, -0.5}, mu1[2] = {1.0, 0.4}, s0[2] = {2, 2}, s1[2] = {0.5, 0.25};
  AnnealedTarget target = [&](double x, double y, double* lb, double gb[2], double* lt, double gt[2]) {
    const double v[2] = {x, y};
    *lb = *lt = 0;
    for (int d = 0; d < 2; ++d) {
      const double a = (v[d] - mu0[d]) / s0[d], b = (v[d] - mu1[d]) / s1[d];
      *lb -= 0.5 * (v[d] - mu0[d]) * a;
      gb[d] = -a;
      *lt += gamma * (-0.5 * (v[d] - mu1[d]) * b + 0.5 * (v[d] - mu0[d]) * a);
      gt[d] = gamma * (-b + a);
    }
  };
  GaussianMixture2D base;
  base.weights = {1};
  base.means = {{mu0[0], mu0[1]}};
  base.covariances = {{s0[0], 0, s0[1]}};
  AnnealedSmcConfig config;
  config.chains = 4000;
  const AnnealedSmcResult r = annealed_smc(target, sample_diffused(base, 1.0, config.chains, 3), config);
  const Moments m = moments(r.xy);
  for (int d = 0; d < 2; ++d) {
    const double precision = (1 - gamma) / s0[d] + gamma / s1[d];
    const double mean = ((1 - gamma) * mu0[d] / s0[d] + gamma * mu1[d] / s1[d]) / precision;
    const double var = 1 / precision, n = config.chains;
    CAPTURE(d);
    // 5 standard errors of a mean (√(var/n)) and of a variance (var·√(2/n)).
    CHECK(std::abs(m.mean[d] - mean) < 5 * std::sqrt(var / n));
    CHECK(std::abs(m.cov[2 * d] - var) < 5 * var * std::sqrt(2 / n));
  }
  CHECK(std::abs(m.cov[1]) < 5 * std::sqrt(1.0 / 5 / 11 / config.chains));
  MESSAGE("Gaussian tilted: acceptance " << r.acceptance << ", h " << r.step_size << ", resamplings "
                                         << r.resamplings << ", min ESS " << r.min_ess_fraction);
  CHECK(r.acceptance > 0.4);
  CHECK(r.acceptance < 0.8);
}

TEST_CASE("the tilted-density sampler of a labelled mixture matches grid quadrature of p(x|y)^γ p(x)^(1−γ)") {
  const LabelledMixture2D l = two_class_mixture();
  const DiffusedLabelledMixture data(l, 1.0);
  for (double gamma : {0.5, 3.0}) {
    // Quadrature on [−4, 4]² with 400² cells.
    double z = 0, mx = 0, my = 0;
    const int cells = 400;
    const double lo = -4, width = 8.0 / cells;
    for (int i = 0; i < cells; ++i)
      for (int j = 0; j < cells; ++j) {
        const double x = lo + (i + 0.5) * width, y = lo + (j + 0.5) * width;
        const double p = std::exp(tilted_log_density(data.evaluate(x, y, 1), gamma));
        z += p;
        mx += p * x;
        my += p * y;
      }
    mx /= z;
    my /= z;
    double vx = 0, vy = 0;
    for (int i = 0; i < cells; ++i)
      for (int j = 0; j < cells; ++j) {
        const double x = lo + (i + 0.5) * width, y = lo + (j + 0.5) * width;
        const double p = std::exp(tilted_log_density(data.evaluate(x, y, 1), gamma)) / z;
        vx += p * (x - mx) * (x - mx);
        vy += p * (y - my) * (y - my);
      }
    AnnealedSmcConfig config;
    const AnnealedSmcResult r = sample_tilted(l, 1, gamma, 1.0, config);
    const Moments m = moments(r.xy);
    const double n = config.chains;
    MESSAGE("γ = " << gamma << ": quadrature mean (" << mx << ", " << my << "), SMC (" << m.mean[0] << ", "
                   << m.mean[1] << "); var (" << vx << ", " << vy << ") vs (" << m.cov[0] << ", " << m.cov[2]
                   << "); acceptance " << r.acceptance);
    CHECK(std::abs(m.mean[0] - mx) < 5 * std::sqrt(vx / n));
    CHECK(std::abs(m.mean[1] - my) < 5 * std::sqrt(vy / n));
    CHECK(std::abs(m.cov[0] - vx) < 6 * vx * std::sqrt(2 / n));
    CHECK(std::abs(m.cov[2] - vy) < 6 * vy * std::sqrt(2 / n));
  }
}

TEST_CASE("the lesson: sampling with the exact guided field does NOT sample p(x|y)^γ p(x)^(1−γ)") {
  // Sliced W₂ between guided probability-flow ODE samples and annealed-SMC samples of the tilted density,
  // against the floor (two independent SMC runs).
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  AnnealedSmcConfig config;
  for (double gamma : {1.0, 3.0, 5.0}) {
    CfgDenoiser guided(exact, 1, gamma);
    const std::vector<float> ode = run(guided, SamplerKind::OdeHeun, config.chains, 11);
    config.seed = 1;
    const std::vector<float> a = sample_tilted(l, 1, gamma, 1.0, config).xy;
    config.seed = 2;
    const std::vector<float> b = sample_tilted(l, 1, gamma, 1.0, config).xy;
    const double floor = sliced_wasserstein2(a, b), swd = sliced_wasserstein2(ode, a);
    MESSAGE("two classes, γ = " << gamma << ": SW2(guided ODE, tilted SMC) = " << swd << ", floor " << floor
                                << ", mean log p(x): guided " << mean_log_density(l.mixture, ode)
                                << ", tilted " << mean_log_density(l.mixture, a));
    if (gamma == 1)
      CHECK(swd < 2 * floor);
    else
      // 0.127 against a floor of 0.073 at γ = 3, 0.240 against 0.039 at γ = 5: overlapping classes differ
      // less than separated modes (8 Gaussians below).
      CHECK(swd > (gamma == 3 ? 1.5 : 3.0) * floor);
  }
}

TEST_CASE(
    "the lesson on 8 Gaussians: the guided ODE moves off p(x|y)^γ p(x)^(1−γ) and off the data as γ grows") {
  // Class 0 is the mode at (2, 0). The tilted density is (up to e^−150) that mode itself for every γ ≥ 0:
  // near it p(x) ≈ p(x|y)/8. The guided probability-flow ODE instead pushes samples outward, away from the
  // other modes, and at γ = 10 every sample lies beyond 3σ of every mode. Sliced W₂ against the floor of two
  // independent SMC runs of the same size (4000 chains).
  const LabelledMixture2D l = Dataset2D::load("8gaussians").labelled_oracle_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  const int n = 4000;
  AnnealedSmcConfig config;
  config.chains = n;
  double previous_off = -1, previous_swd = 0, previous_radius = 0;
  for (double gamma : {1.0, 3.0, 10.0}) {
    CfgDenoiser guided(exact, 0, gamma);
    const std::vector<float> ode = run(guided, SamplerKind::OdeHeun, n, 5);
    const std::vector<float> ddpm = run(guided, SamplerKind::Ddpm, n, 5);
    config.seed = 1;
    const std::vector<float> tilted = sample_tilted(l, 0, gamma, 1.0, config).xy;
    config.seed = 2;
    const std::vector<float> tilted2 = sample_tilted(l, 0, gamma, 1.0, config).xy;
    const double floor = sliced_wasserstein2(tilted, tilted2), swd = sliced_wasserstein2(ode, tilted);
    const double off_ode = fraction_off_modes(l.mixture, ode),
                 off_tilted = fraction_off_modes(l.mixture, tilted);
    const double radius = moments(ode).mean[0];
    MESSAGE("8gaussians class 0, γ = "
            << gamma << ": SW2(ODE, tilted) " << swd << " (floor " << floor << "), SW2(DDPM, tilted) "
            << sliced_wasserstein2(ddpm, tilted) << "; off 3σ of every mode: ODE " << off_ode << ", DDPM "
            << fraction_off_modes(l.mixture, ddpm) << ", tilted " << off_tilted << "; mean log p: ODE "
            << mean_log_density(l.mixture, ode) << ", DDPM " << mean_log_density(l.mixture, ddpm)
            << ", tilted " << mean_log_density(l.mixture, tilted) << "; ODE mean x " << radius);
    // The tilted density is class 0's Gaussian: 𝒩((2, 0), 0.01 I), beyond 3σ with probability e^−4.5 = 0.011.
    const Moments t = moments(tilted);
    CHECK(std::abs(t.mean[0] - 2) < 5 * 0.1 / std::sqrt(n));
    CHECK(t.cov[0] == doctest::Approx(0.01).epsilon(5 * std::sqrt(2.0 / n)));
    CHECK(off_tilted == doctest::Approx(std::exp(-4.5)).epsilon(0.5));
    if (gamma == 1) {
      CHECK(swd < 2 * floor);
    } else {
      CHECK(swd > 10 * floor);
      CHECK(swd > previous_swd);
      CHECK(off_ode > previous_off);
      CHECK(radius > previous_radius + 0.1);
    }
    previous_swd = swd;
    previous_off = off_ode;
    previous_radius = radius;
  }
  CHECK(previous_off > 0.99);  // γ = 10: every ODE sample is off the data
}

TEST_CASE("σ-step samplers use the exact guided field between the steps: EDM-Heun agrees with the ODE") {
  const LabelledMixture2D l = two_class_mixture();
  ExactConditionalDenoiser exact(l, kSchedule);
  CfgDenoiser guided(exact, 0, 3.0);
  const int n = 2000;
  const std::vector<float> ode = run(guided, SamplerKind::OdeHeun, n, 9);
  const std::vector<float> edm = run(guided, SamplerKind::EdmHeun, n, 9, 200);
  // Same x_T, the same ODE solved two ways: far closer than two independent samples (floor ≈ 0.03 at n =
  // 2000).
  const double swd = sliced_wasserstein2(ode, edm);
  MESSAGE("SW2(ODE-Heun 100 steps, EDM-Heun 200 σ-steps) at γ = 3: " << swd);
  CHECK(swd < 0.01);
}

TEST_CASE("a point-set preset (moons): guided samples at γ = 1 land by the reference points of their class") {
  const Dataset2D data = Dataset2D::load("moons");
  const LabelledMixture2D l = data.labelled_oracle_mixture(1000);
  ExactConditionalDenoiser exact(l, kSchedule);
  for (int label : {0, 1}) {
    CfgDenoiser guided(exact, label, 1.0);
    const std::vector<float> x = run(guided, SamplerKind::Ddim, 500, 4);
    int right = 0;
    for (size_t i = 0; i < x.size() / 2; ++i) {
      double best = INFINITY;
      int best_label = -1;
      for (int k = 0; k < l.mixture.size(); ++k) {
        const double dx = x[2 * i] - l.mixture.means[k][0], dy = x[2 * i + 1] - l.mixture.means[k][1];
        if (dx * dx + dy * dy < best) {
          best = dx * dx + dy * dy;
          best_label = l.classes[k];
        }
      }
      right += best_label == label;
    }
    CHECK(right >= 495);
  }
}

TEST_CASE(
    "per-class precision and mode coverage against γ, 5 classes × 5 modes (the trade-off, exact fields)") {
  // The 25-Gaussian grid (σ = 0.08) labelled by column: class 0 is the column x = −2.
  LabelledMixture2D l;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) {
      l.mixture.weights.push_back(1);
      l.mixture.means.push_back({i - 2.0, j - 2.0});
      l.mixture.covariances.push_back({0.0064, 0, 0.0064});
      l.classes.push_back(i);
    }
  l.validate();
  ExactConditionalDenoiser exact(l, kSchedule);
  const int n = 2000;
  double ode_precision[3], ddpm_precision[3];
  int ode_modes[3], ddpm_modes[3];
  const double gammas[3] = {1.0, 3.0, 10.0};
  for (int g = 0; g < 3; ++g) {
    CfgDenoiser guided(exact, 0, gammas[g]);
    const std::vector<float> ode = run(guided, SamplerKind::OdeHeun, n, 3),
                             ddpm = run(guided, SamplerKind::Ddpm, n, 3);
    ode_precision[g] = fraction_in_class_modes(l, 0, ode);
    ddpm_precision[g] = fraction_in_class_modes(l, 0, ddpm);
    ode_modes[g] = class_modes_covered(l, 0, ode);
    ddpm_modes[g] = class_modes_covered(l, 0, ddpm);
    MESSAGE("γ = " << gammas[g] << ": precision ODE " << ode_precision[g] << ", DDPM " << ddpm_precision[g]
                   << "; modes covered ODE " << ode_modes[g] << "/5, DDPM " << ddpm_modes[g] << "/5");
  }
  CHECK(ode_precision[0] > 0.98);
  CHECK(ode_modes[0] == 5);
  CHECK(ode_precision[2] < 0.05);  // γ = 10: the ODE's samples have left class 0's modes
  CHECK(ode_modes[2] == 0);
  for (int g = 0; g < 3; ++g) {  // exact DDPM keeps both
    CHECK(ddpm_precision[g] > 0.98);
    CHECK(ddpm_modes[g] == 5);
  }
  // Unconditional samples: one in five lands in class 0's column.
  CfgDenoiser none(exact, 0, 0.0);
  CHECK(fraction_in_class_modes(l, 0, run(none, SamplerKind::Ddpm, n, 3)) ==
        doctest::Approx(0.2).epsilon(0.15));
}
