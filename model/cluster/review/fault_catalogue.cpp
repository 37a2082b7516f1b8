#include "model/cluster/review/fault_catalogue.hpp"

#include <fmt/core.h>

#include <type_traits>

#include "checker/engine/check.hpp"

namespace lmc::review {
namespace {

constexpr std::uint8_t kUntagged = 0xFF;

/// The WP §4.4 phase of an LM under way, or -1 when none is.
int lm_phase_of(const cluster::Lm& lm) {
  using cluster::Phase;
  switch (static_cast<Phase>(lm.phase)) {
    case Phase::accepted:
    case Phase::setup:
      return 0;
    case Phase::memcopy:
    case Phase::io_stopped:
    case Phase::final_copied:
      return 1;
    case Phase::suspended:
    case Phase::handed_over:
      return 2;
    case Phase::committed:
      return 3;
    default:
      return -1;
  }
}

/// The cluster model with a ghost tag on its states: the first fault
/// injected while an LM was under way, its phase and the LM's VM. Actions,
/// their order and their effects are the cluster model's, so a path of this
/// model is a path of the cluster model with the same action indexes.
class TaggedModel {
 public:
  struct State {
    cluster::State inner;
    std::uint8_t fault = kUntagged;
    std::uint8_t phase = 0;
    std::uint8_t vm = 0;
    std::uint8_t more_faults = 0;  ///< 1 once a fault followed the tagged one
    bool operator==(const State&) const = default;
  };
  using Action = cluster::Action;

  explicit TaggedModel(const cluster::ClusterModel& model) : model_(model) {}

  std::string name() const { return "cluster-review"; }
  std::vector<State> initial_states() const {
    std::vector<State> out;
    for (const auto& s : model_.initial_states()) out.push_back({s});
    return out;
  }
  void actions(const State& s, std::vector<Action>& out) const { model_.actions(s.inner, out); }
  bool successor(const State& s, const Action& a, State& next) const {
    if (!model_.successor(s.inner, a, next.inner)) return false;
    next.fault = s.fault;
    next.phase = s.phase;
    next.vm = s.vm;
    next.more_faults = s.more_faults;
    if (cluster::is_fault(a.kind)) {
      if (s.fault == kUntagged) {
        tag(s, a, next);
      } else {
        next.more_faults = 1;
      }
    }
    return true;
  }
  std::uint64_t hash(const State& s) const {
    const std::uint64_t tag = std::uint64_t{s.more_faults} << 24 | std::uint64_t{s.fault} << 16 |
                              std::uint64_t{s.phase} << 8 | s.vm;
    return model_.hash(s.inner) ^ (tag + 1) * 0x9E3779B97F4A7C15ull;
  }
  bool is_terminal(const State& s) const { return model_.is_terminal(s.inner); }
  std::vector<std::string> action_kinds() const { return model_.action_kinds(); }
  std::size_t action_kind(const Action& a) const { return model_.action_kind(a); }
  std::string format_action(const State& s, const Action& a) const {
    return model_.format_action(s.inner, a);
  }
  std::vector<Variable> describe(const State& s) const { return model_.describe(s.inner); }
  std::vector<Property<State>> properties() const;

 private:
  /// The first LM under way when the fault came, by VM order.
  void tag(const State& before, const Action& a, State& next) const {
    for (int v = 0; v < static_cast<int>(before.inner.lm.size()); ++v) {
      const int phase = lm_phase_of(before.inner.lm[v]);
      if (phase < 0) continue;
      next.fault = static_cast<std::uint8_t>(a.kind);
      next.phase = static_cast<std::uint8_t>(phase);
      next.vm = static_cast<std::uint8_t>(v);
      return;
    }
  }

