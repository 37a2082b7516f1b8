#pragma once
// Breadth-first search over several processes (ranks), as DiVinE's and
// LTSmin's distributed back ends and PREACH do it: each rank owns the states
// whose hash falls in its part of the hash space and keeps them in its own
// StateStore; a successor is sent to its owner, in batches, and the owner
// alone decides whether it is new. The search is level-synchronous: a level
// is judged, then expanded in rounds (each round: expand up to a batch,
// exchange with all ranks, insert what arrived), and the level ends when no
// rank has states left to expand. The set of states at each depth does not
// depend on who owns what, so states, transitions, maximum depth and
// verdicts equal the one-process search's for any number of ranks; a
// counterexample is rebuilt along parent links that stay with their owners,
// and is a shortest one (it ends at the first depth with a violating state).
//
// A state's global id is its id in its owner's store and the owner's rank:
// (local id << 8) | rank, so up to 256 ranks. What this search does not do:
// threads within a rank (one rank per core instead), partial-order or other
// reductions beyond the model's symmetry, and liveness beyond one machine
// (the liveness pass gathers the explored graph on rank 0).

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "checker/engine/checkpoint.hpp"
#include "checker/engine/checkpoint_progress.hpp"
#include "checker/engine/communicator.hpp"
#include "checker/engine/distributed_checkpoint.hpp"
#include "checker/engine/liveness.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/progress.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_outcome.hpp"
#include "checker/engine/search_stats.hpp"
#include "checker/engine/state_store.hpp"
#include "checker/engine/trace_builder.hpp"

namespace lmc {

inline constexpr int kMaxRanks = 256;

/// The rank that owns a state of this hash among `ranks`: bits 26-57 of the
/// hash, scaled. The shard within the owner's store takes the top 6 bits and
/// its hash table the low bits, so the three choices do not correlate.
constexpr int owner_of_hash(std::uint64_t hash, int ranks) {
  return static_cast<int>((((hash >> 26) & 0xffffffffu) * static_cast<std::uint64_t>(ranks)) >> 32);
}
constexpr StateId global_id(StateId local, int rank) {
  return (local << 8) | static_cast<StateId>(rank);
}
constexpr int owner_of_id(StateId global) {
  return static_cast<int>(global & 0xff);
}
constexpr StateId local_id(StateId global) {
  return global >> 8;
}

template <Model M>
class DistributedBreadthFirstSearch {
  using State = typename M::State;
  using Action = typename M::Action;
  using Check = typename PropertyEvaluator<State>::Check;
  using Words = std::vector<std::uint64_t>;

 public:
  DistributedBreadthFirstSearch(const M& model, const SearchOptions& options)
      : model_(model),
        options_(options),
        comm_(*options.communicator),
        rank_(comm_.rank()),
        ranks_(comm_.size()),
        evaluator_(properties_of(model), options.check_liveness),
        store_(model, options.storage),
        open_(evaluator_.size(), 1),
        kind_count_(action_kinds_of(model).size()) {
    if (ranks_ > kMaxRanks) {
      throw DistributedSearchError(
          fmt::format("{} ranks: a distributed search takes at most {}", ranks_, kMaxRanks));
    }
    packed_ = store_.mode() == StorageMode::packed;
    if (!packed_ && !std::is_trivially_copyable_v<State>) {
      throw DistributedSearchError(
          "this model's states are not plain bytes, so they cannot be sent between ranks in "
          "exact or fingerprint mode: use --storage packed");
    }
    payload_words_ = packed_ ? store_.packing().words() : (sizeof(State) + 7) / 8;
    record_words_ = kHeaderWords + payload_words_;
    record_graph_ = !evaluator_.liveness().empty();
    outcome_.found.assign(evaluator_.size(), kNotFound);
    outcome_.coverage.assign(kind_count_, 0);
    outgoing_.resize(ranks_);
  }

