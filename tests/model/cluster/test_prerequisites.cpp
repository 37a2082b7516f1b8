// The model's own prerequisite check: every conflict is reported at once (A1),
// each with its rule and, where the seed has one, its message.

#include <algorithm>
#include <catch2/catch.hpp>

#include "cluster_fixture.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/prerequisites.hpp"

using namespace lmc;
using namespace lmc::cluster;
using lmc::testing::load_preset_config;

namespace {

std::vector<std::string> rules_of(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> rules;
  for (const auto& c : conflicts) rules.push_back(c.rule_id());
  return rules;
}

bool has(const std::vector<std::string>& rules, const char* rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

}  // namespace

TEST_CASE("The default VM may migrate to the other SU of its cluster", "[cluster][prereq]") {
  const ClusterModel model(load_preset_config("default"), Mutant::none);
  const auto state = model.initial_states()[0];
  CHECK(lm_conflicts(model.topology(), state, 0, 1).empty());
}

TEST_CASE("Four independent violations are all reported", "[cluster][prereq]") {
  auto config = load_preset_config("default");
  auto& target = config.sus[1];
  target.memory = 1;                   // P5: the VM needs 2
  target.exclusively_used = {"4683"};  // P11: VMS2437
  target.cpu_pools = {"OTHER"};        // P12
  target.shutdown_initiated = true;    // P18
  const ClusterModel model(config, Mutant::none);
  auto state = model.initial_states()[0];
  const auto conflicts = lm_conflicts(model.topology(), state, 0, 1);
  const auto rules = rules_of(conflicts);
  CHECK(conflicts.size() == 4);
  for (const char* rule : {"P5", "P11", "P12", "P18"}) {
    INFO(rule);
    CHECK(has(rules, rule));
  }
  for (const auto& c : conflicts) {
    if (c.rule() == Rule::P11) {
      CHECK(c.message() == "VMS2437");
      CHECK(c.cause() == "VMS2437,4683");
      CHECK_THAT(c.detail(), Catch::Contains("4683"));
    }
  }
}

TEST_CASE("Dynamic conflicts follow the state: WAIT, an LM running, the target down",
          "[cluster][prereq]") {
  const ClusterModel model(load_preset_config("default"), Mutant::none);
  auto state = model.initial_states()[0];
  state.vm[0].state = static_cast<std::uint8_t>(VmState::wait);
  state.lm[0].phase = static_cast<std::uint8_t>(Phase::memcopy);
  state.lm[0].source = 0;
  state.su_up = 1;  // ABGSU702 is down
  const auto rules = rules_of(lm_conflicts(model.topology(), state, 0, 1));
  CHECK(has(rules, "P13"));
  CHECK(has(rules, "P16"));
  CHECK(has(rules, "P1"));
}

TEST_CASE("A successful LM moves the definition, keeps the tape detached and counts itself",
          "[cluster][lm]") {
  const ClusterModel model(load_preset_config("default"), Mutant::none);
  auto s = model.initial_states()[0];
  auto step = [&](Kind kind, int page = 0) {
    INFO(model.action_kinds()[static_cast<std::size_t>(kind)]);
    auto next = model.next_state(s, {kind, 0, static_cast<std::uint8_t>(page)});
    REQUIRE(next.has_value());
    s = *next;
  };
  step(Kind::lm_request);
  CHECK(static_cast<Jv>(s.lm[0].jv) == Jv::accepted_S);
  step(Kind::lm_start);
  step(Kind::reserve_target);
  step(Kind::guest_write, 1);
  step(Kind::copy_round);
  step(Kind::guest_write, 0);
  step(Kind::copy_round);
  step(Kind::stop_io);
  step(Kind::final_copy);
  step(Kind::suspend);
  CHECK(s.vm[0].exec == 0);
  step(Kind::hand_over);
  step(Kind::resume);
  CHECK(s.vm[0].exec == 2);
  CHECK(s.vm[0].owner == 1);
  for (int page = 0; page < model.topology().pages(); ++page) {
    CHECK(s.vm[0].copy[page] == s.vm[0].memory[page]);  // I5 at the handover
  }
  step(Kind::cleanup);
  CHECK(static_cast<Jv>(s.lm[0].jv) == Jv::ended_warning_TW);  // the tape stays detached
  CHECK(s.vm[0].migrations == 1);
  CHECK(s.vm[0].attached == 0b101);  // disk 4683 and PAV alias 5F01, not tape 0C10
  CHECK(s.vm[0].resident == 2);
  CHECK(s.free_memory[0] == 8);
  CHECK(s.free_memory[1] == 6);
  CHECK(s.lm[0].verdict == 0);
}

TEST_CASE("A dirty set that does not converge aborts an SU /390 LM with a full rollback",
          "[cluster][lm]") {
  const ClusterModel model(load_preset_config("default"), Mutant::none);
  const auto before = model.initial_states()[0];
  auto s = before;
  for (auto [kind, page] : std::vector<std::pair<Kind, int>>{{Kind::lm_request, 0},
                                                             {Kind::lm_start, 0},
                                                             {Kind::reserve_target, 0},
                                                             {Kind::copy_round, 0},
                                                             {Kind::guest_write, 0},
                                                             {Kind::copy_round, 0},
                                                             {Kind::guest_write, 1},
                                                             {Kind::abort_nonconvergence, 0}}) {
    auto next = model.next_state(s, {kind, 0, static_cast<std::uint8_t>(page)});
    REQUIRE(next.has_value());
    s = *next;
  }
  CHECK(static_cast<Jv>(s.lm[0].jv) == Jv::aborted_AE);
  CHECK(static_cast<Cause>(s.lm[0].cause) == Cause::nonconvergence);
  CHECK(s.vm[0].exec == 1);
  CHECK(s.vm[0].attached == before.vm[0].attached);
  CHECK(s.vm[0].resident == 1);
  CHECK(s.free_memory == before.free_memory);
  CHECK(s.lm[0].verdict == 0);
  CHECK_THAT(model.format_action(s, {Kind::lm_request, 0, 0}), Catch::Contains("/MIGRATE-VM"));
}

namespace {

std::vector<Rule> rules_in(const std::vector<Conflict>& conflicts) {
  std::vector<Rule> rules;
  for (const auto& c : conflicts) rules.push_back(c.rule());
  return rules;
}

/// Runs `kinds` (for VM `vm` each) from the initial state; every one must be enabled.
State run(const ClusterModel& model, std::initializer_list<std::pair<Kind, int>> steps) {
  auto s = model.initial_states()[0];
  for (const auto& [kind, unit] : steps) {
    INFO(model.action_kinds()[static_cast<std::size_t>(kind)] << " " << unit);
    auto next = model.next_state(s, {kind, static_cast<std::uint8_t>(unit), 0});
    REQUIRE(next.has_value());
    s = *next;
  }
  return s;
}

}  // namespace

TEST_CASE("P6: the VM's name defined on the target is a conflict (D1: name and SU)",
          "[cluster][prereq]") {
  auto config = load_preset_config("two-vms");
  config.vms[1].name = config.vms[0].name;  // VM12PROD on both SUs
  config.vms[1].su = 1;
  config.scope.migrate = {"VM12PROD"};
  ConfigError error;
  const bool valid = validate_config(config, "twins", error);
  INFO(error.to_string());
  REQUIRE(valid);
  const ClusterModel model(config, Mutant::none);
  const auto conflicts = lm_conflicts(model.topology(), model.initial_states()[0], 0, 1);
  REQUIRE(rules_in(conflicts) == std::vector<Rule>{Rule::P6});
  CHECK(conflicts[0].detail() == "VM name VM12PROD is used on ABGSU702");
}

TEST_CASE("P11: a device another VM of the configuration holds on the target (VMS2437)",
          "[cluster][prereq]") {
  auto config = load_preset_config("two-vms");
  config.vms[1].su = 1;  // VM13TEST on the target, with disk 4683 exclusively
  config.vms[1].devices = {{"4683", DeviceKind::disk, Usage::exclusive}};
  const ClusterModel model(config, Mutant::none);
  const auto conflicts = lm_conflicts(model.topology(), model.initial_states()[0], 0, 1);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].cause() == "VMS2437,4683");
  CHECK(conflicts[0].value("holder") == "VM13TEST");
  // Shared on both sides is no conflict; exclusive on either side is.
  config.vms[1].devices[0].usage = Usage::shared;
  config.vms[0].devices[0].usage = Usage::shared;
  const ClusterModel shared(config, Mutant::none);
  CHECK(lm_conflicts(shared.topology(), shared.initial_states()[0], 0, 1).empty());
  config.vms[0].devices[0].usage = Usage::exclusive;
  const ClusterModel mine(config, Mutant::none);
  CHECK(rules_in(lm_conflicts(mine.topology(), mine.initial_states()[0], 0, 1)) ==
        std::vector<Rule>{Rule::P11});
}

