#pragma once
// Runs the cluster model from the command line's choices: a preset or a
// configuration file, and optionally a seeded design bug (mutant).

#include <optional>
#include <string>
#include <vector>

#include "checker/model_registry.hpp"
#include "checker/options.hpp"
#include "checker/result.hpp"
#include "model/cluster/config.hpp"
#include "model/cluster/mutants.hpp"

namespace lmc {

struct ClusterSelection {
  std::string preset = "default";
  std::string config_file;  ///< wins over the preset when set
  std::string mutant;
  /// The explicit-state model's limits unless a static analysis needs more.
  cluster::ConfigLimits limits = cluster::ConfigLimits::model();
};

/// Loads and validates the selected configuration. On failure returns
/// nullopt and sets `error` to a message naming the file and the field.
std::optional<cluster::Config> load_cluster_config(const ClusterSelection& selection,
                                                   std::string& error);

enum class PrereqEngine { model, z3 };

/// With PrereqEngine::z3 the LM requests take their prerequisite verdicts from
/// a table Z3 fills before the search; the result's notes say how many
/// queries that took and how long.
CheckResult check_cluster(const cluster::Config& config, cluster::Mutant mutant,
                          const SearchOptions& options, PrereqEngine engine = PrereqEngine::model);
std::vector<PropertyInfo> cluster_properties(const cluster::Config& config);

}  // namespace lmc
