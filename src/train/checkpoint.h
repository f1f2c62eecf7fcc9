// checkpoint.h — the versioned checkpoint file: a readable text header, float32 tensors, a checksum.
// Not a training state machine: it stores what a model needs to sample and to continue training.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/denoiser.h"
#include "core/diffusion.h"
#include "core/schedule.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

// File layout (version 1):
//   DIFFLAB-CHECKPOINT 1\n
//   key = value\n …            architecture (a family of nn/model_family.h), then the family's configuration
//                               keys in its config_keys order (nn/mlp.h kMlpConfigKeys, nn/unet.h,
//                               nn/classifier.h), then for a denoiser prediction (for an EDM model
//                               prediction = edm, sigma_data), schedule, T, beta_start, beta_end; then
//                               dataset, loss, step, seed and the other keys in alphabetical order
//   tensors = ema:N,params:N\n
//   END-HEADER\n
//   N float32 little-endian values per tensor, in the order listed
//   \nchecksum fnv1a64 HEX\n   (over every byte before this line)
struct Checkpoint {
  std::string architecture = "mlp2d";  // the model family (nn/model_family.h)
  // The family's keys, as text (e.g. mlp_config_map(config), or model.config_map()). A family that lists no
  // config_keys gets every header key that is not one of the checkpoint's own (and `extra` stays empty).
  ModelConfigMap model_config = mlp_config_map(MlpConfig{});  // default: the reference 2-D MLP
  // A denoiser has the prediction and schedule keys below; a classifier, a GAN or a VAE has none.
  bool denoiser = true;
  ScheduleConfig schedule;
  Prediction prediction = Prediction::Eps;
  // EDM's preconditioning (nn/edm_precond.h): header "prediction = edm" and "sigma_data = S" (2-D MLP only).
  // Checkpoints written before EDM have neither and load as before (edm = false).
  bool edm = false;
  double sigma_data = 0;
  // A flow-matching velocity model (train/flow_trainer.h): header "prediction = flow" (2-D MLP only); its
  // schedule keys only place VP samplers' steps when it is sampled through nn/flow_mlp.h's FlowMlpDenoiser.
  bool flow = false;
  std::string dataset;
  std::string loss = "simple";
  int step = 0;
  uint64_t seed = 0;
  std::vector<float> ema_params;             // the weights to sample with
  std::vector<float> params;                 // the raw weights (to continue training)
  std::map<std::string, std::string> extra;  // other header keys, kept as text
};

struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The header value "data_box = lo0 hi0 lo1 hi1" (2-D checkpoints since this key was added; older ones have
// none) and its parser, which throws CheckpointError naming the file when the value is malformed.
std::string format_data_box(const DataBox& box);
DataBox parse_data_box(const std::string& value, int dim, const std::string& file);

// Atomic: writes FILE.tmp-PID then renames. Throws std::runtime_error.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Validates magic, version, every header field, tensor sizes against the family's param_count of the
// configuration, and the checksum.
// Throws CheckpointError("FILE: truncated: expected 792592 bytes of tensor data, found 1000").
Checkpoint load_checkpoint(const std::string& path);
// The base checkpoint a fine-tune file (ControlNet, IP-Adapter) names: `recorded` if it exists, else the file
// of that name beside `file` (a relative path recorded in another folder), else `recorded` unchanged.
std::string find_base_checkpoint(const std::string& file, const std::string& recorded);
// A shipped checkpoint by file name: the first of $DIFFLAB_CHECKPOINTS_DIR/, ./checkpoints/ and the source
// tree's checkpoints/ that holds it, else the source tree's path (so a message names where it should be).
std::string shipped_checkpoint_path(const std::string& file);
// Checks parse but not the file: for bytes already in memory (tests).
Checkpoint parse_checkpoint(const std::string& bytes, const std::string& name);
std::string serialize_checkpoint(const Checkpoint& checkpoint);

uint64_t fnv1a64(const char* data, size_t size);

}  // namespace difflab
