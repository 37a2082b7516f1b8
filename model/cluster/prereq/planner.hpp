#pragma once
// `lmc plan --evacuate SU`: an order of migrations that empties an SU, every
// step's prerequisites (all of P1-P19, the same rule definitions as every
// other engine: model/cluster/prerequisite_rules.hpp) holding at that step,
// with memory, definition slots, names, VM indexes and devices taken by
// earlier steps counted — found by Z3. When there is no such order: a
// minimal set of blocking conflicts, and for each the configuration change
// that would unblock the evacuation, printed only after planning again with
// that change applied has found a plan.

#include <optional>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "model/cluster/config/conflicts.hpp"

namespace lmc::smt {

struct PlanStep {
  std::string vm;
  int vm_number = 0;    ///< the VM's position in the configuration
  std::string command;  ///< "/MIGRATE-VM" (live) or "/MIGRATE-VM-DEFINITION" (DEFINED_ONLY)
  int vm_index = 0;     ///< the index the VM gets on the target (0: DEFINED_ONLY, none)
};

/// A configuration change that may unblock an evacuation.
struct Change {
  std::string text;               ///< what to change, in words
  bool unblocks = false;          ///< planning again with it applied found a plan
  cluster::Config configuration;  ///< the configuration with the change applied
};

struct Blocker {
  std::string vm;
  std::string rule;             ///< "P5"
  std::string detail;           ///< the conflict in words (at the step where it blocks)
  std::vector<Change> changes;  ///< empty: no change of the configuration lifts it
};

/// A fixed order checked step by step (the naive orders a plan is compared
/// with): empty `blocked` when it works.
struct OrderCheck {
  std::string name;
  std::vector<std::string> order;
  std::vector<Blocker> blocked;
};

struct EvacuationPlan {
  std::string source;
  std::string target;
  bool found = false;
  std::vector<PlanStep> steps;
  std::vector<Blocker> blocking;  ///< a minimal unsatisfiable set, when !found
  std::vector<OrderCheck> naive_orders;
  std::size_t step_checks = 0;  ///< rule instances checked (guarded constraints)
  double milliseconds = 0;
  double search_milliseconds = 0;  ///< the plan search alone
};

/// Plans the evacuation of SU `su` to the other SU of its cluster. Returns
/// false and sets `error` when the request itself makes no sense (the SU is
/// in no cluster, holds no VM).
bool plan_evacuation(const cluster::Config& config, int su, EvacuationPlan& plan,
                     std::string& error);

/// The planner's check of one step on its own: VM `vm` as the only VM to
/// move to `target`, in the configuration's initial state, every rule
/// instance checked alone (the planner's encoding, used by the differential
/// property against the other engines).
std::vector<cluster::Conflict> check_step(const cluster::Config& config, int vm, int target);

/// The configuration after a step: the VM's definition on `target`, with the
/// index it got there (a *ANY VM keeps that index from then on) and without
/// the devices an LM leaves detached (tapes, locally emulated disks).
cluster::Config apply_step(const cluster::Config& config, int vm, int target, int index);

}  // namespace lmc::smt
