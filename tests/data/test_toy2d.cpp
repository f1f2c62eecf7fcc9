// test_toy2d.cpp — 2-D data sets: presets, labels, determinism, CSV and GMM JSON with their errors.
// Not a test of the exact denoiser.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include <unistd.h>

#include "core/file_io.h"
#include "data/toy2d.h"

using namespace difflab;

namespace {
std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("difflab-data-" + std::to_string(::getpid()) + "-" + name))
          .string();
  write_file_atomically(path, text);
  return path;
}
}  // namespace

TEST_CASE("every preset samples deterministically, with labels in range and a sensible scale") {
  CHECK(dataset_presets().size() >= 7);
  for (const std::string& name : dataset_presets()) {
    CAPTURE(name);
    const Dataset2D d = Dataset2D::load(name);
    const PointSet a = d.sample(2000, 5), b = d.sample(2000, 5), c = d.sample(2000, 6);
    CHECK(a.xy == b.xy);
    CHECK(a.xy != c.xy);
    std::set<int> labels(a.labels.begin(), a.labels.end());
    CHECK(*labels.rbegin() < d.num_classes());
    CHECK(static_cast<int>(labels.size()) == d.num_classes());
    double m2 = 0;
    for (float v : a.xy) m2 += v * v;
    const double rms = std::sqrt(m2 / a.xy.size());
    CHECK(rms > 0.3);
    CHECK(rms < 3.0);
  }
}

TEST_CASE("8gaussians is an exact mixture with modes on a circle of radius 2") {
  const Dataset2D d = Dataset2D::load("8gaussians");
  REQUIRE(d.is_mixture());
  const GaussianMixture2D m = d.oracle_mixture();
  CHECK(m.size() == 8);
  for (const auto& mu : m.means) CHECK(std::hypot(mu[0], mu[1]) == doctest::Approx(2.0));
  CHECK_FALSE(Dataset2D::load("moons").is_mixture());
  CHECK(Dataset2D::load("moons").oracle_mixture(500).size() == 500);
}

TEST_CASE("GMM JSON files load, and malformed ones say which line is wrong") {
  const std::string good = temp_file("good.json",
                                     "{\"weights\": [1, 3],\n \"means\": [[0, 0], [1, -1]],\n"
                                     " \"covariances\": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 0.2]]]}\n");
  const Dataset2D d = Dataset2D::load("gmm:" + good);
  const GaussianMixture2D m = d.oracle_mixture();
  CHECK(m.weights[1] == doctest::Approx(0.75));
  CHECK(m.covariances[1].b == doctest::Approx(0.1));
  const std::string bad_syntax = temp_file("bad1.json", "{\"weights\": [1,\n 2\n");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + bad_syntax), doctest::Contains(":"));
  const std::string bad_cov = temp_file("bad2.json",
                                        "{\"weights\": [1],\n \"means\": [[0, 0]],\n"
                                        " \"covariances\": [[[1, 2], [0, 1]]]}");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + bad_cov), doctest::Contains(":3: covariance is not symmetric"));
  const std::string missing = temp_file("bad3.json", "{\"weights\": [1]}");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + missing), doctest::Contains("missing key"));
  for (const auto& p : {good, bad_syntax, bad_cov, missing}) std::filesystem::remove(p);
}

TEST_CASE("CSV round trip keeps points and labels, bad rows give FILE:LINE") {
  PointSet p;
  p.xy = {0.5f, -1.25f, 3.0f, 4.0f};
  p.labels = {0, 2};
  const std::string path = temp_file("points.csv", "");
  write_points_csv(path, p);
  const PointSet back = read_points_csv(path);
  CHECK(back.xy == p.xy);
  CHECK(back.labels == p.labels);
  const Dataset2D d = Dataset2D::load("csv:" + path);
  CHECK(d.num_classes() == 3);
  const std::string bad = temp_file("bad.csv", "x,y\n1,2\n3,abc\n");
  CHECK_THROWS_WITH(read_points_csv(bad), doctest::Contains("bad.csv:3: 'abc' is not a number"));
  const std::string wide = temp_file("wide.csv", "1,2,3,4\n");
  CHECK_THROWS_WITH(read_points_csv(wide), doctest::Contains(":1: expected 2 or 3 columns"));
  CHECK_THROWS_WITH(Dataset2D::load("nonsense"), doctest::Contains("unknown dataset"));
  for (const auto& f : {path, bad, wide}) std::filesystem::remove(f);
}

