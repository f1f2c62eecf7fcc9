// stopwatch.h — wall-clock seconds since a steady_clock time point, for the timings the panels and the CLI
// print (load and sampling times, img/s). Not a benchmark harness (app/cli_bench.cpp).
#pragma once

#include <chrono>

namespace difflab {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace difflab
