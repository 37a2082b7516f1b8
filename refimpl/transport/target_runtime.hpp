#pragma once
// The target side of the data plane: the memory a migrating guest gets on the
// target SU, filled from page frames, and the answers to control requests.
// It runs in the source's process (in-process channel) or in a target process
// behind TCP; either way the code is this class.

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {

class GuestMemory;

/// Faults the target injects on itself (WP §4.7 A2, §4.4 phase 3).
struct TargetFaults {
  bool fail_allocation = false;
  bool fail_resume = false;
};

class TargetRuntime {
 public:
  explicit TargetRuntime(TargetFaults faults = {});
  ~TargetRuntime();
  TargetRuntime(const TargetRuntime&) = delete;
  TargetRuntime& operator=(const TargetRuntime&) = delete;

  /// Applies one page frame (pages, zero_pages, compressed_pages,
  /// delta_page). Frames for distinct pages may be applied from several
  /// threads at once. Throws TargetRejected on a malformed frame or a
  /// checksum mismatch.
  void apply(const FrameHeader& header, std::span<const std::byte> payload);
  /// Handles one control request (allocate, cpu_state, resume, release,
  /// digest, dump).
  Reply handle(const ControlRequest& request);

  /// The guest's memory on the target; null before allocate and after release.
  const GuestMemory* memory() const;
  /// The same memory, writable: for benchmarks that copy into it directly
  /// (the memcpy baseline of `lmc bench transfer`). Such writes bypass the
  /// record of written pages: a later zero marker may leave those pages as
  /// they are, so write only data the source also has.
  GuestMemory* memory();
  bool resumed() const;
  /// Replaces the faults to inject from the next request on (a test that
  /// decides a fault only when the step comes, as the model does).
  void inject(TargetFaults faults);
  /// Register state received with cpu_state.
  std::span<const std::byte> cpu_state() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lmc::ref
