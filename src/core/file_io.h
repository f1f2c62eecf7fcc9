// file_io.h — whole-file reads and atomic writes (temporary file in the same folder, then rename).
// Not a format: callers serialise; these only guarantee a reader never sees half a file.
#pragma once

#include <string>
#include <string_view>

namespace difflab {

// Throws std::runtime_error("cannot read FILE: reason").
std::string read_file(const std::string& path);
// Writes bytes to path.tmp-PID, flushes, then renames over path. Throws std::runtime_error on failure,
// leaving any existing file at path untouched.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace difflab
