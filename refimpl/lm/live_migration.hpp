#pragma once
// The LM engine (WP §4.4, §4.7): /MIGRATE-VM of one VM from its SU to the
// other SU of its SU cluster in four phases — setup, memory copy, switchover,
// cleanup — with a full rollback on every abort before the commit point.
//
// Every step that changes something registers how to undo it; an abort runs
// those undos in reverse (A3). The commit point is the definition's new owner
// written to the CRD just before the resume on the target: before it the
// source can always take the guest back; after it the LM completes, with a
// warning if cleanup cannot finish ($TW).

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "refimpl/lm/faults.hpp"
#include "refimpl/lm/guest.hpp"
#include "refimpl/lm/installation.hpp"
#include "refimpl/lm/prerequisites.hpp"
#include "refimpl/transfer/precopy.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

struct MigrationOptions {
  TransferOptions transfer;
  PrecopyPolicy policy;  ///< throttle_instead_of_abort is set from the source's architecture
  double link_bits_per_second = 10e9;  ///< ISL-E: 1 or 10 Gbit/s; 0 = uncapped
  std::vector<Fault> faults;
  /// Called when the target must be stopped from outside (fault `kill`).
  std::function<void()> kill_target;
  /// The target discards what it holds on its own once it loses the source
  /// (in-process: release on the runtime; TCP: the process ends on EOF).
  std::function<void()> target_discard_on_link_loss;
  /// Called after every pre-copy round (progress lines).
  std::function<void(const RoundReport&)> on_round;
  /// Called at each step the cluster model has an action for, with the
  /// action's kind (a name of ClusterModel::action_kinds()) and its unit in
  /// the configuration: the VM for the LM steps, the ISL-E link, CRD mirror
  /// or SU for injected faults. `lmc migrate --record` writes these events.
  std::function<void(std::string_view kind, int unit)> on_event;
  /// Nonzero once the operator interrupted the LM: the signal's number, set
  /// by a signal handler (hence an atomic read without a lock). Before the
  /// commit point the LM aborts and rolls back at its next check: after
  /// every step and copy round, and within a real-clock wait for the link.
  /// Past the commit point it completes: nothing is rolled back there.
  const std::atomic<int>* interrupt = nullptr;
};

struct MigrationResult {
  std::string status;                        ///< "$T", "$TW", "$AE" or "$AF"
  std::vector<std::string> statuses;         ///< the request's MONJV, e.g. $S $R $T
  std::vector<cluster::Conflict> conflicts;  ///< for $AF
  LmPhase reached = LmPhase::request;
  std::string abort_cause;            ///< for $AE: why, e.g. "VMS2425 memory does not converge"
  std::vector<std::string> warnings;  ///< for $TW
  std::vector<RoundReport> rounds;    ///< pre-copy rounds, then the final copy
  double total_seconds = 0;
  double downtime_seconds = 0;  ///< suspend on the source to resume on the target
  /// Part of the downtime spent hashing both memories to compare them (a
  /// check a production hypervisor would not make on every LM).
  double verify_seconds = 0;
  std::uint64_t bytes_sent = 0;
  bool digest_matched = false;  ///< the target's memory digest equals the source's at suspend
  int interrupted_by = 0;       ///< the signal that interrupted the LM, or 0
  /// What the operator should know that changed nothing: a fault that did
  /// not fire (its phase was never reached, or it has nothing to act on
  /// here), an interrupt after the commit point.
  std::vector<std::string> notes;
};

class LiveMigration {
 public:
  /// `channel` reaches the target's data plane (in-process or TCP); the engine
  /// puts the link model in front of it.
  LiveMigration(Installation& installation, int vm, int target, Guest& guest,
                TargetChannel& channel, MigrationOptions options);
  ~LiveMigration();
  LiveMigration(const LiveMigration&) = delete;
  LiveMigration& operator=(const LiveMigration&) = delete;

  MigrationResult run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lmc::ref
