// model.h — what every trainable network is to the rest of difflab: one flat parameter buffer on a backend,
// a family name and a configuration that a checkpoint header can hold. Not a loss and not a trainer
// (train/train_loop.h), and not the family table (nn/model_family.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "nn/backend.h"

namespace difflab {

// A model's configuration as the checkpoint header writes it: key → value text ("width" → "128"). Each family
// parses and validates its own keys (nn/model_family.h).
using ModelConfigMap = std::map<std::string, std::string>;

class Model {
 public:
  virtual ~Model() = default;
  // The family's registry name (nn/model_family.h): also the checkpoint's "architecture" header value.
  virtual std::string family() const = 0;
  virtual ModelConfigMap config_map() const = 0;
  virtual Backend& backend() = 0;

  virtual size_t num_params() const = 0;
  virtual Tensor params() const = 0;  // the model's own weights
  virtual Tensor grads() const = 0;   // backward() writes here, same layout as params()
  virtual void init_params(uint64_t seed) = 0;
  // Run the same computations with another buffer of num_params() floats (e.g. the EMA copy), then back.
  virtual void set_params_view(const Tensor& params) = 0;
  virtual void use_own_params() = 0;
};

// Uses `params` (when not empty) for the lifetime of the guard, then the model's own weights again.
class ParamsView {
 public:
  ParamsView(Model& model, const Tensor& params) : model_(model) {
    if (!params.empty()) model_.set_params_view(params);
  }
  ~ParamsView() { model_.use_own_params(); }
  ParamsView(const ParamsView&) = delete;
  ParamsView& operator=(const ParamsView&) = delete;

 private:
  Model& model_;
};

}  // namespace difflab
