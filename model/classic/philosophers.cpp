#include "model/classic/philosophers.hpp"

#include <fmt/core.h>

#include "checker/engine/hash.hpp"

namespace lmc::classic {

std::vector<ParameterInfo> Philosophers::parameters() {
  return {{"n", 5, 2, kMaxPhilosophers, "number of philosophers"},
          {"fixed", 0, 0, 1, "1: the last philosopher takes the right fork first (no deadlock)"}};
}

Philosophers::Philosophers(int philosophers, bool fixed) : n_(philosophers), fixed_(fixed) {}

std::string Philosophers::name() const {
  return fmt::format("philosophers(n={}{})", n_, fixed_ ? ", fixed" : "");
}

int Philosophers::first_fork(int p) const {
  const bool right_first = fixed_ && p == n_ - 1;
  return right_first ? (p + 1) % n_ : p;
}

int Philosophers::second_fork(int p) const {
  const bool right_first = fixed_ && p == n_ - 1;
  return right_first ? p : (p + 1) % n_;
}

void Philosophers::actions(const State& state, std::vector<Action>& out) const {
  for (int p = 0; p < n_; ++p) out.push_back({static_cast<std::uint8_t>(p), state.phase[p]});
}

std::optional<Philosophers::State> Philosophers::next_state(const State& state,
                                                            const Action& action) const {
  State next = state;
  const int p = action.philosopher;
  const auto holder = static_cast<std::uint8_t>(p + 1);
  switch (state.phase[p]) {
    case thinking:
      if (state.fork[first_fork(p)] != 0) return std::nullopt;
      next.fork[first_fork(p)] = holder;
      next.phase[p] = one_fork;
      break;
    case one_fork:
      if (state.fork[second_fork(p)] != 0) return std::nullopt;
      next.fork[second_fork(p)] = holder;
      next.phase[p] = eating;
      break;
    case eating:
      next.fork[first_fork(p)] = 0;
      next.fork[second_fork(p)] = 0;
      next.phase[p] = thinking;
      break;
  }
  return next;
}

std::uint64_t Philosophers::hash(const State& state) const {
  return hash_object(state);
}

std::vector<std::string> Philosophers::action_kinds() const {
  return {"take_first_fork", "take_second_fork", "put_forks_down"};
}

std::string Philosophers::format_action(const State&, const Action& action) const {
  return fmt::format("philosopher {}: {}", action.philosopher, action_kinds()[action.step]);
}

std::vector<Variable> Philosophers::describe(const State& state) const {
  constexpr std::array<const char*, 3> kPhaseNames = {"thinking", "one_fork", "eating"};
  std::vector<Variable> vars;
  for (int p = 0; p < n_; ++p) {
    vars.push_back({fmt::format("philosopher[{}]", p), kPhaseNames[state.phase[p]]});
  }
  for (int f = 0; f < n_; ++f) {
    const auto holder = state.fork[f];
    vars.push_back({fmt::format("fork[{}]", f),
                    holder == 0 ? "table" : fmt::format("philosopher {}", holder - 1)});
  }
  return vars;
}

std::vector<Property<Philosophers::State>> Philosophers::properties() const {
  const int n = n_;
  std::vector<Property<State>> props;
  props.push_back(Property<State>::always("neighbours_never_both_eat", "", [n](const State& s) {
    for (int p = 0; p < n; ++p) {
      if (s.phase[p] == eating && s.phase[(p + 1) % n] == eating) return false;
    }
    return true;
  }));
  props.push_back(Property<State>::sometimes("philosopher0_eats", "",
                                             [](const State& s) { return s.phase[0] == eating; }));
  props.push_back(Property<State>::liveness(
      "hungry_philosopher0_can_eat", "", [](const State& s) { return s.phase[0] == one_fork; },
      [](const State& s) { return s.phase[0] == eating; }));
  return props;
}

}  // namespace lmc::classic
