#pragma once
// Breadth-first search, level by level, on any number of threads. Each level
// runs in two phases:
//   expand: threads take chunks of the frontier, judge each state's
//           properties and compute its successors into per-chunk, per-shard
//           buffers;
//   merge:  threads take shards; each inserts its shard's candidates chunk by
//           chunk, so the first parent to reach a state is the same whatever
//           the number of threads.
// Counts, depths, verdicts and traces are therefore identical for 1, 2 or 4
// threads, and traces are shortest.

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "checker/engine/checkpoint.hpp"
#include "checker/engine/checkpoint_progress.hpp"
#include "checker/engine/hash.hpp"
#include "checker/engine/liveness.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/owned_work.hpp"
#include "checker/engine/progress.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_outcome.hpp"
#include "checker/engine/search_stats.hpp"
#include "checker/engine/state_store.hpp"
#include "checker/engine/trace_builder.hpp"
#include "checker/engine/worker_pool.hpp"

namespace lmc {

template <Model M>
class BreadthFirstSearch {
  using State = typename M::State;
  using Action = typename M::Action;
  using Check = typename PropertyEvaluator<State>::Check;

 public:
  BreadthFirstSearch(const M& model, const SearchOptions& options)
      : model_(model),
        options_(options),
        threads_(std::max(1u, options.threads)),
        evaluator_(properties_of(model), options.check_liveness),
        store_(model, options.storage),
        open_(evaluator_.size(), 1),
        kind_count_(action_kinds_of(model).size()) {
    outcome_.found.assign(evaluator_.size(), kNotFound);
    outcome_.coverage.assign(kind_count_, 0);
    record_graph_ = !evaluator_.liveness().empty();
    packed_ = store_.mode() == StorageMode::packed;
    if (packed_) record_words_ = kHeaderWords + store_.packing().words();
    plan_groups(0);
  }

  CheckResult run() {
    ProgressMonitor monitor(counters_, options_);
    monitor_ = &monitor;
    WorkerPool pool(threads_);
    pool_ = &pool;
    scratch_.resize(threads_);
    if (record_graph_ && (!options_.checkpoint_dir.empty() || !options_.resume_dir.empty())) {
      throw CheckpointError(
          "checkpoints do not hold the explored graph that liveness properties need: add "
          "--no-liveness to --checkpoint and --resume");
    }
    search();
    pool_ = nullptr;
    auto stats =
        store_stats(store_, transitions_, max_depth_, monitor.elapsed_seconds() + resumed_seconds_);
    stats.threads = threads_;
    stats.strategy = Strategy::bfs;
    monitor_ = nullptr;
    return finish_stored_search(model_, options_, evaluator_, store_, liveness_, outcome_, stats,
                                monitor);
  }

 private:
  struct Candidate {
    std::uint64_t hash;
    StateId parent;
    std::uint32_t action;
    State state;
  };
  struct Entry {
    StateId id;
    State state;
  };
  /// Packed mode: a candidate is a record of words in a flat buffer, its
  /// hash, parent and action, then the packed state (a quarter of the bytes
  /// of a Candidate for the cluster model, so less memory to fill and move).
  static constexpr std::size_t kHeaderWords = 3;
  /// Chunks per thread and level: enough for a thread that finishes its own
  /// early to take some of another's.
  static constexpr std::size_t kChunksPerThread = 16;
  /// Merge groups (packed mode): a group is a range of shards whose
  /// candidates go to one buffer per chunk and are merged by one thread, a
  /// unit another thread can take over. Few groups keep the expanding
  /// thread's writes together; one group per shard keeps the merging
  /// thread's probes within one shard's table, which matters once the
  /// tables outgrow the caches (measured on default and scale-two-vms: each
  /// choice was 12-17% slower on the other). Results do not depend on it.
  static constexpr std::size_t kGroupsPerThread = 8;
  static constexpr std::uint64_t kStatesForGroupPerShard = 1u << 20;
  /// Levels of fewer states are expanded and merged by one thread (which
  /// takes every chunk and group): their work is shorter than what waking
  /// the others and moving their results between cores costs.
  static constexpr std::size_t kParallelFrom = 1024;
  /// Records between the two prefetch stages, and from the second to the
  /// insert (merge_packed_group).
  static constexpr std::size_t kPrefetchDistance = 8;
  /// One expansion chunk's candidates: Candidates by shard, or records by
  /// merge group. A few groups rather than 64 shards: each record is
  /// appended to one of a few buffers, so it is written where the last one
  /// was (in cache), not to one of 64 places.
  struct ShardBuffers {
    std::array<std::vector<Candidate>, kShardCount> states;
    std::array<WordBuffer, kShardCount> packed;
  };

