#pragma once
// Peterson's mutual exclusion for n processes, as the filter lock: a process
// climbs levels 1..n-1; at each it announces its level, makes itself the
// level's victim, and waits while it is the victim and another process is at
// that level or higher. For n = 2 this is Peterson's original algorithm.
// Known answers: mutual exclusion holds and no process can starve; with the
// two writes swapped (`swap = 1`) mutual exclusion is violated.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/property.hpp"

namespace lmc::classic {

class Peterson {
 public:
  static constexpr int kMaxProcesses = 6;
  enum Pc : std::uint8_t { idle, set_level, set_victim, wait, critical };

  struct State {
    std::array<std::uint8_t, kMaxProcesses> pc{};
    std::array<std::uint8_t, kMaxProcesses> climbing{};  ///< level being climbed
    std::array<std::uint8_t, kMaxProcesses> level{};     ///< announced level
    std::array<std::uint8_t, kMaxProcesses> victim{};    ///< per level
    bool operator==(const State&) const = default;
  };
  /// A process takes its next step; `step` is the pc it steps from.
  struct Action {
    std::uint8_t process;
    std::uint8_t step;
  };

  static std::vector<ParameterInfo> parameters();
  Peterson(int processes, bool swap_writes);

  std::string name() const;
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State& state, std::vector<Action>& out) const;
  std::optional<State> next_state(const State& state, const Action& action) const;
  bool is_terminal(const State&) const { return false; }
  std::uint64_t hash(const State& state) const;
  std::vector<std::string> action_kinds() const;
  std::size_t action_kind(const Action& action) const;
  std::string format_action(const State& state, const Action& action) const;
  std::vector<Variable> describe(const State& state) const;
  std::vector<Property<State>> properties() const;

 private:
  bool may_enter_next_level(const State& state, int process) const;

  int n_;
  bool swap_;
};

}  // namespace lmc::classic
