#include "refimpl/lm/definitions.hpp"

#include <fmt/core.h>

#include <optional>

#include "model/cluster/config/conflicts.hpp"

namespace lmc::ref {
namespace {

bool in_lm(const VmRecord& vm) {
  return vm.lm_source.has_value();
}

std::string vm_id(const VmRecord& vm) {
  return cluster::vm_id(vm.index, vm.name);
}

}  // namespace

bool migrate_vm_definition(Installation& in, int v) {
  auto& vm = in.vm(v);
  const auto target = in.config().partner_of(vm.su);
  // An initialised VM is rejected (VMS4015): only a bare definition moves.
  if (!target || in_lm(vm) || vm.state != cluster::VmState::defined_only) return false;
  const auto& cm = in.cluster_manager();
  // One SU holds a name once (D1), and has a limit of definitions.
  if (!cm.su_running(*target) ||
      in.definitions_on(*target, v) >= in.su(*target).spec().max_vm_definitions ||
      in.name_used_on(*target, vm.name, v)) {
    return false;
  }
  // The owner's monitor writes the new owner to the CRD.
  auto& writer = in.cluster_manager();
  if (!cm.su_reaches_crd(vm.su) || !writer.with_crd_from(cm.server_of_su(vm.su), [&] {
        return in.write_definition(v, *target);
      })) {
    return false;
  }
  const auto& from = in.su(vm.su).name();
  in.audit(from,
           fmt::format("MIGRATE-VM-DEFINITION VM-ID={},SERVER-UNIT-NAME={}", vm_id(vm),
                       in.su(*target).name()),
           "OK");
  vm.su = *target;
  return true;
}

/// /ACTIVATE-VM-DEFINITION reserves the VM's resources on its own SU: the
/// memory (contiguous on SU /390), a VM index (the fixed one, or the lowest
/// free one) and every device.
bool activate_vm_definition(Installation& in, int v) {
  auto& vm = in.vm(v);
  auto& unit = in.su(vm.su);
  const auto& spec = in.vm_spec(v);
  if (vm.state != cluster::VmState::defined_only || !in.cluster_manager().su_running(vm.su) ||
      unit.holds(v)) {
    return false;
  }
  const bool s390 = unit.spec().arch == cluster::Arch::s390;
  if (s390 && !unit.spec().memory_map.empty() && unit.largest_map_gap() < vm.memory) return false;
  const auto index = spec.index > 0 ? std::optional<int>(spec.index) : unit.lowest_free_index(v);
  if (!index) return false;
  Holding holding{v, vm.name, vm.memory, *index, {}};
  for (const auto& device : spec.devices) {
    if (!unit.generates(device.id)) return false;
    holding.devices.push_back({device.id, device.usage == cluster::Usage::exclusive});
  }
  if (!unit.take(holding)) return false;
  vm.index = *index;
  vm.state = cluster::VmState::init_only;
  in.audit(unit.name(), fmt::format("ACTIVATE-VM-DEFINITION VM-ID={}", vm_id(vm)), "OK");
  return true;
}

bool start_vm(Installation& in, int v) {
  auto& vm = in.vm(v);
  if (vm.state != cluster::VmState::init_only || !in.cluster_manager().su_running(vm.su) ||
      in_lm(vm)) {
    return false;
  }
  vm.state = cluster::VmState::running;
  vm.executing |= static_cast<std::uint8_t>(1u << vm.su);
  in.audit(in.su(vm.su).name(), fmt::format("START-VM VM-ID={}", vm_id(vm)), "OK");
  return true;
}

}  // namespace lmc::ref
