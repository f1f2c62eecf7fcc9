// readback.cpp — glReadPixels into an Image, row flipping, cropping, and atomic PNG/text writes
// (stb_image_write). Not threaded: call from the thread that owns the GL context.
#include "gl/readback.h"

#include "core/file_io.h"

#include <epoxy/gl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace difflab::gl {
namespace {

void append_bytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
}

}  // namespace

void flip_rows(Image* image) {
  const size_t row = size_t(image->width) * 4;
  for (int y = 0; y < image->height / 2; ++y)
    std::swap_ranges(image->rgba.begin() + y * row, image->rgba.begin() + (y + 1) * row,
                     image->rgba.begin() + (image->height - 1 - y) * row);
}

Image read_framebuffer(int x, int y, int width, int height) {
  Image image;
  if (width <= 0 || height <= 0) return image;
  image.width = width;
  image.height = height;
  image.rgba.resize(size_t(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
  flip_rows(&image);
  for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;  // the window is opaque
  return image;
}

Image crop(const Image& image, int x, int y, int width, int height) {
  Image out;
  const int x0 = std::clamp(x, 0, image.width), y0 = std::clamp(y, 0, image.height);
  const int x1 = std::clamp(x + width, 0, image.width), y1 = std::clamp(y + height, 0, image.height);
  out.width = x1 - x0;
  out.height = y1 - y0;
  out.rgba.resize(size_t(out.width) * out.height * 4);
  for (int row = 0; row < out.height; ++row)
    std::memcpy(&out.rgba[size_t(row) * out.width * 4],
                &image.rgba[(size_t(y0 + row) * image.width + x0) * 4], size_t(out.width) * 4);
  return out;
}

std::string save_png(const Image& image, const std::string& path) {
  if (image.width <= 0 || image.height <= 0) return "cannot save an empty image to " + path;
  std::string png;
  if (!stbi_write_png_to_func(append_bytes, &png, image.width, image.height, 4, image.rgba.data(),
                              image.width * 4))
    return "cannot encode the PNG for " + path;
  return write_file_atomically(path, png);
}

// The one atomic write of core/file_io (symlinks written through, devices and folders refused, the folder
// synced), with its error as a message instead of an exception: the GUI shows it and carries on.
std::string write_file_atomically(const std::string& path, const std::string& contents) {
  try {
    difflab::write_file_atomically(path, contents);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace difflab::gl
