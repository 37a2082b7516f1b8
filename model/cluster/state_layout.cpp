#include "model/cluster/state_layout.hpp"

#include <algorithm>

namespace lmc::cluster {
namespace {

void add_vm(BitLayout<State>& layout, const Config& config, const Topology& topology, int v,
            unsigned versions) {
  const auto& scope = config.scope;
  const auto sus_n = static_cast<unsigned>(config.sus.size());
  const auto devices = static_cast<unsigned>(config.vms[v].devices.size());
  const auto& t = layout.fixed();
  const auto& vm = t.vm[v];
  layout.add(vm.owner, bits_for(sus_n - 1));
  layout.add(vm.state, bits_for(static_cast<unsigned>(VmState::wait)));
  layout.add(vm.exec, sus_n);
  layout.add(vm.resident, sus_n);
  layout.add(vm.attached, devices);
  layout.add(vm.target_devices, devices);
  layout.add(vm.writes_left, bits_for(unsigned(scope.guest_writes)));
  layout.add(vm.guest_jv, bits_for(static_cast<unsigned>(GuestJv::terminated)));
  layout.add(vm.migrations, bits_for(unsigned(scope.lm_requests)));
  if (config.vms[v].index == 0) {  // VM-INDEX=*ANY: the index changes with the SU
    unsigned max_index = 0;
    for (const auto& su : config.sus) max_index = std::max(max_index, unsigned(su.max_vm_index));
    layout.add(vm.index, bits_for(max_index));
    layout.add(t.lm[v].target_index, bits_for(max_index));
  }
  for (int p = 0; p < topology.pages(); ++p) {
    layout.add(vm.memory[p], bits_for(versions));
    layout.add(vm.copy[p], bits_for(versions + 1), kNoPage);
  }
  const auto& lm = t.lm[v];
  layout.add(lm.phase, bits_for(static_cast<unsigned>(Phase::done)));
  layout.add(lm.jv, bits_for(static_cast<unsigned>(Jv::rejected_AF)));
  layout.add(lm.source, bits_for(sus_n), kNone);
  layout.add(lm.target, bits_for(sus_n), kNone);
  layout.add(lm.round, bits_for(unsigned(scope.max_copy_rounds)));
  layout.add(lm.dirty, unsigned(topology.pages()));
  layout.add(lm.detached, devices);
  layout.add(lm.cause, bits_for(static_cast<unsigned>(Cause::source_lost)));
  layout.add(lm.abort_phase, bits_for(static_cast<unsigned>(Phase::done)));
  layout.add(lm.snapshot_state, bits_for(static_cast<unsigned>(VmState::wait)));
  layout.add(lm.snapshot_attached, devices);
  layout.add(lm.verdict, 4);
}

}  // namespace

// The widths follow from the configuration: masks have one bit per unit,
// counters count up to their budget, and "none" markers (0xFF) are stored as
// value + 1. Bytes left out (units and VMs the configuration does not have,
// pages beyond pages_per_vm) never leave their initial value.
BitLayout<State> cluster_state_layout(const Config& config, const Topology& topology,
                                      const State& initial) {
  const auto& scope = config.scope;
  const auto mus_n = static_cast<unsigned>(config.mus.size());
  const auto sus_n = static_cast<unsigned>(config.sus.size());
  const auto links = static_cast<unsigned>(config.isl_links);
  const auto mirrors = static_cast<unsigned>(topology.mirrors().size());
  // Guest writes happen only during an LM, at most guest_writes per request.
  const unsigned versions = unsigned(scope.guest_writes) * unsigned(scope.lm_requests);
  BitLayout<State> layout(initial);
  const State& t = layout.fixed();
  for (const auto* mask : {&t.mirror_failed, &t.mirror_stale, &t.mirror_behind}) {
    layout.add(*mask, mirrors);
  }
  for (const auto* mask : {&t.mu_up, &t.cm_role, &t.view_mu}) layout.add(*mask, mus_n);
  for (const auto* mask : {&t.su_up, &t.view_su, &t.liveness_expired}) layout.add(*mask, sus_n);
  for (const auto* mask : {&t.isl_up, &t.view_isl}) layout.add(*mask, links);
  layout.add(t.faults_left, bits_for(unsigned(scope.fault_budget)));
  layout.add(t.requests_left, bits_for(unsigned(scope.lm_requests)));
  layout.add(t.cm_lease, bits_for(mus_n), kNone);
  layout.add(t.view_crd_degraded, 1);
  layout.add(t.stale_read, 1);
  layout.add(t.milestones, 2);
  for (unsigned su = 0; su < sus_n; ++su) layout.add(t.free_memory[su], 8);
  for (int v = 0; v < static_cast<int>(config.vms.size()); ++v) {
    add_vm(layout, config, topology, v, versions);
  }
  layout.finish();
  return layout;
}

}  // namespace lmc::cluster
