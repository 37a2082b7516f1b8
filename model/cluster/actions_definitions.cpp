// VM definitions: /MIGRATE-VM-DEFINITION (D2), /RECOVER-VM-DEFINITION (D3),
// /ACTIVATE-VM-DEFINITION and /START-VM.

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/occupancy.hpp"
#include "model/cluster/request_facts.hpp"

namespace lmc::cluster {
namespace {

std::uint8_t bit(int i) {
  return static_cast<std::uint8_t>(1u << i);
}

/// Another VM whose definition is on `su` has VM v's name (D1: a definition
/// is identified by its name and SU, so one SU holds a name once).
bool name_taken(const Config& c, const State& s, int v, int su) {
  for (int w = 0; w < static_cast<int>(c.vms.size()); ++w) {
    if (w != v && occupies(s, w, su) && c.vms[w].name == c.vms[v].name) return true;
  }
  return false;
}

}  // namespace

bool ClusterModel::migrate_definition(State& s, int v) const {
  auto& vm = s.vm[v];
  const int target = partner(vm.owner);
  if (target < 0 || is_active(s.lm[v]) || static_cast<VmState>(vm.state) != VmState::defined_only) {
    return false;  // an initialised VM is rejected with VMS4015 and nothing changes
  }
  if (!(s.su_up >> target & 1) ||
      definitions_on(*config_, s, target) >= config_->sus[target].max_vm_definitions ||
      name_taken(*config_, s, v, target)) {
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
  if (definitions_on(*config_, s, local) >= config_->sus[local].max_vm_definitions ||
      name_taken(*config_, s, v, local)) {
    return false;
  }
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
      (vm.resident >> su & 1)) {
    return false;
  }
  // /ACTIVATE-VM-DEFINITION reserves the VM's resources on its own SU: the
  // memory (contiguous on SU /390), a VM index and its devices, as an LM's
  // reservation on a target would.
  const auto facts = read_activation_facts(topology_, s, v);
  const bool devices =
      is(Mutant::activation_ignores_devices) || rules_hold(facts.facts, {Rule::P10, Rule::P11});
  if (!devices || !rules_hold(facts.facts, {Rule::P5, Rule::P7})) return false;
  s.free_memory[su] = static_cast<std::int8_t>(s.free_memory[su] - memory);
  vm.resident |= bit(su);
  if (config_->vms[v].index == 0) vm.index = static_cast<std::uint8_t>(assigned_index(facts.facts));
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
