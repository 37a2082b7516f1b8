#pragma once
// The built-in models `lmc check --model NAME` can pick, behind one
// type-erased interface so the command line needs no templates.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/options.hpp"
#include "checker/result.hpp"
#include "model/core/property.hpp"

namespace lmc {

using ParameterValues = std::map<std::string, std::int64_t>;

struct PropertyInfo {
  std::string name;
  std::string kind;
  std::string ids;
};

struct ModelEntry {
  std::string name;
  std::string summary;
  std::vector<ParameterInfo> parameters;
  std::function<CheckResult(const ParameterValues&, const SearchOptions&)> check;
  std::function<std::vector<PropertyInfo>(const ParameterValues&)> properties;
};

const std::vector<ModelEntry>& builtin_models();
const ModelEntry* find_model(const std::string& name);

/// Parses "name=value" settings against a model's parameters, filling in
/// defaults. On bad input returns nullopt and sets `error` to a sentence
/// naming the parameter and what was expected.
std::optional<ParameterValues> parse_parameters(const ModelEntry& model,
                                                const std::vector<std::string>& settings,
                                                std::string& error);

}  // namespace lmc
