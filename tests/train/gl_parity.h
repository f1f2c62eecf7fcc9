// gl_parity.h — what the GL-against-CPU tests of tests/train share: whether the GL backend runs here, and the
// relative error of one vector against another.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "nn/backend_factory.h"

namespace difflab::test {

// True when the GL backend can run here; otherwise says why (once per test case) and the case returns.
inline bool gl_here() {
  static std::string why;
  static const bool available = gl_backend_available(&why);
  if (!available) MESSAGE("GL backend unavailable, skipped: " << why);
  return available;
}

// ‖a − b‖ / ‖b‖ over the whole vector (a per-element ratio would blow up on entries near 0).
inline double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double diff = 0, norm = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    norm += double(b[i]) * b[i];
  }
  return std::sqrt(diff / std::max(norm, 1e-300));
}

}  // namespace difflab::test
