#include "model/cluster/prerequisites.hpp"

#include <algorithm>

#include "model/cluster/request_facts.hpp"

namespace lmc::cluster {

std::vector<Conflict> lm_conflicts(const Topology& topology, const State& state, int vm, int target,
                                   const PrerequisiteOptions& options) {
  auto conflicts =
      evaluate_rules(topology.config(), read_request_facts(topology, state, vm, target));
  if (!options.check_p16) {
    std::erase_if(conflicts, [](const Conflict& c) { return c.rule() == Rule::P16; });
  }
  return conflicts;
}

}  // namespace lmc::cluster
