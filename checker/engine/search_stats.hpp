#pragma once
// The statistics every stored-state search reports, read off its store.

#include <algorithm>

#include "checker/engine/liveness.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/progress.hpp"
#include "checker/engine/property_evaluator.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_outcome.hpp"
#include "checker/engine/state_store.hpp"
#include "checker/engine/trace_builder.hpp"

namespace lmc {

/// TLC's optimistic estimate of the probability that two distinct states
/// shared a fingerprint: n * (t - n) / 2^64 for n states and t generated.
inline double fingerprint_miss_probability(std::uint64_t states, std::uint64_t generated) {
  const double n = double(states);
  const double t = double(std::max(generated, states));
  return n * (t - n) / 18446744073709551616.0;
}

template <Model M>
SearchStats store_stats(const StateStore<M>& store, std::uint64_t transitions,
                        std::uint32_t max_depth, double seconds) {
  SearchStats stats;
  stats.states = store.size();
  stats.transitions = transitions;
  stats.max_depth = max_depth;
  stats.seconds = seconds;
  stats.storage = store.mode();
  stats.store_bytes = store.bytes();
  stats.bytes_per_state = stats.states ? double(stats.store_bytes) / double(stats.states) : 0;
  stats.peak_rss_bytes = peak_rss_bytes();
  if (store.mode() == StorageMode::fingerprint) {
    stats.miss_probability = fingerprint_miss_probability(stats.states, transitions + 1);
  }
  return stats;
}

/// The end of every search that stores states: decide liveness on the
/// explored graph (only after a complete search), then judge every property
/// and rebuild the traces from the store.
template <Model M>
CheckResult finish_stored_search(const M& model, const SearchOptions& options,
                                 const PropertyEvaluator<typename M::State>& evaluator,
                                 const StateStore<M>& store, LivenessRecord& liveness,
                                 SearchOutcome& outcome, SearchStats stats,
                                 const ProgressMonitor& monitor) {
  if (outcome.complete) {
    run_liveness_pass(evaluator.liveness(), store.dense_offsets(), store.size(), liveness,
                      outcome.found);
  }
  // The liveness pass is part of the check: count its time and memory.
  stats.seconds = monitor.elapsed_seconds();
  stats.peak_rss_bytes = peak_rss_bytes();
  const bool symmetry = options.symmetry && SymmetricModel<M>;
  stats.symmetry = symmetry;
  return assemble_result(model, evaluator, outcome, options, stats,
                         [&](std::uint64_t id) { return build_trace(model, store, id, symmetry); });
}

}  // namespace lmc