  /// What one expansion chunk found besides its candidates: per property,
  /// its first state there that decides it (or kNotFound).
  struct ChunkReport {
    StateId first_deadlock = kNoState;
    std::vector<std::uint64_t> hits;
  };
  /// A thread's working space, kept from level to level so that its
  /// vectors keep their capacity; on its own cache lines.
  struct alignas(64) ThreadScratch {
    std::vector<Action> actions;
    State state;  ///< the frontier state being expanded
    State next;   ///< its successor being computed
  };
  /// What one thread counted; summed after each phase (order-independent).
  struct ThreadCounters {
    std::uint64_t transitions = 0;
    std::vector<std::uint64_t> coverage;
  };

  // A state's properties are judged when it is taken from the frontier, in
  // the same pass that expands it, so a packed state is unpacked once. A
  // level is therefore judged before the bounds or a violation in it stop the
  // search, and when one of its states violates an `always` property, its
  // successors are dropped: the counts are those of a search that judged
  // each state when it was stored and stopped before expanding that level.
  void search() {
    std::uint32_t depth = 0;
    if (options_.resume_dir.empty()) {
      insert_initial_states();
    } else {
      depth = read_checkpoint();
    }
    double last_checkpoint = monitor_->elapsed_seconds();
    while (frontier_size() > 0) {
      const std::size_t width = frontier_size();
      counters_.depth.store(depth, std::memory_order_relaxed);
      counters_.queue.store(width, std::memory_order_relaxed);
      if (checkpoint_due(last_checkpoint)) {
        write_checkpoint(depth);
        last_checkpoint = monitor_->elapsed_seconds();
        if (interrupted()) {
          outcome_.stop_reason = fmt::format(
              "interrupted by signal {} at depth {}: checkpoint written to {} (continue with "
              "--resume {})",
              options_.interrupt->load(), depth, options_.checkpoint_dir, options_.checkpoint_dir);
          return;
        }
      }
      if (auto reason = bound_reached(depth, width); !reason.empty()) {
        if (!options_.checkpoint_dir.empty()) write_checkpoint(depth);  // resumable with more
        judge_level(width);
        if (!violated()) outcome_.stop_reason = std::move(reason);
        return;
      }
      plan_groups(store_.size());
      const std::size_t chunks = expand(true);
      if (violated() && !options_.continue_after_violation) return;
      if (time_is_up()) {
        judge_level(width);  // the chunks left unexpanded were not judged either
        if (violated()) outcome_.stop_reason.clear();  // as if found before expanding
        return;
      }
      if (outcome_.deadlock != kNotFound && !options_.continue_after_violation) return;
      merge(chunks);
      if (time_is_up()) {
        judge_level(frontier_size());  // what was stored of the next level
        return;
      }
      if (frontier_size() > 0) max_depth_ = ++depth;
    }
    outcome_.complete = true;
  }

  bool interrupted() const {
    return options_.interrupt != nullptr &&
           options_.interrupt->load(std::memory_order_relaxed) != 0;
  }
  bool checkpoint_due(double last) const {
    if (options_.checkpoint_dir.empty()) return false;
    return interrupted() ||
           monitor_->elapsed_seconds() - last >= options_.checkpoint_interval_seconds;
  }

