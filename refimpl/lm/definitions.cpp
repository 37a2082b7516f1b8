#include "refimpl/lm/definitions.hpp"

#include <fmt/core.h>

namespace lmc::ref {
namespace {

int definitions_on(const Installation& in, int su) {
  int count = 0;
  for (int v = 0; v < in.vm_count(); ++v) count += in.vm(v).su == su;
  return count;
}

bool in_lm(const VmRecord& vm) {
  return vm.lm_source.has_value();
}

std::string vm_id(const VmRecord& vm) {
  return fmt::format("({},{})", vm.index, vm.name);
}

}  // namespace

bool migrate_vm_definition(Installation& in, int v) {
  auto& vm = in.vm(v);
  const auto target = in.config().partner_of(vm.su);
  // An initialised VM is rejected (VMS4015): only a bare definition moves.
  if (!target || in_lm(vm) || vm.state != cluster::VmState::defined_only) return false;
  const auto& cm = in.cluster_manager();
  if (!cm.su_running(*target) ||
      definitions_on(in, *target) >= in.su(*target).spec().max_vm_definitions) {
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

bool activate_vm_definition(Installation& in, int v) {
  auto& vm = in.vm(v);
  auto& unit = in.su(vm.su);
  if (vm.state != cluster::VmState::defined_only || !in.cluster_manager().su_running(vm.su) ||
      unit.holds(vm.name) || unit.free_memory() < vm.memory) {
    return false;
  }
  Holding holding{vm.name, vm.memory, vm.index, {}};
  for (const auto& device : in.vm_spec(v).devices) {
    if (device.usage == cluster::Usage::exclusive) holding.exclusive_devices.push_back(device.id);
  }
  if (!unit.take(holding)) return false;
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