TEST_CASE("A request to the VM's own SU is one P1 conflict, not P6, P7 or P11 on itself",
          "[cluster][prereq]") {
  const ClusterModel model(load_preset_config("default"), Mutant::none);
  const auto conflicts = lm_conflicts(model.topology(), model.initial_states()[0], 0, 0);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].kind == ConflictKind::p1_same_unit);
}

TEST_CASE("*ANY VMs get their index after the fixed ones, lowest first", "[cluster][prereq]") {
  ClusterSelection selection;
  selection.config_file = std::string(LMC_SOURCE_DIR) + "/examples/plan/order-matters.json";
  selection.limits = ConfigLimits::analysis();
  std::string error;
  const auto config = load_cluster_config(selection, error);
  REQUIRE(config.has_value());
  // VM21ANY comes first in the file, VM22FIX holds index 1: *ANY gets 2.
  CHECK(initial_vm_indexes(*config) == std::vector<int>{2, 1});
}

TEST_CASE("The reservation checks again what an activation on the target took since the request",
          "[cluster][prereq][toctou]") {
  const ClusterModel model(load_preset_config("toctou"), Mutant::none);
  // VM12PROD (3 units, disk 4683) is accepted; then VM21ANY (4 units) is
  // activated on the target, which leaves 2 units: the reservation fails.
  auto memory = run(model, {{Kind::lm_request, 0},
                            {Kind::activate_vm, 2},
                            {Kind::lm_start, 0},
                            {Kind::reserve_target, 0}});
  CHECK(static_cast<Jv>(memory.lm[0].jv) == Jv::aborted_AE);
  CHECK(static_cast<Cause>(memory.lm[0].cause) == Cause::resources);
  CHECK(memory.faults_left == model.config().scope.fault_budget);  // no injected fault
  CHECK(memory.free_memory[1] == 2);
  // VM20DEF (disk 4683 exclusively) is activated instead: memory is enough,
  // the device is not.
  auto device = run(model, {{Kind::lm_request, 0},
                            {Kind::lm_start, 0},
                            {Kind::activate_vm, 1},
                            {Kind::reserve_target, 0}});
  CHECK(static_cast<Cause>(device.lm[0].cause) == Cause::resources);
  CHECK(device.vm[0].target_devices == 0);
}

