#pragma once
// The control-plane steps of one LM on the installation, each with its console
// messages, events and audit entries, and each registering its undo. The
// engine (live_migration.cpp) decides the order and what is an abort; this
// class does the work and keeps the undo stack (A3).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "refimpl/lm/installation.hpp"
#include "refimpl/lm/prerequisites.hpp"

namespace lmc::ref {

class MigrationSteps {
 public:
  MigrationSteps(Installation& installation, int vm, int source, int target);

  /// M5: the /MIGRATE-VM command with `result` (Start, OK, failure: ...).
  void audit_command(const std::string& result);
  /// A1: VMS2404 per conflict, then VMS2461. Nothing changes.
  void reject(const std::vector<cluster::Conflict>& conflicts);

  // Setup (phase 1)
  void announce_start();     ///< VMS2450; guest ETMDR01, MCS1002 locked; MONJV MIGR-OUT
  void detach_devices();     ///< tapes, local emulated disks, PAV aliases (SU /390)
  bool reserve_on_target();  ///< memory, index, definition slot, exclusive devices
  void announce_target();    ///< VMS2430, VMS3050 / VMS6020, VMS4005 per device

  // Copy and switchover (phases 2 and 3)
  void stop_io();
  void suspend_on_source();  ///< VMS2452 / HAL0331; event "paused"
  std::vector<std::byte> registers() const;
  /// The commit point: the definition's owner is the target, and the
  /// migration history counts this LM (the LM's only CRD writes).
  bool commit_owner_on_crd();
  void resumed_on_target();  ///< ETMDR03, VMS2432 / HAL0332, lines, MCS1002; event "created"
  void commit();             ///< drops the undo stack: the LM can no longer roll back

  // Cleanup (phase 4); returns warnings ($TW) for what could not be done.
  // `target_confirmed`: the target answered the end of the LM.
  std::vector<std::string> clean_up_source(bool target_confirmed);
  /// After the cleanup: devices this LM detached stay detached (tapes,
  /// locally emulated disks): the request ends $TW (spec/refimpl/lm.md).
  bool devices_left_detached() const;

  /// Registers an undo for the last change.
  void on_undo(std::function<void()> undo);
  /// A3: undoes every change in reverse; the guest continues on the source.
  void roll_back(const std::string& cause, bool nonconvergence);

  /// The ISL-E links go down; the Cluster Manager's next heartbeat reports
  /// the units it can no longer reach and the cluster status.
  void cut_isl_links();
  // Faults on the configuration disks (the next heartbeat reports them)
  void fail_every_configuration_disk();
  void fail_one_configuration_disk();

 private:
  VmRecord& vm() { return in_.vm(v_); }
  const cluster::Vm& spec() const { return in_.vm_spec(v_); }
  std::string vm_id() const;
  const std::string& source_name() const { return in_.su(source_).name(); }
  const std::string& target_name() const { return in_.su(target_).name(); }
  bool x86() const { return in_.su(source_).spec().arch == cluster::Arch::x86; }
  std::string command() const;
  void event(int su, const std::string& what);

  Installation& in_;
  int v_;
  int source_;
  int target_;
  int target_index_ = 0;
  std::vector<std::size_t> assigned_on_target_;  ///< device positions assigned on the target
  std::vector<std::size_t> detached_;            ///< device positions this LM detached
  std::vector<std::function<void()>> undo_;
};

}  // namespace lmc::ref
