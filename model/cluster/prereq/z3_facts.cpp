#include "model/cluster/prereq/z3_facts.hpp"

#include <fmt/core.h>

namespace lmc::smt {

SymbolicFacts symbolic_facts(const cluster::ConcreteFacts& f, FactTerms& t) {
  std::vector<cluster::rules::ExtentFacts<z3::expr>> extents;
  for (std::size_t e = 0; e < f.extents.size(); ++e) {
    extents.push_back({t.integer(fmt::format("extent{}_start", e), f.extents[e].start),
                       t.integer(fmt::format("extent{}_size", e), f.extents[e].size)});
  }
  std::vector<z3::expr> used;
  for (std::size_t i = 0; i < f.used_indexes.size(); ++i) {
    used.push_back(t.integer(fmt::format("used_index{}", i), f.used_indexes[i]));
  }
  std::vector<cluster::rules::DeviceFacts<z3::expr>> devices;
  for (const auto& d : f.devices) {
    devices.push_back(
        {d.device, t.boolean(fmt::format("device{}_generated", d.device), d.generated),
         t.boolean(fmt::format("device{}_exclusive", d.device), d.exclusive),
         t.boolean(fmt::format("device{}_held_exclusively", d.device), d.held_exclusively),
         t.boolean(fmt::format("device{}_held", d.device), d.held)});
  }
  std::vector<cluster::rules::PlacementFacts<z3::expr>> placement;
  for (std::size_t p = 0; p < f.placement.size(); ++p) {
    placement.push_back({f.placement[p].kind,
                         t.boolean(fmt::format("placement{}_exists", p), f.placement[p].exists)});
  }
  return SymbolicFacts{
      .same_unit = t.boolean("same_unit", f.same_unit),
      .one_cluster = t.boolean("one_cluster", f.one_cluster),
      .cluster_active = t.boolean("cluster_active", f.cluster_active),
      .target_reachable = t.boolean("target_reachable", f.target_reachable),
      .source_arch = t.integer("source_arch", f.source_arch),
      .target_arch = t.integer("target_arch", f.target_arch),
      .source_server = t.integer("source_server", f.source_server),
      .target_server = t.integer("target_server", f.target_server),
      .isl_links = t.integer("isl_links", f.isl_links),
      .source_mode = t.integer("source_mode", f.source_mode),
      .target_mode = t.integer("target_mode", f.target_mode),
      .free_memory = t.integer("free_memory", f.free_memory),
      .vm_memory = t.integer("vm_memory", f.vm_memory),
      .target_memory = t.integer("target_memory", f.target_memory),
      .contiguity = f.contiguity,
      .extents = std::move(extents),
      .name_used = t.boolean("name_used", f.name_used),
      .fixed_index = t.integer("fixed_index", f.fixed_index),
      .max_index = t.integer("max_index", f.max_index),
      .used_indexes = std::move(used),
      .index_witness = std::nullopt,
      .definitions = t.integer("definitions", f.definitions),
      .max_definitions = t.integer("max_definitions", f.max_definitions),
      .devices = std::move(devices),
      .placement = std::move(placement),
      .vm_state = t.integer("vm_state", f.vm_state),
      .source_rewas = t.integer("source_rewas", f.source_rewas),
      .target_rewas = t.integer("target_rewas", f.target_rewas),
      .lm_running_from_source = t.boolean("lm_running_from_source", f.lm_running_from_source),
      .source_update = t.boolean("source_update", f.source_update),
      .target_update = t.boolean("target_update", f.target_update),
      .source_shutdown = t.boolean("source_shutdown", f.source_shutdown),
      .target_shutdown = t.boolean("target_shutdown", f.target_shutdown),
      .monitor_system = t.boolean("monitor_system", f.monitor_system),
  };
}

}  // namespace lmc::smt
