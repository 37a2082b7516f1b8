#pragma once
// A configuration as the command line names it: a built-in preset or a JSON
// file, read and validated.

#include <optional>
#include <string>

#include "model/cluster/config/config.hpp"

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

}  // namespace lmc
