#include "model/classic/peterson.hpp"

#include <fmt/core.h>

#include "checker/engine/hash.hpp"

namespace lmc::classic {
namespace {

constexpr std::array<const char*, 5> kPcNames = {"idle", "set_level", "set_victim", "wait",
                                                 "critical"};

}  // namespace

std::vector<ParameterInfo> Peterson::parameters() {
  return {{"n", 2, 2, kMaxProcesses, "number of processes"},
          {"swap", 0, 0, 1, "1: make itself victim before announcing its level (a known bug)"}};
}

Peterson::Peterson(int processes, bool swap_writes) : n_(processes), swap_(swap_writes) {}

std::string Peterson::name() const {
  return fmt::format("peterson(n={}{})", n_, swap_ ? ", swap" : "");
}

void Peterson::actions(const State& state, std::vector<Action>& out) const {
  for (int p = 0; p < n_; ++p) out.push_back({static_cast<std::uint8_t>(p), state.pc[p]});
}

bool Peterson::may_enter_next_level(const State& state, int process) const {
  const auto at = state.climbing[process];
  if (state.victim[at] != process) return true;
  for (int other = 0; other < n_; ++other) {
    if (other != process && state.level[other] >= at) return false;
  }
  return true;
}

std::optional<Peterson::State> Peterson::next_state(const State& state,
                                                    const Action& action) const {
  State next = state;
  const int p = action.process;
  auto& pc = next.pc[p];
  auto& climbing = next.climbing[p];
  const auto me = static_cast<std::uint8_t>(p);
  switch (state.pc[p]) {
    case idle:
      climbing = 1;
      pc = swap_ ? set_victim : set_level;
      break;
    case set_level:
      next.level[p] = climbing;
      pc = swap_ ? wait : set_victim;
      break;
    case set_victim:
      next.victim[climbing] = me;
      pc = swap_ ? set_level : wait;
      break;
    case wait:
      if (!may_enter_next_level(state, p)) return std::nullopt;
      if (climbing + 1 == n_) {
        pc = critical;
      } else {
        ++climbing;
        pc = swap_ ? set_victim : set_level;
      }
      break;
    case critical:
      pc = idle;
      climbing = 0;
      next.level[p] = 0;
      break;
  }
  return next;
}

std::uint64_t Peterson::hash(const State& state) const {
  return hash_object(state);
}

std::vector<std::string> Peterson::action_kinds() const {
  return {"start", "announce_level", "become_victim", "pass_level", "exit_critical"};
}

std::size_t Peterson::action_kind(const Action& action) const {
  return action.step;
}

std::string Peterson::format_action(const State&, const Action& action) const {
  return fmt::format("process {}: {}", action.process, action_kinds()[action.step]);
}

std::vector<Variable> Peterson::describe(const State& state) const {
  std::vector<Variable> vars;
  for (int p = 0; p < n_; ++p) {
    vars.push_back({fmt::format("pc[{}]", p), kPcNames[state.pc[p]]});
    vars.push_back({fmt::format("level[{}]", p), std::to_string(state.level[p])});
  }
  for (int l = 1; l < n_; ++l) {
    vars.push_back({fmt::format("victim[{}]", l), std::to_string(state.victim[l])});
  }
  return vars;
}

}  // namespace lmc::classic

namespace lmc::classic {

std::vector<Property<Peterson::State>> Peterson::properties() const {
  const int n = n_;
  auto in_critical = [n](const State& s) {
    int count = 0;
    for (int p = 0; p < n; ++p) count += s.pc[p] == critical;
    return count;
  };
  std::vector<Property<State>> props;
  props.push_back(Property<State>::always(
      "mutual_exclusion", "", [in_critical](const State& s) { return in_critical(s) <= 1; }));
  props.push_back(Property<State>::sometimes(
      "someone_enters", "", [in_critical](const State& s) { return in_critical(s) == 1; }));
  props.push_back(Property<State>::liveness(
      "process0_can_enter", "", [](const State& s) { return s.pc[0] != idle; },
      [](const State& s) { return s.pc[0] == critical; }));
  return props;
}

}  // namespace lmc::classic
