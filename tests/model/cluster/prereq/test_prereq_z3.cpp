// Z3 and the exploration: `--prereq z3` (every request's verdict from Z3)
// must not change a single state count or verdict.

#include <catch2/catch.hpp>

#include "tests/model/cluster/cluster_fixture.hpp"
#include "model/cluster/prereq/prereq_solver.hpp"
#include "model/cluster/cluster_model.hpp"

using namespace lmc;
using lmc::testing::load_preset_config;

TEST_CASE("Every preset explores the same with Z3's prerequisite table", "[smt][prereq]") {
  for (const auto& preset : cluster::preset_names()) {
    INFO(preset);
    const auto config = load_preset_config(preset);
    SearchOptions options;
    options.progress_interval_seconds = 0;
    const auto own = check_cluster(config, cluster::Mutant::none, options, PrereqEngine::model);
    const auto z3 = check_cluster(config, cluster::Mutant::none, options, PrereqEngine::z3);
    CHECK(z3.verdict == own.verdict);
    CHECK(z3.stats.states == own.stats.states);
    CHECK(z3.stats.transitions == own.stats.transitions);
    REQUIRE(z3.notes.size() == 1);
    CHECK_THAT(z3.notes[0], Catch::Contains("every request's verdict from Z3"));
    for (std::size_t i = 0; i < own.properties.size(); ++i) {
      CHECK(z3.properties[i].status == own.properties[i].status);
    }
  }
}

TEST_CASE("For VM-INDEX=*ANY Z3 picks an index that is free on the target", "[smt][prereq]") {
  auto config = load_preset_config("two-vms");
  config.vms[0].index = 0;  // *ANY
  config.vms[1].su = 1;     // VM13TEST (index 3) now lives on the target
  config.sus[1].max_vm_index = 3;
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  const auto state = model.initial_states()[0];
  smt::PrereqSolver solver;
  const auto verdict = solver.check(model.topology(), state, 0, 1);
  CHECK(verdict.conflicts.empty());
  REQUIRE(verdict.vm_index.has_value());
  CHECK(*verdict.vm_index >= 1);
  CHECK(*verdict.vm_index <= 3);
  CHECK(*verdict.vm_index != 3);
  config.sus[1].max_vm_index = 0;  // no index at all: P7
  const cluster::ClusterModel full(config, cluster::Mutant::none);
  const auto rejected = solver.check(full.topology(), state, 0, 1);
  REQUIRE(rejected.conflicts.size() == 1);
  CHECK(rejected.conflicts[0].kind == cluster::ConflictKind::p7_no_free_index);
  CHECK_FALSE(rejected.vm_index.has_value());
}

TEST_CASE("The configuration's own facts give the verdict the model's state gives",
          "[smt][prereq]") {
  for (const auto& preset : cluster::preset_names()) {
    INFO(preset);
    const auto config = load_preset_config(preset);
    const cluster::ClusterModel model(config, cluster::Mutant::none);
    const auto state = model.initial_states()[0];
    smt::PrereqSolver solver;
    for (int vm = 0; vm < static_cast<int>(config.vms.size()); ++vm) {
      const auto target = config.partner_of(config.vms[vm].su);
      if (!target) continue;
      auto from_state = solver.check(model.topology(), state, vm, *target).conflicts;
      auto from_config =
          solver.check(config, cluster::read_config_facts(config, vm, *target)).conflicts;
      CHECK(from_state == from_config);
    }
  }
}
