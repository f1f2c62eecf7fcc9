// toy2d.cpp — generators for the built-in 2-D data sets and readers for user data (see toy2d.h).
// Not the exact denoiser: it takes the mixture or the reference sample this file provides.
#include "data/toy2d.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "core/file_io.h"
#include "core/limits.h"
#include "core/rng.h"
#include "data/json.h"

namespace difflab {
namespace {

constexpr double kPi = std::numbers::pi;

GaussianMixture2D ring_of_gaussians(int count, double radius, double stddev) {
  GaussianMixture2D m;
  for (int k = 0; k < count; ++k) {
    const double angle = 2 * kPi * k / count;
    m.weights.push_back(1.0);
    m.means.push_back({radius * std::cos(angle), radius * std::sin(angle)});
    m.covariances.push_back({stddev * stddev, 0, stddev * stddev});
  }
  m.validate_and_normalise();
  return m;
}

GaussianMixture2D grid_of_gaussians(int side, double spacing, double stddev) {
  GaussianMixture2D m;
  const double offset = (side - 1) / 2.0;
  for (int i = 0; i < side; ++i)
    for (int j = 0; j < side; ++j) {
      m.weights.push_back(1.0);
      m.means.push_back({(i - offset) * spacing, (j - offset) * spacing});
      m.covariances.push_back({stddev * stddev, 0, stddev * stddev});
    }
  m.validate_and_normalise();
  return m;
}

using Generator = void (*)(Rng&, double* x, double* y, int* label);

// sklearn's make_swiss_roll in the plane, scaled to about [−2, 2]; label = which half-turn (0 … 2).
void swiss_roll(Rng& rng, double* x, double* y, int* label) {
  const double u = rng.uniform();
  const double t = 1.5 * kPi * (1 + 2 * u);
  *x = (t * std::cos(t) + 0.25 * rng.normal()) / 7.0;
  *y = (t * std::sin(t) + 0.25 * rng.normal()) / 7.0;
  *label = std::min(2, static_cast<int>(u * 3));
}

// Two interleaving half circles (sklearn's make_moons, noise 0.05), centred; label = moon.
void moons(Rng& rng, double* x, double* y, int* label) {
  const double angle = kPi * rng.uniform();
  const int moon = rng.uniform() < 0.5 ? 0 : 1;
  double px = moon == 0 ? std::cos(angle) : 1 - std::cos(angle);
  double py = moon == 0 ? std::sin(angle) : 0.5 - std::sin(angle);
  px += 0.05 * rng.normal();
  py += 0.05 * rng.normal();
  *x = (px - 0.5) * 1.5;
  *y = (py - 0.25) * 2.0;
  *label = moon;
}

// The 8 of the 16 unit squares of [−2, 2]² whose (column + row) is even; label = square.
void checkerboard(Rng& rng, double* x, double* y, int* label) {
  const int square = static_cast<int>(rng.below(8));
  const int row = square / 2, column = 2 * (square % 2) + (row % 2);
  *x = -2 + column + rng.uniform();
  *y = -2 + row + rng.uniform();
  *label = square;
}

// Three concentric rings (radii 0.6, 1.2, 1.8), points in proportion to circumference; label = ring.
void rings(Rng& rng, double* x, double* y, int* label) {
  const double u = rng.uniform() * 6.0;  // circumferences in proportion 1 : 2 : 3
  const int ring = u < 1 ? 0 : (u < 3 ? 1 : 2);
  const double radius = 0.6 * (ring + 1) + 0.04 * rng.normal();
  const double angle = 2 * kPi * rng.uniform();
  *x = radius * std::cos(angle);
  *y = radius * std::sin(angle);
  *label = ring;
}

// Two interleaved spiral arms; label = arm.
void spirals(Rng& rng, double* x, double* y, int* label) {
  const double n = std::sqrt(rng.uniform()) * 3 * kPi;
  const int arm = rng.uniform() < 0.5 ? 0 : 1;
  const double sign = arm == 0 ? 1 : -1;
  *x = sign * (-std::cos(n) * n) / 4.0 + 0.06 * rng.normal();
  *y = sign * (std::sin(n) * n) / 4.0 + 0.06 * rng.normal();
  *label = arm;
}

struct Preset {
  const char* name;
  const char* description;
  int num_classes;
  Generator generator;             // for sampled presets
  GaussianMixture2D (*mixture)();  // for exact mixtures
};

const Preset kPresets[] = {
    {"swiss-roll", "swiss roll (sklearn make_swiss_roll in the plane, /7)", 3, swiss_roll, nullptr},
    {"moons", "two moons (sklearn make_moons, noise 0.05)", 2, moons, nullptr},
    {"8gaussians", "8 Gaussians on a circle of radius 2, σ = 0.1", 8, nullptr,
     [] { return ring_of_gaussians(8, 2.0, 0.1); }},
    {"25gaussians", "25 Gaussians on a 5×5 grid of spacing 1, σ = 0.08", 25, nullptr,
     [] { return grid_of_gaussians(5, 1.0, 0.08); }},
    {"checkerboard", "checkerboard: 8 unit squares in [−2, 2]²", 8, checkerboard, nullptr},
    {"rings", "three concentric rings, radii 0.6, 1.2, 1.8", 3, rings, nullptr},
    {"spirals", "two spiral arms", 2, spirals, nullptr},
    {"gaussian", "one correlated Gaussian, mean (0.5, −0.3), Σ = [[1, 0.6], [0.6, 0.8]]", 1, nullptr,
     [] {
       GaussianMixture2D m;
       m.weights = {1.0};
       m.means = {{0.5, -0.3}};
       m.covariances = {{1.0, 0.6, 0.8}};
       return m;
     }},
};

std::string preset_list() {
  std::string s;
  for (const Preset& p : kPresets) s += (s.empty() ? "" : ", ") + std::string(p.name);
  return s;
}

double parse_number(const std::string& cell, const std::string& where) {
  // strtod, not stod: 1e999 overflows to inf (refused below as not finite) instead of throwing.
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  size_t used = static_cast<size_t>(end - cell.c_str());
  while (used < cell.size() && std::isspace(static_cast<unsigned char>(cell[used]))) ++used;
  if (used != cell.size() || cell.empty())
    throw std::runtime_error(where + ": '" + cell + "' is not a number");
  if (!std::isfinite(v)) throw std::runtime_error(where + ": '" + cell + "' is not a finite number");
  return v;
}

// True when a cell reads as a number to strtod (including nan and inf): such a first line is data.
bool looks_numeric(const std::string& cell) {
  const char* begin = cell.c_str();
  while (std::isspace(static_cast<unsigned char>(*begin))) ++begin;
  char* end = nullptr;
  std::strtod(begin, &end);
  return end != begin;
}

}  // namespace

const std::vector<std::string>& dataset_presets() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Preset& p : kPresets) v.push_back(p.name);
    return v;
  }();
  return names;
}

