#include "model/cluster/cluster_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <bit>

#include "checker/engine/hash_inline.hpp"
#include "model/cluster/request_facts.hpp"
#include "model/cluster/state_layout.hpp"

namespace lmc::cluster {

static_assert(std::has_unique_object_representations_v<State>);

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
  plan_lm_steps();
  layout_ = cluster_state_layout(*config_, topology_, initial_states().front());
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

const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names = {"mu_crash",
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
  return names;
}

std::optional<Kind> kind_named(std::string_view name) {
  const auto& names = kind_names();
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return static_cast<Kind>(k);
  }
  return std::nullopt;
}

std::vector<std::string> ClusterModel::action_kinds() const {
  return kind_names();
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
