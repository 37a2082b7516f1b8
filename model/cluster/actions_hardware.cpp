// Faults, repairs, the CRD mirror protocol and the Cluster Manager
// (shared/domain.md H, C, M; spec/cluster/actions.md).

#include <bit>

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {
namespace {

std::uint8_t bit(int i) {
  return static_cast<std::uint8_t>(1u << i);
}
std::uint16_t bit16(int i) {
  return static_cast<std::uint16_t>(1u << i);
}

}  // namespace

int ClusterModel::cluster_manager(const State& s) const {
  const unsigned acting = s.cm_role & s.mu_up;
  return acting == 0 ? -1 : std::countr_zero(acting);  // the lowest such MU
}

bool ClusterModel::mu_crash(State& s, int mu) const {
  if (!(s.mu_up >> mu & 1) || !spend_fault(s, FaultKind::mu_crash)) return false;
  s.mu_up &= static_cast<std::uint8_t>(~bit(mu));
  s.cm_role &= static_cast<std::uint8_t>(~bit(mu));  // the CM software dies with its MU
  return true;
}

bool ClusterModel::mu_restart(State& s, int mu) const {
  if (s.mu_up >> mu & 1) return false;
  s.mu_up |= bit(mu);
  // A Cluster Manager that restarts before its lease ran out finds the lease
  // still its own on the CRD and takes the role up again; without this the
  // lease would never expire and no MU would ever be CM (found by L2).
  if (s.cm_lease == mu && topology_.crd_available_from(s, config_->mus[mu].server)) {
    s.cm_role |= bit(mu);
  }
  return true;
}

bool ClusterModel::su_crash(State& s, int su) const {
  if (!(s.su_up >> su & 1) || !spend_fault(s, FaultKind::su_crash)) return false;
  s.su_up &= static_cast<std::uint8_t>(~bit(su));
  for (int v = 0; v < vms(); ++v) {
    auto& vm = s.vm[v];
    auto& lm = s.lm[v];
    const bool was_source = is_active(lm) && lm.source == su;
    if (was_source && static_cast<Phase>(lm.phase) != Phase::committed) {
      roll_back(s, v, Cause::source_lost);  // the target discards what it prepared
    }
    const bool was_target = is_active(lm) && lm.target == su;
    if (was_target && static_cast<Phase>(lm.phase) != Phase::committed) {
      // Everything prepared on the target is gone with it; the source sees
      // the connection drop and aborts (it cannot resume on a dead target).
      roll_back(s, v, Cause::target_lost);
    }
    vm.exec &= static_cast<std::uint8_t>(~bit(su));  // the guests running there are gone
    vm.resident &= static_cast<std::uint8_t>(~bit(su));
    if (vm.owner == su) {
      vm.state = static_cast<std::uint8_t>(VmState::defined_only);
      vm.index = 0;  // a bare definition holds no VM index
    }
  }
  // The model's guests are gone; the mapped guests outside it are not modelled
  // as crashing with it and keep their extents.
  s.free_memory[su] =
      static_cast<std::int8_t>(config_->sus[su].memory - config_->sus[su].mapped_memory());
  return true;
}

bool ClusterModel::su_restart(State& s, int su) const {
  if (s.su_up >> su & 1) return false;
  s.su_up |= bit(su);
  return true;
}

bool ClusterModel::isl_down(State& s, int link) const {
  if (!(s.isl_up >> link & 1) || !spend_fault(s, FaultKind::isl_down)) return false;
  s.isl_up &= static_cast<std::uint8_t>(~bit(link));
  return true;
}

bool ClusterModel::isl_repair(State& s, int link) const {
  if (s.isl_up >> link & 1) return false;
  s.isl_up |= bit(link);
  return true;
}

bool ClusterModel::disk_fail(State& s, int mirror) const {
  if ((s.mirror_failed >> mirror & 1) || !spend_fault(s, FaultKind::disk_failure)) return false;
  s.mirror_failed |= bit16(mirror);
  return true;
}

bool ClusterModel::disk_repair(State& s, int mirror) const {
  if (!(s.mirror_failed >> mirror & 1)) return false;
  s.mirror_failed &= static_cast<std::uint16_t>(~bit16(mirror));
  return true;
}

bool ClusterModel::disk_resync(State& s, int mirror) const {
  const int cm = cluster_manager(s);
  if (cm < 0 || !(s.mirror_stale >> mirror & 1)) return false;
  const int server = config_->mus[cm].server;
  // The stale mirror must be repaired and reachable; the copy comes from the
  // mirror a read would use.
  if (!topology_.reaches_mirror(s, server, mirror)) return false;
  const int source = topology_.readable_mirror(s, server);
  if (source < 0) return false;
  if (s.mirror_behind >> source & 1) {
    s.stale_read = 1;                  // the copy read a mirror that missed a write
    s.mirror_behind |= bit16(mirror);  // copied from a source that was behind itself
  } else {
    s.mirror_behind &= static_cast<std::uint16_t>(~bit16(mirror));
  }
  s.mirror_stale &= static_cast<std::uint16_t>(~bit16(mirror));
  s.milestones |= mirror_resynchronised;
  return true;
}

bool ClusterModel::crd_write(State& s, int server) const {
  if (!topology_.crd_available_from(s, server)) return false;
  const auto all = static_cast<std::uint16_t>((1u << topology_.mirrors().size()) - 1);
  const auto fresh =
      static_cast<std::uint16_t>(topology_.reachable_mirrors(s, server) & ~s.mirror_stale & all);
  if (is(Mutant::crd_single_mirror_write)) {
    // Bug: only the lowest fresh mirror takes the write, and the others are
    // not marked stale.
    const auto written = static_cast<std::uint16_t>(fresh & -fresh);
    s.mirror_behind = static_cast<std::uint16_t>((s.mirror_behind | all) & ~written);
    return true;
  }
  // The fresh mirrors take the write; the others missed it and are not to
  // be read until resynced.
  const auto missed = static_cast<std::uint16_t>(all & ~fresh);
  s.mirror_behind = static_cast<std::uint16_t>((s.mirror_behind & ~fresh) | missed);
  s.mirror_stale |= missed;
  return true;
}

bool ClusterModel::crd_read(State& s, int server) const {
  int mirror = topology_.readable_mirror(s, server);
  if (is(Mutant::read_stale_mirror)) {
    mirror = -1;
    for (int m = 0; m < static_cast<int>(topology_.mirrors().size()) && mirror < 0; ++m) {
      if (topology_.reaches_mirror(s, server, m)) mirror = m;
    }
  }
  if (mirror < 0) return false;
  if (s.mirror_behind >> mirror & 1) s.stale_read = 1;
  return true;
}

int ClusterModel::server_of_su_writer(const State& s, int su) const {
  if (!topology_.su_reaches_crd(s, su)) return -1;
  return config_->sus[su].server;
}

bool ClusterModel::lease_expires(const State& s) const {
  if (s.cm_lease == kNone) return false;
  const int holder = s.cm_lease;
  return !(s.mu_up >> holder & 1) || !topology_.crd_available_from(s, config_->mus[holder].server);
}

bool ClusterModel::cm_lease_expire(State& s) const {
  if (!lease_expires(s)) return false;
  const int holder = s.cm_lease;
  // A holder cut off from the CRD steps down before its lease runs out.
  s.cm_role &= static_cast<std::uint8_t>(~bit(holder));
  s.cm_lease = kNone;
  return true;
}

bool ClusterModel::cm_takeover(State& s, int mu) const {
  if (!(s.mu_up >> mu & 1) || (s.cm_role >> mu & 1)) return false;
  const int server = config_->mus[mu].server;
  if (is(Mutant::two_cluster_managers)) {
    // Bug: judge by what the heartbeat shows, not by the lease on the CRD.
    for (int m = 0; m < mus(); ++m) {
      const bool visible = (s.cm_role >> m & 1) && (s.mu_up >> m & 1) &&
                           topology_.servers_connected(s, server, config_->mus[m].server);
      if (visible) return false;
    }
    s.cm_role |= bit(mu);
    s.cm_lease = static_cast<std::uint8_t>(mu);
    return true;
  }
  if (s.cm_lease != kNone) return false;
  // The lowest running MU that reaches the CRD takes the lease (spec choice).
  for (int m = 0; m < mu; ++m) {
    if ((s.mu_up >> m & 1) && topology_.crd_available_from(s, config_->mus[m].server)) return false;
  }
  if (!crd_read(s, server) || !crd_write(s, server)) return false;
  s.cm_role |= bit(mu);
  s.cm_lease = static_cast<std::uint8_t>(mu);
  return true;
}

bool ClusterModel::cm_observe(State& s) const {
  const int cm = cluster_manager(s);
  if (cm < 0) return false;
  // The heartbeat reaches the running units the CM's server is connected to.
  const int server = config_->mus[cm].server;
  const auto view_mu = static_cast<std::uint8_t>(s.mu_up & topology_.mus_connected_to(s, server));
  const auto view_su = static_cast<std::uint8_t>(s.su_up & topology_.sus_connected_to(s, server));
  const std::uint8_t degraded = (s.mirror_failed | s.mirror_stale) != 0;
  if (view_mu == s.view_mu && view_su == s.view_su && s.isl_up == s.view_isl &&
      degraded == s.view_crd_degraded) {
    return false;  // nothing changed since the last heartbeat round
  }
  s.view_mu = view_mu;
  s.view_su = view_su;
  s.view_isl = s.isl_up;
  s.view_crd_degraded = degraded;
  return true;
}

bool ClusterModel::liveness_timeout(State& s, int su) const {
  if ((s.liveness_expired >> su & 1) || topology_.su_reaches_crd(s, su)) return false;
  s.liveness_expired |= bit(su);
  return true;
}

bool ClusterModel::liveness_renew(State& s, int su) const {
  if (!(s.liveness_expired >> su & 1) || !topology_.su_reaches_crd(s, su)) return false;
  s.liveness_expired &= static_cast<std::uint8_t>(~bit(su));
  return true;
}

}  // namespace lmc::cluster
