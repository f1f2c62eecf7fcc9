// fuzz_idx.cpp — libFuzzer target for the IDX reader (src/data/idx.*): gzip inflate, header, sizes, and the
// image data set built from a file. Not a speed test; seeds: fuzz/seeds/idx (plain and gzip IDX files).
#include <cstdint>
#include <string>

#include "data/idx.h"
#include "fuzz/fuzz_common.h"

using namespace difflab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = fuzz::input_text(data, size);
  fuzz::rejected_ok([&] { (void)gunzip(bytes, "input.gz"); });
  bool three_dims = false;
  fuzz::rejected_ok([&] {
    const IdxArray a = parse_idx(bytes, "input.idx");
    size_t count = 1;
    for (int d : a.dims) {
      fuzz::require(d >= 0, "a negative IDX dimension");
      count *= static_cast<size_t>(d);
    }
    fuzz::require(!a.dims.empty() && count == a.data.size(),
                  "IDX data size differs from the product of its dims");
    three_dims = a.dims.size() == 3;
  });
  if (three_dims) {  // the same bytes as an image file: pixels scaled to [-1, 1]
    const std::string path = fuzz::scratch_file(bytes, ".idx");
    fuzz::rejected_ok([&] {
      const ImageDataset d = load_image_dataset("idx:" + path, true);
      fuzz::require(d.pixels.size() == static_cast<size_t>(d.count) * d.dim(), "image data set size");
      // v·(2/255) − 1 in float rounds 255 to 1 + 1.2e-7: within 1e-6 of [−1, 1] is what the scaling promises.
      for (float v : d.pixels) fuzz::require(v >= -1.000001f && v <= 1.000001f, "a pixel outside [-1, 1]");
    });
  }
  return 0;
}