TEST_CASE("GMM JSON with a non-finite mean (1e999) or covariance is refused with its line") {
  const std::string inf_mean = temp_file("inf_mean.json",
                                         "{\"weights\": [1],\n \"means\": [[1e999, 0]],\n"
                                         " \"covariances\": [[[1, 0], [0, 1]]]}\n");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + inf_mean),
                    doctest::Contains("line 2: number 1e999 is out of range"));
  const std::string neg_inf = temp_file("neg_inf.json",
                                        "{\"weights\": [1],\n \"means\": [[0, 0]],\n"
                                        " \"covariances\": [[[-inf, 0], [0, 1]]]}\n");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + neg_inf), doctest::Contains("line 3: malformed number '-inf'"));
  const std::string huge_mean = temp_file("huge_mean.json",
                                          "{\"weights\": [1],\n \"means\": [[1e300, 0]],\n"
                                          " \"covariances\": [[[1, 0], [0, 1]]]}\n");
  CHECK_THROWS_WITH(Dataset2D::load("gmm:" + huge_mean),
                    doctest::Contains(":2: each mean coordinate must be a finite"));
  for (const auto& p : {inf_mean, neg_inf, huge_mean}) std::filesystem::remove(p);
}

TEST_CASE("CSV: a first data row of nan or inf is data (refused), not a header to skip") {
  const std::string nan_first = temp_file("nan_first.csv", "nan,1\n2,3\n");
  CHECK_THROWS_WITH(read_points_csv(nan_first),
                    doctest::Contains("nan_first.csv:1: 'nan' is not a finite number"));
  const std::string inf_first = temp_file("inf_first.csv", "x,y\ninf,0\n");
  CHECK_THROWS_WITH(read_points_csv(inf_first),
                    doctest::Contains("inf_first.csv:2: 'inf' is not a finite number"));
  const std::string overflow = temp_file("overflow.csv", "x,y\n1,1e999\n");
  CHECK_THROWS_WITH(read_points_csv(overflow),
                    doctest::Contains("overflow.csv:2: '1e999' is not a finite number"));
  for (const auto& f : {nan_first, inf_first, overflow}) std::filesystem::remove(f);
}

TEST_CASE("CSV: a finite value past float's range (1e308) is refused, not turned into inf") {
  const std::string big = temp_file("big.csv", "x,y\n0.5,1e308\n");
  CHECK_THROWS_WITH(read_points_csv(big), doctest::Contains("big.csv:2: '1e308' is too large for a float"));
  const std::string edge = temp_file("edge.csv", "3.4e38,-3.4e38\n");  // FLT_MAX ≈ 3.4028e38: still a float
  CHECK(read_points_csv(edge).xy == std::vector<float>{3.4e38f, -3.4e38f});
  for (const auto& f : {big, edge}) std::filesystem::remove(f);
}

TEST_CASE("CSV: only the first line may be a text header, a second text row is an error with its line") {
  const std::string two = temp_file("two_headers.csv", "x,y\nlabel,other\n1,2\n");
  CHECK_THROWS_WITH(read_points_csv(two), doctest::Contains("two_headers.csv:2: 'label' is not a number"));
  const std::string later = temp_file("later_text.csv", "1,2\nx,y\n");
  CHECK_THROWS_WITH(read_points_csv(later), doctest::Contains("later_text.csv:2: 'x' is not a number"));
  const std::string headed = temp_file("headed.csv", "# comment\n\nx,y\n1,2\n");
  CHECK(read_points_csv(headed).xy == std::vector<float>{1, 2});
  for (const auto& f : {two, later, headed}) std::filesystem::remove(f);
}

TEST_CASE("CSV: a directory given as the file is named as a directory") {
  const std::string dir = temp_file("csv_dir_placeholder", "");
  std::filesystem::remove(dir);
  std::filesystem::create_directory(dir);
  CHECK_THROWS_WITH(read_points_csv(dir), doctest::Contains("it is a directory, not a file"));
  std::filesystem::remove(dir);
}

TEST_CASE(
    "every preset carries labels: the labelled oracle mixture has num_classes classes, each with mass") {
  for (const std::string& name : dataset_presets()) {
    CAPTURE(name);
    const Dataset2D d = Dataset2D::load(name);
    const LabelledMixture2D l = d.labelled_oracle_mixture(500);
    CHECK(l.num_classes == d.num_classes());
    CHECK(l.classes.size() == l.mixture.weights.size());
    double total = 0;
    for (int c = 0; c < l.num_classes; ++c) {
      CHECK(l.class_weight(c) > 0);
      total += l.class_weight(c);
    }
    CHECK(total == doctest::Approx(1.0));
    if (d.is_mixture()) {
      // Mixture presets: component k is class k; sample() labels each point by its component's class.
      CHECK(d.component_classes().size() == static_cast<size_t>(l.mixture.size()));
      for (int k = 0; k < l.mixture.size(); ++k) CHECK(l.classes[k] == k);
    } else {
      // Point-set presets: the reference points keep the labels sample() gave them.
      const PointSet ref = d.sample(500, 0);
      CHECK(l.classes == ref.labels);
    }
  }
  CHECK(Dataset2D::load("8gaussians").num_classes() == 8);
  CHECK(Dataset2D::load("25gaussians").num_classes() == 25);
  CHECK(Dataset2D::load("gaussian").num_classes() == 1);
}