Dataset2D Dataset2D::load(const std::string& spec) {
  Dataset2D d;
  d.spec_ = spec;
  if (spec.rfind("gmm:", 0) == 0) {
    LabelledMixture2D labelled = read_labelled_gmm_json(spec.substr(4));
    d.mixture_ = std::move(labelled.mixture);
    d.component_classes_ = std::move(labelled.classes);
    d.num_classes_ = labelled.num_classes;
    d.description_ = "Gaussian mixture from " + spec.substr(4);
    return d;
  }
  if (spec.rfind("csv:", 0) == 0) {
    d.points_ = read_points_csv(spec.substr(4));
    if (d.points_.size() == 0) throw std::runtime_error(spec.substr(4) + ": no points");
    int max_label = 0;
    for (int l : d.points_.labels) max_label = std::max(max_label, l);
    d.num_classes_ = max_label + 1;
    d.description_ = "points from " + spec.substr(4);
    return d;
  }
  for (const Preset& p : kPresets) {
    if (spec != p.name) continue;
    d.description_ = p.description;
    d.num_classes_ = p.num_classes;
    if (p.mixture) {
      d.mixture_ = p.mixture();
      for (int k = 0; k < d.mixture_->size(); ++k) d.component_classes_.push_back(k);
    }
    return d;
  }
  throw std::invalid_argument("unknown dataset '" + spec + "': use one of " + preset_list() +
                              ", gmm:FILE.json or csv:FILE.csv");
}

