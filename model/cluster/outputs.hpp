#pragma once
// The observable outputs of a step, as an operator and a design review see
// them: console messages tagged with their console (source, target, guest),
// MONJV statuses, and events with their weights (O1-O5, M4, WP §4.6).

#include <string>
#include <vector>

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {

const char* jv_name(std::uint8_t jv);
std::string unit_set(const std::vector<std::string>& names, unsigned mask);
std::string mirror_name(const Config& config, const Mirror& mirror, int index);

/// The action in domain terms, with the configuration's names.
std::string action_title(const ClusterModel& model, const State& before, const Action& action);
/// Console lines and events, in the order of WP §4.6.1 (SU /390) or §4.6.2
/// (SU x86) for LM steps.
std::vector<std::string> step_outputs(const ClusterModel& model, const State& before,
                                      const Action& action, const State& after);

}  // namespace lmc::cluster
