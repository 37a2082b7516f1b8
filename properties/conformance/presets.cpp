#include "properties/conformance/presets.hpp"

#include <stdexcept>

namespace lmc::ref {

cluster::Config widened_preset(const std::string& preset) {
  const auto json = cluster::preset_json(preset);
  if (!json) throw std::runtime_error("no preset named '" + preset + "'");
  cluster::ConfigError error;
  auto config = cluster::parse_config(*json, "preset " + preset, error);
  if (!config) throw std::runtime_error(error.to_string());
  auto& scope = config->scope;
  scope.fault_budget = 4;
  scope.faults.fill(true);
  scope.lm_requests = 4;
  scope.guest_writes = 3;
  return *config;
}

}  // namespace lmc::ref