TEST_CASE("GMM JSON \"labels\": several components share a class, sample() labels points by class") {
  const std::string path = temp_file("labelled.json", R"({"weights": [1, 1, 2],
    "means": [[-2, 0], [2, 0], [0, 3]],
    "covariances": [[[0.01, 0], [0, 0.01]], [[0.01, 0], [0, 0.01]], [[0.01, 0], [0, 0.01]]],
    "labels": [1, 1, 0]})");
  const Dataset2D d = Dataset2D::load("gmm:" + path);
  CHECK(d.num_classes() == 2);
  CHECK(d.component_classes() == std::vector<int>{1, 1, 0});
  const LabelledMixture2D l = d.labelled_oracle_mixture();
  CHECK(l.class_weight(0) == doctest::Approx(0.5));  // weight 2 of 4
  CHECK(l.class_weight(1) == doctest::Approx(0.5));
  const PointSet s = d.sample(400, 3);
  for (int i = 0; i < s.size(); ++i) CHECK(s.labels[i] == (s.xy[2 * i + 1] > 1.5 ? 0 : 1));
  // Without "labels" each component is its own class.
  const std::string plain = temp_file("plain.json", R"({"weights": [1, 1], "means": [[0, 0], [1, 1]],
    "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]})");
  CHECK(Dataset2D::load("gmm:" + plain).num_classes() == 2);
  CHECK(Dataset2D::load("gmm:" + plain).component_classes() == std::vector<int>{0, 1});
  std::filesystem::remove(path);
  std::filesystem::remove(plain);
}

TEST_CASE(
    "GMM JSON \"labels\" of the wrong length, out of range, not integers or with gaps: errors with the "
    "line") {
  const std::string head = R"({"weights": [1, 1], "means": [[0, 0], [1, 1]],
    "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]],
    "labels": )";
  auto message = [&](const std::string& labels) {
    const std::string path = temp_file("bad-labels.json", head + labels + "}");
    std::string what;
    try {
      Dataset2D::load("gmm:" + path);
    } catch (const std::exception& e) {
      what = e.what();
    }
    std::filesystem::remove(path);
    return what;
  };
  CHECK(message("[0]").find("\"labels\" has 1 entries for 2 components") != std::string::npos);
  CHECK(message("[0]").find(":3:") != std::string::npos);  // the line of the labels array
  CHECK(message("[0, -1]").find("each label must be an integer 0 … 999") != std::string::npos);
  CHECK(message("[0, 1000]").find("each label must be an integer 0 … 999") != std::string::npos);
  CHECK(message("[0, 0.5]").find("each label must be an integer") != std::string::npos);
  CHECK(message("\"a\"").find("must be an array") != std::string::npos);
  CHECK(message("[0, 2]").find("class 1 has no component") != std::string::npos);
  CHECK(message("[1, 1]").find("class 0 has no component") != std::string::npos);
  CHECK(message("[0, 0]").empty());  // two components, one class: fine
}

TEST_CASE("CSV labels: 0 … 999, the empirical mixture keeps them, a label gap is named") {
  const std::string ok = temp_file("labels.csv", "x,y,label\n0,0,0\n1,1,1\n2,2,1\n");
  const LabelledMixture2D l = Dataset2D::load("csv:" + ok).labelled_oracle_mixture();
  CHECK(l.classes == std::vector<int>{0, 1, 1});
  CHECK(l.class_weight(1) == doctest::Approx(2.0 / 3));
  const std::string big = temp_file("big-label.csv", "0,0,1000\n");
  CHECK_THROWS_WITH_AS(Dataset2D::load("csv:" + big),
                       doctest::Contains(":1: the label must be an integer 0 … 999"), std::runtime_error);
  const std::string gap = temp_file("gap.csv", "0,0,0\n1,1,2\n");
  CHECK_THROWS_WITH_AS(Dataset2D::load("csv:" + gap).labelled_oracle_mixture(),
                       doctest::Contains("class 1 has no component"), std::invalid_argument);
  for (const auto& p : {ok, big, gap}) std::filesystem::remove(p);
}
