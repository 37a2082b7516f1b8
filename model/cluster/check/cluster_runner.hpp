#pragma once
// Runs the cluster model with the engine: a configuration (config_loader.hpp
// reads a preset or a file), optionally a seeded design bug (mutant), the
// prerequisites from the model's own check or from Z3.

#include <optional>
#include <string>
#include <vector>

#include "checker/engine/model_registry.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/result.hpp"
#include "model/cluster/config/config.hpp"
#include "model/cluster/config/config_loader.hpp"
#include "model/cluster/mutants.hpp"

namespace lmc {

enum class PrereqEngine { model, z3 };

/// With PrereqEngine::z3 the LM requests take their prerequisite verdicts from
/// a table Z3 fills before the search; the result's notes say how many
/// queries that took and how long.
CheckResult check_cluster(const cluster::Config& config, cluster::Mutant mutant,
                          const SearchOptions& options, PrereqEngine engine = PrereqEngine::model);
std::vector<PropertyInfo> cluster_properties(const cluster::Config& config);

}  // namespace lmc