  CheckResult run() {
    auto quiet = options_;
    quiet.progress_interval_seconds = 0;  // this search prints its own progress, on rank 0
    ProgressMonitor monitor(counters_, quiet);
    monitor_ = &monitor;
    if (record_graph_ && (!options_.checkpoint_dir.empty() || !options_.resume_dir.empty())) {
      throw CheckpointError(
          "checkpoints do not hold the explored graph that liveness properties need: add "
          "--no-liveness to --checkpoint and --resume");
    }
    search();
    if (outcome_.complete) run_liveness();
    auto stats = gather_stats();
    monitor_ = nullptr;
    const bool symmetry = options_.symmetry && SymmetricModel<M>;
    stats.symmetry = symmetry;
    // Every rank assembles the same result: the traces are built by
    // collectives, in property order, on all of them.
    return assemble_result(model_, evaluator_, outcome_, options_, stats,
                           [&](std::uint64_t id) { return build_trace(id, symmetry); });
  }

 private:
  /// A successor on its way to its owner: hash, parent's global id, action
  /// index, then the state (packed words, or its bytes).
  static constexpr std::size_t kHeaderWords = 3;
  /// Words a rank collects before an exchange: a round's buffers stay a few
  /// tens of megabytes, whatever the size of the level.
  static constexpr std::size_t kRoundWords = std::size_t{1} << 22;

  // ---- the search, level by level ------------------------------------

  void search() {
    std::uint32_t depth = 0;
    if (options_.resume_dir.empty()) {
      insert_initial_states();
    } else {
      depth = read_checkpoint();
    }
    double last_checkpoint = monitor_->elapsed_seconds();
    while (global_frontier_ > 0) {
      if (checkpoint_due(last_checkpoint)) {
        write_checkpoint(depth);
        last_checkpoint = monitor_->elapsed_seconds();
      }
      level_start_states_ = global_states_;
      if (auto reason = bound_reached(depth); !reason.empty()) {
        if (!options_.checkpoint_dir.empty()) write_checkpoint(depth);
        judge_level();
        if (!violated()) outcome_.stop_reason = std::move(reason);
        return;
      }
      if (!expand_level(depth)) return;  // the time limit
      if (violated() && !options_.continue_after_violation) {
        forget_level();
        return;
      }
      if (outcome_.deadlock != kNotFound && !options_.continue_after_violation) {
        // As the one-process search, which stops before storing the next level.
        reported_states_ = level_start_states_;
        return;
      }
      if (global_frontier_ > 0) max_depth_ = ++depth;
    }
    outcome_.complete = true;
  }

  bool checkpoint_due(double last) const {
    if (options_.checkpoint_dir.empty()) return false;
    // Rank 0's clock decides, so that all ranks write at the same level.
    std::vector<std::uint64_t> due{rank_ == 0 && monitor_->elapsed_seconds() - last >=
                                                     options_.checkpoint_interval_seconds};
    comm_.broadcast(due, 0);
    return due[0] != 0;
  }

  std::string bound_reached(std::uint32_t depth) const {
    if (options_.max_states > 0 && global_states_ >= options_.max_states) {
      return fmt::format("max states ({}) reached with {} states left to expand",
                         options_.max_states, global_frontier_);
    }
    if (options_.max_depth > 0 && depth >= options_.max_depth) {
      return fmt::format("max depth ({}) reached with {} states left to expand", options_.max_depth,
                         global_frontier_);
    }
    return {};
  }

  bool violated() const {
    for (std::size_t i = 0; i < evaluator_.size(); ++i) {
      if (evaluator_.properties()[i].kind == PropertyKind::always &&
          outcome_.found[i] != kNotFound) {
        return true;
      }
    }
    return false;
  }

  void insert_initial_states() {
    auto initial = model_.initial_states();
    for (std::uint32_t i = 0; i < initial.size() && rank_ == 0; ++i) {
      canonicalize_if(model_, options_.symmetry, initial[i]);
      push_record(initial[i], kNoState, i, nullptr, nullptr);
    }
    exchange_and_merge();
    finish_level_counts();
  }

  // ---- judging and expanding a level ----------------------------------

  /// The properties of every state of the level, without expanding it.
  void judge_level() {
    start_judging();
    for_each_frontier_state(
        [&](StateId id, const State& state, const std::uint64_t*) { judge(id, state); });
    finish_judging();
  }

