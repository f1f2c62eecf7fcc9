// file_io.h — whole-file reads with a size cap and atomic writes (temporary file in the target's folder,
// fsync, rename, fsync of the folder). Not a format: callers serialise; these only guarantee a reader never
// sees half a file and that no file can make a read eat the machine.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/limits.h"

namespace difflab {

// Throws std::runtime_error("cannot read FILE: reason"): a missing file, a directory ("it is a directory"),
// or a file longer than max_bytes (named with the limit).
std::string read_file(const std::string& path, std::size_t max_bytes = limits::kMaxReadFileBytes);

// Writes bytes to TARGET.tmp-PID in the target's folder, fsyncs it, renames it over TARGET and fsyncs the
// folder. TARGET is `path`, or where `path` points when it is a symbolic link (the link stays a link). A
// target that exists and is not a regular file (a directory, /dev/full, a FIFO) is refused with a message
// saying what it is. Temporaries TARGET.tmp-PID left by a killed process (PID no longer running) are
// removed first. Throws std::runtime_error on failure, leaving any existing file at TARGET untouched.
void write_file_atomically(const std::string& path, std::string_view bytes);

// What write_file_atomically(path, …) would refuse, checked now (before minutes of work): a target that is a
// directory or not a regular file, a folder that does not exist or is not writable. Throws
// std::runtime_error("cannot write PATH: …"). Creates nothing.
void check_writable_output(const std::string& path);

// The file a write to `path` lands on: symbolic links followed (relative targets resolved against the
// link's folder), at most 40 of them. A path that is not a link is returned as it is.
std::string resolve_write_target(const std::string& path);

}  // namespace difflab
