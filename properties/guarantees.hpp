#pragma once
// The rollback and single-migration properties as functions, so that the
// mutation tests can run them against a mutated implementation.

#include <string>

#include "model/cluster/cluster_model.hpp"

namespace lmc::conformance {

std::string describe_action(const cluster::Action& action);
/// One test case: an LM of the preset's VM with faults at random points.
void check_rollback(const std::string& preset);
/// One test case: random requests and steps of every VM, interleaved.
void check_single_migration(const std::string& preset);

}  // namespace lmc::conformance
