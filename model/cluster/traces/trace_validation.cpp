#include "model/cluster/traces/trace_validation.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace lmc {
namespace {

using cluster::Kind;

/// The model reads a page's version only to copy it to the target and to
/// compare it with that copy (the observer's I5 at the commit); a guest write
/// makes them differ. A state's future therefore depends on each page only
/// through its relation to the copy: none, equal, or behind. Relabelling the
/// versions to the least ones with the same relations maps states with the
/// same future onto one (a bisimulation), which is what keeps the set from
/// growing with the number of guest writes a long recording needs.
cluster::State relabel_versions(cluster::State state, int pages) {
  for (auto& vm : state.vm) {
    for (int p = 0; p < pages; ++p) {
      if (vm.copy[p] == cluster::kNoPage) {
        vm.memory[p] = 0;
      } else {
        const bool behind = vm.copy[p] != vm.memory[p];
        vm.copy[p] = 0;
        vm.memory[p] = behind ? 1 : 0;
      }
    }
  }
  return state;
}

/// A state with every VM's guest-writes budget at zero: states equal but for
/// it share this key.
cluster::State without_writes_left(cluster::State state) {
  for (auto& vm : state.vm) vm.writes_left = 0;
  return state;
}

/// Guest writes are unobserved and only guest_write reads writes_left: a
/// state with at least as many writes left for every VM can follow every
/// path the other can (it simulates it), so the other adds nothing.
bool covers(const cluster::State& a, const cluster::State& b) {
  for (std::size_t v = 0; v < a.vm.size(); ++v) {
    if (a.vm[v].writes_left < b.vm[v].writes_left) return false;
  }
  return true;
}

/// The set of model states consistent with the events so far, in the order
/// they were found (so messages do not depend on hashing). With `merge`,
/// states are kept up to relabel_versions and only those no other covers.
class StateSet {
 public:
  StateSet(const cluster::ClusterModel& model, bool merge)
      : pages_(model.topology().pages()),
        merge_(merge),
        index_(64, Hash{&model}, std::equal_to<cluster::State>()) {}

  /// The state as kept (relabelled when merging), or nullopt when the set
  /// holds it, or a state that covers it, already.
  std::optional<cluster::State> insert(const cluster::State& state) {
    cluster::State kept = merge_ ? relabel_versions(state, pages_) : state;
    auto& same_key = index_[merge_ ? without_writes_left(kept) : kept];
    for (const auto i : same_key) {
      if (live_[i] && (!merge_ || covers(order_[i], kept))) return std::nullopt;
    }
    std::erase_if(same_key, [&](std::size_t i) {
      if (!covers(kept, order_[i])) return false;
      live_[i] = false;
      --size_;
      return true;
    });
    same_key.push_back(order_.size());
    order_.push_back(kept);
    live_.push_back(true);
    ++size_;
    return kept;
  }
  /// The states kept, in the order they were found.
  std::vector<cluster::State> states() const {
    std::vector<cluster::State> out;
    out.reserve(size_);
    for (std::size_t i = 0; i < order_.size(); ++i) {
      if (live_[i]) out.push_back(order_[i]);
    }
    return out;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Hash {
    const cluster::ClusterModel* model;
    std::size_t operator()(const cluster::State& s) const { return model->hash(s); }
  };
  int pages_;
  bool merge_;
  std::unordered_map<cluster::State, std::vector<std::size_t>, Hash> index_;
  std::vector<cluster::State> order_;
  std::vector<bool> live_;  ///< false once a covering state replaced it
  std::size_t size_ = 0;
};

/// Why a search stopped early; none while it may go on.
class Budget {
 public:
  explicit Budget(const ValidationOptions& options)
      : options_(options), started_(std::chrono::steady_clock::now()) {}

