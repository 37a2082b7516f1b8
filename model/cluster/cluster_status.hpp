#pragma once
// Cluster status from the Cluster Manager's view (M3): of the management
// cluster, and of SU cluster k. Read by the model's display and by the
// property that no status says NORMAL while a unit is known down.

#include <cstdint>

#include "model/cluster/state.hpp"
#include "model/cluster/topology.hpp"

namespace lmc::cluster {

enum class Status : std::uint8_t { normal, warning, error, inactive };
const char* to_string(Status status);
Status management_status(const Topology& topology, const State& s);
Status su_cluster_status(const Topology& topology, const State& s, int cluster);

}  // namespace lmc::cluster
