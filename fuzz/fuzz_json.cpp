// fuzz_json.cpp — libFuzzer target for the JSON reader (src/data/json.*) and Gaussian-mixture files
// (read_gmm_json, "gmm:FILE" data sets). Not the exact denoiser's math. Seeds: fuzz/seeds/json.
#include <cmath>
#include <cstdint>
#include <string>

#include "data/json.h"
#include "data/toy2d.h"
#include "fuzz/fuzz_common.h"

using namespace difflab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::input_text(data, size);
  fuzz::rejected_ok([&] { (void)json::parse(text); });
  const std::string path = fuzz::scratch_file(text, ".json");
  fuzz::rejected_ok([&] {
    const LabelledMixture2D labelled = read_labelled_gmm_json(path);
    const GaussianMixture2D& m = labelled.mixture;
    fuzz::require(labelled.classes.size() == m.weights.size(), "not one class per component");
    for (int c : labelled.classes)
      fuzz::require(c >= 0 && c < labelled.num_classes && labelled.class_weight(c) > 0,
                    "a bad class accepted");
    double total = 0;
    for (double w : m.weights) {
      fuzz::require(std::isfinite(w) && w >= 0, "a bad weight accepted");
      total += w;
    }
    fuzz::require(std::abs(total - 1.0) < 1e-6, "weights do not sum to 1");
    for (const auto& mu : m.means)
      fuzz::require(std::isfinite(mu[0]) && std::isfinite(mu[1]), "a non-finite mean accepted");
    std::vector<float> xy;
    std::vector<int> component;
    m.sample(8, 1, &xy, &component);
    for (float v : xy) fuzz::require(std::isfinite(v), "a finite mixture sampled a non-finite point");
  });
  return 0;
}
