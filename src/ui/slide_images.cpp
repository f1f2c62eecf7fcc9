// slide_images.cpp — the path → texture cache behind slide_image(): stbi_info to check the size first,
// stbi_load to decode, glTexImage2D once. Not thread-safe: called from the UI thread with the GL context.
#include "ui/slide_images.h"

#include <epoxy/gl.h>

#include <filesystem>
#include <map>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wconversion"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace difflab::ui {
namespace {

constexpr int kMaxSide = 8192;  // pixels per side (GL_MAX_TEXTURE_SIZE is ≥ 8192 today)
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;  // 64 MiB

std::map<std::string, SlideImage>& cache() {
  static std::map<std::string, SlideImage> images;
  return images;
}

SlideImage load(const std::string& path) {
  SlideImage image;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    image.error = "not found";
    return image;
  }
  if (std::filesystem::file_size(path, ec) > kMaxFileBytes) {
    image.error = "file too large";
    return image;
  }
  int w = 0, h = 0, channels = 0;
  if (!stbi_info(path.c_str(), &w, &h, &channels)) {
    image.error = "not a PNG or JPEG image";
    return image;
  }
  if (w <= 0 || h <= 0 || w > kMaxSide || h > kMaxSide) {
    image.error = "image too large (" + std::to_string(w) + "×" + std::to_string(h) + ")";
    return image;
  }
  unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!pixels) {
    image.error = std::string("cannot decode: ") + stbi_failure_reason();
    return image;
  }
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  stbi_image_free(pixels);
  image.texture = texture;
  image.width = w;
  image.height = h;
  return image;
}

}  // namespace

const SlideImage& slide_image(const std::string& path) {
  auto it = cache().find(path);
  if (it == cache().end()) it = cache().emplace(path, load(path)).first;
  return it->second;
}

void release_slide_images() {
  for (auto& [path, image] : cache())
    if (image.texture) glDeleteTextures(1, &image.texture);
  cache().clear();
}

}  // namespace difflab::ui
