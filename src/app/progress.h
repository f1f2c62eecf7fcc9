// progress.h — a one-line progress bar for long CLI work (written to stderr, redrawn in place).
// Not logging: when stderr is not a terminal it prints a line every 10 % instead of redrawing.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace difflab {

class ProgressBar {
 public:
  ProgressBar(std::string label, long total) : label_(std::move(label)), total_(total > 0 ? total : 1) {
    interactive_ = ::isatty(::fileno(stderr));
    start_ = std::chrono::steady_clock::now();
  }
  // `extra` is shown after the bar, e.g. "loss 0.412".
  void update(long done, const std::string& extra = "") {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const int decile = static_cast<int>(10 * done / total_);
    const bool finished = done >= total_;
    if (interactive_ && !finished && now - last_draw_ < std::chrono::milliseconds(100)) return;
    if (!interactive_ && !finished && decile == last_decile_) return;
    last_draw_ = now;
    last_decile_ = decile;
    const double rate = elapsed > 0 ? done / elapsed : 0.0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
    constexpr int width = 28;
    const int filled = static_cast<int>(width * done / total_);
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "%s%s [%s] %ld/%ld  %.0f/s  ETA %.1fs  %s%s", interactive_ ? "\r" : "",
                 label_.c_str(), bar.c_str(), done, total_, rate, eta, extra.c_str(),
                 interactive_ ? "\033[K" : "\n");
    if (interactive_ && finished) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_;
  long total_;
  bool interactive_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace difflab
