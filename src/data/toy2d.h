// toy2d.h — the 2-D data sets: built-in presets, Gaussian mixtures from JSON, and CSV point sets.
// Not images (idx.h) and not batching for training (the trainer draws from sample()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/gaussian_mixture.h"
#include "core/guidance.h"

namespace difflab {

struct PointSet {
  std::vector<float> xy;    // interleaved x, y
  std::vector<int> labels;  // one per point: its mode, arm or ring (0 when unknown)
  int size() const { return static_cast<int>(xy.size() / 2); }
};

// A data source named by a spec: a preset ("moons"), "gmm:FILE.json" or "csv:FILE.csv".
class Dataset2D {
 public:
  // Throws std::invalid_argument / std::runtime_error with a message naming the spec or file and line.
  static Dataset2D load(const std::string& spec);
  // The empirical distribution of given points (e.g. drawn with the mouse). Throws if there are none.
  static Dataset2D from_points(const PointSet& points, const std::string& description);

  const std::string& spec() const { return spec_; }
  const std::string& description() const { return description_; }
  int num_classes() const { return num_classes_; }
  // n fresh points from the distribution, deterministic in seed (CSV data: drawn with replacement).
  PointSet sample(int n, uint64_t seed) const;
  // True when the distribution is exactly a Gaussian mixture (8gaussians, 25gaussians, gaussian, gmm:…).
  bool is_mixture() const { return mixture_.has_value(); }
  // The distribution the exact denoiser uses: the mixture itself, or the empirical distribution of a
  // reference sample of `reference_points` points (seed 0; all points for CSV data).
  GaussianMixture2D oracle_mixture(int reference_points = 2000) const;
  // The same distribution with the class of every component: a mixture's component → class map (presets: one
  // class per component; GMM JSON: its "labels", else one class per component), or the reference points with
  // their labels (point-set presets, CSV data). num_classes() classes.
  LabelledMixture2D labelled_oracle_mixture(int reference_points = 2000) const;
  // For a mixture: the class of each component (empty for point sets). sample() labels points by it.
  const std::vector<int>& component_classes() const { return component_classes_; }

 private:
  std::string spec_, description_;
  int num_classes_ = 1;
  std::optional<GaussianMixture2D> mixture_;
  std::vector<int> component_classes_;  // mixtures: the class of each component
  PointSet points_;                     // CSV data
};

// Names of the built-in presets, in menu order.
const std::vector<std::string>& dataset_presets();

// CSV with columns x,y[,label] and an optional header line. Throws with "FILE:LINE: …" messages.
PointSet read_points_csv(const std::string& path);
// Writes atomically (temporary file + rename). Columns x,y,label when labels are present.
void write_points_csv(const std::string& path, const PointSet& points);

// {"weights": [...], "means": [[x, y], ...], "covariances": [[[a, b], [b, c]], ...], "labels": [...]};
// "labels" is optional: one class per component (integers 0 … K − 1, K ≤ limits::kMaxClasses, no class
// without a component; several components may share one). Without it each component is its own class.
LabelledMixture2D read_labelled_gmm_json(const std::string& path);
GaussianMixture2D read_gmm_json(const std::string& path);  // the mixture of read_labelled_gmm_json

}  // namespace difflab
