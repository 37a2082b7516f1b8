#include "model/cluster/prereq/planner.hpp"

#include <fmt/core.h>
#include <z3++.h>

#include <algorithm>
#include <chrono>

#include "model/cluster/prereq/plan_encoding.hpp"
#include "model/cluster/request_facts.hpp"

namespace lmc::smt {
namespace {

using namespace cluster;

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The steps of a satisfying order, by position.
std::vector<PlanStep> steps_of(EvacuationEncoding& e, const Config& c) {
  const auto model = e.solver().get_model();
  std::vector<std::pair<int, std::size_t>> by_position;
  for (std::size_t i = 0; i < e.moving().size(); ++i) {
    by_position.emplace_back(model.eval(e.position(i), true).get_numeral_int(), i);
  }
  std::sort(by_position.begin(), by_position.end());
  std::vector<PlanStep> steps;
  for (const auto& [position, i] : by_position) {
    const int v = e.moving()[i];
    const auto& vm = c.vms[v];
    steps.push_back({vm.name, v, initialised(vm) ? "/MIGRATE-VM" : "/MIGRATE-VM-DEFINITION",
                     model.eval(e.index(i), true).get_numeral_int()});
  }
  return steps;
}

/// Replays a fixed order on copies of the configuration and describes the
/// blocking instances with the facts of the step they block.
std::vector<Blocker> describe_order(const Config& c, int target, const std::vector<int>& order,
                                    const std::vector<Guarded>& core, const EvacuationEncoding& e) {
  std::vector<Blocker> blocked;
  Config current = c;
  for (const int v : order) {
    const auto facts = read_config_facts(current, v, target);
    for (const auto& g : core) {
      if (e.moving()[g.step] != v) continue;
      const auto conflict = describe_conflict(current, facts, g.instance);
      blocked.push_back({c.vms[v].name, conflict.rule_id(), conflict.detail(), {}});
    }
    current = apply_step(current, v, target, assigned_index(facts.facts));
  }
  return blocked;
}

OrderCheck check_order(const Config& c, int target, const std::vector<int>& moving,
                       std::string name, const std::vector<std::size_t>& order,
                       std::size_t& step_checks) {
  OrderCheck check{std::move(name), {}, {}};
  std::vector<std::size_t> position(order.size());
  std::vector<int> vms;
  for (std::size_t step = 0; step < order.size(); ++step) {
    position[order[step]] = step;
    vms.push_back(moving[order[step]]);
    check.order.push_back(c.vms[moving[order[step]]].name);
  }
  // A fresh encoding with the positions as constants: each step's facts are
  // then plain numbers for the solver.
  EvacuationEncoding fixed(c, target, moving, position);
  step_checks += fixed.guards().size();
  check.blocked = describe_order(c, target, vms, fixed.minimal_core(), fixed);
  return check;
}

void naive_orders(const Config& c, int target, const std::vector<int>& moving,
                  EvacuationPlan& plan) {
  std::vector<std::size_t> order(moving.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  plan.naive_orders.push_back(
      check_order(c, target, moving, "configuration order", order, plan.step_checks));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return c.vms[moving[a]].memory > c.vms[moving[b]].memory;
  });
  plan.naive_orders.push_back(
      check_order(c, target, moving, "largest VM first", order, plan.step_checks));
}

std::vector<int> vms_on(const Config& c, int su) {
  std::vector<int> vms;
  for (int v = 0; v < static_cast<int>(c.vms.size()); ++v) {
    if (c.vms[v].su == su) vms.push_back(v);
  }
  return vms;
}

}  // namespace

/// The positions of the one order the search needs to try: fixed-index VMs
/// first, then *ANY ones, each group in configuration order (plan_encoding.hpp:
/// an order exists exactly when this one works).
std::vector<std::size_t> canonical_order(const Config& c, const std::vector<int>& moving) {
  std::vector<std::size_t> position(moving.size());
  std::size_t next = 0;
  for (const bool fixed : {true, false}) {
    for (std::size_t i = 0; i < moving.size(); ++i) {
      if ((c.vms[moving[i]].index > 0) == fixed) position[i] = next++;
    }
  }
  return position;
}

bool evacuation_possible(const Config& c, int source, int target) {
  const auto moving = vms_on(c, source);
  EvacuationEncoding e(c, target, moving, canonical_order(c, moving));
  auto literals = e.all_literals();
  return e.solver().check(literals) == z3::sat;
}

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
  const auto moving = vms_on(c, su);
  if (moving.empty()) {
    error = fmt::format("--evacuate {}: the SU holds no VM", c.sus[su].name);
    return false;
  }
  {
    EvacuationEncoding e(c, *target, moving, canonical_order(c, moving));
    plan.step_checks += e.guards().size();
    auto literals = e.all_literals();
    plan.found = e.solver().check(literals) == z3::sat;
    if (plan.found) plan.steps = steps_of(e, c);
  }
  plan.search_milliseconds = elapsed_ms(start);
  if (!plan.found) {
    // Which rules block every order: the encoding with the positions free.
    EvacuationEncoding e(c, *target, moving);
    e.solver().add(e.shape());
    plan.blocking = explain_blockers(c, su, *target, e);
  }
  naive_orders(c, *target, moving, plan);
  plan.milliseconds = elapsed_ms(start);
  return true;
}

std::vector<Conflict> check_step(const Config& c, int vm, int target) {
  EvacuationEncoding e(c, target, {vm});
  const auto facts = read_config_facts(c, vm, target);
  std::vector<Conflict> conflicts;
  for (const auto& g : e.guards()) {
    z3::expr_vector assumption(e.ctx());
    assumption.push_back(g.literal);
    if (e.solver().check(assumption) == z3::unsat) {
      conflicts.push_back(describe_conflict(c, facts, g.instance));
    }
  }
  sort_conflicts(conflicts);
  return conflicts;
}

Config apply_step(const Config& c, int vm, int target, int index) {
  Config next = c;
  auto& moved = next.vms[vm];
  moved.su = target;
  if (!initialised(moved)) return next;  // a bare definition takes nothing along
  if (index > 0) moved.index = index;
  // Tapes and locally emulated disks stay behind, detached (WP §4.4): on the
  // target the VM does not have them.
  std::erase_if(moved.devices, [](const Device& d) {
    return d.kind == DeviceKind::tape || d.kind == DeviceKind::emulated_local_disk;
  });
  return next;
}

}  // namespace lmc::smt
