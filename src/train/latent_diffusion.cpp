// latent_diffusion.cpp — encode, scale, decode and sample in the autoencoder's latent space.
// Not a trainer: the latent U-Net trains through train/image_trainer.h on encode_dataset()'s output.
#include "train/latent_diffusion.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/backend_factory.h"

#include "nn/unet_conditional.h"
#include "nn/unet_denoiser.h"
#include "sample/guided.h"
#include "sample/sampler.h"

namespace difflab {

std::vector<float> encode_means(Autoencoder& model, const float* images, int n) {
  const int D = model.image_dim(), L = model.latent_dim();
  std::vector<float> mu(static_cast<size_t>(n) * L), moments;
  for (int first = 0; first < n; first += 256) {
    const int b = std::min(256, n - first);
    moments.resize(static_cast<size_t>(b) * 2 * L);
    model.encode(images + static_cast<size_t>(first) * D, b, moments.data());
    model.split_moments(moments.data(), b, mu.data() + static_cast<size_t>(first) * L, nullptr);
  }
  return mu;
}

double latent_scale_factor(const std::vector<float>& latents) {
  if (latents.size() < 2) return 1.0;
  double sum = 0, sq = 0;
  for (float v : latents) sum += v;
  const double mean = sum / static_cast<double>(latents.size());
  for (float v : latents) sq += (v - mean) * (v - mean);
  const double sd = std::sqrt(sq / static_cast<double>(latents.size() - 1));
  return sd > 0 ? 1.0 / sd : 1.0;
}

ImageDataset encode_dataset(Autoencoder& model, const ImageDataset& images, double scale) {
  ImageDataset out;
  out.count = images.count;
  out.height = out.width = kAutoencoderLatentSide;
  out.channels = model.config().latent_channels;
  out.pixels = encode_means(model, images.pixels.data(), images.count);
  for (float& v : out.pixels) v = static_cast<float>(v * scale);
  out.labels = images.labels;
  out.num_classes = images.num_classes;
  out.class_names = images.class_names;
  out.description = "latents of " + images.description + " (" + std::to_string(out.channels) + "x" +
                    std::to_string(out.height) + "x" + std::to_string(out.width) + ")";
  return out;
}

std::vector<float> decode_latents(Autoencoder& model, const float* scaled, int n, double scale) {
  const int D = model.image_dim(), L = model.latent_dim();
  std::vector<float> images(static_cast<size_t>(n) * D), z;
  for (int first = 0; first < n; first += 256) {
    const int b = std::min(256, n - first);
    z.assign(scaled + static_cast<size_t>(first) * L, scaled + static_cast<size_t>(first + b) * L);
    for (float& v : z) v = static_cast<float>(v / scale);
    model.decode(z.data(), b, images.data() + static_cast<size_t>(first) * D);
  }
  for (float& v : images) v = std::clamp(v, -1.0f, 1.0f);
  return images;
}

namespace {

// ε̂ with x̂₀ = (xₜ − √(1 − ᾱₜ) ε̂)/√ᾱₜ clipped to [−bound, bound], ε̂ recomputed from it: the latent's
// analogue of clipping pixels to [−1, 1] (static thresholding, Saharia et al. 2022 §2.3), at ±bound
// standard deviations of the scaled latents.
class ClippedLatentDenoiser final : public Denoiser {
 public:
  ClippedLatentDenoiser(Denoiser& inner, double bound) : inner_(inner), bound_(bound) {}
  int dim() const override { return inner_.dim(); }
  const NoiseSchedule& schedule() const override { return inner_.schedule(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    inner_.predict_eps(xt, n, t, eps);
    if (bound_ <= 0) return;
    const double a = schedule().sqrt_alpha_bar[t], b = schedule().sqrt_one_minus_alpha_bar[t];
    for (size_t k = 0; k < static_cast<size_t>(n) * dim(); ++k) {
      const double x0 = std::clamp((xt[k] - b * eps[k]) / a, -bound_, bound_);
      eps[k] = static_cast<float>((xt[k] - a * x0) / b);
    }
  }

 private:
  Denoiser& inner_;
  double bound_;
};

}  // namespace

std::vector<float> sample_latents(ImageNet& net, const NoiseSchedule& schedule, const Tensor& params, int n,
                                  const std::vector<int>& labels, double gamma, int steps, uint64_t seed,
                                  double clip) {
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.clip_x0 = false;
  sc.kind = SamplerKind::Ddim;
  sc.steps = steps;
  const std::vector<float> x_T = standard_normal(n * net.dim(), seed);
  if (net.num_classes() == 0) {
    UNetDenoiser denoiser(net, schedule, params, -1);
    ClippedLatentDenoiser clipped(denoiser, clip);
    Sampler sampler(clipped, sc);
    sampler.begin(x_T, seed + 1);
    sampler.run();
    return sampler.x();
  }
  UNetConditionalDenoiser conditional(net, schedule, params);
  CfgDenoiser guided(conditional, labels.empty() ? std::vector<int>{-1} : labels, gamma);
  ClippedLatentDenoiser clipped(guided, clip);
  Sampler sampler(clipped, sc);
  sampler.begin(x_T, seed + 1);
  sampler.run();
  return sampler.x();
}

std::unique_ptr<LatentModels> load_latent_models(const std::string& autoencoder_path,
                                                 const std::string& unet_path, int threads) {
  auto m = std::make_unique<LatentModels>();
  m->backend = make_backend(BackendKind::cpu);
  m->backend->set_threads(threads);
  m->autoencoder_checkpoint = load_checkpoint(autoencoder_path);
  const Checkpoint& a = m->autoencoder_checkpoint;
  if (a.architecture != "autoencoder")
    throw std::invalid_argument(autoencoder_path + ": architecture " + a.architecture + ", not autoencoder");
  m->autoencoder = std::make_unique<Autoencoder>(autoencoder_config_from_map(a.model_config), *m->backend);
  m->backend->write(m->autoencoder->params(), a.ema_params.data());
  const auto scale = a.extra.find("scale_factor");
  m->scale = scale == a.extra.end() ? 1.0 : std::stod(scale->second);
  if (unet_path.empty()) return m;
  m->unet_checkpoint = load_checkpoint(unet_path);
  const Checkpoint& u = m->unet_checkpoint;
  if (u.architecture != "unet")
    throw std::invalid_argument(unet_path + ": architecture " + u.architecture + ", not unet");
  const UNetConfig config = unet_config_from_map(u.model_config);
  if (config.height != kAutoencoderLatentSide || config.width != kAutoencoderLatentSide ||
      config.in_channels != m->autoencoder->config().latent_channels)
    throw std::invalid_argument(unet_path + ": its input is not the autoencoder's " +
                                std::to_string(m->autoencoder->config().latent_channels) + "x8x8 latent");
  m->unet = std::make_unique<UNet>(config, *m->backend);
  m->backend->write(m->unet->params(), u.ema_params.data());
  m->schedule = make_schedule(u.schedule);
  return m;
}

}  // namespace difflab