  /// Called for every state added: the set's size against --max-states and,
  /// every 1,024 calls, the clock against --time-limit.
  bool exceeded(std::size_t set_size) {
    if (set_size > options_.max_states) {
      stop_ = ValidationStop::max_states;
    } else if (options_.time_limit_seconds > 0 && ++calls_ % 1024 == 0 &&
               elapsed() > options_.time_limit_seconds) {
      stop_ = ValidationStop::time_limit;
    }
    return stop_ != ValidationStop::none;
  }
  ValidationStop stop() const { return stop_; }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  const ValidationOptions& options_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t calls_ = 0;
  ValidationStop stop_ = ValidationStop::none;
};

/// Adds every state reachable from the set by at most `depth` unobserved
/// actions. False when the budget ran out.
bool close_under_unobserved(const cluster::ClusterModel& model, StateSet& set, int depth,
                            Budget& budget) {
  std::vector<cluster::State> frontier = set.states();
  std::vector<cluster::Action> actions;
  for (int level = 0; level < depth && !frontier.empty(); ++level) {
    std::vector<cluster::State> next_frontier;
    for (const auto& state : frontier) {
      actions.clear();
      model.actions(state, actions);
      for (const auto& action : actions) {
        if (!is_unobserved(action.kind)) continue;
        const auto next = model.next_state(state, action);
        if (!next) continue;
        if (auto kept = set.insert(*next)) next_frontier.push_back(std::move(*kept));
        if (budget.exceeded(set.size())) return false;
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
  // The model's counters are bytes (cluster/state.hpp): a recording beyond
  // them cannot be matched, and saying "invalid" would blame the recording.
  const auto within_model = [](int needed, const char* what, const char* field) {
    if (needed <= kMaxScopeCounter) return;
    throw TraceFileError(fmt::format(
        "the recording needs {} {} in one LM; the model counts at most {} ({}), so it cannot be "
        "validated",
        needed, what, kMaxScopeCounter, field));
  };
  within_model(most_rounds, "copy rounds", "scope.max_copy_rounds");
  within_model(std::max(most_rounds - 1, nonconvergence_rounds), "guest writes",
               "scope.guest_writes");
  within_model(faults, "faults", "scope.fault_budget");
  within_model(requests, "LM requests", "scope.lm_requests");
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

namespace {

/// The observed-kind actions enabled in any of `states`, the protocol's
/// steps first and then the faults that could strike.
std::vector<cluster::Action> enabled_observed(const cluster::ClusterModel& model,
                                              const std::vector<cluster::State>& states) {
  std::vector<cluster::Action> enabled;
  std::vector<cluster::Action> actions;
  for (const auto& state : states) {
    actions.clear();
    model.actions(state, actions);
    for (const auto& action : actions) {
      if (is_unobserved(action.kind) || !model.next_state(state, action)) continue;
      const bool known = std::any_of(enabled.begin(), enabled.end(), [&](const auto& a) {
        return a.kind == action.kind && a.unit == action.unit && a.page == action.page;
      });
      if (!known) enabled.push_back(action);
    }
  }
  std::sort(enabled.begin(), enabled.end(), [](const auto& a, const auto& b) {
    const bool a_fault = fault_of(a.kind).has_value();
    const bool b_fault = fault_of(b.kind).has_value();
    return std::tie(a_fault, a.kind, a.unit, a.page) < std::tie(b_fault, b.kind, b.unit, b.page);
  });
  return enabled;
}

}  // namespace

ValidationResult validate_trace(const cluster::ClusterModel& model,
                                const std::vector<cluster::Action>& events,
                                const ValidationOptions& options) {
  ValidationResult result;
  result.events = events.size();
  Budget budget(options);
  const auto stopped = [&](const StateSet& set) {
    result.truncated = true;
    result.stopped_by = budget.stop();
    result.largest_set = std::max(result.largest_set, set.size());
    result.seconds = budget.elapsed();
    return result;
  };
  StateSet current(model, options.merge_equivalent_states);
  for (const auto& state : model.initial_states()) current.insert(state);
  const int depth = std::max(options.max_hidden_steps, 0);
  if (!close_under_unobserved(model, current, depth, budget)) return stopped(current);
  result.largest_set = current.size();
  for (std::size_t i = 0; i < events.size(); ++i) {
    StateSet next(model, options.merge_equivalent_states);
    for (const auto& state : current.states()) {
      if (auto after = model.next_state(state, events[i])) next.insert(*after);
    }
    if (next.empty()) {
      result.failed = i;
      result.enabled = enabled_observed(model, current.states());
      result.seconds = budget.elapsed();
      return result;
    }
    ++result.matched;
    if (i + 1 < events.size() && !close_under_unobserved(model, next, depth, budget)) {
      return stopped(next);
    }
    result.largest_set = std::max(result.largest_set, next.size());
    current = std::move(next);
  }
  result.valid = true;
  result.seconds = budget.elapsed();
  return result;
}

}  // namespace lmc
