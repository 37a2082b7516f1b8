#include "model/classic/two_phase_commit.hpp"

#include <fmt/core.h>

#include "checker/engine/hash.hpp"

namespace lmc::classic {
namespace {

constexpr std::uint8_t kCommitSent = 1;
constexpr std::uint8_t kAbortSent = 2;

}  // namespace

std::vector<ParameterInfo> TwoPhaseCommit::parameters() {
  return {{"n", 3, 1, kMaxManagers, "number of resource managers"},
          {"bug", 0, 0, 1, "1: commit without every manager's prepared message"}};
}

TwoPhaseCommit::TwoPhaseCommit(int managers, bool bug) : n_(managers), bug_(bug) {}

std::string TwoPhaseCommit::name() const {
  return fmt::format("two_phase_commit(n={}{})", n_, bug_ ? ", bug" : "");
}

void TwoPhaseCommit::actions(const State&, std::vector<Action>& out) const {
  out.push_back({tm_commit, 0});
  out.push_back({tm_abort, 0});
  for (int r = 0; r < n_; ++r) {
    const auto rm = static_cast<std::uint8_t>(r);
    for (Kind kind : {tm_receive_prepared, rm_prepare, rm_choose_to_abort, rm_receive_commit,
                      rm_receive_abort}) {
      out.push_back({kind, rm});
    }
  }
}

std::optional<TwoPhaseCommit::State> TwoPhaseCommit::next_state(const State& state,
                                                                const Action& action) const {
  if (action.kind <= tm_abort) return tm_step(state, action.kind, action.rm);
  return rm_step(state, action.kind, action.rm);
}

std::optional<TwoPhaseCommit::State> TwoPhaseCommit::tm_step(const State& state, Kind kind,
                                                             int rm) const {
  if (state.tm != init) return std::nullopt;
  State next = state;
  const auto all = static_cast<std::uint8_t>((1u << n_) - 1);
  switch (kind) {
    case tm_receive_prepared:
      if (!(state.sent_prepared & (1u << rm))) return std::nullopt;
      next.tm_prepared |= static_cast<std::uint8_t>(1u << rm);
      return next;
    case tm_commit:
      if (!bug_ && state.tm_prepared != all) return std::nullopt;
      next.tm = tm_committed;
      next.sent_decision |= kCommitSent;
      return next;
    default:
      next.tm = tm_aborted;
      next.sent_decision |= kAbortSent;
      return next;
  }
}

std::optional<TwoPhaseCommit::State> TwoPhaseCommit::rm_step(const State& state, Kind kind,
                                                             int rm) const {
  State next = state;
  switch (kind) {
    case rm_prepare:
      if (state.rm[rm] != working) return std::nullopt;
      next.rm[rm] = prepared;
      next.sent_prepared |= static_cast<std::uint8_t>(1u << rm);
      return next;
    case rm_choose_to_abort:
      if (state.rm[rm] != working) return std::nullopt;
      next.rm[rm] = aborted;
      return next;
    case rm_receive_commit:
      if (!(state.sent_decision & kCommitSent)) return std::nullopt;
      next.rm[rm] = committed;
      return next;
    default:
      if (!(state.sent_decision & kAbortSent)) return std::nullopt;
      next.rm[rm] = aborted;
      return next;
  }
}

std::uint64_t TwoPhaseCommit::hash(const State& state) const {
  return hash_object(state);
}

std::vector<std::string> TwoPhaseCommit::action_kinds() const {
  return {"tm_receive_prepared", "tm_commit",         "tm_abort",        "rm_prepare",
          "rm_choose_to_abort",  "rm_receive_commit", "rm_receive_abort"};
}

std::string TwoPhaseCommit::format_action(const State&, const Action& action) const {
  if (action.kind == tm_commit || action.kind == tm_abort) return action_kinds()[action.kind];
  return fmt::format("{}(rm{})", action_kinds()[action.kind], action.rm);
}

std::vector<Variable> TwoPhaseCommit::describe(const State& state) const {
  constexpr std::array<const char*, 4> kRmNames = {"working", "prepared", "committed", "aborted"};
  constexpr std::array<const char*, 3> kTmNames = {"init", "committed", "aborted"};
  std::vector<Variable> vars;
  for (int r = 0; r < n_; ++r) vars.push_back({fmt::format("rm[{}]", r), kRmNames[state.rm[r]]});
  vars.push_back({"tm", kTmNames[state.tm]});
  auto bits = [this](std::uint8_t mask) {
    std::string text = "{";
    for (int r = 0; r < n_; ++r) {
      if (mask & (1u << r)) text += fmt::format("{}rm{}", text.size() > 1 ? "," : "", r);
    }
    return text + "}";
  };
  vars.push_back({"tm_prepared", bits(state.tm_prepared)});
  vars.push_back({"msgs.prepared", bits(state.sent_prepared)});
  vars.push_back({"msgs.commit", (state.sent_decision & kCommitSent) ? "sent" : "-"});
  vars.push_back({"msgs.abort", (state.sent_decision & kAbortSent) ? "sent" : "-"});
  return vars;
}

std::vector<Property<TwoPhaseCommit::State>> TwoPhaseCommit::properties() const {
  const int n = n_;
  auto count = [n](const State& s, RmState which) {
    int c = 0;
    for (int r = 0; r < n; ++r) c += s.rm[r] == which;
    return c;
  };
  std::vector<Property<State>> props;
  props.push_back(Property<State>::always("managers_agree", "", [count](const State& s) {
    return count(s, committed) == 0 || count(s, aborted) == 0;
  }));
  props.push_back(Property<State>::sometimes(
      "all_commit", "", [count, n](const State& s) { return count(s, committed) == n; }));
  props.push_back(Property<State>::liveness(
      "decision_stays_reachable", "", [](const State&) { return true; },
      [count, n](const State& s) { return count(s, committed) == n || count(s, aborted) == n; }));
  return props;
}

}  // namespace lmc::classic
