#pragma once
// Depth-first search on one thread, with an explicit stack. It stores the
// same states as breadth-first search, usually reaches deep states sooner,
// and stops at the first violation; its traces are valid but not shortest.

#include <vector>

#include "checker/engine/liveness.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/progress.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/search_outcome.hpp"
#include "checker/engine/search_stats.hpp"
#include "checker/engine/state_store.hpp"
#include "checker/engine/trace_builder.hpp"

namespace lmc {

template <Model M>
class DepthFirstSearch {
  using State = typename M::State;
  using Action = typename M::Action;

 public:
  DepthFirstSearch(const M& model, const SearchOptions& options)
      : model_(model),
        options_(options),
        evaluator_(properties_of(model), options.check_liveness),
        store_(model, options.storage),
        open_(evaluator_.size(), 1) {
    outcome_.found.assign(evaluator_.size(), kNotFound);
    outcome_.coverage.assign(action_kinds_of(model).size(), 0);
    record_graph_ = !evaluator_.liveness().empty();
  }

  CheckResult run() {
    ProgressMonitor monitor(counters_, options_);
    monitor_ = &monitor;
    search();
    auto stats = store_stats(store_, transitions_, max_depth_, monitor.elapsed_seconds());
    stats.strategy = Strategy::dfs;
    return finish_stored_search(model_, options_, evaluator_, store_, liveness_, outcome_, stats,
                                monitor);
  }

 private:
  struct Frame {
    StateId id;
    State state;
    std::vector<Action> actions;
    std::uint32_t next = 0;
    std::uint32_t successors = 0;
  };

  void search() {
    auto initial = model_.initial_states();
    for (std::uint32_t i = 0; i < initial.size(); ++i) {
      if (!visit(initial[i], kNoState, i)) return;
      if (!explore()) return;
    }
    outcome_.complete = !bounded_;
  }

  /// Stores a state reached from `parent`; pushes it when new. Returns false
  /// when the search must stop.
  bool visit(State& state, StateId parent, std::uint32_t action) {
    canonicalize_if(model_, options_.symmetry, state);
    const auto inserted = store_.insert(state, state_hash(model_, state), parent, action);
    if (record_graph_ && parent != kNoState) {
      liveness_.edges[shard_of_id(inserted.id)].emplace_back(parent, inserted.id);
    }
    if (!inserted.is_new) return true;
    counters_.states.fetch_add(1, std::memory_order_relaxed);
    const auto depth = static_cast<std::uint32_t>(stack_.size());
    max_depth_ = std::max(max_depth_, depth);
    bool violated = false;
    evaluator_.evaluate(state, open_, [&](std::size_t i) {
      outcome_.found[i] = inserted.id;
      open_[i] = 0;
      violated |= evaluator_.properties()[i].kind == PropertyKind::always;
    });
    if (record_graph_) {
      liveness_.labels[shard_of_id(inserted.id)].push_back(evaluator_.liveness_labels(state));
    }
    if (violated) return false;
    if (options_.max_states > 0 && store_.size() > options_.max_states) {
      outcome_.stop_reason = fmt::format("max states ({}) reached", options_.max_states);
      return false;
    }
    if (options_.max_depth > 0 && depth >= options_.max_depth) {
      bounded_ = true;
      outcome_.stop_reason = fmt::format("max depth ({}) cut some paths", options_.max_depth);
      return true;
    }
    Frame frame{inserted.id, std::move(state), {}, 0, 0};
    model_.actions(frame.state, frame.actions);
    stack_.push_back(std::move(frame));
    return true;
  }

  bool explore() {
    while (!stack_.empty()) {
      if ((transitions_ & 1023) == 0 && monitor_->time_is_up()) {
        outcome_.stop_reason =
            fmt::format("time limit ({} s) reached", options_.time_limit_seconds);
        return false;
      }
      Frame& top = stack_.back();
      if (top.next == top.actions.size()) {
        if (top.successors == 0 && options_.check_deadlock && !is_intended_end(model_, top.state)) {
          outcome_.deadlock = top.id;
          return false;
        }
        stack_.pop_back();
        continue;
      }
      const std::uint32_t index = top.next++;
      auto next = next_state_of(model_, top.state, top.actions[index]);
      if (!next) continue;
      ++top.successors;
      ++transitions_;
      ++outcome_.coverage[action_kind_of(model_, top.state, top.actions[index])];
      counters_.depth.store(static_cast<std::uint32_t>(stack_.size()), std::memory_order_relaxed);
      counters_.queue.store(stack_.size(), std::memory_order_relaxed);
      if (!visit(*next, top.id, index)) return false;
    }
    return true;
  }

  const M& model_;
  SearchOptions options_;
  PropertyEvaluator<State> evaluator_;
  StateStore<M> store_;
  std::vector<char> open_;
  bool record_graph_ = false;
  bool bounded_ = false;
  SearchOutcome outcome_;
  LivenessRecord liveness_;
  std::vector<Frame> stack_;
  std::uint64_t transitions_ = 0;
  std::uint32_t max_depth_ = 0;
  ProgressCounters counters_;
  ProgressMonitor* monitor_ = nullptr;
};

}  // namespace lmc
