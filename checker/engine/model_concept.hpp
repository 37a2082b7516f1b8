#pragma once
// The contract between a model and the exploration engine. The engine is a
// template over this concept, so each model's hot loop is compiled for it (as
// SPIN's generated pan.c and Murphi do) with no virtual call per transition.
//
// A model needs three things: its initial states, the candidate actions of a
// state, and the successor by an action. The smallest one, a counter that
// wraps at 3 and must never reach 5:
//
//   struct Counter {
//     struct State { std::uint8_t value = 0; bool operator==(const State&) const = default; };
//     struct Action { bool wrap; };
//     std::vector<State> initial_states() const { return {State{}}; }
//     void actions(const State& s, std::vector<Action>& out) const { out.push_back({s.value == 2});
//     } std::optional<State> next_state(const State& s, const Action& a) const {
//       return State{static_cast<std::uint8_t>(a.wrap ? 0 : s.value + 1)};
//     }
//   };
//   static_assert(lmc::Model<Counter>);
//
// Everything else has a default (model_traits.hpp): name, is_terminal,
// hash (of the state's bytes), action_kinds and action_kind (for coverage;
// `action_kind(state, action)` when the kind depends on the state),
// format_action and describe (for traces), properties (none: only deadlock
// freedom is checked), action_kind_enabled. A model that gives
// `bool successor(const State&, const Action&, State& next) const` needs no
// next_state.
//
// Rules the engine relies on:
// - `actions` appends the candidate actions of a state in a deterministic
//   order; `next_state` returns nullopt when a candidate is disabled. A trace
//   is stored as indices into this list and rebuilt by replaying the model, so
//   both functions must be pure (same input, same output).
// - `hash` is stable across runs: it is the state's fingerprint in the
//   compact storage mode and picks its shard in every mode.
// - `is_terminal` (optional) marks states without successors that are
//   intended ends (not deadlocks).
// - `successor(state, action, next)` (instead of, or beside, next_state)
//   writes into `next`, which the search reuses, rather than returning a
//   std::optional; false when the action is disabled. With both, they must
//   agree.
// - Optionally (PackableModel; the engine calls these through
//   StatePacking, state_packing.hpp), `packed_words()`, `pack(state, words)` and
//   `unpack(words, state)`: a lossless encoding of a state in a fixed number
//   of 64-bit words, which the packed storage mode stores instead of the
//   State object. unpack(pack(s)) must equal s. Optionally also
//   `repack(parent, parent_words, state, words)`: pack(state) computed from
//   its parent's packed words, which is cheaper when a step changes little;
//   and `unpack_over(previous_words, words, state)`: unpack(words, state)
//   when `state` already holds the unpacked previous_words, which is cheaper
//   when the two share most fields (the search unpacks a level's states
//   one after another into the same State).
// - Optionally (SymmetricModel), `canonicalize(state)`: rewrites a state into
//   the representative of its class under a symmetry of the model (a
//   permutation of interchangeable units that maps every state's successors
//   onto the permuted state's successors and keeps every property's value).
//   With SearchOptions::symmetry the search stores only representatives; the
//   counts shrink, verdicts do not, and traces are mapped back onto states
//   the model really passes through (trace_builder.hpp).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/model_traits.hpp"
#include "checker/engine/property.hpp"

namespace lmc {

template <class M>
concept Model = requires(const M& model, const typename M::State& state,
                         std::vector<typename M::Action>& actions_out) {
  requires std::copyable<typename M::State>;
  requires std::equality_comparable<typename M::State>;
  requires std::copyable<typename M::Action>;
  { model.initial_states() } -> std::same_as<std::vector<typename M::State>>;
  { model.actions(state, actions_out) } -> std::same_as<void>;
}
&&(HasNextState<M> || HasSuccessor<M>);

template <class M>
concept PackableModel = Model<M> &&
    requires(const M& model, const typename M::State& state, typename M::State& state_out,
             std::uint64_t* words, const std::uint64_t* in) {
  { model.packed_words() } -> std::convertible_to<std::size_t>;
  { model.pack(state, words) } -> std::same_as<void>;
  { model.unpack(in, state_out) } -> std::same_as<void>;
};

template <class M>
concept DeltaUnpackingModel = PackableModel<M> &&
    requires(const M& model, const std::uint64_t* in, typename M::State& state) {
  { model.unpack_over(in, in, state) } -> std::same_as<void>;
};

template <class M>
concept RepackingModel = PackableModel<M> &&
    requires(const M& model, const typename M::State& state, const std::uint64_t* in,
             std::uint64_t* words) {
  { model.repack(state, in, state, words) } -> std::same_as<void>;
};

template <class M>
concept SymmetricModel = Model<M> && requires(const M& model, typename M::State& state) {
  { model.canonicalize(state) } -> std::same_as<void>;
};

/// The representative of `state`'s symmetry class, or `state` itself when
/// the model has no symmetry or the search does not use it.
template <Model M>
void canonicalize_if(const M& model, bool symmetry, typename M::State& state) {
  if constexpr (SymmetricModel<M>) {
    if (symmetry) model.canonicalize(state);
  }
}

}  // namespace lmc
