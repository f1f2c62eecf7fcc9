// png_check.cpp — checks screenshots: each PNG must exist, decode, and not be blank (enough distinct colours
// and enough pixels that differ from the background); or, with --diff, how much two screenshots differ.
// Not a visual regression test: it catches empty frames and windows that did not open or close.
//
// usage: png_check [--min-colors N] [--min-foreground F] FILE.png...
//        png_check --diff A.png B.png [--min-diff F] [--max-diff F]   (F: fraction of pixels that differ)
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

// The fraction of pixels whose colour differs by more than 24 in some channel; −1 when unreadable or of
// different sizes.
double difference(const std::string& a, const std::string& b) {
  int wa = 0, ha = 0, wb = 0, hb = 0, c = 0;
  unsigned char* pa = stbi_load(a.c_str(), &wa, &ha, &c, 4);
  unsigned char* pb = stbi_load(b.c_str(), &wb, &hb, &c, 4);
  double result = -1;
  if (pa && pb && wa == wb && ha == hb) {
    const size_t n = size_t(wa) * ha;
    size_t differ = 0;
    for (size_t i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k)
        if (std::abs(int(pa[4 * i + k]) - int(pb[4 * i + k])) > 24) {
          ++differ;
          break;
        }
    result = n ? double(differ) / double(n) : 0.0;
  }
  if (pa) stbi_image_free(pa);
  if (pb) stbi_image_free(pb);
  return result;
}

int diff_main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: png_check --diff A.png B.png [--min-diff F] [--max-diff F]\n");
    return 2;
  }
  double min_diff = 0, max_diff = 1;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--min-diff")) min_diff = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--max-diff")) max_diff = std::atof(argv[i + 1]);
  }
  const double d = difference(argv[2], argv[3]);
  const bool ok = d >= 0 && d >= min_diff && d <= max_diff;
  std::printf("%s %s vs %s: %.2f%% of pixels differ (wanted %.2f%% … %.2f%%)\n", ok ? "ok  " : "FAIL",
              argv[2], argv[3], 100 * d, 100 * min_diff, 100 * max_diff);
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && !std::strcmp(argv[1], "--diff")) return diff_main(argc, argv);
  int min_colors = 16;           // a blank or single-colour frame has 1–2
  double min_foreground = 0.02;  // fraction of pixels that are not the most common colour
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--min-colors") && i + 1 < argc) {
      min_colors = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--min-foreground") && i + 1 < argc) {
      min_foreground = std::atof(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: png_check [--min-colors N] [--min-foreground F] FILE.png...\n");
    return 2;
  }
  int failures = 0;
  for (const std::string& file : files) {
    int w = 0, h = 0, channels = 0;
    unsigned char* pixels = stbi_load(file.c_str(), &w, &h, &channels, 4);
    if (!pixels) {
      std::printf("FAIL %s: cannot read (%s)\n", file.c_str(), stbi_failure_reason());
      ++failures;
      continue;
    }
    std::unordered_map<uint32_t, size_t> histogram;
    const size_t n = size_t(w) * h;
    for (size_t i = 0; i < n; ++i) {
      uint32_t c;
      std::memcpy(&c, pixels + 4 * i, 4);
      ++histogram[c];
    }
    stbi_image_free(pixels);
    size_t background = 0;
    for (const auto& [color, count] : histogram) background = std::max(background, count);
    const double foreground = n ? 1.0 - double(background) / double(n) : 0.0;
    const bool ok = int(histogram.size()) >= min_colors && foreground >= min_foreground;
    std::printf("%s %s: %dx%d, %zu colours, %.1f%% foreground\n", ok ? "ok  " : "FAIL", file.c_str(), w, h,
                histogram.size(), 100.0 * foreground);
    failures += ok ? 0 : 1;
  }
  return failures ? 1 : 0;
}
