#pragma once
// Mutation switches: seeded design bugs in the reference implementation, one
// per guarantee, that the conformance properties must catch (issue 6). They
// exist only in test builds (LMC_REFIMPL_MUTATIONS, the lmc_refimpl_mutable
// library); in `lmc` itself active_mutation() is a constant and every
// mutated branch compiles away.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmc::ref {

enum class Mutation {
  none,
  no_reattach_on_abort,     ///< rollback leaves the detached devices detached (I4)
  skip_final_copy,          ///< the copy with I/O stopped sends nothing (I5)
  resume_before_suspend,    ///< the target resumes while the source still runs (I1)
  keep_target_reservation,  ///< rollback leaves the VM's reservation on the target (I4, I6)
  no_running_lm_check,      ///< /CHECK-VM-MIGRATION forgets P16: two LMs from one source
  hand_out_held_device,     ///< an SU assigns a device another VM holds exclusively (I6)
  free_memory_ignores_map,  ///< an SU's free memory ignores extents mapped by other guests (I6)
};

std::string to_string(Mutation mutation);
std::optional<Mutation> parse_mutation(std::string_view name);
std::vector<Mutation> all_mutations();  ///< every switch but `none`

#ifdef LMC_REFIMPL_MUTATIONS
Mutation active_mutation();
void set_active_mutation(Mutation mutation);
#else
constexpr Mutation active_mutation() {
  return Mutation::none;
}
#endif

inline bool mutated(Mutation mutation) {
  return active_mutation() == mutation;
}

}  // namespace lmc::ref
