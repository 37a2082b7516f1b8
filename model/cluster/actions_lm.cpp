// Live Migration in its four phases (WP §4.4), with rejection (A1), abort and
// rollback (A2, A3) and the outputs of O1-O5 (spec/cluster/actions.md).

#include <algorithm>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/prerequisites.hpp"
#include "model/cluster/request_facts.hpp"

namespace lmc::cluster {
namespace {

std::uint8_t bit(int i) {
  return static_cast<std::uint8_t>(1u << i);
}
Phase phase_of(const Lm& lm) {
  return static_cast<Phase>(lm.phase);
}
void set_phase(Lm& lm, Phase phase) {
  lm.phase = static_cast<std::uint8_t>(phase);
}

void copy_pages(VmDyn& vm, std::uint8_t pages) {
  for (int p = 0; p < kMaxPages; ++p) {
    if (pages >> p & 1) vm.copy[p] = vm.memory[p];
  }
}

}  // namespace

bool ClusterModel::target_reachable(const State& s, int v) const {
  const auto& lm = s.lm[v];
  return (s.su_up >> lm.source & 1) && topology_.su_reachable(s, lm.source, lm.target);
}

void ClusterModel::end_request(State& s, int v, Jv status) const {
  s.lm[v].jv = static_cast<std::uint8_t>(status);
  set_phase(s.lm[v], Phase::done);
}

bool ClusterModel::lm_request(State& s, int v) const {
  auto& lm = s.lm[v];
  auto& vm = s.vm[v];
  if (s.requests_left == 0 || is_active(lm) || !in_scope_[v]) return false;
  const int target = partner(vm.owner);
  if (target < 0) return false;
  if (!(s.su_up >> vm.owner & 1) || static_cast<VmState>(vm.state) == VmState::defined_only) {
    return false;  // requests go to the monitor of the VM's own SU
  }
  --s.requests_left;
  const auto findings = lm.verdict;  // the observer's findings are sticky
  lm = Lm{};
  lm.verdict = findings;
  lm.source = vm.owner;
  lm.target = static_cast<std::uint8_t>(target);
  lm.snapshot_state = vm.state;
  lm.snapshot_attached = vm.attached;
  if (!conflicts(s, v, target).empty()) {
    end_request(s, v, Jv::rejected_AF);  // A1: nothing else changes
    return true;
  }
  lm.jv = static_cast<std::uint8_t>(Jv::accepted_S);
  set_phase(lm, Phase::accepted);
  return true;
}

bool ClusterModel::lm_start(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::accepted || !target_reachable(s, v)) return false;
  auto& vm = s.vm[v];
  lm.detached = static_cast<std::uint8_t>(topology_.detached_at_setup(v, lm.source) & vm.attached);
  vm.attached &= static_cast<std::uint8_t>(~lm.detached);
  vm.guest_jv = static_cast<std::uint8_t>(GuestJv::migr_out);
  const bool running = static_cast<VmState>(vm.state) == VmState::running;
  vm.writes_left = static_cast<std::uint8_t>(running ? config_->scope.guest_writes : 0);
  lm.jv = static_cast<std::uint8_t>(Jv::running_R);
  set_phase(lm, Phase::setup);
  return true;
}

bool ClusterModel::reserve_target(State& s, int v, bool fails) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::setup || !target_reachable(s, v)) return false;
  auto& vm = s.vm[v];
  const int memory = config_->vms[v].memory;
  // What the request checked may have changed since (time of check vs time
  // of use: an activation on the target took memory, an index or a device),
  // so the reservation checks its rules again.
  const auto facts = read_request_facts(topology_, s, v, lm.target);
  const bool available = is(Mutant::no_recheck_at_reservation) || reservation_allowed(facts);
  if (fails || !available) {
    if (fails && !spend_fault(s, FaultKind::allocation_failure)) return false;
    roll_back(s, v, Cause::resources);  // A2: resources cannot be assigned
    return true;
  }
  if (config_->vms[v].index == 0) {
    lm.target_index = static_cast<std::uint8_t>(assigned_index(facts.facts));
  }
  s.free_memory[lm.target] = static_cast<std::int8_t>(s.free_memory[lm.target] - memory);
  vm.resident |= bit(lm.target);
  // Everything but what LM detaches moves, attached or not: a tape left
  // detached by an earlier LM is not assigned on the target either (found
  // by the conformance properties against the reference implementation).
  vm.target_devices = static_cast<std::uint8_t>(topology_.all_devices(v) &
                                                ~topology_.detached_at_setup(v, lm.source));
  lm.dirty = topology_.all_pages();  // the first round sends every page
  set_phase(lm, Phase::memcopy);
  return true;
}