  /// What a checkpoint must match to be resumed by this search.
  std::string identity() const {
    // The property names enter as a hash: their list would make the message long.
    std::string names;
    for (const auto& p : evaluator_.properties()) names += p.name + ",";
    const auto names_hash = hash_bytes(names.data(), names.size());
    return fmt::format(
        "model={} storage={} symmetry={} deadlock={} continue={} words={} state_bytes={} "
        "properties={}:{:016x}",
        model_name(model_), to_string(store_.mode()), options_.symmetry, options_.check_deadlock,
        options_.continue_after_violation, store_.packing().words(), sizeof(State),
        evaluator_.size(), names_hash);
  }

  /// Between levels: the store, the next level (`depth`), what is decided.
  void write_checkpoint(std::uint32_t depth) {
    CheckpointOutput file(options_.checkpoint_dir);
    BinaryWriter out(file.stream());
    write_checkpoint_header(out, identity());
    write_progress(
        out, {depth, max_depth_, transitions_, monitor_->elapsed_seconds() + resumed_seconds_},
        outcome_, open_);
    store_.save(out);
    for (std::size_t s = 0; s < kShardCount; ++s) {
      if (packed_) {
        out.pod(level_[s].first);
        out.pod(level_[s].second);
      } else {
        write_frontier(out, frontier_[s]);
      }
    }
    file.commit();
  }

  void write_frontier(BinaryWriter& out, const std::vector<Entry>& entries) {
    if constexpr (std::is_trivially_copyable_v<State>) {
      out.pod(static_cast<std::uint64_t>(entries.size()));
      for (const auto& e : entries) {
        out.pod(e.id);
        out.pod(e.state);
      }
    } else {
      throw CheckpointError(
          "this model's states are not plain bytes: --checkpoint needs "
          "--storage packed");
    }
  }

  /// The checkpoint of options_.resume_dir, loaded; returns its depth.
  std::uint32_t read_checkpoint() {
    const auto path = checkpoint_file(options_.resume_dir);
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      throw CheckpointError(
          fmt::format("{}: cannot read ({})", path.string(), std::strerror(errno)));
    }
    BinaryReader in(file, path.string());
    read_checkpoint_header(in, identity());
    const auto progress = read_progress(in, outcome_, open_, evaluator_.size(), kind_count_);
    const auto depth = progress.depth;
    max_depth_ = progress.max_depth;
    transitions_ = progress.transitions;
    resumed_seconds_ = progress.seconds;
    store_.load(in);
    for (std::size_t s = 0; s < kShardCount; ++s) {
      if (packed_) {
        in.pod(level_[s].first);
        in.pod(level_[s].second);
        if (level_[s].first > level_[s].second || level_[s].second != store_.shard(s).size()) {
          in.fail("a damaged frontier");
        }
      } else {
        read_frontier(in, frontier_[s]);
      }
    }
    counters_.states.store(store_.size(), std::memory_order_relaxed);
    return depth;
  }

  void read_frontier(BinaryReader& in, std::vector<Entry>& entries) {
    if constexpr (std::is_trivially_copyable_v<State>) {
      entries.resize(in.count(sizeof(StateId) + sizeof(State)));
      for (auto& e : entries) {
        in.pod(e.id);
        in.pod(e.state);
      }
    } else {
      in.fail("this model's states are not plain bytes");
    }
  }

  /// Judges every state of the current level without expanding it.
  void judge_level(std::size_t width) {
    if (width > 0) expand(false);
  }

  /// The states of the current depth in shard s.
  std::size_t level_size(std::size_t s) const {
    return packed_ ? level_[s].second - level_[s].first : frontier_[s].size();
  }
  std::size_t frontier_size() const {
    std::size_t total = 0;
    for (std::size_t s = 0; s < kShardCount; ++s) total += level_size(s);
    return total;
  }

  void insert_initial_states() {
    auto initial = model_.initial_states();
    buffers_.resize(1);
    for (std::uint32_t i = 0; i < initial.size(); ++i) {
      canonicalize_if(model_, options_.symmetry, initial[i]);
      push_candidate(buffers_[0], state_hash(model_, initial[i]), kNoState, i,
                     std::move(initial[i]), nullptr, nullptr);
    }
    merge(1);
  }

