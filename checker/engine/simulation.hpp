#pragma once
// Random simulation: seeded walks from the initial states, for state spaces
// too large to exhaust. Walks find violations and reach goals; they never
// prove anything, so a run without a violation is `incomplete`.

#include <unordered_set>
#include <vector>

#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/progress.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/search_outcome.hpp"
#include "checker/engine/trace_builder.hpp"

namespace lmc {

/// SplitMix64: tiny, fast, and the same sequence on every platform (the
/// standard distributions are not), so a seed reproduces a walk anywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>((next() >> 32) * bound >> 32);
  }

 private:
  std::uint64_t state_;
};

template <Model M>
class RandomSimulation {
  using State = typename M::State;
  using Action = typename M::Action;

 public:
  RandomSimulation(const M& model, const SearchOptions& options)
      : model_(model),
        options_(options),
        evaluator_(properties_of(model), options.check_liveness),
        open_(evaluator_.size(), 1) {
    outcome_.found.assign(evaluator_.size(), kNotFound);
    outcome_.coverage.assign(action_kinds_of(model).size(), 0);
  }

  CheckResult run() {
    ProgressMonitor monitor(counters_, options_);
    const auto initial = model_.initial_states();
    std::uint64_t walk = 0;
    for (; walk < options_.walks && !stopped_; ++walk) {
      if (monitor.time_is_up()) {
        outcome_.stop_reason =
            fmt::format("time limit ({} s) reached", options_.time_limit_seconds);
        break;
      }
      SplitMix64 random(options_.seed * 0x100000001b3ULL + walk);
      walk_once(initial, random);
    }
    if (outcome_.stop_reason.empty() && !stopped_) {
      outcome_.stop_reason =
          fmt::format("simulation: {} random walks of up to {} steps", walk, options_.walk_depth);
    }
    SearchStats stats;
    stats.states = seen_.size();
    stats.transitions = transitions_;
    stats.max_depth = max_depth_;
    stats.seconds = monitor.elapsed_seconds();
    stats.strategy = Strategy::simulation;
    stats.storage = StorageMode::fingerprint;
    stats.walks = walk;
    stats.peak_rss_bytes = peak_rss_bytes();
    return assemble_result(model_, evaluator_, outcome_, options_, stats,
                           [&](std::uint64_t handle) {
                             return replay_trace(model_, paths_[handle],
                                                 [](std::size_t, const State&) { return true; });
                           });
  }

 private:
  void walk_once(const std::vector<State>& initial, SplitMix64& random) {
    std::vector<std::uint32_t> path{random.below(static_cast<std::uint32_t>(initial.size()))};
    State state = initial[path[0]];
    if (!observe(state, path)) return;
    std::vector<Action> actions;
    std::vector<std::pair<std::uint32_t, State>> enabled;
    for (std::uint32_t step = 0; step < options_.walk_depth; ++step) {
      actions.clear();
      enabled.clear();
      model_.actions(state, actions);
      for (std::uint32_t a = 0; a < actions.size(); ++a) {
        if (auto next = next_state_of(model_, state, actions[a]))
          enabled.emplace_back(a, std::move(*next));
      }
      if (enabled.empty()) {
        if (options_.check_deadlock && !is_intended_end(model_, state)) record_deadlock(path);
        return;
      }
      auto& [index, next] = enabled[random.below(static_cast<std::uint32_t>(enabled.size()))];
      ++transitions_;
      ++outcome_.coverage[action_kind_of(model_, state, actions[index])];
      path.push_back(index);
      max_depth_ = std::max(max_depth_, step + 1);
      state = std::move(next);
      if (!observe(state, path)) return;
    }
  }

  /// Checks a visited state; false when a violation ends the simulation.
  bool observe(const State& state, const std::vector<std::uint32_t>& path) {
    if (seen_.insert(state_hash(model_, state)).second) {
      counters_.states.store(seen_.size(), std::memory_order_relaxed);
    }
    evaluator_.evaluate(state, open_, [&](std::size_t i) {
      outcome_.found[i] = paths_.size();
      paths_.push_back(path);
      open_[i] = 0;
      stopped_ |= evaluator_.properties()[i].kind == PropertyKind::always;
    });
    return !stopped_;
  }

  void record_deadlock(const std::vector<std::uint32_t>& path) {
    outcome_.deadlock = paths_.size();
    paths_.push_back(path);
    stopped_ = true;
  }

  const M& model_;
  SearchOptions options_;
  PropertyEvaluator<State> evaluator_;
  std::vector<char> open_;
  SearchOutcome outcome_;
  std::vector<std::vector<std::uint32_t>> paths_;
  std::unordered_set<std::uint64_t> seen_;
  std::uint64_t transitions_ = 0;
  std::uint32_t max_depth_ = 0;
  bool stopped_ = false;
  ProgressCounters counters_;
};

}  // namespace lmc
