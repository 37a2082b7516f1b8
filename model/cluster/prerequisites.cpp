#include "model/cluster/prerequisites.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace lmc::cluster {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool is_active_lm(const Lm& lm) {
  const auto phase = static_cast<Phase>(lm.phase);
  return phase != Phase::idle && phase != Phase::done;
}

/// Definitions the target SU holds now (D1): VMs whose CRD owner it is.
int definitions_on(const State& state, const Config& config, int su) {
  int count = 0;
  for (int v = 0; v < static_cast<int>(config.vms.size()); ++v) count += state.vm[v].owner == su;
  return count;
}

bool index_used_on(const State& state, const Config& config, int su, int index, int except) {
  for (int v = 0; v < static_cast<int>(config.vms.size()); ++v) {
    if (v != except && state.vm[v].owner == su && config.vms[v].index == index) return true;
  }
  return false;
}

class ConflictCollector {
 public:
  ConflictCollector(const Topology& topology, const State& state, int vm, int target,
                    const PrerequisiteOptions& options)
      : t_(topology),
        c_(topology.config()),
        s_(state),
        vm_(vm),
        target_(target),
        source_(state.vm[vm].owner),
        options_(options) {}

  std::vector<Conflict> collect() {
    check_cluster();
    check_units();
    check_resources();
    check_devices();
    check_vm();
    check_operations();
    return std::move(conflicts_);
  }

 private:
  void add(const char* rule, const char* message, std::string detail) {
    conflicts_.push_back({rule, message, std::move(detail)});
  }

  const Su& src() const { return c_.sus[source_]; }
  const Su& tgt() const { return c_.sus[target_]; }
  const Vm& vm() const { return c_.vms[vm_]; }

  void check_cluster() {
    const auto cluster = c_.cluster_of(source_);
    if (!cluster || c_.cluster_of(target_) != cluster || source_ == target_) {
      add("P1", "", fmt::format("{} and {} are not one SU cluster", src().name, tgt().name));
    } else if (!c_.su_clusters[*cluster].active) {
      add("P1", "", fmt::format("SU cluster {} is INACTIVE", c_.su_clusters[*cluster].name));
    } else if (!t_.su_reachable(s_, source_, target_)) {
      add("P1", "",
          fmt::format("{} is not accessible from {} (SU cluster in ERROR)", tgt().name,
                      src().name));
    }
    if (src().arch != tgt().arch) add("P2", "", "source and target differ in architecture");
    if (src().server != tgt().server && c_.isl_links == 0) {
      add("P3", "", "the servers form no management cluster (no ISL-E)");
    }
  }

  void check_units() {
    if (src().mode != tgt().mode) add("P4", "", "source and target differ in BS2000 mode");
    if (tgt().mode == Mode::native && definitions_on(s_, c_, target_) > 0) {
      add("P14", "", fmt::format("native target {} already holds a BS2000", tgt().name));
    }
    if (src().arch == Arch::s390) {
      for (const Su* su : {&src(), &tgt()}) {
        if (su->rewas_version < 20) {
          add("P15", "", fmt::format("REWAS >= V2.0 not active in the monitor of {}", su->name));
        }
      }
    }
  }

  void check_resources() {
    const int free = s_.free_memory[target_];
    if (free < vm().memory) {
      add("P5", "",
          fmt::format("{} needs {} memory units, {} has {} free", vm().name, vm().memory,
                      tgt().name, free));
    }
    for (int v = 0; v < static_cast<int>(c_.vms.size()); ++v) {
      if (v != vm_ && s_.vm[v].owner == target_ && c_.vms[v].name == vm().name) {
        // One conflict, however many holders (found by the Z3 agreement property).
        add("P6", "", fmt::format("VM name {} is used on {}", vm().name, tgt().name));
        break;
      }
    }
    check_contiguous();
    check_index();
    if (definitions_on(s_, c_, target_) >= tgt().max_vm_definitions) {
      add("P8", "",
          fmt::format("{} holds its maximum of {} VM definitions", tgt().name,
                      tgt().max_vm_definitions));
    }
  }

