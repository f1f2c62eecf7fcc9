// texture_cache.cpp — the map from key to GL texture, with glTexImage2D on resize and glTexSubImage2D
// otherwise. Not thread-safe: called from the UI thread, with the GL context current.
#include "plot/texture_cache.h"

#include <epoxy/gl.h>
#include <imgui.h>

#include <unordered_map>

namespace difflab::plot {
namespace {

struct Entry {
  GLuint texture = 0;
  int w = 0, h = 0;
  bool smooth = false;
  int last_frame = 0;
};

std::unordered_map<uint32_t, Entry>& cache() {
  static std::unordered_map<uint32_t, Entry> entries;
  return entries;
}

}  // namespace

unsigned texture_for(uint32_t key, int w, int h, const uint32_t* rgba, bool smooth) {
  Entry& e = cache()[key];
  e.last_frame = ImGui::GetFrameCount();
  if (e.texture == 0) glGenTextures(1, &e.texture);
  glBindTexture(GL_TEXTURE_2D, e.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  if (e.w != w || e.h != h || e.smooth != smooth) {
    const GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    e.w = w;
    e.h = h;
    e.smooth = smooth;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  }
  return e.texture;
}

void release_unused_textures(int max_age_frames) {
  const int now = ImGui::GetFrameCount();
  for (auto it = cache().begin(); it != cache().end();) {
    if (now - it->second.last_frame > max_age_frames) {
      glDeleteTextures(1, &it->second.texture);
      it = cache().erase(it);
    } else {
      ++it;
    }
  }
}

void release_all_textures() {
  for (auto& [key, e] : cache()) glDeleteTextures(1, &e.texture);
  cache().clear();
}

}  // namespace difflab::plot
