// thread_pool.cpp — the worker pool behind parallel_for (see thread_pool.h).
// Not a scheduler: tasks are handed out by an atomic counter.
#include "core/thread_pool.h"

#include <algorithm>

namespace difflab {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < std::max(1, threads); ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run_tasks() {
  for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) {
    (*task_)(i);
    done_.fetch_add(1, std::memory_order_release);
  }
}

void ThreadPool::worker_loop() {
  long seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
    }
    run_tasks();
  }
}

void ThreadPool::parallel_for(int count, const std::function<void(int)>& task) {
  if (count <= 0) return;
  if (workers_.empty() || count == 1) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    count_ = count;
    next_ = 0;
    done_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  run_tasks();
  while (done_.load(std::memory_order_acquire) < count) std::this_thread::yield();
}

void parallel_ranges(ThreadPool* pool, int n, int parts, const std::function<void(int, int)>& body) {
  parts = std::max(1, std::min(parts, n));
  if (!pool || parts == 1) {
    body(0, n);
    return;
  }
  pool->parallel_for(parts, [&](int p) {
    body(static_cast<int>(static_cast<long>(n) * p / parts),
         static_cast<int>(static_cast<long>(n) * (p + 1) / parts));
  });
}

}  // namespace difflab
