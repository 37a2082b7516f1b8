#include "properties/config_generator.hpp"

#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <set>

namespace lmc::properties {
namespace {

using namespace cluster;

const std::vector<std::string> kDeviceIds = {"4683", "4684", "0C10", "5F01"};
const std::vector<std::string> kVmNames = {"VM12PROD", "VM13TEST", "VM14APP"};
const std::vector<std::string> kPools = {"POOL1", "POOL2"};

}  // namespace

int uniform(int low, int high) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(low, high));
}

namespace {

bool chance(int percent) {
  return uniform(0, 100) < percent;
}

template <class T>
std::vector<T> subset(const std::vector<T>& items, int percent) {
  std::vector<T> out;
  for (const auto& item : items) {
    if (chance(percent)) out.push_back(item);
  }
  return out;
}

int rewas() {
  const int roll = uniform(0, 100);
  return roll < 90 ? 20 : roll < 95 ? 10 : 0;  // V2.0, V1.0, not active
}

/// `like`'s list with each entry of `pool` flipped in or out now and then:
/// the two SUs of a cluster are mostly alike, so most requests are possible
/// or fail a rule or two, not ten.
std::vector<std::string> like_list(const std::vector<std::string>& like,
                                   const std::vector<std::string>& pool, int flip_percent) {
  std::vector<std::string> out;
  for (const auto& item : pool) {
    const bool in = std::count(like.begin(), like.end(), item) > 0;
    if (in != chance(flip_percent)) out.push_back(item);
  }
  return out;
}

Su random_su(const std::string& name, int server, Arch arch, const Su* like) {
  Su su;
  su.name = name;
  su.server = server;
  su.arch = arch;
  su.mode = arch == Arch::x86 && chance(20) ? Mode::native : Mode::vm2000;
  su.memory = uniform(2, 13);
  su.max_vm_index = uniform(1, 5);
  su.rewas_version = arch == Arch::s390 ? rewas() : 20;
  const Su none;
  const Su& base = like ? *like : none;
  const int flip = like ? 12 : 50;
  su.devices = like_list(base.devices, kDeviceIds, like ? 10 : 20);
  su.exclusively_used = subset(su.devices, 6);
  su.cpu_pools = like_list(base.cpu_pools, kPools, flip);
  su.vm_groups = like_list(base.vm_groups, {"GRP1"}, flip);
  su.assignment_sets = like_list(base.assignment_sets, {"SET1"}, flip);
  su.network_segments = {"LAN1"};
  su.config_update_running = chance(4);
  su.shutdown_initiated = chance(4);
  if (arch == Arch::s390 && chance(35)) {
    int position = uniform(0, 3);
    const int extents = uniform(1, 3);
    for (int e = 0; e < extents; ++e) {
      const int size = uniform(1, 3);
      if (position + size > su.memory - 1) break;
      su.memory_map.push_back({position, size, "GUEST" + std::to_string(e + 9)});
      position += size + uniform(0, 3);
    }
  }
  return su;
}

/// The SUs, servers, MUs, links and the SU cluster: one of the shapes the
/// rules tell apart (an SU /390 cluster across two servers, an SU x86
/// cluster in one server or across two, a third SU outside the cluster of
/// either architecture, on either server, with or without ISL-E).
void random_topology(Config& c) {
  const bool s390 = chance(60);
  const bool spans = s390 || chance(50);
  const bool third = chance(40);
  const int servers = spans || (third && chance(50)) ? 2 : 1;
  for (int s = 0; s < servers; ++s) c.servers.push_back("ABGSE70" + std::to_string(s + 1));
  const char* mu_names[] = {"abgwhite", "abgblack", "abgred", "abggreen"};
  for (int s = 0; s < servers; ++s) {
    const int mus = uniform(1, 3);
    for (int m = 0; m < mus; ++m) c.mus.push_back({mu_names[2 * s + m], s});
  }
  // Two servers without ISL-E form no management cluster (P3 for an SU of
  // the other server).
  c.isl_links = servers == 1 ? 0 : spans ? uniform(1, 3) : chance(50) ? 0 : 1;
  c.external_disks = uniform(1, 3);
  const Arch arch = s390 ? Arch::s390 : Arch::x86;
  c.sus.push_back(random_su("ABGSU701", 0, arch, nullptr));
  c.sus.push_back(random_su("ABGSU702", spans ? 1 : 0, arch, &c.sus[0]));
  if (third) {
    const Arch other = chance(50) ? arch : (s390 ? Arch::x86 : Arch::s390);
    const Su first = c.sus[0];
    c.sus.push_back(random_su("ABGSU703", servers - 1, other, &first));
  }
  c.su_clusters.push_back({"SUC1", 0, 1, chance(92)});
}

/// What the VMs already placed hold on each SU (validate_config's rules).
struct Occupancy {
  int definitions = 0;
  int initialised = 0;
  int memory = 0;
  bool monitor = false;
  std::set<std::string> names;
  std::set<int> fixed_indexes;
  std::map<std::string, Usage> devices;
};

std::vector<Device> random_devices(const Su& su, bool initialised, const Occupancy& o) {
  std::vector<Device> devices;
  for (const auto& id : subset(kDeviceIds, 55)) {
    Device d;
    d.id = id;
    const int kind = uniform(0, 10);
    d.kind = kind < 6   ? DeviceKind::disk
             : kind < 8 ? DeviceKind::tape
             : kind < 9 ? DeviceKind::emulated_local_disk
                        : DeviceKind::pav_alias;
    if (d.kind == DeviceKind::pav_alias && su.arch != Arch::s390) d.kind = DeviceKind::disk;
    d.usage = chance(65) ? Usage::exclusive : Usage::shared;
    const bool generated = std::count(su.devices.begin(), su.devices.end(), id) > 0;
    if (!initialised && !generated && chance(70)) continue;  // mostly devices of its SU
    if (initialised) {
      const bool outside =
          std::count(su.exclusively_used.begin(), su.exclusively_used.end(), id) > 0;
      const auto held = o.devices.find(id);
      if (!generated || outside) continue;
      if (held != o.devices.end()) {
        if (held->second == Usage::exclusive) continue;
        d.usage = Usage::shared;  // a second holder of a shared device
      }
    }
    devices.push_back(d);
  }
  return devices;
}

std::string random_placement(const std::vector<std::string>& own, const std::string& other,
                             bool initialised) {
  if (chance(40)) return "";
  if (!initialised) return chance(20) || own.empty() ? other : own.front();
  return own.empty() ? "" : *rc::gen::elementOf(own);
}

VmState random_state() {
  const int roll = uniform(0, 100);
  return roll < 40   ? VmState::running
         : roll < 55 ? VmState::init_only
         : roll < 68 ? VmState::down
         : roll < 85 ? VmState::defined_only
                     : VmState::wait;
}

/// One VM, made to fit its SU: what does not fit is given up (a fixed index
/// taken becomes *ANY, too little memory or index makes it DEFINED_ONLY).
bool place_vm(Config& c, std::vector<Occupancy>& occupancy) {
  Vm vm;
  vm.su = uniform(0, static_cast<int>(c.sus.size()));
  const auto& su = c.sus[vm.su];
  auto& o = occupancy[vm.su];
  vm.name = *rc::gen::elementOf(kVmNames);
  if (o.names.count(vm.name) || (su.mode == Mode::native && o.definitions > 0)) return false;
  vm.memory = uniform(1, 5);
  vm.state = random_state();
  vm.index = chance(50) ? uniform(1, su.max_vm_index + 2) : 0;
  bool initialised = vm.state != VmState::defined_only;
  if (vm.index > su.max_vm_index) vm.index = 0;
  if (initialised && o.fixed_indexes.count(vm.index)) vm.index = 0;
  if (initialised &&
      (o.initialised >= su.max_vm_index || o.memory + vm.memory + su.mapped_memory() > su.memory)) {
    vm.state = VmState::defined_only;
    initialised = false;
  }
  vm.monitor_system = initialised && !o.monitor && su.mode == Mode::vm2000 && chance(5);
  vm.devices = random_devices(su, initialised, o);
  vm.cpu_pool = random_placement(su.cpu_pools, "POOL9", initialised);
  vm.vm_group = random_placement(su.vm_groups, "GRP9", initialised);
  vm.assignment_set = random_placement(su.assignment_sets, "SET9", initialised);
  vm.network_segments = {"LAN1"};
  ++o.definitions;
  o.names.insert(vm.name);
  o.monitor = o.monitor || vm.monitor_system;
  if (initialised) {
    ++o.initialised;
    o.memory += vm.memory;
    if (vm.index > 0) o.fixed_indexes.insert(vm.index);
    for (const auto& d : vm.devices) o.devices[d.id] = d.usage;
  }
  c.vms.push_back(vm);
  return true;
}

}  // namespace

Config random_cluster() {
  Config c;
  c.name = "generated";
  random_topology(c);
  std::vector<Occupancy> occupancy(c.sus.size());
  const int vms = std::min(3, uniform(1, 5));  // three VMs half of the time
  for (int attempt = 0; static_cast<int>(c.vms.size()) < vms && attempt < 12; ++attempt) {
    place_vm(c, occupancy);
  }
  if (c.vms.empty()) {
    Occupancy none;
    Vm vm;
    vm.name = kVmNames.front();
    vm.memory = 1;
    vm.state = VmState::defined_only;
    c.vms.push_back(vm);
    occupancy[0].definitions = 1;
  }
  for (std::size_t s = 0; s < c.sus.size(); ++s) {
    // Full now and then, so that P8 fires for a VM moving there.
    c.sus[s].max_vm_definitions = occupancy[s].definitions + uniform(0, 4);
  }
  auto& scope = c.scope;
  scope.pages_per_vm = 1;
  scope.guest_writes = 1;
  scope.max_copy_rounds = 1;
  scope.fault_budget = 3;
  scope.faults.fill(true);
  scope.lm_requests = 3;
  scope.definition_commands = true;
  return c;
}

}  // namespace lmc::properties
