#pragma once
// Loads presets for the cluster model's tests.

#include <catch2/catch.hpp>
#include <string>

#include "checker/cluster_runner.hpp"

namespace lmc::testing {

inline cluster::Config load_preset_config(const std::string& name) {
  ClusterSelection selection;
  selection.preset = name;
  std::string error;
  auto config = load_cluster_config(selection, error);
  INFO(error);
  REQUIRE(config.has_value());
  return *config;
}

inline CheckResult check_preset(const std::string& name, SearchOptions options,
                                cluster::Mutant mutant = cluster::Mutant::none) {
  options.progress_interval_seconds = 0;
  return check_cluster(load_preset_config(name), mutant, options);
}

}  // namespace lmc::testing
