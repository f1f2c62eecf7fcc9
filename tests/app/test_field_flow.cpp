// test_field_flow.cpp — `difflab field --objective flow` against the closed-form velocity of an isotropic
// Gaussian mixture, computed here from the definition. Not the flow trainer (tests/train/test_flow.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"

using namespace difflab;

namespace {
int run(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return cli_field(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_CASE("field --objective flow: the exact velocity equals E(ε − x₀ | xₜ) of the mixture to 1e-5") {
  const auto dir = std::filesystem::temp_directory_path() / "difflab_field_flow";
  std::filesystem::create_directories(dir);
  const std::string gmm = (dir / "mix.json").string(), csv = (dir / "v.csv").string();
  // Three isotropic components: weights 1, 2, 1 (normalised), means and standard deviations below.
  const double w[3] = {0.25, 0.5, 0.25}, mu[3][2] = {{2, 0}, {-1, 1.5}, {0.5, -2}}, s[3] = {0.3, 0.5, 0.2};
  std::ofstream(gmm)
      << "{\"weights\": [1, 2, 1], \"means\": [[2, 0], [-1, 1.5], [0.5, -2]],\n"
         " \"covariances\": [[[0.09, 0], [0, 0.09]], [[0.25, 0], [0, 0.25]], [[0.04, 0], [0, 0.04]]]}\n";
  for (double t : {0.1, 0.4, 0.75, 0.95}) {
    REQUIRE(run({"difflab", "field", "--objective", "flow", "--model", "oracle", "--dataset", "gmm:" + gmm,
                 "--t", std::to_string(t), "--grid", "-3,3,-3,3,7", "--out", csv}) == 0);
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    CHECK(line == "x,y,vx,vy");
    int rows = 0;
    double worst = 0;
    while (std::getline(in, line)) {
      double x[2], v[2];
      char comma;
      std::istringstream(line) >> x[0] >> comma >> x[1] >> comma >> v[0] >> comma >> v[1];
      // Component k: x₀ ~ 𝒩(μₖ, sₖ²I), so xₜ | k ~ 𝒩((1 − t)μₖ, Vₖ I) with Vₖ = (1 − t)²sₖ² + t², and
      // E[x₀ | x, k] = μₖ + (1 − t)sₖ²/Vₖ (x − (1 − t)μₖ), E[ε | x, k] = t/Vₖ (x − (1 − t)μₖ).
      double logr[3], top = -1e300;
      for (int k = 0; k < 3; ++k) {
        const double V = (1 - t) * (1 - t) * s[k] * s[k] + t * t;
        double q = 0;
        for (int d = 0; d < 2; ++d) q += std::pow(x[d] - (1 - t) * mu[k][d], 2);
        logr[k] = std::log(w[k]) - std::log(2 * M_PI * V) - q / (2 * V);
        top = std::max(top, logr[k]);
      }
      double z = 0;
      for (double l : logr) z += std::exp(l - top);
      for (int d = 0; d < 2; ++d) {
        double expected = 0;
        for (int k = 0; k < 3; ++k) {
          const double V = (1 - t) * (1 - t) * s[k] * s[k] + t * t, r = x[d] - (1 - t) * mu[k][d];
          const double eps = t / V * r, x0 = mu[k][d] + (1 - t) * s[k] * s[k] / V * r;
          expected += std::exp(logr[k] - top) / z * (eps - x0);
        }
        worst = std::max(worst, std::abs(v[d] - expected));
      }
      ++rows;
    }
    CHECK(rows == 49);
    CHECK(worst <= 1e-5);
  }
}

TEST_CASE("field --objective: anything but eps or flow is a usage error") {
  CHECK_THROWS(run({"difflab", "field", "--objective", "v", "--model", "oracle", "--dataset", "8gaussians",
                    "--t", "3", "--at", "0,0"}));
}
