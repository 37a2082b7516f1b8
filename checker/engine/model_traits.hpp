#pragma once
// What the engine asks of a model beyond the three members a search needs
// (initial_states, actions, next_state or successor), with defaults for a
// model that does not say: the engine calls these functions, never the
// optional members themselves, so a model grows from three members to the
// full set one member at a time (as stateright's Model trait has three
// required methods and defaults for the rest).

#include <fmt/core.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "checker/engine/hash.hpp"
#include "checker/engine/property.hpp"

namespace lmc {

template <class M>
concept HasNextState = requires(const M& m, const typename M::State& s,
                                const typename M::Action& a) {
  { m.next_state(s, a) } -> std::same_as<std::optional<typename M::State>>;
};

template <class M>
concept HasSuccessor = requires(const M& m, const typename M::State& s, const typename M::Action& a,
                                typename M::State& next) {
  { m.successor(s, a, next) } -> std::same_as<bool>;
};

/// The model's name; "model" by default.
template <class M>
std::string model_name(const M& m) {
  if constexpr (requires {
                  { m.name() } -> std::convertible_to<std::string>;
                }) {
    return m.name();
  } else {
    return "model";
  }
}

/// A state without successors that is an intended end (not a deadlock);
/// none by default.
template <class M>
bool is_intended_end(const M& m, const typename M::State& s) {
  if constexpr (requires {
                  { m.is_terminal(s) } -> std::convertible_to<bool>;
                }) {
    return m.is_terminal(s);
  } else {
    return false;
  }
}

/// The state's fingerprint, stable across runs; by default the hash of its
/// bytes, which needs a State without padding (otherwise give the model a
/// `std::uint64_t hash(const State&) const`).
template <class M>
std::uint64_t state_hash(const M& m, const typename M::State& s) {
  if constexpr (requires {
                  { m.hash(s) } -> std::same_as<std::uint64_t>;
                }) {
    return m.hash(s);
  } else {
    static_assert(std::has_unique_object_representations_v<typename M::State>,
                  "the State has padding or pointers: give the model a hash(state) member");
    return hash_object(s);
  }
}

/// Names of the kinds of action, for coverage; one kind, "step", by default.
template <class M>
std::vector<std::string> action_kinds_of(const M& m) {
  if constexpr (requires {
                  { m.action_kinds() } -> std::same_as<std::vector<std::string>>;
                }) {
    return m.action_kinds();
  } else {
    return {"step"};
  }
}

/// The kind of `a` taken in `s`, an index into action_kinds_of: the model's
/// `action_kind(s, a)` when the kind depends on the state (the same message
/// is a delivery in one state and a retry in another), else its
/// `action_kind(a)`, else 0.
template <class M>
std::size_t action_kind_of(const M& m, const typename M::State& s, const typename M::Action& a) {
  if constexpr (requires {
                  { m.action_kind(s, a) } -> std::convertible_to<std::size_t>;
                }) {
    return m.action_kind(s, a);
  } else if constexpr (requires {
                         { m.action_kind(a) } -> std::convertible_to<std::size_t>;
                       }) {
    return m.action_kind(a);
  } else {
    return 0;
  }
}

/// An action as a trace prints it; by default the name of its kind.
template <class M>
std::string format_action_of(const M& m, const typename M::State& s, const typename M::Action& a) {
  if constexpr (requires {
                  { m.format_action(s, a) } -> std::convertible_to<std::string>;
                }) {
    return m.format_action(s, a);
  } else {
    return action_kinds_of(m)[action_kind_of(m, s, a)];
  }
}

/// A state as a trace prints it; by default its fingerprint.
template <class M>
std::vector<Variable> describe_of(const M& m, const typename M::State& s) {
  if constexpr (requires {
                  { m.describe(s) } -> std::same_as<std::vector<Variable>>;
                }) {
    return m.describe(s);
  } else {
    return {{"state", fmt::format("#{:016x}", state_hash(m, s))}};
  }
}

/// The properties to check; none by default (the engine still checks for
/// deadlocks).
template <class M>
std::vector<Property<typename M::State>> properties_of(const M& m) {
  if constexpr (requires {
                  { m.properties() } -> std::same_as<std::vector<Property<typename M::State>>>;
                }) {
    return m.properties();
  } else {
    return {};
  }
}

/// Whether the configuration can fire a kind at all (coverage warns only
/// about enabled kinds that never fired); every kind by default.
template <class M>
bool action_kind_enabled_of(const M& m, std::size_t kind) {
  if constexpr (requires {
                  { m.action_kind_enabled(kind) } -> std::convertible_to<bool>;
                }) {
    return m.action_kind_enabled(kind);
  } else {
    return true;
  }
}

/// The successor of `s` by `a`, or nullopt when `a` is disabled: next_state,
/// or successor into a fresh state.
template <class M>
std::optional<typename M::State> next_state_of(const M& m, const typename M::State& s,
                                               const typename M::Action& a) {
  if constexpr (HasNextState<M>) {
    return m.next_state(s, a);
  } else {
    typename M::State next = s;
    if (!m.successor(s, a, next)) return std::nullopt;
    return next;
  }
}

/// The successor written into `next` (which the search reuses); false when
/// `a` is disabled: successor, or next_state.
template <class M>
bool successor_of(const M& m, const typename M::State& s, const typename M::Action& a,
                  typename M::State& next) {
  if constexpr (HasSuccessor<M>) {
    return m.successor(s, a, next);  // no std::optional to fill and copy
  } else {
    auto found = m.next_state(s, a);
    if (!found) return false;
    next = std::move(*found);
    return true;
  }
}

}  // namespace lmc
