#pragma once
// Evaluates a model's properties on each newly stored state. Safe to call
// from many threads at once: it reads the property list and the `open` flags,
// which the search only updates between phases.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "checker/engine/property.hpp"

namespace lmc {

template <class State>
class PropertyEvaluator {
 public:
  /// An `always` or `sometimes` property as the search tests it: property
  /// `index` is decided by a state whose condition equals `decided_when`
  /// (false for `always`: a violation; true for `sometimes`: a witness).
  struct Check {
    std::size_t index;
    bool decided_when;
    std::function<bool(const State&)> condition;
  };

  /// With `check_liveness` false, liveness properties are left undecided.
  PropertyEvaluator(std::vector<Property<State>> properties, bool check_liveness)
      : properties_(std::move(properties)) {
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      const auto& property = properties_[i];
      if (check_liveness && property.kind == PropertyKind::liveness) liveness_.push_back(i);
      if (property.kind == PropertyKind::liveness) continue;
      checks_.push_back({i, property.kind == PropertyKind::sometimes, property.condition});
    }
  }

  const std::vector<Property<State>>& properties() const { return properties_; }
  std::size_t size() const { return properties_.size(); }
  const std::vector<std::size_t>& liveness() const { return liveness_; }

  /// The checks of the properties not yet decided (open[i] != 0). A search
  /// that evaluates many states between updates of `open` takes this list
  /// once and loops over it, rather than over every property per state.
  std::vector<Check> open_checks(const std::vector<char>& open) const {
    std::vector<Check> out;
    for (const auto& check : checks_) {
      if (open[check.index]) out.push_back(check);
    }
    return out;
  }

  /// Calls on_hit(i) for every check i of `checks` that `state` decides.
  template <class OnHit>
  static void evaluate(const std::vector<Check>& checks, const State& state, OnHit&& on_hit) {
    for (const auto& check : checks) {
      if (check.condition(state) == check.decided_when) on_hit(check.index);
    }
  }

  /// Calls on_hit(i) for every property i that `state` decides: an `always`
  /// it violates, a `sometimes` it reaches. Properties already decided
  /// (open[i] == 0) are skipped: their first witness is the one reported.
  template <class OnHit>
  void evaluate(const State& state, const std::vector<char>& open, OnHit&& on_hit) const {
    for (const auto& check : checks_) {
      if (open[check.index] && check.condition(state) == check.decided_when) on_hit(check.index);
    }
  }

  /// Bit 2k: the k-th liveness property's condition holds; bit 2k+1: its goal.
  std::uint64_t liveness_labels(const State& state) const {
    std::uint64_t labels = 0;
    for (std::size_t k = 0; k < liveness_.size(); ++k) {
      const auto& property = properties_[liveness_[k]];
      if (property.condition(state)) labels |= std::uint64_t{1} << (2 * k);
      if (property.goal(state)) labels |= std::uint64_t{1} << (2 * k + 1);
    }
    return labels;
  }

 private:
  std::vector<Property<State>> properties_;
  std::vector<std::size_t> liveness_;
  std::vector<Check> checks_;
};

}  // namespace lmc
