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
