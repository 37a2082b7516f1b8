// The JSON layer under the configuration's readers (presets.md "Format"): the error
// type and the JSON paths it names, parsing with duplicate keys caught, typed
// conversions of scalars and of enumerations (whose spelling tables also give the
// public spelling()), and ObjectReader for one object's fields. Kept apart from the
// readers of the sections so that those read as the format, not as JSON plumbing.

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/cluster/config/config_json_detail.hpp"
#include "model/cluster/config/input_file.hpp"

namespace lmc::cluster {
namespace json_detail {

[[noreturn]] void fail(std::string field, std::string message) {
  throw FieldError{std::move(field), std::move(message)};
}

// ---------------------------------------------------------------------------
// Paths and wording

std::string member(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

/// A string as JSON writes it, so that odd characters in names stay visible.
std::string in_quotes(const std::string& text) {
  return Json(text).dump();
}

/// What the user wrote, for "expected ..., got ..." messages.
std::string describe(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return cut_for_message(value.dump());  // a configuration may hold megabytes in one string
}

namespace {

/// "\"a\"", "\"a\" or \"b\"", "\"a\", \"b\" or \"c\"".
std::string alternatives(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += (i + 1 == words.size()) ? " or " : ", ";
    text += in_quotes(words[i]);
  }
  return text;
}

// ---------------------------------------------------------------------------
// JSON syntax

/// nlohmann::json keeps the last of two equal keys without a word; a repeated
/// "memory" is as much a typo as a misspelt one, so the parser callback finds it.
class DuplicateKeyFinder {
 public:
  void observe(Json::parse_event_t event, const Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        open_frame(false);
        break;
      case Json::parse_event_t::array_start:
        open_frame(true);
        break;
      case Json::parse_event_t::key:
        note_key(parsed.get<std::string>());
        break;
      case Json::parse_event_t::value:
        element_done();
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames_.pop_back();
        element_done();
        break;
    }
  }

  const std::optional<FieldError>& duplicate() const { return duplicate_; }

  /// The path of the value being read: where a number too large for a
  /// double stopped the parser (it reports no position for that).
  std::string field_being_read() const {
    if (frames_.empty()) return "";
    const Frame& inner = frames_.back();
    return inner.is_array ? element(current_path(), inner.index)
                          : member(current_path(), inner.key);
  }

 private:
  struct Frame {
    bool is_array = false;
    std::size_t index = 0;  ///< arrays: the element being read
    std::string key;        ///< objects: the member being read
    std::set<std::string> keys;
  };

  void open_frame(bool is_array) {
    frames_.emplace_back();
    frames_.back().is_array = is_array;
  }

  void note_key(const std::string& key) {
    Frame& object = frames_.back();
    if (!object.keys.insert(key).second && !duplicate_) {
      duplicate_ = FieldError{member(current_path(), key), "duplicate key"};
    }
    object.key = key;
  }

  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  /// The path of the innermost open object or array.
  std::string current_path() const {
    std::string path;
    for (std::size_t i = 1; i < frames_.size(); ++i) {
      const Frame& parent = frames_[i - 1];
      path = parent.is_array ? element(path, parent.index) : member(path, parent.key);
    }
    return path;
  }

  std::vector<Frame> frames_;
  std::optional<FieldError> duplicate_;
};

/// "line 3, column 6" of the byte nlohmann reports (1-based, the last one read).
std::string position_of(const std::string& text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i + 1 < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const std::size_t column = end - line_start;
  return "line " + std::to_string(line) + ", column " +
         std::to_string(std::max<std::size_t>(column, 1));
}

/// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 3, column 6:
/// syntax error ..."; the position is reported separately, so keep only the reason.
std::string reason_of(const Json::parse_error& error) {
  const std::string what = error.what();
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// ---------------------------------------------------------------------------
// Enumerations, spelt as in the JSON format: the tables drive reading, the
// "expected ..." message and spelling().

template <typename E>
struct Spelling {
  const char* text;
  E value;
};

constexpr std::array<Spelling<Arch>, 2> kArchSpellings{{{"s390", Arch::s390}, {"x86", Arch::x86}}};
constexpr std::array<Spelling<Mode>, 2> kModeSpellings{
    {{"vm2000", Mode::vm2000}, {"native", Mode::native}}};
constexpr std::array<Spelling<VmState>, 5> kVmStateSpellings{
    {{"RUNNING", VmState::running},
     {"INIT_ONLY", VmState::init_only},
     {"DOWN", VmState::down},
     {"DEFINED_ONLY", VmState::defined_only},
     {"WAIT", VmState::wait}}};
constexpr std::array<Spelling<DeviceKind>, 4> kDeviceKindSpellings{
    {{"disk", DeviceKind::disk},
     {"tape", DeviceKind::tape},
     {"emulated_local_disk", DeviceKind::emulated_local_disk},
     {"pav_alias", DeviceKind::pav_alias}}};
constexpr std::array<Spelling<Usage>, 2> kUsageSpellings{
    {{"exclusive", Usage::exclusive}, {"shared", Usage::shared}}};
constexpr std::array<Spelling<FaultKind>, kFaultKinds> kFaultSpellings{
    {{"mu_crash", FaultKind::mu_crash},
     {"su_crash", FaultKind::su_crash},
     {"isl_down", FaultKind::isl_down},
     {"disk_failure", FaultKind::disk_failure},
     {"allocation_failure", FaultKind::allocation_failure},
     {"resume_failure", FaultKind::resume_failure}}};

const auto& spellings(Arch) {
  return kArchSpellings;
}
const auto& spellings(Mode) {
  return kModeSpellings;
}
const auto& spellings(VmState) {
  return kVmStateSpellings;
}
const auto& spellings(DeviceKind) {
  return kDeviceKindSpellings;
}
const auto& spellings(Usage) {
  return kUsageSpellings;
}
const auto& spellings(FaultKind) {
  return kFaultSpellings;
}

template <typename E>
void convert_enum(const Json& value, const std::string& path, E& out) {
  std::vector<std::string> words;
  for (const auto& spelling : spellings(out)) {
    if (value.is_string() && value.get<std::string>() == spelling.text) {
      out = spelling.value;
      return;
    }
    words.emplace_back(spelling.text);
  }
  fail(path, "expected " + alternatives(words) + ", got " + describe(value));
}

template <typename E>
const char* spelling_of(E value) {
  for (const auto& entry : spellings(value)) {
    if (entry.value == value) return entry.text;
  }
  return "?";
}

}  // namespace

Json parse_json(const std::string& text) {
  if (const auto problem = json_nesting_problem(text); !problem.empty()) fail("", problem);
  DuplicateKeyFinder finder;
  Json document;
  try {
    document = Json::parse(text, [&finder](int, Json::parse_event_t event, Json& parsed) {
      finder.observe(event, parsed);
      return true;
    });
  } catch (const Json::parse_error& error) {
    fail(position_of(text, error.byte), "invalid JSON: " + reason_of(error));
  } catch (const Json::out_of_range& error) {
    // Only number overflow (406) is thrown while parsing: "1e999" is valid
    // JSON but no double holds it.
    fail(finder.field_being_read(), "number out of range: " + overflowing_number(error.what()));
  }
  if (finder.duplicate()) throw *finder.duplicate();
  return document;
}

// ---------------------------------------------------------------------------
// Scalar conversions: each checks the JSON type and names the field when it is wrong.

void convert(const Json& value, const std::string& path, std::string& out) {
  if (!value.is_string()) fail(path, "expected a string, got " + describe(value));
  out = value.get<std::string>();
}

void convert(const Json& value, const std::string& path, bool& out) {
  if (!value.is_boolean()) fail(path, "expected true or false, got " + describe(value));
  out = value.get<bool>();
}

void convert(const Json& value, const std::string& path, int& out) {
  if (!value.is_number_integer()) fail(path, "expected an integer, got " + describe(value));
  const bool too_large = value.is_number_unsigned()
                             ? value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT_MAX)
                             : value.get<std::int64_t>() > INT_MAX;
  const bool too_small = !value.is_number_unsigned() && value.get<std::int64_t>() < INT_MIN;
  if (too_large || too_small) fail(path, "integer out of range, got " + describe(value));
  out = static_cast<int>(value.get<std::int64_t>());
}

void convert(const Json& value, const std::string& path, std::vector<std::string>& out) {
  if (!value.is_array()) fail(path, "expected an array of strings, got " + describe(value));
  out.clear();
  for (std::size_t i = 0; i < value.size(); ++i)
    convert(value[i], element(path, i), out.emplace_back());
}

void convert(const Json& value, const std::string& path, Arch& out) {
  convert_enum(value, path, out);
}
void convert(const Json& value, const std::string& path, Mode& out) {
  convert_enum(value, path, out);
}
void convert(const Json& value, const std::string& path, VmState& out) {
  convert_enum(value, path, out);
}
void convert(const Json& value, const std::string& path, DeviceKind& out) {
  convert_enum(value, path, out);
}
void convert(const Json& value, const std::string& path, Usage& out) {
  convert_enum(value, path, out);
}
void convert(const Json& value, const std::string& path, FaultKind& out) {
  convert_enum(value, path, out);
}

// ---------------------------------------------------------------------------
// Objects

ObjectReader::ObjectReader(const Json& value, std::string path,
                           std::initializer_list<const char*> known)
    : object_(value), path_(std::move(path)), known_(known.begin(), known.end()) {
  if (!object_.is_object()) {
    fail(path_.empty() ? "(document)" : path_, "expected an object, got " + describe(value));
  }
  for (const auto& [key, member_value] : object_.items()) {
    if (!is_known(key)) fail(path_of(key), unknown_field_message(key, known_));
  }
}

const Json* ObjectReader::optional(const std::string& key) const {
  // A key missing from the constructor's list is a bug in the readers, not in the input.
  if (!is_known(key)) throw std::logic_error("field " + path_of(key) + " not declared");
  const auto found = object_.find(key);
  return found == object_.end() ? nullptr : &*found;
}

const Json& ObjectReader::required(const std::string& key) const {
  const Json* value = optional(key);
  if (value == nullptr) fail(path_of(key), "missing required field");
  return *value;
}

bool ObjectReader::is_known(const std::string& key) const {
  return std::find(known_.begin(), known_.end(), key) != known_.end();
}

}  // namespace json_detail

const char* spelling(Arch value) {
  return json_detail::spelling_of(value);
}
const char* spelling(Mode value) {
  return json_detail::spelling_of(value);
}
const char* spelling(VmState value) {
  return json_detail::spelling_of(value);
}
const char* spelling(DeviceKind value) {
  return json_detail::spelling_of(value);
}
const char* spelling(Usage value) {
  return json_detail::spelling_of(value);
}
const char* spelling(FaultKind value) {
  return json_detail::spelling_of(value);
}

}  // namespace lmc::cluster