  /// SU /390: the VM needs one contiguous piece between the mapped extents.
  void check_contiguous() {
    if (tgt().arch != Arch::s390 || tgt().memory_map.empty()) return;
    const auto gap = tgt().largest_map_gap();
    if (gap < vm().memory) {
      add("P5", "",
          fmt::format("{} needs {} contiguous units on {}, the largest free piece has {}",
                      vm().name, vm().memory, tgt().name, gap));
    }
  }

  void check_index() {
    if (vm().index > 0) {
      if (vm().index > tgt().max_vm_index || index_used_on(s_, c_, target_, vm().index, vm_)) {
        add("P7", "", fmt::format("VM index {} is not free on {}", vm().index, tgt().name));
      }
      return;
    }
    for (int index = 1; index <= tgt().max_vm_index; ++index) {
      if (!index_used_on(s_, c_, target_, index, vm_)) return;
    }
    add("P7", "", fmt::format("no free VM index on {} for VM-INDEX=*ANY", tgt().name));
  }

  void check_devices() {
    const auto detached = t_.detached_at_setup(vm_, source_);
    for (int d = 0; d < static_cast<int>(vm().devices.size()); ++d) {
      if (detached >> d & 1) continue;  // not assigned on the target
      const auto& device = vm().devices[d];
      if (!contains(tgt().devices, device.id)) {
        add("P10", "", fmt::format("device {} is not generated on {}", device.id, tgt().name));
      } else if (device.usage == Usage::exclusive && contains(tgt().exclusively_used, device.id)) {
        add("P11", "VMS2437",
            fmt::format("device {} is exclusively assigned to another VM on {}", device.id,
                        tgt().name));
      }
    }
    if (!vm().cpu_pool.empty() && !contains(tgt().cpu_pools, vm().cpu_pool)) {
      add("P12", "", fmt::format("CPU pool {} does not exist on {}", vm().cpu_pool, tgt().name));
    }
    if (!vm().vm_group.empty() && !contains(tgt().vm_groups, vm().vm_group)) {
      add("P12", "", fmt::format("VM group {} does not exist on {}", vm().vm_group, tgt().name));
    }
    if (!vm().assignment_set.empty() && !contains(tgt().assignment_sets, vm().assignment_set)) {
      add("P12", "",
          fmt::format("assignment set {} does not exist on {}", vm().assignment_set, tgt().name));
    }
  }

  void check_vm() {
    if (static_cast<VmState>(s_.vm[vm_].state) == VmState::wait) {
      add("P13", "", fmt::format("{} is in state WAIT", vm().name));
    }
    if (vm().monitor_system) add("P19", "", "the VM2000 monitor system cannot be migrated");
  }

  void check_operations() {
    if (options_.check_p16) {
      for (int v = 0; v < static_cast<int>(c_.vms.size()); ++v) {
        if (is_active_lm(s_.lm[v]) && s_.lm[v].source == source_) {
          add("P16", "", fmt::format("an LM of {} from {} is running", c_.vms[v].name, src().name));
        }
      }
    }
    for (const Su* su : {&src(), &tgt()}) {
      if (su->config_update_running) {
        add("P17", "", fmt::format("a configuration update is running on {}", su->name));
      }
      if (su->shutdown_initiated) {
        add("P18", "", fmt::format("a VM2000 shutdown has been initiated on {}", su->name));
      }
    }
  }

  const Topology& t_;
  const Config& c_;
  const State& s_;
  int vm_;
  int target_;
  int source_;
  PrerequisiteOptions options_;
  std::vector<Conflict> conflicts_;
};

}  // namespace

std::vector<Conflict> lm_conflicts(const Topology& topology, const State& state, int vm, int target,
                                   const PrerequisiteOptions& options) {
  return ConflictCollector(topology, state, vm, target, options).collect();
}

}  // namespace lmc::cluster