  /// `from` and `from_words` are the parent state and its packed words
  /// (packed mode), or null for an initial state.
  void push_candidate(ShardBuffers& out, std::uint64_t hash, StateId parent, std::uint32_t action,
                      State&& state, const State* from, const std::uint64_t* from_words) {
    const auto shard = shard_of_hash(hash);
    if (!packed_) {
      out.states[shard].push_back({hash, parent, action, std::move(state)});
      return;
    }
    std::uint64_t* record = out.packed[group_of_shard_[shard]].append(record_words_);
    record[0] = hash;
    record[1] = parent;
    record[2] = action;
    store_.packing().pack_successor(from, from_words, state, record + kHeaderWords);
  }

  /// The successor of `state` by `action` into `next`, or false.
  bool successor(const State& state, const Action& action, State& next) const {
    return successor_of(model_, state, action, next);
  }

  /// An `always` property has a counterexample.
  bool violated() const {
    for (std::size_t i = 0; i < evaluator_.size(); ++i) {
      const auto kind = evaluator_.properties()[i].kind;
      if (kind == PropertyKind::always && outcome_.found[i] != kNotFound) return true;
    }
    return false;
  }

  /// Why the search must stop before expanding this level, or "".
  std::string bound_reached(std::uint32_t depth, std::size_t width) const {
    if (options_.max_states > 0 && store_.size() >= options_.max_states) {
      return fmt::format("max states ({}) reached with {} states left to expand",
                         options_.max_states, width);
    }
    if (options_.max_depth > 0 && depth >= options_.max_depth) {
      return fmt::format("max depth ({}) reached with {} states left to expand", options_.max_depth,
                         width);
    }
    return {};
  }

  bool time_is_up() {
    if (monitor_ == nullptr || !monitor_->time_is_up()) return false;
    if (outcome_.stop_reason.empty()) {
      outcome_.stop_reason = fmt::format("time limit ({} s) reached", options_.time_limit_seconds);
    }
    return true;
  }

  /// Splits the shards into merge groups and the groups among the threads
  /// for a level, given the states stored: thread t merges shards
  /// [thread_first_shard_[t], thread_first_shard_[t + 1]) whatever the
  /// grouping (every split is proportional).
  void plan_groups(std::uint64_t stored) {
    if (stored >= kStatesForGroupPerShard) {
      groups_ = kShardCount;
    } else {
      // One thread needs no balancing: one group, one buffer per chunk.
      groups_ = threads_ == 1 ? 1 : std::min<std::size_t>(kShardCount, threads_ * kGroupsPerThread);
    }
    group_first_shard_ = OwnedWork::split(kShardCount, groups_);
    for (std::size_t g = 0; g < groups_; ++g) {
      for (std::size_t s = group_first_shard_[g]; s < group_first_shard_[g + 1]; ++s) {
        group_of_shard_[s] = static_cast<std::uint8_t>(g);
      }
    }
    thread_first_group_ = OwnedWork::split(groups_, threads_);
    thread_first_shard_.clear();
    for (const auto g : thread_first_group_) thread_first_shard_.push_back(group_first_shard_[g]);
  }

  /// A level's chunks: chunk c covers frontier positions
  /// [bounds[c], bounds[c + 1]); thread t owns chunks
  /// [first_of_owner[t], first_of_owner[t + 1]), the states of the shards it
  /// merges into (OwnedWork::split), so it expands what it just stored.
  struct ChunkPlan {
    std::vector<std::size_t> bounds{0};
    std::vector<std::size_t> first_of_owner;
  };
  ChunkPlan plan_chunks(const std::array<std::size_t, kShardCount + 1>& offsets) const {
    ChunkPlan plan;
    for (unsigned t = 0; t < threads_; ++t) {
      plan.first_of_owner.push_back(plan.bounds.size() - 1);
      const std::size_t from = offsets[thread_first_shard_[t]];
      const std::size_t states = offsets[thread_first_shard_[t + 1]] - from;
      const std::size_t n = std::min(states, kChunksPerThread);
      for (std::size_t k = 1; k <= n; ++k) plan.bounds.push_back(from + states * k / n);
    }
    plan.first_of_owner.push_back(plan.bounds.size() - 1);
    return plan;
  }

