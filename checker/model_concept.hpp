#pragma once
// The contract between a model and the exploration engine. The engine is a
// template over this concept, so each model's hot loop is compiled for it (as
// SPIN's generated pan.c and Murphi do) with no virtual call per transition.
//
// A tiny example, a counter that wraps at 3 and must never reach 5:
//
//   struct Counter {
//     struct State { std::uint8_t value = 0; bool operator==(const State&) const = default; };
//     struct Action { bool wrap; };
//     std::string name() const { return "counter"; }
//     std::vector<State> initial_states() const { return {State{}}; }
//     void actions(const State& s, std::vector<Action>& out) const {
//       out.push_back({s.value == 2});
//     }
//     std::optional<State> next_state(const State& s, const Action& a) const {
//       return State{static_cast<std::uint8_t>(a.wrap ? 0 : s.value + 1)};
//     }
//     bool is_terminal(const State&) const { return false; }
//     std::uint64_t hash(const State& s) const { return lmc::hash_object(s); }
//     std::vector<std::string> action_kinds() const { return {"increment", "wrap"}; }
//     std::size_t action_kind(const Action& a) const { return a.wrap ? 1 : 0; }
//     std::string format_action(const State&, const Action& a) const {
//       return a.wrap ? "wrap" : "increment";
//     }
//     std::vector<lmc::Variable> describe(const State& s) const {
//       return {{"value", std::to_string(s.value)}};
//     }
//     std::vector<lmc::Property<State>> properties() const {
//       return {lmc::Property<State>::always("below_five", "", [](const State& s) {
//         return s.value < 5; })};
//     }
//   };
//   static_assert(lmc::Model<Counter>);
//
// Rules the engine relies on:
// - `actions` appends the candidate actions of a state in a deterministic
//   order; `next_state` returns nullopt when a candidate is disabled. A trace
//   is stored as indices into this list and rebuilt by replaying the model, so
//   both functions must be pure (same input, same output).
// - `hash` is stable across runs: it is the state's fingerprint in the
//   compact storage mode and picks its shard in every mode.
// - `is_terminal` marks states without successors that are intended ends
//   (not deadlocks).
// - Optionally, `bool action_kind_enabled(std::size_t kind) const` says which
//   action kinds the model's configuration can fire at all; coverage warns
//   only about enabled kinds that never fired.
// - Optionally, `bool successor(const State&, const Action&, State& next)
//   const`: next_state writing into `next` (which the search reuses) rather
//   than returning a std::optional; false when the action is disabled. It
//   must agree with next_state.
// - Optionally (PackableModel), `packed_words()`, `pack(state, words)` and
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

#include "model/core/property.hpp"

namespace lmc {

template <class M>
concept Model = requires(const M& model, const typename M::State& state,
                         const typename M::Action& action,
                         std::vector<typename M::Action>& actions_out) {
  requires std::copyable<typename M::State>;
  requires std::equality_comparable<typename M::State>;
  requires std::copyable<typename M::Action>;
  { model.name() } -> std::convertible_to<std::string>;
  { model.initial_states() } -> std::same_as<std::vector<typename M::State>>;
  { model.actions(state, actions_out) } -> std::same_as<void>;
  { model.next_state(state, action) } -> std::same_as<std::optional<typename M::State>>;
  { model.is_terminal(state) } -> std::convertible_to<bool>;
  { model.hash(state) } -> std::same_as<std::uint64_t>;
  { model.action_kinds() } -> std::same_as<std::vector<std::string>>;
  { model.action_kind(action) } -> std::convertible_to<std::size_t>;
  { model.format_action(state, action) } -> std::convertible_to<std::string>;
  { model.describe(state) } -> std::same_as<std::vector<Variable>>;
  { model.properties() } -> std::same_as<std::vector<Property<typename M::State>>>;
};

template <class M>
concept SuccessorModel = Model<M> &&
    requires(const M& model, const typename M::State& state, const typename M::Action& action,
             typename M::State& next) {
  { model.successor(state, action, next) } -> std::same_as<bool>;
};

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
