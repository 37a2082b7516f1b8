// `lmc plan` against the other engines (the verdict issue, item 3), on fresh
// configurations: the one order the planner tries (fixed-index VMs first)
// works exactly when some order does (Z3 with the positions free); every
// step of a plan found is accepted, in the configuration as it stands
// after the steps before it, by the model's check and by the reference
// implementation, which gives the VM the index the plan printed and moves
// it (a bare definition by /MIGRATE-VM-DEFINITION); and every change the
// planner prints as unblocking does unblock, and no other one.

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/prereq/plan_encoding.hpp"
#include "model/cluster/prereq/planner.hpp"
#include "properties/config_generator.hpp"
#include "refimpl/core/clock.hpp"
#include "refimpl/lm/definitions.hpp"
#include "refimpl/lm/installation.hpp"
#include "refimpl/lm/prerequisites.hpp"

namespace {

using namespace lmc;
using namespace lmc::cluster;

std::map<std::string, long>& tally() {
  static std::map<std::string, long> counts;
  return counts;
}

/// Some order of the moving VMs works: Z3 with the positions free and no
/// shape pinned.
bool any_order_works(const Config& c, int source, int target) {
  std::vector<int> moving;
  for (int v = 0; v < static_cast<int>(c.vms.size()); ++v) {
    if (c.vms[v].su == source) moving.push_back(v);
  }
  smt::EvacuationEncoding e(c, target, moving);
  auto literals = e.all_literals();
  return e.solver().check(literals) == z3::sat;
}

std::filesystem::path fresh_crd(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("lmc-plan-property-" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

/// Step `s` of the plan in configuration `c`: both checks accept it, and the
/// implementation performs it with the index the plan printed.
void replay_step(const Config& c, int target, const smt::PlanStep& step) {
  const ClusterModel model(c, Mutant::none);
  const int v = step.vm_number;
  auto clock = ref::Clock::virtual_time();
  const auto dir = fresh_crd("step");
  ref::Installation in(c, clock, dir);
  if (step.command == "/MIGRATE-VM-DEFINITION") {
    RC_ASSERT(ref::migrate_vm_definition(in, v));
    RC_ASSERT(in.vm(v).su == target);
    ++tally()["definition steps replayed"];
  } else {
    const auto conflicts = lm_conflicts(model.topology(), model.initial_states()[0], v, target);
    if (!conflicts.empty()) RC_FAIL("the model rejects " + step.vm + ": " + conflicts[0].detail());
    RC_ASSERT(ref::check_vm_migration(in, v, target).empty());
    const auto facts = read_request_facts(model.topology(), model.initial_states()[0], v, target);
    RC_ASSERT(assigned_index(facts.facts) == step.vm_index);
    ++tally()["LM steps replayed"];
  }
  std::filesystem::remove_all(dir);
}

void check_changes(const Config& c, int source, int target, const smt::EvacuationPlan& plan) {
  for (const auto& blocker : plan.blocking) {
    ++tally()["blockers"];
    for (const auto& change : blocker.changes) {
      ++tally()[change.unblocks ? "changes that unblock" : "changes not enough alone"];
      // Planned again independently: Z3 over every order of the changed
      // configuration, which must also still be a valid one.
      ConfigError error;
      RC_ASSERT(validate_config(change.configuration, "changed", error, ConfigLimits::analysis()));
      RC_ASSERT(any_order_works(change.configuration, source, target) == change.unblocks);
    }
  }
  (void)c;
}

}  // namespace

TEST_CASE("lmc plan: one order decides, every step replays, every advice is planned again",
          "[properties][plan]") {
  tally().clear();
  rc::prop("on generated configurations", [] {
    const auto c = properties::random_cluster();
    const int source = properties::uniform(0, 2);
    const auto target = c.partner_of(source);
    RC_PRE(target.has_value());
    smt::EvacuationPlan plan;
    std::string error;
    if (!smt::plan_evacuation(c, source, plan, error)) {
      ++tally()["nothing to evacuate"];
      return;
    }
    RC_ASSERT(plan.found == any_order_works(c, source, *target));
    ++tally()[plan.found ? "plans found" : "no plan"];
    for (const auto& naive : plan.naive_orders) {
      if (naive.blocked.empty()) RC_ASSERT(plan.found);  // a working order is a plan
    }
    if (!plan.found) {
      check_changes(c, source, *target, plan);
      return;
    }
    Config current = c;
    for (const auto& step : plan.steps) {
      replay_step(current, *target, step);
      current = smt::apply_step(current, step.vm_number, *target, step.vm_index);
      ConfigError error;
      if (!validate_config(current, "after " + step.vm, error)) RC_FAIL(error.to_string());
    }
  });
  std::cout << "plan property:";
  for (const auto& [what, n] : tally()) std::cout << "\n  " << what << ": " << n;
  std::cout << "\n";
  CHECK(tally()["plans found"] > 0);
  CHECK(tally()["no plan"] > 0);
  CHECK(tally()["LM steps replayed"] > 0);
  CHECK(tally()["changes that unblock"] > 0);
}
