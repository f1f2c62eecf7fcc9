// cli_data.cpp — `difflab data`: writes n points of a 2-D data set as CSV (x,y,label).
// Not a plot.
#include <cstdio>

#include "app/cli.h"
#include "data/toy2d.h"

namespace difflab {

int cli_data(int argc, char** argv) {
  std::string presets;
  for (const auto& name : dataset_presets()) presets += (presets.empty() ? "" : ", ") + name;
  ArgParser p("difflab data --dataset D --n N [--seed S] --out FILE.csv",
              "Samples a 2-D data set. Presets: " + presets + "; also gmm:FILE.json and csv:FILE.csv.");
  p.option("dataset", "D", "data set name or spec")
      .option("n", "N", "number of points", "1000")
      .option("seed", "S", "random seed", "0")
      .option("out", "FILE.csv", "where to write x,y,label");
  if (!p.parse(argc, argv, 2)) return 0;
  const Dataset2D data = Dataset2D::load(p.require("dataset"));
  const PointSet points =
      data.sample(p.get_int("n", 1, 10000000), static_cast<uint64_t>(p.get_double("seed", 0, 1e15)));
  write_points_csv(p.require("out"), points);
  std::fprintf(stderr, "wrote %d points of %s to %s\n", points.size(), data.description().c_str(),
               p.get("out").c_str());
  return 0;
}

}  // namespace difflab
