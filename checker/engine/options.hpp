#pragma once
// What the user asks of one search: strategy, storage, bounds, reporting.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lmc {

class Communicator;

enum class Strategy : std::uint8_t { bfs, dfs, simulation };
enum class StorageMode : std::uint8_t {
  /// Whole states: no two distinct states are ever merged.
  exact,
  /// 64-bit fingerprints only (as TLC stores them): far less memory, with a
  /// small, reported probability that two states shared a fingerprint.
  fingerprint,
  /// Whole states in the model's bit-packed encoding (lossless, like exact);
  /// for a model without one (not a PackableModel) the search runs exact.
  packed,
};

std::string_view to_string(Strategy strategy);
std::string_view to_string(StorageMode mode);
std::optional<Strategy> parse_strategy(std::string_view text);
std::optional<StorageMode> parse_storage(std::string_view text);

/// One progress reading of a running search.
struct ProgressReport {
  double seconds = 0;
  std::uint64_t states = 0;
  double states_per_second = 0;
  /// States waiting to be expanded (bfs: the current level; dfs: the stack).
  std::uint64_t queue = 0;
  std::uint32_t depth = 0;
  std::uint64_t rss_bytes = 0;
};
/// Called from the search's watcher thread every progress interval; it must
/// not block for long (the time limit is enforced on the same thread).
using ProgressReporter = std::function<void(const ProgressReport&)>;

/// The default reporter: one line on stderr.
void print_progress_line(const ProgressReport& report);

struct SearchOptions {
  Strategy strategy = Strategy::bfs;
  StorageMode storage = StorageMode::packed;
  unsigned threads = 1;
  /// 0 means unbounded. A search stopped by a bound is `incomplete`.
  std::uint64_t max_states = 0;
  std::uint32_t max_depth = 0;
  double time_limit_seconds = 0;
  bool check_deadlock = true;
  /// Skip liveness properties: they need the whole explored graph in memory.
  bool check_liveness = true;
  /// Store one state per symmetry class (models with canonicalize only).
  bool symmetry = false;
  /// bfs: search on after a violation (as TLC's -continue), so that one early
  /// counterexample does not hide the others: every property gets its own
  /// first (shortest) counterexample, and the counts are the whole space's.
  bool continue_after_violation = false;
  /// bfs: write a checkpoint to this directory between levels, every
  /// checkpoint_interval_seconds (0: after every level), when a bound stops
  /// the search, and when *interrupt becomes nonzero (then the search stops).
  std::string checkpoint_dir;
  double checkpoint_interval_seconds = 300;
  /// bfs: continue the search a checkpoint in this directory holds.
  std::string resume_dir;
  /// Set (by a signal handler) to ask for a checkpoint and a stop.
  const std::atomic<int>* interrupt = nullptr;
  /// bfs over several processes, each owning a part of the state space
  /// (distributed_bfs.hpp); null: one process. Not owned.
  Communicator* communicator = nullptr;
  /// Random simulation: number of walks, their length and the seed.
  std::uint64_t walks = 1000;
  std::uint32_t walk_depth = 200;
  std::uint64_t seed = 1;
  /// Seconds between progress reports; 0 turns them off.
  double progress_interval_seconds = 3;
  /// Where progress goes; empty means print_progress_line (stderr). A
  /// program embedding the engine passes its own (a progress bar, a log).
  ProgressReporter on_progress;
};

}  // namespace lmc
