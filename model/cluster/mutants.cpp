#include "model/cluster/mutants.hpp"

namespace lmc::cluster {

const std::vector<MutantInfo>& mutant_catalogue() {
  static const std::vector<MutantInfo> catalogue = {
      {Mutant::resume_before_suspend, "resume_before_suspend", "I1_single_execution", "default",
       "the target resumes the guest before the source has suspended it"},
      {Mutant::source_resume_on_timeout, "source_resume_on_timeout", "I4_rollback", "default",
       "a source that lost the target after the handover resumes without asking the CRD (the "
       "shortest catch is I4; with the target alive it runs the guest twice, I1)"},
      {Mutant::move_definition_late, "move_definition_late", "I2_single_owner", "default",
       "the definition moves on the CRD at cleanup instead of at resume"},
      {Mutant::second_lm_same_source, "second_lm_same_source", "I3_one_lm_per_source", "two-vms",
       "a second LM from the same source SU is accepted (P16 not checked)"},
      {Mutant::no_reattach_on_abort, "no_reattach_on_abort", "I4_rollback", "default",
       "an abort does not reattach the devices the setup detached"},
      {Mutant::skip_final_copy, "skip_final_copy", "I5_memory_integrity", "default",
       "the final copy clears the dirty bitmap without sending the pages"},
      {Mutant::double_free_target_memory, "double_free_target_memory", "I6_resource_safety",
       "default", "an abort returns the target's memory twice"},
      {Mutant::state_from_definition, "state_from_definition", "I7_guest_state_preserved",
       "default", "the target starts the guest as INIT_ONLY, as a fresh activation would"},
      {Mutant::two_cluster_managers, "two_cluster_managers", "I8_single_cluster_manager", "default",
       "an MU takes the Cluster Manager role when it cannot see the CM, lease or not"},
      {Mutant::crd_single_mirror_write, "crd_single_mirror_write", "I9_crd_consistent", "default",
       "a CRD write reaches only the first mirror and marks none stale"},
      {Mutant::read_stale_mirror, "read_stale_mirror", "I9_crd_consistent", "default",
       "CRD reads ignore the stale marks"},
      {Mutant::monjv_stuck_running, "monjv_stuck_running", "I10_monjv_well_formed", "default",
       "an abort leaves the request's MONJV at $R"},
      {Mutant::no_recheck_at_reservation, "no_recheck_at_reservation", "I6_resource_safety",
       "toctou",
       "the setup's reservation on the target does not check again what the request checked "
       "(time of check vs time of use: an activation on the target took memory or a device in "
       "between)"},
      {Mutant::p11_ignores_configured_vms, "p11_ignores_configured_vms", "I6_resource_safety",
       "toctou",
       "P11 (VMS2437) counts only devices held by VMs outside the configuration, not those "
       "the configuration's own VMs hold on the target"},
      {Mutant::activation_ignores_devices, "activation_ignores_devices", "I6_resource_safety",
       "toctou",
       "/ACTIVATE-VM-DEFINITION assigns the VM's devices even when another VM holds them"},
  };
  return catalogue;
}

std::optional<Mutant> parse_mutant(const std::string& name) {
  if (name.empty() || name == "none") return Mutant::none;
  for (const auto& info : mutant_catalogue()) {
    if (info.name == name) return info.mutant;
  }
  return std::nullopt;
}

}  // namespace lmc::cluster
