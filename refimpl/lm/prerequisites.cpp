#include "refimpl/lm/prerequisites.hpp"

#include <algorithm>
#include <string>

#include "refimpl/lm/mutation.hpp"

namespace lmc::ref {
namespace {

using cluster::ConflictKind;
using cluster::make_conflict;

bool listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class Check {
 public:
  Check(const Installation& in, int vm, int target)
      : in_(in),
        v_(vm),
        vm_(in.vm(vm)),
        spec_(in.vm_spec(vm)),
        source_(in.su(in.vm(vm).su)),
        target_(in.su(target)) {}

  std::vector<cluster::Conflict> run() {
    cluster_rules();
    unit_rules();
    memory_rules();
    definition_rules();
    device_rules();
    vm_rules();
    operation_rules();
    cluster::sort_conflicts(found_);
    return std::move(found_);
  }

 private:
  void add(ConflictKind kind, std::vector<std::string> values) {
    found_.push_back(make_conflict(kind, std::move(values)));
  }
  const std::string& src() const { return source_.name(); }
  const std::string& tgt() const { return target_.name(); }

  void cluster_rules() {
    const auto& c = in_.config();
    const auto cluster = c.cluster_of(source_.id());
    if (source_.id() == target_.id()) {
      add(ConflictKind::p1_same_unit, {tgt()});
    } else if (!cluster || c.cluster_of(target_.id()) != cluster) {
      add(ConflictKind::p1_not_one_cluster, {src(), tgt()});
    } else if (!c.su_clusters[static_cast<std::size_t>(*cluster)].active) {
      add(ConflictKind::p1_cluster_inactive,
          {c.su_clusters[static_cast<std::size_t>(*cluster)].name});
    } else if (!in_.cluster_manager().mcnpr_reachable(source_.id(), target_.id())) {
      add(ConflictKind::p1_target_unreachable, {src(), tgt()});
    }
    if (source_.spec().arch != target_.spec().arch) {
      add(ConflictKind::p2_architecture, {src(), cluster::arch_name(source_.spec().arch), tgt(),
                                          cluster::arch_name(target_.spec().arch)});
    }
    if (source_.spec().server != target_.spec().server && c.isl_links == 0) {
      add(ConflictKind::p3_no_management_cluster, {src(), tgt()});
    }
  }

  void unit_rules() {
    if (source_.spec().mode != target_.spec().mode) {
      add(ConflictKind::p4_mode, {src(), cluster::mode_name(source_.spec().mode), tgt(),
                                  cluster::mode_name(target_.spec().mode)});
    }
    if (target_.spec().mode == cluster::Mode::native && in_.definitions_on(target_.id(), v_) > 0) {
      add(ConflictKind::p14_native_occupied, {tgt()});
    }
    if (source_.spec().arch != cluster::Arch::s390) return;
    for (const ServerUnit* unit : {&source_, &target_}) {
      if (unit->spec().rewas_version < 20) add(ConflictKind::p15_rewas, {unit->name()});
    }
  }

  void memory_rules() {
    const auto need = std::to_string(vm_.memory);
    if (target_.free_memory() < vm_.memory) {
      add(ConflictKind::p5_memory, {vm_.name, need, tgt(), std::to_string(target_.free_memory())});
    }
    // SU /390 needs one contiguous piece between the extents of the memory map.
    if (target_.spec().arch == cluster::Arch::s390 && !target_.spec().memory_map.empty() &&
        target_.largest_map_gap() < vm_.memory) {
      add(ConflictKind::p5_contiguous,
          {vm_.name, need, tgt(), std::to_string(target_.largest_map_gap())});
    }
  }

  void definition_rules() {
    const int max_index = target_.spec().max_vm_index;
    if (in_.name_used_on(target_.id(), vm_.name, v_)) {
      add(ConflictKind::p6_name_used, {vm_.name, tgt()});
    }
    if (spec_.index == 0) {
      if (!target_.lowest_free_index(v_)) {
        add(ConflictKind::p7_no_free_index, {tgt(), std::to_string(max_index)});
      }
    } else if (spec_.index > max_index) {
      add(ConflictKind::p7_index_above_maximum,
          {std::to_string(spec_.index), tgt(), std::to_string(max_index)});
    } else if (!target_.index_free(spec_.index, v_)) {
      add(ConflictKind::p7_index_used,
          {std::to_string(spec_.index), tgt(), in_.vm(index_holder()).name});
    }
    if (in_.definitions_on(target_.id(), v_) >= target_.spec().max_vm_definitions) {
      add(ConflictKind::p8_definitions, {tgt(), std::to_string(target_.spec().max_vm_definitions)});
    }
  }

  int index_holder() const {
    for (const auto& [vm, holding] : target_.holdings()) {
      if (vm != v_ && holding.index == spec_.index) return vm;
    }
    return v_;
  }

  void device_rules() {
    for (const auto& device : spec_.devices) {
      if (detached_for_lm(device, source_.spec().arch)) continue;
      if (!target_.generates(device.id)) {
        add(ConflictKind::p10_not_generated, {device.id, tgt()});
        continue;
      }
      const bool exclusive = device.usage == cluster::Usage::exclusive;
      if (const auto holder = target_.device_holder(device.id, exclusive, v_)) {
        const std::string name =
            holder->outside ? std::string(cluster::kOutsideHolder) : in_.vm(holder->vm).name;
        add(ConflictKind::p11_device_assigned, {device.id, tgt(), name});
      }
    }
    const auto& t = target_.spec();
    const std::tuple<ConflictKind, const std::string*, const std::vector<std::string>*> needs[] = {
        {ConflictKind::p12_cpu_pool, &spec_.cpu_pool, &t.cpu_pools},
        {ConflictKind::p12_vm_group, &spec_.vm_group, &t.vm_groups},
        {ConflictKind::p12_assignment_set, &spec_.assignment_set, &t.assignment_sets}};
    for (const auto& [kind, name, available] : needs) {
      if (!name->empty() && !listed(*available, *name)) add(kind, {*name, tgt()});
    }
  }

  void vm_rules() {
    if (vm_.state == cluster::VmState::wait) add(ConflictKind::p13_wait, {vm_.name});
    if (vm_.monitor_system) add(ConflictKind::p19_monitor_system, {vm_.name});
  }

  void operation_rules() {
    if (!mutated(Mutation::no_running_lm_check)) {
      for (int w = 0; w < in_.vm_count(); ++w) {
        if (in_.vm(w).lm_source == source_.id()) {
          add(ConflictKind::p16_lm_running, {in_.vm(w).name, src()});
          break;
        }
      }
    }
    for (const ServerUnit* unit : {&source_, &target_}) {
      if (unit->spec().config_update_running) add(ConflictKind::p17_config_update, {unit->name()});
    }
    for (const ServerUnit* unit : {&source_, &target_}) {
      if (unit->spec().shutdown_initiated) add(ConflictKind::p18_shutdown, {unit->name()});
    }
  }

  const Installation& in_;
  int v_;
  const VmRecord& vm_;
  const cluster::Vm& spec_;
  const ServerUnit& source_;
  const ServerUnit& target_;
  std::vector<cluster::Conflict> found_;
};

}  // namespace

std::vector<cluster::Conflict> check_vm_migration(const Installation& installation, int vm,
                                                  int target) {
  return Check(installation, vm, target).run();
}

}  // namespace lmc::ref
