// fuzz_checkpoint.cpp — libFuzzer target for checkpoint files (src/train/checkpoint.*): header, sizes,
// payload, data_box, and a small MLP built from what parsed. Not the checksum: fuzz builds define
// DIFFLAB_FUZZ_SKIP_CHECKSUM so that random payloads get past it.
#include <cmath>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_common.h"
#include "train/checkpoint.h"
#include "train/model_source.h"

using namespace difflab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = fuzz::input_text(data, size);
  fuzz::rejected_ok([&] {
    const Checkpoint c = parse_checkpoint(bytes, "input.ckpt");
    for (float v : c.ema_params) fuzz::require(std::isfinite(v), "non-finite EMA weights accepted");
    for (float v : c.params) fuzz::require(std::isfinite(v), "non-finite raw weights accepted");
    fuzz::require(c.params.empty() || c.params.size() == c.ema_params.size(), "params and ema sizes differ");
    // What was accepted writes back to a file that reads the same.
    const Checkpoint back = parse_checkpoint(serialize_checkpoint(c), "round-trip.ckpt");
    fuzz::require(back.ema_params.size() == c.ema_params.size() && back.params == c.params &&
                      back.step == c.step && back.seed == c.seed && back.extra == c.extra,
                  "checkpoint round trip changed it");
    if (auto it = c.extra.find("data_box"); it != c.extra.end())
      fuzz::rejected_ok([&] { (void)parse_data_box(it->second, 2, "input.ckpt"); });
    // Small 2-D models are built and asked for one ε̂, as `difflab sample` would.
    if (c.architecture == "mlp2d" && c.ema_params.size() <= 20000) {
      fuzz::rejected_ok([&] {
        auto model = model_from_checkpoint(c, "input.ckpt");
        std::vector<float> x = {0.5f, -0.25f}, eps(2);
        model->model().predict_eps(x.data(), 1, model->schedule.T() / 2, eps.data());
      });
    }
  });
  return 0;
}
