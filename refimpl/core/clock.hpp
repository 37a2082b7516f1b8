#pragma once
// Time for the reference implementation. Deterministic mode runs on a virtual
// clock that only moves when the code says how long something took (a frame on
// the link, a guest's burst of writes), so a run is a pure function of its
// seed and the tests can shrink failures. Real-time mode reads the steady
// clock and really waits, for benchmarks.

#include <chrono>
#include <thread>

namespace lmc::ref {

class Clock {
 public:
  static Clock virtual_time() { return Clock(true); }
  static Clock real_time() { return Clock(false); }

  bool is_virtual() const { return virtual_; }
  /// Seconds since the clock was made.
  double now() const {
    if (virtual_) return virtual_now_;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// Lets `seconds` pass: virtual time jumps, real time sleeps.
  void pass(double seconds) {
    if (seconds <= 0) return;
    if (virtual_) {
      virtual_now_ += seconds;
    } else {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    }
  }
  /// Virtual mode: waits until `until` (no-op when already later). Real mode:
  /// sleeps until then.
  void pass_until(double until) { pass(until - now()); }

 private:
  explicit Clock(bool is_virtual)
      : virtual_(is_virtual), start_(std::chrono::steady_clock::now()) {}
  bool virtual_;
  double virtual_now_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace lmc::ref