  void start_judging() {
    checks_ = evaluator_.open_checks(open_);  // open_ changes between levels only
    hits_.assign(evaluator_.size(), kNotFound);
  }
  void judge(StateId id, const State& state) {
    PropertyEvaluator<State>::evaluate(checks_, state, [&](std::size_t i) {
      if (hits_[i] == kNotFound) hits_[i] = id;
    });
    if (record_graph_) labels_[local_id(id)] = evaluator_.liveness_labels(state);
  }
  /// Per property the smallest global id among the ranks' first hits, so
  /// every rank records the same state.
  void finish_judging() {
    comm_.min(hits_);
    for (std::size_t i = 0; i < hits_.size(); ++i) {
      if (hits_[i] != kNotFound && open_[i]) {
        outcome_.found[i] = hits_[i];
        open_[i] = 0;
      }
    }
  }

  /// A level is judged in the pass that expands it (a packed state is
  /// unpacked once). When one of its states violates an `always` property,
  /// the counts become those of the one-process search, which stops before
  /// expanding such a level: its transitions and coverage are taken back,
  /// and the next level's states, stored already, are not counted.
  void forget_level() {
    transitions_ = level_start_transitions_;
    outcome_.coverage = level_start_coverage_;
    outcome_.deadlock = level_start_deadlock_;
    reported_states_ = level_start_states_;
  }

  /// Expands the level in rounds; false when the time limit stopped it.
  bool expand_level(std::uint32_t depth) {
    start_judging();
    level_start_transitions_ = transitions_;
    level_start_coverage_ = outcome_.coverage;
    level_start_deadlock_ = outcome_.deadlock;
    frontier_.swap(expanding_);
    frontier_.clear();
    local_frontier_ = 0;
    const std::size_t count = expanding_.size() / (1 + payload_words_);
    std::size_t next = 0;
    std::vector<Action> actions;
    State scratch{};
    State successor{};
    const std::uint64_t* previous = nullptr;
    for (;;) {
      const auto busy_from = monitor_->elapsed_seconds();
      std::size_t words = 0;
      for (; next < count && words < kRoundWords; ++next) {
        const std::uint64_t* entry = expanding_.data() + next * (1 + payload_words_);
        decode_over(previous, entry + 1, scratch);
        previous = packed_ ? entry + 1 : nullptr;
        const auto id = global_id(entry[0], rank_);
        judge(id, scratch);
        words += expand_one(id, scratch, entry + 1, actions, successor);
      }
      exchange_and_merge(busy_from);
      // The round's flags: time up anywhere, and each rank's states left.
      Words flags(1 + ranks_, 0);
      flags[0] = monitor_->time_is_up() ? 1 : 0;
      flags[1 + rank_] = count - next;
      comm_.sum(flags);
      report_progress(depth, flags);
      if (flags[0] != 0) {
        // A stopped search still owes its stored states their verdicts.
        for (; next < count; ++next) {
          const std::uint64_t* entry = expanding_.data() + next * (1 + payload_words_);
          decode(entry + 1, scratch);
          judge(global_id(entry[0], rank_), scratch);
        }
        finish_judging();
        outcome_.stop_reason =
            fmt::format("time limit ({} s) reached", options_.time_limit_seconds);
        finish_level_counts();
        return false;
      }
      std::uint64_t left = 0;
      for (int r = 0; r < ranks_; ++r) left += flags[1 + r];
      if (left == 0) break;
    }
    expanding_.clear();
    finish_judging();
    finish_level_counts();
    // The level's deadlock, if it is the first (--continue goes on past it).
    Words deadlock{deadlock_};
    deadlock_ = kNotFound;
    comm_.min(deadlock);
    if (deadlock[0] != kNotFound && outcome_.deadlock == kNotFound) {
      outcome_.deadlock = deadlock[0];
    }
    return true;
  }

  /// The successors of one state into the outgoing buffers; returns the
  /// words appended.
  std::size_t expand_one(StateId id, const State& state, const std::uint64_t* words,
                         std::vector<Action>& actions, State& next) {
    actions.clear();
    model_.actions(state, actions);
    std::uint32_t successors = 0;
    for (std::uint32_t a = 0; a < actions.size(); ++a) {
      if (!successor_of(model_, state, actions[a], next)) continue;
      canonicalize_if(model_, options_.symmetry, next);
      ++successors;
      ++outcome_.coverage[action_kind_of(model_, state, actions[a])];
      push_record(next, id, a, &state, words);
    }
    transitions_ += successors;
    if (successors == 0 && options_.check_deadlock && !is_intended_end(model_, state)) {
      deadlock_ = std::min(deadlock_, id);
    }
    return successors * record_words_;
  }

