#pragma once
// The cluster model's actions: a kind and the unit it applies to. The kinds
// are the model's vocabulary (coverage, trace files, conformance); their
// order is the order of the candidates in every state.

#include <cstdint>

namespace lmc::cluster {

enum class Kind : std::uint8_t {
  // Faults: each costs one unit of the fault budget.
  mu_crash,
  su_crash,
  isl_down,
  disk_fail,
  reserve_fails,
  resume_fails,
  // Repairs and housekeeping: free.
  mu_restart,
  su_restart,
  isl_repair,
  disk_repair,
  disk_resync,
  cm_lease_expire,
  cm_takeover,
  cm_observe,
  liveness_timeout,
  liveness_renew,
  // Live Migration (WP §4.4).
  lm_request,
  lm_start,
  reserve_target,
  copy_round,
  guest_write,
  stop_io,
  final_copy,
  suspend,
  hand_over,
  resume,
  cleanup,
  abort,
  abort_nonconvergence,
  // VM definitions (WP §4.3, §5).
  migrate_definition,
  recover_definition,
  activate_vm,
  start_vm,
  count
};

struct Action {
  Kind kind;
  std::uint8_t unit = 0;  ///< MU, SU, link, mirror or VM, by kind
  std::uint8_t page = 0;  ///< guest_write only
};

}  // namespace lmc::cluster
