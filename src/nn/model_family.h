// model_family.h — the one table of model families: name, what it is, how to size and build one from a
// configuration. Not the models (one file each in nn/) and not checkpoints (train/checkpoint.h reads this).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/model.h"

namespace difflab {

struct ModelFamily {
  const char* name;  // checkpoint "architecture" value and `--model` value: "mlp2d", "unet", "gan", …
  const char* description;  // one line for --help and errors
  // Parameters of a model with this configuration, without allocating it. Throws std::invalid_argument naming
  // the bad or missing key (checkpoints turn it into a CheckpointError naming the file).
  size_t (*param_count)(const ModelConfigMap& config);
  // A model with this configuration on `backend` (weights uninitialised: call init_params or load them).
  std::unique_ptr<Model> (*make)(const ModelConfigMap& config, Backend& backend);
  // The family's checkpoint header keys in the order the file writes them, space-separated ("width depth …").
  // Null: the checkpoint takes every header key that is not its own as the family's, in alphabetical order.
  const char* config_keys = nullptr;
};

// Every family, in a fixed order.
const std::vector<ModelFamily>& model_families();
const ModelFamily* find_model_family(const std::string& name);
// "mlp2d, unet, … or vae" for error messages.
std::string model_family_names_sentence();

// Helpers for families parsing their ModelConfigMap: throw std::invalid_argument("model config: key 'width'
// is missing" / "… 'width' = 'x' is not an integer in 1 … 4096").
int config_int(const ModelConfigMap& config, const std::string& key, int min, int max);
double config_double(const ModelConfigMap& config, const std::string& key, double min, double max);
std::string config_string(const ModelConfigMap& config, const std::string& key);
// "32,64,64" → {32, 64, 64}: every item a whole number in min … max.
std::vector<int> config_int_list(const ModelConfigMap& config, const std::string& key, int min, int max);
// The texts families write: "%.17g" (round-trips a double) and "32,64,64".
std::string config_format_double(double value);
std::string config_format_list(const std::vector<int>& values);
// The same with a default when the key is absent (keys added after a family's first checkpoints).
int config_int_or(const ModelConfigMap& config, const std::string& key, int min, int max, int fallback);
double config_double_or(const ModelConfigMap& config, const std::string& key, double min, double max,
                        double fallback);

}  // namespace difflab
