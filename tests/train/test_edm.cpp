// test_edm.cpp — EDM's preconditioning (Karras et al. 2022, Table 1 "Ours") as a model type: its closed
// forms, the D ↔ ε conversion the samplers use, the checkpoint type, and a trained 2-D model against an
// ε-model. Not the EDM samplers (tests/sample/test_fast_samplers.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "core/gaussian_mixture.h"
#include "core/metrics.h"
#include "nn/edm_precond.h"
#include "nn/mlp_denoiser.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/model_source.h"
#include "train/trainer.h"

using namespace difflab;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("difflab-test-edm-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// A small EDM trainer on 8gaussians (a few steps are enough where only the plumbing is tested).
TrainConfig edm_config(int steps) {
  TrainConfig c;
  c.dataset = "8gaussians";
  c.edm = true;
  c.model.time_scale = kEdmTimeScale;
  c.steps = steps;
  return c;
}

}  // namespace

TEST_CASE("EDM's c_skip, c_out, c_in, c_noise are Table 1's closed forms, and λ(σ) c_out(σ)² = 1") {
  const EdmPrecond p{0.5};
  // σ = 1, σ_data = 0.5: σ² + σ_data² = 1.25.
  CHECK(p.c_skip(1.0) == doctest::Approx(0.25 / 1.25).epsilon(1e-15));
  CHECK(p.c_out(1.0) == doctest::Approx(0.5 / std::sqrt(1.25)).epsilon(1e-15));
  CHECK(p.c_in(1.0) == doctest::Approx(1 / std::sqrt(1.25)).epsilon(1e-15));
  CHECK(EdmPrecond::c_noise(1.0) == 0);
  CHECK(EdmPrecond::c_noise(std::exp(4.0)) == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(p.loss_weight(1.0) == doctest::Approx(1.25 / 0.25).epsilon(1e-15));
  for (double sigma : {0.002, 0.01, 0.3, 0.5, 1.0, 7.0, 80.0, 157.0}) {
    CAPTURE(sigma);
    CHECK(p.loss_weight(sigma) * p.c_out(sigma) * p.c_out(sigma) == doctest::Approx(1.0).epsilon(1e-12));
    // c_in makes the network's input unit-variance: Var(c_in (x₀ + σ ε)) = c_in² (σ_data² + σ²) = 1.
    CHECK(p.c_in(sigma) * p.c_in(sigma) * (0.25 + sigma * sigma) == doctest::Approx(1.0).epsilon(1e-12));
    // …and the target F* = (x₀ − c_skip x̃)/c_out too (Karras et al., App. B.6): c_skip and c_out minimise it.
    const double target_variance =
        (std::pow(1 - p.c_skip(sigma), 2) * 0.25 + std::pow(p.c_skip(sigma) * sigma, 2)) /
        std::pow(p.c_out(sigma), 2);
    CHECK(target_variance == doctest::Approx(1.0).epsilon(1e-12));
  }
  // No noise: D = x̃ (c_skip → 1, c_out → 0); σ → ∞: D → c_out F with c_out → σ_data.
  CHECK(p.c_skip(1e-9) == doctest::Approx(1.0));
  CHECK(p.c_out(1e9) == doctest::Approx(0.5));
}

TEST_CASE("the effective loss: λ(σ)‖D_θ − x₀‖² equals ‖F_θ − F*‖² term by term (eq. 8 with Table 1)") {
  const EdmPrecond p{1.42};
  Rng rng(3);
  for (int i = 0; i < 100; ++i) {
    const double sigma = EdmNoiseDistribution{}.sigma(rng.normal());
    const double x0 = 2 * rng.normal(), eps = rng.normal(), f = rng.normal();
    const double x_tilde = x0 + sigma * eps;
    const double denoised = p.c_skip(sigma) * x_tilde + p.c_out(sigma) * f;
    const double f_target = p.target(sigma, x0, x_tilde);
    CHECK(p.loss_weight(sigma) * (denoised - x0) * (denoised - x0) ==
          doctest::Approx((f - f_target) * (f - f_target)).epsilon(1e-9));
  }
}

TEST_CASE("log-normal σ: ln σ has mean P_mean = −1.2 and standard deviation P_std = 1.2") {
  const EdmNoiseDistribution noise;
  Rng rng(9);
  double sum = 0, sum2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double log_sigma = std::log(noise.sigma(rng.normal()));
    sum += log_sigma;
    sum2 += log_sigma * log_sigma;
  }
  CHECK(sum / n == doctest::Approx(-1.2).epsilon(0.01));
  CHECK(std::sqrt(sum2 / n - (sum / n) * (sum / n)) == doctest::Approx(1.2).epsilon(0.01));
}

