#pragma once
// The one entry point: check a model with the strategy the options name.

#include "checker/engine/bfs.hpp"
#include "checker/engine/dfs.hpp"
#include "checker/engine/distributed_bfs.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/simulation.hpp"

namespace lmc {

template <Model M>
CheckResult check(const M& model, const SearchOptions& options) {
  if (options.communicator != nullptr) {
    if (options.strategy != Strategy::bfs) {
      throw DistributedSearchError("a distributed search is breadth-first: use --strategy bfs");
    }
    return DistributedBreadthFirstSearch<M>(model, options).run();
  }
  switch (options.strategy) {
    case Strategy::dfs:
      return DepthFirstSearch<M>(model, options).run();
    case Strategy::simulation:
      return RandomSimulation<M>(model, options).run();
    case Strategy::bfs:
      break;
  }

  return BreadthFirstSearch<M>(model, options).run();
}

}  // namespace lmc
