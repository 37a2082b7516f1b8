#include "model/cluster/traces/trace_validation.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_set>

namespace lmc {
namespace {

using cluster::Kind;

/// The set of model states consistent with the events so far, in the order
/// they were found (so messages do not depend on hashing).
class StateSet {
 public:
  explicit StateSet(const cluster::ClusterModel& model)
      : seen_(64, Hash{&model}, std::equal_to<cluster::State>()) {}

  /// False when the state was in the set already.
  bool insert(const cluster::State& state) {
    if (!seen_.insert(state).second) return false;
    order_.push_back(state);
    return true;
  }
  const std::vector<cluster::State>& states() const { return order_; }
  std::size_t size() const { return order_.size(); }
  bool empty() const { return order_.empty(); }

 private:
  struct Hash {
    const cluster::ClusterModel* model;
    std::size_t operator()(const cluster::State& s) const { return model->hash(s); }
  };
  std::unordered_set<cluster::State, Hash> seen_;
  std::vector<cluster::State> order_;
};

/// Adds every state reachable from the set by at most `depth` unobserved
/// actions. False when the set grew beyond `limit`.
bool close_under_unobserved(const cluster::ClusterModel& model, StateSet& set, int depth,
                            std::size_t limit) {
  std::vector<cluster::State> frontier = set.states();
  std::vector<cluster::Action> actions;
  for (int level = 0; level < depth && !frontier.empty(); ++level) {
    std::vector<cluster::State> next_frontier;
    for (const auto& state : frontier) {
      actions.clear();
      model.actions(state, actions);
      for (const auto& action : actions) {
        if (!is_unobserved(action.kind)) continue;
        auto next = model.next_state(state, action);
        if (next && set.insert(*next)) next_frontier.push_back(std::move(*next));
        if (set.size() > limit) return false;
      }
    }
    frontier = std::move(next_frontier);
  }
  return true;
}

int kind_index(const std::vector<std::string>& kinds, const std::string& name) {
  const auto found = std::find(kinds.begin(), kinds.end(), name);
  return found == kinds.end() ? -1 : static_cast<int>(found - kinds.begin());
}

std::string fault_json_name(Kind kind) {
  switch (kind) {
    case Kind::mu_crash:
      return "mu_crash";
    case Kind::su_crash:
      return "su_crash";
    case Kind::isl_down:
      return "isl_down";
    case Kind::disk_fail:
      return "disk_failure";
    case Kind::reserve_fails:
      return "allocation_failure";
    case Kind::resume_fails:
      return "resume_failure";
    default:
      return "";
  }
}

std::optional<cluster::FaultKind> fault_of(Kind kind) {
  switch (kind) {
    case Kind::mu_crash:
      return cluster::FaultKind::mu_crash;
    case Kind::su_crash:
      return cluster::FaultKind::su_crash;
    case Kind::isl_down:
      return cluster::FaultKind::isl_down;
    case Kind::disk_fail:
      return cluster::FaultKind::disk_failure;
    case Kind::reserve_fails:
      return cluster::FaultKind::allocation_failure;
    case Kind::resume_fails:
      return cluster::FaultKind::resume_failure;
    default:
      return std::nullopt;
  }
}

}  // namespace

bool is_unobserved(Kind kind) {
  switch (kind) {
    case Kind::guest_write:
    case Kind::cm_observe:
    case Kind::cm_takeover:
    case Kind::cm_lease_expire:
    case Kind::liveness_timeout:
    case Kind::liveness_renew:
    case Kind::disk_resync:
    case Kind::mu_restart:
    case Kind::su_restart:
    case Kind::isl_repair:
    case Kind::disk_repair:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> unobserved_kind_names(const cluster::ClusterModel& model) {
  std::vector<std::string> names;
  const auto kinds = model.action_kinds();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    if (is_unobserved(static_cast<Kind>(k))) names.push_back(kinds[k]);
  }
  return names;
}

std::vector<std::string> widen_scope_for(cluster::Config& config, const TraceFile& trace) {
  // The kind names without a model: a model of this configuration names them.
  const auto kinds = cluster::ClusterModel(config, cluster::Mutant::none).action_kinds();
  auto& scope = config.scope;
  std::vector<std::string> notes;
  // Per LM: its copy rounds, and whether it ended for non-convergence.
  int most_rounds = 0;
  bool nonconvergence_after_fewer = false;
  int nonconvergence_rounds = 0;
  int requests = 0;
  int faults = 0;
  std::map<int, int> rounds;  // per VM, since its last request
  std::vector<std::string> vms_requested;
  std::array<bool, cluster::kFaultKinds> fault_used{};
  for (const auto& step : trace.steps) {
    const int k = kind_index(kinds, step.kind);
    if (k < 0) continue;  // trace_actions reports it
    const auto kind = static_cast<Kind>(k);
    if (kind == Kind::lm_request) {
      ++requests;
      rounds[step.unit] = 0;
      if (step.unit < static_cast<int>(config.vms.size())) {
        vms_requested.push_back(config.vms[step.unit].name);
      }
    } else if (kind == Kind::copy_round) {
      most_rounds = std::max(most_rounds, ++rounds[step.unit]);
    } else if (kind == Kind::abort_nonconvergence) {
      const int r = rounds[step.unit];
      nonconvergence_rounds = std::max(nonconvergence_rounds, r);
      if (r < scope.max_copy_rounds) nonconvergence_after_fewer = true;
    }
    if (const auto fault = fault_of(kind)) {
      ++faults;
      fault_used[static_cast<std::size_t>(*fault)] = true;
    }
  }
  if (nonconvergence_after_fewer) {
    // The model gives up after exactly max_copy_rounds rounds; the real
    // policy decided earlier, from the measured rates.
    notes.push_back(fmt::format(
        "the recording aborts for non-convergence after {} copy round(s); validating with "
        "scope.max_copy_rounds {} (the configuration says {})",
        nonconvergence_rounds, nonconvergence_rounds, scope.max_copy_rounds));
    scope.max_copy_rounds = nonconvergence_rounds;
  }
  if (most_rounds > scope.max_copy_rounds) {
    notes.push_back(fmt::format(
        "the recording has {} copy rounds in one LM; validating with scope.max_copy_rounds {} "
        "(the configuration says {})",
        most_rounds, most_rounds, scope.max_copy_rounds));
    scope.max_copy_rounds = most_rounds;
  }
  // A copy round needs dirty pages: every round after the first needs a
  // guest write before it, and a non-convergence abort one after the last.
  const int writes = std::max(most_rounds - 1, nonconvergence_rounds);
  if (writes > scope.guest_writes) {
    notes.push_back(fmt::format(
        "only guest writes dirty the model's memory, one before each copy round after the "
        "first{}: {} in all; validating with scope.guest_writes {} (the configuration says {})",
        nonconvergence_rounds > 0 ? " and one before the non-convergence abort" : "", writes,
        writes, scope.guest_writes));
    scope.guest_writes = writes;
  }
  if (faults > scope.fault_budget) {
    notes.push_back(
        fmt::format("the recording injects {} faults; validating with scope.fault_budget {} (the "
                    "configuration says {})",
                    faults, faults, scope.fault_budget));
    scope.fault_budget = faults;
  }
  for (std::size_t f = 0; f < cluster::kFaultKinds; ++f) {
    if (!fault_used[f] || scope.faults[f]) continue;
    for (int k = 0; k < static_cast<int>(Kind::count); ++k) {
      const auto fault = fault_of(static_cast<Kind>(k));
      if (!fault || static_cast<std::size_t>(*fault) != f) continue;
      notes.push_back(fmt::format(
          "the recording injects {}; validating with it in scope.faults (the configuration "
          "leaves it out)",
          fault_json_name(static_cast<Kind>(k))));
    }
    scope.faults[f] = true;
  }
  if (requests > scope.lm_requests) {
    notes.push_back(
        fmt::format("the recording has {} LM requests; validating with scope.lm_requests {} (the "
                    "configuration says {})",
                    requests, requests, scope.lm_requests));
    scope.lm_requests = requests;
  }
  if (!scope.migrate.empty()) {
    for (const auto& name : vms_requested) {
      if (std::find(scope.migrate.begin(), scope.migrate.end(), name) != scope.migrate.end()) {
        continue;
      }
      notes.push_back(fmt::format(
          "the recording migrates {}; validating with it in scope.migrate (the configuration "
          "leaves it out)",
          name));
      scope.migrate.push_back(name);
    }
  }
  return notes;
}

ValidationResult validate_trace(const cluster::ClusterModel& model,
                                const std::vector<cluster::Action>& events,
                                const ValidationOptions& options) {
  ValidationResult result;
  result.events = events.size();
  StateSet current(model);
  for (const auto& state : model.initial_states()) current.insert(state);
  const int depth = std::max(options.max_hidden_steps, 0);
  if (!close_under_unobserved(model, current, depth, options.max_states)) {
    result.truncated = true;
    result.largest_set = current.size();
    return result;
  }
  result.largest_set = current.size();
  std::vector<cluster::Action> actions;
  for (std::size_t i = 0; i < events.size(); ++i) {
    StateSet next(model);
    for (const auto& state : current.states()) {
      if (auto after = model.next_state(state, events[i])) next.insert(*after);
    }
    if (next.empty()) {
      result.failed = i;
      for (const auto& state : current.states()) {
        actions.clear();
        model.actions(state, actions);
        for (const auto& action : actions) {
          if (is_unobserved(action.kind) || !model.next_state(state, action)) continue;
          const bool known =
              std::any_of(result.enabled.begin(), result.enabled.end(), [&](const auto& a) {
                return a.kind == action.kind && a.unit == action.unit && a.page == action.page;
              });
          if (!known) result.enabled.push_back(action);
        }
      }
      // The protocol's steps first, then the faults that could strike.
      std::sort(result.enabled.begin(), result.enabled.end(), [](const auto& a, const auto& b) {
        const bool a_fault = fault_of(a.kind).has_value();
        const bool b_fault = fault_of(b.kind).has_value();
        return std::tie(a_fault, a.kind, a.unit, a.page) <
               std::tie(b_fault, b.kind, b.unit, b.page);
      });
      return result;
    }
    ++result.matched;
    if (i + 1 < events.size() && !close_under_unobserved(model, next, depth, options.max_states)) {
      result.truncated = true;
      result.largest_set = std::max(result.largest_set, next.size());
      return result;
    }
    result.largest_set = std::max(result.largest_set, next.size());
    current = std::move(next);
  }
  result.valid = true;
  return result;
}

}  // namespace lmc
