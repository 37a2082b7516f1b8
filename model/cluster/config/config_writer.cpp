// The configuration back to JSON, in the format config_json.cpp reads
// (README, examples/*.json): every field written, so that reading the text
// gives an equal configuration (tests/model/cluster/test_config.cpp holds
// that on every preset).

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "model/cluster/config/config.hpp"

namespace lmc::cluster {
namespace {

using Json = nlohmann::ordered_json;

std::string rewas_text(int version) {
  return fmt::format("V{}.{}", version / 10, version % 10);
}

Json su_json(const Config& c, const Su& su) {
  Json map = Json::array();
  for (const auto& e : su.memory_map) {
    map.push_back({{"start", e.start}, {"size", e.size}, {"holder", e.holder}});
  }
  Json j = {{"name", su.name},
            {"server", c.servers[static_cast<std::size_t>(su.server)]},
            {"arch", spelling(su.arch)},
            {"mode", spelling(su.mode)},
            {"memory", su.memory},
            {"max_vm_definitions", su.max_vm_definitions},
            {"max_vm_index", su.max_vm_index},
            {"rewas_version", nullptr},
            {"devices", su.devices},
            {"exclusively_used", su.exclusively_used},
            {"cpu_pools", su.cpu_pools},
            {"vm_groups", su.vm_groups},
            {"assignment_sets", su.assignment_sets},
            {"network_segments", su.network_segments},
            {"config_update_running", su.config_update_running},
            {"shutdown_initiated", su.shutdown_initiated},
            {"memory_map", map}};
  if (su.rewas_version != 0) j["rewas_version"] = rewas_text(su.rewas_version);
  return j;
}

Json vm_json(const Config& c, const Vm& vm) {
  Json devices = Json::array();
  for (const auto& d : vm.devices) {
    devices.push_back({{"id", d.id}, {"kind", spelling(d.kind)}, {"usage", spelling(d.usage)}});
  }
  Json j = {{"name", vm.name},
            {"su", c.sus[static_cast<std::size_t>(vm.su)].name},
            {"index", "*ANY"},
            {"memory", vm.memory},
            {"state", spelling(vm.state)},
            {"monitor_system", vm.monitor_system},
            {"devices", devices},
            {"cpu_pool", vm.cpu_pool},
            {"vm_group", vm.vm_group},
            {"assignment_set", vm.assignment_set},
            {"network_segments", vm.network_segments}};
  if (vm.index > 0) j["index"] = vm.index;
  return j;
}

Json scope_json(const Scope& scope) {
  Json faults = Json::array();
  for (std::size_t f = 0; f < kFaultKinds; ++f) {
    if (scope.faults[f]) faults.push_back(spelling(static_cast<FaultKind>(f)));
  }
  return {{"pages_per_vm", scope.pages_per_vm},
          {"guest_writes", scope.guest_writes},
          {"max_copy_rounds", scope.max_copy_rounds},
          {"fault_budget", scope.fault_budget},
          {"faults", faults},
          {"lm_requests", scope.lm_requests},
          {"migrate", scope.migrate},
          {"definition_commands", scope.definition_commands},
          {"operator_verifies_remote_down", scope.operator_verifies_remote_down}};
}

}  // namespace

std::string config_to_json(const Config& c) {
  Json mus = Json::array();
  for (const auto& mu : c.mus) {
    mus.push_back({{"name", mu.name}, {"server", c.servers[static_cast<std::size_t>(mu.server)]}});
  }
  Json sus = Json::array();
  for (const auto& su : c.sus) sus.push_back(su_json(c, su));
  Json clusters = Json::array();
  for (const auto& k : c.su_clusters) {
    clusters.push_back({{"name", k.name},
                        {"sus",
                         {c.sus[static_cast<std::size_t>(k.su_a)].name,
                          c.sus[static_cast<std::size_t>(k.su_b)].name}},
                        {"active", k.active}});
  }
  Json vms = Json::array();
  for (const auto& vm : c.vms) vms.push_back(vm_json(c, vm));
  const Json document = {{"name", c.name},
                         {"servers", c.servers},
                         {"mus", mus},
                         {"isl_links", c.isl_links},
                         {"external_disks", c.external_disks},
                         {"sus", sus},
                         {"su_clusters", clusters},
                         {"vms", vms},
                         {"scope", scope_json(c.scope)}};
  return document.dump(2) + "\n";
}

}  // namespace lmc::cluster
