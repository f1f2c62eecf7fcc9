// cli_sample.cpp — `difflab sample` (run a sampler) and `difflab field` (ε̂, score, x̂₀ on a grid).
// Not the samplers themselves (sample/sampler.cpp).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "app/cli.h"
#include "app/cli_guidance.h"
#include "app/progress.h"
#include "app/sampler_options.h"
#include "core/diffusion.h"
#include "core/file_io.h"
#include "core/guidance.h"
#include "data/idx.h"
#include "data/toy2d.h"
#include "nn/unet_denoiser.h"
#include "sample/guided.h"
#include "sample/sampler.h"
#include "sample/sampler_table.h"
#include "sample/tilted_mcmc.h"
#include "train/cond_objective.h"
#include "train/controlnet.h"
#include "train/image_flow_objective.h"
#include "train/image_grid.h"
#include "train/model_source.h"
#include "train/trainer.h"

namespace difflab {
int sample_ip_adapter(const ArgParser& p, SamplerConfig sc, uint64_t seed,
                      const std::string& out);  // _ip.cpp
namespace {

void add_model_options(ArgParser& p) {
  p.option("model", "oracle|CKPT", "the exact denoiser of the data set, or a checkpoint")
      .option("dataset", "D", "data set (needed for oracle)");
  add_schedule_options(p);
  add_backend_option(p);
}

std::unique_ptr<LoadedModel> model_from_options(const ArgParser& p) {
  return load_model_from_options(p);
}

// Image checkpoints: n images from fresh noise, x̂₀ clipped to [−1, 1] (images only), written as a PNG grid.
int sample_images(const ArgParser& p, LoadedModel& model, SamplerConfig sc, uint64_t seed,
                  const std::string& out) {
  if (p.has("init") || p.has("trajectory")) throw UsageError("--init and --trajectory are for 2-D models");
  if (wants_image_guidance(p)) {
    if (model.checkpoint && model.checkpoint->flow)
      throw UsageError(
          "classifier-free guidance reads the U-Net as ε; this checkpoint predicts a flow velocity");
    return sample_images_guided(p, model, sc, seed, out);
  }
  if (out.size() < 4 || out.substr(out.size() - 4) != ".png")
    throw UsageError("--out must be a .png file for images");
  const int n = p.given("n") ? p.get_int("n", 1, 10000) : 16;
  const int columns = p.get_int("columns", 1, 1000);
  sc.clip_x0 = true;
  sc.record_trajectory = false;
  Denoiser& denoiser = *model.denoiser;  // a UNetDenoiser, or an ImageFlowDenoiser for prediction = flow
  if (p.has("label")) {
    if (model.num_classes == 0) throw UsageError("--label needs a class-conditional checkpoint");
    const int label = p.get_int("label", -1, model.num_classes - 1);
    if (auto* flow = dynamic_cast<ImageFlowDenoiser*>(&denoiser))
      flow->set_label(label);
    else
      static_cast<UNetDenoiser&>(denoiser).set_label(label);
  }
  const int D = model.model().dim();
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(n * D, seed), seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  const auto start = std::chrono::steady_clock::now();
  sampler.run([&](int done) {
    if (!p.get_flag("quiet")) bar.update(done);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_png_grid(out, sampler.x(), n, model.image_height, model.image_width, columns);
  std::fprintf(stderr, "%s: %d images, %zu steps, %d network evaluations, %.1f s → %s\n",
               sampler_kind_name(sc.kind).c_str(), n, sampler.timesteps().size(),
               sampler.network_evaluations(), seconds, out.c_str());
  return 0;
}

// --control: a ControlNet checkpoint (train/controlnet.h) as --model, conditioned on the Sobel edges of
// --n images of --control (a data set's test images, or idx:IMAGES) from --control-first; writes a PNG grid:
// the edge maps, then one sample per edge map at --control-scale (default: the checkpoint's).
int sample_controlnet(const ArgParser& p, SamplerConfig sc, uint64_t seed, const std::string& out) {
  if (out.size() < 4 || out.substr(out.size() - 4) != ".png") throw UsageError("--out must be a .png file");
  LoadedControlNet cn;
  try {
    cn = load_controlnet(p.require("model"), p.given("control-base") ? p.get("control-base") : "");
  } catch (const CheckpointError& e) {
    throw UsageError(e.what());
  }
  cn.base->unet().backend().set_threads(p.get_int("threads", 1, 256));
  UNet& base = cn.base->unet();
  const ImageDataset images = load_image_dataset(p.get("control"), false);
  if (images.dim() != base.dim())
    throw UsageError("--control " + p.get("control") + ": images are " + std::to_string(images.height) + "×" +
                     std::to_string(images.width) + "×" + std::to_string(images.channels) +
                     ", the base model's are " + std::to_string(base.height()) + "×" +
                     std::to_string(base.width()) + "×" + std::to_string(base.channels()));
  const int first = p.get_int("control-first", 0, images.count - 1);
  const int n = p.given("n") ? p.get_int("n", 1, images.count - first) : std::min(8, images.count - first);
  const float scale =
      p.given("control-scale") ? static_cast<float>(p.get_double("control-scale", 0, 100)) : cn.scale;
  const int label = p.has("label") ? p.get_int("label", -1, std::max(0, cn.base->num_classes) - 1) : -1;
  const std::vector<float> edges = sobel_edges(images.image(first), n, images.height, images.width);
  ControlNetDenoiser denoiser(*cn.net, cn.base->schedule, edges, label, scale);
  sc.clip_x0 = true;
  sc.record_trajectory = false;
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(static_cast<size_t>(n) * base.dim(), seed), seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  sampler.run([&](int done) {
    if (!p.get_flag("quiet")) bar.update(done);
  });
  std::vector<float> grid = edges;
  for (float& v : grid) v = 2 * v - 1;  // edges [0, 1] shown as images [−1, 1]
  grid.insert(grid.end(), sampler.x().begin(), sampler.x().end());
  write_png_grid(out, grid, 2 * n, base.height(), base.width(), n);
  std::printf("edge agreement %.3f at conditioning scale %g (%d images)\n",
              edge_agreement(sampler.x().data(), edges.data(), n, base.height(), base.width()), scale, n);
  std::fprintf(stderr, "wrote %s (the edge maps, then the samples)\n", out.c_str());
  return 0;
}

// --class/--guidance/--guidance-kind (issue 12 §2): the guided Denoiser every sampler and `field` use, and
// the exact labelled mixture behind it for the oracle.
struct GuidedModel {
  GuidanceOptions options;
  std::unique_ptr<ExactConditionalDenoiser> exact;  // oracle only
  std::unique_ptr<ExactNoiseClassifier> exact_classifier;
  std::unique_ptr<Denoiser> guided;  // null when --class was not given
};

int num_classes_of(const ArgParser& p, const LoadedModel& model) {
  if (model.is_oracle) return Dataset2D::load(p.get("dataset")).num_classes();
  return 0;  // hook: a class-conditional checkpoint or a noise classifier will give its num_classes here
}

GuidedModel guided_model(const ArgParser& p, LoadedModel& model) {
  GuidedModel g;
  if (!p.given("class") && !p.given("guidance") && !p.given("guidance-kind")) return g;
  if (model.is_image()) throw UsageError("--class and --guidance are for 2-D models (images: --label)");
  if (!model.is_oracle)  // hook for learned models: cfg → CfgDenoiser, classifier → ClassifierGuidedDenoiser
    throw UsageError(
        "--class with a checkpoint needs a class-conditional model or a noise classifier; "
        "use --model oracle --dataset D for the exact guided field");
  g.options = read_guidance_options(p, num_classes_of(p, model), true);
  if (!g.options.active) return g;
  g.exact = std::make_unique<ExactConditionalDenoiser>(
      Dataset2D::load(p.get("dataset")).labelled_oracle_mixture(), model.schedule);
  switch (g.options.kind) {
    case GuidanceKind::Exact:  // the exact conditional and unconditional ε* combined: the exact guided field
    case GuidanceKind::Cfg:    // with exact ε for every class, CFG is the same field
      g.guided = std::make_unique<CfgDenoiser>(*g.exact, g.options.label, g.options.gamma);
      break;
    case GuidanceKind::Classifier:  // the exact ε* plus γ σ ∇log pₜ(y|x) of the exact classifier: again the
                                    // same
      g.exact_classifier = std::make_unique<ExactNoiseClassifier>(*g.exact);
      g.guided = std::make_unique<ClassifierGuidedDenoiser>(*model.oracle, *g.exact_classifier,
                                                            g.options.label, g.options.gamma);
      break;
  }
  return g;
}

// `sample --mcmc-tilted`: annealed SMC with MALA moves on p(x|y)^γ p(x)^(1−γ) (sample/tilted_mcmc.h).
int sample_tilted_reference(const ArgParser& p, const GuidedModel& g, LoadedModel& model, uint64_t seed,
                            const std::string& out) {
  if (!model.is_oracle || !g.options.active)
    throw UsageError("--mcmc-tilted needs --model oracle --dataset D --class K [--guidance G]");
  AnnealedSmcConfig config;
  config.chains = p.get_int("n", 2, 10000000);
  config.levels = p.get_int("mcmc-levels", 1, 100000);
  config.burn_in = config.final_steps = p.get_int("mcmc-steps", 1, 1000000);
  config.seed = seed;
  const int t = p.get_int("mcmc-t", -1, model.schedule.T() - 1);
  const double alpha_bar = t < 0 ? 1.0 : model.schedule.alpha_bar[t];
  const auto start = std::chrono::steady_clock::now();
  AnnealedSmcResult r;
  try {
    r = sample_tilted(g.exact->mixture(), g.options.label, g.options.gamma, alpha_bar, config);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string(e.what()) + (t < 0 ? " (--mcmc-t -1 is the data; try --mcmc-t 0)" : ""));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PointSet result;
  result.xy = std::move(r.xy);
  result.labels.assign(result.size(), g.options.label);
  write_points_csv(out, result);
  std::fprintf(
      stderr,
      "tilted density p(x|y)^γ p(x)^(1−γ), class %d, γ = %g, at %s: %d chains, %d levels + %d + %d MALA "
      "steps, acceptance %.3f, h = %.3g, %d resamplings, %.1f s → %s\n",
      g.options.label, g.options.gamma, t < 0 ? "the data (ᾱ = 1)" : ("t = " + std::to_string(t)).c_str(),
      config.chains, config.levels, config.burn_in, config.final_steps, r.acceptance, r.step_size,
      r.resamplings, seconds, out.c_str());
  return 0;
}

bool is_image_checkpoint(const std::string& path) {
  if (path == "oracle") return false;
  try {
    const std::string arch = load_checkpoint(path).architecture;
    return arch == "unet" || arch == "dit";
  } catch (const CheckpointError&) {
    return false;  // model_from_options reports it
  }
}

bool is_cond_checkpoint(const std::string& path) {
  if (path == "oracle") return false;
  try {
    return load_checkpoint(path).architecture == "mlp2d-cond";
  } catch (const CheckpointError&) {
    return false;
  }
}

// 2-D guided sampling with the course's γ: classifier-free, ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y) (one 2n-row
// forward per step); or classifier guidance, ε̃ = ε(xₜ) − γ √(1 − ᾱₜ) ∇ log p(y | xₜ).
int sample_guided_2d(const ArgParser& p, SamplerConfig sc, uint64_t seed, const std::string& out) {
  const std::string kind = p.given("guidance-kind") ? p.get("guidance-kind") : "cfg";
  if (kind != "cfg" && kind != "classifier")
    throw UsageError(
        "--guidance-kind with a trained model must be cfg or classifier (exact is for --model oracle)");
  const double gamma = p.given("guidance") ? p.get_double("guidance", 0, 100) : 1.0;
  std::unique_ptr<LoadedCondModel> cond;
  std::unique_ptr<LoadedModel> plain;
  std::unique_ptr<LoadedNoiseClassifier> classifier;
  std::unique_ptr<Denoiser> guided;
  int label = 0;
  if (kind == "cfg") {
    if (p.given("classifier")) throw UsageError("--classifier is for --guidance-kind classifier");
    cond = load_cond_model(p.require("model"), backend_from_options(p));
    label = p.get_int("class", 0, cond->model->num_classes() - 1);
    guided = std::make_unique<CfgDenoiser>(*cond->denoiser, label, gamma);
  } else {
    classifier = load_noise_classifier(p.require("classifier"), backend_from_options(p));
    label = p.get_int("class", 0, classifier->model->num_classes() - 1);
    Denoiser* base = nullptr;
    if (is_cond_checkpoint(p.require("model"))) {
      cond = load_cond_model(p.get("model"),
                             backend_from_options(p));  // its null class is the unconditional model
      base = cond->denoiser.get();
    } else {
      plain = model_from_options(p);
      if (plain->is_image()) throw UsageError("classifier guidance here is for 2-D models");
      base = &plain->model();
    }
    if (base->schedule().T() != classifier->schedule.T())
      throw UsageError("the classifier was trained with T = " + std::to_string(classifier->schedule.T()) +
                       ", the model with T = " + std::to_string(base->schedule().T()));
    guided = std::make_unique<ClassifierGuidedDenoiser>(*base, *classifier->model, label, gamma);
  }
  sc.steps = p.has("steps") ? p.get_int("steps", 1, max_sampler_steps(sc, guided->schedule().T())) : 0;
  sc.record_trajectory = false;
  std::vector<float> x_T;
  if (p.has("init")) {
    x_T = read_points_csv(p.get("init")).xy;
    if (x_T.empty()) throw std::runtime_error(p.get("init") + ": no points");
  } else {
    x_T = standard_normal(2 * p.get_int("n", 1, 10000000), seed);
  }
  Sampler sampler(*guided, sc);
  sampler.begin(x_T, seed + 1);
  const auto start = std::chrono::steady_clock::now();
  sampler.run();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  PointSet result;
  result.xy = sampler.x();
  result.labels.assign(result.size(), label);
  write_points_csv(out, result);
  std::fprintf(stderr,
               "%s, class %d, γ = %g (%s): %d samples, %zu steps, %d network evaluations, %.1f ms → %s\n",
               sampler_kind_name(sc.kind).c_str(), label, gamma, kind.c_str(), result.size(),
               sampler.timesteps().size(), sampler.network_evaluations(), ms, out.c_str());
  return 0;
}

}  // namespace

int cli_sample(int argc, char** argv) {
  ArgParser p("difflab sample --model oracle|CKPT --dataset D --sampler S [options] --out FILE.csv|FILE.png",
              "Draws samples with a reverse-process sampler, from fresh noise (--n) or given x_T (--init)." +
                  sampler_help() + "\n" + std::string(kScheduleRule));
  add_model_options(p);
  p.option("sampler", "S", sampler_cli_names(), "ddpm")
      .option("steps", "N", "number of sampling steps (default: all T; 18 on σ-steps)")
      .option("eta", "E", "DDIM η in [0, 1]", "0")
      .option("spacing", "S", "leading | trailing | linspace", "leading")
      .option("variance", "V", "fixed_small | fixed_large (DDPM)", "fixed_small")
      .option("corrector-steps", "M", "Langevin corrector steps per noise level", "1")
      .option("snr", "R", "Langevin corrector signal-to-noise ratio", "0.16");
  add_sigma_step_options(p);
  add_guidance_options(p);
  p.option("mcmc-levels", "L", "--mcmc-tilted: annealing levels", "64")
      .option("mcmc-steps", "S", "--mcmc-tilted: MALA burn-in steps at the target, then as many kept", "200")
      .option("mcmc-t", "T", "--mcmc-tilted: tilt pₜ at code index T (−1: the data itself)", "-1");
  p.flag("mcmc-tilted",
         "instead of a diffusion sampler: annealed SMC with MALA moves on the tilted density p(x|y)^γ "
         "p(x)^(1−γ) "
         "(what guided sampling does not sample; --n chains)");
  p.option("n", "N", "number of samples", "1000")
      .option("init", "FILE.csv", "start from these x_T (columns x,y) instead of fresh noise")
      .option("seed", "S", "random seed", "0")
      .option("threads", "N", "threads for the network's large ops",
              std::to_string(std::max(1u, std::thread::hardware_concurrency())))
      .option("out", "FILE.csv", "samples (columns x,y); for an image checkpoint a PNG grid (FILE.png)")
      .option("columns", "N", "images: grid columns", "8")
      .option("label", "K", "images: class to sample from a class-conditional checkpoint (-1 = none)")
      .option("control", "D|idx:IMAGES",
              "ControlNet --model: condition on the Sobel edges of these images (a data set's test set)")
      .option("control-first", "I", "--control: the first image used", "0")
      .option("control-scale", "S", "--control: conditioning scale (default: the checkpoint's)")
      .option("control-base", "CKPT", "--control: the base U-Net (default: the one the checkpoint names)")
      .option("trajectory", "FILE.csv", "every intermediate state: step,t,i,x,y,x0_x,x0_y");
  p.option("reference", "N",
           "IP-Adapter --model FILE.ipa: test image N is the image prompt (the PNG shows it first, then --n "
           "samples, default 8; --label K adds the class prompt)")
      .option("ip-scale", "λ", "--reference: the image prompt's weight λ (0 = the base model alone)", "1")
      .option("ip-base", "CKPT",
              "--reference: the base U-Net (default: the one the .ipa names, or beside it)");
  p.option("classifier", "CKPT",
           "classifier guidance with a trained model: a noise-conditional classifier checkpoint (2-D: train "
           "--model noise-classifier; images: classifier train --noise-conditional, default "
           "checkpoints/fashion-mnist-noise-classifier.ckpt)");
  p.flag("clip", "clip x̂₀ to [−1, 1] (images: always on; 2-D checkpoints clip into their data_box)");
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 2)) return 0;

