#pragma once
// Counterexamples are not stored during the search, only parent links and the
// index of the action taken. A trace is rebuilt by replaying the model along
// those indices and checking that each replayed state is the stored one; if
// it is not, the model's successor function is nondeterministic and the trace
// says so.

#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "checker/engine/model_concept.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/state_store.hpp"

namespace lmc {

/// Replays `indices` (the first picks the initial state, each next one an
/// action of the current state's list). `expect(step, state)` may veto a
/// replayed state; the trace then ends there and is marked nondeterministic.
template <Model M, class Expect>
Trace replay_trace(const M& model, const std::vector<std::uint32_t>& indices, Expect&& expect) {
  Trace trace;
  const auto initial = model.initial_states();
  if (indices.empty() || indices[0] >= initial.size()) {
    trace.nondeterministic = true;
    trace.note = "the trace's initial state index is out of range";
    return trace;
  }
  auto state = initial[indices[0]];
  trace.steps.push_back({"", describe_of(model, state)});
  if (!expect(0, state)) {
    trace.nondeterministic = true;
    trace.note = "replay diverged at the initial state";
    return trace;
  }
  trace.path.push_back(indices[0]);
  std::vector<typename M::Action> actions;
  for (std::size_t step = 1; step < indices.size(); ++step) {
    actions.clear();
    model.actions(state, actions);
    std::optional<typename M::State> next;
    if (indices[step] < actions.size()) next = next_state_of(model, state, actions[indices[step]]);
    if (!next || !expect(step, *next)) {
      trace.nondeterministic = true;
      trace.note = fmt::format("replay diverged at step {}: the model is nondeterministic", step);
      return trace;
    }
    trace.steps.push_back(
        {format_action_of(model, state, actions[indices[step]]), describe_of(model, *next)});
    trace.path.push_back(indices[step]);
    state = std::move(*next);
  }
  return trace;
}

/// A counterexample or witness in the model's own types: states[0] is an
/// initial state and actions[i] leads from states[i] to states[i + 1].
template <Model M>
struct Path {
  std::vector<typename M::State> states;
  std::vector<typename M::Action> actions;
};

/// The trace of a result (`CheckResult::properties[i].trace`) as the
/// model's states and actions, rebuilt by replaying its `path` indices; nullopt
/// when they do not replay (a trace marked nondeterministic, or a trace of
/// another model or configuration).
template <Model M>
std::optional<Path<M>> path_of(const M& model, const Trace& trace) {
  const auto initial = model.initial_states();
  if (trace.nondeterministic || trace.path.empty() || trace.path[0] >= initial.size()) {
    return std::nullopt;
  }
  Path<M> path;
  path.states.push_back(initial[trace.path[0]]);
  std::vector<typename M::Action> actions;
  for (std::size_t step = 1; step < trace.path.size(); ++step) {
    actions.clear();
    model.actions(path.states.back(), actions);
    if (trace.path[step] >= actions.size()) return std::nullopt;
    auto next = next_state_of(model, path.states.back(), actions[trace.path[step]]);
    if (!next) return std::nullopt;
    path.actions.push_back(actions[trace.path[step]]);
    path.states.push_back(std::move(*next));
  }
  return path;
}

/// A search with symmetry reduction stores representatives, and its action
/// indices lead from one representative to a state whose representative is
/// the next; that is not a path the model takes. This maps it onto one: from
/// the real state, it takes the first action whose successor has the next
/// stored representative, and returns those indices (which replay_trace then
/// follows without symmetry). Empty if no action does, which a sound
/// symmetry rules out (or if the initial index is out of range).
/// `find(representative)` is the id of a stored state, or kNoState.
template <Model M, class Find>
std::vector<std::uint32_t> concrete_indices(const M& model, const std::vector<StateId>& path,
                                            std::uint32_t initial_index, Find&& find) {
  std::vector<std::uint32_t> indices{initial_index};
  const auto initial = model.initial_states();
  if (initial_index >= initial.size()) return {};
  auto state = initial[initial_index];
  std::vector<typename M::Action> actions;
  for (std::size_t step = 1; step < path.size(); ++step) {
    actions.clear();
    model.actions(state, actions);
    bool found = false;
    for (std::uint32_t a = 0; a < actions.size() && !found; ++a) {
      auto next = next_state_of(model, state, actions[a]);
      if (!next) continue;
      auto representative = *next;
      canonicalize_if(model, true, representative);
      if (find(representative) != path[step]) continue;
      indices.push_back(a);
      state = std::move(*next);
      found = true;
    }
    if (!found) return {};
  }
  return indices;
}

/// Rebuilds the path from an initial state to `target` along parent links,
/// verifying every replayed state (or, with `symmetry`, its representative)
/// against the stored one. `link(id)` is a stored state's (parent id, action
/// index); `find(state)` the id of a stored state, or kNoState. The
/// distributed search passes collectives for both, so that the links and
/// the lookups go to each state's owner.
template <Model M, class Link, class Find>
Trace build_trace_with(const M& model, StateId target, bool symmetry, Link&& link, Find&& find) {
  std::vector<StateId> path;
  std::vector<std::uint32_t> indices;
  for (StateId id = target; id != kNoState;) {
    const auto [parent, action] = link(id);
    path.push_back(id);
    indices.push_back(action);
    id = parent;
  }
  std::reverse(path.begin(), path.end());
  std::reverse(indices.begin(), indices.end());
  if (symmetry) {
    indices = concrete_indices(model, path, indices[0], find);
    if (indices.empty()) {
      Trace trace;
      trace.nondeterministic = true;
      trace.note = "no real path maps onto the stored one: the model's symmetry is unsound";
      return trace;
    }
  }
  return replay_trace(model, indices, [&](std::size_t step, const typename M::State& state) {
    auto representative = state;
    canonicalize_if(model, symmetry, representative);
    return find(representative) == path[step];
  });
}

/// build_trace_with over one process's store.
template <Model M>
Trace build_trace(const M& model, const StateStore<M>& store, StateId target,
                  bool symmetry = false) {
  return build_trace_with(
      model, target, symmetry,
      [&](StateId id) {
        return std::pair{store.parent(id), store.action(id)};
      },
      [&](const typename M::State& state) {
        return store.find(state, state_hash(model, state)).value_or(kNoState);
      });
}

}  // namespace lmc
