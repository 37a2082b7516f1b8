// Reading and checking cluster configurations (presets.md "Format", "Validation"):
// the two public entry points, parse_config and validate_config.
//
// Both report the first problem as a ConfigError whose field is a JSON path
// ("sus[1].arch"). Behind them a problem is a thrown json_detail::FieldError, which
// keeps the readers free of error plumbing; nothing escapes these two functions.
// The work is split by concern (config_json_detail.hpp says what is where):
//   config_json_syntax.cpp   JSON parsing, typed conversions, field paths, ObjectReader
//   config_json_read.cpp     one reader per section of the configuration
//   config_json_checks.cpp   the validation rules and cross-references
//   config_json_suggest.cpp  "did you mean ...?" for misspelt fields

#include <exception>
#include <string>
#include <utility>

#include "model/cluster/config/config.hpp"
#include "model/cluster/config/config_json_detail.hpp"

namespace lmc::cluster {
namespace {

ConfigError make_error(const std::string& file, std::string field, std::string message) {
  return ConfigError{file, std::move(field), std::move(message)};
}

}  // namespace

std::optional<Config> parse_config(const std::string& json_text, const std::string& file,
                                   ConfigError& error, const ConfigLimits& limits) {
  try {
    Config config = json_detail::read_config(json_detail::parse_json(json_text));
    if (!validate_config(config, file, error, limits)) return std::nullopt;
    return config;
  } catch (const json_detail::FieldError& problem) {
    error = make_error(file, problem.field, problem.message);
  } catch (const std::exception& unexpected) {
    // Should not happen (every JSON access is type-checked first), but the contract is
    // that callers get an error, never an exception.
    error = make_error(file, "", std::string("internal error: ") + unexpected.what());
  }
  return std::nullopt;
}

bool validate_config(const Config& config, const std::string& file, ConfigError& error,
                     const ConfigLimits& limits) {
  try {
    json_detail::check_config(config, limits);
    return true;
  } catch (const json_detail::FieldError& problem) {
    error = make_error(file, problem.field, problem.message);
  } catch (const std::exception& unexpected) {
    error = make_error(file, "", std::string("internal error: ") + unexpected.what());
  }
  return false;
}

}  // namespace lmc::cluster
