#pragma once
// Trace validation (`lmc validate`): is a recorded run of the reference
// implementation a path of the cluster model? The run records only what the
// LM engine observes (its steps and the faults injected), so the search keeps
// the set of every model state consistent with the events so far: each event
// must be matched by an enabled model action of the same kind and unit from
// some state of the set, and between two events (and before the first) up to
// `max_hidden_steps` unobserved model actions may happen (guest writes, the
// Cluster Manager's heartbeat rounds, lease and takeover, liveness records,
// CRD resynchronisation, repairs). spec/checker.md ("Trace validation").

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc {

/// Model actions a recording does not observe; the validation lets them
/// happen between recorded events.
bool is_unobserved(cluster::Kind kind);
std::vector<std::string> unobserved_kind_names(const cluster::ClusterModel& model);

/// The scope of the exploration bounds what the model admits (copy rounds,
/// guest writes, the fault budget and fault kinds, the VMs the operator may
/// migrate). A real run is not bound by them: widens `config.scope` so that
/// the recording's counts fit, and says what it changed, one note each. The
/// protocol's rules stay as they are.
/// Throws TraceFileError when a count exceeds kMaxScopeCounter.
std::vector<std::string> widen_scope_for(cluster::Config& config, const TraceFile& trace);
/// The most the model's byte-sized counters (rounds, writes, faults,
/// requests) hold.
inline constexpr int kMaxScopeCounter = 255;

struct ValidationOptions {
  /// Unobserved model actions allowed between two events and before the first.
  int max_hidden_steps = 4;
  /// A set of states larger than this stops the search (the result is then
  /// `truncated` and says nothing either way).
  std::size_t max_states = 1'000'000;
  /// Seconds after which the search stops, truncated; 0: no limit.
  double time_limit_seconds = 0;
  /// Keep states up to their page versions' relation to the target's copy,
  /// and only those with the most guest writes left (trace_validation.cpp
  /// says why the verdict stays the same; tests compare both). Off: every
  /// model state apart, which costs O(n^3) in a recording of n copy rounds.
  bool merge_equivalent_states = true;
};

enum class ValidationStop { none, max_states, time_limit };

struct ValidationResult {
  bool valid = false;
  std::size_t events = 0;
  std::size_t matched = 0;  ///< events matched, from the first on
  /// Invalid: the index (from 0) of the event no enabled action matched, and
  /// the observed-kind actions enabled in the states before it.
  std::optional<std::size_t> failed;
  std::vector<cluster::Action> enabled;
  std::size_t largest_set = 0;  ///< the most states consistent with a prefix
  bool truncated = false;       ///< a bound stopped the search: no verdict
  ValidationStop stopped_by = ValidationStop::none;
  double seconds = 0;
};

ValidationResult validate_trace(const cluster::ClusterModel& model,
                                const std::vector<cluster::Action>& events,
                                const ValidationOptions& options = {});

}  // namespace lmc
