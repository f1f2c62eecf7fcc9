// panel_spec.cpp — the table of live panels and their typed parameters, and the value checker.
// Not the panels themselves: src/ui draws each one by name.
#include "lessons/panel_spec.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sample/sampler_table.h"

namespace difflab {
namespace {

// Small builders so that a panel is a few readable lines in the table below.
ParamSpec int_param(std::string name, int min, int max, int fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Int, double(min), double(max), std::to_string(fallback), {},
                   std::move(help)};
}

ParamSpec float_param(std::string name, double min, double max, std::string fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Float, min, max, std::move(fallback), {}, std::move(help)};
}

ParamSpec bool_param(std::string name, bool fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Bool, 0, 1, fallback ? "true" : "false", {}, std::move(help)};
}

ParamSpec enum_param(std::string name, std::vector<std::string> choices, std::string fallback,
                     std::string help) {
  return ParamSpec{std::move(name),    ParamType::Enum, 0, 0, std::move(fallback),
                   std::move(choices), std::move(help)};
}

// A comma-separated list of some of `choices` (a String parameter with choices; validate_param checks each).
ParamSpec list_param(std::string name, std::vector<std::string> choices, std::string fallback,
                     std::string help) {
  return ParamSpec{std::move(name),    ParamType::String, 0, 0, std::move(fallback),
                   std::move(choices), std::move(help)};
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {"linear", "quadratic", "cosine", "sigmoid"};
  return names;
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

const ParamSpec* PanelSpec::find(const std::string& param) const {
  for (const ParamSpec& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

const std::vector<PanelSpec>& panel_specs() {
  static const std::vector<PanelSpec> specs = {
      {"train",
       "Trains an MLP denoiser ε_θ(xₜ, t) on a 2-D data set, live, and shows the data beside the model's "
       "samples.",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set (data/toy2d.h presets)"),
           int_param("width", 16, 1024, 128, "hidden units per layer"),
           int_param("depth", 1, 8, 3, "hidden layers"),
           float_param("lr", 1e-5, 1.0, "2e-3", "AdamW learning rate"),
           int_param("batch", 1, 4096, 256, "points per training step"),
           enum_param("schedule", schedule_names(), "linear",
                      "β schedule (MATH.md: diffusers' names in brackets)"),
           int_param("T", 2, 4000, 100,
                     "diffusion steps (linear: DDPM's 1e-4 … 0.02 at T = 1000, scaled by 1000/T)"),
           bool_param("autoplay", false, "start training when the slide opens"),
           enum_param("view", {"samples", "minibatch", "loss_by_t", "quality"}, "samples",
                      "samples over the data; one minibatch of Algorithm 1 in slow motion; loss per t over "
                      "training; loss beside sample quality (sliced W₂)"),
           enum_param("loss", {"simple", "vlb", "hybrid"}, "simple", "training objective"),
           enum_param("prediction", {"eps", "x0", "v"}, "eps", "what the network predicts"),
           bool_param("draw", false, "draw your own data with the mouse (add, erase, clear) and train on it"),
       }},
      {"trilemma",
       "The generative learning trilemma, live: a GAN, a VAE and a diffusion MLP (about 99k parameters each) "
       "train side by side on the same 2-D data, each on its own worker, with their samples over the data, "
       "sliced W₂ against its floor, modes covered, the high-quality fraction and the time per sample "
       "(diffusion with 1000, 50 and 10 steps).",
       {
           enum_param("dataset", dataset_preset_names(), "8gaussians", "the 2-D data set"),
           bool_param("autoplay", true, "start training when the slide opens"),
           enum_param("gan", {"vanilla", "spectral-norm", "fast-d"}, "vanilla",
                      "the GAN's fix for its mode collapse"),
       }},
      {"gallery", "Every kind of plot the app draws, on made-up data: the plotting layer's demo.", {}},
      {"hero",
       "Samples forming from noise, in a loop: the shipped model carries Gaussian noise to a 2-D data set "
       "with "
       "DDIM, every point coloured by where it lands (the welcome slide).",
       {
           enum_param(
               "dataset",
               [] {
                 std::vector<std::string> names = dataset_preset_names();
                 names.insert(names.begin(), "tour");
                 return names;
               }(),
               "tour", "the data set, or a tour of several (one per loop)"),
           int_param("n", 200, 20000, 4000, "points"),
           int_param("steps", 10, 200, 60, "DDIM steps from noise to data"),
       }},
      {"forward",
       "The forward process q(xₜ|x₀): the data cloud at step t, xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε, with marginal "
       "histograms, the exact density of q(xₜ), and an image being noised.",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set"),
           int_param("t", 0, 3999, 0, "code index t (clamped to T−1)"),
           int_param("T", 2, 4000, 100, "diffusion steps"),
           enum_param("schedule", schedule_names(), "linear", "β schedule"),
           enum_param("show", {"points", "density", "histograms", "image"}, "points", "what to draw"),
           bool_param("play", false, "advance t automatically"),
       }},
      {"schedules",
       "β schedules side by side: βₜ, ᾱₜ, √ᾱₜ against √(1−ᾱₜ), log SNR; the same t on points and an image.",
       {
           int_param("T", 2, 4000, 1000, "diffusion steps"),
           int_param("t", 0, 3999, 500, "the shared time cursor (clamped to T−1)"),
           enum_param("view", {"all", "beta", "alpha_bar", "signal_noise", "log_snr", "samples"}, "all",
                      "which curves (or the noised samples at t per schedule)"),
       }},
      {"sampling",
       "Algorithm 2 step by step: xₜ on the left, the prediction x̂₀ on the right, trajectories; the learned "
       "model against the exact denoiser from the same noise.",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "trained", "the shipped model or the exact denoiser"),
           enum_param("sampler", sampler_cli_name_list(), "ddpm", "sampler (sample/sampler_table.cpp)"),
           int_param("steps", 0, 4000, 0, "sampling steps (0 = all T)"),
           int_param("n", 10, 5000, 500, "number of samples"),
           bool_param("compare", false, "run the exact denoiser beside the model from the same noise"),
       }},
      {"elbo",
       "L_VLB against L_simple: the per-step terms Lₜ for the model and for the exact denoiser, the weights "
       "λₜ, L_T and L₀, totals in nats per point.",
       {
           enum_param("dataset", dataset_preset_names(), "gaussian", "the 2-D data set"),
           enum_param("variance", {"fixed_small", "fixed_large"}, "fixed_small", "reverse-process variance"),
           enum_param("view", {"terms", "weights", "train"}, "terms",
                      "the bound term by term; λₜ; three models trained with L_simple, L_vlb and hybrid"),
       }},
      {"ddim",
       "The same x_T through DDPM (T steps) and DDIM (N steps): split view, trajectories, η and steps, "
       "network evaluations, time and quality; deterministic inversion of a clicked point.",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "trained", "the shipped model or the exact denoiser"),
           int_param("steps", 1, 4000, 10, "DDIM steps N"),
           float_param("eta", 0.0, 1.0, "0", "η: 0 deterministic, 1 equals strided DDPM"),
           enum_param("view", {"split", "overlay", "quality", "inversion"}, "split", "what to show"),
       }},
      {"score",
       "The score ∇ log pₜ(x) = −ε/√(1−ᾱₜ): learned against exact as arrows, their error as a heat map, "
       "and annealed Langevin sampling.",
       {
           enum_param("dataset", dataset_preset_names(), "8gaussians", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "trained", "the shipped model or the exact denoiser"),
           int_param("t", 0, 3999, 10, "code index t (clamped to T−1)"),
           enum_param("view", {"arrows", "error", "langevin"}, "arrows", "what to show"),
       }},
      {"images",
       "Diffusion on 28×28 images with the shipped classroom U-Net (Fashion-MNIST): the noising strip, "
       "x̂₀ predicted at each t, DDPM against DDIM grids from the same noise, and the U-Net trained live.",
       {
           enum_param(
               "view", {"strip", "x0", "samples", "train", "architecture"}, "strip",
               "noised images at t; x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ across t; DDPM vs DDIM grids; live training; "
               "the U-Net's feature maps at each resolution for the current xₜ"),
           int_param("t", 0, 999, 250, "code index t for the strip and the x̂₀ grid"),
           enum_param("schedule", schedule_names(), "linear", "β schedule of the strip (T = 1000)"),
           int_param("steps", 1, 1000, 50, "DDIM steps in the samples view"),
           float_param("eta", 0.0, 1.0, "0", "DDIM η in the samples view"),
       }},
      {"ode",
       "The probability-flow ODE against the SDE samplers from the same noise; a grid warped by the ODE; "
       "the EDM view of noise levels σ = √((1−ᾱ)/ᾱ).",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "trained", "the shipped model or the exact denoiser"),
           enum_param("solver", {"ode-euler", "ode-heun"}, "ode-heun", "ODE solver"),
           int_param("steps", 1, 4000, 20, "solver steps"),
           enum_param("view", {"samplers", "grid", "sigma"}, "samplers", "what to show"),
       }},
      {"nfe",
       "Quality against network evaluations: per sampler, the endpoint error against the converged ODE "
       "solution "
       "(exact denoiser) or the sliced W₂ to the data (trained model), on log–log axes.",
       {
           enum_param("dataset", dataset_preset_names(), "8gaussians", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "oracle", "the shipped model or the exact denoiser"),
       }},
      {"samplers",
       "The same x_T sampled by each chosen sampler side by side at one shared budget of network evaluations "
       "(NFE), with sliced W₂ to the data and, for the exact denoiser, the endpoint error against the "
       "converged ODE solution; or the reverse SDE against the probability-flow ODE, both running.",
       {
           enum_param("dataset", dataset_preset_names(), "8gaussians", "the 2-D data set"),
           enum_param("model", {"trained", "oracle"}, "oracle", "the shipped model or the exact denoiser"),
           list_param("samplers", sampler_cli_name_list(),
                      "ddim,edm-euler,edm-heun,dpm-solver++,unipc,sde-euler",
                      "samplers side by side, comma-separated (sample/sampler_table.cpp)"),
           int_param("nfe", 1, 200, 20,
                     "the NFE budget every sampler shares (each takes the steps that fit)"),
           int_param("n", 100, 5000, 1000, "points of x_T (the same for every sampler)"),
           enum_param("view", {"grid", "sde-ode", "steps"}, "grid",
                      "samplers side by side; sde-euler against ode-heun with trajectories, both running; "
                      "the noise levels σᵢ each sampler walks (beside eq. 5 with ρ = 1 and 3)"),
           bool_param("play", true, "sde-ode view: run both chains in a loop (false: show the endpoints)"),
       }},
      {"guidance",
       "Guidance on 2-D data (lessons 12–13): a γ slider from 0 to 10 moving one fixed x_T to its guided "
       "samples "
       "(exact field, or a class-conditional MLP trained live with label dropout); the learned against the "
       "exact "
       "guided field; per-class precision, mode coverage, spread and samples off the data against γ, beside "
       "the tilted target p(x|y)^γ p(x)^(1−γ).",
       {
           enum_param("dataset", {"8gaussians", "25gaussians"}, "8gaussians",
                      "the modes (a Gaussian mixture)"),
           int_param("classes", 1, 25, 2, "classes: mode index mod this (2: even and odd modes)"),
           float_param("sigma", 0, 1, "0.35", "every mode's σ (0: the preset's own)"),
           enum_param("view", {"slider", "field", "tradeoff"}, "slider",
                      "samples for one γ; learned vs exact guided score arrows; the curves against γ"),
           enum_param("model", {"exact", "learned", "classifier"}, "exact",
                      "the exact guided field of the mixture; CFG with the conditional MLP trained live; or "
                      "classifier guidance: that MLP's null class plus a noise classifier trained live"),
           float_param("gamma", 0, 10, "3", "the guidance weight γ"),
           int_param("class", 0, 24, 0, "the class y"),
           int_param("t", 0, 99, 30, "field view: the code index t"),
           int_param("n", 100, 5000, 1000, "points of x_T"),
           enum_param("sampler", {"ddim", "ddpm", "ode"}, "ddim", "DDIM 50 steps, DDPM 100, Heun ODE 25"),
           bool_param("tilted", false, "slider view: also draw samples of the tilted target"),
       }},
      {"image_steps",
       "The per-step view on images: for a few x_T, DDIM or DDPM with the shipped classroom U-Net, xₜ on the "
       "left and the predicted clean image x̂₀ on the right at every step, with a step slider and Play.",
       {
           enum_param("sampler", {"ddim", "ddpm"}, "ddim", "DDIM (η = 0) or DDPM on the same steps"),
           int_param("steps", 2, 50, 20, "sampling steps N (trailing spacing: the first at t = T − 1)"),
           int_param("rows", 1, 8, 4, "how many x_T (images)"),
           int_param("step", 1, 50, 1, "the step shown first (clamped to N)"),
           bool_param("play", false, "advance the steps when the slide opens"),
       }},
      {"interp",
       "DDIM latent interpolation (Song et al. 2021, §5.3): slerp between two x_T decoded by DDIM (η = 0) "
       "beside the linear blend, as rows of images with each latent's norm, or as paths in 2-D.",
       {
           enum_param("view", {"images", "points"}, "images",
                      "rows of Fashion-MNIST images (classroom U-Net), or 2-D paths (shipped MLP)"),
           int_param("steps", 2, 50, 20, "DDIM steps"),
           int_param("count", 3, 12, 9, "images per row (odd: one in the middle, α = 0.5)"),
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set (points view)"),
           bool_param("latents", false, "show the latents x_T above the decoded rows (images view)"),
       }},
      {"cfg_images",
       "Classifier-free guidance on images: the shipped class-conditional classroom U-Net, each "
       "Fashion-MNIST "
       "class at γ = 0, 1, 2, 3, 5, 7.5 from the same x_T (rows: classes, columns: γ), with the shipped "
       "classifier's accuracy on the samples and FID against each class's test images, against γ.",
       {
           int_param("per_class", 2, 50, 10,
                     "samples per class and γ (accuracy and FID; the grid shows the first)"),
           int_param("steps", 2, 50, 10, "DDIM steps (η = 0, x̂₀ clipped)"),
           enum_param("show", {"both", "grid", "curves", "compare"}, "both",
                      "the grid, the curves, or both side by side; compare: CFG at γ = 3 beside classifier "
                      "guidance (noise-conditional classifier) at the scale of matched accuracy"),
       }},
      {"flow",
       "Flow matching and rectified flow in 2-D (Lipman et al. 2023; Liu et al. 2023): the exact flow's "
       "paths "
       "coloured where they curve, a flow and two Reflow rounds from the same noise with their straightness, "
       "sliced W₂ at 1, 2, 4 and 8 Euler steps against DDIM (table and bars), and a diffusion model read as "
       "a "
       "velocity beside DDPM. Cold from checkpoints/2d/flow-*.ckpt; \"Train live\" trains the three rounds.",
       {
           enum_param("view", {"exact", "reflow", "steps", "equivalence"}, "exact",
                      "exact flow vs learned flow, Reflow rounds, steps vs quality, diffusion as a flow"),
           enum_param("dataset", dataset_preset_names(), "8gaussians",
                      "the 2-D data set (shipped flow checkpoints: 8gaussians; others train live)"),
       }},
      {"dit",
       "The diffusion transformer (Peebles & Xie 2023) beside the classroom U-Net: a test image cut into "
       "patches (the tokens); the attention of one block from a chosen query patch, every head; samples of "
       "the shipped DiT and U-Net from the same x_T; their parameters, GFLOP and forward speed.",
       {
           enum_param(
               "view", {"patches", "attention", "samples", "numbers", "flow", "race"}, "attention",
               "the patches, the attention maps, samples side by side, the numbers, flow: the "
               "rectified-flow DiT and a U-Net at 1, 2, 4, 8, 16 Euler steps with FID against steps, or "
               "race: both flow architectures trained live from scratch on the same minibatches, two "
               "loss curves and training images/s"),
           int_param("image", 0, 9999, 0, "the test image (patches and attention)"),
           int_param("t", 0, 999, 150, "the noise level of x_t whose attention is shown (code index)"),
           int_param("query", 0, 195, 24,
                     "the query patch (row-major over the patch grid; 24 = the centre at patch 4)"),
           int_param("block", 0, 63, 3, "the transformer block (0 = first)"),
           int_param("samples", 4, 64, 16, "samples per network (samples view)"),
           int_param("steps", 2, 100, 20, "DDIM steps (samples view)"),
           int_param("fid_samples", 0, 500, 64, "flow view: samples per FID point (0 = no FID)"),
           int_param("race_steps", 10, 5000, 200, "race view: training steps of each network"),
           bool_param("autoplay", false, "race view: start training when the slide opens"),
       }},
      {"latent",
       "Latent diffusion: the shipped autoencoder's reconstructions of test images and the 4 latent channels "
       "of one, samples of the shipped latent U-Net (one per class, classifier-free guidance) decoded, and "
       "the "
       "measured cost of one pass of the same U-Net in pixels against the latent.",
       {
           int_param("steps", 2, 200, 20, "DDIM steps (η = 0) in the latent"),
           float_param("guidance", 0, 10, "3", "guidance weight γ"),
           enum_param(
               "show", {"all", "autoencoder", "samples", "train"}, "all",
               "the autoencoder column, the samples column, both, or train: the autoencoder trains live"),
           bool_param("autoplay", false, "show=train: start training at once"),
       }},
      {"clip",
       "CLIP in miniature (Radford et al. 2021): a small CNN and a word-embedding text encoder trained live "
       "on Fashion-MNIST with captions in Spanish and English (symmetric InfoNCE, learned temperature); the "
       "similarity matrix of ten images against the ten class prompts, the zero-shot accuracy, and the "
       "nearest captions of a test image you pick. Starts from the shipped checkpoint, or from scratch.",
       {
           enum_param("start", {"shipped", "scratch"}, "shipped",
                      "the shipped checkpoint (checkpoints/fashion-mnist-clip.ckpt) or fresh weights"),
           bool_param("autoplay", false, "start training when the slide opens"),
           int_param("image", 0, 499, 0, "the test image whose nearest captions are shown"),
       }},
      {"edit",
       "Inversion and editing on the shipped class-conditional classroom U-Net (lesson 17): a test image "
       "inverted with DDIM at γ = 1, 2, 3, 5, 7.5 with and without null-text inversion (PSNR against γ) and "
       "edited into another class from the same x_T; or SDEdit of a 28×28 sketch drawn with the mouse, with "
       "a t₀ slider over a sweep of t₀ (distance to the sketch and the classifier's confidence).",
       {
           enum_param("mode", {"invert", "sdedit"}, "invert",
                      "inversion and class edits, or SDEdit of a sketch"),
           int_param("image", 0, 9999, 4,
                     "the test image (inversion) or the sketch's starting image (4 = a shirt)"),
           int_param("to_class", 0, 9, 3, "the target class of the edit (3 = dress)"),
           int_param("steps", 2, 100, 20, "DDIM steps (inversion) or at most this many levels (SDEdit)"),
           int_param("t0", 0, 900, 500, "SDEdit: the t₀ shown (multiples of 100)"),
       }},
      {"personalize",
       "Personalisation (lesson 18): the shipped 9-class U-Net (bags held out) and its textual-inversion and "
       "DreamBooth (λ = 0 and λ = 1) checkpoints, loaded cold and sampled from the same x_T: the four "
       "subject "
       "bags, samples of token 8 and of the other nine classes, with the shipped classifier's accuracy on "
       "them (the drift), as `difflab finetune` evaluates (γ = 3, DDIM 20).",
       {
           int_param("per_class", 2, 50, 10, "samples per class for the classifier's accuracy"),
       }},
      {"cascade",
       "The two-stage cascade (lesson 15): the shipped 14×14 base and 28×28 super-resolution U-Nets, loaded "
       "on a worker: base samples of a class, their bilinear upsampling and the SR outputs from the same "
       "noise, at noise-augmentation level s, with the CPU ms per sample of each stage.",
       {
           int_param("class", 0, 9, 7, "the Fashion-MNIST class sampled"),
           int_param("n", 2, 12, 6, "samples"),
           float_param("aug", 0, 1, "0.1", "noise-augmentation level s of the conditioning image"),
       }},
      {"controlnet",
       "ControlNet (lesson 18): the shipped ControlNet and its classroom base, loaded on a worker: a test "
       "image, its Sobel edge map, the base alone and the ControlNet at conditioning scale s from the same "
       "x_T "
       "(DDIM 20), each sample's edge agreement; step 0 adds a freshly zero-initialised ControlNet and the "
       "largest difference of its samples from the base's (0).",
       {
           int_param("image", 0, 9999, 0, "the test image whose edges condition the samples"),
           float_param("scale", 0, 2, "1", "the conditioning scale s"),
           int_param("class", -1, 9, -1, "the class the samples are drawn with (-1 = none)"),
           int_param("samples", 1, 8, 4, "samples (x_T) per row"),
           bool_param("step0", false, "also sample a freshly zero-initialised ControlNet"),
       }},
      {"ipadapter",
       "IP-Adapter (lesson 18): the shipped adapter, its base class-conditional U-Net and the mini-CLIP, "
       "loaded "
       "on a worker; a reference test image is the image prompt, λ its weight (0 = the class prompt alone) "
       "and "
       "a class the text/class prompt: samples at λ = 0 and at λ from the same x_T, with and without the "
       "class, and the shipped classifier's agreement with the reference's class (DDIM 20).",
       {
           int_param("reference", 0, 9999, 0, "the test image used as the image prompt (0 = an ankle boot)"),
           float_param("scale", 0, 3, "2", "λ, the image prompt's weight"),
           int_param("class", -1, 9, -1, "the class (text) prompt; -1 = none"),
           int_param("samples", 1, 8, 4, "samples per cell, the same x_T in every cell"),
       }},
  };
  return specs;
}

