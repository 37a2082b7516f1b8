#pragma once
// Evaluates a model's properties on each newly stored state. Safe to call
// from many threads at once: it reads the property list and the `open` flags,
// which the search only updates between phases.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/core/property.hpp"

namespace lmc {

template <class State>
class PropertyEvaluator {
 public:
  /// With `check_liveness` false, liveness properties are left undecided.
  PropertyEvaluator(std::vector<Property<State>> properties, bool check_liveness)
      : properties_(std::move(properties)) {
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (check_liveness && properties_[i].kind == PropertyKind::liveness) liveness_.push_back(i);
    }
  }

  const std::vector<Property<State>>& properties() const { return properties_; }
  std::size_t size() const { return properties_.size(); }
  const std::vector<std::size_t>& liveness() const { return liveness_; }

  /// Calls on_hit(i) for every property i that `state` decides: an `always`
  /// it violates, a `sometimes` it reaches. Properties already decided
  /// (open[i] == 0) are skipped: their first witness is the one reported.
  template <class OnHit>
  void evaluate(const State& state, const std::vector<char>& open, OnHit&& on_hit) const {
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (!open[i]) continue;
      const auto& property = properties_[i];
      if (property.kind == PropertyKind::always && !property.condition(state)) on_hit(i);
      if (property.kind == PropertyKind::sometimes && property.condition(state)) on_hit(i);
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
};

}  // namespace lmc
