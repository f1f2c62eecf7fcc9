// model_source.h — turns "oracle" or a checkpoint path into a ready Denoiser with its schedule.
// Not training: the GUI and the CLI use this to hold any model the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/denoiser.h"
#include "core/gaussian_mixture.h"
#include "data/toy2d.h"
#include "nn/backend.h"
#include "nn/backend_factory.h"
#include "nn/model.h"
#include "nn/unet.h"
#include "train/checkpoint.h"

namespace difflab {

struct LoadedModel {
  std::string description;  // "exact denoiser for moons (empirical, 2000 points)"
  bool is_oracle = false;
  NoiseSchedule schedule;
  std::unique_ptr<Backend> backend;       // trained models only
  std::unique_ptr<Model> network;         // trained models: the family's network with the EMA weights
  std::unique_ptr<Denoiser> denoiser;     // trained models
  std::unique_ptr<ExactDenoiser> oracle;  // the exact denoiser, when is_oracle
  Denoiser& model() { return oracle ? static_cast<Denoiser&>(*oracle) : *denoiser; }
  std::optional<Checkpoint> checkpoint;
  // Image models: one sample is image_height × image_width (= model().dim()); 0 for points.
  int image_height = 0, image_width = 0;
  bool is_image() const { return image_height > 0; }
  int num_classes = 0;  // > 0: class-conditional (labels 0 … num_classes − 1, −1 = no class)
  // The U-Net itself, for what only it has (feature maps, its batched CFG adapter); throws
  // std::invalid_argument when the model is not a U-Net.
  UNet& unet() const;
};

// model = "oracle" (needs dataset; uses `schedule`, or the training default when not given) or a
// checkpoint path (its own schedule; a different `schedule` is an error). Throws with a clear message.
// `backend`: where a trained network runs (the exact denoiser always runs on the host); `choice`, when given,
// receives what make_backend chose and why.
std::unique_ptr<LoadedModel> load_model(const std::string& model, const std::string& dataset,
                                        const std::optional<ScheduleConfig>& schedule,
                                        BackendKind backend = BackendKind::cpu,
                                        BackendChoice* choice = nullptr);

// A ready model from a checkpoint already in memory (e.g. one trained in this session); `name` is used
// in its description.
std::unique_ptr<LoadedModel> model_from_checkpoint(Checkpoint checkpoint, const std::string& name,
                                                   BackendKind backend = BackendKind::cpu,
                                                   BackendChoice* choice = nullptr);

}  // namespace difflab
