#include "model/cluster/prereq/prereq_table.hpp"

#include <chrono>

#include "model/cluster/prereq/prereq_solver.hpp"

namespace lmc::smt {
namespace {

void put(std::string& key, int value) {
  key.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

std::string fact_key(const cluster::RequestFacts& r) {
  const auto& f = r.facts;
  std::string key;
  for (int value : {int(f.same_unit),
                    int(f.one_cluster),
                    int(f.cluster_active),
                    int(f.target_reachable),
                    f.source_arch,
                    f.target_arch,
                    f.source_server,
                    f.target_server,
                    f.isl_links,
                    f.source_mode,
                    f.target_mode,
                    f.free_memory,
                    f.vm_memory,
                    f.target_memory,
                    int(f.contiguity),
                    int(f.name_used),
                    f.fixed_index,
                    f.max_index,
                    f.definitions,
                    f.max_definitions,
                    f.vm_state,
                    f.source_rewas,
                    f.target_rewas,
                    int(f.lm_running_from_source),
                    int(f.source_update),
                    int(f.target_update),
                    int(f.source_shutdown),
                    int(f.target_shutdown),
                    int(f.monitor_system),
                    r.labels.vm,
                    r.labels.source,
                    r.labels.target,
                    r.labels.vm_index,
                    r.labels.index_holder,
                    r.labels.running_vm}) {
    put(key, value);
  }
  for (const auto& e : f.extents) {
    put(key, e.start);
    put(key, e.size);
  }
  put(key, -1);
  for (int used : f.used_indexes) put(key, used);
  put(key, -1);
  for (const auto& d : f.devices) {
    for (int value : {d.device, int(d.generated), int(d.exclusive), int(d.held_exclusively),
                      int(d.held), r.labels.device_holder[d.device]}) {
      put(key, value);
    }
  }
  put(key, -1);
  for (const auto& p : f.placement) {
    put(key, static_cast<int>(p.kind));
    put(key, int(p.exists));
  }
  return key;
}

PrereqTable::PrereqTable(const cluster::ClusterModel& model)
    : model_(&model), solver_(std::make_unique<PrereqSolver>()) {}

PrereqTable::~PrereqTable() = default;

std::vector<cluster::Conflict> PrereqTable::lookup(const cluster::State& state, int vm,
                                                   int target) const {
  const auto request = cluster::read_request_facts(model_->topology(), state, vm, target);
  const auto key = fact_key(request);
  {
    std::shared_lock reading(lock_);
    const auto found = table_.find(key);
    if (found != table_.end()) return found->second;
  }
  std::unique_lock writing(lock_);
  const auto found = table_.find(key);
  if (found != table_.end()) return found->second;
  const auto start = std::chrono::steady_clock::now();
  auto verdict = solver_->check(model_->config(), request);
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats_.queries += verdict.queries;
  ++stats_.entries;
  return table_.emplace(key, std::move(verdict.conflicts)).first->second;
}

PrereqTableStats PrereqTable::stats() const {
  std::shared_lock reading(lock_);
  return stats_;
}

}  // namespace lmc::smt
