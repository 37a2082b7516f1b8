#pragma once
// `lmc plan --evacuate SU`: an order of migrations that empties an SU, every
// step's prerequisites holding at that step (memory, definition slots and VM
// indexes taken by earlier steps count), found by Z3 — or, when there is no
// such order, a minimal set of blocking conflicts and what would have to
// change.

#include <string>
#include <vector>

#include "model/cluster/config.hpp"

namespace lmc::smt {

struct PlanStep {
  std::string vm;
  std::string command;  ///< "/MIGRATE-VM" (live) or "/MIGRATE-VM-DEFINITION" (DEFINED_ONLY)
  int vm_index = 0;     ///< the index the VM gets on the target
};

struct Blocker {
  std::string vm;
  std::string rule;    ///< P5, P7, P8, P10, P11, P1
  std::string detail;  ///< what would have to change
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
  double milliseconds = 0;
};

/// Plans the evacuation of SU `su` to the other SU of its cluster. Returns
/// false and sets `error` when the request itself makes no sense (the SU is
/// in no cluster, holds no VM).
bool plan_evacuation(const cluster::Config& config, int su, EvacuationPlan& plan,
                     std::string& error);

}  // namespace lmc::smt
