#pragma once
// Private to lmc_config: what the files behind parse_config and validate_config
// share (config_json*.cpp). A problem is a thrown FieldError naming a JSON path, which
// keeps the readers and the checks free of error plumbing; config_json.cpp turns it
// into a ConfigError, and nothing else may see it. Not installed, not for other folders.

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::cluster::json_detail {

using Json = nlohmann::json;

struct FieldError {
  std::string field;
  std::string message;
};

[[noreturn]] void fail(std::string field, std::string message);

// ---------------------------------------------------------------------------
// Paths and wording (config_json_syntax.cpp)

std::string member(const std::string& path, const std::string& key);
std::string element(const std::string& path, std::size_t index);
/// A string as JSON writes it, so that odd characters in names stay visible.
std::string in_quotes(const std::string& text);
/// What the user wrote, for "expected ..., got ..." messages.
std::string describe(const Json& value);

// ---------------------------------------------------------------------------
// JSON syntax and typed values (config_json_syntax.cpp)

/// Parses the text; a syntax error or a repeated key is a FieldError.
Json parse_json(const std::string& text);

// Each conversion checks the JSON type and names the field when it is wrong;
// enumerations are spelt as in the JSON format.
void convert(const Json& value, const std::string& path, std::string& out);
void convert(const Json& value, const std::string& path, bool& out);
void convert(const Json& value, const std::string& path, int& out);
void convert(const Json& value, const std::string& path, std::vector<std::string>& out);
void convert(const Json& value, const std::string& path, Arch& out);
void convert(const Json& value, const std::string& path, Mode& out);
void convert(const Json& value, const std::string& path, VmState& out);
void convert(const Json& value, const std::string& path, DeviceKind& out);
void convert(const Json& value, const std::string& path, Usage& out);
void convert(const Json& value, const std::string& path, FaultKind& out);

/// One JSON object being read, with the keys it may hold. Unknown keys are reported
/// before anything is read, so that a misspelt required field ("memroy") is named as
/// the typo it is rather than as a missing "memory".
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path, std::initializer_list<const char*> known);

  const Json* optional(const std::string& key) const;
  const Json& required(const std::string& key) const;
  std::string path_of(const std::string& key) const { return member(path_, key); }

 private:
  bool is_known(const std::string& key) const;

  const Json& object_;
  std::string path_;
  std::vector<std::string> known_;
};

enum class Presence { required, optional };

template <typename T>
void read_field(const ObjectReader& object, const char* key, T& out,
                Presence presence = Presence::optional) {
  const Json* value = presence == Presence::required ? &object.required(key) : object.optional(key);
  if (value != nullptr) convert(*value, object.path_of(key), out);
}

/// Reads an array of objects, one reader call per element.
template <typename T, typename ReadElement>
std::vector<T> read_array(const Json& value, const std::string& path, ReadElement read_element) {
  if (!value.is_array()) fail(path, "expected an array, got " + describe(value));
  std::vector<T> elements;
  for (std::size_t i = 0; i < value.size(); ++i) {
    elements.push_back(read_element(value[i], element(path, i)));
  }
  return elements;
}

// ---------------------------------------------------------------------------
// Spelling suggestions (config_json_suggest.cpp)

/// "unknown field; did you mean \"memory\"?" when a known key is close to `key`,
/// else the list of known keys.
std::string unknown_field_message(const std::string& key, const std::vector<std::string>& known);

// ---------------------------------------------------------------------------
// The two passes

/// The document's sections into a Config; names resolved to indexes
/// (config_json_read.cpp).
Config read_config(const Json& document);

/// The rules a configuration must satisfy beyond its syntax (config_json_checks.cpp).
void check_config(const Config& config, const ConfigLimits& bounds);

}  // namespace lmc::cluster::json_detail
