// Reading and checking cluster configurations (presets.md "Format", "Validation").
//
// Both entry points report the first problem as a ConfigError whose field is a JSON
// path ("sus[1].arch"). Inside this file a problem is a thrown FieldError, which keeps
// the readers free of error plumbing; nothing escapes parse_config or validate_config.

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::cluster {
namespace {

using Json = nlohmann::json;

struct FieldError {
  std::string field;
  std::string message;
};

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
  return value.dump();
}

/// "\"a\"", "\"a\" or \"b\"", "\"a\", \"b\" or \"c\"".
std::string alternatives(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += (i + 1 == words.size()) ? " or " : ", ";
    text += in_quotes(words[i]);
  }
  return text;
}

std::string range_text(int low, int high) {
  return std::to_string(low) + ".." + std::to_string(high);
}

std::string model_limit(int limit, const std::string& what) {
  return "the model supports at most " + std::to_string(limit) + " " + what;
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

Json parse_json(const std::string& text) {
  DuplicateKeyFinder finder;
  Json document;
  try {
    document = Json::parse(text, [&finder](int, Json::parse_event_t event, Json& parsed) {
      finder.observe(event, parsed);
      return true;
    });
  } catch (const Json::parse_error& error) {
    fail(position_of(text, error.byte), "invalid JSON: " + reason_of(error));
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

// Enumerations are spelt as in the JSON format; the tables drive both reading and the
// "expected ..." message.

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
requires std::is_enum_v<E>
void convert(const Json& value, const std::string& path, E& out) {
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

// ---------------------------------------------------------------------------
// Objects

/// Levenshtein distance, to suggest the field a typo meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

/// One JSON object being read, with the keys it may hold. Unknown keys are reported
/// before anything is read, so that a misspelt required field ("memroy") is named as
/// the typo it is rather than as a missing "memory".
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path, std::initializer_list<const char*> known)
      : object_(value), path_(std::move(path)), known_(known.begin(), known.end()) {
    if (!object_.is_object()) {
      fail(path_.empty() ? "(document)" : path_, "expected an object, got " + describe(value));
    }
    for (const auto& [key, member_value] : object_.items()) {
      if (!is_known(key)) fail(path_of(key), unknown_field_message(key));
    }
  }

  const Json* optional(const std::string& key) const {
    // A key missing from the constructor's list is a bug in this file, not in the input.
    if (!is_known(key)) throw std::logic_error("field " + path_of(key) + " not declared");
    const auto found = object_.find(key);
    return found == object_.end() ? nullptr : &*found;
  }

  const Json& required(const std::string& key) const {
    const Json* value = optional(key);
    if (value == nullptr) fail(path_of(key), "missing required field");
    return *value;
  }

  std::string path_of(const std::string& key) const { return member(path_, key); }

 private:
  bool is_known(const std::string& key) const {
    return std::find(known_.begin(), known_.end(), key) != known_.end();
  }

  std::string unknown_field_message(const std::string& key) const {
    if (const auto close = closest_known(key)) {
      return "unknown field; did you mean " + in_quotes(*close) + "?";
    }
    std::string list;
    for (const auto& candidate : known_) list += (list.empty() ? "" : ", ") + candidate;
    return "unknown field; known fields: " + list;
  }

  /// A known key near enough to be what the user meant: at most two edits, and few
  /// relative to its length so that short keys do not match everything.
  std::optional<std::string> closest_known(const std::string& key) const {
    std::optional<std::string> best;
    std::size_t best_distance = 3;
    for (const auto& candidate : known_) {
      const std::size_t distance = edit_distance(key, candidate);
      if (distance < best_distance && distance * 3 <= candidate.size()) {
        best = candidate;
        best_distance = distance;
      }
    }
    return best;
  }

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

/// Names resolved to indexes. Two entries with one name are the validator's to report;
/// a reference goes to the first.
class NameIndex {
 public:
  NameIndex(const std::vector<std::string>& names, std::string kind) : kind_(std::move(kind)) {
    for (std::size_t i = 0; i < names.size(); ++i) index_.emplace(names[i], static_cast<int>(i));
  }

  int resolve(const Json& value, const std::string& path) const {
    std::string name;
    convert(value, path, name);
    const auto found = index_.find(name);
    if (found == index_.end()) fail(path, "unknown " + kind_ + " " + in_quotes(name));
    return found->second;
  }

 private:
  std::string kind_;
  std::map<std::string, int> index_;
};

template <typename T>
std::vector<std::string> names_of(const std::vector<T>& units) {
  std::vector<std::string> names;
  for (const auto& unit : units) names.push_back(unit.name);
  return names;
}

// ---------------------------------------------------------------------------
// The configuration's parts

Mu read_mu(const Json& value, const std::string& path, const NameIndex& servers) {
  ObjectReader object(value, path, {"name", "server"});
  Mu mu;
  read_field(object, "name", mu.name, Presence::required);
  mu.server = servers.resolve(object.required("server"), object.path_of("server"));
  return mu;
}

/// "V2.0" -> 20 (P15 compares versions as major * 10 + minor); null: REWAS not active.
int read_rewas_version(const Json& value, const std::string& path) {
  if (value.is_null()) return 0;
  const std::string expected = "expected a version like \"V2.0\", or null if REWAS is not active";
  if (!value.is_string()) fail(path, expected + ", got " + describe(value));
  const std::string text = value.get<std::string>();
  const auto digit = [&text](std::size_t i) {
    return std::isdigit(static_cast<unsigned char>(text[i]));
  };
  if (text.size() != 4 || text[0] != 'V' || !digit(1) || text[2] != '.' || !digit(3)) {
    fail(path, expected + ", got " + in_quotes(text));
  }
  return (text[1] - '0') * 10 + (text[3] - '0');
}

MemoryExtent read_extent(const Json& value, const std::string& path) {
  ObjectReader object(value, path, {"start", "size", "holder"});
  MemoryExtent extent;
  read_field(object, "start", extent.start, Presence::required);
  read_field(object, "size", extent.size, Presence::required);
  read_field(object, "holder", extent.holder);
  return extent;
}

Su read_su(const Json& value, const std::string& path, const NameIndex& servers) {
  ObjectReader object(
      value, path,
      {"name", "server", "arch", "mode", "memory", "max_vm_definitions", "max_vm_index",
       "rewas_version", "devices", "exclusively_used", "cpu_pools", "vm_groups", "assignment_sets",
       "network_segments", "config_update_running", "shutdown_initiated", "memory_map"});
  Su su;
  read_field(object, "name", su.name, Presence::required);
  su.server = servers.resolve(object.required("server"), object.path_of("server"));
  read_field(object, "arch", su.arch, Presence::required);
  read_field(object, "mode", su.mode);
  read_field(object, "memory", su.memory, Presence::required);
  read_field(object, "max_vm_definitions", su.max_vm_definitions);
  read_field(object, "max_vm_index", su.max_vm_index);
  if (const Json* rewas = object.optional("rewas_version")) {
    su.rewas_version = read_rewas_version(*rewas, object.path_of("rewas_version"));
  }
  read_field(object, "devices", su.devices);
  read_field(object, "exclusively_used", su.exclusively_used);
  read_field(object, "cpu_pools", su.cpu_pools);
  read_field(object, "vm_groups", su.vm_groups);
  read_field(object, "assignment_sets", su.assignment_sets);
  read_field(object, "network_segments", su.network_segments);
  read_field(object, "config_update_running", su.config_update_running);
  read_field(object, "shutdown_initiated", su.shutdown_initiated);
  if (const Json* map = object.optional("memory_map")) {
    su.memory_map = read_array<MemoryExtent>(*map, object.path_of("memory_map"), read_extent);
  }
  return su;
}

SuCluster read_su_cluster(const Json& value, const std::string& path, const NameIndex& sus) {
  ObjectReader object(value, path, {"name", "sus", "active"});
  SuCluster cluster;
  read_field(object, "name", cluster.name, Presence::required);
  const Json& members = object.required("sus");
  const std::string members_path = object.path_of("sus");
  if (!members.is_array())
    fail(members_path, "expected an array of two SU names, got " + describe(members));
  if (members.size() != 2) {
    fail(members_path,
         "an SU cluster has exactly two SUs (U1), got " + std::to_string(members.size()));
  }
  cluster.su_a = sus.resolve(members[0], element(members_path, 0));
  cluster.su_b = sus.resolve(members[1], element(members_path, 1));
  read_field(object, "active", cluster.active);
  return cluster;
}

Device read_device(const Json& value, const std::string& path) {
  ObjectReader object(value, path, {"id", "kind", "usage"});
  Device device;
  read_field(object, "id", device.id, Presence::required);
  read_field(object, "kind", device.kind);
  read_field(object, "usage", device.usage);
  return device;
}

/// A fixed VM index, or "*ANY" (stored as 0).
int read_vm_index(const Json& value, const std::string& path) {
  if (value.is_string() && value.get<std::string>() == "*ANY") return 0;
  const std::string expected = "expected \"*ANY\" or a VM index >= 1, got ";
  if (!value.is_number_integer()) fail(path, expected + describe(value));
  int index = 0;
  convert(value, path, index);
  // 0 would silently mean *ANY.
  if (index < 1) fail(path, expected + describe(value));
  return index;
}

Vm read_vm(const Json& value, const std::string& path, const NameIndex& sus) {
  ObjectReader object(value, path,
                      {"name", "su", "index", "memory", "state", "monitor_system", "devices",
                       "cpu_pool", "vm_group", "assignment_set", "network_segments"});
  Vm vm;
  read_field(object, "name", vm.name, Presence::required);
  vm.su = sus.resolve(object.required("su"), object.path_of("su"));
  if (const Json* index = object.optional("index")) {
    vm.index = read_vm_index(*index, object.path_of("index"));
  }
  read_field(object, "memory", vm.memory, Presence::required);
  read_field(object, "state", vm.state);
  read_field(object, "monitor_system", vm.monitor_system);
  if (const Json* devices = object.optional("devices")) {
    vm.devices = read_array<Device>(*devices, object.path_of("devices"), read_device);
  }
  read_field(object, "cpu_pool", vm.cpu_pool);
  read_field(object, "vm_group", vm.vm_group);
  read_field(object, "assignment_set", vm.assignment_set);
  read_field(object, "network_segments", vm.network_segments);
  return vm;
}

std::array<bool, kFaultKinds> read_faults(const Json& value, const std::string& path) {
  if (!value.is_array()) fail(path, "expected an array of fault kinds, got " + describe(value));
  std::array<bool, kFaultKinds> enabled{};
  for (std::size_t i = 0; i < value.size(); ++i) {
    FaultKind kind{};
    convert(value[i], element(path, i), kind);
    bool& slot = enabled[static_cast<std::size_t>(kind)];
    if (slot) fail(element(path, i), "fault kind " + describe(value[i]) + " listed twice");
    slot = true;
  }
  return enabled;
}

Scope read_scope(const Json& value, const std::string& path) {
  ObjectReader object(
      value, path,
      {"pages_per_vm", "guest_writes", "max_copy_rounds", "fault_budget", "faults", "lm_requests",
       "migrate", "definition_commands", "operator_verifies_remote_down"});
  Scope scope;
  read_field(object, "pages_per_vm", scope.pages_per_vm);
  read_field(object, "guest_writes", scope.guest_writes);
  read_field(object, "max_copy_rounds", scope.max_copy_rounds);
  read_field(object, "fault_budget", scope.fault_budget);
  if (const Json* faults = object.optional("faults")) {
    scope.faults = read_faults(*faults, object.path_of("faults"));
  }
  read_field(object, "lm_requests", scope.lm_requests);
  read_field(object, "migrate", scope.migrate);
  read_field(object, "definition_commands", scope.definition_commands);
  read_field(object, "operator_verifies_remote_down", scope.operator_verifies_remote_down);
  return scope;
}

/// Reads in dependency order (servers before the units that name them), whatever order
/// the file uses.
Config read_config(const Json& document) {
  ObjectReader object(document, "",
                      {"name", "servers", "mus", "sus", "isl_links", "external_disks",
                       "su_clusters", "vms", "scope"});
  Config config;
  read_field(object, "name", config.name, Presence::required);
  read_field(object, "servers", config.servers, Presence::required);
  const NameIndex servers(config.servers, "SE server");
  config.mus = read_array<Mu>(
      object.required("mus"), "mus",
      [&servers](const Json& v, const std::string& p) { return read_mu(v, p, servers); });
  config.sus = read_array<Su>(
      object.required("sus"), "sus",
      [&servers](const Json& v, const std::string& p) { return read_su(v, p, servers); });
  read_field(object, "isl_links", config.isl_links);
  read_field(object, "external_disks", config.external_disks);
  const NameIndex sus(names_of(config.sus), "SU");
  if (const Json* clusters = object.optional("su_clusters")) {
    config.su_clusters = read_array<SuCluster>(
        *clusters, "su_clusters",
        [&sus](const Json& v, const std::string& p) { return read_su_cluster(v, p, sus); });
  }
  config.vms =
      read_array<Vm>(object.required("vms"), "vms",
                     [&sus](const Json& v, const std::string& p) { return read_vm(v, p, sus); });
  if (const Json* scope = object.optional("scope")) config.scope = read_scope(*scope, "scope");
  return config;
}

// ---------------------------------------------------------------------------
// Validation: the rules a configuration must satisfy beyond its syntax.

void check_range(int value, int low, int high, const std::string& path) {
  if (value < low || value > high) {
    fail(path, "expected " + range_text(low, high) + ", got " + std::to_string(value));
  }
}

/// A count against the model's compile-time capacity.
void check_capacity(std::size_t count, int limit, const std::string& what,
                    const std::string& path) {
  if (count > static_cast<std::size_t>(limit)) {
    fail(path, model_limit(limit, what) + ", got " + std::to_string(count));
  }
}

void check_index(int index, std::size_t size, const std::string& what, const std::string& path) {
  if (index < 0 || static_cast<std::size_t>(index) >= size) {
    fail(path, what + " index " + std::to_string(index) + " out of range");
  }
}

/// Names of one kind must be non-empty and unique; `seen` spans the kinds that share a
/// name space (MUs and SUs are both units in the Cluster Manager's events, M4).
void check_name(const std::string& name, const std::string& path,
                std::map<std::string, std::string>& seen) {
  if (name.empty()) fail(path, "name must not be empty");
  const auto [previous, inserted] = seen.emplace(name, path);
  if (!inserted)
    fail(path, "duplicate name " + in_quotes(name) + " (also " + previous->second + ")");
}

template <typename T>
void check_names(const std::vector<T>& items, const std::string& path,
                 std::map<std::string, std::string>& seen) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    check_name(items[i].name, member(element(path, i), "name"), seen);
  }
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const char* arch_text(Arch arch) {
  return arch == Arch::s390 ? "SU /390" : "SU x86";
}

void check_servers(const Config& config) {
  if (config.servers.empty() || config.servers.size() > static_cast<std::size_t>(limits::servers)) {
    fail("servers", "a configuration has one or two SE servers (H1), got " +
                        std::to_string(config.servers.size()));
  }
  std::map<std::string, std::string> seen;
  for (std::size_t s = 0; s < config.servers.size(); ++s) {
    check_name(config.servers[s], element("servers", s), seen);
  }
}

void check_links_and_disks(const Config& config) {
  check_range(config.isl_links, 0, limits::isl_links, "isl_links");
  check_range(config.external_disks, 0, limits::external_disks, "external_disks");
  if (config.servers.size() == 1 && config.isl_links > 0) {
    fail("isl_links", "ISL-E joins two SE servers; with one server it must be 0 (H2)");
  }
  const bool management_cluster = config.servers.size() == 2 && config.isl_links > 0;
  if (management_cluster && config.external_disks < 1) {
    fail("external_disks",
         "a management cluster needs at least one external configuration disk (C2)");
  }
}

void check_mus(const Config& config) {
  check_capacity(config.mus.size(), limits::mus, "MUs", "mus");
  std::vector<int> per_server(config.servers.size(), 0);
  for (std::size_t m = 0; m < config.mus.size(); ++m) {
    const std::string server_path = member(element("mus", m), "server");
    check_index(config.mus[m].server, config.servers.size(), "SE server", server_path);
    const std::size_t server = static_cast<std::size_t>(config.mus[m].server);
    if (++per_server[server] > limits::mus_per_server) {
      fail(server_path,
           "SE server " + in_quotes(config.servers[server]) + " already has two MUs (H1)");
    }
  }
  for (std::size_t s = 0; s < config.servers.size(); ++s) {
    if (per_server[s] == 0) {
      fail(element("servers", s), "SE server " + in_quotes(config.servers[s]) + " has no MU (H1)");
    }
  }
}

/// Devices the SU lists as held by VMs outside the model must exist there.
void check_exclusively_used(const Su& su, const std::string& path) {
  for (std::size_t d = 0; d < su.exclusively_used.size(); ++d) {
    if (!contains(su.devices, su.exclusively_used[d])) {
      fail(element(member(path, "exclusively_used"), d),
           "device " + in_quotes(su.exclusively_used[d]) + " is not generated on this SU");
    }
  }
}

/// Extents lie inside the SU's memory and do not overlap.
void check_memory_map(const Su& su, const std::string& path) {
  for (std::size_t e = 0; e < su.memory_map.size(); ++e) {
    const auto& extent = su.memory_map[e];
    const std::string at = element(member(path, "memory_map"), e);
    if (extent.start < 0 || extent.size < 1 || extent.start + extent.size > su.memory) {
      fail(at, "expected 0 <= start, 1 <= size and start + size <= memory (" +
                   std::to_string(su.memory) + "), got start " + std::to_string(extent.start) +
                   ", size " + std::to_string(extent.size));
    }
    for (std::size_t other = 0; other < e; ++other) {
      const auto& o = su.memory_map[other];
      if (extent.start < o.start + o.size && o.start < extent.start + extent.size) {
        fail(at, "overlaps memory_map[" + std::to_string(other) + "]");
      }
    }
  }
}

void check_su(const Config& config, const Su& su, const std::string& path,
              const ConfigLimits& bounds) {
  check_index(su.server, config.servers.size(), "SE server", member(path, "server"));
  if (su.mode == Mode::native && su.arch == Arch::s390) {
    fail(member(path, "mode"), "an SU /390 runs only VM2000; native BS2000 needs an SU x86 (P4)");
  }
  if (su.memory < 1 || su.memory > bounds.su_memory) {
    fail(member(path, "memory"), "expected " + range_text(1, bounds.su_memory) + " (" +
                                     model_limit(bounds.su_memory, "units") + "), got " +
                                     std::to_string(su.memory));
  }
  check_range(su.max_vm_definitions, 0, limits::vm_definitions, member(path, "max_vm_definitions"));
  check_range(su.max_vm_index, 0, limits::vm_index, member(path, "max_vm_index"));
  check_range(su.rewas_version, 0, 99, member(path, "rewas_version"));
  check_exclusively_used(su, path);
  check_memory_map(su, path);
}

void check_sus(const Config& config, const ConfigLimits& bounds) {
  check_capacity(config.sus.size(), limits::sus, "SUs", "sus");
  for (std::size_t s = 0; s < config.sus.size(); ++s) {
    check_su(config, config.sus[s], element("sus", s), bounds);
  }
}

void check_unit_names(const Config& config) {
  std::map<std::string, std::string> units;
  check_names(config.mus, "mus", units);
  check_names(config.sus, "sus", units);
}

/// U1, U2, H2 and C2 for one SU cluster.
void check_cluster_pair(const Config& config, const SuCluster& cluster, const std::string& path) {
  const std::string sus_path = member(path, "sus");
  check_index(cluster.su_a, config.sus.size(), "SU", element(sus_path, 0));
  check_index(cluster.su_b, config.sus.size(), "SU", element(sus_path, 1));
  if (cluster.su_a == cluster.su_b) fail(sus_path, "an SU cluster has two different SUs (U1)");
  const Su& a = config.sus[static_cast<std::size_t>(cluster.su_a)];
  const Su& b = config.sus[static_cast<std::size_t>(cluster.su_b)];
  if (a.arch != b.arch) {
    fail(sus_path, "SU " + in_quotes(a.name) + " is " + arch_text(a.arch) + ", SU " +
                       in_quotes(b.name) + " is " + arch_text(b.arch) +
                       "; an SU cluster has one architecture (U1)");
  }
  if (a.server == b.server && a.arch == Arch::s390) {
    fail(sus_path, "SU /390 clusters always span two servers (U2)");
  }
  if (a.server != b.server && config.isl_links < 1) {
    fail(sus_path, "SUs in different servers need a management cluster: isl_links >= 1 (U2, H2)");
  }
  if (config.external_disks < 1) {
    fail("external_disks", "SU cluster " + in_quotes(cluster.name) +
                               " needs at least one external configuration disk (C2)");
  }
}

void check_su_clusters(const Config& config) {
  std::map<std::string, std::string> names;
  check_names(config.su_clusters, "su_clusters", names);
  std::map<int, std::string> cluster_of_su;  // U3
  for (std::size_t c = 0; c < config.su_clusters.size(); ++c) {
    const SuCluster& cluster = config.su_clusters[c];
    const std::string path = element("su_clusters", c);
    check_cluster_pair(config, cluster, path);
    const std::array<int, 2> members{cluster.su_a, cluster.su_b};
    for (std::size_t k = 0; k < members.size(); ++k) {
      const auto [other, inserted] = cluster_of_su.emplace(members[k], cluster.name);
      if (!inserted) {
        fail(element(member(path, "sus"), k),
             "SU " + in_quotes(config.sus[static_cast<std::size_t>(members[k])].name) +
                 " already belongs to SU cluster " + in_quotes(other->second) + " (U3)");
      }
    }
  }
}

bool initialised(const Vm& vm) {
  return vm.state != VmState::defined_only;
}

/// Who holds exclusive devices and indexes on each SU while checking the VMs.
struct SuOccupancy {
  int definitions = 0;
  int initialised_vms = 0;
  int memory_in_use = 0;
  std::map<int, std::string> fixed_index_owner;
  std::map<std::string, std::string> device_owner;  ///< initialised VMs' devices
  std::map<std::string, Usage> device_usage;
};

void check_device(const Vm& vm, const Su& su, const Device& device, const std::string& path,
                  SuOccupancy& occupancy) {
  if (device.id.empty()) fail(member(path, "id"), "device id must not be empty");
  if (device.kind == DeviceKind::pav_alias && su.arch != Arch::s390) {
    fail(member(path, "kind"), "PAV alias devices exist only on SU /390");
  }
  if (!initialised(vm)) return;  // a bare definition holds no device yet
  if (!contains(su.devices, device.id)) {
    fail(member(path, "id"), "device " + in_quotes(device.id) + " is not generated on SU " +
                                 in_quotes(su.name) + " (P10)");
  }
  const bool exclusive = device.usage == Usage::exclusive;
  // Held exclusively by a VM outside the configuration: no other VM may use
  // it there at all (P11).
  if (contains(su.exclusively_used, device.id)) {
    fail(member(path, "id"), "device " + in_quotes(device.id) +
                                 " is exclusively used by another VM on SU " + in_quotes(su.name) +
                                 " (P11)");
  }
  const auto owner = occupancy.device_owner.find(device.id);
  if (owner != occupancy.device_owner.end() &&
      (exclusive || occupancy.device_usage[device.id] == Usage::exclusive)) {
    fail(member(path, "id"), "device " + in_quotes(device.id) + " already assigned to VM " +
                                 in_quotes(owner->second) + " on SU " + in_quotes(su.name) +
                                 " and used exclusively (I6)");
  }
  occupancy.device_owner.emplace(device.id, vm.name);
  occupancy.device_usage.emplace(device.id, device.usage);
}

void check_devices(const Vm& vm, const Su& su, const std::string& path, SuOccupancy& occupancy) {
  const std::string devices_path = member(path, "devices");
  check_capacity(vm.devices.size(), limits::devices_per_vm, "devices per VM", devices_path);
  std::set<std::string> ids;
  for (std::size_t d = 0; d < vm.devices.size(); ++d) {
    const std::string device_path = element(devices_path, d);
    if (!ids.insert(vm.devices[d].id).second) {
      fail(member(device_path, "id"), "device " + in_quotes(vm.devices[d].id) + " listed twice");
    }
    check_device(vm, su, vm.devices[d], device_path, occupancy);
  }
}

/// An initialised VM uses only what its own SU has (P9, P12 on the source side).
void check_vm_resources(const Vm& vm, const Su& su, const std::string& path) {
  if (!initialised(vm)) return;
  const auto require = [&](const std::string& name, const std::vector<std::string>& available,
                           const std::string& field, const std::string& what) {
    if (!name.empty() && !contains(available, name)) {
      fail(field, what + " " + in_quotes(name) + " does not exist on SU " + in_quotes(su.name));
    }
  };
  require(vm.cpu_pool, su.cpu_pools, member(path, "cpu_pool"), "CPU pool");
  require(vm.vm_group, su.vm_groups, member(path, "vm_group"), "VM group");
  require(vm.assignment_set, su.assignment_sets, member(path, "assignment_set"), "assignment set");
  for (std::size_t n = 0; n < vm.network_segments.size(); ++n) {
    require(vm.network_segments[n], su.network_segments,
            element(member(path, "network_segments"), n), "network segment");
  }
}

void check_vm_index(const Vm& vm, const Su& su, const std::string& path, SuOccupancy& occupancy) {
  const std::string index_path = member(path, "index");
  // A bare definition holds no index: one outside the SU's range only keeps
  // it from being activated there (P7 at the activation).
  if (vm.index != 0 && initialised(vm) && (vm.index < 1 || vm.index > su.max_vm_index)) {
    fail(index_path, "VM index " + std::to_string(vm.index) + " outside 1.." +
                         std::to_string(su.max_vm_index) + " (max_vm_index of SU " +
                         in_quotes(su.name) + ") (P7)");
  }
  // Only an initialised VM holds its index (a DEFINED_ONLY one is listed
  // without a VM-ID, WP §4.3).
  if (vm.index != 0 && initialised(vm)) {
    const auto [owner, inserted] = occupancy.fixed_index_owner.emplace(vm.index, vm.name);
    if (!inserted) {
      fail(index_path, "VM index " + std::to_string(vm.index) + " already used by VM " +
                           in_quotes(owner->second) + " on SU " + in_quotes(su.name) + " (P7)");
    }
  }
  // Fixed indexes are distinct and in range, so *ANY VMs fit when the count does.
  if (initialised(vm) && ++occupancy.initialised_vms > su.max_vm_index) {
    fail(index_path, "SU " + in_quotes(su.name) + " has no free VM index left (max_vm_index " +
                         std::to_string(su.max_vm_index) + ") (P7)");
  }
}

void check_vm_placement(const Vm& vm, const Su& su, const std::string& path,
                        SuOccupancy& occupancy) {
  const std::string su_path = member(path, "su");
  if (++occupancy.definitions > su.max_vm_definitions) {
    fail(su_path, "SU " + in_quotes(su.name) + " already holds max_vm_definitions = " +
                      std::to_string(su.max_vm_definitions) + " VM definitions (P8)");
  }
  if (su.mode == Mode::native && occupancy.definitions > 1) {
    fail(su_path,
         "SU " + in_quotes(su.name) + " runs native BS2000 and holds only one system (P14)");
  }
  if (vm.monitor_system && su.mode == Mode::native) {
    fail(member(path, "monitor_system"),
         "SU " + in_quotes(su.name) + " runs native BS2000, no VM2000 monitor");
  }
  if (initialised(vm)) occupancy.memory_in_use += vm.memory;
  if (occupancy.memory_in_use + su.mapped_memory() > su.memory) {
    fail(member(path, "memory"), "initialised VMs on SU " + in_quotes(su.name) + " need " +
                                     std::to_string(occupancy.memory_in_use) + " units, it has " +
                                     std::to_string(su.memory) + " (P5)");
  }
}

void check_vm(const Config& config, const Vm& vm, const std::string& path,
              const ConfigLimits& bounds, std::vector<SuOccupancy>& occupancy) {
  check_index(vm.su, config.sus.size(), "SU", member(path, "su"));
  const std::size_t su_index = static_cast<std::size_t>(vm.su);
  const Su& su = config.sus[su_index];
  if (vm.memory < 1 || vm.memory > bounds.su_memory) {
    fail(member(path, "memory"),
         "expected " + range_text(1, bounds.su_memory) + ", got " + std::to_string(vm.memory));
  }
  check_vm_placement(vm, su, path, occupancy[su_index]);
  check_vm_index(vm, su, path, occupancy[su_index]);
  check_devices(vm, su, path, occupancy[su_index]);
  check_vm_resources(vm, su, path);
}

void check_monitor_systems(const Config& config) {
  std::set<int> sus_with_monitor;
  for (std::size_t v = 0; v < config.vms.size(); ++v) {
    const Vm& vm = config.vms[v];
    if (vm.monitor_system && !sus_with_monitor.insert(vm.su).second) {
      fail(member(element("vms", v), "monitor_system"),
           "SU " + in_quotes(config.sus[static_cast<std::size_t>(vm.su)].name) +
               " already has a monitor system (P19)");
    }
  }
}

void check_vms(const Config& config, const ConfigLimits& bounds) {
  if (config.vms.empty()) fail("vms", "at least one VM required");
  check_capacity(config.vms.size(), bounds.vms, "VMs", "vms");
  // A VM definition is identified by its name and its SU (D1): one name may
  // be defined on both SUs of a cluster (P6 rejects moving one onto the
  // other), but only once per SU.
  std::vector<std::map<std::string, std::string>> names(config.sus.size());
  for (std::size_t v = 0; v < config.vms.size(); ++v) {
    const auto su = static_cast<std::size_t>(config.vms[v].su);
    if (su >= config.sus.size()) continue;  // check_vm reports it
    check_name(config.vms[v].name, member(element("vms", v), "name"), names[su]);
  }
  std::vector<SuOccupancy> occupancy(config.sus.size());
  for (std::size_t v = 0; v < config.vms.size(); ++v) {
    check_vm(config, config.vms[v], element("vms", v), bounds, occupancy);
  }
  check_monitor_systems(config);
}

void check_scope(const Config& config) {
  const Scope& scope = config.scope;
  check_range(scope.pages_per_vm, 1, 4, "scope.pages_per_vm");
  check_range(scope.guest_writes, 0, 3, "scope.guest_writes");
  check_range(scope.max_copy_rounds, 1, 4, "scope.max_copy_rounds");
  check_range(scope.fault_budget, 0, 4, "scope.fault_budget");
  check_range(scope.lm_requests, 0, 3, "scope.lm_requests");
  std::set<std::string> listed;
  for (std::size_t m = 0; m < scope.migrate.size(); ++m) {
    const std::string path = element("scope.migrate", m);
    if (config.vm_index_by_name(scope.migrate[m]) < 0) {
      fail(path, "unknown VM " + in_quotes(scope.migrate[m]));
    }
    if (!listed.insert(scope.migrate[m]).second) {
      fail(path, "VM " + in_quotes(scope.migrate[m]) + " listed twice");
    }
  }
}

void check_config(const Config& config, const ConfigLimits& bounds) {
  if (config.name.empty()) fail("name", "name must not be empty");
  check_servers(config);
  check_links_and_disks(config);
  check_mus(config);
  check_sus(config, bounds);
  check_unit_names(config);
  check_su_clusters(config);
  check_vms(config, bounds);
  check_scope(config);
}

ConfigError make_error(const std::string& file, std::string field, std::string message) {
  return ConfigError{file, std::move(field), std::move(message)};
}

template <typename E>
const char* spelling_of(E value) {
  for (const auto& entry : spellings(value)) {
    if (entry.value == value) return entry.text;
  }
  return "?";
}

}  // namespace

const char* spelling(Arch value) {
  return spelling_of(value);
}
const char* spelling(Mode value) {
  return spelling_of(value);
}
const char* spelling(VmState value) {
  return spelling_of(value);
}
const char* spelling(DeviceKind value) {
  return spelling_of(value);
}
const char* spelling(Usage value) {
  return spelling_of(value);
}
const char* spelling(FaultKind value) {
  return spelling_of(value);
}

std::optional<Config> parse_config(const std::string& json_text, const std::string& file,
                                   ConfigError& error, const ConfigLimits& limits) {
  try {
    Config config = read_config(parse_json(json_text));
    if (!validate_config(config, file, error, limits)) return std::nullopt;
    return config;
  } catch (const FieldError& problem) {
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
    check_config(config, limits);
    return true;
  } catch (const FieldError& problem) {
    error = make_error(file, problem.field, problem.message);
  } catch (const std::exception& unexpected) {
    error = make_error(file, "", std::string("internal error: ") + unexpected.what());
  }
  return false;
}

}  // namespace lmc::cluster
