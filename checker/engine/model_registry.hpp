#pragma once
// Models behind one type-erased interface, so a command line can pick one by
// name and needs no templates (`lmc check --model NAME`; the built-in list is
// the command line's, checker/cli/builtin_models.hpp).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/options.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/property.hpp"

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

/// The entry called `name` in `models`, or nullptr.
const ModelEntry* find_model(const std::vector<ModelEntry>& models, const std::string& name);

/// Parses "name=value" settings against a model's parameters, filling in
/// defaults. On bad input returns nullopt and sets `error` to a sentence
/// naming the parameter and what was expected.
std::optional<ParameterValues> parse_parameters(const ModelEntry& model,
                                                const std::vector<std::string>& settings,
                                                std::string& error);

}  // namespace lmc
