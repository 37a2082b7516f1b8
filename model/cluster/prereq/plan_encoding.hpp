#pragma once
// The planner's encoding (internal to checker/smt/): each VM to move gets a
// position, and at its position every rule instance of P1-P19 is a guarded
// constraint over the step's facts, which are the configuration's facts plus
// what the VMs placed earlier took on the target (memory, a definition slot,
// a name, an index, devices). The rules are the templates of
// model/cluster/prerequisite_rules.hpp over Z3 terms.

#include <z3++.h>

#include <vector>

#include "model/cluster/prereq/planner.hpp"
#include "model/cluster/prereq/z3_facts.hpp"
#include "model/cluster/request_facts.hpp"

namespace lmc::smt {

inline bool initialised(const cluster::Vm& vm) {
  return vm.state != cluster::VmState::defined_only;
}

/// The rules a step obeys: an LM (/MIGRATE-VM) all of P1-P19; moving a bare
/// definition (/MIGRATE-VM-DEFINITION, D2) only P1, P6 and P8, since a
/// DEFINED_ONLY VM holds no memory, index or device.
bool step_rule_applies(const cluster::Vm& vm, cluster::Rule rule);

/// One named constraint of one VM's step, guarded by an assumption literal
/// so that unsat cores name the VMs and rules that block an evacuation.
struct Guarded {
  z3::expr literal;
  std::size_t step;  ///< index into moving()
  cluster::rules::Instance instance;
};

class EvacuationEncoding {
 public:
  /// `moving`: the VMs to move to `target`, by configuration index. With
  /// `order` (positions of the moving VMs), the positions are constants: a
  /// fixed order to check.
  EvacuationEncoding(const cluster::Config& c, int target, std::vector<int> moving,
                     const std::vector<std::size_t>& order = {});

  const std::vector<int>& moving() const { return moving_; }
  z3::solver& solver() { return solver_; }
  z3::context& ctx() { return ctx_; }
  const std::vector<Guarded>& guards() const { return guards_; }
  const z3::expr& position(std::size_t i) const { return position_[i]; }
  const z3::expr& index(std::size_t i) const { return index_[i]; }
  z3::expr_vector all_literals();
  /// Fixed-index VMs before *ANY ones, each group in configuration order:
  /// an order exists exactly when one of this shape does (spec/prerequisites.md).
  const z3::expr& shape() const { return shape_; }
  /// A minimal unsatisfiable set of guards (every one needed), or empty.
  std::vector<Guarded> minimal_core();

 private:
  void encode();
  void break_symmetry();
  void encode_step(std::size_t i);
  void add_earlier_vm(SymbolicFacts& f, std::size_t i, std::size_t w);
  z3::expr before(std::size_t w, std::size_t v);
  void guard(const z3::expr& constraint, std::size_t i, const cluster::rules::Instance& instance);

  const cluster::Config& c_;
  int target_;
  z3::context& ctx_;
  z3::solver solver_;
  std::vector<int> moving_;
  std::vector<cluster::RequestFacts> base_;  ///< each moving VM's facts before any step
  std::vector<z3::expr> position_;
  std::vector<z3::expr> index_;
  std::vector<Guarded> guards_;
  z3::expr shape_ = ctx_.bool_val(true);
};

/// When no order exists: the blockers of a minimal unsatisfiable set, each
/// with the configuration changes that, applied alone, let a plan be found.
std::vector<Blocker> explain_blockers(const cluster::Config& c, int source, int target,
                                      EvacuationEncoding& e);

/// A plan exists for evacuating `source` to `target` in configuration `c`.
bool evacuation_possible(const cluster::Config& c, int source, int target);

}  // namespace lmc::smt
