// metrics.h — sample-quality metrics for point sets: sliced Wasserstein-2 and moments.
// Not losses for training; these compare model samples with held-out data.
#pragma once

#include <cstdint>
#include <vector>

namespace difflab {

// Sliced W₂ between two 2-D point sets (interleaved x, y): the root of the mean over `projections`
// random directions of W₂² between the 1-D projections (sorted-matching; sizes may differ: the
// quantiles of the larger set are matched to the smaller one). Same seed → same directions.
double sliced_wasserstein2(const std::vector<float>& a, const std::vector<float>& b, int projections = 128,
                           uint64_t seed = 1234);

}  // namespace difflab
