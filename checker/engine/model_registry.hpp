#pragma once
// Models behind one type-erased interface, so a command line can pick one by
// name and needs no templates (`lmc check --model NAME`; the built-in list is
// the command line's, checker/cli/builtin_models.hpp).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/engine/options.hpp"
#include "checker/engine/property.hpp"
#include "checker/engine/result.hpp"

namespace lmc {

/// A parameter whose value is text: a preset's name, a file, a variant.
struct TextParameterInfo {
  std::string name;
  std::string default_value;
  std::string help;
  /// The values it takes; empty when any text will do (a file name).
  std::vector<std::string> choices = {};
};

/// A model's parameter values, defaults filled in.
struct ParameterValues {
  std::map<std::string, std::int64_t> numbers;
  std::map<std::string, std::string> texts;

  std::int64_t at(const std::string& name) const { return numbers.at(name); }
  const std::string& text(const std::string& name) const { return texts.at(name); }
};

/// Thrown by an entry's functions for input the model cannot take (a
/// configuration file that does not load, an unknown variant); the command
/// line prints what() and exits 2.
struct ModelInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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
  std::vector<TextParameterInfo> text_parameters = {};
  /// The model canonicalizes states (SymmetricModel): --symmetry applies.
  bool has_symmetry = false;
  /// Writes a property's counterexample or witness to `path` in the model's
  /// own trace format (lmc check --trace-out); empty for a model without
  /// one. Throws ModelInputError when the file cannot be written.
  std::function<void(const ParameterValues&, const PropertyResult&, const std::string& path)>
      write_trace = {};
  /// Optional: draws the trace of `property` as a picture (the cluster
  /// model: an SVG sequence chart) into the file at `path`. Throws
  /// ModelInputError when the file cannot be written.
  std::function<void(const ParameterValues&, const PropertyResult&, const std::string& path)>
      write_chart = {};
};

/// The entry called `name` in `models`, or nullptr.
const ModelEntry* find_model(const std::vector<ModelEntry>& models, const std::string& name);

/// The parameter settings an entry takes, one per line, for --list-models.
std::vector<std::string> describe_parameters(const ModelEntry& model);

/// Parses "name=value" settings against a model's parameters, filling in
/// defaults. On bad input returns nullopt and sets `error` to a sentence
/// naming the parameter and what was expected.
std::optional<ParameterValues> parse_parameters(const ModelEntry& model,
                                                const std::vector<std::string>& settings,
                                                std::string& error);

}  // namespace lmc
