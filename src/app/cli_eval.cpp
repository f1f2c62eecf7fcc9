// cli_eval.cpp — `difflab eval`: L_simple per t, the variational bound term by term, sliced W₂; for images
// bits/dim and FID. Not training; the numbers are in nats per data point (summed over the 2 coordinates).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <chrono>
#include <filesystem>
#include <numbers>
#include <optional>
#include <sstream>
#include <thread>
#include "app/cli.h"
#include "app/cli_guidance.h"
#include "app/progress.h"
#include "app/sampler_options.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/metrics.h"
#include "core/mode_metrics.h"
#include "core/vlb.h"
#include "data/idx.h"
#include "data/toy2d.h"
#include "sample/nfe_sweep.h"
#include "sample/sampler.h"
#include "sample/sampler_table.h"
#include "train/classifier_trainer.h"
#include "train/frechet_distance.h"
#include "train/image_flow_objective.h"
#include "train/image_quality.h"
#include "train/model_source.h"
#include "train/trainer.h"

namespace difflab {
namespace {

// The Fréchet distance (Heusel et al. 2017) between classifier features of N model samples (DDIM, `steps`
// steps, η = 0, x̂₀ clipped) and the first N test images, and its floor: test images N … 2N−1 against the same
// first N.
struct FidResult {
  bool computed = false;
  std::string note;  // why it was skipped
  std::string classifier;
  int samples = 0, steps = 0;
  double fid = NAN, floor = NAN, seconds = 0;
};

// Is this checkpoint a velocity network (trained with --objective flow)?
bool is_flow_checkpoint(const LoadedModel& model) {
  return model.checkpoint && model.checkpoint->flow;
}

// The N images FID scores, from x_T ~ 𝒩(0, I) drawn with seed + 7, clipped to [−1, 1]: for a flow checkpoint
// `steps` Euler steps on the flow ODE, t uniform from 1 to 0 (Liu et al. 2023; train/image_flow_objective.h);
// for an ε checkpoint DDIM with `steps` steps, η = 0 (fid_sampler_config).
std::vector<float> fid_images(LoadedModel& model, int N, int steps, uint64_t seed, bool progress) {
  const int D = model.model().dim();
  if (is_flow_checkpoint(model)) {
    auto* net = dynamic_cast<ImageNet*>(model.network.get());
    if (!net) throw std::runtime_error("a flow checkpoint without an image network");
    return sample_image_flow(*net, Tensor{}, N, steps, FlowMethod::Euler, seed + 7);
  }
  Sampler sampler(model.model(), fid_sampler_config(steps));
  sampler.begin(standard_normal(N * D, seed + 7), seed + 8);
  ProgressBar bar("FID samples", static_cast<long>(sampler.timesteps().size()));
  sampler.run([&](int done) {
    if (progress) bar.update(done);
  });
  return sampler.x();
}

FidResult evaluate_fid(const ArgParser& p, LoadedModel& model, const ImageDataset& test, uint64_t seed,
                       int threads) {
  FidResult r;
  r.samples = p.get_int("fid-samples", 0, 1000000);
  r.steps = p.get_int("fid-steps", 1, model.schedule.T());
  r.classifier = p.get("classifier");
  if (r.samples == 0) {
    r.note = "--fid-samples 0";
    return r;
  }
  if (!std::filesystem::exists(r.classifier)) {
    r.note = "no classifier checkpoint at " + r.classifier +
             " (make one with `difflab classifier train --out " + r.classifier + "`)";
    return r;
  }
  if (r.samples < 2 || 2 * r.samples > test.count)
    throw UsageError("--fid-samples must be between 2 and half the test images (" +
                     std::to_string(test.count / 2) + ")");
  auto classifier = load_classifier(r.classifier, threads);
  if (classifier->model->dim() != model.model().dim())
    throw std::runtime_error(r.classifier + ": the classifier's images are not the U-Net's size");
  const int N = r.samples;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<float> images = fid_images(model, N, r.steps, seed, !p.get_flag("quiet"));
  Classifier& net = *classifier->model;
  const FidReference reference = make_fid_reference(net, test.pixels.data(), N, test.image(N), N);
  r.fid = fid_to_reference(net, images.data(), N, reference);
  r.floor = reference.floor;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.computed = true;
  return r;
}

// Image checkpoints: the bound with the discretized Gaussian decoder (Ho et al. 2020, eq. 13) on the test
// split, x̂₀ clipped to [−1, 1], reported in bits per dimension (per-dimension nats / ln 2).
int eval_images(const ArgParser& p, LoadedModel& model, VarianceKind variance, const std::string& format) {
  const std::string dataset = p.given("dataset") ? p.get("dataset") : model.checkpoint->dataset;
  const ImageDataset test = load_image_dataset(dataset, false);
  const int D = model.model().dim();
  if (test.dim() != D)
    throw std::runtime_error(dataset + ": images are " + std::to_string(test.height) + "×" +
                             std::to_string(test.width) + ", the model's are " +
                             std::to_string(model.image_height) + "×" + std::to_string(model.image_width));
  const int fid_samples = p.get_int("fid-samples", 0, 1000000);
  if (fid_samples != 0 &&
      (fid_samples < 2 || 2 * fid_samples > test.count))  // checked before the bound's minutes
    throw UsageError("--fid-samples must be 0 or between 2 and half the test images (" +
                     std::to_string(test.count / 2) + ")");
  p.get_int("fid-steps", 1, model.schedule.T());
  const int n = std::min(test.count, p.given("n") ? p.get_int("n", 1, 1000000) : 64);
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  model.backend->set_threads(threads);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  // The first n test images (a fixed, reproducible subset).
  std::vector<float> x0(test.pixels.begin(), test.pixels.begin() + static_cast<std::ptrdiff_t>(n) * D);
  const int T = model.schedule.T();
  std::fprintf(stderr,
               "evaluating the bound on %d test images × %d steps (one network pass per image and t)…\n", n,
               T);
  Rng rng(seed + 1);
  const auto start = std::chrono::steady_clock::now();
  const VlbTerms vlb = evaluate_vlb(model.model(), variance, x0, DecoderKind::DiscretizedGaussian, rng, true);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const FidResult fid = evaluate_fid(p, model, test, seed, threads);
  if (!fid.computed) std::fprintf(stderr, "FID skipped: %s\n", fid.note.c_str());
  const double to_bits = 1.0 / (D * std::numbers::ln2);
  const double bpd = vlb.total * to_bits;
  if (format == "json") {
    std::printf("{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"units\": \"bits per dimension\",\n",
                model.description.c_str(), dataset.c_str());
    std::printf(
        "  \"decoder\": \"discretized Gaussian\",\n  \"variance\": \"%s\",\n  \"T\": %d,\n  \"images\": "
        "%d,\n",
        variance_kind_name(variance).c_str(), T, n);
    std::printf(
        "  \"bits_per_dim\": %.9g,\n  \"vlb_prior\": %.9g,\n  \"vlb_diffusion\": %.9g,\n  \"vlb_decoder\": "
        "%.9g,\n",
        bpd, vlb.prior * to_bits, vlb.diffusion * to_bits, vlb.decoder * to_bits);
    if (fid.computed)
      std::printf(
          "  \"fid\": %.9g,\n  \"fid_floor\": %.9g,\n  \"fid_samples\": %d,\n  \"fid_ddim_steps\": %d,\n"
          "  \"fid_classifier\": \"%s\",\n  \"fid_seconds\": %.3f,\n  \"fid_sampler\": \"%s\",\n",
          fid.fid, fid.floor, fid.samples, fid.steps, fid.classifier.c_str(), fid.seconds,
          is_flow_checkpoint(model) ? "euler" : "ddim");
    else
      std::printf("  \"fid\": null,\n  \"fid_floor\": null,\n");
    std::printf("  \"l_simple\": %.9g,\n  \"seconds\": %.3f,\n  \"vlb_per_t_bits_per_dim\": [", vlb.l_simple,
                seconds);
    for (int t = 0; t < T; ++t) std::printf("%s%.9g", t ? ", " : "", vlb.per_t[t] * to_bits);
    std::printf("]\n}\n");
    return 0;
  }
  std::printf("model: %s\ndata: %s, first %d test images\n", model.description.c_str(),
              test.description.c_str(), n);
  std::printf("L_simple (mean over t of E‖ε−ε̂‖²/dim): %.5f\n", vlb.l_simple);
  std::printf(
      "bits/dim = (L_T + Σ Lₜ₋₁ + L₀)/(%d·ln 2) = %.4f + %.4f + %.4f = %.4f (%s, discretized decoder, %.1f "
      "s)\n",
      D, vlb.prior * to_bits, vlb.diffusion * to_bits, vlb.decoder * to_bits, bpd,
      variance_kind_name(variance).c_str(), seconds);
  if (fid.computed)
    std::printf(
        "FID (classifier features, %d %s-%d samples vs %d test images): %.3f; test-vs-test floor %.3f "
        "(%.1f s)\n",
        fid.samples, is_flow_checkpoint(model) ? "Euler" : "DDIM", fid.steps, fid.samples, fid.fid, fid.floor,
        fid.seconds);
  else
    std::printf("FID: skipped (%s)\n", fid.note.c_str());
  return 0;
}

// `eval --samples FILE.csv --dataset D`: any model's 2-D samples scored against held-out data of D: sliced W₂
// and its floor (as many fresh data points as samples vs the same held-out set), and for data with labelled
// Gaussian modes the modes covered and the high-quality fraction (core/mode_metrics.h).
int eval_samples(const ArgParser& p, const std::string& format) {
  const std::string dataset = p.get("dataset");
  if (dataset.empty()) throw UsageError("--samples needs --dataset");
  const Dataset2D data = Dataset2D::load(dataset);
  const PointSet samples = read_points_csv(p.get("samples"));
  const int n = p.get_int("n", 2, 1000000);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const PointSet held_out = data.sample(n, seed);
  const PointSet fresh = data.sample(samples.size(), seed + 4);
  std::optional<GaussianMixture2D> modes;
  if (data.is_mixture()) modes = data.oracle_mixture();
  const SampleScore s = score_samples(samples.xy, held_out.xy, fresh.xy, modes ? &*modes : nullptr);
  if (format == "json") {
    std::printf("{\n  \"samples\": %d,\n  \"dataset\": \"%s\",\n  \"held_out\": %d,\n", samples.size(),
                dataset.c_str(), n);
    std::printf("  \"swd\": %.9g,\n  \"swd_floor\": %.9g,\n", s.swd, s.swd_floor);
    if (s.has_modes) {
      std::printf("  \"modes\": %d,\n  \"modes_covered\": %d,\n  \"high_quality_fraction\": %.9g,\n",
                  s.coverage.modes, s.coverage.modes_covered, s.coverage.high_quality_fraction);
      std::printf("  \"per_mode\": [");
      for (int k = 0; k < s.coverage.modes; ++k) std::printf("%s%d", k ? ", " : "", s.coverage.per_mode[k]);
      std::printf("]\n}\n");
    } else {
      std::printf("  \"modes\": null,\n  \"modes_covered\": null,\n  \"high_quality_fraction\": null\n}\n");
    }
    return 0;
  }
  std::printf("samples: %d points from %s\ndata: %s, %d held-out points\n", samples.size(),
              p.get("samples").c_str(), data.description().c_str(), n);
  std::printf("sliced W2 (samples vs held-out data): %.4f; data-vs-data floor %.4f; ratio %.2f\n", s.swd,
              s.swd_floor, s.swd / s.swd_floor);
  if (s.has_modes) {
    std::printf("modes covered (>= n/(4K) samples within 3 sigma): %d of %d\n", s.coverage.modes_covered,
                s.coverage.modes);
    std::printf("high-quality samples (within 3 sigma of some mode): %.1f %%\n",
                100 * s.coverage.high_quality_fraction);
  } else {
    std::printf("modes covered: not defined for this data set (no labelled Gaussian modes)\n");
  }
  return 0;
}

}  // namespace

// "a,b,c" → {"a", "b", "c"} (spaces around items dropped).
std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> items;
  std::string item;
  for (char c : list + ",") {
    if (c == ',') {
      items.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  return items;
}

// The sweep's NFE budgets (--sweep-nfe) and samplers (--samplers with the shared step options), for 2-D
// models and for images (clip_images: x̂₀ clipped to [−1, 1], no trajectories kept).
NfeSweepOptions sweep_options(const ArgParser& p, bool clip_images) {
  NfeSweepOptions options;
  for (const std::string& item : split_list(p.get("sweep-nfe"))) {
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 1 || v > limits::kMaxSigmaSteps)
      throw UsageError("--sweep-nfe must list NFE budgets 1 … " + std::to_string(limits::kMaxSigmaSteps) +
                       " separated by commas (got '" + item + "')");
    options.nfe.push_back(static_cast<int>(v));
  }
  SamplerConfig base;
  read_sigma_step_options(p, &base);
  if (!parse_spacing(p.get("spacing"), &base.spacing))
    throw UsageError("--spacing must be leading, trailing or linspace");
  if (!parse_variance_kind(p.get("variance"), &base.variance))
    throw UsageError("--variance must be fixed_small or fixed_large");
  base.eta = p.get_double("eta", 0, 1);
  if (clip_images) {
    base.clip_x0 = true;
    base.record_trajectory = false;
  }
  for (const std::string& name : split_list(p.get("samplers"))) {
    SamplerConfig c = base;
    if (!parse_sampler_kind(name, &c.kind))
      throw UsageError("--samplers: '" + name + "' is not " + sampler_cli_names_sentence());
    options.samplers.push_back(c);
  }
  return options;
}

// `eval --sweep-nfe`: each of --samplers at each NFE from the same x_T (2-D models), as CSV or JSON.
int eval_sweep(const ArgParser& p, LoadedModel& model, const Dataset2D& data, const std::string& format) {
  NfeSweepOptions options = sweep_options(p, false);
  const SamplerConfig base = options.samplers.empty() ? SamplerConfig{} : options.samplers.front();
  const bool oracle = p.get("model") == "oracle";
  options.endpoint_error = oracle;
  options.reference_steps = p.get_int("reference-steps", 10, limits::kMaxSigmaSteps);
  const int n = p.get_int("n", 2, 1000000);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  options.seed = seed + 5;
  const std::string out = p.get("sweep-out");
  const bool json = out.empty() ? format == "json" : out.size() > 5 && out.substr(out.size() - 5) == ".json";
  if (!out.empty()) check_writable_output(out);
  const PointSet held_out = data.sample(n, seed);
  const std::vector<float> x_T = standard_normal(2 * n, seed + 2);
  const double floor = sliced_wasserstein2(data.sample(n, seed + 4).xy, held_out.xy, options.swd_projections,
                                           options.seed + 2);
  if (!oracle) {
    const std::string problem = sigma_max_problem(model.schedule);
    if (!problem.empty()) std::fprintf(stderr, "warning: %s\n", problem.c_str());
  } else if (base.sigma_max > 0 || base.sigma_min > 0) {
    std::fprintf(
        stderr,
        "warning: --sigma-min/--sigma-max move only the σ-step samplers' levels; the endpoint reference "
        "and the samplers on timesteps still run from σ(T − 1) to σ(0), so their endpoints differ\n");
  }
  double reference_change = NAN;
  const std::vector<NfeSweepPoint> points =
      sweep_nfe(model.model(), options, x_T, held_out.xy, oracle ? &reference_change : nullptr);
  if (oracle) {
    std::fprintf(stderr, "endpoint reference: EDM Heun on %d σ-steps; on %d it differs by %.3g RMS\n",
                 options.reference_steps, options.reference_steps / 2, reference_change);
    if (!(reference_change < 1e-3))
      std::fprintf(stderr,
                   "warning: the reference ODE solution is not converged (halving its steps moves it by %.3g "
                   "RMS): endpoint errors below that mean nothing; raise --reference-steps\n",
                   reference_change);
  }
  std::string text;
  char line[512];
  if (json) {
    std::snprintf(
        line, sizeof line,
        "{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"points\": %d,\n  \"swd_floor\": %.9g,\n"
        "  \"endpoint_reference\": \"%s\",\n  \"reference_change\": %s,\n  \"sweep\": [",
        model.description.c_str(), data.spec().c_str(), n, floor,
        oracle ? ("edm-heun, " + std::to_string(options.reference_steps) + " σ-steps").c_str() : "none",
        oracle ? std::to_string(reference_change).c_str() : "null");
    text += line;
    for (size_t i = 0; i < points.size(); ++i) {
      const NfeSweepPoint& q = points[i];
      std::snprintf(
          line, sizeof line,
          "%s\n    {\"sampler\": \"%s\", \"nfe_target\": %d, \"steps\": %d, \"nfe\": %d, \"swd\": %.9g, "
          "\"endpoint_rms\": %s, \"seconds\": %.6g}",
          i ? "," : "", q.sampler.c_str(), q.nfe_target, q.steps, q.nfe, q.swd,
          std::isnan(q.endpoint_rms) ? "null" : std::to_string(q.endpoint_rms).c_str(), q.seconds);
      text += line;
    }
    text += "\n  ]\n}\n";
  } else {
    text = "sampler,nfe_target,steps,nfe,swd,swd_floor,endpoint_rms,seconds\n";
    for (const NfeSweepPoint& q : points) {
      std::snprintf(line, sizeof line, "%s,%d,%d,%d,%.9g,%.9g,%.9g,%.6g\n", q.sampler.c_str(), q.nfe_target,
                    q.steps, q.nfe, q.swd, floor, q.endpoint_rms, q.seconds);
      text += line;
    }
  }
  if (out.empty())
    std::fputs(text.c_str(), stdout);
  else {
    write_file_atomically(out, text);
    std::fprintf(stderr, "eval --sweep-nfe: %zu points → %s\n", points.size(), out.c_str());
  }
  return 0;
}

// What both FID sweeps need: the test split, N reference images (the first N; the FID compares N samples
// with them, and the floor with the next N), the classifier whose features the FID uses, and the threads.
struct FidSetup {
  std::string dataset, classifier_path;
  ImageDataset test;
  std::unique_ptr<LoadedClassifier> classifier;
  FidReference reference;
  int D = 0, N = 0;
};

FidSetup prepare_fid(const ArgParser& p, LoadedModel& model, int N, const std::string& what) {
  FidSetup f;
  f.dataset = p.given("dataset") ? p.get("dataset") : model.checkpoint->dataset;
  f.test = load_image_dataset(f.dataset, false);
  f.D = model.model().dim();
  f.N = N;
  if (f.test.dim() != f.D) throw std::runtime_error(f.dataset + ": the test images are not the model's size");
  if (2 * N > f.test.count)
    throw UsageError("--fid-samples must be at most half the test images (" +
                     std::to_string(f.test.count / 2) + ")");
  f.classifier_path = p.get("classifier");
  if (!std::filesystem::exists(f.classifier_path))
    throw std::runtime_error(what + " needs the classifier checkpoint " + f.classifier_path +
                             " (make one with `difflab classifier train --out " + f.classifier_path + "`)");
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  model.backend->set_threads(threads);
  f.classifier = load_classifier(f.classifier_path, threads);
  if (f.classifier->model->dim() != f.D)
    throw std::runtime_error(f.classifier_path + ": the classifier's images are not the model's size");
  f.reference = make_fid_reference(*f.classifier->model, f.test.pixels.data(), N, f.test.image(N), N);
  return f;
}

// `eval --sweep-nfe` with a U-Net checkpoint: FID per sampler and NFE. Every sampler starts from the same
// x_T, x̂₀ clipped to [−1, 1]; FID on the classifier's features against the first --fid-samples test images
// (floor: the next as many test images against the same). A small --fid-samples default (100): the numbers
// rank samplers, they are not comparable with FIDs of other sample counts.
int eval_fid_sweep(const ArgParser& p, LoadedModel& model, const std::string& format) {
  NfeSweepOptions options = sweep_options(p, true);
  const FidSetup fid = prepare_fid(
      p, model, p.given("fid-samples") ? p.get_int("fid-samples", 2, 1000000) : 100, "FID per NFE");
  const std::string& dataset = fid.dataset;
  const std::string& classifier_path = fid.classifier_path;
  const int D = fid.D, N = fid.N;
  Classifier& net = *fid.classifier->model;
  const FidReference& reference = fid.reference;
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const std::vector<float> x_T = standard_normal(N * D, seed + 7);
  const int T = model.schedule.T();
  std::string text = format == "json" ? "" : "sampler,nfe_target,steps,nfe,fid,fid_floor,seconds\n";
  char line[512];
  bool first = true;
  for (const SamplerConfig& config : options.samplers)
    for (int nfe : options.nfe) {
      const int steps = steps_for_nfe(config, nfe, T);
      if (steps == 0) continue;
      SamplerConfig c = config;
      c.steps = steps;
      const auto start = std::chrono::steady_clock::now();
      Sampler sampler(model.model(), c);
      sampler.begin(x_T, seed + 8);
      sampler.run();
      const double fid = fid_to_reference(net, sampler.x().data(), N, reference);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "%s at %d NFE: FID %.3f (%.1f s)\n", sampler_kind_name(c.kind).c_str(),
                   sampler.network_evaluations(), fid, seconds);
      if (format == "json")
        std::snprintf(
            line, sizeof line,
            "%s\n    {\"sampler\": \"%s\", \"nfe_target\": %d, \"steps\": %d, \"nfe\": %d, \"fid\": "
            "%.9g, \"seconds\": %.6g}",
            first ? "" : ",", sampler_kind_name(c.kind).c_str(), nfe, steps, sampler.network_evaluations(),
            fid, seconds);
      else
        std::snprintf(line, sizeof line, "%s,%d,%d,%d,%.9g,%.9g,%.6g\n", sampler_kind_name(c.kind).c_str(),
                      nfe, steps, sampler.network_evaluations(), fid, reference.floor, seconds);
      text += line;
      first = false;
    }
  if (format == "json") {
    std::snprintf(line, sizeof line,
                  "{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"fid_samples\": %d,\n  \"fid_floor\": "
                  "%.9g,\n  \"fid_classifier\": \"%s\",\n  \"sweep\": [",
                  model.description.c_str(), dataset.c_str(), N, reference.floor, classifier_path.c_str());
    text = line + text + "\n  ]\n}\n";
  }
  const std::string out = p.get("sweep-out");
  if (out.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    write_file_atomically(out, text);
    std::fprintf(stderr, "eval --sweep-nfe: FID per NFE → %s\n", out.c_str());
  }
  return 0;
}

