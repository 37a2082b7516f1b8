#pragma once
// Dining philosophers: n philosophers around a table, one fork between each
// pair. A hungry philosopher takes a first fork, then a second, eats, and
// puts both down. Known answers: when everyone takes the left fork first the
// table deadlocks, shortest after n steps (every philosopher holding one
// fork); when the last philosopher takes the right fork first (`fixed = 1`)
// there is no deadlock.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/property.hpp"

namespace lmc::classic {

class Philosophers {
 public:
  static constexpr int kMaxPhilosophers = 16;
  enum Phase : std::uint8_t { thinking, one_fork, eating };

  struct State {
    std::array<std::uint8_t, kMaxPhilosophers> phase{};
    /// Holder of each fork plus one; 0 when it lies on the table.
    std::array<std::uint8_t, kMaxPhilosophers> fork{};
    bool operator==(const State&) const = default;
  };
  struct Action {
    std::uint8_t philosopher;
    std::uint8_t step;  ///< the phase it steps from
  };

  static std::vector<ParameterInfo> parameters();
  Philosophers(int philosophers, bool fixed);

  std::string name() const;
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State& state, std::vector<Action>& out) const;
  std::optional<State> next_state(const State& state, const Action& action) const;
  bool is_terminal(const State&) const { return false; }
  std::uint64_t hash(const State& state) const;
  std::vector<std::string> action_kinds() const;
  std::size_t action_kind(const Action& action) const { return action.step; }
  std::string format_action(const State& state, const Action& action) const;
  std::vector<Variable> describe(const State& state) const;
  std::vector<Property<State>> properties() const;

 private:
  int first_fork(int philosopher) const;
  int second_fork(int philosopher) const;

  int n_;
  bool fixed_;
};

}  // namespace lmc::classic
