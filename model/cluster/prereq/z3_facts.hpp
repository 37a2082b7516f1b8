#pragma once
// The prerequisites' facts as Z3 terms (internal to checker/smt/, the one
// place that sees z3++.h). The rules themselves are the templates of
// model/cluster/prerequisite_rules.hpp, instantiated here with z3::expr.

#include <z3++.h>

#include <string>

#include "model/cluster/request_facts.hpp"

namespace lmc::smt {

using SymbolicFacts = cluster::rules::RuleFacts<z3::expr, z3::expr>;

/// Turns facts into terms: pinned named constants, so the rules stay
/// formulas over symbols while the solver answers for this one request, or
/// plain values.
class FactTerms {
 public:
  /// Named constants, each pinned to its value by an equality in `pin_to`.
  FactTerms(z3::context& ctx, z3::solver& pin_to) : ctx_(ctx), solver_(&pin_to) {}
  /// Plain values (the planner: the facts of a step that no order changes).
  explicit FactTerms(z3::context& ctx) : ctx_(ctx), solver_(nullptr) {}

  z3::expr integer(const std::string& name, int value) {
    if (!solver_) return ctx_.int_val(value);
    auto term = ctx_.int_const(name.c_str());
    solver_->add(term == value);
    return term;
  }
  z3::expr boolean(const std::string& name, bool value) {
    if (!solver_) return ctx_.bool_val(value);
    auto term = ctx_.bool_const(name.c_str());
    solver_->add(term == ctx_.bool_val(value));
    return term;
  }

 private:
  z3::context& ctx_;
  z3::solver* solver_;
};

/// Every fact of `concrete` as a named term (pinned when `terms` pins).
SymbolicFacts symbolic_facts(const cluster::ConcreteFacts& concrete, FactTerms& terms);

}  // namespace lmc::smt
