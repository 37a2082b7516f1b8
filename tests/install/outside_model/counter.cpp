// The smallest model: three members. A counter that stops at 5, which the
// engine reports as a deadlock after five steps (unless --no-deadlock).
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/engine/search_cli.hpp"

struct Counter {
  struct State {
    std::uint8_t value = 0;
    bool operator==(const State&) const = default;
  };
  struct Action {};
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const { out.push_back({}); }
  std::optional<State> next_state(const State& s, const Action&) const {
    if (s.value == 5) return std::nullopt;
    return State{static_cast<std::uint8_t>(s.value + 1)};
  }
};

int main(int argc, char** argv) {
  return lmc::run_cli(Counter{}, argc, argv);
}