  const cluster::ClusterModel& model_;
};
static_assert(std::has_unique_object_representations_v<TaggedModel::State>);
// outcome_of numbers the aborts by cause, network first.
static_assert(static_cast<int>(cluster::Cause::network) == 1 &&
              static_cast<int>(cluster::Cause::source_lost) == 6);

/// Which outcome the tagged LM shows in `s`, or -1 for none yet.
int outcome_of(const cluster::ClusterModel& model, const TaggedModel::State& s) {
  if (s.fault == kUntagged) return -1;
  const auto& lm = s.inner.lm[s.vm];
  if (lm.phase == static_cast<std::uint8_t>(cluster::Phase::done)) {
    switch (static_cast<cluster::Jv>(lm.jv)) {
      case cluster::Jv::aborted_AE:
        return lm.cause >= 1 && lm.cause <= 6 ? lm.cause - 1 : -1;
      case cluster::Jv::ended_T:
        return 6;
      case cluster::Jv::ended_warning_TW:
        return 7;
      default:
        return -1;
    }
  }
  if (lm_phase_of(lm) < 0) return -1;
  // Blocked: under way, and every enabled action is a further fault.
  thread_local std::vector<cluster::Action> actions;
  actions.clear();
  model.actions(s.inner, actions);
  thread_local cluster::State next;
  for (const auto& a : actions) {
    if (!cluster::is_fault(a.kind) && model.successor(s.inner, a, next)) return -1;
  }
  return 8;
}

std::string goal_name(int fault, int phase, int outcome, int more) {
  return fmt::format("{}@{}:{}+{}", fault, phase, outcome, more);
}

std::vector<Property<TaggedModel::State>> TaggedModel::properties() const {
  std::vector<Property<State>> props;
  for (int f = 0; f < kFaultKinds; ++f) {
    for (int p = 0; p < kLmPhases; ++p) {
      for (int o = 0; o < kOutcomes; ++o) {
        for (int more = 0; more <= 1; ++more) {
          props.push_back(Property<State>::sometimes(
              goal_name(f, p, o, more), "", [this, f, p, o, more](const State& s) {
                return s.fault == f && s.phase == p && s.more_faults == more &&
                       outcome_of(model_, s) == o;
              }));
        }
      }
    }
  }
  return props;
}

}  // namespace

const std::array<const char*, kLmPhases>& lm_phase_names() {
  static const std::array<const char*, kLmPhases> names = {"setup", "memory copy", "switchover",
                                                           "cleanup"};
  return names;
}

const std::array<const char*, kOutcomes>& outcome_names() {
  // The order of cluster::Cause from network on, then the ends.
  static const std::array<const char*, kOutcomes> names = {"aborted: the network broke",
                                                           "aborted: the target SU was lost",
                                                           "aborted: no resources on the target",
                                                           "aborted: memory did not converge",
                                                           "aborted: resume on the target failed",
                                                           "aborted: the source SU was lost",
                                                           "completed",
                                                           "completed with warning",
                                                           "blocked"};
  return names;
}

const std::array<const char*, kOutcomes>& outcome_statuses() {
  static const std::array<const char*, kOutcomes> names = {"$AE", "$AE", "$AE", "$AE", "$AE",
                                                           "$AE", "$T",  "$TW", "-"};
  return names;
}

const std::array<const char*, kOutcomes>& outcome_codes() {
  static const std::array<const char*, kOutcomes> names = {
      "AE:net", "AE:target", "AE:res", "AE:conv", "AE:resume", "AE:source", "T", "TW", "blocked"};
  return names;
}

bool CatalogueCell::any() const {
  for (int o = 0; o < kOutcomes; ++o) {
    if (witnesses[o] || with_more_faults[o]) return true;
  }
  return false;
}

const CatalogueCell& Catalogue::cell(int fault, int phase) const {
  return cells.at(static_cast<std::size_t>(fault * kLmPhases + phase));
}

Catalogue build_catalogue(const cluster::ClusterModel& model, const SearchOptions& options,
                          const TraceFile& trace_source) {
  const TaggedModel tagged(model);
  auto search = options;
  search.check_liveness = false;
  search.check_deadlock = false;
  const auto result = check(tagged, search);
  Catalogue out;
  const auto kinds = model.action_kinds();
  out.fault_kinds.assign(kinds.begin(), kinds.begin() + kFaultKinds);
  out.states = result.stats.states;
  out.seconds = result.stats.seconds;
  out.complete = result.stop_reason.empty();
  for (int f = 0; f < kFaultKinds; ++f) {
    for (int p = 0; p < kLmPhases; ++p) {
      CatalogueCell cell;
      cell.fault = f;
      cell.phase = p;
      cell.enabled = model.action_kind_enabled(static_cast<std::size_t>(f));
      out.cells.push_back(std::move(cell));
    }
  }
  for (const auto& property : result.properties) {
    if (property.status != PropertyStatus::reached || !property.trace) continue;
    int f = 0, p = 0, o = 0, more = 0;
    if (std::sscanf(property.name.c_str(), "%d@%d:%d+%d", &f, &p, &o, &more) != 4) continue;
    TraceFile file = trace_source;
    file.kind = TraceKind::witness;
    file.property = fmt::format("{} during {}: {}{}", kinds[f], lm_phase_names()[p],
                                outcome_names()[o], more ? " after a further fault" : "");
    file.steps = steps_of_trace(model, *property.trace);
    auto& cell = out.cells[f * kLmPhases + p];
    (more ? cell.with_more_faults : cell.witnesses)[o] = std::move(file);
  }
  for (auto& cell : out.cells) {
    for (int o = 0; o < kOutcomes; ++o) {
      if (cell.witnesses[o]) cell.with_more_faults[o].reset();  // the fault alone suffices
    }
  }
  return out;
}

}  // namespace lmc::review
