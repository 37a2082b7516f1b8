#pragma once
// The LM prerequisites P1-P19 (WP §4.1, §4.8) as the model's own C++ check:
// the rules of prerequisite_rules.hpp evaluated on the facts of the model's
// state (request_facts.hpp). Every conflict is reported, not just the first
// (A1), each with its rule ID, the VM2000 message where the seed has one,
// and the values that violate it (conflicts.hpp).

#include <vector>

#include "model/cluster/config/conflicts.hpp"
#include "model/cluster/topology.hpp"

namespace lmc::cluster {

struct PrerequisiteOptions {
  bool check_p16 = true;  ///< off only for the mutant second_lm_same_source
};

/// All conflicts of an LM of `vm` from its owner SU to `target`, in the
/// current state, in report order. Empty when the LM is possible (VMS2460).
std::vector<Conflict> lm_conflicts(const Topology& topology, const State& state, int vm, int target,
                                   const PrerequisiteOptions& options = {});

}  // namespace lmc::cluster
