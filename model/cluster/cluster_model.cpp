#include "model/cluster/cluster_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <bit>

#include "checker/engine/hash_inline.hpp"
#include "model/cluster/request_facts.hpp"

namespace lmc::cluster {

static_assert(std::has_unique_object_representations_v<State>);

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

ClusterModel::ClusterModel(Config config, Mutant mutant)
    : config_(std::make_unique<const Config>(std::move(config))),
      topology_(*config_),
      mutant_(mutant) {
  precompute();
}

ClusterModel::ClusterModel(const ClusterModel& other)
    : config_(std::make_unique<const Config>(*other.config_)),
      topology_(*config_),
      mutant_(other.mutant_),
      oracle_(other.oracle_) {
  precompute();
}

namespace {

/// The conflicts a seeded bug does not see (mutants.hpp).
void apply_mutant(Mutant mutant, std::vector<Conflict>& found) {
  if (mutant == Mutant::second_lm_same_source) {
    std::erase_if(found, [](const Conflict& c) { return c.rule() == Rule::P16; });
  }
  if (mutant == Mutant::p11_ignores_configured_vms) {
    std::erase_if(found, [](const Conflict& c) {
      return c.rule() == Rule::P11 && c.value("holder") != kOutsideHolder;
    });
  }
}

}  // namespace

std::vector<Conflict> ClusterModel::conflicts(const State& state, int vm, int target) const {
  auto found = oracle_ ? oracle_(state, vm, target) : lm_conflicts(topology_, state, vm, target);
  apply_mutant(mutant_, found);
  return found;
}

bool ClusterModel::reservation_allowed(const RequestFacts& facts) const {
  if (mutant_ != Mutant::p11_ignores_configured_vms) return reservation_possible(facts.facts);
  auto found = evaluate_rules(*config_, facts);
  apply_mutant(mutant_, found);
  return std::none_of(found.begin(), found.end(),
                      [](const Conflict& c) { return rules::is_reservation_rule(c.rule()); });
}

std::string ClusterModel::name() const {
  std::string text = "cluster(" + config_->name;
  for (const auto& info : mutant_catalogue()) {
    if (info.mutant == mutant_) text += ", mutant " + info.name;
  }
  return text + ")";
}

std::vector<State> ClusterModel::initial_states() const {
  State s;
  s.mu_up = static_cast<std::uint8_t>((1u << mus()) - 1);
  s.su_up = static_cast<std::uint8_t>((1u << sus()) - 1);
  s.isl_up = static_cast<std::uint8_t>((1u << config_->isl_links) - 1);
  s.faults_left = static_cast<std::uint8_t>(config_->scope.fault_budget);
  s.requests_left = static_cast<std::uint8_t>(config_->scope.lm_requests);
  s.cm_role = 1;  // MU 0 holds the Cluster Manager role and its lease (M2)
  s.cm_lease = 0;
  s.view_mu = s.mu_up;
  s.view_su = s.su_up;
  s.view_isl = s.isl_up;
  for (int su = 0; su < sus(); ++su) {
    const auto& unit = config_->sus[su];
    s.free_memory[su] = static_cast<std::int8_t>(unit.memory - unit.mapped_memory());
  }
  const auto indexes = initial_vm_indexes(*config_);
  for (int v = 0; v < vms(); ++v) {
    const auto& vm = config_->vms[v];
    auto& d = s.vm[v];
    d.owner = static_cast<std::uint8_t>(vm.su);
    if (vm.index == 0) d.index = static_cast<std::uint8_t>(indexes[v]);
    d.state = static_cast<std::uint8_t>(vm.state);
    d.attached = topology_.all_devices(v);
    if (vm.state != VmState::defined_only) {
      d.resident = static_cast<std::uint8_t>(1u << vm.su);
      s.free_memory[vm.su] = static_cast<std::int8_t>(s.free_memory[vm.su] - vm.memory);
    }
    if (vm.state == VmState::running || vm.state == VmState::wait) {
      d.exec = static_cast<std::uint8_t>(1u << vm.su);
    }
    d.copy.fill(kNoPage);
  }
  return {s};
}

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

void ClusterModel::precompute() {
  mus_ = static_cast<int>(config_->mus.size());
  sus_ = static_cast<int>(config_->sus.size());
  vms_ = static_cast<int>(config_->vms.size());
  for (std::size_t k = 0; k < kFaultKinds; ++k) fault_on_[k] = config_->scope.faults[k];
  partner_.fill(-1);
  for (int su = 0; su < sus(); ++su) partner_[su] = config_->partner_of(su).value_or(-1);
  const auto& allowed = config_->scope.migrate;
  for (int v = 0; v < vms(); ++v) {
    in_scope_[v] = allowed.empty() ||
                   std::find(allowed.begin(), allowed.end(), config_->vms[v].name) != allowed.end();
  }
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
  build_layout();
}

// The widths follow from the configuration: masks have one bit per unit,
// counters count up to their budget, and "none" markers (0xFF) are stored as
// value + 1. Bytes left out (units and VMs the configuration does not have,
// pages beyond pages_per_vm) never leave their initial value.
void ClusterModel::build_layout() {
  const auto& scope = config_->scope;
  const unsigned mus_n = mus(), sus_n = sus(), links = config_->isl_links;
  const unsigned mirrors = static_cast<unsigned>(topology_.mirrors().size());
  // Guest writes happen only during an LM, at most guest_writes per request.
  const unsigned versions = unsigned(scope.guest_writes) * unsigned(scope.lm_requests);
  layout_ = BitLayout<State>(initial_states().front());
  const State& t = layout_.fixed();
  for (const auto* mask : {&t.mirror_failed, &t.mirror_stale, &t.mirror_behind}) {
    layout_.add(*mask, mirrors);
  }
  for (const auto* mask : {&t.mu_up, &t.cm_role, &t.view_mu}) layout_.add(*mask, mus_n);
  for (const auto* mask : {&t.su_up, &t.view_su, &t.liveness_expired}) layout_.add(*mask, sus_n);
  for (const auto* mask : {&t.isl_up, &t.view_isl}) layout_.add(*mask, links);
  layout_.add(t.faults_left, bits_for(unsigned(scope.fault_budget)));
  layout_.add(t.requests_left, bits_for(unsigned(scope.lm_requests)));
  layout_.add(t.cm_lease, bits_for(mus_n), kNone);
  layout_.add(t.view_crd_degraded, 1);
  layout_.add(t.stale_read, 1);
  layout_.add(t.milestones, 2);
  for (unsigned su = 0; su < sus_n; ++su) layout_.add(t.free_memory[su], 8);
  for (int v = 0; v < vms(); ++v) add_vm_to_layout(v, versions);
  layout_.finish();
}

void ClusterModel::add_vm_to_layout(int v, unsigned versions) {
  const auto& scope = config_->scope;
  const unsigned sus_n = sus();
  const unsigned devices = static_cast<unsigned>(config_->vms[v].devices.size());
  const auto& t = layout_.fixed();
  const auto& vm = t.vm[v];
  layout_.add(vm.owner, bits_for(sus_n - 1));
  layout_.add(vm.state, bits_for(static_cast<unsigned>(VmState::wait)));
  layout_.add(vm.exec, sus_n);
  layout_.add(vm.resident, sus_n);
  layout_.add(vm.attached, devices);
  layout_.add(vm.target_devices, devices);
  layout_.add(vm.writes_left, bits_for(unsigned(scope.guest_writes)));
  layout_.add(vm.guest_jv, bits_for(static_cast<unsigned>(GuestJv::terminated)));
  layout_.add(vm.migrations, bits_for(unsigned(scope.lm_requests)));
  if (config_->vms[v].index == 0) {  // VM-INDEX=*ANY: the index changes with the SU
    unsigned max_index = 0;
    for (const auto& su : config_->sus) max_index = std::max(max_index, unsigned(su.max_vm_index));
    layout_.add(vm.index, bits_for(max_index));
    layout_.add(t.lm[v].target_index, bits_for(max_index));
  }
  for (int p = 0; p < topology_.pages(); ++p) {
    layout_.add(vm.memory[p], bits_for(versions));
    layout_.add(vm.copy[p], bits_for(versions + 1), kNoPage);
  }
  const auto& lm = t.lm[v];
  layout_.add(lm.phase, bits_for(static_cast<unsigned>(Phase::done)));
  layout_.add(lm.jv, bits_for(static_cast<unsigned>(Jv::rejected_AF)));
  layout_.add(lm.source, bits_for(sus_n), kNone);
  layout_.add(lm.target, bits_for(sus_n), kNone);
  layout_.add(lm.round, bits_for(unsigned(scope.max_copy_rounds)));
  layout_.add(lm.dirty, unsigned(topology_.pages()));
  layout_.add(lm.detached, devices);
  layout_.add(lm.cause, bits_for(static_cast<unsigned>(Cause::source_lost)));
  layout_.add(lm.abort_phase, bits_for(static_cast<unsigned>(Phase::done)));
  layout_.add(lm.snapshot_state, bits_for(static_cast<unsigned>(VmState::wait)));
  layout_.add(lm.snapshot_attached, devices);
  layout_.add(lm.verdict, 4);
}

std::optional<State> ClusterModel::next_state(const State& state, const Action& action) const {
  State next;
  if (!successor(state, action, next)) return std::nullopt;
  return next;
}

bool ClusterModel::successor(const State& state, const Action& action, State& next) const {
  next = state;
  if (!apply(next, action)) return false;
  observe_step(state, next);
  return true;
}

bool ClusterModel::apply(State& s, const Action& a) const {
  const int u = a.unit;
  switch (a.kind) {
    case Kind::mu_crash:
      return mu_crash(s, u);
    case Kind::su_crash:
      return su_crash(s, u);
    case Kind::isl_down:
      return isl_down(s, u);
    case Kind::disk_fail:
      return disk_fail(s, u);
    case Kind::reserve_fails:
      return reserve_target(s, u, true);
    case Kind::resume_fails:
      return resume(s, u, true);
    case Kind::mu_restart:
      return mu_restart(s, u);
    case Kind::su_restart:
      return su_restart(s, u);
    case Kind::isl_repair:
      return isl_repair(s, u);
    case Kind::disk_repair:
      return disk_repair(s, u);
    case Kind::disk_resync:
      return disk_resync(s, u);
    case Kind::cm_lease_expire:
      return cm_lease_expire(s);
    case Kind::cm_takeover:
      return cm_takeover(s, u);
    case Kind::cm_observe:
      return cm_observe(s);
    case Kind::liveness_timeout:
      return liveness_timeout(s, u);
    case Kind::liveness_renew:
      return liveness_renew(s, u);
    case Kind::lm_request:
      return lm_request(s, u);
    case Kind::lm_start:
      return lm_start(s, u);
    case Kind::reserve_target:
      return reserve_target(s, u, false);
    case Kind::copy_round:
      return copy_round(s, u);
    case Kind::guest_write:
      return guest_write(s, u, a.page);
    case Kind::stop_io:
      return stop_io(s, u);
    case Kind::final_copy:
      return final_copy(s, u);
    case Kind::suspend:
      return suspend(s, u);
    case Kind::hand_over:
      return hand_over(s, u);
    case Kind::resume:
      return resume(s, u, false);
    case Kind::cleanup:
      return cleanup(s, u);
    case Kind::abort:
      return abort_lm(s, u);
    case Kind::abort_nonconvergence:
      return abort_nonconvergence(s, u);
    case Kind::migrate_definition:
      return migrate_definition(s, u);
    case Kind::recover_definition:
      return recover_definition(s, u);
    case Kind::activate_vm:
      return activate_vm(s, u);
    case Kind::start_vm:
      return start_vm(s, u);
    case Kind::count:
      break;
  }
  return false;
}

bool ClusterModel::is_terminal(const State& state) const {
  for (int v = 0; v < vms(); ++v) {
    if (is_active(state.lm[v])) return false;
  }
  return true;
}

std::uint64_t ClusterModel::hash(const State& state) const {
  return hash_object_inline(state);  // hash_object's value, without the library call
}

std::vector<std::string> ClusterModel::action_kinds() const {
  return {"mu_crash",
          "su_crash",
          "isl_down",
          "disk_fail",
          "reserve_fails",
          "resume_fails",
          "mu_restart",
          "su_restart",
          "isl_repair",
          "disk_repair",
          "disk_resync",
          "cm_lease_expire",
          "cm_takeover",
          "cm_observe",
          "liveness_timeout",
          "liveness_renew",
          "lm_request",
          "lm_start",
          "reserve_target",
          "copy_round",
          "guest_write",
          "stop_io",
          "final_copy",
          "suspend",
          "hand_over",
          "resume",
          "cleanup",
          "abort",
          "abort_nonconvergence",
          "migrate_definition",
          "recover_definition",
          "activate_vm",
          "start_vm"};
}

bool ClusterModel::fault_enabled(FaultKind kind) const {
  return config_->scope.faults[static_cast<std::size_t>(kind)];
}

bool ClusterModel::spend_fault(State& s, FaultKind kind) const {
  if (!may_fault(s, kind)) return false;
  --s.faults_left;
  return true;
}

}  // namespace lmc::cluster