Dataset2D Dataset2D::from_points(const PointSet& points, const std::string& description) {
  if (points.size() == 0) throw std::invalid_argument("no points to train on: draw some first");
  Dataset2D d;
  d.spec_ = "points";
  d.description_ = description;
  d.points_ = points;
  if (d.points_.labels.size() != static_cast<size_t>(points.size()))
    d.points_.labels.assign(points.size(), 0);
  int max_label = 0;
  for (int l : d.points_.labels) max_label = std::max(max_label, l);
  d.num_classes_ = max_label + 1;
  return d;
}

PointSet Dataset2D::sample(int n, uint64_t seed) const {
  PointSet out;
  if (n <= 0) return out;
  if (mixture_) {
    mixture_->sample(n, seed, &out.xy, &out.labels);      // the component of each point …
    for (int& l : out.labels) l = component_classes_[l];  // … and its class
    return out;
  }
  Rng rng(seed);
  out.xy.resize(2 * static_cast<size_t>(n));
  out.labels.resize(n);
  if (points_.size() > 0) {
    for (int i = 0; i < n; ++i) {
      const int j = static_cast<int>(rng.below(points_.size()));
      out.xy[2 * i] = points_.xy[2 * j];
      out.xy[2 * i + 1] = points_.xy[2 * j + 1];
      out.labels[i] = points_.labels[j];
    }
    return out;
  }
  for (const Preset& p : kPresets) {
    if (spec_ != p.name) continue;
    for (int i = 0; i < n; ++i) {
      double x, y;
      p.generator(rng, &x, &y, &out.labels[i]);
      out.xy[2 * i] = static_cast<float>(x);
      out.xy[2 * i + 1] = static_cast<float>(y);
    }
  }
  return out;
}

GaussianMixture2D Dataset2D::oracle_mixture(int reference_points) const {
  if (mixture_) return *mixture_;
  if (points_.size() > 0) return GaussianMixture2D::from_points(points_.xy);
  return GaussianMixture2D::from_points(sample(reference_points, 0).xy);
}

LabelledMixture2D Dataset2D::labelled_oracle_mixture(int reference_points) const {
  LabelledMixture2D l;
  if (mixture_) {
    l.mixture = *mixture_;
    l.classes = component_classes_;
  } else {
    const PointSet points = points_.size() > 0 ? points_ : sample(reference_points, 0);
    l.mixture = GaussianMixture2D::from_points(points.xy);
    l.classes = points.labels;
  }
  try {
    l.validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(spec_ + ": " + e.what());
  }
  return l;
}

PointSet read_points_csv(const std::string& path) {
  std::istringstream in(read_file(path, limits::kMaxCsvFileBytes));
  PointSet points;
  std::string line;
  int line_number = 0;
  bool seen_first_line = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    const std::string where = path + ":" + std::to_string(line_number);
    // Only the first line may be a header, and only when its first cell is not a number: "nan,1" or
    // "inf,0" is data (refused below as not finite), not a header to skip.
    const bool first = !seen_first_line;
    seen_first_line = true;
    if (first && !cells.empty() && !looks_numeric(cells[0])) continue;
    if (cells.size() < 2 || cells.size() > 3)
      throw std::runtime_error(where + ": expected 2 or 3 columns (x,y[,label]), found " +
                               std::to_string(cells.size()));
    for (int c = 0; c < 2; ++c) {
      const double v = parse_number(cells[c], where);
      // A finite double past float's range would become ±inf in training (and blame the learning rate).
      if (std::abs(v) > std::numeric_limits<float>::max())
        throw std::runtime_error(where + ": '" + cells[c] + "' is too large for a float (|x| > 3.4e38)");
      points.xy.push_back(static_cast<float>(v));
    }
    const double label = cells.size() == 3 ? parse_number(cells[2], where) : 0.0;
    if (label < 0 || label != std::floor(label) || label >= limits::kMaxClasses)
      throw std::runtime_error(where + ": the label must be an integer 0 … " +
                               std::to_string(limits::kMaxClasses - 1) + " (limits.h kMaxClasses)");
    points.labels.push_back(static_cast<int>(label));
  }
  return points;
}

void write_points_csv(const std::string& path, const PointSet& points) {
  std::string out = points.labels.empty() ? "x,y\n" : "x,y,label\n";
  char buffer[96];
  for (int i = 0; i < points.size(); ++i) {
    if (points.labels.empty())
      std::snprintf(buffer, sizeof buffer, "%.9g,%.9g\n", points.xy[2 * i], points.xy[2 * i + 1]);
    else
      std::snprintf(buffer, sizeof buffer, "%.9g,%.9g,%d\n", points.xy[2 * i], points.xy[2 * i + 1],
                    points.labels[i]);
    out += buffer;
  }
  write_file_atomically(path, out);
}

