#pragma once
// One JSON form of a prerequisite conflict for every command that reports
// one (prereq, migrate, plan): rule, VM2000 message, the CAUSE field, the
// wording, and the values by name.

#include <nlohmann/json.hpp>

#include "model/cluster/config/conflicts.hpp"

namespace lmc::cli {

inline nlohmann::json conflict_to_json(const cluster::Conflict& c) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [name, value] : c.named_values()) values[name] = value;
  return {{"rule", c.rule_id()},
          {"message", c.message()},
          {"cause", c.cause()},
          {"detail", c.detail()},
          {"values", values}};
}

}  // namespace lmc::cli