TEST_CASE("σ_data is measured from the training points: 8gaussians (radius 2, σ = 0.1) gives √(2 + 0.01)") {
  Trainer trainer(edm_config(1));
  // Each coordinate of a point on the circle of radius 2 has variance 2²/2 = 2, plus the modes' 0.1².
  CHECK(trainer.edm_precond().sigma_data == doctest::Approx(std::sqrt(2.01)).epsilon(0.03));
  TrainConfig given = edm_config(1);
  given.sigma_data = 0.5;
  CHECK(Trainer(given).edm_precond().sigma_data == 0.5);
}

TEST_CASE(
    "D ↔ ε: with F ≡ 0 on 𝒩(0, σ_data² I) the EDM denoiser is exact, ε̂ = −σ ∇ log p (finite differences)") {
  // F ≡ 0 (all weights zero) leaves D = c_skip x̃ = σ_data²/(σ² + σ_data²) x̃: the exact E[x₀ | x̃] of
  // 𝒩(0, σ_data² I) — what c_skip is built for. Its ε̂ must match the exact denoiser of that Gaussian at every
  // code index and between them, and ε = −σ ∇_x̃ log p_σ(x̃) by central differences of the density.
  const double sigma_data = 0.7;
  const NoiseSchedule schedule = make_schedule({ScheduleKind::Linear, 1000, 1e-4, 0.02});
  auto backend = make_cpu_backend();
  MlpModel model(MlpConfig{}, *backend);
  model.init_params(1);
  std::vector<float> zeros(model.num_params(), 0.0f);
  backend->write(model.params(), zeros.data());
  EdmMlpDenoiser edm(model, schedule, EdmPrecond{sigma_data});
  GaussianMixture2D gaussian;
  gaussian.weights = {1};
  gaussian.means = {{0, 0}};
  gaussian.covariances = {{sigma_data * sigma_data, 0, sigma_data * sigma_data}};
  ExactDenoiser exact(gaussian, schedule);
  const std::vector<float> x = {0.3f, -1.1f, 2.0f, 0.4f, -0.2f, 0.05f};
  std::vector<float> eps(6), eps_exact(6);
  for (int t : {0, 10, 250, 999}) {
    CAPTURE(t);
    edm.predict_eps(x.data(), 3, t, eps.data());
    exact.predict_eps(x.data(), 3, t, eps_exact.data());
    for (int k = 0; k < 6; ++k) CHECK(eps[k] == doctest::Approx(eps_exact[k]).epsilon(1e-5));
  }
  for (double sigma : {0.05, 0.8, 3.0}) {
    CAPTURE(sigma);
    const double alpha_bar = 1 / (1 + sigma * sigma), variance = sigma_data * sigma_data + sigma * sigma;
    edm.predict_eps_continuous(x.data(), 3, 0, alpha_bar, eps.data());
    for (int i = 0; i < 3; ++i)
      for (int d = 0; d < 2; ++d) {
        // log p_σ(x̃) of x̃ ~ 𝒩(0, (σ_data² + σ²) I), x̃ = x/√ᾱ, differentiated numerically in x̃_d.
        auto log_p = [&](double shift) {
          double sum = 0;
          for (int e = 0; e < 2; ++e) {
            const double v = x[2 * i + e] / std::sqrt(alpha_bar) + (e == d ? shift : 0.0);
            sum += -v * v / (2 * variance);
          }
          return sum;
        };
        const double h = 1e-4, gradient = (log_p(h) - log_p(-h)) / (2 * h);
        CHECK(eps[2 * i + d] == doctest::Approx(-sigma * gradient).epsilon(1e-5));
      }
  }
}

TEST_CASE("D ↔ ε with real weights: the samplers' x̂₀ = x̃ − σ ε̂ is the network's D(x̃, σ)") {
  Trainer trainer(edm_config(20));
  for (int i = 0; i < 20; ++i) trainer.step();
  EdmMlpDenoiser edm(trainer.model(), trainer.schedule(), trainer.edm_precond(), trainer.ema_params());
  const std::vector<float> x_tilde = {0.3f, -1.1f, 2.0f, 0.4f, -3.2f, 1.5f};
  std::vector<float> denoised(6), eps(6), x(6);
  for (double sigma : {0.01, 0.2, 1.0, 5.0, 100.0}) {
    CAPTURE(sigma);
    edm.denoise(x_tilde.data(), 3, sigma, denoised.data());
    const double alpha_bar = 1 / (1 + sigma * sigma);
    for (int k = 0; k < 6; ++k) x[k] = static_cast<float>(std::sqrt(alpha_bar) * x_tilde[k]);
    edm.predict_eps_continuous(x.data(), 3, 0, alpha_bar, eps.data());
    for (int k = 0; k < 6; ++k) {
      const double x0_hat = (x[k] - std::sqrt(1 - alpha_bar) * eps[k]) / std::sqrt(alpha_bar);  // VP x̂₀
      CHECK(x0_hat == doctest::Approx(denoised[k]).epsilon(2e-4));
    }
  }
}

