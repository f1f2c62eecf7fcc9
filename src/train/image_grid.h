// image_grid.h — tiles grayscale images in [−1, 1] into one PNG (stb_image_write), written atomically.
// Not an image library: 8-bit grayscale only, for sample grids and data previews.
#pragma once

#include <string>
#include <vector>

namespace difflab {

// n images (n × height·width floats, [−1, 1] → 0 … 255, clamped) in rows of `columns` with `padding` pixels
// of mid-grey between them. Returns the PNG file's bytes.
std::string encode_png_grid(const std::vector<float>& images, int n, int height, int width, int columns,
                            int padding = 2);
// encode_png_grid, then core/file_io.h's write_file_atomically. Throws std::runtime_error.
void write_png_grid(const std::string& path, const std::vector<float>& images, int n, int height, int width,
                    int columns, int padding = 2);

}  // namespace difflab
