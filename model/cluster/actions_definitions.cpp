// VM definitions: /MIGRATE-VM-DEFINITION (D2), /RECOVER-VM-DEFINITION (D3),
// /ACTIVATE-VM-DEFINITION and /START-VM.

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {
namespace {

std::uint8_t bit(int i) {
  return static_cast<std::uint8_t>(1u << i);
}

int definitions_on(const State& s, int vms, int su) {
  int count = 0;
  for (int v = 0; v < vms; ++v) count += s.vm[v].owner == su;
  return count;
}

}  // namespace

bool ClusterModel::migrate_definition(State& s, int v) const {
  auto& vm = s.vm[v];
  const int target = partner(vm.owner);
  if (target < 0 || is_active(s.lm[v]) || static_cast<VmState>(vm.state) != VmState::defined_only) {
    return false;  // an initialised VM is rejected with VMS4015 and nothing changes
  }
  if (!(s.su_up >> target & 1) ||
      definitions_on(s, vms(), target) >= config_->sus[target].max_vm_definitions) {
    return false;
  }
  const int writer = server_of_su_writer(s, vm.owner);
  if (writer < 0 || !crd_write(s, writer)) return false;
  vm.owner = static_cast<std::uint8_t>(target);  // VMS2320
  return true;
}

bool ClusterModel::recover_definition(State& s, int v) const {
  auto& vm = s.vm[v];
  const int remote = vm.owner;
  const int local = partner(remote);
  if (local < 0 || config_->sus[local].arch != Arch::s390 || is_active(s.lm[v])) return false;
  // D3: the remote monitor wrote no liveness record within the timeout ...
  if (!(s.liveness_expired >> remote & 1)) return false;
  // ... and the operator has made sure the remote SU is really down.
  if (config_->scope.operator_verifies_remote_down && (s.su_up >> remote & 1)) return false;
  if (definitions_on(s, vms(), local) >= config_->sus[local].max_vm_definitions) return false;
  const int writer = server_of_su_writer(s, local);
  if (writer < 0 || !crd_read(s, writer) || !crd_write(s, writer)) return false;
  vm.owner = static_cast<std::uint8_t>(local);
  vm.state = static_cast<std::uint8_t>(VmState::defined_only);
  s.milestones |= definition_recovered;
  return true;
}

bool ClusterModel::activate_vm(State& s, int v) const {
  auto& vm = s.vm[v];
  const int su = vm.owner;
  const int memory = config_->vms[v].memory;
  if (static_cast<VmState>(vm.state) != VmState::defined_only || !(s.su_up >> su & 1) ||
      (vm.resident >> su & 1) || s.free_memory[su] < memory) {
    return false;
  }
  s.free_memory[su] = static_cast<std::int8_t>(s.free_memory[su] - memory);
  vm.resident |= bit(su);
  vm.state = static_cast<std::uint8_t>(VmState::init_only);
  return true;
}

bool ClusterModel::start_vm(State& s, int v) const {
  auto& vm = s.vm[v];
  const int su = vm.owner;
  if (static_cast<VmState>(vm.state) != VmState::init_only || !(s.su_up >> su & 1) ||
      is_active(s.lm[v])) {
    return false;
  }
  vm.state = static_cast<std::uint8_t>(VmState::running);
  vm.exec |= bit(su);
  return true;
}

}  // namespace lmc::cluster
