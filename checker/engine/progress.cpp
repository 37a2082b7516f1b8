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

ProgressMonitor::ProgressMonitor(const ProgressCounters& counters, double interval_seconds,
                                 double time_limit_seconds)
    : counters_(counters),
      interval_(interval_seconds),
      time_limit_(time_limit_seconds),
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
      print_line(elapsed);
      next_print += interval_;
    }
  }
}

void ProgressMonitor::print_line(double elapsed) {
  const auto states = counters_.states.load(std::memory_order_relaxed);
  fmt::print(stderr, "progress: {:.0f} s, {} states, {:.0f} states/s, queue {}, depth {}, {} MiB\n",
             elapsed, states, elapsed > 0 ? states / elapsed : 0.0,
             counters_.queue.load(std::memory_order_relaxed),
             counters_.depth.load(std::memory_order_relaxed), current_rss_bytes() >> 20);
  std::fflush(stderr);
}

}  // namespace lmc