  void push_record(const State& state, StateId parent, std::uint32_t action, const State* from,
                   const std::uint64_t* from_words) {
    const auto hash = state_hash(model_, state);
    auto& out = outgoing_[owner_of_hash(hash, ranks_)];
    const auto at = out.size();
    out.resize(at + record_words_);
    out[at] = hash;
    out[at + 1] = parent;
    out[at + 2] = action;
    encode(from, from_words, state, out.data() + at + kHeaderWords);
  }

  /// Sends every outgoing record to its owner and stores what arrives; the
  /// new states form this rank's part of the next level.
  void exchange_and_merge(double busy_from = -1) {
    for (int r = 0; r < ranks_; ++r) {
      if (r == rank_) continue;
      mine_.records_sent += outgoing_[r].size() / record_words_;
      mine_.bytes_sent += outgoing_[r].size() * sizeof(std::uint64_t);
    }
    if (busy_from >= 0) mine_.busy_seconds += monitor_->elapsed_seconds() - busy_from;
    // This rank's own successors stay here: only the others' go through
    // the exchange (one copy less of 1/N of the records).
    own_.swap(outgoing_[rank_]);
    comm_.exchange(outgoing_, incoming_);
    const auto merge_from = monitor_->elapsed_seconds();
    for (auto& out : outgoing_) out.clear();
    own_.swap(incoming_[rank_]);
    own_.clear();
    State state{};
    for (auto& records : incoming_) {
      for (std::size_t at = 0; at + record_words_ <= records.size(); at += record_words_) {
        merge_record(records.data() + at, state);
      }
      records.clear();
    }
    mine_.busy_seconds += monitor_->elapsed_seconds() - merge_from;
  }

  void merge_record(const std::uint64_t* record, State& state) {
    const std::uint64_t hash = record[0];
    const StateId parent = record[1];
    const auto action = static_cast<std::uint32_t>(record[2]);
    const std::uint64_t* payload = record + kHeaderWords;
    const auto shard = shard_of_hash(hash);
    typename StoreShard<State>::Inserted inserted;
    if (packed_) {
      inserted = store_.shard(shard).insert_packed(shard, payload, hash, parent, action);
    } else {
      decode(payload, state);
      inserted = store_.shard(shard).insert(shard, state, hash, store_.mode(), parent, action);
    }
    if (record_graph_ && parent != kNoState) {
      edges_.emplace_back(parent, global_id(inserted.id, rank_));
    }
    if (!inserted.is_new) return;
    if (record_graph_) labels_.resize_for(inserted.id);
    frontier_.push_back(inserted.id);
    frontier_.insert(frontier_.end(), payload, payload + payload_words_);
    ++local_frontier_;
  }

  /// After a level: the global number of states and of states to expand.
  void finish_level_counts() {
    Words totals{store_.size(), local_frontier_};
    comm_.sum(totals);
    global_states_ = totals[0];
    global_frontier_ = totals[1];
    counters_.states.store(global_states_, std::memory_order_relaxed);
  }

  template <class Visit>
  void for_each_frontier_state(Visit&& visit) {
    State state{};
    const std::uint64_t* previous = nullptr;
    const std::size_t stride = 1 + payload_words_;
    for (std::size_t at = 0; at + stride <= frontier_.size(); at += stride) {
      const std::uint64_t* entry = frontier_.data() + at;
      decode_over(previous, entry + 1, state);
      previous = packed_ ? entry + 1 : nullptr;
      visit(global_id(entry[0], rank_), state, entry + 1);
    }
  }

  // ---- states as words -------------------------------------------------

