// reference_backend.h — the reference backend: every op as the plainest nested loop, one thread, no SIMD.
// Not fast and not for users: it is the ground truth test_backend_ops checks the CPU and GL backends against.
#pragma once

#include <memory>

#include "nn/backend.h"

namespace difflab {

std::unique_ptr<Backend> make_reference_backend();

}  // namespace difflab