  /// Phase 1: judges every frontier state and, with `successors`, computes
  /// its successors into per-chunk buffers. The frontier is read as the
  /// concatenation of its shards; chunk c covers positions
  /// [c * chunk_size, (c + 1) * chunk_size) of it. Once a state of the level
  /// violates an `always` property, the level's successors are not needed:
  /// the rest of it is only judged.
  std::size_t expand(bool successors) {
    std::array<std::size_t, kShardCount + 1> offsets{};
    for (std::size_t s = 0; s < kShardCount; ++s) offsets[s + 1] = offsets[s] + level_size(s);
    const auto plan = plan_chunks(offsets);
    const std::size_t chunks = plan.bounds.size() - 1;
    parallel_level_ = offsets[kShardCount] >= kParallelFrom;
    if (buffers_.size() < chunks) buffers_.resize(chunks);
    std::vector<ChunkReport> reports(chunks);
    std::vector<ThreadCounters> counters(threads_);
    OwnedWork work(plan.first_of_owner);
    std::atomic<bool> violation{false};
    std::atomic<bool> timed_out{false};
    const auto checks = evaluator_.open_checks(open_);  // open_ changes between levels only
    const bool keep_going = options_.continue_after_violation;
    pool_->run(parallel_level_, [&](unsigned thread) {
      // Counted locally and published once: counters of different threads
      // would otherwise share cache lines.
      ThreadCounters mine;
      mine.coverage.assign(kind_count_, 0);
      auto& [actions, scratch, next] = scratch_[thread];
      const std::uint64_t* words = nullptr;  // scratch's packed words
      for (std::size_t c = work.claim(thread); c != OwnedWork::kNone; c = work.claim(thread)) {
        // Judging alone is what a stopped search owes its stored states.
        if (successors && monitor_->time_is_up()) {
          timed_out = true;
          break;
        }
        auto& report = reports[c];
        report.hits.assign(evaluator_.size(), kNotFound);
        const std::size_t begin = plan.bounds[c];
        const std::size_t end = plan.bounds[c + 1];
        std::size_t shard =
            std::upper_bound(offsets.begin(), offsets.end(), begin) - offsets.begin() - 1;
        for (std::size_t i = begin; i < end; ++i) {
          while (i >= offsets[shard + 1]) ++shard;
          const std::size_t position = i - offsets[shard];
          const State* state;
          StateId id;
          if (packed_) {
            const auto local = static_cast<std::uint32_t>(level_[shard].first + position);
            const std::uint64_t* previous = words;
            words = store_.shard(shard).packed(local);
            store_.packing().unpack_over(previous, words, scratch);
            state = &scratch;
            id = make_state_id(shard, local);
          } else {
            const auto& entry = frontier_[shard][position];
            state = &entry.state;
            id = entry.id;
          }
          if (judge(checks, *state, id, report.hits)) {
            violation.store(true, std::memory_order_relaxed);
          }
          if (successors && (keep_going || !violation.load(std::memory_order_relaxed))) {
            expand_one(id, *state, words, actions, next, buffers_[c], mine, report);
          }
        }
      }
      counters[thread] = std::move(mine);
    });
    // Chunks skipped for time may precede judged ones: the search judges
    // the whole level again, in order.
    if (!timed_out) collect_hits(reports);
    if (!successors || (violated() && !keep_going)) return chunks;
    for (const auto& mine : counters) {
      transitions_ += mine.transitions;
      for (std::size_t k = 0; k < kind_count_ && k < mine.coverage.size(); ++k) {
        outcome_.coverage[k] += mine.coverage[k];
      }
    }
    for (const auto& report : reports) {
      if (report.first_deadlock != kNoState && outcome_.deadlock == kNotFound) {
        outcome_.deadlock = report.first_deadlock;
        break;
      }
    }
    return chunks;
  }

