// fuzz_csv.cpp — libFuzzer target for CSV point files (src/data/toy2d.*: read_points_csv, "csv:FILE" data
// sets). Not the presets. Seeds: fuzz/seeds/csv.
#include <cmath>
#include <cstdint>
#include <string>

#include "data/toy2d.h"
#include "fuzz/fuzz_common.h"

using namespace difflab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::scratch_file(fuzz::input_text(data, size), ".csv");
  fuzz::rejected_ok([&] {
    const PointSet p = read_points_csv(path);
    fuzz::require(p.xy.size() == 2 * p.labels.size(), "one label per point");
    for (float v : p.xy) fuzz::require(std::isfinite(v), "a non-finite point accepted");
    for (int l : p.labels) fuzz::require(l >= 0, "a negative label accepted");
  });
  fuzz::rejected_ok([&] {
    const Dataset2D d = Dataset2D::load("csv:" + path);
    const PointSet s = d.sample(16, 1);
    fuzz::require(s.size() == 16, "sample(16) gave another count");
  });
  return 0;
}
