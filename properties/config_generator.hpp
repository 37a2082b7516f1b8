#pragma once
// Fresh cluster configurations for the differential properties, written from
// the whitepaper's rules rather than from examples/: one or two servers, an
// SU cluster of either architecture and sometimes a third SU outside it,
// memory maps, every static flag, and up to three VMs whose names, VM
// indexes (fixed and *ANY, in either order) and devices (exclusive and
// shared, of every kind) collide across SUs. Every configuration drawn is
// valid (validate_config accepts it), so every engine can take it.
//
// Called inside a RapidCheck property (it draws with operator*).

#include <string>

#include "model/cluster/config/config.hpp"

namespace lmc::properties {

/// An integer in [low, high), uniformly (rc::gen::inRange alone narrows its
/// range with the test case's size, which would make rare shapes rarer
/// still in the early cases); shrinks towards `low`.
int uniform(int low, int high);

/// A valid configuration within the explicit-state model's limits, with a
/// scope that lets every action fire (faults, requests, definition commands).
cluster::Config random_cluster();

}  // namespace lmc::properties
