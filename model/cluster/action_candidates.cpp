// The candidate actions of a state, in one fixed order (the engine stores a
// trace as positions in this list), and the cheap filter that leaves out the
// candidates whose guard must fail.

#include <algorithm>
#include <array>
#include <bit>

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {

namespace {

/// The steps of an active LM in the order of its candidates (that of
/// unfiltered_actions, guest writes last). A mask of steps has bit i for
/// kLmSteps[i], so its set bits, lowest first, are the candidates in order.
constexpr std::array<Kind, 15> kLmSteps = {Kind::lm_request,     Kind::lm_start,
                                           Kind::reserve_target, Kind::reserve_fails,
                                           Kind::copy_round,     Kind::stop_io,
                                           Kind::final_copy,     Kind::suspend,
                                           Kind::hand_over,      Kind::resume,
                                           Kind::resume_fails,   Kind::cleanup,
                                           Kind::abort,          Kind::abort_nonconvergence,
                                           Kind::guest_write};

constexpr std::uint32_t step_bit(Kind kind) {
  for (std::size_t i = 0; i < kLmSteps.size(); ++i) {
    if (kLmSteps[i] == kind) return std::uint32_t{1} << i;
  }
  return 0;
}

}  // namespace

// The candidates keep the order of the full list (every unit, every kind),
// but a candidate whose cheap necessary condition fails in `s` is left out:
// next_state would reject it anyway, so the successors and their order are
// the same, and most of the ~60 candidates per state cost nothing.
void ClusterModel::actions(const State& s, std::vector<Action>& out) const {
  auto add = [&](Kind kind, int unit) {
    out.push_back({kind, static_cast<std::uint8_t>(unit), 0});
  };
  auto on = [](unsigned mask, int i) { return (mask >> i & 1) != 0; };
  for (int m = 0; m < mus(); ++m) {
    const bool up = on(s.mu_up, m);
    if (up && may_fault(s, FaultKind::mu_crash)) add(Kind::mu_crash, m);
    if (!up) add(Kind::mu_restart, m);
    // Only a free lease can be taken over (a buggy MU ignores the lease).
    const bool lease_free = s.cm_lease == kNone || is(Mutant::two_cluster_managers);
    if (up && !on(s.cm_role, m) && lease_free) add(Kind::cm_takeover, m);
  }
  for (int su = 0; su < sus(); ++su) {
    const bool up = on(s.su_up, su);
    if (up && may_fault(s, FaultKind::su_crash)) add(Kind::su_crash, su);
    if (!up) add(Kind::su_restart, su);
    if (config_->scope.definition_commands) {
      const bool expired = on(s.liveness_expired, su);
      add(expired ? Kind::liveness_renew : Kind::liveness_timeout, su);
    }
  }
  for (int l = 0; l < config_->isl_links; ++l) {
    const bool up = on(s.isl_up, l);
    if (up && may_fault(s, FaultKind::isl_down)) add(Kind::isl_down, l);
    if (!up) add(Kind::isl_repair, l);
  }
  for (int d = 0; d < static_cast<int>(topology_.mirrors().size()); ++d) {
    const bool failed = on(s.mirror_failed, d);
    if (!failed && may_fault(s, FaultKind::disk_failure)) add(Kind::disk_fail, d);
    if (failed) add(Kind::disk_repair, d);
    if (on(s.mirror_stale, d)) add(Kind::disk_resync, d);
  }
  if (lease_expires(s)) add(Kind::cm_lease_expire, 0);
  if ((s.cm_role & s.mu_up) != 0) add(Kind::cm_observe, 0);
  for (int v = 0; v < vms(); ++v) {
    add_lm_candidates(s, v, out);
    if (config_->scope.definition_commands) {
      const auto& vm = s.vm[v];
      const bool active = is_active(s.lm[v]);
      const auto state = static_cast<VmState>(vm.state);
      const bool defined_only = state == VmState::defined_only;
      if (!active && defined_only && partner(vm.owner) >= 0) add(Kind::migrate_definition, v);
      if (!active && on(s.liveness_expired, vm.owner)) add(Kind::recover_definition, v);
      if (defined_only) add(Kind::activate_vm, v);
      if (!active && state == VmState::init_only) add(Kind::start_vm, v);
    }
  }
}

void ClusterModel::unfiltered_actions(const State&, std::vector<Action>& out) const {
  auto add = [&](Kind kind, int unit, int page = 0) {
    out.push_back({kind, static_cast<std::uint8_t>(unit), static_cast<std::uint8_t>(page)});
  };
  for (int m = 0; m < mus(); ++m) {
    for (Kind kind : {Kind::mu_crash, Kind::mu_restart, Kind::cm_takeover}) add(kind, m);
  }
  for (int su = 0; su < sus(); ++su) {
    add(Kind::su_crash, su);
    add(Kind::su_restart, su);
    if (config_->scope.definition_commands) {
      add(Kind::liveness_timeout, su);
      add(Kind::liveness_renew, su);
    }
  }
  for (int l = 0; l < config_->isl_links; ++l) {
    add(Kind::isl_down, l);
    add(Kind::isl_repair, l);
  }
  for (int d = 0; d < static_cast<int>(topology_.mirrors().size()); ++d) {
    for (Kind kind : {Kind::disk_fail, Kind::disk_repair, Kind::disk_resync}) add(kind, d);
  }
  add(Kind::cm_lease_expire, 0);
  add(Kind::cm_observe, 0);
  for (int v = 0; v < vms(); ++v) {
    for (Kind kind : {Kind::lm_request, Kind::lm_start, Kind::reserve_target, Kind::reserve_fails,
                      Kind::copy_round, Kind::stop_io, Kind::final_copy, Kind::suspend,
                      Kind::hand_over, Kind::resume, Kind::resume_fails, Kind::cleanup, Kind::abort,
                      Kind::abort_nonconvergence}) {
      add(kind, v);
    }
    for (int p = 0; p < topology_.pages(); ++p) add(Kind::guest_write, v, p);
    if (config_->scope.definition_commands) {
      for (Kind kind : {Kind::migrate_definition, Kind::recover_definition, Kind::activate_vm,
                        Kind::start_vm}) {
        add(kind, v);
      }
    }
  }
}

void ClusterModel::add_lm_candidates(const State& s, int v, std::vector<Action>& out) const {
  const auto& lm = s.lm[v];
  const auto unit = static_cast<std::uint8_t>(v);
  if (!is_active(lm)) {
    if (s.requests_left != 0 && in_scope_[v]) out.push_back({Kind::lm_request, unit, 0});
    return;
  }
  const std::uint32_t steps = enabled_lm_steps(s, v);
  // Set bits lowest first: the steps in candidate order.
  for (std::uint32_t rest = steps & ~step_bit(Kind::guest_write); rest != 0; rest &= rest - 1) {
    out.push_back({kLmSteps[std::countr_zero(rest)], unit, 0});
  }
  if ((steps & step_bit(Kind::guest_write)) && s.vm[v].writes_left != 0) {
    for (int p = 0; p < topology_.pages(); ++p) {
      out.push_back({Kind::guest_write, unit, static_cast<std::uint8_t>(p)});
    }
  }
}

// The LM steps of an active LM that its phase allows, less those whose
// cheap part of the guard fails: the fault budget, the copy round counters,
// and whether the source can still talk to the target (aborts need it not).
std::uint32_t ClusterModel::enabled_lm_steps(const State& s, int v) const {
  const auto& lm = s.lm[v];
  std::uint32_t steps = lm_steps_in_phase_[lm.phase];
  auto drop_if = [&](bool cannot, Kind kind) {
    if (cannot) steps &= ~step_bit(kind);
  };
  drop_if(!may_fault(s, FaultKind::allocation_failure), Kind::reserve_fails);
  drop_if(!may_fault(s, FaultKind::resume_failure), Kind::resume_fails);
  const int rounds = config_->scope.max_copy_rounds;
  drop_if(lm.dirty == 0 || lm.round >= rounds, Kind::copy_round);
  drop_if(lm.round == 0, Kind::stop_io);
  drop_if(lm.dirty == 0 || lm.round < rounds, Kind::abort_nonconvergence);
  drop_if(target_reachable(s, v) || !(s.su_up >> lm.source & 1), Kind::abort);
  return steps;
}

void ClusterModel::plan_lm_steps() {
  // Each step's phase guard (actions_lm.cpp), with what this model's mutant allows.
  auto allow = [&](Phase phase, std::initializer_list<Kind> kinds) {
    for (Kind kind : kinds) lm_steps_in_phase_[static_cast<std::size_t>(phase)] |= step_bit(kind);
  };
  allow(Phase::accepted, {Kind::lm_start, Kind::abort});
  allow(Phase::setup, {Kind::reserve_target, Kind::reserve_fails, Kind::abort, Kind::guest_write});
  allow(Phase::memcopy, {Kind::copy_round, Kind::stop_io, Kind::abort, Kind::abort_nonconvergence,
                         Kind::guest_write});
  allow(Phase::io_stopped, {Kind::final_copy, Kind::abort, Kind::guest_write});
  allow(Phase::final_copied, {Kind::suspend, Kind::abort, Kind::guest_write});
  // Only a buggy LM hands over before it suspended the guest.
  if (is(Mutant::resume_before_suspend)) allow(Phase::final_copied, {Kind::hand_over});
  allow(Phase::suspended, {Kind::hand_over, Kind::abort});
  allow(Phase::handed_over, {Kind::resume, Kind::resume_fails, Kind::abort});
  allow(Phase::committed, {Kind::cleanup, Kind::abort});
}

}  // namespace lmc::cluster
