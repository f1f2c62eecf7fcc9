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

// Any whole-file read (core/file_io.h read_file) unless its caller passes a tighter limit: a device or a pipe
// that never ends is cut off here instead of filling memory.
inline constexpr std::size_t kMaxReadFileBytes = std::size_t{1} << 30;  // 1 GiB
// Checkpoint files (the largest U-Net with both weight copies is ≈ 20 MB).
inline constexpr std::size_t kMaxCheckpointFileBytes = 256u << 20;  // 256 MiB
// A compressed (.gz) or raw IDX file as it lies on disk; decompressed data is bounded by kMaxIdxBytes and by
// the header's own count.
inline constexpr std::size_t kMaxIdxFileBytes = std::size_t{1} << 31;  // 2 GiB
// GMM JSON files (a few components; settings-sized).
inline constexpr std::size_t kMaxJsonFileBytes = 16u << 20;  // 16 MiB
// `sample --trajectory`: every state of every point is kept in memory, so n × steps × 2 is bounded.
inline constexpr std::uint64_t kMaxTrajectoryValues = std::uint64_t{1} << 27;  // 134 M floats = 512 MiB

// Samplers on Karras σ-steps (their steps are not bounded by T): a converged reference takes a few thousand.
inline constexpr int kMaxSigmaSteps = 100000;
// Settings (settings.ini) and the command line.
inline constexpr std::size_t kMaxSettingsFileBytes = 64u << 10;  // 64 KiB: the app writes ~200 bytes
// One LaTeX formula ($…$ or $$…$$) in a lesson; a longer one is an error and is not drawn.
inline constexpr std::size_t kMaxFormulaBytes = 64u << 10;  // 64 KiB

// Labelled 2-D data (GMM JSON "labels", CSV label column, --class): classes 0 … kMaxClasses − 1.
inline constexpr int kMaxClasses = 1000;
// The tilted-density reference sampler (`sample --mcmc-tilted`): chains × (levels + steps) is bounded.
inline constexpr std::uint64_t kMaxMcmcWork = std::uint64_t{1} << 32;

}  // namespace difflab::limits
