// The properties of the cluster model: I1-I10 as invariants, L1 and L2 as
// liveness, and goals that show the interesting states are reached. Goals a
// configuration cannot reach (no fault of the kind enabled, say) are left out
// rather than reported as unreached.

#include <algorithm>
#include <array>
#include <string>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/occupancy.hpp"

namespace lmc::cluster {
namespace {

using P = Property<State>;

bool terminal(Jv jv) {
  return jv == Jv::ended_T || jv == Jv::ended_warning_TW || jv == Jv::aborted_AE ||
         jv == Jv::rejected_AF;
}

template <class Test>
bool any_lm(const State& s, int vms, Test&& test) {
  for (int v = 0; v < vms; ++v) {
    if (test(s.lm[v])) return true;
  }
  return false;
}

bool no_verdict(const State& s, int vms, std::uint8_t bit) {
  return !any_lm(s, vms, [bit](const Lm& lm) { return (lm.verdict & bit) != 0; });
}

bool aborted_in(const Lm& lm, Phase from, Phase to) {
  const auto phase = static_cast<Phase>(lm.abort_phase);
  // An abort whose source died is no rollback (I4 does not apply): not counted.
  const auto cause = static_cast<Cause>(lm.cause);
  return cause != Cause::none && cause != Cause::source_lost && phase >= from && phase <= to;
}

/// Facts of the configuration that I6 and P9 read on every state, found
/// once: the SUs, their memory and the part of it mapped outside the model,
/// the VMs' memory; per VM and SU the devices held there exclusively by a VM
/// outside the model (`exclusively_used`: no VM of the model may hold them);
/// per pair of VMs and device of the first, the devices of the second that
/// it conflicts with (same device ID, one of the two exclusive: on one SU
/// they cannot both be assigned); and per VM the SUs on all of its network
/// segments.
struct StaticFacts {
  int sus = 0;
  int vms = 0;
  std::array<int, kMaxSus> memory{};
  std::array<int, kMaxSus> mapped{};
  std::array<int, kMaxVms> vm_memory{};
  std::array<std::array<std::uint8_t, kMaxSus>, kMaxVms> outside{};
  std::array<std::array<std::array<std::uint8_t, kMaxDevices>, kMaxVms>, kMaxVms> clash{};
  std::array<std::uint8_t, kMaxVms> on_segments{};
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void add_device_clashes(const Config& c, StaticFacts& facts) {
  for (int v = 0; v < facts.vms; ++v) {
    for (int w = 0; w < facts.vms; ++w) {
      if (v == w) continue;
      const auto& mine = c.vms[v].devices;
      const auto& theirs = c.vms[w].devices;
      for (int d = 0; d < static_cast<int>(mine.size()); ++d) {
        for (int e = 0; e < static_cast<int>(theirs.size()); ++e) {
          const bool exclusive =
              mine[d].usage == Usage::exclusive || theirs[e].usage == Usage::exclusive;
          if (exclusive && mine[d].id == theirs[e].id) facts.clash[v][w][d] |= 1u << e;
        }
      }
    }
  }
}

StaticFacts static_facts(const Config& c) {
  StaticFacts facts;
  facts.sus = static_cast<int>(c.sus.size());
  facts.vms = static_cast<int>(c.vms.size());
  for (int su = 0; su < facts.sus; ++su) {
    facts.memory[su] = c.sus[su].memory;
    facts.mapped[su] = c.sus[su].mapped_memory();
  }
  for (int v = 0; v < facts.vms; ++v) {
    facts.vm_memory[v] = c.vms[v].memory;
    const auto& devices = c.vms[v].devices;
    for (int su = 0; su < facts.sus; ++su) {
      for (int d = 0; d < static_cast<int>(devices.size()); ++d) {
        if (contains(c.sus[su].exclusively_used, devices[d].id)) facts.outside[v][su] |= 1u << d;
      }
      bool on_all = true;
      for (const auto& segment : c.vms[v].network_segments) {
        on_all &= contains(c.sus[su].network_segments, segment);
      }
      if (on_all) facts.on_segments[v] |= 1u << su;
    }
  }
  add_device_clashes(c, facts);
  return facts;
}

/// I6's memory part: on every SU, free memory is what the SU has less the
/// mapped extents and every reservation, and never negative.
bool memory_consistent(const StaticFacts& facts, const State& s) {
  for (int su = 0; su < facts.sus; ++su) {
    int held = facts.mapped[su];
    for (int v = 0; v < facts.vms; ++v) held += (s.vm[v].resident >> su & 1) * facts.vm_memory[v];
    if (s.free_memory[su] < 0 || s.free_memory[su] != facts.memory[su] - held) return false;
  }
  return true;
}

/// I6's device part: on every SU, no device a VM holds exclusively is held by
/// any other VM, of the model or outside it.
bool devices_consistent(const StaticFacts& facts, const State& s) {
  for (int su = 0; su < facts.sus; ++su) {
    std::array<std::uint8_t, kMaxVms> held{};
    for (int v = 0; v < facts.vms; ++v) {
      held[v] = devices_held_on(s, v, su);
      if ((held[v] & facts.outside[v][su]) != 0) return false;
    }
    for (int v = 0; v < facts.vms; ++v) {
      for (int w = v + 1; w < facts.vms; ++w) {
        for (int d = 0; d < kMaxDevices; ++d) {
          if ((held[v] >> d & 1) && (held[w] & facts.clash[v][w][d]) != 0) return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

std::vector<Property<State>> ClusterModel::properties() const {
  const int n = vms();
  const Topology* t = &topology_;
  std::vector<P> props;
  const StaticFacts facts = static_facts(*config_);
  props.push_back(P::always("I1_single_execution", "I1", [n](const State& s) {
    for (int v = 0; v < n; ++v) {
      if ((s.vm[v].exec & (s.vm[v].exec - 1)) != 0) return false;  // two bits or more
    }
    return true;
  }));
  props.push_back(P::always("I2_single_owner", "I2, D1", [n, t](const State& s) {
    for (int v = 0; v < n; ++v) {
      const auto& vm = s.vm[v];
      if (vm.owner >= t->config().sus.size()) return false;
      if (vm.exec != 0 && vm.exec != (1u << vm.owner)) return false;
    }
    return true;
  }));
  props.push_back(P::always("I3_one_lm_per_source", "I3, P16", [n](const State& s) {
    for (int a = 0; a < n; ++a) {
      for (int b = a + 1; b < n; ++b) {
        if (is_active(s.lm[a]) && is_active(s.lm[b]) && s.lm[a].source == s.lm[b].source) {
          return false;
        }
      }
    }
    return true;
  }));
  props.push_back(P::always("I4_rollback", "I4, A1, A3",
                            [n](const State& s) { return no_verdict(s, n, rollback_incomplete); }));
  props.push_back(P::always("I5_memory_integrity", "I5",
                            [n](const State& s) { return no_verdict(s, n, memory_lost); }));
  props.push_back(P::always("I6_resource_safety", "I6, P5, P11", [facts](const State& s) {
    return memory_consistent(facts, s) && devices_consistent(facts, s);
  }));
  props.push_back(P::always("I7_guest_state_preserved", "I7, P13",
                            [n](const State& s) { return no_verdict(s, n, guest_state_changed); }));
  props.push_back(P::always("I8_single_cluster_manager", "I8, M2", [](const State& s) {
    return (s.cm_role & (s.cm_role - 1)) == 0;  // at most one bit
  }));
  const auto mirrors = static_cast<unsigned>((1u << topology_.mirrors().size()) - 1);
  props.push_back(P::always("I9_crd_consistent", "I9, C5", [mirrors](const State& s) {
    // No read of stale data, and every mirror behind is marked stale.
    return !s.stale_read && (s.mirror_behind & ~s.mirror_stale & mirrors) == 0;
  }));
  props.push_back(P::always("I10_monjv_well_formed", "I10, O1", [n](const State& s) {
    for (int v = 0; v < n; ++v) {
      const auto& lm = s.lm[v];
      const auto jv = static_cast<Jv>(lm.jv);
      if (lm.verdict & monjv_bad_sequence) return false;
      if (static_cast<Phase>(lm.phase) == Phase::done && !terminal(jv)) return false;
      if (is_active(lm) && jv != Jv::accepted_S && jv != Jv::running_R) return false;
    }
    return true;
  }));
  const auto all_sus = static_cast<unsigned>((1u << sus()) - 1);
  props.push_back(
      P::always("P9_guest_network_reachable", "P9", [n, facts, all_sus](const State& s) {
        for (int v = 0; v < n; ++v) {
          if ((s.vm[v].exec & all_sus & ~facts.on_segments[v]) != 0) return false;
        }
        return true;
      }));
  add_liveness(props);
  add_goals(props);
  return props;
}

void ClusterModel::add_liveness(std::vector<Property<State>>& props) const {
  const int n = vms();
  const Topology* t = &topology_;
  const ClusterModel* model = this;
  props.push_back(P::liveness(
      "L1_lm_terminates", "L1",
      [n](const State& s) { return any_lm(s, n, [](const Lm& lm) { return is_active(lm); }); },
      [n](const State& s) { return !any_lm(s, n, [](const Lm& lm) { return is_active(lm); }); }));
  props.push_back(P::liveness(
      "L2_status_returns_normal", "L2, M3", [](const State&) { return true; },
      [t, model](const State& s) {
        if (model->cluster_manager(s) < 0) return false;
        if (management_status(*t, s) != Status::normal) return false;
        for (int k = 0; k < static_cast<int>(t->config().su_clusters.size()); ++k) {
          const auto status = su_cluster_status(*t, s, k);
          if (status != Status::normal && status != Status::inactive) return false;
        }
        return true;
      }));
}

void ClusterModel::add_goals(std::vector<Property<State>>& props) const {
  const int n = vms();
  const auto& scope = config_->scope;
  const bool faults = scope.fault_budget > 0;
  auto enabled = [&](FaultKind kind) { return faults && fault_enabled(kind); };
  auto goal = [&](const char* name, const char* ids, auto test) {
    props.push_back(
        P::sometimes(name, ids, [n, test](const State& s) { return any_lm(s, n, test); }));
  };
  if (scope.lm_requests > 0) {
    goal("lm_succeeds", "U5", [](const Lm& lm) {
      const auto jv = static_cast<Jv>(lm.jv);
      return jv == Jv::ended_T || jv == Jv::ended_warning_TW;
    });
  }
  if (scope.lm_requests > 0 && (enabled(FaultKind::su_crash) || enabled(FaultKind::isl_down))) {
    goal("lm_rejected", "A1",
         [](const Lm& lm) { return static_cast<Jv>(lm.jv) == Jv::rejected_AF; });
  }
  const bool s390 = std::any_of(config_->vms.begin(), config_->vms.end(), [&](const Vm& vm) {
    return config_->sus[vm.su].arch == Arch::s390;
  });
  const bool nonconvergence = s390 && scope.guest_writes >= scope.max_copy_rounds;
  const bool can_cut = enabled(FaultKind::isl_down) && scope.fault_budget >= config_->isl_links &&
                       topology_.server_count() == 2;
  const bool target_crash = enabled(FaultKind::su_crash);
  const bool lm = scope.lm_requests > 0;
  if (lm && (can_cut || target_crash || enabled(FaultKind::allocation_failure))) {
    goal("abort_in_setup", "A2, A3",
         [](const Lm& lm) { return aborted_in(lm, Phase::accepted, Phase::setup); });
  }
  if (lm && (can_cut || target_crash || nonconvergence)) {
    goal("abort_in_memory_copy", "A2, A3",
         [](const Lm& lm) { return aborted_in(lm, Phase::memcopy, Phase::final_copied); });
  }
  if (lm && (can_cut || target_crash || enabled(FaultKind::resume_failure))) {
    goal("abort_in_switchover", "A2, A3",
         [](const Lm& lm) { return aborted_in(lm, Phase::suspended, Phase::handed_over); });
  }
  if (lm && nonconvergence) {
    goal("abort_nonconvergence", "A2",
         [](const Lm& lm) { return static_cast<Cause>(lm.cause) == Cause::nonconvergence; });
  }
  if (lm && can_cut) {
    goal("rollback_after_network_break", "A2, A3, H4",
         [](const Lm& lm) { return static_cast<Cause>(lm.cause) == Cause::network; });
  }
  if (enabled(FaultKind::mu_crash) && mus() > 1) {
    props.push_back(P::sometimes("cluster_manager_takeover", "M2", [](const State& s) {
      return s.cm_lease != kNone && s.cm_lease != 0;
    }));
  }
  if (enabled(FaultKind::disk_failure) && scope.lm_requests > 0) {
    props.push_back(P::sometimes("crd_resynchronised", "C5", [](const State& s) {
      return (s.milestones & mirror_resynchronised) != 0;
    }));
  }
  if (scope.definition_commands) {
    props.push_back(P::sometimes("definition_recovered", "D3", [](const State& s) {
      return (s.milestones & definition_recovered) != 0;
    }));
  }
}

}  // namespace lmc::cluster
