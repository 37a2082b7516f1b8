#pragma once
// The guest's writes while it migrates. Deterministic mode: the LM engine lets
// a number of seconds pass (advance) and the workload makes exactly
// rate x throttle x seconds page writes, carrying the fraction, all drawn from
// the seed. Real-time mode: a thread writes at the rate until stop().
//
// Every write changes one cache line of a page and then marks the page in the
// dirty log (in that order: a mark before the write could let the sender copy
// the old bytes and clear the bit, losing the write).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"

namespace lmc::ref {

enum class Pattern {
  uniform,     ///< every page equally likely
  hot_set,     ///< writes only to a fixed random share of the pages (hot_fraction)
  sequential,  ///< a sweep through memory, page after page (each write a new page
               ///< until the sweep wraps: the analytical pre-copy model's guest)
  zero_heavy,  ///< uniform over the non-zero pages; the zero pages stay zero
};

struct WorkloadSpec {
  Pattern pattern = Pattern::uniform;
  double dirty_pages_per_second = 0;  ///< page writes per second (before throttling)
  double hot_fraction = 0.1;          ///< hot_set: share of pages that take the writes
  double zero_fraction =
      0.0;  ///< share of pages left all-zero by fill_initial (zero_heavy: 0.9 if 0)
  std::uint64_t seed = 1;
};

class Workload {
 public:
  Workload(GuestMemory& memory, DirtyBitmap& dirty, WorkloadSpec spec);
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  /// Deterministic contents from the seed; the zero_fraction pages are written
  /// with zeros (so that all memory is resident, as a running guest's is).
  /// Does not mark the dirty log.
  void fill_initial();
  /// `count` page writes by the pattern; each changes the page and marks it.
  void write_pages(std::size_t count);
  /// Deterministic mode: rate x throttle x seconds writes; the fraction is
  /// kept for the next call.
  void advance(double seconds);
  /// Auto-converge: the guest runs at `factor` (0, 1] of its speed.
  void set_throttle(double factor);
  double throttle() const { return throttle_.load(std::memory_order_relaxed); }
  /// Real-time mode: a thread writes at the rate until stop(). No-op when running.
  void start_real_time();
  /// Stops the thread (the guest is suspended); no-op when not running.
  void stop();
  bool running() const { return thread_.joinable(); }
  std::uint64_t writes() const { return writes_.load(std::memory_order_relaxed); }
  /// True for the pages fill_initial leaves zero.
  bool is_zero_page(std::size_t page) const;
  const WorkloadSpec& spec() const { return spec_; }

 private:
  std::size_t next_page();
  std::size_t uniform_page();
  void write_page(std::size_t page);
  void fill_page(std::size_t page);
  void run_real_time();

  GuestMemory& memory_;
  DirtyBitmap& dirty_;
  WorkloadSpec spec_;
  std::uint64_t rng_;
  std::size_t cursor_ = 0;          ///< sequential: the next page
  std::vector<std::uint32_t> hot_;  ///< hot_set: the pages that take the writes
  double carry_ = 0;                ///< advance: the fraction of a write left over
  std::atomic<double> throttle_{1.0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace lmc::ref
