// reference_backend.cpp — every op of backend.h as the plainest nested loop (llm.c style): one thread, no
// SIMD, float accumulators in the order the definition reads. Not fast: the ground truth for
// test_backend_ops.
#include "nn/reference/reference_backend.h"

#include <stdexcept>

namespace difflab {

std::unique_ptr<Backend> make_reference_backend() {
  throw std::logic_error("the reference backend is not written yet");
}

}  // namespace difflab
