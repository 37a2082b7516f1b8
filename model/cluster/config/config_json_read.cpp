// The readers of the configuration's sections (presets.md "Format"): one function
// per JSON object, each listing the keys it accepts, and read_config putting them
// together in dependency order. Unit names are resolved to indexes here; whether
// the parts fit together is config_json_checks.cpp's business.

#include <array>
#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/cluster/config/config_json_detail.hpp"

namespace lmc::cluster::json_detail {
namespace {

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
}  // namespace

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

}  // namespace lmc::cluster::json_detail