  /// The first state of the level, in frontier order, that decides each
  /// open property: chunks are in that order.
  void collect_hits(const std::vector<ChunkReport>& reports) {
    for (std::size_t i = 0; i < evaluator_.size(); ++i) {
      for (std::size_t c = 0; c < reports.size() && open_[i]; ++c) {
        if (!reports[c].hits.empty() && reports[c].hits[i] != kNotFound) {
          outcome_.found[i] = reports[c].hits[i];
          open_[i] = 0;
        }
      }
    }
  }

  /// `actions` and `next` are the thread's scratch, reused across states.
  void expand_one(StateId id, const State& state, const std::uint64_t* words,
                  std::vector<Action>& actions, State& next, ShardBuffers& out,
                  ThreadCounters& counters, ChunkReport& report) {
    actions.clear();
    model_.actions(state, actions);
    std::uint32_t successors = 0;
    for (std::uint32_t a = 0; a < actions.size(); ++a) {
      if (!successor(state, actions[a], next)) continue;
      canonicalize_if(model_, options_.symmetry, next);
      ++successors;
      ++counters.coverage[action_kind_of(model_, state, actions[a])];
      push_candidate(out, state_hash(model_, next), id, a, std::move(next), &state, words);
    }
    counters.transitions += successors;
    if (successors == 0 && options_.check_deadlock && report.first_deadlock == kNoState &&
        !is_intended_end(model_, state)) {
      report.first_deadlock = id;
    }
  }

  /// Phase 2: each shard inserts its candidates in chunk order; its new
  /// states become its part of the next frontier. A shard that a time limit
  /// leaves unmerged contributes nothing to it.
  void merge(std::size_t chunks) {
    for (std::size_t s = 0; s < kShardCount; ++s) {
      frontier_[s].clear();
      const auto size = static_cast<std::uint32_t>(store_.shard(s).size());
      level_[s] = {size, size};
    }
    OwnedWork work(packed_ ? thread_first_group_ : thread_first_shard_);
    pool_->run(parallel_level_, [&](unsigned thread) {
      for (std::size_t i = work.claim(thread); i != OwnedWork::kNone; i = work.claim(thread)) {
        if (monitor_->time_is_up()) return;
        if (packed_) {
          merge_packed_group(i, chunks);
        } else {
          merge_shard(i, chunks);
        }
      }
    });
  }

  /// Sized now, filled when each new state is judged (liveness only).
  void size_labels(std::size_t s) {
    if (record_graph_) liveness_.labels[s].resize(store_.shard(s).size());
  }

  void merge_shard(std::size_t s, std::size_t chunks) {
    auto& shard = store_.shard(s);
    std::uint64_t added = 0;
    // Work on local vectors (swapped in and out, so capacity is reused): the
    // vector headers of neighbouring shards share cache lines.
    std::vector<Entry> fresh;
    fresh.swap(frontier_[s]);
    fresh.clear();
    std::vector<std::pair<StateId, StateId>> edges;
    edges.swap(liveness_.edges[s]);
    for (std::size_t c = 0; c < chunks; ++c) {
      for (auto& candidate : buffers_[c].states[s]) {
        const auto inserted = shard.insert(s, candidate.state, candidate.hash, store_.mode(),
                                           candidate.parent, candidate.action);
        if (record_graph_ && candidate.parent != kNoState) {
          edges.emplace_back(candidate.parent, inserted.id);
        }
        if (!inserted.is_new) continue;
        ++added;
        fresh.push_back({inserted.id, std::move(candidate.state)});
      }
      buffers_[c].states[s].clear();
    }
    frontier_[s].swap(fresh);
    liveness_.edges[s].swap(edges);
    counters_.states.fetch_add(added, std::memory_order_relaxed);
    size_labels(s);
  }

