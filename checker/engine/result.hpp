#pragma once
// The outcome of one search, independent of the model's types, so reports,
// the command line and tests handle every model alike.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/options.hpp"
#include "checker/engine/property.hpp"

namespace lmc {

enum class Verdict : std::uint8_t { ok, violation, incomplete };
std::string_view to_string(Verdict verdict);

enum class PropertyStatus : std::uint8_t {
  holds,      ///< always/liveness: no violation in the whole state space
  violated,   ///< a counterexample exists (its trace is attached)
  reached,    ///< sometimes: a witness exists (its trace is attached)
  unreached,  ///< sometimes: no reachable state satisfies it (a failure)
  unknown,    ///< the search stopped before it could decide
  skipped,    ///< liveness not checked (--no-liveness)
};
std::string_view to_string(PropertyStatus status);

struct TraceStep {
  /// Empty for the initial state.
  std::string action;
  std::vector<Variable> state;
};

struct Trace {
  std::vector<TraceStep> steps;
  /// Set when replaying the model did not reproduce the stored path: the
  /// model's successor function is not deterministic.
  bool nondeterministic = false;
  std::string note;
  /// The path as the replay followed it: the initial state's index in the
  /// model's initial_states(), then each step's position in the model's
  /// actions() list of the state before it. A model-specific tool (`lmc check
  /// --trace-out`) replays it to recover the model's own actions.
  std::vector<std::uint32_t> path;

  /// Steps taken; 0 also for a trace whose replay failed at once (no states).
  std::size_t length() const { return steps.empty() ? 0 : steps.size() - 1; }
};

struct PropertyResult {
  std::string name;
  /// "always", "sometimes", "liveness" or "deadlock".
  std::string kind;
  std::string ids;
  PropertyStatus status = PropertyStatus::unknown;
  std::optional<Trace> trace;
};

struct CoverageEntry {
  std::string action;
  std::uint64_t count = 0;
  /// False for kinds the model's configuration rules out (no fault of that
  /// kind, no ISL-E, ...): they are not warned about when they never fire.
  bool enabled = true;
};

/// One rank of a distributed search (lmc check --distributed).
struct RankStats {
  std::uint64_t states = 0;        ///< states this rank owns
  std::uint64_t transitions = 0;   ///< successors it computed
  std::uint64_t records_sent = 0;  ///< successors sent to another rank
  std::uint64_t bytes_sent = 0;    ///< their bytes (records to itself not counted)
  std::uint64_t store_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  double busy_seconds = 0;  ///< expanding and merging, not waiting for the others
};

struct SearchStats {
  std::uint64_t states = 0;
  std::uint64_t transitions = 0;
  std::uint32_t max_depth = 0;
  double seconds = 0;
  unsigned threads = 1;
  Strategy strategy = Strategy::bfs;
  StorageMode storage = StorageMode::exact;
  /// States were stored one per symmetry class (--symmetry).
  bool symmetry = false;
  /// Bytes held by the state store (table, states or fingerprints, trace
  /// links) divided by the number of stored states.
  double bytes_per_state = 0;
  std::uint64_t store_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  /// Fingerprint mode: TLC's optimistic estimate n*(t-n)/2^64 of the
  /// probability that two distinct states shared a fingerprint.
  std::optional<double> miss_probability;
  /// Random simulation: walks made.
  std::uint64_t walks = 0;
  /// A distributed search: one entry per rank (empty otherwise).
  std::vector<RankStats> ranks;

  double states_per_second() const { return seconds > 0 ? states / seconds : 0; }
};

struct CheckResult {
  std::string model;
  Verdict verdict = Verdict::ok;
  /// Why a search stopped early ("max states", "time limit", ...) or empty.
  std::string stop_reason;
  SearchStats stats;
  std::vector<PropertyResult> properties;
  std::vector<CoverageEntry> coverage;
  /// Model-specific lines for the report (e.g. how Z3 discharged the LM
  /// prerequisites before the search).
  std::vector<std::string> notes;

  const PropertyResult* find(std::string_view name) const;
};

/// Exit codes for scripts: 0 every property holds, 1 a property is violated,
/// 2 bad usage or bad input, 3 incomplete.
int exit_code(Verdict verdict);
inline constexpr int kExitBadInput = 2;

}  // namespace lmc
