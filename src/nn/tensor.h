// tensor.h — a handle to a 2-D block of floats that lives in some backend's memory.
// Not an owner and not a math type: backends allocate storage, model code passes views around.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace difflab {

// 64-byte aligned memory: the same alignment on every allocation keeps vectorised sums in the same
// order, so training is bit-for-bit reproducible for a seed.
template <typename T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr size_t kAlignment = 64;
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(size_t n) {
    const size_t bytes = (n * sizeof(T) + kAlignment - 1) / kAlignment * kAlignment;
    void* p = std::aligned_alloc(kAlignment, bytes == 0 ? kAlignment : bytes);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  template <typename U>
  bool operator==(const AlignedAllocator<U>&) const {
    return true;
  }
};

// Memory owned by a backend. The CPU and reference backends use `host`; a GPU backend derives its own
// storage that keeps a buffer id, leaves `host` empty and releases the buffer in its destructor.
struct Storage {
  virtual ~Storage() = default;
  std::vector<float, AlignedAllocator<float>> host;
  unsigned device_buffer = 0;
  size_t size = 0;  // floats
};

// A row-major rows × cols view at `offset` floats into a storage.
struct Tensor {
  Storage* storage = nullptr;
  size_t offset = 0;
  int rows = 0, cols = 0;

  size_t size() const { return static_cast<size_t>(rows) * cols; }
  bool empty() const { return storage == nullptr || size() == 0; }
  // Rows [first, first + count) of this tensor.
  Tensor row_block(int first, int count) const {
    assert(first >= 0 && first + count <= rows && "row block out of range");
    return Tensor{storage, offset + static_cast<size_t>(first) * cols, count, cols};
  }
  // The same floats seen with another shape.
  Tensor reshaped(int new_rows, int new_cols) const {
    assert(static_cast<size_t>(new_rows) * new_cols == size() && "reshape must keep the size");
    return Tensor{storage, offset, new_rows, new_cols};
  }
  // Host pointer (host-memory backends only: never on a device tensor; use Backend::download).
  float* host() const {
    assert(storage && !storage->host.empty() && "tensor has no host memory");
    return storage->host.data() + offset;
  }
};

}  // namespace difflab
