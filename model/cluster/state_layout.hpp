#pragma once
// The packed encoding of the cluster model's states (lmc::PackableModel):
// each variable in as many bits as the configuration needs.

#include "checker/engine/bit_layout.hpp"
#include "model/cluster/config/config.hpp"
#include "model/cluster/state.hpp"
#include "model/cluster/topology.hpp"

namespace lmc::cluster {

/// The layout of every state reachable from `initial` under `config`.
BitLayout<State> cluster_state_layout(const Config& config, const Topology& topology,
                                      const State& initial);

}  // namespace lmc::cluster
