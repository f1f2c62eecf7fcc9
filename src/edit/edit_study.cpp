// edit_study.cpp — sweeps of reconstruction error and of SDEdit's t₀, and image files (see edit_study.h).
// Not the algorithms (inversion_edit.cpp).
#include "edit/edit_study.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/stopwatch.h"
#include "nn/classifier.h"

// stb_image's functions are static here: the GUI library compiles its own copy.
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace difflab {

std::vector<float> load_image_file(const std::string& path, int height, int width) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 1);
  if (!data) throw std::runtime_error("cannot read the image " + path + ": " + stbi_failure_reason());
  if (w != width || h != height) {
    stbi_image_free(data);
    throw std::invalid_argument("the image " + path + " is " + std::to_string(w) + "×" + std::to_string(h) +
                                " pixels; the model takes " + std::to_string(width) + "×" +
                                std::to_string(height));
  }
  std::vector<float> x(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < x.size(); ++i) x[i] = data[i] / 127.5f - 1.0f;
  stbi_image_free(data);
  return x;
}

std::vector<InversionRow> inversion_error_by_steps(ImageNet& net, const NoiseSchedule& schedule,
                                                   const std::vector<float>& x, int label, double gamma,
                                                   const std::vector<int>& steps) {
  std::vector<InversionRow> rows;
  for (int s : steps) {
    InversionRow row;
    row.steps = s;
    row.gamma = gamma;
    const auto start = std::chrono::steady_clock::now();
    CfgRoundTrip r = cfg_round_trip(net, schedule, x, label, gamma, s);
    row.seconds_ddim = seconds_since(start);
    row.ddim = r.error;
    row.ddim_image = std::move(r.reconstruction);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<InversionRow> inversion_error_by_gamma(ImageNet& net, const NoiseSchedule& schedule,
                                                   const std::vector<float>& x, int label,
                                                   const std::vector<double>& gammas, int steps,
                                                   const NullTextConfig* config, const EditProgress& progress,
                                                   const std::function<bool()>& cancelled) {
  std::vector<InversionRow> rows;
  const long total = static_cast<long>(gammas.size()) * (config ? steps + 2 : 2);
  long done = 0;
  for (double g : gammas) {
    if (cancelled && cancelled()) break;
    InversionRow row;
    row.steps = steps;
    row.gamma = g;
    auto start = std::chrono::steady_clock::now();
    CfgRoundTrip r = cfg_round_trip(net, schedule, x, label, g, steps);
    row.seconds_ddim = seconds_since(start);
    row.ddim = r.error;
    row.ddim_image = std::move(r.reconstruction);
    done += 2;
    if (progress) progress(done, total);
    if (config) {
      NullTextConfig c = *config;
      c.label = label;
      c.gamma = g;
      c.steps = steps;
      start = std::chrono::steady_clock::now();
      const long before = done;
      NullTextResult n = null_text_invert(
          net, schedule, x, c,
          [&](long d, long) {
            if (progress) progress(before + d, total);
          },
          cancelled);
      if (n.cancelled) break;
      row.seconds_null_text = seconds_since(start);
      row.null_text = reconstruction_error(n.reconstruction, x);
      row.null_text_image = n.reconstruction;
      row.null_text_run = std::move(n);
      row.has_null_text = true;
      done += steps;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<double> class_probabilities(Classifier& classifier, const std::vector<float>& images, int n) {
  const int K = classifier.config().num_classes;
  std::vector<float> logits(static_cast<size_t>(n) * K);
  classifier.use_own_params();
  classifier.forward(images.data(), n, logits.data());
  std::vector<double> p(logits.size());
  for (int i = 0; i < n; ++i) {
    const float* l = logits.data() + static_cast<size_t>(i) * K;
    double top = l[0], sum = 0;
    for (int k = 1; k < K; ++k) top = std::max<double>(top, l[k]);
    for (int k = 0; k < K; ++k) sum += p[static_cast<size_t>(i) * K + k] = std::exp(l[k] - top);
    for (int k = 0; k < K; ++k) p[static_cast<size_t>(i) * K + k] /= sum;
  }
  return p;
}

std::vector<SdeditPoint> sdedit_sweep(ImageNet& net, const NoiseSchedule& schedule, Classifier* classifier,
                                      const std::vector<float>& x, int to_label, double gamma,
                                      const std::vector<int>& t0s, int samples, int steps, uint64_t seed,
                                      const EditProgress& progress, const std::function<bool()>& cancelled) {
  const int D = net.dim();
  if (static_cast<int>(x.size()) != D) throw std::invalid_argument("SDEdit takes one image");
  RowCfgDenoiser guided(net, schedule, class_row(net, to_label), gamma);
  std::vector<float> batch(static_cast<size_t>(samples) * D);
  for (int i = 0; i < samples; ++i) std::copy(x.begin(), x.end(), batch.begin() + static_cast<size_t>(i) * D);
  std::vector<SdeditPoint> points;
  for (size_t q = 0; q < t0s.size(); ++q) {
    if (cancelled && cancelled()) break;
    SdeditPoint p;
    p.t0 = t0s[q];
    p.images = sdedit(guided, batch, p.t0, steps, seed + 7919 * q);
    double dist = 0;
    for (size_t i = 0; i < p.images.size(); ++i) dist += (p.images[i] - batch[i]) * (p.images[i] - batch[i]);
    p.distance = dist / static_cast<double>(p.images.size());
    if (classifier) {
      const std::vector<double> prob = class_probabilities(*classifier, p.images, samples);
      const int K = classifier->config().num_classes;
      for (int i = 0; i < samples; ++i) {
        const double* row = prob.data() + static_cast<size_t>(i) * K;
        p.confidence += row[to_label] / samples;
        int best = 0;
        for (int k = 1; k < K; ++k)
          if (row[k] > row[best]) best = k;
        p.accuracy += (best == to_label ? 1.0 : 0.0) / samples;
      }
    }
    points.push_back(std::move(p));
    if (progress) progress(static_cast<long>(q + 1), static_cast<long>(t0s.size()));
  }
  return points;
}

}  // namespace difflab