// `eval --steps-sweep 1,2,4,…` with an image checkpoint: FID against the number of sampling steps, every
// count from the same x_T (fid_images: Euler on the flow ODE for a flow checkpoint, DDIM for an ε one), on
// --fid-samples samples against as many test images, with the floor. The FID at N steps is `eval`'s FID with
// --fid-steps N, --fid-samples and --seed the same (tests/app/steps_sweep_test.sh).
int eval_steps_sweep(const ArgParser& p, LoadedModel& model, const std::string& format) {
  std::vector<int> steps_list;
  {
    std::stringstream list(p.get("steps-sweep"));
    std::string item;
    while (std::getline(list, item, ',')) {
      char* end = nullptr;
      const long v = std::strtol(item.c_str(), &end, 10);
      if (item.empty() || *end != '\0' || v < 1 || v > model.schedule.T())
        throw UsageError("--steps-sweep: '" + item + "' is not a step count in 1 … " +
                         std::to_string(model.schedule.T()));
      steps_list.push_back(static_cast<int>(v));
    }
    if (steps_list.empty() || static_cast<int>(steps_list.size()) > 64)
      throw UsageError("--steps-sweep takes 1 to 64 step counts, e.g. 1,2,4,8,16,32");
  }
  const FidSetup fid = prepare_fid(p, model, p.get_int("fid-samples", 2, 1000000), "FID against steps");
  const std::string& dataset = fid.dataset;
  const std::string& classifier_path = fid.classifier_path;
  const int N = fid.N;
  Classifier& net = *fid.classifier->model;
  const FidReference& reference = fid.reference;
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const bool flow = is_flow_checkpoint(model);
  const char* sampler = flow ? "euler (flow ODE, t uniform 1 -> 0)" : "ddim (eta = 0)";
  std::string rows;
  char line[512];
  for (size_t i = 0; i < steps_list.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<float> images = fid_images(model, N, steps_list[i], seed, false);
    const double fid = fid_to_reference(net, images.data(), N, reference);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%d steps: FID %.3f (%.1f s)\n", steps_list[i], fid, seconds);
    if (format == "json")
      std::snprintf(line, sizeof line, "%s\n    {\"steps\": %d, \"fid\": %.9g, \"seconds\": %.6g}",
                    i ? "," : "", steps_list[i], fid, seconds);
    else
      std::snprintf(line, sizeof line, "%d,%.9g,%.9g,%.6g\n", steps_list[i], fid, reference.floor, seconds);
    rows += line;
  }
  if (format == "json") {
    std::printf(
        "{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"objective\": \"%s\",\n  \"sampler\": "
        "\"%s\",\n  \"fid_samples\": %d,\n  \"seed\": %llu,\n  \"fid_floor\": %.9g,\n  "
        "\"fid_classifier\": \"%s\",\n  \"sweep\": [%s\n  ]\n}\n",
        model.description.c_str(), dataset.c_str(), flow ? "flow" : "eps", sampler, N,
        static_cast<unsigned long long>(seed), reference.floor, classifier_path.c_str(), rows.c_str());
  } else {
    std::printf("# %s; %s; %d samples vs %d test images\nsteps,fid,fid_floor,seconds\n%s",
                model.description.c_str(), sampler, N, N, rows.c_str());
  }
  return 0;
}

