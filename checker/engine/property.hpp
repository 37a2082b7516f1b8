#pragma once
// The vocabulary a model uses to state what must hold. Plain data: the model
// library depends on nothing of the checker, the checker depends on this.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lmc {

/// How a property is judged over the explored state space.
enum class PropertyKind : std::uint8_t {
  /// `condition` holds in every reachable state (a safety invariant).
  always,
  /// `condition` holds in at least one reachable state. A goal that is never
  /// reached is reported as a failure: the model never gets where it should.
  sometimes,
  /// From every reachable state satisfying `condition`, some state satisfying
  /// `goal` is reachable (AG(condition -> EF goal)), checked on the explored
  /// graph after an exhaustive search.
  liveness,
};

std::string_view to_string(PropertyKind kind);

/// A named property of a model. `ids` names the domain rules it checks
/// (e.g. "I1" or "P16, I3"), so reports point back at shared/domain.md.
template <class State>
struct Property {
  std::string name;
  PropertyKind kind = PropertyKind::always;
  std::string ids;
  std::function<bool(const State&)> condition;
  /// Only for liveness: the states that must remain reachable.
  std::function<bool(const State&)> goal;

  static Property always(std::string name, std::string ids, std::function<bool(const State&)> c) {
    return {std::move(name), PropertyKind::always, std::move(ids), std::move(c), {}};
  }
  static Property sometimes(std::string name, std::string ids,
                            std::function<bool(const State&)> c) {
    return {std::move(name), PropertyKind::sometimes, std::move(ids), std::move(c), {}};
  }
  static Property liveness(std::string name, std::string ids, std::function<bool(const State&)> c,
                           std::function<bool(const State&)> g) {
    return {std::move(name), PropertyKind::liveness, std::move(ids), std::move(c), std::move(g)};
  }
};

/// One state variable as a reviewer reads it: counterexamples print these and
/// show only the ones an action changed.
struct Variable {
  std::string name;
  std::string value;
  bool operator==(const Variable&) const = default;
};

/// A named model parameter with its default and a sentence for --list-models.
struct ParameterInfo {
  std::string name;
  std::int64_t default_value = 0;
  std::int64_t min_value = 0;
  std::int64_t max_value = 0;
  std::string help;
};

}  // namespace lmc