  void encode(const State* from, const std::uint64_t* from_words, const State& state,
              std::uint64_t* out) const {
    if (packed_) {
      store_.packing().pack_successor(from, from_words, state, out);
      return;
    }
    if constexpr (std::is_trivially_copyable_v<State>) {
      out[payload_words_ - 1] = 0;  // the padding of the last word
      std::memcpy(out, &state, sizeof(State));
    }
  }
  void decode(const std::uint64_t* words, State& state) const {
    if (packed_) {
      store_.packing().unpack(words, state);
      return;
    }
    if constexpr (std::is_trivially_copyable_v<State>) {
      std::memcpy(static_cast<void*>(&state), words, sizeof(State));
    }
  }
  /// decode, where `state` holds the decoded `previous` (packed mode: only
  /// the fields that differ are rewritten).
  void decode_over(const std::uint64_t* previous, const std::uint64_t* words, State& state) const {
    if (packed_) {
      store_.packing().unpack_over(previous, words, state);
    } else {
      decode(words, state);
    }
  }

  // ---- progress, statistics, liveness ----------------------------------

  void report_progress(std::uint32_t depth, const Words& flags) {
    if (rank_ != 0 || options_.progress_interval_seconds <= 0) return;
    const double now = monitor_->elapsed_seconds();
    if (now - last_progress_ < options_.progress_interval_seconds) return;
    last_progress_ = now;
    std::string queues;
    for (int r = 0; r < ranks_; ++r) {
      queues += fmt::format("{}{}", r == 0 ? "" : "/", flags[1 + r]);
    }
    fmt::print(stderr,
               "progress: {:.0f} s, depth {}, {} states ({:.0f}/s), left in this level per rank "
               "{}, rank 0 sent {} MiB\n",
               now, depth, global_states_, now > 0 ? double(global_states_) / now : 0.0, queues,
               mine_.bytes_sent >> 20);
  }

  /// Each rank's figures on every rank; the totals over all.
  SearchStats gather_stats() {
    mine_.states = store_.size();
    mine_.transitions = transitions_;
    mine_.store_bytes = store_.bytes();
    mine_.peak_rss_bytes = peak_rss_bytes();
    Words slots(ranks_ * kRankFields, 0);
    const std::uint64_t fields[kRankFields] = {
        mine_.states,
        mine_.transitions,
        mine_.records_sent,
        mine_.bytes_sent,
        mine_.store_bytes,
        mine_.peak_rss_bytes,
        static_cast<std::uint64_t>(mine_.busy_seconds * 1e6)};
    std::copy(fields, fields + kRankFields, slots.begin() + rank_ * kRankFields);
    comm_.sum(slots);
    Words totals{transitions_};
    totals.insert(totals.end(), outcome_.coverage.begin(), outcome_.coverage.end());
    comm_.sum(totals);
    outcome_.coverage.assign(totals.begin() + 1, totals.end());

    SearchStats stats;
    stats.strategy = Strategy::bfs;
    stats.storage = store_.mode();
    stats.threads = 1;
    stats.max_depth = max_depth_;
    stats.transitions = totals[0];
    stats.states = reported_states_ != kNotFound ? reported_states_ : global_states_;
    for (int r = 0; r < ranks_; ++r) {
      const auto* f = slots.data() + r * kRankFields;
      stats.ranks.push_back({f[0], f[1], f[2], f[3], f[4], f[5], double(f[6]) / 1e6});
      stats.store_bytes += f[4];
      stats.peak_rss_bytes = std::max(stats.peak_rss_bytes, f[5]);
    }
    stats.bytes_per_state = stats.states ? double(stats.store_bytes) / double(stats.states) : 0;
    stats.seconds = monitor_->elapsed_seconds() + resumed_seconds_;
    if (stats.storage == StorageMode::fingerprint) {
      stats.miss_probability = fingerprint_miss_probability(stats.states, stats.transitions + 1);
    }
    return stats;
  }
  static constexpr std::size_t kRankFields = 7;