GaussianMixture2D read_gmm_json(const std::string& path) {
  return read_labelled_gmm_json(path).mixture;
}

LabelledMixture2D read_labelled_gmm_json(const std::string& path) {
  json::Value root;
  try {
    root = json::parse(read_file(path, limits::kMaxJsonFileBytes));
  } catch (const json::ParseError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  auto fail = [&](int line, const std::string& what) -> void {
    throw std::runtime_error(path + ":" + std::to_string(line) + ": " + what);
  };
  if (!root.is_object()) fail(root.line, "expected an object with weights, means and covariances");
  const json::Value* weights = root.get("weights");
  const json::Value* means = root.get("means");
  const json::Value* covs = root.get("covariances");
  if (!weights || !means || !covs)
    fail(root.line, "missing key: need \"weights\", \"means\" and \"covariances\"");
  if (!weights->is_array() || !means->is_array() || !covs->is_array())
    fail(root.line, "weights, means and covariances must be arrays");
  GaussianMixture2D m;
  for (const auto& w : weights->array) {
    if (!w.is_number()) fail(w.line, "each weight must be a number");
    m.weights.push_back(w.number);
  }
  for (const auto& mu : means->array) {
    if (!mu.is_array() || mu.array.size() != 2 || !mu.array[0].is_number() || !mu.array[1].is_number())
      fail(mu.line, "each mean must be [x, y]");
    for (int d = 0; d < 2; ++d)  // the JSON reader refuses 1e999; samples are floats, so stay in their range
      if (!(std::abs(mu.array[d].number) <= 1e30))
        fail(mu.line, "each mean coordinate must be a finite number, |x| ≤ 1e30");
    m.means.push_back({mu.array[0].number, mu.array[1].number});
  }
  for (const auto& c : covs->array) {
    bool ok = c.is_array() && c.array.size() == 2;
    for (size_t r = 0; ok && r < 2; ++r)
      ok = c.array[r].is_array() && c.array[r].array.size() == 2 && c.array[r].array[0].is_number() &&
           c.array[r].array[1].is_number();
    if (!ok) fail(c.line, "each covariance must be [[a, b], [b, c]]");
    const double a = c.array[0].array[0].number, b1 = c.array[0].array[1].number;
    const double b2 = c.array[1].array[0].number, d = c.array[1].array[1].number;
    for (double v : {a, b1, b2, d})
      if (!(std::abs(v) <= 1e30)) fail(c.line, "each covariance entry must be a finite number, |x| ≤ 1e30");
    if (std::abs(b1 - b2) > 1e-9 * (1 + std::abs(b1))) fail(c.line, "covariance is not symmetric");
    m.covariances.push_back({a, b1, d});
  }
  try {
    m.validate_and_normalise();
  } catch (const std::invalid_argument& e) {
    fail(root.line, e.what());
  }
  LabelledMixture2D labelled;
  labelled.mixture = std::move(m);
  if (const json::Value* labels = root.get("labels")) {
    if (!labels->is_array()) fail(labels->line, "\"labels\" must be an array with one class per component");
    if (labels->array.size() != labelled.mixture.weights.size())
      fail(labels->line, "\"labels\" has " + std::to_string(labels->array.size()) + " entries for " +
                             std::to_string(labelled.mixture.weights.size()) +
                             " components (one class each)");
    for (const auto& l : labels->array) {
      if (!l.is_number() || l.number != std::floor(l.number) || l.number < 0 ||
          l.number >= limits::kMaxClasses)
        fail(l.line, "each label must be an integer 0 … " + std::to_string(limits::kMaxClasses - 1) +
                         " (limits.h kMaxClasses)");
      labelled.classes.push_back(static_cast<int>(l.number));
    }
  } else {
    for (int k = 0; k < labelled.mixture.size(); ++k) labelled.classes.push_back(k);
  }
  try {
    labelled.validate();
  } catch (const std::invalid_argument& e) {
    fail(root.line, e.what());
  }
  return labelled;
}

}  // namespace difflab
