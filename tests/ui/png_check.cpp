// png_check.cpp — checks screenshots: each PNG must exist, decode, and not be blank (enough distinct colours
// and enough pixels that differ from the background). Not an image comparison: it catches empty or broken frames.
//
// usage: png_check [--min-colors N] [--min-foreground F] FILE.png...
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

int main(int argc, char** argv) {
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