  /// Packed mode: inserts the records of merge group g, chunk by chunk,
  /// each into its shard; each shard thus sees its candidates in frontier
  /// order, whatever the grouping. The new states of a level are the ones a
  /// shard appends, so the next frontier is a range of local numbers.
  void merge_packed_group(std::size_t g, std::size_t chunks) {
    const std::size_t first_shard = group_first_shard_[g];
    const std::size_t end_shard = group_first_shard_[g + 1];
    for (std::size_t c = 0; c < chunks; ++c) {
      auto& records = buffers_[c].packed[g];
      // In two stages, while this record is inserted: the table slot of the
      // record 2d ahead, and the stored state that the record d ahead will
      // be compared with (its slot fetched d records ago). In a large store
      // most probes and comparisons miss the cache otherwise.
      const std::size_t ahead = kPrefetchDistance * record_words_;
      for (std::size_t at = 0; at < records.size(); at += record_words_) {
        if (at + 2 * ahead < records.size()) {
          const std::uint64_t later = records.data()[at + 2 * ahead];
          store_.shard(shard_of_hash(later)).prefetch_packed(later);
        }
        if (at + ahead < records.size()) {
          const std::uint64_t soon = records.data()[at + ahead];
          store_.shard(shard_of_hash(soon)).prefetch_packed_match(soon);
        }
        const std::uint64_t* record = records.data() + at;
        const std::uint64_t hash = record[0];
        const StateId parent = record[1];
        const std::size_t s = shard_of_hash(hash);
        const auto inserted = store_.shard(s).insert_packed(s, record + kHeaderWords, hash, parent,
                                                            static_cast<std::uint32_t>(record[2]));
        if (record_graph_ && parent != kNoState) {
          liveness_.edges[s].emplace_back(parent, inserted.id);
        }
      }
      records.clear();
    }
    std::uint64_t added = 0;
    for (std::size_t s = first_shard; s < end_shard; ++s) {
      const auto end = static_cast<std::uint32_t>(store_.shard(s).size());
      added += end - level_[s].first;
      level_[s].second = end;
      size_labels(s);
    }
    counters_.states.fetch_add(added, std::memory_order_relaxed);
  }

  /// Properties (and liveness labels) of a stored state: records in `hits`
  /// the first state of the chunk to decide each property. True when it
  /// violates an `always` property.
  bool judge(const std::vector<Check>& checks, const State& state, StateId id,
             std::vector<std::uint64_t>& hits) {
    bool violates = false;
    PropertyEvaluator<State>::evaluate(checks, state, [&](std::size_t i) {
      if (hits[i] == kNotFound) hits[i] = id;
      violates |= evaluator_.properties()[i].kind == PropertyKind::always;
    });
    if (record_graph_)
      liveness_.labels[shard_of_id(id)][local_of_id(id)] = evaluator_.liveness_labels(state);
    return violates;
  }

  const M& model_;
  SearchOptions options_;
  unsigned threads_;
  PropertyEvaluator<State> evaluator_;
  StateStore<M> store_;
  std::vector<char> open_;
  std::size_t kind_count_;
  bool record_graph_ = false;
  SearchOutcome outcome_;
  LivenessRecord liveness_;
  std::vector<ShardBuffers> buffers_;
  bool parallel_level_ = false;  ///< the level being searched is worth the threads
  std::size_t groups_ = 1;
  std::vector<std::size_t> group_first_shard_;  ///< groups_ + 1 entries
  std::array<std::uint8_t, kShardCount> group_of_shard_{};
  std::vector<std::size_t> thread_first_group_;  ///< threads_ + 1 entries
  std::vector<std::size_t> thread_first_shard_;  ///< threads_ + 1 entries
  /// The states of the current depth, by shard; rewritten in place by merge.
  std::array<std::vector<Entry>, kShardCount> frontier_;
  /// Packed mode instead: the current depth's local numbers in each shard.
  std::array<std::pair<std::uint32_t, std::uint32_t>, kShardCount> level_{};
  bool packed_ = false;
  std::size_t record_words_ = 0;
  std::uint64_t transitions_ = 0;
  std::uint32_t max_depth_ = 0;
  double resumed_seconds_ = 0;  ///< the search time of the run a checkpoint continues
  ProgressCounters counters_;
  ProgressMonitor* monitor_ = nullptr;
  WorkerPool* pool_ = nullptr;  ///< run()'s threads
  std::vector<ThreadScratch> scratch_;
};

}  // namespace lmc