  SamplerConfig sc;
  if (!parse_sampler_kind(p.get("sampler"), &sc.kind))
    throw UsageError("--sampler must be " + sampler_cli_names_sentence());
  read_sigma_step_options(p, &sc);
  if (!parse_spacing(p.get("spacing"), &sc.spacing))
    throw UsageError("--spacing must be leading, trailing or linspace");
  if (!parse_variance_kind(p.get("variance"), &sc.variance))
    throw UsageError("--variance must be fixed_small or fixed_large");
  sc.eta = p.get_double("eta", 0, 1);
  sc.corrector_steps = p.get_int("corrector-steps", 0, 100);
  sc.corrector_snr = p.get_double("snr", 0, 10);
  sc.clip_x0 = p.get_flag("clip");
  const std::string out = p.require("out");
  const uint64_t seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  check_writable_output(out);  // before minutes of sampling
  if (p.has("trajectory")) check_writable_output(p.get("trajectory"));
  if (p.given("control")) return sample_controlnet(p, sc, seed, out);
  if (const bool ipa = is_ip_adapter_file(p.get("model")); p.given("reference") || ipa) {
    if (!ipa)
      throw UsageError(
          "--reference needs an IP-Adapter --model (a .ipa file, e.g. "
          "checkpoints/fashion-mnist-ip-adapter.ipa)");
    return sample_ip_adapter(p, sc, seed, out);
  }

