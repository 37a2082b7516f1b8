#pragma once
// The LM prerequisites P1-P19 discharged by Z3: each rule instance of
// model/cluster/prerequisite_rules.hpp, instantiated over Z3 terms pinned to
// the request's facts, is a named constraint guarded by an assumption
// literal; one context and one solver serve every check, because an
// assumption check costs microseconds and a fresh solver milliseconds. One
// unsat core is not all conflicts, so every named constraint is checked on
// its own.

#include <memory>
#include <optional>
#include <vector>

#include "model/cluster/request_facts.hpp"

namespace lmc::smt {

struct PrereqVerdict {
  /// Every violated rule instance, in report order: empty when the LM is
  /// possible (VMS2460).
  std::vector<cluster::Conflict> conflicts;
  /// VM-INDEX: the index the VM gets on the target (the fixed one, or for
  /// *ANY the lowest free one, found by Z3); unset when P7 is violated.
  std::optional<int> vm_index;
  /// SU /390 with a memory map: the first unit of the lowest contiguous
  /// piece Z3 found for the VM; unset when there is no map or no such piece.
  std::optional<int> placement;
  std::size_t queries = 0;  ///< solver checks made
};

class PrereqSolver {
 public:
  PrereqSolver();
  ~PrereqSolver();
  PrereqSolver(const PrereqSolver&) = delete;
  PrereqSolver& operator=(const PrereqSolver&) = delete;

  /// Checks an LM of `vm` from its owner to `target` in a model state.
  PrereqVerdict check(const cluster::Topology& topology, const cluster::State& state, int vm,
                      int target);
  /// Checks a request whose facts were read elsewhere (read_config_facts for
  /// configurations larger than the explicit-state model takes).
  PrereqVerdict check(const cluster::Config& config, const cluster::RequestFacts& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lmc::smt