TEST_CASE("An activation does not take a device or memory another VM holds",
          "[cluster][prereq][toctou]") {
  const ClusterModel model(load_preset_config("toctou"), Mutant::none);
  // VM20DEF moves to ABGSU701, where VM12PROD holds disk 4683: no activation.
  const auto moved = run(model, {{Kind::migrate_definition, 1}});
  CHECK_FALSE(model.next_state(moved, {Kind::activate_vm, 1, 0}).has_value());
  // After VM12PROD's LM, VM20DEF on ABGSU702 cannot have 4683 either.
  auto after = run(model, {{Kind::lm_request, 0},
                           {Kind::lm_start, 0},
                           {Kind::reserve_target, 0},
                           {Kind::copy_round, 0},
                           {Kind::stop_io, 0},
                           {Kind::final_copy, 0},
                           {Kind::suspend, 0},
                           {Kind::hand_over, 0},
                           {Kind::resume, 0},
                           {Kind::cleanup, 0}});
  REQUIRE(after.vm[0].owner == 1);
  CHECK_FALSE(model.next_state(after, {Kind::activate_vm, 1, 0}).has_value());
  // A request made after VM20DEF took 4683 on the target is rejected with VMS2437.
  const auto taken = run(model, {{Kind::activate_vm, 1}});
  const auto conflicts = lm_conflicts(model.topology(), taken, 0, 1);
  REQUIRE(rules_in(conflicts) == std::vector<Rule>{Rule::P11});
  CHECK(conflicts[0].value("holder") == "VM20DEF");
}

TEST_CASE("Devices an LM detached stay the VM's on its source until the LM ends",
          "[cluster][prereq][toctou]") {
  // Found by replaying generated witnesses on the reference implementation:
  // a tape detached at the setup was free for an activation on the source,
  // and the rollback attached it again to a second holder (I6).
  auto config = load_preset_config("two-vms");
  config.vms[1].state = VmState::defined_only;  // VM13TEST, also on ABGSU701
  config.vms[1].devices = {{"0C10", DeviceKind::disk, Usage::exclusive}};
  config.scope.definition_commands = true;
  const ClusterModel model(config, Mutant::none);
  const auto started = run(model, {{Kind::lm_request, 0}, {Kind::lm_start, 0}});
  REQUIRE((started.lm[0].detached & 0b010) != 0);  // tape 0C10 detached from VM12PROD
  CHECK_FALSE(model.next_state(started, {Kind::activate_vm, 1, 0}).has_value());
}
