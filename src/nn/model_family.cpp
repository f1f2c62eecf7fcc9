// model_family.cpp — the table of model families and the config-parsing helpers they share.
// Not the families: each lives in its own file and adds one entry to model_families() below.
#include "nn/model_family.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "nn/autoencoder.h"
#include "nn/classifier.h"
#include "nn/clip.h"
#include "nn/cond_mlp.h"
#include "nn/dit.h"
#include "nn/gan.h"
#include "nn/image_noise_classifier.h"
#include "nn/mlp.h"
#include "nn/noise_classifier.h"
#include "nn/unet.h"
#include "nn/vae.h"

namespace difflab {

const std::vector<ModelFamily>& model_families() {
  static const std::vector<ModelFamily> families = {
      // One entry per family: {name, description, param_count, make[, config_keys]}.
      {"mlp2d", "the 2-D MLP denoiser (sinusoidal embeddings, residual blocks)",
       [](const ModelConfigMap& c) { return mlp_param_count(mlp_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<MlpModel>(mlp_config_from_map(c), b);
       },
       kMlpConfigKeys},
      {"unet", "the image U-Net denoiser (DDPM's architecture)",
       [](const ModelConfigMap& c) { return unet_param_count(unet_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<UNet>(unet_config_from_map(c), b);
       },
       kUNetConfigKeys},
      {"classifier", "the CNN image classifier (the Fréchet distance's features)",
       [](const ModelConfigMap& c) { return classifier_param_count(classifier_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<Classifier>(classifier_config_from_map(c), b);
       },
       kClassifierConfigKeys},
      {"gan", "2-D GAN: MLP generator z -> x and MLP discriminator (Goodfellow et al. 2014)",
       [](const ModelConfigMap& c) { return GanModel::count_params(GanConfig::from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<GanModel>(GanConfig::from_map(c), b);
       },
       "latent width depth activation spectral_norm"},
      {"vae", "2-D VAE: MLP encoder and Gaussian MLP decoder (Kingma & Welling 2014)",
       [](const ModelConfigMap& c) { return VaeModel::count_params(VaeConfig::from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<VaeModel>(VaeConfig::from_map(c), b);
       },
       "latent width depth activation learned_sigma decoder_sigma"},
      {"mlp2d-cond", "class-conditional 2-D MLP denoiser (class embedding with a null class, for CFG)",
       [](const ModelConfigMap& c) { return CondMlpModel::count_params(cond_mlp_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<CondMlpModel>(cond_mlp_config_from_map(c), b);
       },
       "width depth embedding_size input_scale time_scale activation num_classes"},
      {"mlp2d-noise-classifier",
       "noise-conditional 2-D classifier p(y | x_t, t) (MLP, for classifier guidance)",
       [](const ModelConfigMap& c) {
         return NoiseClassifierModel::count_params(noise_classifier_config_from_map(c));
       },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<NoiseClassifierModel>(noise_classifier_config_from_map(c), b);
       },
       "width depth embedding_size input_scale time_scale activation num_classes"},
      {"dit", "the diffusion transformer (patches, adaLN-Zero blocks; Peebles & Xie 2023)",
       [](const ModelConfigMap& c) { return dit_param_count(dit_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<DiT>(dit_config_from_map(c), b);
       },
       kDiTConfigKeys},
      {"autoencoder",
       "convolutional autoencoder 28x28 <-> 4x8x8 latent, optionally KL-regularised (latent diffusion)",
       [](const ModelConfigMap& c) { return autoencoder_param_count(autoencoder_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<Autoencoder>(autoencoder_config_from_map(c), b);
       },
       kAutoencoderConfigKeys},
      {"clip",
       "mini-CLIP: CNN image and word-embedding text encoders, symmetric InfoNCE (Radford et al. 2021)",
       [](const ModelConfigMap& c) { return clip_param_count(clip_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<ClipModel>(clip_config_from_map(c), b);
       },
       kClipConfigKeys},
      {"image-noise-classifier",
       "noise-conditional image classifier p(y | x_t, t) (CNN with a time embedding, for classifier "
       "guidance)",
       [](const ModelConfigMap& c) {
         return image_noise_classifier_param_count(image_noise_classifier_config_from_map(c));
       },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<ImageNoiseClassifier>(image_noise_classifier_config_from_map(c), b);
       },
       kImageNoiseClassifierConfigKeys},
      {"controlnet",
       "ControlNet (Zhang et al. 2023): a U-Net copy reading an edge map plus zero convolutions, loaded "
       "with its frozen base (train/controlnet.h)",
       [](const ModelConfigMap& c) {
         ModelConfigMap copy = c;
         copy.erase("zero_convs");
         return unet_param_count(unet_config_from_map(copy)) +
                static_cast<size_t>(config_int(c, "zero_convs", 0, 100000000));
       },
       [](const ModelConfigMap&, Backend&) -> std::unique_ptr<Model> {
         throw std::invalid_argument(
             "a ControlNet checkpoint loads with its base U-Net: difflab sample --model CN.ckpt --control …");
       },
       "unet_name channels attention mid_attention layers groups head_dim height width num_classes "
       "in_channels? zero_convs"},
  };
  return families;
}

const ModelFamily* find_model_family(const std::string& name) {
  for (const ModelFamily& f : model_families())
    if (name == f.name) return &f;
  return nullptr;
}

std::string model_family_names_sentence() {
  const auto& f = model_families();
  std::string s;
  for (size_t i = 0; i < f.size(); ++i) {
    if (i > 0) s += i + 1 == f.size() ? " or " : ", ";
    s += f[i].name;
  }
  return s;
}

namespace {
const std::string& value_of(const ModelConfigMap& config, const std::string& key) {
  const auto it = config.find(key);
  if (it == config.end()) throw std::invalid_argument("model config: key '" + key + "' is missing");
  return it->second;
}
std::invalid_argument bad_value(const std::string& key, const std::string& value, const std::string& what,
                                double min, double max) {
  char range[64];
  std::snprintf(range, sizeof range, "%g … %g", min, max);
  return std::invalid_argument("model config: '" + key + "' = '" + value + "' is not " + what + " in " +
                               range);
}
}  // namespace

double config_double(const ModelConfigMap& config, const std::string& key, double min, double max) {
  const std::string& v = value_of(config, key);
  errno = 0;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(x) || x < min || x > max)
    throw bad_value(key, v, "a number", min, max);
  return x;
}

int config_int(const ModelConfigMap& config, const std::string& key, int min, int max) {
  const std::string& v = value_of(config, key);
  errno = 0;
  char* end = nullptr;
  const long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE || x < min || x > max)
    throw bad_value(key, v, "an integer", min, max);
  return static_cast<int>(x);
}

std::string config_string(const ModelConfigMap& config, const std::string& key) {
  return value_of(config, key);
}

std::vector<int> config_int_list(const ModelConfigMap& config, const std::string& key, int min, int max) {
  const std::string& text = value_of(config, key);
  std::vector<int> v;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    errno = 0;
    char* end = nullptr;
    const long n = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno == ERANGE || n < min || n > max)
      throw bad_value(key, text, "a list of whole numbers", min, max);
    v.push_back(static_cast<int>(n));
    start = comma + 1;
  }
  return v;
}

std::string config_format_double(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string config_format_list(const std::vector<int>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(values[i]);
  }
  return s;
}

int config_int_or(const ModelConfigMap& config, const std::string& key, int min, int max, int fallback) {
  return config.count(key) ? config_int(config, key, min, max) : fallback;
}

double config_double_or(const ModelConfigMap& config, const std::string& key, double min, double max,
                        double fallback) {
  return config.count(key) ? config_double(config, key, min, max) : fallback;
}

}  // namespace difflab
