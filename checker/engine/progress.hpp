#pragma once
// A background thread that enforces the time limit and reports progress every
// few seconds (by default a line on stderr), so long runs show that they are
// alive and how fast they go.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "checker/engine/options.hpp"

namespace lmc {

/// What the search publishes for the progress line; updated with relaxed
/// atomics at chunk granularity, read only for display.
struct ProgressCounters {
  std::atomic<std::uint64_t> states{0};
  std::atomic<std::uint64_t> queue{0};
  std::atomic<std::uint32_t> depth{0};
};

/// Resident set size now and at its peak, from /proc/self/status (0 where
/// unavailable).
std::uint64_t current_rss_bytes();
std::uint64_t peak_rss_bytes();

class ProgressMonitor {
 public:
  ProgressMonitor(const ProgressCounters& counters, const SearchOptions& options);
  ~ProgressMonitor();
  ProgressMonitor(const ProgressMonitor&) = delete;
  ProgressMonitor& operator=(const ProgressMonitor&) = delete;

  /// True once the time limit has passed; the search polls it.
  bool time_is_up() const { return time_is_up_.load(std::memory_order_relaxed); }
  double elapsed_seconds() const;

 private:
  void watch();
  void report(double elapsed);

  const ProgressCounters& counters_;
  double interval_;
  double time_limit_;
  ProgressReporter reporter_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> time_is_up_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lmc
