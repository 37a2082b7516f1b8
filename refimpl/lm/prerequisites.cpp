#include "refimpl/lm/prerequisites.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "refimpl/lm/mutation.hpp"

namespace lmc::ref {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class Check {
 public:
  Check(const Installation& in, int vm, int target)
      : in_(in),
        vm_(in.vm(vm)),
        spec_(in.vm_spec(vm)),
        source_(in.su(in.vm(vm).su)),
        target_(in.su(target)) {}

  std::vector<LmConflict> run() {
    cluster_rules();
    unit_rules();
    resource_rules();
    device_rules();
    vm_rules();
    operation_rules();
    return std::move(found_);
  }

 private:
  void add(const char* rule, std::string message, std::string detail) {
    found_.push_back({rule, std::move(message), std::move(detail)});
  }

  void cluster_rules() {
    const auto& c = in_.config();
    const auto cluster = c.cluster_of(source_.id());
    if (!cluster || c.cluster_of(target_.id()) != cluster || source_.id() == target_.id()) {
      add("P1", "",
          fmt::format("{} and {} are not one SU cluster", source_.name(), target_.name()));
    } else if (!c.su_clusters[static_cast<std::size_t>(*cluster)].active) {
      add("P1", "",
          fmt::format("SU cluster {} is INACTIVE",
                      c.su_clusters[static_cast<std::size_t>(*cluster)].name));
    } else if (!in_.cluster_manager().mcnpr_reachable(source_.id(), target_.id())) {
      add("P1", "", fmt::format("{} is not accessible from {}", target_.name(), source_.name()));
    }
    if (source_.spec().arch != target_.spec().arch) {
      add("P2", "", "source and target differ in architecture");
    }
    if (source_.spec().server != target_.spec().server && c.isl_links == 0) {
      add("P3", "", "the servers form no management cluster (no ISL-E)");
    }
  }

  void unit_rules() {
    if (source_.spec().mode != target_.spec().mode) {
      add("P4", "", "source and target differ in BS2000 mode");
    }
    if (target_.spec().mode == cluster::Mode::native && target_.definitions() > 0) {
      add("P14", "", fmt::format("native target {} already holds a BS2000", target_.name()));
    }
    if (source_.spec().arch != cluster::Arch::s390) return;
    for (const ServerUnit* unit : {&source_, &target_}) {
      if (unit->spec().rewas_version < 20) {
        add("P15", "", fmt::format("REWAS >= V2.0 not active in the monitor of {}", unit->name()));
      }
    }
  }

  void resource_rules() {
    if (target_.free_memory() < vm_.memory) {
      add("P5", "",
          fmt::format("{} needs {} memory units, {} has {} free", vm_.name, vm_.memory,
                      target_.name(), target_.free_memory()));
    }
    // SU /390 needs one contiguous piece between the extents of the memory map.
    if (target_.spec().arch == cluster::Arch::s390 && !target_.spec().memory_map.empty() &&
        target_.largest_map_gap() < vm_.memory) {
      add("P5", "",
          fmt::format("{} needs {} contiguous units on {}, the largest free piece has {}", vm_.name,
                      vm_.memory, target_.name(), target_.largest_map_gap()));
    }
    if (target_.holds(vm_.name)) {
      add("P6", "", fmt::format("VM name {} is used on {}", vm_.name, target_.name()));
    }
    if (spec_.index > 0 ? !target_.index_free(spec_.index) : !target_.lowest_free_index()) {
      add("P7", "",
          spec_.index > 0
              ? fmt::format("VM index {} is not free on {}", spec_.index, target_.name())
              : fmt::format("no free VM index on {} for VM-INDEX=*ANY", target_.name()));
    }
    if (target_.definitions() >= target_.spec().max_vm_definitions) {
      add("P8", "",
          fmt::format("{} holds its maximum of {} VM definitions", target_.name(),
                      target_.spec().max_vm_definitions));
    }
  }

  void device_rules() {
    for (const auto& device : spec_.devices) {
      if (detached_for_lm(device, source_.spec().arch)) continue;
      if (!target_.generates(device.id)) {
        add("P10", "", fmt::format("device {} is not generated on {}", device.id, target_.name()));
      } else if (device.usage == cluster::Usage::exclusive && target_.exclusive_holder(device.id)) {
        add("P11", "VMS2437," + device.id,
            fmt::format("device {} is exclusively assigned to another VM on {}", device.id,
                        target_.name()));
      }
    }
    const auto& t = target_.spec();
    const std::pair<const std::string*, const std::vector<std::string>*> needs[] = {
        {&spec_.cpu_pool, &t.cpu_pools},
        {&spec_.vm_group, &t.vm_groups},
        {&spec_.assignment_set, &t.assignment_sets}};
    const char* what[] = {"CPU pool", "VM group", "assignment set"};
    for (int k = 0; k < 3; ++k) {
      if (!needs[k].first->empty() && !listed(*needs[k].second, *needs[k].first)) {
        add("P12", "",
            fmt::format("{} {} does not exist on {}", what[k], *needs[k].first, target_.name()));
      }
    }
  }

  void vm_rules() {
    if (vm_.state == cluster::VmState::wait) {
      add("P13", "", fmt::format("{} is in state WAIT", vm_.name));
    }
    if (vm_.monitor_system) add("P19", "", "the VM2000 monitor system cannot be migrated");
  }

  void operation_rules() {
    if (!mutated(Mutation::no_running_lm_check) && in_.lm_running_from(source_.id())) {
      add("P16", "", fmt::format("an LM from {} is running", source_.name()));
    }
    for (const ServerUnit* unit : {&source_, &target_}) {
      if (unit->spec().config_update_running) {
        add("P17", "", fmt::format("a configuration update is running on {}", unit->name()));
      }
      if (unit->spec().shutdown_initiated) {
        add("P18", "", fmt::format("a VM2000 shutdown has been initiated on {}", unit->name()));
      }
    }
  }

  const Installation& in_;
  const VmRecord& vm_;
  const cluster::Vm& spec_;
  const ServerUnit& source_;
  const ServerUnit& target_;
  std::vector<LmConflict> found_;
};

}  // namespace

std::vector<LmConflict> check_vm_migration(const Installation& installation, int vm, int target) {
  return Check(installation, vm, target).run();
}

}  // namespace lmc::ref
