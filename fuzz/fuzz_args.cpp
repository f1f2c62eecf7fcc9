// fuzz_args.cpp — libFuzzer target for command-line parsing: src/app/args.* (with the schedule options every
// command shares) and the GUI's options (src/ui/gui_options.*). The input is argv, words separated by NUL
// bytes. Not the commands themselves. Seeds: fuzz/seeds/args.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/cli.h"
#include "fuzz/fuzz_common.h"
#include "ui/gui_options.h"

using namespace difflab;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!std::freopen("/dev/null", "w", stdout)) return 1;  // --help prints the usage
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> words(1, "difflab");
  words.emplace_back();
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      words.emplace_back();
    else
      words.back() += static_cast<char>(data[i]);
  }
  if (words.size() > 4096) return 0;
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(words.size());

  fuzz::rejected_ok([&] {
    ArgParser p("difflab fuzz [options]", "every kind of option the commands declare");
    add_schedule_options(p);
    p.option("model", "oracle|CKPT", "a model")
        .option("steps", "N", "steps", "100")
        .option("eta", "E", "eta", "0")
        .option("at", "x,y", "a point")
        .option("grid", "xmin,xmax,ymin,ymax,n", "a grid")
        .flag("quiet", "no progress")
        .flag("ema-only", "only EMA weights");
    p.allow_positional("FILE");
    if (!p.parse(argc, argv.data(), 1)) return;
    for (const char* name : {"model", "steps", "eta", "at", "grid", "quiet", "ema-only", "T", "schedule"}) {
      if (!p.has(name)) continue;
      (void)p.get(name);
      fuzz::rejected_ok([&] {
        const double v = p.get_double(name, -1e6, 1e6);
        fuzz::require(std::isfinite(v) && v >= -1e6 && v <= 1e6, "get_double outside its range");
      });
      fuzz::rejected_ok([&] {
        const int v = p.get_int(name, -1000, 1000);
        fuzz::require(v >= -1000 && v <= 1000, "get_int outside its range");
      });
    }
    if (p.has("at")) fuzz::rejected_ok([&] { (void)parse_number_list(p.get("at"), "at", 2); });
    if (p.has("grid")) fuzz::rejected_ok([&] { (void)parse_number_list(p.get("grid"), "grid", 5); });
    for (DataKind kind : {DataKind::Points2D, DataKind::Images}) (void)schedule_from_options(p, kind);
    (void)data_kind_of(p.has("model") ? p.get("model") : std::string());
  });

  // The GUI's parser reports problems in .error and never throws.
  const ui::GuiOptions g = ui::parse_gui_options(argc, argv.data());
  if (g.error.empty())
    fuzz::require(g.slide >= -1 && g.frames >= 1 && g.width >= 0 && g.height >= 0,
                  "GUI options out of range");
  return 0;
}