TEST_CASE(
    "an EDM checkpoint records its type and σ_data, loads as the EDM denoiser, older files load as before") {
  Trainer trainer(edm_config(5));
  for (int i = 0; i < 5; ++i) trainer.step();
  const Checkpoint ck = checkpoint_of(trainer, false);
  const std::string bytes = serialize_checkpoint(ck);
  CHECK(bytes.find("\nprediction = edm\n") != std::string::npos);
  CHECK(bytes.find("\nsigma_data = ") != std::string::npos);
  CHECK(bytes.find("\nloss = edm\n") != std::string::npos);
  const Checkpoint back = parse_checkpoint(bytes, "edm.ckpt");
  CHECK(back.edm);
  CHECK(back.sigma_data == trainer.edm_precond().sigma_data);  // %.17g: bit for bit
  CHECK(back.extra.at("p_mean") == "-1.2");
  CHECK(back.ema_params == ck.ema_params);
  const std::string path = temp_path("edm.ckpt");
  save_checkpoint(path, ck);
  auto loaded = load_model(path, "", std::nullopt);
  std::filesystem::remove(path);
  auto* edm = dynamic_cast<EdmMlpDenoiser*>(&loaded->model());
  REQUIRE(edm != nullptr);
  CHECK(edm->precond().sigma_data == trainer.edm_precond().sigma_data);
  CHECK(loaded->description.find("EDM") != std::string::npos);
  // The loaded model gives the trainer's ε̂ (the same EMA weights, the same conversion).
  EdmMlpDenoiser reference(trainer.model(), trainer.schedule(), trainer.edm_precond(), trainer.ema_params());
  std::vector<float> x = {0.5f, -0.5f}, a(2), b(2);
  edm->predict_eps(x.data(), 1, 40, a.data());
  reference.predict_eps(x.data(), 1, 40, b.data());
  CHECK(a == b);

  // A checkpoint written before EDM (no sigma_data, prediction eps) is unchanged by this: same bytes, edm
  // false.
  Trainer vp(TrainConfig{});
  const std::string vp_bytes = serialize_checkpoint(checkpoint_of(vp, true));
  CHECK(vp_bytes.find("sigma_data") == std::string::npos);
  CHECK(vp_bytes.find("\nprediction = eps\n") != std::string::npos);
  CHECK_FALSE(parse_checkpoint(vp_bytes, "vp.ckpt").edm);
  // prediction = edm without its σ_data is refused, naming the key.
  std::string broken = bytes;
  const size_t at = broken.find("sigma_data = ");
  broken.replace(at, std::string("sigma_data").size(), "sigma_dat_");
  CHECK_THROWS_WITH_AS(parse_checkpoint(broken, "b.ckpt"), doctest::Contains("'sigma_data'"),
                       CheckpointError);
}

TEST_CASE("a trained EDM MLP on 8gaussians samples with edm-heun at 35 NFE about as well as the ε-model") {
  // Both: the same small MLP, the same steps, seed and data; sampled by EDM Heun on 18 Karras σ-steps (35
  // NFE) from the same x_T; sliced W₂ to held-out data. Measured: ε-model 0.112, EDM 0.082, data-vs-data
  // floor 0.120 (1,000 points each: below the floor is sampling noise). Asserted with margin: EDM within 1.5×
  // of ε.
  auto train_and_score = [](bool edm) {
    TrainConfig c;
    c.dataset = "8gaussians";
    c.model.width = 64;
    c.model.depth = 2;
    c.model.embedding_size = 64;
    c.steps = 1500;
    c.batch = 128;
    c.edm = edm;
    if (edm) c.model.time_scale = kEdmTimeScale;
    Trainer trainer(c);
    for (int i = 0; i < c.steps; ++i) REQUIRE_FALSE(trainer.step().diverged);
    EdmMlpDenoiser edm_denoiser(trainer.model(), trainer.schedule(), trainer.edm_precond(),
                                trainer.ema_params(), trainer.data_box());
    MlpDenoiser eps_denoiser(trainer.model(), trainer.schedule(), c.prediction, trainer.ema_params(),
                             trainer.data_box());
    SamplerConfig sc;
    sc.kind = SamplerKind::EdmHeun;
    sc.steps = 18;
    sc.record_trajectory = false;
    Sampler sampler(edm ? static_cast<Denoiser&>(edm_denoiser) : eps_denoiser, sc);
    sampler.begin(standard_normal(2 * 1000, 77), 78);
    sampler.run();
    CHECK(sampler.network_evaluations() == 35);
    return std::pair{sliced_wasserstein2(sampler.x(), trainer.eval_data().xy), trainer.swd_floor()};
  };
  const auto [swd_eps, floor] = train_and_score(false);
  const auto [swd_edm, floor_edm] = train_and_score(true);
  CAPTURE(swd_eps);
  CAPTURE(swd_edm);
  CAPTURE(floor);
  CHECK(floor == floor_edm);  // the same held-out data
  CHECK(swd_edm < 1.5 * swd_eps);
  CHECK(swd_edm < 2.0 * floor);
}
