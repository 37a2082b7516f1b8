#pragma once
// What every strategy hands back, and how it becomes a CheckResult: the
// statuses of the properties, their traces, the verdict. One place decides
// the verdict, so bfs, dfs and simulation judge alike.

#include <cstdint>
#include <string>
#include <vector>

#include "checker/engine/model_concept.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/result.hpp"

namespace lmc {

inline constexpr std::uint64_t kNotFound = ~std::uint64_t{0};

struct SearchOutcome {
  /// The whole reachable state space was explored.
  bool complete = false;
  std::string stop_reason;
  /// Per property (model order): a handle of its witness or counterexample,
  /// or kNotFound. A handle is whatever the strategy's trace maker takes.
  std::vector<std::uint64_t> found;
  std::uint64_t deadlock = kNotFound;
  std::vector<std::uint64_t> coverage;
};

namespace detail {

inline PropertyStatus status_of(PropertyKind kind, bool found, bool complete) {
  if (kind == PropertyKind::sometimes) {
    if (found) return PropertyStatus::reached;
    return complete ? PropertyStatus::unreached : PropertyStatus::unknown;
  }
  if (found) return PropertyStatus::violated;
  return complete ? PropertyStatus::holds : PropertyStatus::unknown;
}

inline Verdict verdict_of(const std::vector<PropertyResult>& properties, bool complete) {
  for (const auto& property : properties) {
    if (property.status == PropertyStatus::violated ||
        property.status == PropertyStatus::unreached) {
      return Verdict::violation;
    }
  }
  return complete ? Verdict::ok : Verdict::incomplete;
}

}  // namespace detail

/// `make_trace(handle)` rebuilds the trace of a found state.
template <Model M, class TraceMaker>
CheckResult assemble_result(const M& model, const PropertyEvaluator<typename M::State>& evaluator,
                            const SearchOutcome& outcome, const SearchOptions& options,
                            SearchStats stats, TraceMaker&& make_trace) {
  CheckResult result;
  result.model = model_name(model);
  result.stop_reason = outcome.stop_reason;
  result.stats = stats;
  for (std::size_t i = 0; i < evaluator.size(); ++i) {
    const auto& property = evaluator.properties()[i];
    PropertyResult entry{property.name, std::string(to_string(property.kind)), property.ids,
                         PropertyStatus::unknown, std::nullopt};
    const bool found = outcome.found[i] != kNotFound;
    entry.status = detail::status_of(property.kind, found, outcome.complete);
    if (property.kind == PropertyKind::liveness && !options.check_liveness) {
      entry.status = PropertyStatus::skipped;
    }
    if (found) entry.trace = make_trace(outcome.found[i]);
    result.properties.push_back(std::move(entry));
  }
  if (options.check_deadlock) {
    PropertyResult entry{"deadlock", "deadlock", "", PropertyStatus::unknown, std::nullopt};
    const bool found = outcome.deadlock != kNotFound;
    entry.status = detail::status_of(PropertyKind::always, found, outcome.complete);
    if (found) entry.trace = make_trace(outcome.deadlock);
    result.properties.push_back(std::move(entry));
  }
  const auto kinds = action_kinds_of(model);
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const bool enabled = action_kind_enabled_of(model, k);
    result.coverage.push_back(
        {kinds[k], k < outcome.coverage.size() ? outcome.coverage[k] : 0, enabled});
  }
  result.verdict = detail::verdict_of(result.properties, outcome.complete);
  return result;
}

}  // namespace lmc
