#include "checker/engine/progress.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace lmc {
namespace {

std::uint64_t status_field_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
  }
  return 0;
}

}  // namespace

std::uint64_t current_rss_bytes() {
  return status_field_kib("VmRSS") * 1024;
}
std::uint64_t peak_rss_bytes() {
  return status_field_kib("VmHWM") * 1024;
}

ProgressMonitor::ProgressMonitor(const ProgressCounters& counters, const SearchOptions& options)
    : counters_(counters),
      interval_(options.progress_interval_seconds),
      time_limit_(options.time_limit_seconds),
      reporter_(options.on_progress ? options.on_progress : print_progress_line),
      start_(std::chrono::steady_clock::now()) {
  if (interval_ > 0 || time_limit_ > 0) thread_ = std::thread([this] { watch(); });
}

ProgressMonitor::~ProgressMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

double ProgressMonitor::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressMonitor::watch() {
  double next_print = interval_;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stopping_; })) {
    const double elapsed = elapsed_seconds();
    if (time_limit_ > 0 && elapsed >= time_limit_) time_is_up_.store(true);
    if (interval_ > 0 && elapsed >= next_print) {
      report(elapsed);
      next_print += interval_;
    }
  }
}

void ProgressMonitor::report(double elapsed) {
  ProgressReport reading;
  reading.seconds = elapsed;
  reading.states = counters_.states.load(std::memory_order_relaxed);
  reading.states_per_second = elapsed > 0 ? double(reading.states) / elapsed : 0.0;
  reading.queue = counters_.queue.load(std::memory_order_relaxed);
  reading.depth = counters_.depth.load(std::memory_order_relaxed);
  reading.rss_bytes = current_rss_bytes();
  reporter_(reading);
}

void print_progress_line(const ProgressReport& report) {
  fmt::print(stderr, "progress: {:.0f} s, {} states, {:.0f} states/s, queue {}, depth {}, {} MiB\n",
             report.seconds, report.states, report.states_per_second, report.queue, report.depth,
             report.rss_bytes >> 20);
  std::fflush(stderr);
}

}  // namespace lmc
