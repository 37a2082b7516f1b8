#include "checker/smt/planner.hpp"

#include <fmt/core.h>
#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "checker/smt/rule_formulas.hpp"

namespace lmc::smt {
namespace {

using namespace cluster;

bool initialised(const Vm& vm) {
  return vm.state != VmState::defined_only;
}

bool listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// One named constraint of one VM's step, guarded by an assumption literal
/// so that unsat cores name the VMs and rules that block an evacuation.
struct Guarded {
  z3::expr literal;
  Blocker blocker;
};

class EvacuationEncoding {
 public:
  /// With `order` (positions of the moving VMs, by their index in
  /// moving()), the positions are constants: a fixed order to check.
  EvacuationEncoding(const Config& c, int source, int target,
                     const std::vector<std::size_t>& order = {})
      : c_(c), source_(source), target_(target), solver_(ctx_) {
    for (int v = 0; v < static_cast<int>(c.vms.size()); ++v) {
      if (c.vms[v].su == source) moving_.push_back(v);
      if (c.vms[v].su == target) staying_.push_back(v);
    }
    for (std::size_t i = 0; i < moving_.size(); ++i) {
      position_.push_back(order.empty() ? ctx_.int_const(fmt::format("position_{}", i).c_str())
                                        : ctx_.int_val(static_cast<int>(order[i])));
      index_.push_back(ctx_.int_const(fmt::format("index_{}", i).c_str()));
    }
    encode();
  }

  const std::vector<int>& moving() const { return moving_; }
  z3::solver& solver() { return solver_; }
  z3::context& ctx() { return ctx_; }
  const std::vector<Guarded>& guards() const { return guards_; }
  const z3::expr& position(std::size_t i) const { return position_[i]; }
  const z3::expr& index(std::size_t i) const { return index_[i]; }

  z3::expr_vector all_literals() {
    z3::expr_vector literals(ctx_);
    for (const auto& g : guards_) literals.push_back(g.literal);
    return literals;
  }
  const z3::expr& shape() const { return shape_; }

 private:
  void guard(const z3::expr& constraint, std::size_t i, const char* rule, std::string detail) {
    const auto literal = ctx_.bool_const(
        fmt::format("{}_{}#{}", rule, c_.vms[moving_[i]].name, guards_.size()).c_str());
    solver_.add(z3::implies(literal, constraint));
    guards_.push_back({literal, {c_.vms[moving_[i]].name, rule, std::move(detail)}});
  }

  z3::expr before(std::size_t w, std::size_t v) {
    if (position_[w].is_numeral() && position_[v].is_numeral()) {
      return ctx_.bool_val(position_[w].get_numeral_int() < position_[v].get_numeral_int());
    }
    return position_[w] < position_[v];
  }

