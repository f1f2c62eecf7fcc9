// test_model_family.cpp — the family table's entries for the MLP, the U-Net and the classifier: sizes from
// the configuration alone, models built from it, and configurations that round-trip through their text.
// Not the checkpoint file (tests/train/test_training.cpp and test_checkpoint_files.cpp).
#include <doctest/doctest.h>

#include <stdexcept>

#include "nn/classifier.h"
#include "nn/mlp.h"
#include "nn/model_family.h"
#include "nn/unet.h"

using namespace difflab;

namespace {

// Builds `family` from `config` and checks what the table promises about it.
void check_family(const std::string& family, const ModelConfigMap& config, size_t expected_params) {
  CAPTURE(family);
  const ModelFamily* f = find_model_family(family);
  REQUIRE(f != nullptr);
  CHECK(f->param_count(config) == expected_params);
  auto backend = make_cpu_backend();
  const std::unique_ptr<Model> m = f->make(config, *backend);
  CHECK(m->family() == family);
  CHECK(m->num_params() == expected_params);
  CHECK(m->params().size() == static_cast<int>(expected_params));
  CHECK(m->config_map() == config);  // the same keys and the same texts
}

}  // namespace

TEST_CASE("model families: mlp2d, unet and classifier come first, named as checkpoints name them") {
  const auto& f = model_families();
  REQUIRE(f.size() >= 3);
  CHECK(std::string(f[0].name) == "mlp2d");
  CHECK(std::string(f[1].name) == "unet");
  CHECK(std::string(f[2].name) == "classifier");
  CHECK(find_model_family("no-such-family") == nullptr);
  CHECK(model_family_names_sentence().rfind("mlp2d, unet", 0) == 0);
}

TEST_CASE("model families: parameter counts from the configuration match the built models") {
  // The counts the headers document: the reference MLP 99,074, U-Net "A" 1,707,009, the classifier 103,722.
  check_family("mlp2d", mlp_config_map(MlpConfig{}), 99074);
  UNetConfig a;
  REQUIRE(unet_preset("A", &a));
  check_family("unet", unet_config_map(a), 1707009);
  check_family("classifier", classifier_config_map(ClassifierConfig{}), 103722);
  // 3EW + W + L(W² + W) + 2W + 2 for E = 4, W = 3, L = 2: 36 + 3 + 24 + 6 + 2 = 71.
  MlpConfig small;
  small.width = 3;
  small.depth = 2;
  small.embedding_size = 4;
  check_family("mlp2d", mlp_config_map(small), 71);
}

TEST_CASE("model families: the header texts of today's checkpoints") {
  MlpConfig m;
  m.input_scale = 25.0f;
  m.time_scale = 0.1f;  // not exact in float: written with 17 digits of the float's double value
  const ModelConfigMap mm = mlp_config_map(m);
  CHECK(mm.at("width") == "128");
  CHECK(mm.at("input_scale") == "25");
  CHECK(mm.at("time_scale") == "0.10000000149011612");
  CHECK(mm.at("activation") == "gelu");
  CHECK(mlp_config_from_map(mm).time_scale == 0.1f);
  UNetConfig u;
  const ModelConfigMap um = unet_config_map(u);
  CHECK(um.at("channels") == "32,64,64");
  CHECK(um.at("mid_attention") == "1");
  CHECK(unet_config_from_map(um).channels == u.channels);
  CHECK(classifier_config_map(ClassifierConfig{}).at("classifier_channels") == "32,64,128");
}

TEST_CASE("model families: a bad or missing key is named") {
  ModelConfigMap m = mlp_config_map(MlpConfig{});
  m.insert_or_assign("width", std::string(1, 'x'));  // (GCC 12 -Wrestrict false positive on = "x")
  CHECK_THROWS_WITH_AS(find_model_family("mlp2d")->param_count(m),
                       "model config: 'width' = 'x' is not an integer in 1 … 4096", std::invalid_argument);
  m.erase("width");
  CHECK_THROWS_WITH_AS(find_model_family("mlp2d")->param_count(m), "model config: key 'width' is missing",
                       std::invalid_argument);
  ModelConfigMap u = unet_config_map(UNetConfig{});
  u["channels"] = "32,,64";
  CHECK_THROWS_WITH_AS(unet_config_from_map(u), doctest::Contains("'channels' = '32,,64' is not a list"),
                       std::invalid_argument);
  u["channels"] = "32,64";  // two levels, three attention flags
  CHECK_THROWS_WITH_AS(unet_config_from_map(u), doctest::Contains("one attention flag per level"),
                       std::invalid_argument);
}
