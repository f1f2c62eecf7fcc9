// thread_pool.h — one pool of worker threads for the whole program; parallel_for over index ranges.
// Not a task graph: a call blocks until every index is done, and the calling thread works too.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace difflab {

class ThreadPool {
 public:
  explicit ThreadPool(int threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Runs task(i) for every i in [0, count) on the workers and the caller; returns when all are done.
  // Not re-entrant: a task must not call parallel_for on the same pool.
  void parallel_for(int count, const std::function<void(int)>& task);

 private:
  void worker_loop();
  void run_tasks();
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<const std::function<void(int)>*> task_{nullptr};
  std::atomic<int> count_{0};
  std::atomic<int> next_{0};
  std::atomic<int> done_{0};
  long generation_ = 0;
  bool quit_ = false;
};

// Splits [0, n) into at most `parts` contiguous ranges and calls body(begin, end) on each in parallel.
void parallel_ranges(ThreadPool* pool, int n, int parts, const std::function<void(int, int)>& body);

}  // namespace difflab
