#pragma once
// The facts one LM request is judged on (prerequisite_rules.hpp), read off
// the model's state or, for configurations larger than the explicit-state
// model takes, off the configuration as it starts (every unit up, no LM
// running). Both go through one reader over an occupancy view, so a fact
// means the same in both; the wording of the conflicts comes from
// conflicts.hpp.

#include <initializer_list>
#include <vector>

#include "model/cluster/config/conflicts.hpp"
#include "model/cluster/prerequisite_rules.hpp"
#include "model/cluster/topology.hpp"

namespace lmc::cluster {

using ConcreteFacts = rules::RuleFacts<bool, int>;

/// What the wording of a conflict names beyond the facts themselves.
struct RequestLabels {
  int vm = 0;
  int source = 0;
  int target = 0;
  int vm_index = 0;  ///< the VM's index now (for its VM id), 0 if it holds none
  /// Per VM device: the VM (configuration index) that keeps it from being
  /// assigned on the target, kOutside, or -1.
  std::vector<int> device_holder;
  int index_holder = -1;  ///< the occupant holding the VM's fixed index, or -1
  int running_vm = -1;    ///< the VM whose LM runs from the source, or -1
  static constexpr int kOutside = -2;
};

struct RequestFacts {
  ConcreteFacts facts;
  RequestLabels labels;
};

/// The request of VM `vm` from its owner to `target` in model state `state`.
RequestFacts read_request_facts(const Topology& topology, const State& state, int vm, int target);

/// What /ACTIVATE-VM-DEFINITION of VM `vm` on its own SU needs, as the facts
/// of a request to that SU: the memory, an index and every device (none is
/// detached, as an LM detaches tapes).
RequestFacts read_activation_facts(const Topology& topology, const State& state, int vm);

/// The same request in the configuration's initial state, without the
/// model's state (any number of VMs): every unit up, no LM running.
RequestFacts read_config_facts(const Config& config, int vm, int target);

/// The VM indexes VM2000 gives the configuration's VMs at the start: a fixed
/// index where one is set; then, SU by SU, each initialised *ANY VM in
/// configuration order the lowest index no other initialised VM there holds.
/// DEFINED_ONLY VMs hold none (0).
std::vector<int> initial_vm_indexes(const Config& config);

/// Every instance of the rules listed holds.
bool rules_hold(const ConcreteFacts& facts, std::initializer_list<Rule> which);

/// The rules the setup phase's reservation checks again (P5, P6, P7, P8,
/// P11: rules::is_reservation_rule) hold.
bool reservation_possible(const ConcreteFacts& facts);

/// The VM index the VM gets on the target (the fixed one, or for *ANY the
/// lowest free one), or 0 when P7 fails.
int assigned_index(const ConcreteFacts& facts);

/// The conflict that instance `failed` reports for this request.
Conflict describe_conflict(const Config& config, const RequestFacts& request,
                           const rules::Instance& failed);

/// Every violated instance of P1-P19, in report order: the model's own check.
std::vector<Conflict> evaluate_rules(const Config& config, const RequestFacts& request);

}  // namespace lmc::cluster