  void encode() {
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

  /// Only the order of *ANY VMs relative to fixed-index ones matters: memory
  /// and definition slots fit in some order exactly when they fit in all
  /// (the last step needs the sum), and a *ANY VM can only take indexes a
  /// fixed-index VM might need. So an order exists exactly when one with all
  /// fixed-index VMs first exists, and within each group any order is as
  /// good as another. Pinning that shape (kept in configuration order) spares
  /// the solver the n! permutations (spec/prerequisites.md).
  void break_symmetry() {
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

  /// The prerequisites of moving VM i at its position, given what the VMs
  /// placed before it already took on the target.
  void encode_step(std::size_t i) {
    const auto& tgt = c_.sus[target_];
    const auto& vm = c_.vms[moving_[i]];
    const auto& cluster = c_.su_clusters[*c_.cluster_of(source_)];
    guard(ctx_.bool_val(cluster.active), i, "P1",
          fmt::format("activate SU cluster {}", cluster.name));
    encode_memory(i);
    z3::expr taken_slots = ctx_.int_val(static_cast<int>(staying_.size()));
    for (std::size_t w = 0; w < moving_.size(); ++w) {
      if (w != i)
        taken_slots = taken_slots + z3::ite(before(w, i), ctx_.int_val(1), ctx_.int_val(0));
    }
    guard(rules::p8_definitions(taken_slots, ctx_.int_val(tgt.max_vm_definitions)), i, "P8",
          fmt::format("raise max_vm_definitions of {} (now {})", tgt.name, tgt.max_vm_definitions));
    encode_index(i);
    for (const auto& device : vm.devices) {
      if (device.kind == DeviceKind::tape || device.kind == DeviceKind::emulated_local_disk ||
          device.kind == DeviceKind::pav_alias || !initialised(vm)) {
        continue;  // detached before an LM, or no devices assigned (DEFINED_ONLY)
      }
      const bool generated = listed(tgt.devices, device.id);
      guard(rules::p10_generated(ctx_.bool_val(generated)), i, "P10",
            fmt::format("generate device {} on {}", device.id, tgt.name));
      guard(rules::p11_available(ctx_.bool_val(generated),
                                 ctx_.bool_val(device.usage == Usage::exclusive),
                                 ctx_.bool_val(listed(tgt.exclusively_used, device.id))),
            i, "P11", fmt::format("free device {} on {} (VMS2437)", device.id, tgt.name));
    }
  }

  void encode_memory(std::size_t i) {
    const auto& tgt = c_.sus[target_];
    const auto& vm = c_.vms[moving_[i]];
    if (!initialised(vm)) return;  // a definition holds no memory
    int free = tgt.memory - tgt.mapped_memory();
    for (int o : staying_) free -= initialised(c_.vms[o]) ? c_.vms[o].memory : 0;
    z3::expr available = ctx_.int_val(free);
    for (std::size_t w = 0; w < moving_.size(); ++w) {
      const auto& other = c_.vms[moving_[w]];
      if (w == i || !initialised(other)) continue;
      available = available - z3::ite(before(w, i), ctx_.int_val(other.memory), ctx_.int_val(0));
    }
    guard(rules::p5_memory(available, ctx_.int_val(vm.memory)), i, "P5",
          fmt::format("{} needs {} units on {}: free memory there", vm.name, vm.memory, tgt.name));
  }

  /// P7 at the step; a *ANY VM gets the lowest index free at that moment (as
  /// VM2000 assigns it), so the order decides which indexes stay free.
  void encode_index(std::size_t i) {
    const auto& tgt = c_.sus[target_];
    const auto& vm = c_.vms[moving_[i]];
    std::vector<z3::expr> used;
    for (int o : staying_) {
      if (c_.vms[o].index > 0) used.push_back(ctx_.int_val(c_.vms[o].index));
    }
    for (std::size_t w = 0; w < moving_.size(); ++w) {
      if (w != i) used.push_back(z3::ite(before(w, i), index_[w], ctx_.int_val(0)));
    }
    z3::expr rule =
        rules::p7_index(index_[i], ctx_.int_val(vm.index), ctx_.int_val(tgt.max_vm_index), used);
    if (vm.index == 0) {
      const int bound = std::min<int>(tgt.max_vm_index, static_cast<int>(used.size()) + 1);
      for (int j = 1; j <= bound; ++j) {
        z3::expr j_used = ctx_.bool_val(false);
        for (const auto& u : used) j_used = j_used || u == j;
        rule = rule && z3::implies(index_[i] > j, j_used);
      }
    }
    guard(rule, i, "P7",
          vm.index > 0
              ? fmt::format("free VM index {} on {}, or create {} with VM-INDEX=*ANY", vm.index,
                            tgt.name, vm.name)
              : fmt::format("raise max_vm_index of {} (now {})", tgt.name, tgt.max_vm_index));
  }

  const Config& c_;
  int source_;
  int target_;
  z3::context ctx_;
  z3::solver solver_;
  std::vector<int> moving_;
  std::vector<int> staying_;
  std::vector<z3::expr> position_;
  std::vector<z3::expr> index_;
  std::vector<Guarded> guards_;
  z3::expr shape_ = ctx_.bool_val(true);
};

/// Shrinks an unsat core until every literal in it is needed.
std::vector<std::size_t> minimal_core(EvacuationEncoding& e) {
  auto literals = e.all_literals();
  if (e.solver().check(literals) != z3::unsat) return {};
  const auto core = e.solver().unsat_core();
  std::vector<std::size_t> kept;
  for (unsigned k = 0; k < core.size(); ++k) {
    for (std::size_t g = 0; g < e.guards().size(); ++g) {
      if (z3::eq(core[k], e.guards()[g].literal)) kept.push_back(g);
    }
  }
  for (std::size_t k = 0; k < kept.size();) {
    z3::expr_vector without(e.ctx());
    for (std::size_t m = 0; m < kept.size(); ++m) {
      if (m != k) without.push_back(e.guards()[kept[m]].literal);
    }
    if (e.solver().check(without) == z3::unsat) {
      kept.erase(kept.begin() + static_cast<long>(k));
    } else {
      ++k;
    }
  }
  return kept;
}

std::vector<Blocker> blockers_of(EvacuationEncoding& e) {
  std::vector<Blocker> blocking;
  for (auto g : minimal_core(e)) blocking.push_back(e.guards()[g].blocker);
  return blocking;
}

OrderCheck check_order(const EvacuationEncoding& e, const Config& c, int source, int target,
                       std::string name, const std::vector<std::size_t>& order) {
  OrderCheck check{std::move(name), {}, {}};
  std::vector<std::size_t> position(order.size());
  for (std::size_t step = 0; step < order.size(); ++step) {
    position[order[step]] = step;
    check.order.push_back(c.vms[e.moving()[order[step]]].name);
  }
  // A fresh encoding with the positions as constants: each step's facts are
  // then plain numbers for the solver.
  EvacuationEncoding fixed(c, source, target, position);
  check.blocked = blockers_of(fixed);
  return check;
}

void naive_orders(const EvacuationEncoding& e, const Config& c, int source, int target,
                  EvacuationPlan& plan) {
  std::vector<std::size_t> order(e.moving().size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  plan.naive_orders.push_back(check_order(e, c, source, target, "configuration order", order));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return c.vms[e.moving()[a]].memory > c.vms[e.moving()[b]].memory;
  });
  plan.naive_orders.push_back(check_order(e, c, source, target, "largest VM first", order));
}

}  // namespace

bool plan_evacuation(const Config& c, int su, EvacuationPlan& plan, std::string& error) {
  const auto start = std::chrono::steady_clock::now();
  const auto target = c.partner_of(su);
  if (!target) {
    error = fmt::format("--evacuate {}: the SU is in no SU cluster, so there is nowhere to go",
                        c.sus[su].name);
    return false;
  }
  plan.source = c.sus[su].name;
  plan.target = c.sus[*target].name;
  EvacuationEncoding e(c, su, *target);
  if (e.moving().empty()) {
    error = fmt::format("--evacuate {}: the SU holds no VM", c.sus[su].name);
    return false;
  }
  e.solver().push();
  e.solver().add(e.shape());
  auto literals = e.all_literals();
  plan.found = e.solver().check(literals) == z3::sat;
  if (plan.found) {
    const auto model = e.solver().get_model();
    std::vector<std::pair<int, std::size_t>> by_position;
    for (std::size_t i = 0; i < e.moving().size(); ++i) {
      by_position.emplace_back(model.eval(e.position(i), true).get_numeral_int(), i);
    }
    std::sort(by_position.begin(), by_position.end());
    for (const auto& [position, i] : by_position) {
      const auto& vm = c.vms[e.moving()[i]];
      plan.steps.push_back({vm.name, initialised(vm) ? "/MIGRATE-VM" : "/MIGRATE-VM-DEFINITION",
                            model.eval(e.index(i), true).get_numeral_int()});
    }
  } else {
    plan.blocking = blockers_of(e);
  }
  e.solver().pop();
  naive_orders(e, c, su, *target, plan);
  plan.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return true;
}

}  // namespace lmc::smt
