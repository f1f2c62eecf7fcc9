// mode_metrics.h — what a point set from any generative model gets scored with on 2-D data: sliced W₂ against
// held-out data and its data-vs-data floor, modes covered and the fraction of high-quality samples.
// Not a loss and not a sampler: it only reads points (the labelled modes come from a Gaussian mixture).
#pragma once

#include <vector>

#include "core/gaussian_mixture.h"

namespace difflab {

// Modes of a Gaussian mixture seen by a set of samples. A sample is "near" mode k when its Mahalanobis
// distance to μₖ under Σₖ is at most 3 (within 3σ for an isotropic mode). A mode is covered when at least
// 1/(4K) of all samples are near it; a sample is of high quality when it is near some mode.
struct ModeCoverage {
  int modes = 0;                     // K
  int modes_covered = 0;             // modes with count ≥ n/(4K)
  int samples = 0;                   // n (finite and non-finite)
  double high_quality_fraction = 0;  // samples near some mode / n
  std::vector<int> per_mode;         // samples near each mode (a sample near two counts for the nearer)
};

// Throws std::invalid_argument when the mixture is empty or has a singular covariance (a delta has no σ).
ModeCoverage mode_coverage(const std::vector<float>& xy, const GaussianMixture2D& modes);
// Whether mode_coverage can score against this mixture (every covariance positive definite).
bool has_labelled_modes(const GaussianMixture2D& mixture);

struct SampleScore {
  double swd = 0;        // sliced W₂(samples, held-out)
  double swd_floor = 0;  // sliced W₂(fresh data of the same size, held-out)
  bool has_modes = false;
  ModeCoverage coverage;  // when has_modes
};

// Scores `samples` against `held_out` data, `fresh` data (as many points as samples, independent of
// held_out) giving the floor (empty: no floor, 0, for a caller that keeps its own); `modes` may be null (no
// labelled modes). Non-finite samples make swd infinite.
SampleScore score_samples(const std::vector<float>& samples, const std::vector<float>& held_out,
                          const std::vector<float>& fresh, const GaussianMixture2D* modes);

}  // namespace difflab
