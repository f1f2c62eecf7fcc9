// model_family.cpp — the table of model families and the config-parsing helpers they share.
// Not the families: each lives in its own file and adds one entry to model_families() below.
#include "nn/model_family.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "nn/cond_mlp.h"
#include "nn/noise_classifier.h"

namespace difflab {

const std::vector<ModelFamily>& model_families() {
  static const std::vector<ModelFamily> families = {
      // One entry per family: {name, description, param_count, make}.
      {"mlp2d-cond", "class-conditional 2-D MLP denoiser (class embedding with a null class, for CFG)",
       [](const ModelConfigMap& c) { return CondMlpModel::count_params(cond_mlp_config_from_map(c)); },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<CondMlpModel>(cond_mlp_config_from_map(c), b);
       }},
      {"mlp2d-noise-classifier",
       "noise-conditional 2-D classifier p(y | x_t, t) (MLP, for classifier guidance)",
       [](const ModelConfigMap& c) {
         return NoiseClassifierModel::count_params(noise_classifier_config_from_map(c));
       },
       [](const ModelConfigMap& c, Backend& b) -> std::unique_ptr<Model> {
         return std::make_unique<NoiseClassifierModel>(noise_classifier_config_from_map(c), b);
       }},
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

int config_int_or(const ModelConfigMap& config, const std::string& key, int min, int max, int fallback) {
  return config.count(key) ? config_int(config, key, min, max) : fallback;
}

double config_double_or(const ModelConfigMap& config, const std::string& key, double min, double max,
                        double fallback) {
  return config.count(key) ? config_double(config, key, min, max) : fallback;
}

}  // namespace difflab
