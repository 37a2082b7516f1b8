#include "model/cluster/prereq/prereq_solver.hpp"

#include <fmt/core.h>
#include <z3++.h>

#include "model/cluster/prereq/z3_facts.hpp"

namespace lmc::smt {
namespace {

namespace rules = cluster::rules;

/// Asks Z3 for the value of `term` satisfying `constraint` (with the pinned
/// facts): the index VM2000 assigns, or where the VM's memory goes.
std::optional<int> witness(z3::context& ctx, z3::solver& solver, const z3::expr& term,
                           const z3::expr& constraint, std::size_t& queries) {
  solver.push();
  solver.add(constraint);
  ++queries;
  std::optional<int> value;
  if (solver.check() == z3::sat) value = solver.get_model().eval(term, true).get_numeral_int();
  solver.pop();
  (void)ctx;
  return value;
}

}  // namespace

struct PrereqSolver::Impl {
  z3::context ctx;
  z3::solver solver{ctx};
};

PrereqSolver::PrereqSolver() : impl_(std::make_unique<Impl>()) {}
PrereqSolver::~PrereqSolver() = default;

PrereqVerdict PrereqSolver::check(const cluster::Topology& topology, const cluster::State& state,
                                  int vm, int target) {
  return check(topology.config(), cluster::read_request_facts(topology, state, vm, target));
}

PrereqVerdict PrereqSolver::check(const cluster::Config& config,
                                  const cluster::RequestFacts& request) {
  auto& ctx = impl_->ctx;
  auto& solver = impl_->solver;
  solver.push();
  FactTerms terms(ctx, solver);
  const auto facts = symbolic_facts(request.facts, terms);
  PrereqVerdict verdict;
  bool p7_holds = false;
  bool piece_holds = false;
  std::size_t instance_number = 0;
  rules::for_each_rule(facts, [&](const rules::Instance& instance, const z3::expr& holds) {
    // The assumption literal names the rule instance: checking it alone tells
    // whether that constraint can hold together with the facts.
    const auto guard = ctx.bool_const(
        fmt::format("{}#{}", cluster::rule_info(instance.rule).id, instance_number++).c_str());
    solver.add(z3::implies(guard, holds));
    z3::expr_vector assumptions(ctx);
    assumptions.push_back(guard);
    ++verdict.queries;
    const bool violated = solver.check(assumptions) == z3::unsat;
    if (violated)
      verdict.conflicts.push_back(cluster::describe_conflict(config, request, instance));
    if (instance.rule == cluster::Rule::P7) p7_holds = !violated;
    if (instance == rules::Instance{cluster::Rule::P5, 1}) piece_holds = !violated;
  });
  if (p7_holds) {
    const auto index = ctx.int_const("vm_index_on_target");
    verdict.vm_index =
        witness(ctx, solver, index, rules::index_assigned(facts, index), verdict.queries);
  }
  if (piece_holds) {
    const auto start = ctx.int_const("placement_start");
    verdict.placement =
        witness(ctx, solver, start, rules::piece_placed(facts, start), verdict.queries);
  }
  solver.pop();
  cluster::sort_conflicts(verdict.conflicts);
  return verdict;
}

}  // namespace lmc::smt
