#include "checker/smt/request_facts.hpp"

#include <algorithm>

#include "model/cluster/cluster_model.hpp"

namespace lmc::smt {
namespace {

using namespace cluster;

bool listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

SuFacts su_facts(const Config& c, int su) {
  const auto& unit = c.sus[su];
  return {unit.name,
          static_cast<int>(unit.arch),
          static_cast<int>(unit.mode),
          unit.server,
          c.cluster_of(su).value_or(-1),
          unit.rewas_version,
          unit.config_update_running,
          unit.shutdown_initiated};
}

}  // namespace

RequestFacts read_request_facts(const Topology& topology, const State& state, int v, int t) {
  const auto& c = topology.config();
  const int s = state.vm[v].owner;
  const auto& vm = c.vms[v];
  RequestFacts f;
  f.vm = vm.name;
  f.source = su_facts(c, s);
  f.target = su_facts(c, t);
  f.same_unit = s == t;
  if (f.source.cluster >= 0) {
    f.cluster_active = c.su_clusters[f.source.cluster].active;
    f.cluster_name = c.su_clusters[f.source.cluster].name;
  }
  f.target_reachable = topology.su_reachable(state, s, t);
  f.isl_links = c.isl_links;
  f.free_memory = state.free_memory[t];
  f.target_memory = c.sus[t].memory;
  for (const auto& e : c.sus[t].memory_map) f.target_extents.emplace_back(e.start, e.size);
  f.vm_memory = vm.memory;
  f.vm_index = vm.index;
  f.max_index = c.sus[t].max_vm_index;
  for (int other = 0; other < static_cast<int>(c.vms.size()); ++other) {
    const bool on_target = state.vm[other].owner == t;
    f.definitions += on_target;
    if (other != v && on_target) {
      f.name_used |= c.vms[other].name == vm.name;
      if (c.vms[other].index > 0) f.used_indexes.push_back(c.vms[other].index);
    }
    if (is_active(state.lm[other]) && state.lm[other].source == s && !f.lm_running_from_source) {
      f.lm_running_from_source = true;
      f.running_vm = c.vms[other].name;
    }
  }
  f.max_definitions = c.sus[t].max_vm_definitions;
  const auto detached = topology.detached_at_setup(v, s);
  for (int d = 0; d < static_cast<int>(vm.devices.size()); ++d) {
    const auto& device = vm.devices[d];
    f.devices.push_back({device.id, (detached >> d & 1) != 0, listed(c.sus[t].devices, device.id),
                         device.usage == Usage::exclusive,
                         listed(c.sus[t].exclusively_used, device.id)});
  }
  f.placement = {
      {"CPU pool", vm.cpu_pool, listed(c.sus[t].cpu_pools, vm.cpu_pool)},
      {"VM group", vm.vm_group, listed(c.sus[t].vm_groups, vm.vm_group)},
      {"assignment set", vm.assignment_set, listed(c.sus[t].assignment_sets, vm.assignment_set)}};
  f.vm_state = state.vm[v].state;
  f.monitor_system = vm.monitor_system;
  return f;
}

RequestFacts read_config_facts(const Config& c, int v, int t) {
  // Everything static comes from the same reader, on a model over a
  // configuration trimmed to the requesting VM; the facts that depend on the
  // other VMs are then filled in from the whole configuration.
  Config single = c;
  single.vms = {c.vms[v]};
  const Topology topology(single);
  State state;
  state.su_up = static_cast<std::uint8_t>((1u << c.sus.size()) - 1);
  state.isl_up = static_cast<std::uint8_t>((1u << c.isl_links) - 1);
  state.vm[0].owner = static_cast<std::uint8_t>(c.vms[v].su);
  state.vm[0].state = static_cast<std::uint8_t>(c.vms[v].state);
  auto f = read_request_facts(topology, state, 0, t);
  f.free_memory = c.sus[t].memory - c.sus[t].mapped_memory();
  f.definitions = 0;
  f.name_used = false;
  f.used_indexes.clear();
  for (int other = 0; other < static_cast<int>(c.vms.size()); ++other) {
    const auto& o = c.vms[other];
    if (o.su != t) continue;
    ++f.definitions;
    if (o.state != VmState::defined_only) f.free_memory -= o.memory;
    if (other == v) continue;
    f.name_used |= o.name == c.vms[v].name;
    if (o.index > 0) f.used_indexes.push_back(o.index);
  }
  return f;
}

}  // namespace lmc::smt
