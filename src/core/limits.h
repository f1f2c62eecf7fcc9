// limits.h — every size and depth limit on what difflab reads, in one place, so that no file (a lesson, a
// checkpoint, an IDX or CSV file, a settings file) can exhaust the stack or memory. Not runtime options:
// these are compile-time bounds; a file past one gets a clear message naming the limit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace difflab::limits {

// Lessons (Marp Markdown) and the LaTeX inside them.
inline constexpr std::size_t kMaxLessonFileBytes = 16u << 20;  // 16 MiB
inline constexpr int kMaxBlockNesting = 32;  // nested > quotes, lists, column <div>s; emphasis and links
inline constexpr int kMaxMathNesting = 64;   // nested { } \frac \sqrt … in one formula

// Data files.
inline constexpr std::size_t kMaxCsvFileBytes = 256u << 20;  // 256 MiB
inline constexpr std::uint64_t kMaxIdxBytes = 1ull << 31;    // 2 GiB decompressed, and never more than
                                                             // what the IDX header promises

// Checkpoints.
inline constexpr std::size_t kMaxCheckpointTensors = 4096;

// One LaTeX formula ($…$ or $$…$$) in a lesson; a longer one is an error and is not drawn.
inline constexpr std::size_t kMaxFormulaBytes = 64u << 10;  // 64 KiB

}  // namespace difflab::limits
