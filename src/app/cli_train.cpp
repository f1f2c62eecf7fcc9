// cli_train.cpp — `difflab train`: trains the 2-D MLP denoiser and writes a checkpoint.
// Not the training loop itself (train/trainer.cpp); this parses options, shows progress, saves.
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <initializer_list>
#include <optional>
#include <thread>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "core/mode_metrics.h"
#include "data/idx.h"
#include "nn/dit.h"
#include "train/checkpoint.h"
#include "train/cond_objective.h"
#include "train/generative_trainer.h"
#include "train/image_trainer.h"
#include "train/personalize.h"
#include "train/trainer.h"

namespace difflab {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void remember_stop_signal(int signal) {
  g_stop_signal = signal;
}

// While alive, SIGINT and SIGTERM only set g_stop_signal: the training loop finishes the step it is in, saves
// the last completed step and exits 128 + signal. SA_RESETHAND: a second Ctrl-C kills at once (the previous
// checkpoint file is safe either way: every write is atomic).
class StopOnSignals {
 public:
  StopOnSignals() {
    g_stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = remember_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopOnSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  static int signal() { return g_stop_signal; }

 private:
  struct sigaction old_int_ = {};
  struct sigaction old_term_ = {};
};

// After SIGINT/SIGTERM: writes `checkpoint` (the last completed step), says where, returns 128 + signal.
int save_after_signal(int signal, const std::string& out, const Checkpoint& checkpoint, int steps) {
  const char* name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal";
  if (checkpoint.step == 0) {
    std::fprintf(stderr, "\ninterrupted by %s before the first step: nothing written (%s left as it was)\n",
                 name, out.c_str());
    return 128 + signal;
  }
  save_checkpoint(out, checkpoint);
  std::fprintf(stderr, "\ninterrupted by %s: saved step %d of %d to %s\n", name, checkpoint.step, steps,
               out.c_str());
  return 128 + signal;
}

// After a diverged step (the trainer has already restored its last good state): halve the learning rate and
// go on, at most five times. False when training should stop.
template <typename AnyTrainer>
bool recover_from_divergence(AnyTrainer& trainer, const StepResult& r, int* retries) {
  const float lr = trainer.config().optimizer.lr * 0.5f;
  std::fprintf(stderr,
               "\ndiverged (loss = %g): restored the last good state (step %d); learning rate %g → %g\n",
               r.loss, trainer.last_good_step(), trainer.config().optimizer.lr, lr);
  if (++*retries > 5) {
    std::fprintf(stderr, "error: training keeps diverging; try a smaller --lr\n");
    return false;
  }
  trainer.set_learning_rate(lr);
  return true;
}

// `difflab train --dataset fashion-mnist|idx:…`: the image U-Net. Options not given take image defaults.
int train_images(const ArgParser& p) {
  ImageTrainConfig c;
  c.dataset = p.require("dataset");
  const std::string out = p.require("out");
  const std::string arch = p.given("arch") ? p.get("arch") : "classroom";
  // --model dit: the diffusion transformer (nn/dit.h) through the same trainer and objective.
  const bool dit = p.get("model") == "dit";
  DiTConfig dit_config;
  if (dit && !dit_preset(arch, &dit_config))
    throw UsageError("--arch must be classroom or small for --model dit");
  if (!dit && !unet_preset(arch, &c.model)) throw UsageError("--arch must be classroom, A or B");
  c.steps = p.given("steps") ? p.get_int("steps", 1, 100000000) : c.steps;
  c.batch = p.given("batch") ? p.get_int("batch", 1, 4096) : c.batch;
  if (p.given("lr")) c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-12, 10));
  c.optimizer.weight_decay = static_cast<float>(p.get_double("weight-decay", 0, 10));
  c.grad_clip = static_cast<float>(p.get_double("grad-clip", 0, 1e9));
  if (p.given("ema-decay")) c.ema_decay = static_cast<float>(p.get_double("ema-decay", 0, 0.999999));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.threads = p.given("threads") ? p.get_int("threads", 1, 256)
                                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (p.given("classes")) c.model.num_classes = p.get_int("classes", 0, 100000);
  if (p.given("prediction") && p.get("prediction") == "edm")
    throw UsageError(
        "--prediction edm (EDM preconditioning) is for the 2-D MLP; the image U-Net predicts eps");
  if (p.given("prediction") && p.get("prediction") != "eps") throw UsageError("the image U-Net predicts eps");
  for (const char* option : {"sigma-data", "p-mean", "p-std"})
    if (p.given(option)) throw UsageError(std::string("--") + option + " is for --prediction edm (2-D data)");
  if (p.given("loss") && p.get("loss") != "simple")
    throw UsageError("the image U-Net trains with --loss simple");
  c.objective = p.get("objective");
  c.flow_time = p.get("flow-time");
  if (c.objective != "diffusion" && c.objective != "flow")
    throw UsageError("--objective must be diffusion or flow, not '" + c.objective + "'");
  if (c.flow_time != "uniform" && c.flow_time != "logit-normal")
    throw UsageError("--flow-time must be uniform or logit-normal");
  c.schedule = schedule_from_options(p, DataKind::Images).value_or(default_schedule(DataKind::Images));
  check_writable_output(out);  // a bad --out must not throw away the run
  ImageDataset data = load_image_dataset(c.dataset, true);
  if (c.model.num_classes > 0 && data.num_classes > c.model.num_classes)
    throw UsageError("--classes " + std::to_string(c.model.num_classes) + " is fewer than the data's " +
                     std::to_string(data.num_classes) + " classes");
  if (p.given("exclude-class")) {  // a held-out class (the subject of difflab finetune, lesson 18)
    const int held_out = p.get_int("exclude-class", 0, 100000);
    if (data.labels.empty() || held_out >= data.num_classes)
      throw UsageError("--exclude-class " + std::to_string(held_out) + ": the data has no class " +
                       std::to_string(held_out) + " (" + std::to_string(data.num_classes) + " classes)");
    data = without_class(data, held_out);
  }
  std::fprintf(stderr, "data: %s\n", data.description.c_str());
  if (dit) {
    dit_config.height = data.height, dit_config.width = data.width, dit_config.in_channels = data.channels;
    dit_config.num_classes = c.model.num_classes;
    c.family = "dit";
    c.family_config = dit_config_map(dit_config);
    std::fprintf(stderr, "model: %s\n", describe(dit_config).c_str());
  }
  c.backend = backend_from_options(p);
  ImageTrainer trainer(c, std::move(data));
  print_backend_note(trainer.backend_choice());
  std::fprintf(stderr, "training: %s, %zu parameters\n", describe(c).c_str(), trainer.model().num_params());
  ProgressBar bar("train", c.steps);
  const bool quiet = p.get_flag("quiet");
  double smoothed = NAN;
  int retries = 0;
  const auto start = std::chrono::steady_clock::now();
  const StopOnSignals stop;
  while (trainer.step_count() < c.steps && !StopOnSignals::signal()) {
    const StepResult r = trainer.step();
    if (r.diverged) {
      if (!recover_from_divergence(trainer, r, &retries)) return 1;
      continue;
    }
    smoothed = std::isnan(smoothed) ? r.loss : 0.98 * smoothed + 0.02 * r.loss;
    if (!quiet) {
      char extra[64];
      std::snprintf(extra, sizeof extra, "loss %.4f", smoothed);
      bar.update(trainer.step_count(), extra);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!StopOnSignals::signal())
    std::fprintf(stderr, "done: %d steps in %.1f s (%.1f images/s); final smoothed loss %.4f\n", c.steps,
                 seconds, c.steps * static_cast<double>(c.batch) / seconds, smoothed);
  Checkpoint ck;
  ck.architecture = trainer.model().family();
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.prediction = Prediction::Eps;
  ck.flow = c.objective == "flow";  // header: prediction = flow
  ck.dataset = c.dataset;
  ck.loss = ck.flow ? "flow" : "simple";
  if (ck.flow) ck.extra["time_distribution"] = c.flow_time;
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  ck.ema_params = trainer.read_params(true);
  if (!p.get_flag("ema-only")) ck.params = trainer.read_params(false);
  char number[64];
  std::snprintf(number, sizeof number, "%.6g", c.optimizer.lr);
  ck.extra["lr"] = number;
  ck.extra["batch"] = std::to_string(c.batch);
  std::snprintf(number, sizeof number, "%.6g", c.ema_decay);
  ck.extra["ema_decay"] = number;
  std::snprintf(number, sizeof number, "%.6g", smoothed);
  ck.extra["final_loss"] = number;
  if (const int signal = StopOnSignals::signal()) return save_after_signal(signal, out, ck, c.steps);
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

// CPU seconds of the calling thread (training runs on one thread).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// `train --model gan|vae`: the trilemma's other two families on a 2-D data set, through TrainLoop. The
// checkpoint's header has architecture = gan|vae and the family's configuration keys (model_family.cpp); it
// is not a denoiser, so `sample` refuses it; `difflab eval --samples` scores its --samples-out.
int train_generative(const ArgParser& p, GenerativeKind kind) {
  GenerativeConfig c;
  c.dataset = p.require("dataset");
  if (is_image_dataset_spec(c.dataset)) throw UsageError("--model gan|vae trains on 2-D data sets");
  const std::string out = p.require("out");
  const int steps = p.get_int("steps", 1, 100000000);
  c.batch = p.get_int("batch", 1, 65536);
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.train_points = p.get_int("train-points", 1, 10000000);
  if (p.given("lr")) c.gan_lr = c.vae_lr = static_cast<float>(p.get_double("lr", 1e-12, 10));
  if (p.given("d-lr")) c.gan_d_lr = static_cast<float>(p.get_double("d-lr", 1e-12, 10));
  for (GanConfig* g : {&c.gan}) {
    if (p.given("width")) g->width = p.get_int("width", 1, 4096);
    if (p.given("depth")) g->depth = p.get_int("depth", 1, 64);
    if (p.given("latent")) g->latent = p.get_int("latent", 1, 64);
    if (p.given("activation") && !parse_activation(p.get("activation"), &g->activation))
      throw UsageError("--activation: gelu, relu or silu");
    g->spectral_norm = p.get_flag("spectral-norm");
  }
  if (p.given("width")) c.vae.width = c.gan.width;
  if (p.given("depth")) c.vae.depth = c.gan.depth;
  if (p.given("latent")) c.vae.latent = c.gan.latent;
  c.vae.activation = c.gan.activation;
  if (p.given("decoder-sigma")) {
    c.vae.decoder_sigma = p.get_double("decoder-sigma", 1e-4, 100);
    c.vae.learned_sigma = false;
  }
  c.beta = p.get_double("beta", 0, 1000);
  c.d_steps = p.get_int("d-steps", 1, 100);
  check_writable_output(out);
  c.backend = backend_from_options(p);
  GenerativeTrainer trainer(kind, c);
  print_backend_note(trainer.backend_choice());
  std::fprintf(stderr, "training: %s, %s, %zu parameters, %d steps\n", trainer.objective().name().c_str(),
               c.dataset.c_str(), trainer.model().num_params(), steps);
  ProgressBar bar("train", steps);
  const bool quiet = p.get_flag("quiet");
  const auto start = std::chrono::steady_clock::now();
  double smoothed = NAN;
  // --eval-every: score 1000 samples against held-out data (not counted as training time) and remember when
  // the best sliced W₂ was reached. Training time is this thread's CPU time: one core's seconds, whatever
  // else the machine runs.
  const int eval_every = p.get_int("eval-every", 0, 100000000);
  const Dataset2D& data = trainer.dataset();
  const PointSet held_out = data.sample(1000, c.seed + 5000);
  std::optional<GaussianMixture2D> modes;
  if (data.is_mixture() && has_labelled_modes(data.oracle_mixture())) modes = data.oracle_mixture();
  double train_seconds = 0, best_swd = INFINITY, best_seconds = 0;
  int best_step = 0;
  for (int step = 1; step <= steps && !StopOnSignals::signal(); ++step) {
    const double t0 = thread_cpu_seconds();
    const StepResult r = trainer.step();
    train_seconds += thread_cpu_seconds() - t0;
    if (eval_every > 0 && (step % eval_every == 0 || step == steps)) {
      const SampleScore s =
          score_samples(trainer.sample(1000, c.seed + step), held_out.xy,
                        data.sample(1000, c.seed + 6000 + step).xy, modes ? &*modes : nullptr);
      if (s.swd < best_swd) best_swd = s.swd, best_seconds = train_seconds, best_step = step;
      std::fprintf(stderr, "step %d (%.2f s of training on one core): sliced W2 %.4f (floor %.4f)", step,
                   train_seconds, s.swd, s.swd_floor);
      if (s.has_modes)
        std::fprintf(stderr, ", modes %d of %d, high quality %.1f %%", s.coverage.modes_covered,
                     s.coverage.modes, 100 * s.coverage.high_quality_fraction);
      std::fprintf(stderr, "\n");
    }
    if (r.diverged) std::fprintf(stderr, "step %d: not finite; back to the last good state\n", step);
    smoothed = std::isnan(smoothed) ? r.loss : 0.98 * smoothed + 0.02 * r.loss;
    if (!quiet) {
      char extra[64];
      std::snprintf(extra, sizeof extra, "loss %.4f", smoothed);
      bar.update(step, extra);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "done: %d steps in %.1f s (%.0f steps/s)\n", trainer.step_count(), seconds,
               trainer.step_count() / seconds);
  if (eval_every > 0)
    std::fprintf(stderr, "best sliced W2 %.4f at step %d, after %.2f s of training on one core\n", best_swd,
                 best_step, best_seconds);
  Checkpoint ck;
  ck.architecture = generative_kind_name(kind);
  ck.dataset = c.dataset;
  ck.loss = trainer.objective().name();
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  ck.ema_params = trainer.read_params();
  ck.params = ck.ema_params;
  ck.model_config = trainer.model().config_map();
  ck.denoiser = false;
  char number[64];
  std::snprintf(number, sizeof number, "%.6g", kind == GenerativeKind::Gan ? c.gan_lr : c.vae_lr);
  ck.extra["lr"] = number;
  ck.extra["batch"] = std::to_string(c.batch);
  if (kind == GenerativeKind::Gan) {
    std::snprintf(number, sizeof number, "%.6g", c.gan_d_lr);
    ck.extra["d_lr"] = number;
    ck.extra["d_steps"] = std::to_string(c.d_steps);
  }
  if (kind == GenerativeKind::Vae) {
    std::snprintf(number, sizeof number, "%.6g", c.beta);
    ck.extra["beta"] = number;
  }
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  if (p.given("samples-out")) {
    const int n = p.get_int("samples-n", 1, 10000000);
    PointSet points;
    points.xy = trainer.sample(n, c.seed + 99);
    write_points_csv(p.get("samples-out"), points);
    std::fprintf(stderr, "wrote %d samples to %s\n", n, p.get("samples-out").c_str());
  }
  return 0;
}

// The options of the trainers on labelled 2-D points (--model cond-mlp, noise-classifier) after --dataset and
// --out: steps, optimiser, the MLP's width, depth and activation, classes, schedule; `not_for`: options of
// other families, refused. The caller reads --embedding-size (cond-mlp takes its default, the classifier
// keeps its own) and its family's own options.
void read_labelled_options(const ArgParser& p, const char* model, std::initializer_list<const char*> not_for,
                           LabelledTrainSettings& c, int* steps, MlpConfig& mlp) {
  *steps = p.get_int("steps", 1, 100000000);
  c.batch = p.get_int("batch", 1, 65536);
  c.lr = static_cast<float>(p.get_double("lr", 1e-12, 10));
  c.grad_clip = static_cast<float>(p.get_double("grad-clip", 0, 1e9));
  c.ema_decay = static_cast<float>(p.get_double("ema-decay", 0, 0.999999));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  mlp.width = p.get_int("width", 1, 4096);
  mlp.depth = p.get_int("depth", 0, 64);
  if (!parse_activation(p.get("activation"), &mlp.activation))
    throw UsageError("--activation: gelu, relu or silu");
  if (p.given("classes")) c.classes_mod = p.get_int("classes", 1, 1000);
  c.train_points = p.get_int("train-points", 1, 10000000);
  for (const char* option : not_for)
    if (p.given(option)) throw UsageError(std::string("--") + option + " is not for --model " + model);
  c.schedule = schedule_from_options(p, DataKind::Points2D).value_or(default_schedule(DataKind::Points2D));
}

// Steps a labelled trainer to `steps` with a progress bar of the smoothed loss (moving average, 0.99) and
// what `progress_text(smoothed)` says (called after every step, quiet or not). Then, at a signal, saves the
// last completed step (save_after_signal's code); else says `done(smoothed)` and writes the checkpoint (0).
// A diverged step stops with 1.
template <typename LabelledTrainer>
int run_labelled_training(LabelledTrainer& trainer, int steps, const ArgParser& p, const std::string& out,
                          const std::function<std::string(double smoothed)>& progress_text,
                          const std::function<void(double smoothed)>& done,
                          const std::function<Checkpoint()>& checkpoint) {
  ProgressBar bar("train", steps);
  const bool quiet = p.get_flag("quiet");
  double smoothed = NAN;
  const StopOnSignals stop;
  while (trainer.step_count() < steps && !StopOnSignals::signal()) {
    const StepResult r = trainer.step();
    if (r.diverged) {
      std::fprintf(stderr, "\ndiverged (loss = %g); try a smaller --lr\n", r.loss);
      return 1;
    }
    smoothed = std::isnan(smoothed) ? r.loss : 0.99 * smoothed + 0.01 * r.loss;
    const std::string text = progress_text(smoothed);
    if (!quiet) bar.update(trainer.step_count(), text.c_str());
  }
  if (const int signal = StopOnSignals::signal()) return save_after_signal(signal, out, checkpoint(), steps);
  done(smoothed);
  save_checkpoint(out, checkpoint());
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

// `difflab train --model cond-mlp`: the class-conditional 2-D MLP with label dropout (classifier-free
// guidance, Ho & Salimans 2022). Architecture, schedule and optimizer options as the 2-D MLP's.
int train_cond(const ArgParser& p) {
  CondTrainConfig c;
  c.dataset = p.require("dataset");
  const std::string out = p.require("out");
  read_labelled_options(p, "cond-mlp", {"prediction", "loss", "sigma-data", "p-mean", "p-std", "arch"}, c,
                        &c.steps, c.model.mlp);
  c.model.mlp.embedding_size = p.get_int("embedding-size", 4, 4096);
  if (c.model.mlp.embedding_size % 2) throw UsageError("--embedding-size must be even");
  c.p_uncond = p.get_double("p-uncond", 0, 1);
  check_writable_output(out);
  c.backend = backend_from_options(p);
  CondTrainer trainer(c);
  print_backend_note(trainer.backend_choice());
  std::fprintf(stderr,
               "training: class-conditional MLP %d×%d on %s, %d classes, p_uncond %g, %zu parameters\n",
               c.model.mlp.width, c.model.mlp.depth, c.dataset.c_str(), trainer.model().num_classes(),
               c.p_uncond, trainer.model().num_params());
  const auto start = std::chrono::steady_clock::now();
  return run_labelled_training(
      trainer, c.steps, p, out,
      [](double smoothed) {
        char extra[64];
        std::snprintf(extra, sizeof extra, "loss %.4f", smoothed);
        return std::string(extra);
      },
      [&](double smoothed) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "done: %d steps in %.2f s (%.0f steps/s); final smoothed loss %.4f\n", c.steps,
                     seconds, c.steps / seconds, smoothed);
      },
      [&] { return cond_checkpoint_of(trainer, p.get_flag("ema-only")); });
}

// `difflab train --model noise-classifier`: the noise-conditional classifier p(y | xₜ, t) for classifier
// guidance (Dhariwal & Nichol 2021), cross-entropy on (xₜ, t, y) from the forward process.
int train_noise_classifier(const ArgParser& p) {
  NoiseClassifierTrainConfig c;
  c.dataset = p.require("dataset");
  const std::string out = p.require("out");
  read_labelled_options(p, "noise-classifier",
                        {"prediction", "loss", "sigma-data", "p-mean", "p-std", "arch", "p-uncond"}, c,
                        &c.steps, c.model.mlp);
  if (p.given("embedding-size")) c.model.mlp.embedding_size = p.get_int("embedding-size", 4, 4096);
  if (c.model.mlp.embedding_size % 2) throw UsageError("--embedding-size must be even");
  check_writable_output(out);
  c.backend = backend_from_options(p);
  NoiseClassifierTrainer trainer(c);
  print_backend_note(trainer.backend_choice());
  std::fprintf(stderr, "training: noise-conditional classifier %d×%d on %s, %d classes, %zu parameters\n",
               c.model.mlp.width, c.model.mlp.depth, c.dataset.c_str(), trainer.model().num_classes(),
               trainer.model().num_params());
  double accuracy = NAN;
  return run_labelled_training(
      trainer, c.steps, p, out,
      [&](double smoothed) {
        const double a = trainer.objective().last_metrics()[0].second;
        accuracy = std::isnan(accuracy) ? a : 0.99 * accuracy + 0.01 * a;
        char extra[80];
        std::snprintf(extra, sizeof extra, "loss %.4f, accuracy %.3f", smoothed, accuracy);
        return std::string(extra);
      },
      [&](double smoothed) {
        std::fprintf(stderr, "done: %d steps; smoothed cross-entropy %.4f, accuracy over all t %.3f\n",
                     c.steps, smoothed, accuracy);
      },
      [&] { return noise_classifier_checkpoint_of(trainer, p.get_flag("ema-only")); });
}

}  // namespace

int cli_train(int argc, char** argv) {
  // `--model autoencoder` (latent diffusion) has its own options: the same command as `difflab latent ae`.
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--model=autoencoder" ||
        (std::string(argv[i]) == "--model" && i + 1 < argc && std::string(argv[i + 1]) == "autoencoder"))
      return cli_train_autoencoder(argc, argv);
  if (train_wants_clip(argc, argv)) return cli_train_clip(argc, argv);  // its own options (app/cli_clip.cpp)
  const TrainConfig defaults;
  ArgParser p(
      "difflab train --dataset D [options] --out CKPT",
      "Trains an MLP denoiser on a 2-D data set (Ho et al. 2020, Algorithm 1) on --backend and writes a\n"
      "checkpoint with the EMA weights. The defaults train a good model in a few seconds.\n"
      "Image data (--dataset fashion-mnist, fashion-mnist:DIR or idx:IMAGES[,LABELS]) trains the U-Net of\n"
      "--arch instead, with image defaults where an option is not given: 3000 steps, batch 64, lr 1e-3,\n"
      "EMA 0.999, linear schedule 1e-4 … 0.02 with T = 1000, all cores.\n"
      "--out is checked before training. SIGINT/SIGTERM (Ctrl-C) saves the last completed step to --out\n"
      "and exits with 130/143; a second Ctrl-C stops at once (writes are atomic: --out is never "
      "half-written).\n" +
          std::string(kScheduleRule));
  p.option("dataset", "D",
           "data set (a preset, gmm:FILE.json, csv:FILE.csv, or images: fashion-mnist, idx:IMAGES[,LABELS])")
      .option("out", "CKPT", "checkpoint to write (atomically)")
      .option("steps", "N", "optimizer steps", std::to_string(defaults.steps))
      .option("batch", "B", "minibatch size", std::to_string(defaults.batch))
      .option("lr", "LR", "AdamW learning rate", "2e-3")
      .option("weight-decay", "W", "AdamW decoupled weight decay", "0")
      .option("grad-clip", "C", "global gradient-norm clip (0 = off)", "1")
      .option("ema-decay", "D", "EMA decay of the weights (0 = off)", "0.995")
      .option("seed", "S", "random seed (data, init, noise)", "0")
      .option("width", "W", "hidden width", std::to_string(defaults.model.width))
      .option("depth", "L", "residual blocks", std::to_string(defaults.model.depth))
      .option("embedding-size", "E", "sinusoidal embedding size per input", "128")
      .option("activation", "A", "gelu | relu | silu", "gelu")
      .option(
          "prediction", "P",
          "what the network predicts: eps | x0 | v, or edm: F inside Karras et al. 2022's preconditioning "
          "(Table 1: c_skip, c_out, c_in, c_noise; log-normal σ; λ(σ) = (σ² + σ_data²)/(σ σ_data)²)",
          "eps")
      .option("sigma-data", "S", "--prediction edm: σ_data (default: measured from the training points)")
      .option("p-mean", "M", "--prediction edm: mean of ln σ in training", "-1.2")
      .option("p-std", "S", "--prediction edm: standard deviation of ln σ in training", "1.2")
      .option("loss", "L", "simple | vlb | hybrid", "simple")
      .option("train-points", "N", "size of the fixed training set", std::to_string(defaults.train_points))
      .option("threads", "N", "threads for large ops (1 is fastest below batch ≈ 512)", "1")
      .option("eval-every", "N", "steps between sliced-W2 evaluations (0 = only at the end)", "0");
  add_schedule_options(p);
  p.option("arch", "NAME", "images: U-Net size classroom | A | B (default classroom)")
      .option("classes", "K",
              "images: add a class embedding for K classes plus a null class (default 0 = off); --model "
              "cond-mlp: K classes from the data's labels, label mod K (8gaussians with 2: alternate modes)");
  p.option("exclude-class", "K",
           "images: leave out every image of class K (the held-out subject of lesson 18)");
  p.option(
       "model", "M",
       "2-D: the family to train: diffusion (the MLP denoiser, default) | gan | vae | cond-mlp "
       "(class-conditional, label dropout, for classifier-free guidance) | noise-classifier (p(y | x_t, t), "
       "for classifier guidance) | clip (the mini-CLIP on Fashion-MNIST; `difflab train --model clip "
       "--help`); images: dit (the diffusion transformer; --arch classroom | small)",
       "diffusion")
      .option("p-uncond", "P", "cond-mlp: probability that a training label is replaced by the null class",
              "0.1")
      .option("objective", "diffusion|flow",
              "images: flow trains by rectified flow (xₜ = (1 − t)·x₀ + t·ε, target v = ε − x₀); 2-D flows: "
              "`difflab flow train`",
              "diffusion")
      .option("flow-time", "uniform|logit-normal", "--objective flow: how t is drawn", "uniform")
      .option("latent", "D", "gan|vae: latent dimension (default 2)")
      .option("beta", "B", "vae: weight of the KL term (β-VAE)", "1")
      .option("decoder-sigma", "S", "vae: fix the decoder's σ at S (default: learned)")
      .option("d-lr", "LR",
              "gan: the discriminator's learning rate (default 2e-4, 5× slower than the generator's 1e-3: "
              "collapse-prone)")
      .option("d-steps", "K", "gan: discriminator steps per generator step", "1")
      .option("samples-out", "FILE.csv", "gan|vae: also write samples of the trained model here")
      .option("samples-n", "N", "gan|vae: how many --samples-out points", "2000");
  add_backend_option(p);
  p.flag("spectral-norm", "gan: spectral norm on the discriminator's weights (Miyato et al. 2018)");
  p.flag("quiet", "no progress bar");
  p.flag("ema-only", "store only the EMA weights (half the size; enough to sample, not to resume)");
  if (!p.parse(argc, argv, 2)) return 0;
  const std::string family = p.get("model");
  if (family == "gan") return train_generative(p, GenerativeKind::Gan);
  if (family == "vae") return train_generative(p, GenerativeKind::Vae);
  if (family == "cond-mlp") return train_cond(p);
  if (family == "noise-classifier") return train_noise_classifier(p);
  if (family == "dit" && !is_image_dataset_spec(p.require("dataset")))
    throw UsageError("--model dit trains on image data sets (fashion-mnist, idx:…)");
  if (family != "diffusion" && family != "dit")
    throw UsageError("--model must be diffusion, gan, vae, cond-mlp, noise-classifier or dit");
  if (p.given("p-uncond")) throw UsageError("--p-uncond is for --model cond-mlp");
  if (is_image_dataset_spec(p.require("dataset"))) return train_images(p);
  if (p.get("objective") != "diffusion")
    throw UsageError("--objective flow is for images here; 2-D flows train with `difflab flow train`");
  if (p.given("arch") || p.given("classes")) throw UsageError("--arch and --classes are for image data sets");
  TrainConfig c;
  c.dataset = p.require("dataset");
  const std::string out = p.require("out");
  c.steps = p.get_int("steps", 1, 100000000);
  c.batch = p.get_int("batch", 1, 65536);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-12, 10));
  c.optimizer.weight_decay = static_cast<float>(p.get_double("weight-decay", 0, 10));
  c.grad_clip = static_cast<float>(p.get_double("grad-clip", 0, 1e9));
  c.ema_decay = static_cast<float>(p.get_double("ema-decay", 0, 0.999999));
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.model.width = p.get_int("width", 1, 4096);
  c.model.depth = p.get_int("depth", 0, 64);
  c.model.embedding_size = p.get_int("embedding-size", 4, 4096);
  if (c.model.embedding_size % 2) throw UsageError("--embedding-size must be even");
  if (!parse_activation(p.get("activation"), &c.model.activation))
    throw UsageError("--activation: gelu, relu or silu");
  c.edm = p.get("prediction") == "edm";
  if (!c.edm && !parse_prediction(p.get("prediction"), &c.prediction))
    throw UsageError("--prediction: eps, x0, v or edm");
  if (c.edm) {
    if (p.given("loss") && p.get("loss") != "simple")
      throw UsageError("--prediction edm trains with EDM's own loss (leave out --loss)");
    if (p.given("sigma-data")) c.sigma_data = p.get_double("sigma-data", 1e-6, 1e6);
    c.edm_noise.p_mean = p.get_double("p-mean", -20, 20);
    c.edm_noise.p_std = p.get_double("p-std", 1e-3, 10);
    c.model.time_scale = kEdmTimeScale;  // the time input is c_noise = ¼ ln σ, not the code index
  } else {
    for (const char* option : {"sigma-data", "p-mean", "p-std"})
      if (p.given(option)) throw UsageError(std::string("--") + option + " is for --prediction edm");
  }
  if (!parse_loss_kind(p.get("loss"), &c.loss)) throw UsageError("--loss: simple, vlb or hybrid");
  c.train_points = p.get_int("train-points", 1, 10000000);
  c.threads = p.get_int("threads", 1, 256);
  c.eval_every = p.get_int("eval-every", 0, 100000000);
  c.schedule = schedule_from_options(p, DataKind::Points2D).value_or(default_schedule(DataKind::Points2D));
  check_writable_output(out);  // a bad --out must not throw away the run

  c.backend = backend_from_options(p);
  Trainer trainer(c);
  print_backend_note(trainer.backend_choice());
  std::fprintf(stderr, "training: %s\n", describe(c).c_str());
  if (c.edm)
    std::fprintf(stderr, "EDM preconditioning: σ_data = %.4g%s, ln σ ~ N(%g, %g²)\n",
                 trainer.edm_precond().sigma_data, c.sigma_data > 0 ? "" : " (measured)", c.edm_noise.p_mean,
                 c.edm_noise.p_std);
  ProgressBar bar("train", c.steps);
  const bool quiet = p.get_flag("quiet");
  double smoothed = NAN;
  int retries = 0;
  const auto start = std::chrono::steady_clock::now();
  const StopOnSignals stop;
  while (trainer.step_count() < c.steps && !StopOnSignals::signal()) {
    const StepResult r = trainer.step();
    if (r.diverged) {
      if (!recover_from_divergence(trainer, r, &retries)) return 1;
      continue;
    }
    smoothed = std::isnan(smoothed) ? r.loss : 0.99 * smoothed + 0.01 * r.loss;
    const int step = trainer.step_count();
    if (c.eval_every > 0 && step % c.eval_every == 0 && step < c.steps)
      std::fprintf(stderr, "%sstep %d: sliced W2 %.4f (floor %.4f)\n", quiet ? "" : "\n", step,
                   trainer.evaluate_swd(), trainer.swd_floor());
    if (!quiet) {
      char extra[64];
      std::snprintf(extra, sizeof extra, "loss %.4f", smoothed);
      bar.update(step, extra);
    }
  }
  if (const int signal = StopOnSignals::signal())
    return save_after_signal(signal, out, checkpoint_of(trainer, p.get_flag("ema-only")), c.steps);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double swd = trainer.evaluate_swd();
  std::fprintf(
      stderr,
      "done: %d steps in %.2f s (%.0f steps/s); sliced W2 %.4f, data-vs-data floor %.4f (ratio %.2f)\n",
      c.steps, seconds, c.steps / seconds, swd, trainer.swd_floor(), swd / trainer.swd_floor());

  Checkpoint ck = checkpoint_of(trainer, p.get_flag("ema-only"));
  char number[64];
  std::snprintf(number, sizeof number, "%.6g", swd);
  ck.extra["swd"] = number;
  std::snprintf(number, sizeof number, "%.6g", trainer.swd_floor());
  ck.extra["swd_floor"] = number;
  save_checkpoint(out, ck);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

}  // namespace difflab
