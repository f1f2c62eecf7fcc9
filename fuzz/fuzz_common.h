// fuzz_common.h — what every libFuzzer target shares: the input as a string, a scratch file for parsers that
// take a path, "rejected with a message" versus "a bug". Not a test framework: a broken invariant aborts and
// libFuzzer saves the input that did it.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace difflab::fuzz {

inline std::string input_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
inline void require(bool ok, const char* what) {
  if (!ok) broken(what);
}

// Runs f. The parsers' documented rejections (std::runtime_error and std::invalid_argument subclasses) are
// fine when they carry a message; anything else (std::bad_alloc, std::length_error, std::out_of_range from a
// stray substr, …) escapes, and libFuzzer reports it as a crash.
template <class F>
void rejected_ok(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    require(e.what()[0] != '\0', "a runtime_error without a message");
  } catch (const std::invalid_argument& e) {
    require(e.what()[0] != '\0', "an invalid_argument without a message");
  }
}

// A file with these bytes, for the readers that take a path; one per process, rewritten on every input.
inline std::string scratch_file(const std::string& bytes, const char* suffix) {
  static const std::string dir = [] {
    const char* shm = "/dev/shm";
    return std::filesystem::is_directory(shm) ? std::string(shm)
                                              : std::filesystem::temp_directory_path().string();
  }();
  const std::string path = dir + "/difflab-fuzz-" + std::to_string(::getpid()) + suffix;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) broken("cannot write the scratch file");
  return path;
}

}  // namespace difflab::fuzz
