// Validation (presets.md "Validation"): the rules a read configuration must satisfy
// beyond its syntax: counts within what the model can hold (H1, limits::), unique
// names, references in range, the SU clusters (U1-U3, C2) and the VMs on their SUs
// (P5-P19, I6). Apart from the readers because validate_config runs these on a
// Config built in code, too, where no JSON was ever read.

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/cluster/config/config_json_detail.hpp"

namespace lmc::cluster::json_detail {
namespace {

std::string range_text(int low, int high) {
  return std::to_string(low) + ".." + std::to_string(high);
}

std::string model_limit(int limit, const std::string& what) {
  return "the model supports at most " + std::to_string(limit) + " " + what;
}

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

/// The longest name of a server, unit, SU cluster or VM: BS2000's own are 8
/// characters; a name also becomes a CRD mirror's file name and part of
/// every message, so a megabyte of it (found by the fuzzer) must not.
constexpr std::size_t kMaxNameLength = 64;

/// Names of one kind must be non-empty, at most kMaxNameLength characters and unique;
/// `seen` spans the kinds that share a name space (MUs and SUs are both units in the
/// Cluster Manager's events, M4).
void check_name(const std::string& name, const std::string& path,
                std::map<std::string, std::string>& seen) {
  if (name.empty()) fail(path, "name must not be empty");
  if (name.size() > kMaxNameLength) {
    fail(path, "a name of at most " + std::to_string(kMaxNameLength) + " characters, got " +
                   std::to_string(name.size()));
  }
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

}  // namespace

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

}  // namespace lmc::cluster::json_detail
