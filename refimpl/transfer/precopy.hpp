#pragma once
// Pre-copy: rounds of the transfer loop while the guest runs, until the rest
// can go in one short stop-and-copy.
//
// Each round sends what was dirty when it began: its start moves the guest's
// dirty log into the round's own bitmap (QEMU's bitmap sync), so writes
// during round i are sent in round i + 1. That is the analytical model's
// round (round i sends M x lambda^i) and keeps a round bounded by what it
// started with.
//
// After each round, the verdict (QEMU's and Xen's rules):
//   stop_and_copy  when the dirty pages at the measured bandwidth fit in the
//                  downtime target, or fewer than min_dirty_pages are left;
//   not_converging (SU /390, VMS2425) after max_rounds rounds or once
//                  max_sent_factor x memory has been sent;
//   SU x86 (throttle_instead_of_abort) never gives up: when the guest
//   dirties at least as much as a round sends, or a limit is reached, it
//   throttles the guest by throttle_step (auto-converge), down to
//   min_throttle; a limit reached at min_throttle stops and copies anyway,
//   with a longer pause.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "refimpl/core/clock.hpp"
#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"
#include "refimpl/transfer/page_sender.hpp"

namespace lmc::ref {

struct PrecopyPolicy {
  double downtime_target_seconds = 0.3;    ///< QEMU's default
  int max_rounds = 30;                     ///< Xen
  std::size_t min_dirty_pages = 50;        ///< Xen
  double max_sent_factor = 3.0;            ///< Xen: give up after 3 x memory
  bool throttle_instead_of_abort = false;  ///< SU x86
  double throttle_step = 0.5;
  double min_throttle = 0.01;  ///< QEMU throttles the vCPUs by 99% at most
};

struct RoundReport {
  int round = 0;  ///< 0 is the first (bulk) round
  std::size_t pages_sent = 0;
  std::size_t dirty_left = 0;             ///< pages dirty when the round ended
  double seconds = 0;                     ///< on the Clock
  double bandwidth_bytes_per_second = 0;  ///< wire bytes / seconds (infinite when no time passed)
  std::uint64_t wire_bytes = 0;
  double throttle = 1;  ///< the guest's speed during the round
  // Added beyond the first API:
  bool final_copy = false;       ///< the stop-and-copy with the guest suspended
  double expected_downtime = 0;  ///< dirty_left x 4 KiB / bandwidth
  PassStats pass;                ///< the loop's counters (zero, delta, compressed pages, frames)
};

enum class PrecopyVerdict { keep_going, stop_and_copy, not_converging };

class Precopy {
 public:
  /// `guest` may be null (no writes). Virtual clock: the guest's writes are
  /// made between batches, for the time the link took. Real clock: the
  /// guest's thread writes; round() starts it if it is not running.
  Precopy(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel, Clock& clock,
          Workload* guest, PrecopyPolicy policy, TransferOptions options);

  /// One round with the guest running. Throws TransportError from the channel.
  RoundReport round();
  /// After round(): what to do next (SU x86 has already throttled the guest).
  PrecopyVerdict verdict() const { return verdict_; }
  /// Guest suspended (real clock: its thread is stopped here): sends every
  /// page still dirty. The report is appended to rounds() too.
  RoundReport final_copy();
  const std::vector<RoundReport>& rounds() const { return rounds_; }
  /// Wire bytes of every round so far, the final copy included.
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  /// Called after every batch, after the guest's writes (e.g. to inject a
  /// fault mid-round). On a real clock it makes the streams share one thread.
  void set_batch_hook(std::function<void(const PassStats&)> hook);

 private:
  RoundReport run_pass(bool final);
  void install_hook();
  void catch_up_guest();
  PrecopyVerdict decide(const RoundReport& r);

  const GuestMemory& source_;
  DirtyBitmap& log_;
  DirtyBitmap round_set_;
  Clock& clock_;
  Workload* guest_;
  PrecopyPolicy policy_;
  PageSender sender_;
  std::function<void(const PassStats&)> user_hook_;
  std::vector<RoundReport> rounds_;
  PrecopyVerdict verdict_ = PrecopyVerdict::keep_going;
  std::uint64_t bytes_sent_ = 0;
  double guest_time_ = 0;  ///< virtual clock: the guest has written up to here
  bool suspended_ = false;
};

}  // namespace lmc::ref