  /// The liveness pass on rank 0, over the graph every rank sends it: its
  /// states' labels and the transitions into them. Rank 0 then tells all
  /// ranks which states are stuck.
  void run_liveness() {
    if (!record_graph_) return;
    std::vector<Words> out(ranks_);
    std::vector<Words> in;
    // This rank's dense numbering: shard by shard, as its store counts.
    const auto offsets = store_.dense_offsets();
    auto& mine = out[0];
    mine.push_back(store_.size());
    mine.insert(mine.end(), offsets.begin(), offsets.end());
    for (std::size_t s = 0; s < kShardCount; ++s) {
      for (std::uint32_t l = 0; l < store_.shard(s).size(); ++l) {
        mine.push_back(labels_[make_state_id(s, l)]);
      }
    }
    for (const auto& [from, to] : edges_) {
      mine.push_back(from);
      mine.push_back(to);
    }
    edges_.clear();
    comm_.exchange(out, in);
    Words found(evaluator_.size(), kNotFound);
    if (rank_ == 0) find_stuck_states(in, found);
    comm_.broadcast(found, 0);
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (found[i] != kNotFound) outcome_.found[i] = found[i];
    }
  }

  void find_stuck_states(const std::vector<Words>& parts, Words& found) const {
    // Rank r's states are numbered from base[r], shard by shard.
    std::vector<std::uint64_t> base(ranks_ + 1, 0);
    for (int r = 0; r < ranks_; ++r) base[r + 1] = base[r] + parts[r][0];
    auto dense = [&](StateId global) {
      const auto& part = parts[owner_of_id(global)];
      const auto local = local_id(global);
      return base[owner_of_id(global)] + part[1 + shard_of_id(local)] + local_of_id(local);
    };
    ExploredGraph graph;
    graph.vertices = base[ranks_];
    std::vector<std::uint64_t> labels;
    std::vector<StateId> ids;  // dense -> global
    for (int r = 0; r < ranks_; ++r) {
      const auto& part = parts[r];
      const std::size_t states = part[0];
      const std::size_t first_label = 1 + kShardCount;
      labels.insert(labels.end(), part.begin() + first_label, part.begin() + first_label + states);
      for (std::size_t s = 0; s < kShardCount; ++s) {
        const auto end = s + 1 < kShardCount ? part[2 + s] : states;
        for (std::uint64_t l = 0; l < end - part[1 + s]; ++l) {
          ids.push_back(global_id(make_state_id(s, static_cast<std::uint32_t>(l)), r));
        }
      }
      for (std::size_t at = first_label + states; at + 1 < part.size(); at += 2) {
        graph.edges.emplace_back(dense(part[at]), dense(part[at + 1]));
      }
    }
    const auto& liveness = evaluator_.liveness();
    for (std::size_t k = 0; k < liveness.size(); ++k) {
      std::vector<bool> condition(graph.vertices);
      std::vector<bool> goal(graph.vertices);
      for (std::uint64_t v = 0; v < graph.vertices; ++v) {
        condition[v] = (labels[v] >> (2 * k)) & 1;
        goal[v] = (labels[v] >> (2 * k + 1)) & 1;
      }
      if (const auto stuck = find_stuck_vertex(graph, condition, goal)) {
        found[liveness[k]] = ids[*stuck];
      }
    }
  }

  // ---- traces, by collectives --------------------------------------------

  /// The parent's global id and the action index of a stored state, from
  /// its owner.
  std::pair<StateId, std::uint32_t> link_of(StateId global) {
    Words link(2, 0);
    const int owner = owner_of_id(global);
    if (rank_ == owner) {
      const auto local = local_id(global);
      link = {store_.parent(local), store_.action(local)};
    }
    comm_.broadcast(link, owner);
    return {link[0], static_cast<std::uint32_t>(link[1])};
  }

  /// The global id of a stored state (every rank passes the same state), or
  /// kNoState.
  StateId find_global(const State& state) {
    const auto hash = state_hash(model_, state);
    const int owner = owner_of_hash(hash, ranks_);
    Words found{kNoState};
    if (rank_ == owner) {
      if (const auto local = store_.find(state, hash)) found[0] = global_id(*local, rank_);
    }
    comm_.broadcast(found, owner);
    return found[0];
  }

  /// build_trace_with (trace_builder.hpp) with collectives for the links
  /// and the lookups: every rank replays the same path.
  Trace build_trace(StateId target, bool symmetry) {
    return build_trace_with(
        model_, target, symmetry, [&](StateId id) { return link_of(id); },
        [&](const State& state) { return find_global(state); });
  }

  // ---- checkpoints: one file per rank ------------------------------------

