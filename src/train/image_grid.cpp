// image_grid.cpp — PNG grids through stb_image_write (Debian's libstb-dev), into memory, then an atomic
// write. Not a decoder.
#include "train/image_grid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/file_io.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace difflab {

std::string encode_png_grid(const std::vector<float>& images, int n, int height, int width, int columns,
                            int padding) {
  if (n < 1 || height < 1 || width < 1 || columns < 1 ||
      images.size() < static_cast<size_t>(n) * height * width)
    throw std::invalid_argument("encode_png_grid: bad sizes");
  columns = std::min(columns, n);
  const int rows = (n + columns - 1) / columns;
  const int W = columns * width + (columns + 1) * padding, H = rows * height + (rows + 1) * padding;
  std::vector<unsigned char> pixels(static_cast<size_t>(W) * H, 128);
  for (int i = 0; i < n; ++i) {
    const int x0 = padding + (i % columns) * (width + padding),
              y0 = padding + (i / columns) * (height + padding);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const float v = images[(static_cast<size_t>(i) * height + y) * width + x];
        const float byte = std::isfinite(v) ? std::clamp((v + 1.0f) * 127.5f, 0.0f, 255.0f) : 0.0f;
        pixels[static_cast<size_t>(y0 + y) * W + x0 + x] = static_cast<unsigned char>(std::lround(byte));
      }
  }
  std::string out;
  stbi_write_png_to_func(
      [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<char*>(data), size);
      },
      &out, W, H, 1, pixels.data(), W);
  if (out.empty()) throw std::runtime_error("PNG encoding failed");
  return out;
}

void write_png_grid(const std::string& path, const std::vector<float>& images, int n, int height, int width,
                    int columns, int padding) {
  write_file_atomically(path, encode_png_grid(images, n, height, width, columns, padding));
}

}  // namespace difflab
