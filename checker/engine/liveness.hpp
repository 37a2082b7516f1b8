#pragma once
// Liveness on the explored graph: "from every reachable state satisfying P, a
// state satisfying Q is reachable" (AG(P -> EF Q)). Decided by one backward
// breadth-first search from all Q states with Boost.Graph: a P state the
// search does not reach is stuck, and is the counterexample.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace lmc {

struct ExploredGraph {
  std::uint64_t vertices = 0;
  /// (from, to) in dense numbering, one entry per transition.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> edges;
};

/// The first vertex (in dense order) with `condition` set from which no
/// vertex with `goal` set is reachable, or nullopt when there is none.
std::optional<std::uint64_t> find_stuck_vertex(const ExploredGraph& graph,
                                               const std::vector<bool>& condition,
                                               const std::vector<bool>& goal);

}  // namespace lmc

#include <array>
#include <cstddef>

#include "checker/engine/state_store.hpp"

namespace lmc {

/// What a search records for the liveness pass: per shard, each stored
/// state's labels (PropertyEvaluator::liveness_labels, indexed by its local
/// number) and the transitions found (parent id, child id).
struct LivenessRecord {
  std::array<std::vector<std::uint64_t>, kShardCount> labels;
  std::array<std::vector<std::pair<StateId, StateId>>, kShardCount> edges;
};

/// For each liveness property k (model index `indices[k]`), sets found[index]
/// to the id of a stuck state, when there is one.
void run_liveness_pass(const std::vector<std::size_t>& indices,
                       const std::array<std::uint64_t, kShardCount>& dense_offsets,
                       std::uint64_t states, LivenessRecord& record,
                       std::vector<std::uint64_t>& found);

}  // namespace lmc
