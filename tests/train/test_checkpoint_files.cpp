// test_checkpoint_files.cpp — every shipped checkpoint loads through the model family table, writes back to
// the same bytes, and builds its network; the fuzz corpus still gives its messages.
// Not the format's unit tests (test_training.cpp) and not sample quality.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/limits.h"
#include "nn/model_family.h"
#include "train/checkpoint.h"
#include "train/controlnet.h"
#include "train/image_flow_objective.h"
#include "train/model_source.h"

using namespace difflab;

namespace {

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".ckpt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("shipped checkpoints: load, write back byte for byte, and build their network from the table") {
  std::vector<std::string> files = files_in(DIFFLAB_SOURCE_DIR "/checkpoints");
  const std::vector<std::string> two_d = files_in(DIFFLAB_SOURCE_DIR "/checkpoints/2d");
  files.insert(files.end(), two_d.begin(), two_d.end());
  // Fashion-MNIST: the classifier, 3 U-Nets (one class-conditional, one early), the noise-conditional
  // classifier, the DiT, latent diffusion's autoencoder, latent U-Net and text-conditioned latent U-Net, the
  // mini-CLIP, lesson 18's 9-class base and its three fine-tunes, the ControlNet on the classroom
  // class-conditional U-Net (+ 1); 2-D: 8 presets and 3 flows (flow, reflow-1, reflow-2); the rectified-flow
  // DiT and U-Net (lesson 16): + 2; the cascade's 14x14 base and 28x28 super-resolution stages: + 2.
  REQUIRE(files.size() == 4 + 1 + 1 + 3 + 1 + 4 + 1 + 8 + 3 + 2 + 2);
  for (const std::string& file : files) {
    CAPTURE(file);
    const std::string bytes = read_file(file, limits::kMaxCheckpointFileBytes);
    const Checkpoint c = parse_checkpoint(bytes, file);
    CHECK(serialize_checkpoint(c) == bytes);
    const ModelFamily* family = find_model_family(c.architecture);
    REQUIRE(family != nullptr);
    CHECK(family->param_count(c.model_config) == c.ema_params.size());
    if (c.architecture == "controlnet") {  // loads with its base, which it names
      const LoadedControlNet cn = load_controlnet(file);
      CHECK(cn.net->copy().num_params() + cn.net->zero_convs().num_params() == c.ema_params.size());
      continue;
    }
    auto backend = make_cpu_backend();
    const std::unique_ptr<Model> network = family->make(c.model_config, *backend);
    CHECK(network->family() == c.architecture);
    CHECK(network->config_map() == c.model_config);  // the family writes the texts it read
    if (c.architecture == "classifier" || c.architecture == "autoencoder" || c.architecture == "clip") {
      CHECK(!c.denoiser);
      continue;
    }
    if (c.architecture == "image-noise-classifier") {  // not a denoiser: it keeps the U-Net's schedule keys
      CHECK(c.schedule.T == 1000);
      continue;
    }
    const auto loaded = model_from_checkpoint(c, file);
    CHECK(loaded->network->num_params() == c.ema_params.size());
    CHECK(loaded->is_image() == (c.architecture == "unet" || c.architecture == "dit"));
    // An image model's dim is H·W·channels (in_channels: 4 for the latent U-Net, absent = 1).
    const int channels =
        c.model_config.count("in_channels") ? std::stoi(c.model_config.at("in_channels")) : 1;
    CHECK(loaded->model().dim() ==
          (loaded->is_image() ? loaded->image_height * loaded->image_width * channels : 2));
  }
}

TEST_CASE("shipped image flows: the header says flow and logit-normal, and they load as velocity networks") {
  for (const char* name : {"fashion-mnist-dit-flow.ckpt", "fashion-mnist-unet-flow.ckpt"}) {
    CAPTURE(name);
    const std::string file = std::string(DIFFLAB_SOURCE_DIR "/checkpoints/") + name;
    const Checkpoint c = parse_checkpoint(read_file(file, limits::kMaxCheckpointFileBytes), file);
    CHECK(c.flow);
    CHECK(c.loss == "flow");
    REQUIRE(c.extra.count("time_distribution") == 1);
    CHECK(c.extra.at("time_distribution") == "logit-normal");
    const auto loaded = model_from_checkpoint(c, file);
    CHECK(dynamic_cast<ImageFlowDenoiser*>(loaded->denoiser.get()) != nullptr);
    CHECK(loaded->description.find("flow matching") != std::string::npos);
  }
  // The ε DiT beside them is not read as a flow.
  const std::string eps_file = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-dit-classroom.ckpt";
  const Checkpoint eps = parse_checkpoint(read_file(eps_file, limits::kMaxCheckpointFileBytes), eps_file);
  CHECK(!eps.flow);
  CHECK(dynamic_cast<ImageFlowDenoiser*>(model_from_checkpoint(eps, eps_file)->denoiser.get()) == nullptr);
}

TEST_CASE("checkpoint fuzz regressions: the same messages through the family table") {
  const std::string dir = DIFFLAB_SOURCE_DIR "/fuzz/regressions/checkpoint/";
  // Counted from the U-Net's layout (1616 channels at the first level), refused by the tensor sizes.
  CHECK_THROWS_WITH_AS(load_checkpoint(dir + "unet-1616-channels-header.ckpt"),
                       doctest::Contains("do not match the architecture, which has 282934513 parameters"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(load_checkpoint(dir + "nonfinite-raw-params.ckpt"),
                       doctest::Contains("the weights contain NaN or Inf"), CheckpointError);
}

TEST_CASE("checkpoint header: an unknown family and bad family keys are named with the file") {
  const std::string good =
      read_file(DIFFLAB_SOURCE_DIR "/checkpoints/2d/moons.ckpt", limits::kMaxCheckpointFileBytes);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string bytes = good;
    const size_t at = bytes.find(from);
    REQUIRE(at != std::string::npos);
    return bytes.replace(at, from.size(), to);
  };
  // The checksum is checked last: these fail on the header before it.
  CHECK_THROWS_WITH_AS(
      parse_checkpoint(with("architecture = mlp2d\n", "architecture = gan-x\n"), "m.ckpt"),
      doctest::Contains("m.ckpt: unknown architecture 'gan-x' (this build knows mlp2d, unet"),
      CheckpointError);
  CHECK_THROWS_WITH_AS(parse_checkpoint(with("width = 128\n", "width = x\n"), "m.ckpt"),
                       "m.ckpt: model config: 'width' = 'x' is not an integer in 1 … 4096", CheckpointError);
  CHECK_THROWS_WITH_AS(parse_checkpoint(with("depth = 3\n", ""), "m.ckpt"),
                       "m.ckpt: the header has no 'depth'", CheckpointError);
  // A width that parses but does not match the 99,074 weights: 3·128·64 + 64 + 3·(64² + 64) + 2·64 + 2 =
  // 37,250.
  CHECK_THROWS_WITH_AS(parse_checkpoint(with("width = 128\n", "width = 64\n"), "m.ckpt"),
                       doctest::Contains("which has 37250 parameters"), CheckpointError);
}