namespace lmc::cluster {

bool ClusterModel::action_kind_enabled(std::size_t index) const {
  const auto kind = static_cast<Kind>(index);
  const auto& scope = config_->scope;
  auto fault = [&](FaultKind f) { return scope.fault_budget > 0 && fault_enabled(f); };
  const bool lm = scope.lm_requests > 0;
  const bool two_servers = topology_.server_count() == 2;
  const bool network_faults = fault(FaultKind::isl_down) && config_->isl_links > 0;
  const bool s390 = std::any_of(config_->vms.begin(), config_->vms.end(), [&](const Vm& vm) {
    return config_->sus[vm.su].arch == Arch::s390;
  });
  switch (kind) {
    case Kind::mu_crash:
    case Kind::mu_restart:
      return fault(FaultKind::mu_crash);
    case Kind::cm_lease_expire:
    case Kind::cm_takeover:
      return fault(FaultKind::mu_crash) || fault(FaultKind::disk_failure);
    case Kind::su_crash:
    case Kind::su_restart:
      return fault(FaultKind::su_crash);
    case Kind::isl_down:
    case Kind::isl_repair:
      return network_faults;
    case Kind::disk_fail:
    case Kind::disk_repair:
      return fault(FaultKind::disk_failure);
    case Kind::disk_resync:
      return fault(FaultKind::disk_failure) && lm;
    case Kind::reserve_fails:
      return lm && fault(FaultKind::allocation_failure);
    case Kind::resume_fails:
      return lm && fault(FaultKind::resume_failure);
    case Kind::cm_observe:
      return fault(FaultKind::mu_crash) || fault(FaultKind::su_crash) || network_faults ||
             fault(FaultKind::disk_failure);
    case Kind::liveness_timeout:
    case Kind::liveness_renew:
      return scope.definition_commands;
    case Kind::abort:
      return lm && two_servers && network_faults;
    case Kind::abort_nonconvergence:
      return lm && s390 && scope.guest_writes >= scope.max_copy_rounds;
    case Kind::migrate_definition:
    case Kind::recover_definition:
    case Kind::activate_vm:
    case Kind::start_vm:
      return scope.definition_commands;
    case Kind::count:
      return false;
    default:
      return lm;  // the LM steps
  }
}

}  // namespace lmc::cluster
