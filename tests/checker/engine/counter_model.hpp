#pragma once
// A tiny model for engine tests: a counter from 0 that either increments up
// to `limit` or resets; an optional fault makes its successor function
// nondeterministic, to prove that replay notices.

#include <optional>
#include <string>
#include <vector>

#include "checker/engine/model_concept.hpp"
#include "checker/engine/hash.hpp"

namespace lmc::testing {

struct CounterModel {
  struct State {
    std::uint32_t value = 0;
    bool operator==(const State&) const = default;
  };
  struct Action {
    bool reset;
  };

  std::uint32_t limit = 10;
  std::uint32_t forbidden = 1000;  ///< `always` below this
  /// Counts calls of next_state. With `flaky_after` set, calls after that
  /// many increment by 2 instead of 1, as a model with hidden state might:
  /// the search sees one successor, the replay of the trace another.
  mutable int calls = 0;
  int flaky_after = 0;

  std::string name() const { return "counter"; }
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const {
    out.push_back({false});
    out.push_back({true});
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    ++calls;
    if (a.reset) return s.value == 0 ? std::nullopt : std::optional<State>(State{0});
    if (s.value >= limit) return std::nullopt;
    const std::uint32_t step = (flaky_after > 0 && calls > flaky_after) ? 2 : 1;
    return State{s.value + step};
  }
  bool is_terminal(const State&) const { return false; }
  std::uint64_t hash(const State& s) const { return hash_object(s); }
  std::vector<std::string> action_kinds() const { return {"increment", "reset"}; }
  std::size_t action_kind(const Action& a) const { return a.reset ? 1 : 0; }
  std::string format_action(const State&, const Action& a) const {
    return a.reset ? "reset" : "increment";
  }
  std::vector<Variable> describe(const State& s) const {
    return {{"value", std::to_string(s.value)}, {"constant", "x"}};
  }
  std::vector<Property<State>> properties() const {
    const auto bad = forbidden;
    return {Property<State>::always("below_forbidden", "T1",
                                    [bad](const State& s) { return s.value < bad; })};
  }
};

static_assert(Model<CounterModel>);

}  // namespace lmc::testing