  // A trained model with --class: classifier-free guidance of a class-conditional checkpoint; or classifier
  // guidance with a trained --classifier (over any unconditional model, the oracle too). The oracle's exact
  // guided field goes through guided_model() below.
  if (p.given("class") && (p.get("model") != "oracle" || p.given("classifier")) &&
      !is_image_checkpoint(p.get("model")))
    return sample_guided_2d(p, sc, seed, out);
  if (p.given("classifier") && !is_image_checkpoint(p.get("model")))
    throw UsageError("--classifier needs --class K and a trained --model");
  auto model = model_from_options(p);
  if (model->backend) model->backend->set_threads(p.get_int("threads", 1, 256));
  sc.steps = p.has("steps") ? p.get_int("steps", 1, max_sampler_steps(sc, model->schedule.T())) : 0;
  if (model->is_image()) return sample_images(p, *model, sc, seed, out);  // --class/--guidance: CFG there
  GuidedModel guided = guided_model(p, *model);
  if (p.get_flag("mcmc-tilted")) return sample_tilted_reference(p, guided, *model, seed, out);
  std::vector<float> x_T;
  if (p.has("init")) {
    x_T = read_points_csv(p.get("init")).xy;
    if (x_T.empty()) throw std::runtime_error(p.get("init") + ": no points");
  } else {
    x_T = standard_normal(2 * p.get_int("n", 1, 10000000), seed);
  }
  const bool want_trajectory = p.has("trajectory");
  sc.record_trajectory = want_trajectory;
  if (want_trajectory) {  // every state of every point stays in memory: bound n × steps
    const uint64_t steps = static_cast<uint64_t>(sc.steps > 0 ? sc.steps : model->schedule.T()) + 1;
    if (x_T.size() * steps > limits::kMaxTrajectoryValues)
      throw UsageError("--trajectory keeps every state in memory: " + std::to_string(x_T.size() / 2) +
                       " points × " + std::to_string(steps) +
                       " states = " + std::to_string(x_T.size() / 2 * steps) + ", more than the limit of " +
                       std::to_string(limits::kMaxTrajectoryValues / 2) +
                       " (limits.h kMaxTrajectoryValues); use fewer points or steps");
  }
  Sampler sampler(guided.guided ? *guided.guided : model->model(), sc);
  sampler.begin(x_T, seed + 1);
  ProgressBar bar("sample", static_cast<long>(sampler.timesteps().size()));
  const auto start = std::chrono::steady_clock::now();
  sampler.run([&](int done) {
    if (!p.get_flag("quiet")) bar.update(done);
  });
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  PointSet result;
  result.xy = sampler.x();
  if (guided.guided) result.labels.assign(result.size(), guided.options.label);
  write_points_csv(out, result);
  std::fprintf(stderr, "%s: %d samples, %zu steps, %d network evaluations, %.1f ms → %s\n",
               sampler_kind_name(sc.kind).c_str(), result.size(), sampler.timesteps().size(),
               sampler.network_evaluations(), ms, out.c_str());
  if (want_trajectory) {
    std::string csv = "step,t,i,x,y,x0_x,x0_y\n";
    char line[160];
    const auto& steps = sampler.timesteps();
    for (size_t k = 0; k < sampler.trajectory().size(); ++k) {
      const auto& x = sampler.trajectory()[k];
      const int t = k < steps.size() ? steps[k] : -1;
      for (size_t i = 0; i < x.size() / 2; ++i) {
        if (k == 0)
          std::snprintf(line, sizeof line, "%zu,%d,%zu,%.9g,%.9g,nan,nan\n", k, t, i, x[2 * i], x[2 * i + 1]);
        else {
          const auto& x0 = sampler.x0_trajectory()[k - 1];
          std::snprintf(line, sizeof line, "%zu,%d,%zu,%.9g,%.9g,%.9g,%.9g\n", k, t, i, x[2 * i],
                        x[2 * i + 1], x0[2 * i], x0[2 * i + 1]);
        }
        csv += line;
      }
    }
    write_file_atomically(p.get("trajectory"), csv);
  }
  return 0;
}

int cli_field(int argc, char** argv) {
  for (int i = 2; i + 1 < argc; ++i)  // --objective flow: the velocity at flow time t (cli_flow.cpp)
    if (std::string(argv[i]) == "--objective" && std::string(argv[i + 1]) == "flow")
      return cli_field_flow(argc, argv);
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--objective=flow") return cli_field_flow(argc, argv);
  ArgParser p(
      "difflab field --model oracle|CKPT --dataset D --t T (--at x,y | --grid xmin,xmax,ymin,ymax,n) "
      "[--class K "
      "--guidance G] [--out FILE.csv]",
      "Evaluates a denoiser at code index t on points: ε̂, the score −ε̂/√(1−ᾱₜ), x̂₀ = E[x₀|xₜ]\n"
      "(Tweedie), and log pₜ for the exact denoiser (nan for trained models). With --class K: the guided\n"
      "ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y), its score and x̂₀, plus log pₜ(x|y) and log pₜ(y|x).\n" +
          std::string(kScheduleRule));
  add_model_options(p);
  p.option("objective", "eps|flow", "flow: the velocity v(x, t) at flow time t ∈ [0, 1] instead", "eps");
  p.option("t", "T", "code index 0 … T−1")
      .option("at", "x,y", "one point")
      .option("grid", "xmin,xmax,ymin,ymax,n", "an n × n grid")
      .option("out", "FILE.csv", "output (default: standard output)");
  add_guidance_options(p);
  if (!p.parse(argc, argv, 2)) return 0;
  if (p.get("objective") != "eps") throw UsageError("--objective must be eps or flow");
  auto model = model_from_options(p);
  if (model->is_image()) throw UsageError("field is for 2-D models; for images use sample or eval");
  GuidedModel guided = guided_model(p, *model);
  const int t = p.get_int("t", 0, model->schedule.T() - 1);
  std::vector<float> xy;
  if (p.has("at") == p.has("grid")) throw UsageError("give exactly one of --at and --grid");
  if (p.has("at")) {
    const auto v = parse_number_list(p.get("at"), "at", 2);
    xy = {static_cast<float>(v[0]), static_cast<float>(v[1])};
  } else {
    const auto g = parse_number_list(p.get("grid"), "grid", 5);
    const int n = static_cast<int>(g[4]);
    if (n < 1 || n > 2000 || g[4] != n) throw UsageError("--grid: n must be a whole number 1 … 2000");
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const double fx = n == 1 ? 0.5 : static_cast<double>(i) / (n - 1);
        const double fy = n == 1 ? 0.5 : static_cast<double>(j) / (n - 1);
        xy.push_back(static_cast<float>(g[0] + fx * (g[1] - g[0])));
        xy.push_back(static_cast<float>(g[2] + fy * (g[3] - g[2])));
      }
  }
  const int n = static_cast<int>(xy.size() / 2);
  std::vector<float> eps(xy.size());
  Denoiser& d = guided.guided ? *guided.guided : model->model();
  d.predict_eps(xy.data(), n, t, eps.data());
  const NoiseSchedule& s = model->schedule;
  // With --class: ε̃, score and x̂₀ are the guided ones; log_p is log pₜ(x), then log pₜ(x|y) and log pₜ(y|x).
  std::string csv = guided.guided
                        ? "x,y,eps_x,eps_y,score_x,score_y,x0_x,x0_y,log_p,log_p_x_given_y,log_p_y_given_x\n"
                        : "x,y,eps_x,eps_y,score_x,score_y,x0_x,x0_y,log_p\n";
  char line[320];
  for (int i = 0; i < n; ++i) {
    const double x = xy[2 * i], y = xy[2 * i + 1];
    const double log_p = model->oracle ? model->oracle->evaluate(x, y, t).log_p : NAN;
    int used =
        std::snprintf(line, sizeof line, "%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g", x, y, eps[2 * i],
                      eps[2 * i + 1], score_from_eps(s, t, eps[2 * i]), score_from_eps(s, t, eps[2 * i + 1]),
                      x0_from_eps(s, t, x, eps[2 * i]), x0_from_eps(s, t, y, eps[2 * i + 1]), log_p);
    if (guided.guided) {
      ConditionalQuantities q;
      q.log_p_cond = q.log_prob_class = NAN;
      if (guided.exact) q = guided.exact->evaluate(x, y, t, guided.options.label);
      used += std::snprintf(line + used, sizeof line - used, ",%.9g,%.9g", q.log_p_cond, q.log_prob_class);
    }
    std::snprintf(line + used, sizeof line - used, "\n");
    csv += line;
  }
  if (p.has("out"))
    write_file_atomically(p.get("out"), csv);
  else
    std::fputs(csv.c_str(), stdout);
  return 0;
}

}  // namespace difflab
