#include "model/cluster/prereq/plan_encoding.hpp"

#include <fmt/core.h>

namespace lmc::smt {
namespace {

using namespace cluster;

/// After its LM a VM holds its devices on the target but for tapes and
/// locally emulated disks (PAV aliases are attached again at cleanup).
bool held_after_lm(const Device& d) {
  return d.kind != DeviceKind::tape && d.kind != DeviceKind::emulated_local_disk;
}

/// One context for every encoding the planner makes, kept for the process:
/// deleting a Z3 context that held a plan's encoding took longer than the
/// search itself (10 s of 18 s for examples/plan/large-64.json, measured
/// with perf: Z3_del_context); a solver per encoding is cheap to drop.
z3::context& planner_context() {
  static z3::context* context = new z3::context;  // never deleted, on purpose
  return *context;
}

/// "No lower index is free": every index below `index` (up to `bound`, past
/// which some used index would have to repeat) is used. With P7's
/// index_fits, the index VM2000 gives a *ANY VM. The used indexes that are
/// numerals (the target's own VMs, and with the positions fixed every VM
/// placed later, 0) are settled here: an index they hold is used, whatever
/// the model, so its conjunct is true and is left out, and they add nothing
/// to the disjunction of the others. Only the moved VMs' index variables
/// remain: the terms shrink from bound x used to the free indexes x those.
z3::expr lower_indexes_used(const SymbolicFacts& f, const z3::expr& index, int bound) {
  std::vector<bool> held(static_cast<std::size_t>(bound) + 1, false);
  std::vector<z3::expr> unknown;
  for (const auto& u : f.used_indexes) {
    const auto value = u.simplify();
    if (value.is_numeral()) {
      const int v = value.get_numeral_int();
      if (v >= 1 && v <= bound) held[static_cast<std::size_t>(v)] = true;
    } else {
      unknown.push_back(u);
    }
  }
  z3::expr all = index >= 1;
  for (int j = 1; j <= bound; ++j) {
    if (held[static_cast<std::size_t>(j)]) continue;
    z3::expr used = f.fixed_index != 0;  // a fixed index is the index, whatever is below
    for (const auto& u : unknown) used = used || u == j;
    all = all && z3::implies(index > j, used);
  }
  return all;
}

}  // namespace

bool step_rule_applies(const Vm& vm, Rule rule) {
  return initialised(vm) || rule == Rule::P1 || rule == Rule::P6 || rule == Rule::P8;
}

EvacuationEncoding::EvacuationEncoding(const Config& c, int target, std::vector<int> moving,
                                       const std::vector<std::size_t>& order)
    : c_(c),
      target_(target),
      ctx_(planner_context()),
      solver_(ctx_, "QF_LIA"),
      moving_(std::move(moving)) {
  for (std::size_t i = 0; i < moving_.size(); ++i) {
    base_.push_back(read_config_facts(c, moving_[i], target));
    position_.push_back(order.empty() ? ctx_.int_const(fmt::format("position_{}", i).c_str())
                                      : ctx_.int_val(static_cast<int>(order[i])));
    index_.push_back(ctx_.int_const(fmt::format("index_{}", i).c_str()));
  }
  encode();
}

z3::expr_vector EvacuationEncoding::all_literals() {
  z3::expr_vector literals(ctx_);
  for (const auto& g : guards_) literals.push_back(g.literal);
  return literals;
}

void EvacuationEncoding::guard(const z3::expr& constraint, std::size_t i,
                               const rules::Instance& instance) {
  const auto literal = ctx_.bool_const(
      fmt::format("{}_{}#{}", rule_info(instance.rule).id, c_.vms[moving_[i]].name, guards_.size())
          .c_str());
  solver_.add(z3::implies(literal, constraint));
  guards_.push_back({literal, i, instance});
}

z3::expr EvacuationEncoding::before(std::size_t w, std::size_t v) {
  if (position_[w].is_numeral() && position_[v].is_numeral()) {
    return ctx_.bool_val(position_[w].get_numeral_int() < position_[v].get_numeral_int());
  }
  return position_[w] < position_[v];
}

void EvacuationEncoding::encode() {
  const int n = static_cast<int>(moving_.size());
  z3::expr_vector positions(ctx_);
  for (int i = 0; i < n; ++i) {
    solver_.add(position_[i] >= 0 && position_[i] < n);
    positions.push_back(position_[i]);
  }
  if (n > 1) solver_.add(z3::distinct(positions));
  break_symmetry();
  for (int i = 0; i < n; ++i) encode_step(static_cast<std::size_t>(i));
}

// Only the order of *ANY VMs relative to fixed-index ones matters: memory and
// definition slots fit in some order exactly when they fit in all (the last
// step needs the sum), names and devices of VMs leaving one SU never clash
// with each other (they did not on the source), and a *ANY VM only takes
// indexes a fixed-index VM might need. So an order exists exactly when one
// with all fixed-index VMs first exists, and within each group any order is
// as good as another. Pinning that shape spares the solver the n!
// permutations (spec/prerequisites.md).
void EvacuationEncoding::break_symmetry() {
  z3::expr shape = ctx_.bool_val(true);
  for (std::size_t a = 0; a < moving_.size(); ++a) {
    for (std::size_t b = a + 1; b < moving_.size(); ++b) {
      const bool a_fixed = c_.vms[moving_[a]].index > 0;
      const bool b_fixed = c_.vms[moving_[b]].index > 0;
      shape = shape && (a_fixed == b_fixed || a_fixed ? position_[a] < position_[b]
                                                      : position_[b] < position_[a]);
    }
  }
  // Kept apart: a plan search asserts it, a naive order's check does not.
  shape_ = shape;
}

/// What VM w, if placed before VM i, has taken on the target by i's step.
void EvacuationEncoding::add_earlier_vm(SymbolicFacts& f, std::size_t i, std::size_t w) {
  const auto& vm = c_.vms[moving_[i]];
  const auto& other = c_.vms[moving_[w]];
  const z3::expr earlier = before(w, i);
  // With the positions fixed (an order to check), a VM placed later adds
  // nothing: skipping it keeps the step's terms as small as its facts.
  if (earlier.is_false()) return;
  const z3::expr zero = ctx_.int_val(0);
  f.definitions = f.definitions + z3::ite(earlier, ctx_.int_val(1), zero);
  if (other.name == vm.name) f.name_used = f.name_used || earlier;
  if (!initialised(other)) return;  // a bare definition holds nothing else
  f.free_memory = f.free_memory - z3::ite(earlier, ctx_.int_val(other.memory), zero);
  f.used_indexes.push_back(z3::ite(earlier, index_[w], zero));
  for (auto& device : f.devices) {
    const auto& id = vm.devices[device.device].id;
    for (const auto& held : other.devices) {
      if (held.id != id || !held_after_lm(held)) continue;
      device.held = device.held || earlier;
      if (held.usage == Usage::exclusive) {
        device.held_exclusively = device.held_exclusively || earlier;
      }
    }
  }
}

void EvacuationEncoding::encode_step(std::size_t i) {
  const auto& vm = c_.vms[moving_[i]];
  FactTerms values(ctx_);
  auto f = symbolic_facts(base_[i].facts, values);
  for (std::size_t w = 0; w < moving_.size(); ++w) {
    if (w != i) add_earlier_vm(f, i, w);
  }
  // P7 holds when the index the VM takes at its step fits; the solver picks
  // it (index_[i]) instead of trying every candidate.
  f.index_witness = index_[i];
  std::optional<z3::expr> p7;
  rules::for_each_rule(f, [&](const rules::Instance& instance, const z3::expr& holds) {
    if (!step_rule_applies(vm, instance.rule)) return;
    guard(holds, i, instance);
    if (instance.rule == Rule::P7) p7 = guards_.back().literal;
  });
  // The index the VM gets is the lowest free one at its step (as VM2000
  // assigns *ANY), so the order decides which indexes stay free.
  if (p7) {
    const int bound =
        std::min(c_.sus[target_].max_vm_index, static_cast<int>(f.used_indexes.size()) + 1);
    solver_.add(z3::implies(*p7, lower_indexes_used(f, index_[i], bound)));
  } else {
    solver_.add(index_[i] == 0);  // a bare definition holds no index
  }
}

std::vector<Guarded> EvacuationEncoding::minimal_core() {
  auto literals = all_literals();
  if (solver_.check(literals) != z3::unsat) return {};
  const auto core = solver_.unsat_core();
  std::vector<std::size_t> kept;
  for (unsigned k = 0; k < core.size(); ++k) {
    for (std::size_t g = 0; g < guards_.size(); ++g) {
      if (z3::eq(core[k], guards_[g].literal)) kept.push_back(g);
    }
  }
  for (std::size_t k = 0; k < kept.size();) {
    z3::expr_vector without(ctx_);
    for (std::size_t m = 0; m < kept.size(); ++m) {
      if (m != k) without.push_back(guards_[kept[m]].literal);
    }
    if (solver_.check(without) == z3::unsat) {
      kept.erase(kept.begin() + static_cast<long>(k));
    } else {
      ++k;
    }
  }
  std::vector<Guarded> minimal;
  for (const auto g : kept) minimal.push_back(guards_[g]);
  return minimal;
}

}  // namespace lmc::smt
