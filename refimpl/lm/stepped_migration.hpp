#pragma once
// One LM driven step by step (deterministic mode): the same control-plane
// steps (MigrationSteps, with its undo stack), the same pre-copy rounds
// (Precopy over an in-process channel to a TargetRuntime) and the same
// prerequisite check as `lmc migrate`, but each step runs only when the
// caller asks for it, and says whether it could. The conformance properties
// (properties/) drive it with the model's actions, one at a time, and map
// what it holds into the model's state (refimpl/conformance/).
//
// A step that is not enabled returns false and changes nothing. Guards use
// only what the implementation knows: the Cluster Manager's view of the
// hardware (MCNPR, CRD paths), the CRD, the SUs' holdings, the dirty log.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "refimpl/lm/guest.hpp"
#include "refimpl/lm/installation.hpp"
#include "refimpl/lm/migration_steps.hpp"
#include "refimpl/lm/prerequisites.hpp"
#include "refimpl/transfer/precopy.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref {

/// Where a stepped LM stands; the order is the order of the steps.
enum class StepPhase : std::uint8_t {
  idle,
  accepted,
  setup,
  memcopy,
  io_stopped,
  final_copied,
  suspended,
  handed_over,
  committed,
  done,
};

/// Why an LM was rolled back.
enum class RollbackCause : std::uint8_t {
  none,
  network,
  target_lost,
  resources,
  nonconvergence,
  resume_failed,
  source_lost,
};

/// The control block of the LM of one VM (at most one at a time).
struct LmRecord {
  StepPhase phase = StepPhase::idle;
  std::string jv;  ///< the request's MONJV: "", $S, $R, $T, $TW, $AE, $AF
  int source = -1;
  int target = -1;
  int rounds = 0;              ///< pre-copy rounds run
  std::vector<bool> detached;  ///< per device: detached by the setup
  RollbackCause cause = RollbackCause::none;
  StepPhase abort_phase = StepPhase::idle;
  cluster::VmState state_at_request = cluster::VmState::running;
  std::vector<bool> attached_at_request;     ///< I4: what a rollback restores
  std::vector<cluster::Conflict> conflicts;  ///< of a rejected request ($AF)
};

class SteppedMigration {
 public:
  /// `guest` is the VM's memory on its SU; `max_copy_rounds` is the limit
  /// after which an SU /390 gives up (VMS2425) and an SU x86 stops anyway.
  SteppedMigration(Installation& installation, int vm, Guest& guest, int max_copy_rounds);
  ~SteppedMigration();
  SteppedMigration(const SteppedMigration&) = delete;
  SteppedMigration& operator=(const SteppedMigration&) = delete;

  // The steps, in the order of WP §4.4. Each returns false when not enabled.
  bool request();                      ///< /MIGRATE-VM: $S, or $AF with every conflict
  bool start();                        ///< setup: VMS2450, devices detached, $R
  bool reserve(bool fail_allocation);  ///< the target reserves and allocates
  bool copy_round();                   ///< one pre-copy round of what is dirty
  bool stop_io();                      ///< converged (or SU x86 at its limit)
  bool final_copy();                   ///< the copy with guest I/O stopped
  bool suspend();
  bool hand_over();        ///< the rest of the pages and the registers
  bool resume(bool fail);  ///< commit point: owner on the CRD, resume
  bool cleanup();
  bool abort();                 ///< the source loses the target (A2)
  bool abort_nonconvergence();  ///< VMS2425, SU /390

  /// An SU of this LM crashed (the driver tells): everything before the
  /// commit point is rolled back.
  void lose_unit(RollbackCause cause);

  /// A guest write to `page` while the guest runs on the source (the dirty
  /// log records it once logging has begun). False when it cannot run.
  bool guest_write(std::size_t page);

  const LmRecord& record() const { return lm_; }
  bool active() const { return lm_.phase != StepPhase::idle && lm_.phase != StepPhase::done; }
  /// Pages logged dirty and not yet sent.
  std::vector<bool> dirty_pages() const;
  /// The target's copy of the guest's memory; null when it holds none.
  const GuestMemory* target_memory() const;
  /// Devices assigned on the target (per device), empty outside an LM.
  std::vector<bool> target_devices() const;

 private:
  bool reachable() const;  ///< source runs and MCNPR reaches the target
  bool logging() const { return lm_.phase >= StepPhase::memcopy; }
  void roll_back(RollbackCause cause);
  void end(const char* status);
  void adopt_target_memory();
  cluster::Arch source_arch() const;

  Installation& in_;
  int v_;
  Guest& guest_;
  int max_copy_rounds_;
  LmRecord lm_;
  std::unique_ptr<MigrationSteps> steps_;
  std::unique_ptr<TargetRuntime> runtime_;
  std::unique_ptr<InProcessChannel> channel_;
  std::unique_ptr<Precopy> precopy_;
  std::vector<bool> assigned_;  ///< devices assigned on the target
};

}  // namespace lmc::ref
