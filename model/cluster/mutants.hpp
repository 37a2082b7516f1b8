#pragma once
// Seeded design bugs. Each switches one deliberate error into the model's
// actions (never into its properties); the checker must catch each with the
// property named here. A checker that never found a bug has not shown that
// it can.

#include <optional>
#include <string>
#include <vector>

namespace lmc::cluster {

enum class Mutant {
  none,
  resume_before_suspend,       ///< I1: the target resumes while the source still runs
  source_resume_on_timeout,    ///< I1: an in-doubt source resumes without asking the CRD
  move_definition_late,        ///< I2: the definition moves at cleanup, not at resume
  second_lm_same_source,       ///< I3: P16 is not checked
  no_reattach_on_abort,        ///< I4: detached devices stay detached after an abort
  skip_final_copy,             ///< I5: the dirty bitmap is cleared without sending the pages
  double_free_target_memory,   ///< I6: an abort returns the target's memory twice
  state_from_definition,       ///< I7: the target starts the guest as INIT_ONLY
  two_cluster_managers,        ///< I8: takeover ignores the lease on the CRD
  crd_single_mirror_write,     ///< I9: a write reaches one mirror, none is marked stale
  read_stale_mirror,           ///< I9: reads ignore the stale marks
  monjv_stuck_running,         ///< I10: an abort leaves the request's MONJV at $R
  no_recheck_at_reservation,   ///< I6: the setup's reservation trusts the request's check
  p11_ignores_configured_vms,  ///< I6: P11 sees only devices held outside the configuration
  activation_ignores_devices,  ///< I6: /ACTIVATE-VM-DEFINITION assigns devices others hold
};

struct MutantInfo {
  Mutant mutant;
  std::string name;
  std::string property;  ///< the property that must catch it
  std::string preset;    ///< the preset it is meant for
  std::string summary;
};

const std::vector<MutantInfo>& mutant_catalogue();
std::optional<Mutant> parse_mutant(const std::string& name);

}  // namespace lmc::cluster
