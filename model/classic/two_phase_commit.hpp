#pragma once
// Two-phase commit with n resource managers and one transaction manager,
// following the structure of Lamport's TwoPhase specification: messages are a
// set that only grows, and every action of that spec is here, stuttering
// steps included. Known answer: 288 reachable states for 3 resource managers,
// and the managers never disagree (some committed, some aborted). With
// `bug = 1` the transaction manager commits without waiting for every
// "prepared" message, which breaks that agreement.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/property.hpp"

namespace lmc::classic {

class TwoPhaseCommit {
 public:
  static constexpr int kMaxManagers = 8;
  enum RmState : std::uint8_t { working, prepared, committed, aborted };
  enum TmState : std::uint8_t { init, tm_committed, tm_aborted };
  enum Kind : std::uint8_t {
    tm_receive_prepared,
    tm_commit,
    tm_abort,
    rm_prepare,
    rm_choose_to_abort,
    rm_receive_commit,
    rm_receive_abort,
    kind_count
  };

  struct State {
    std::array<std::uint8_t, kMaxManagers> rm{};
    std::uint8_t tm = init;
    std::uint8_t tm_prepared = 0;    ///< bit r: TM has r's "prepared"
    std::uint8_t sent_prepared = 0;  ///< bit r: "prepared" from r was sent
    std::uint8_t sent_decision = 0;  ///< bit 0: "commit" sent, bit 1: "abort" sent
    bool operator==(const State&) const = default;
  };
  struct Action {
    Kind kind;
    std::uint8_t rm;
  };

  static std::vector<ParameterInfo> parameters();
  TwoPhaseCommit(int managers, bool bug);

  std::string name() const;
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State& state, std::vector<Action>& out) const;
  std::optional<State> next_state(const State& state, const Action& action) const;
  bool is_terminal(const State&) const { return false; }
  std::uint64_t hash(const State& state) const;
  std::vector<std::string> action_kinds() const;
  std::size_t action_kind(const Action& action) const { return action.kind; }
  std::string format_action(const State& state, const Action& action) const;
  std::vector<Variable> describe(const State& state) const;
  std::vector<Property<State>> properties() const;

 private:
  std::optional<State> tm_step(const State& state, Kind kind, int rm) const;
  std::optional<State> rm_step(const State& state, Kind kind, int rm) const;

  int n_;
  bool bug_;
};

}  // namespace lmc::classic
