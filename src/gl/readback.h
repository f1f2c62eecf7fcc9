// readback.h — reading the framebuffer back into memory (rows flipped to top-first) and saving PNGs
// atomically. Not a screenshot policy (the UI decides when) and not an image library: RGBA8 in, PNG out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace difflab::gl {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // width × height × 4, row 0 at the top
};

// Reads the given rectangle of the current read framebuffer (x, y from the bottom-left, GL convention)
// and returns it with row 0 at the top. Needs a current context.
Image read_framebuffer(int x, int y, int width, int height);

// Flips rows in place (bottom-first ↔ top-first).
void flip_rows(Image* image);

// Cuts a rectangle (row 0 at the top) out of an image, clamped to its bounds.
Image crop(const Image& image, int x, int y, int width, int height);

// Writes a PNG: first to "<path>.tmp-<pid>" in the same folder, then renames it over `path`, so a reader
// never sees half a file. Returns "" on success, else a message.
std::string save_png(const Image& image, const std::string& path);

// Writes text the same way (temp file + rename). Returns "" on success, else a message.
std::string write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace difflab::gl