const PanelSpec* find_panel_spec(const std::string& name) {
  for (const PanelSpec& spec : panel_specs())
    if (spec.name == name) return &spec;
  return nullptr;
}

std::optional<std::string> validate_param(const ParamSpec& spec, const std::string& value) {
  const std::string shown = spec.name + "=" + value;
  switch (spec.type) {
    case ParamType::Int: {
      errno = 0;
      char* stop = nullptr;
      const long long v = std::strtoll(value.c_str(), &stop, 10);
      if (value.empty() || *stop != '\0' || errno == ERANGE) return shown + " is not a whole number";
      if (double(v) < spec.min || double(v) > spec.max)
        return shown + " is outside " + number_text(spec.min) + " … " + number_text(spec.max);
      return std::nullopt;
    }
    case ParamType::Float: {
      errno = 0;
      char* stop = nullptr;
      const double v = std::strtod(value.c_str(), &stop);
      if (value.empty() || *stop != '\0' || errno == ERANGE || !std::isfinite(v))
        return shown + " is not a number";
      if (v < spec.min || v > spec.max)
        return shown + " is outside " + number_text(spec.min) + " … " + number_text(spec.max);
      return std::nullopt;
    }
    case ParamType::Bool:
      if (value == "true" || value == "false" || value == "1" || value == "0" || value == "on" ||
          value == "off" || value == "yes" || value == "no")
        return std::nullopt;
      return shown + " is not true or false";
    case ParamType::Enum: {
      std::string list;
      for (const std::string& choice : spec.choices) {
        if (choice == value) return std::nullopt;
        list += (list.empty() ? "" : ", ") + choice;
      }
      return shown + " is not one of " + list;
    }
    case ParamType::String: {
      if (spec.choices.empty()) return std::nullopt;
      // A list of choices, e.g. samplers=ddim,edm-heun: each item must be one of them.
      if (value.empty()) return shown + " names none of the choices";
      size_t start = 0;
      while (start <= value.size()) {
        const size_t comma = std::min(value.find(',', start), value.size());
        const std::string item = value.substr(start, comma - start);
        bool known = false;
        for (const std::string& choice : spec.choices) known |= choice == item;
        if (!known) {
          std::string list;
          for (const std::string& choice : spec.choices) list += (list.empty() ? "" : ", ") + choice;
          return shown + ": \"" + item + "\" is not one of " + list;
        }
        start = comma + 1;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace difflab