bool ClusterModel::copy_round(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::memcopy || lm.dirty == 0 || !target_reachable(s, v) ||
      lm.round >= config_->scope.max_copy_rounds) {
    return false;
  }
  copy_pages(s.vm[v], lm.dirty);
  lm.dirty = 0;
  ++lm.round;
  return true;
}

bool ClusterModel::guest_write(State& s, int v, int page) const {
  auto& lm = s.lm[v];
  auto& vm = s.vm[v];
  const auto phase = phase_of(lm);
  const bool before_suspend = phase >= Phase::setup && phase <= Phase::final_copied;
  if (!before_suspend || vm.writes_left == 0 || !(vm.exec >> lm.source & 1)) return false;
  ++vm.memory[page];
  --vm.writes_left;
  if (phase >= Phase::memcopy) lm.dirty |= bit(page);  // the dirty log tracks the write
  return true;
}

bool ClusterModel::stop_io(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::memcopy || lm.round == 0) return false;
  const bool converged = lm.dirty == 0;
  const bool x86_gives_up =
      config_->sus[lm.source].arch == Arch::x86 && lm.round >= config_->scope.max_copy_rounds;
  if (!converged && !x86_gives_up) return false;
  set_phase(lm, Phase::io_stopped);  // guest I/O is queued, not executed
  return true;
}

bool ClusterModel::final_copy(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::io_stopped || !target_reachable(s, v)) return false;
  if (!is(Mutant::skip_final_copy)) copy_pages(s.vm[v], lm.dirty);
  lm.dirty = 0;
  set_phase(lm, Phase::final_copied);
  return true;
}

bool ClusterModel::suspend(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::final_copied || is(Mutant::resume_before_suspend)) return false;
  s.vm[v].exec &= static_cast<std::uint8_t>(~bit(lm.source));
  set_phase(lm, Phase::suspended);
  return true;
}

bool ClusterModel::hand_over(State& s, int v) const {
  auto& lm = s.lm[v];
  const bool ready = phase_of(lm) == Phase::suspended ||
                     (is(Mutant::resume_before_suspend) && phase_of(lm) == Phase::final_copied);
  if (!ready || !target_reachable(s, v)) return false;
  copy_pages(s.vm[v], lm.dirty);  // the rest of the pages and the registers
  lm.dirty = 0;
  set_phase(lm, Phase::handed_over);
  return true;
}

bool ClusterModel::resume(State& s, int v, bool fails) const {
  auto& lm = s.lm[v];
  auto& vm = s.vm[v];
  if (phase_of(lm) != Phase::handed_over || !(s.su_up >> lm.target & 1)) return false;
  if (fails) {
    // The target reports the failure to the source, which needs the network.
    if (!target_reachable(s, v) || !spend_fault(s, FaultKind::resume_failure)) return false;
    roll_back(s, v, Cause::resume_failed);
    return true;
  }
  // Commit: the definition moves on the CRD in the same step as the resume,
  // so the CRD decides an LM whose two sides cannot talk (spec choice).
  const int writer = server_of_su_writer(s, lm.target);
  if (writer < 0 || !crd_write(s, writer)) return false;
  if (!is(Mutant::move_definition_late)) vm.owner = lm.target;
  if (config_->vms[v].index == 0) vm.index = lm.target_index;  // the index it has there
  // A RUNNING guest executes on from here; INIT_ONLY or DOWN ones only move.
  if (static_cast<VmState>(vm.state) == VmState::running) vm.exec |= bit(lm.target);
  if (is(Mutant::state_from_definition)) vm.state = static_cast<std::uint8_t>(VmState::init_only);
  set_phase(lm, Phase::committed);
  return true;
}

