#pragma once
// The cluster model's actions: a kind and the unit it applies to. The kinds
// are the model's vocabulary (coverage, trace files, conformance); their
// order is the order of the candidates in every state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// A fault: costs one unit of the fault budget.
constexpr bool is_fault(Kind kind) {
  return kind <= Kind::resume_fails;
}
/// An action of an LM: its request, its steps, and the guest's writes during it.
constexpr bool is_lm_action(Kind kind) {
  return kind >= Kind::lm_request && kind <= Kind::abort_nonconvergence;
}
inline constexpr int kFaultKindCount = static_cast<int>(Kind::resume_fails) + 1;

/// The kinds' names, in Kind order (trace files and coverage use them).
const std::vector<std::string>& kind_names();
/// The kind called `name`, or nullopt.
std::optional<Kind> kind_named(std::string_view name);

struct Action {
  Kind kind;
  std::uint8_t unit = 0;  ///< MU, SU, link, mirror or VM, by kind
  std::uint8_t page = 0;  ///< guest_write only
};

}  // namespace lmc::cluster