int cli_eval(int argc, char** argv) {
  ArgParser p(
      "difflab eval --model oracle|CKPT --dataset D [--variance V] [--format json]\n"
      "       difflab eval --samples FILE.csv --dataset D [--format json]",
      "Evaluates a denoiser on held-out data: L_simple = E‖ε − ε̂‖²/2 per t, the bound\n"
      "L_vlb = L_T + Σ_{t≥1} Lₜ₋₁ + L₀ (Ho et al. 2020, eq. 5) with a continuous Gaussian decoder\n"
      "L₀ = −log 𝒩(x₀; μ_θ(x₁), σ₁²), in nats per data point, and the sliced W₂ between model samples\n"
      "(DDPM, all T steps) and held-out data, with the data-vs-data floor for scale.\n"
      "For an image (U-Net) checkpoint: the bound on the first --n (default 64) test images with the\n"
      "discretized Gaussian decoder and x̂₀ clipped to [−1, 1], in bits per dimension; and the Fréchet\n"
      "distance (FID's formula, Heusel et al. 2017) on the features of difflab's Fashion-MNIST classifier\n"
      "between --fid-samples model samples (DDIM, --fid-steps steps, η = 0; Euler steps on the ODE for a\n"
      "flow checkpoint) and as many test images, with\n"
      "its floor (other test images vs the same ones). Without the classifier checkpoint FID is skipped.\n"
      "With --samples: scores any 2-D point set (x,y[,label] CSV, e.g. from `difflab sample` of a GAN, "
      "VAE or\n"
      "diffusion model) against D: sliced W2 and its floor, and on data with labelled Gaussian modes\n"
      "(8gaussians, 25gaussians, gmm:FILE) the modes covered (a mode is covered when at least 1/(4K) of "
      "the\n"
      "samples lie within 3 sigma of it) and the high-quality fraction (samples within 3 sigma of some "
      "mode).\n" +
          std::string(kScheduleRule));
  p.option("model", "oracle|CKPT", "the exact denoiser of the data set, or a checkpoint")
      .option("dataset", "D", "data set to evaluate on (default: the checkpoint's)")
      .option("samples", "FILE.csv", "score these points instead of a model's samples");
  add_schedule_options(p);
  add_backend_option(p);
  p.option("variance", "V", "reverse variance: fixed_small | fixed_large", "fixed_small")
      .option("n", "N", "held-out points", "1000")
      .option("seed", "S", "seed of the held-out data and the noise", "12345")
      .option("format", "text|json", "output format", "text")
      .option("fid-samples", "N", "images: samples (and test images) for FID; 0 = skip", "500")
      .option("fid-steps", "K", "images: DDIM steps of the FID samples", "50")
      .option("classifier", "CKPT", "images: the feature classifier for FID", default_classifier_path())
      .option("threads", "N", "images: threads (default: all cores)")
      .option(
          "sweep-nfe", "LIST",
          "instead of the above, each of --samplers at each NFE budget, e.g. 1,2,4,10,1000: 2-D sliced W2 "
          "(and endpoint error for the oracle); images FID on --fid-samples samples (default 100 here)")
      .option("samplers", "LIST", "--sweep-nfe: samplers (" + sampler_cli_names(", ") + ")",
              "ddpm,ddim,edm-heun,dpm-solver++")
      .option("sweep-out", "FILE.csv|FILE.json",
              "--sweep-nfe: write here (default: stdout, CSV or --format json)")
      .option("reference-steps", "N",
              "--sweep-nfe, oracle: EDM Heun σ-steps of the converged ODE solution (checked against half as "
              "many: a warning when they differ by more than 1e-3 RMS)",
              "2000")
      .option("spacing", "S",
              "--sweep-nfe: timesteps of samplers on the schedule's steps (trailing starts at T − 1)",
              "trailing")
      .option("eta", "E", "--sweep-nfe: DDIM η", "0")
      .option("steps-sweep", "LIST",
              "images, instead of the above: FID against sampling steps, e.g. 1,2,4,8,16,32 (Euler on the "
              "flow ODE for a flow checkpoint, DDIM for an ε one; the same x_T for every count)");
  add_sigma_step_options(p);
  add_guidance_sweep_options(p);
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 2)) return 0;
  VarianceKind variance;
  if (!parse_variance_kind(p.get("variance"), &variance))
    throw UsageError("--variance must be fixed_small or fixed_large");
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  // Every option is checked before any work: a bad --fid-samples must not wait for minutes of the bound.
  p.get_int("fid-samples", 0, 1000000);
  p.get_int("fid-steps", 1, 4000);
  p.get_int("n", 1, 1000000);
  p.get_double("seed", 0, 1e15);
  if (p.given("threads")) p.get_int("threads", 1, 256);
  if (p.given("samples")) return eval_samples(p, format);
  auto model = load_model_from_options(p);
  if (model->is_image() && p.given("guidance-match")) return eval_guidance_match(p, *model, format);
  if (model->is_image() && p.given("guidance-sweep")) return eval_guidance_sweep(p, *model, format);
  if (model->is_image() && p.given("sweep-nfe")) return eval_fid_sweep(p, *model, format);
  if (model->is_image() && p.given("steps-sweep")) return eval_steps_sweep(p, *model, format);
  if (p.given("steps-sweep")) throw UsageError("--steps-sweep is for image checkpoints");
  if (model->is_image()) return eval_images(p, *model, variance, format);
  std::string dataset = p.get("dataset");
  if (dataset.empty() && model->checkpoint) dataset = model->checkpoint->dataset;
  if (dataset.empty()) throw UsageError("--dataset is required");
  const Dataset2D data = Dataset2D::load(dataset);
  if (p.given("sweep-nfe")) return eval_sweep(p, *model, data, format);
  const int n = p.get_int("n", 2, 1000000);
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  const PointSet held_out = data.sample(n, seed);

  Rng rng(seed + 1);
  Denoiser& d = model->model();
  const VlbTerms vlb = evaluate_vlb(d, variance, held_out.xy, DecoderKind::ContinuousGaussian, rng);

  SamplerConfig sc;
  sc.record_trajectory = false;
  Sampler sampler(d, sc);
  sampler.begin(standard_normal(2 * n, seed + 2), seed + 3);
  sampler.run();
  const double swd = sliced_wasserstein2(sampler.x(), held_out.xy);
  const double floor = sliced_wasserstein2(data.sample(n, seed + 4).xy, held_out.xy);

  const int T = model->schedule.T();
  if (format == "json") {
    std::printf("{\n  \"model\": \"%s\",\n  \"dataset\": \"%s\",\n  \"units\": \"nats per data point\",\n",
                model->description.c_str(), dataset.c_str());
    std::printf("  \"decoder\": \"continuous Gaussian\",\n  \"variance\": \"%s\",\n  \"T\": %d,\n",
                variance_kind_name(variance).c_str(), T);
    std::printf("  \"l_simple\": %.9g,\n  \"vlb_total\": %.9g,\n  \"vlb_prior\": %.9g,\n", vlb.l_simple,
                vlb.total, vlb.prior);
    std::printf(
        "  \"vlb_diffusion\": %.9g,\n  \"vlb_decoder\": %.9g,\n  \"swd\": %.9g,\n  \"swd_floor\": %.9g,\n",
        vlb.diffusion, vlb.decoder, swd, floor);
    std::printf("  \"l_simple_per_t\": [");
    for (int t = 0; t < T; ++t) std::printf("%s%.9g", t ? ", " : "", vlb.l_simple_per_t[t]);
    std::printf("],\n  \"vlb_per_t\": [");
    for (int t = 0; t < T; ++t) std::printf("%s%.9g", t ? ", " : "", vlb.per_t[t]);
    std::printf("]\n}\n");
    return 0;
  }
  std::printf("model: %s\ndata: %s, %d held-out points\n", model->description.c_str(),
              data.description().c_str(), n);
  std::printf("L_simple (mean over t of E‖ε−ε̂‖²/2): %.5f\n", vlb.l_simple);
  std::printf("L_vlb = L_T + Σ Lₜ₋₁ + L₀ = %.4f + %.4f + %.4f = %.4f nats per point (%s)\n", vlb.prior,
              vlb.diffusion, vlb.decoder, vlb.total, variance_kind_name(variance).c_str());
  std::printf("sliced W2 (model samples vs held-out data): %.4f; data-vs-data floor %.4f; ratio %.2f\n", swd,
              floor, swd / floor);
  std::printf("\n   t   L_simple(t)   L_vlb term(t)\n");
  const int stride = std::max(1, T / 20);
  for (int t = 0; t < T; t += stride)
    std::printf("%4d   %10.5f   %12.5f\n", t, vlb.l_simple_per_t[t], vlb.per_t[t]);
  return 0;
}

}  // namespace difflab
