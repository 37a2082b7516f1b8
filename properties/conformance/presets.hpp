#pragma once
// Configurations for conformance runs: a built-in preset with budgets wider
// than the exhaustive checks use (more faults of every kind, more requests,
// more guest writes), so that random sequences get further.

#include <string>

#include "model/cluster/config/config.hpp"

namespace lmc::ref {

/// Throws std::runtime_error naming the preset when it is unknown or invalid.
cluster::Config widened_preset(const std::string& preset);

}  // namespace lmc::ref