bool ClusterModel::cleanup(State& s, int v) const {
  auto& lm = s.lm[v];
  auto& vm = s.vm[v];
  if (phase_of(lm) != Phase::committed) return false;
  const bool source_up = s.su_up >> lm.source & 1;
  if (source_up && !target_reachable(s, v)) {
    // Cut off from the target, the source learns of the commit from the CRD.
    const int writer = server_of_su_writer(s, lm.source);
    if (writer < 0 || !crd_read(s, writer)) return false;
  }
  if (is(Mutant::move_definition_late)) {
    const int writer = server_of_su_writer(s, lm.target);
    if (writer < 0 || !crd_write(s, writer)) return false;
    vm.owner = lm.target;
  }
  if (vm.resident >> lm.source & 1) {
    vm.resident &= static_cast<std::uint8_t>(~bit(lm.source));
    s.free_memory[lm.source] =
        static_cast<std::int8_t>(s.free_memory[lm.source] + config_->vms[v].memory);
  }
  // PAV aliases are attached again on the target; tapes stay detached.
  const auto pav = topology_.devices_of_kind(v, DeviceKind::pav_alias) & lm.detached;
  vm.attached |= static_cast<std::uint8_t>(pav);
  vm.target_devices = 0;
  lm.target_index = 0;
  vm.copy.fill(kNoPage);
  vm.writes_left = 0;
  vm.guest_jv = static_cast<std::uint8_t>(GuestJv::terminated);
  ++vm.migrations;
  lm.round = 0;
  const bool left_detached = (lm.detached & ~pav) != 0;
  end_request(s, v, left_detached ? Jv::ended_warning_TW : Jv::ended_T);
  return true;
}

bool ClusterModel::abort_lm(State& s, int v) const {
  auto& lm = s.lm[v];
  const auto phase = phase_of(lm);
  const bool in_doubt = phase == Phase::handed_over ||
                        (is(Mutant::source_resume_on_timeout) && phase == Phase::committed);
  const bool abortable = phase >= Phase::accepted && phase <= Phase::suspended;
  if ((!abortable && !in_doubt) || target_reachable(s, v) || !(s.su_up >> lm.source & 1)) {
    return false;
  }
  if (in_doubt && !is(Mutant::source_resume_on_timeout)) {
    // The target may have committed: only the CRD can tell, and the source's
    // abort must be recorded there before it resumes the guest.
    const int writer = server_of_su_writer(s, lm.source);
    if (writer < 0 || !crd_read(s, writer) || s.vm[v].owner != lm.source) return false;
    if (!crd_write(s, writer)) return false;
  }
  const bool target_down = !(s.su_up >> lm.target & 1);
  roll_back(s, v, target_down ? Cause::target_lost : Cause::network);
  return true;
}

bool ClusterModel::abort_nonconvergence(State& s, int v) const {
  auto& lm = s.lm[v];
  if (phase_of(lm) != Phase::memcopy || lm.dirty == 0 ||
      lm.round < config_->scope.max_copy_rounds || config_->sus[lm.source].arch != Arch::s390) {
    return false;
  }
  roll_back(s, v, Cause::nonconvergence);  // VMS2425: SU /390 only
  return true;
}

void ClusterModel::roll_back(State& s, int v, Cause cause) const {
  auto& lm = s.lm[v];
  auto& vm = s.vm[v];
  const int memory = config_->vms[v].memory;
  if (phase_of(lm) == Phase::committed) {
    // Only a buggy source gets here (source_resume_on_timeout): the target
    // already runs the guest and, cut off, never learns of this rollback.
    if (!is(Mutant::no_reattach_on_abort)) vm.attached |= lm.detached;
    if (static_cast<VmState>(vm.state) == VmState::running) vm.exec |= bit(lm.source);
    lm.abort_phase = lm.phase;
    lm.cause = static_cast<std::uint8_t>(cause);
    end_request(s, v, Jv::aborted_AE);
    return;
  }
  if (vm.resident >> lm.target & 1) {
    const int returned = is(Mutant::double_free_target_memory) ? 2 * memory : memory;
    s.free_memory[lm.target] = static_cast<std::int8_t>(s.free_memory[lm.target] + returned);
    vm.resident &= static_cast<std::uint8_t>(~bit(lm.target));
  }
  vm.exec &= static_cast<std::uint8_t>(~bit(lm.target));
  vm.target_devices = 0;
  lm.target_index = 0;
  vm.copy.fill(kNoPage);
  if (!is(Mutant::no_reattach_on_abort)) vm.attached |= lm.detached;
  const bool source_alive = (s.su_up >> lm.source & 1) && cause != Cause::source_lost;
  if (source_alive) {
    if (static_cast<VmState>(vm.state) == VmState::running) vm.exec |= bit(lm.source);
    vm.guest_jv = static_cast<std::uint8_t>(GuestJv::monitoring);
  }
  vm.writes_left = 0;
  lm.abort_phase = lm.phase;
  lm.cause = static_cast<std::uint8_t>(cause);
  lm.dirty = 0;
  lm.round = 0;
  end_request(s, v, is(Mutant::monjv_stuck_running) ? Jv::running_R : Jv::aborted_AE);
}

}  // namespace lmc::cluster