  std::string identity() const {
    std::string names;
    for (const auto& p : evaluator_.properties()) names += p.name + ",";
    return fmt::format(
        "distributed model={} ranks={} rank={} storage={} symmetry={} deadlock={} continue={} "
        "words={} state_bytes={} properties={}:{:016x}",
        model_name(model_), ranks_, rank_, to_string(store_.mode()), options_.symmetry,
        options_.check_deadlock, options_.continue_after_violation, store_.packing().words(),
        sizeof(State), evaluator_.size(), hash_bytes(names.data(), names.size()));
  }

  void write_checkpoint(std::uint32_t depth) {
    RankCheckpoint file(comm_, options_.checkpoint_dir, depth);
    BinaryWriter out(file.stream());
    write_checkpoint_header(out, identity());
    write_progress(
        out, {depth, max_depth_, transitions_, monitor_->elapsed_seconds() + resumed_seconds_},
        outcome_, open_);
    out.pod(mine_.records_sent);
    out.pod(mine_.bytes_sent);
    store_.save(out);
    out.vector(frontier_);
    file.commit();
  }

  /// Collective: every rank loads its file of the newest common level, or
  /// all throw.
  std::uint32_t read_checkpoint() {
    const auto path = RankCheckpoint::latest(comm_, options_.resume_dir);
    std::uint32_t depth = 0;
    std::string error;
    try {
      depth = read_rank_checkpoint(path);
    } catch (const CheckpointError& e) {
      error = e.what();
    }
    agree_or_throw<CheckpointError>(comm_, error, "read its checkpoint");
    finish_level_counts();
    return depth;
  }

  std::uint32_t read_rank_checkpoint(const std::filesystem::path& path) {
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
    in.pod(mine_.records_sent);
    in.pod(mine_.bytes_sent);
    store_.load(in);
    in.vector(frontier_);
    if (frontier_.size() % (1 + payload_words_) != 0) in.fail("a damaged frontier");
    local_frontier_ = frontier_.size() / (1 + payload_words_);
    return depth;
  }

  // ---- members -------------------------------------------------------------

  /// Liveness labels by local id (sized as states arrive).
  struct Labels {
    std::array<std::vector<std::uint64_t>, kShardCount> by_shard;
    void resize_for(StateId local) {
      auto& shard = by_shard[shard_of_id(local)];
      if (shard.size() <= local_of_id(local)) shard.resize(local_of_id(local) + 1, 0);
    }
    std::uint64_t& operator[](StateId local) {
      return by_shard[shard_of_id(local)][local_of_id(local)];
    }
  };

  const M& model_;
  SearchOptions options_;
  Communicator& comm_;
  int rank_;
  int ranks_;
  PropertyEvaluator<State> evaluator_;
  StateStore<M> store_;
  std::vector<char> open_;
  std::size_t kind_count_;
  bool packed_ = false;
  bool record_graph_ = false;
  std::size_t payload_words_ = 0;
  std::size_t record_words_ = 0;
  SearchOutcome outcome_;
  /// This rank's part of the level being built: per state, its local id
  /// then its words; `expanding_` holds the level being expanded.
  Words frontier_;
  Words expanding_;
  std::uint64_t local_frontier_ = 0;
  std::vector<Words> outgoing_;
  std::vector<Words> incoming_;
  Words own_;                  ///< this rank's records to itself, kept out of the exchange
  std::vector<Check> checks_;  ///< the level's open checks
  Words hits_;                 ///< per property, this rank's first state in the level to decide it
  std::uint64_t level_start_transitions_ = 0;
  std::vector<std::uint64_t> level_start_coverage_;
  std::uint64_t level_start_deadlock_ = kNotFound;
  Labels labels_;
  std::vector<std::pair<StateId, StateId>> edges_;  ///< (parent, child), global ids
  std::uint64_t global_states_ = 0;
  std::uint64_t global_frontier_ = 0;
  std::uint64_t level_start_states_ = 0;
  std::uint64_t reported_states_ = kNotFound;
  std::uint64_t transitions_ = 0;
  StateId deadlock_ = kNotFound;
  std::uint32_t max_depth_ = 0;
  double resumed_seconds_ = 0;
  double last_progress_ = 0;
  RankStats mine_;
  ProgressCounters counters_;
  ProgressMonitor* monitor_ = nullptr;
};

}  // namespace lmc
