#include "refimpl/lm/stepped_migration.hpp"

#include <cstring>
#include <utility>

#include "refimpl/lm/mutation.hpp"
#include "refimpl/lm/page_versions.hpp"

namespace lmc::ref {
namespace {

const char* cause_text(RollbackCause cause) {
  switch (cause) {
    case RollbackCause::network:
      return "the network between the servers broke";
    case RollbackCause::target_lost:
      return "the target server unit is lost";
    case RollbackCause::resources:
      return "the resources cannot be assigned on the target";
    case RollbackCause::nonconvergence:
      return "VMS2425 the dirtied pages cannot be transferred fast enough";
    case RollbackCause::resume_failed:
      return "resume on the target failed";
    case RollbackCause::source_lost:
      return "the source server unit is lost";
    case RollbackCause::none:
      break;
  }
  return "aborted";
}

}  // namespace

SteppedMigration::SteppedMigration(Installation& installation, int vm, Guest& guest,
                                   int max_copy_rounds)
    : in_(installation), v_(vm), guest_(guest), max_copy_rounds_(max_copy_rounds) {}

SteppedMigration::~SteppedMigration() = default;

cluster::Arch SteppedMigration::source_arch() const {
  return in_.su(lm_.source).spec().arch;
}

bool SteppedMigration::reachable() const {
  return in_.cluster_manager().mcnpr_reachable(lm_.source, lm_.target);
}

void SteppedMigration::end(const char* status) {
  lm_.jv = status;
  lm_.phase = StepPhase::done;
}

bool SteppedMigration::request() {
  auto& vm = in_.vm(v_);
  const auto partner = in_.config().partner_of(vm.su);
  if (active() || !partner || !in_.cluster_manager().su_running(vm.su) ||
      vm.state == cluster::VmState::defined_only) {
    return false;  // requests go to the monitor of the VM's own SU
  }
  lm_ = LmRecord{};
  lm_.source = vm.su;
  lm_.target = *partner;
  lm_.state_at_request = vm.state;
  lm_.attached_at_request = vm.attached;
  lm_.detached.assign(vm.attached.size(), false);
  steps_ = std::make_unique<MigrationSteps>(in_, v_, lm_.source, lm_.target);
  steps_->audit_command("Start");
  lm_.conflicts = check_vm_migration(in_, v_, lm_.target);
  if (!lm_.conflicts.empty()) {
    steps_->reject(lm_.conflicts);
    steps_->audit_command("failure: rejected");
    end("$AF");  // A1: nothing else changes
    return true;
  }
  // From acceptance on, the LM counts for P16 on its source.
  vm.lm_source = lm_.source;
  vm.lm_target = lm_.target;
  lm_.jv = "$S";
  lm_.phase = StepPhase::accepted;
  return true;
}

bool SteppedMigration::start() {
  if (lm_.phase != StepPhase::accepted || !reachable()) return false;
  const auto before = in_.vm(v_).attached;
  steps_->announce_start();
  steps_->detach_devices();
  const auto& after = in_.vm(v_).attached;
  for (std::size_t d = 0; d < before.size(); ++d) lm_.detached[d] = before[d] && !after[d];
  lm_.jv = "$R";
  lm_.phase = StepPhase::setup;
  return true;
}

bool SteppedMigration::reserve(bool fail_allocation) {
  if (lm_.phase != StepPhase::setup || !reachable()) return false;
  if (!steps_->reserve_on_target()) {
    roll_back(RollbackCause::resources);
    return true;
  }
  runtime_ = std::make_unique<TargetRuntime>(TargetFaults{fail_allocation, false});
  channel_ = std::make_unique<InProcessChannel>(*runtime_, 1);
  // Registered before the request: an allocation may be half done.
  steps_->on_undo([this] {
    runtime_->handle({Control::release, 0, {}});
    precopy_.reset();
  });
  const auto reply = channel_->request({Control::allocate, guest_.memory().pages(), {}});
  if (!reply.ok) {
    roll_back(RollbackCause::resources);
    return true;
  }
  steps_->announce_target();
  const auto arch = source_arch();
  const auto& devices = in_.vm_spec(v_).devices;
  assigned_.assign(devices.size(), false);
  for (std::size_t d = 0; d < devices.size(); ++d) {
    assigned_[d] = !detached_for_lm(devices[d], arch);
  }
  PrecopyPolicy policy;
  policy.max_rounds = max_copy_rounds_;
  precopy_ = std::make_unique<Precopy>(guest_.memory(), guest_.dirty(), *channel_, in_.clock(),
                                       nullptr, policy, TransferOptions{});
  guest_.dirty().mark_all();  // dirty logging starts: the first round sends every page
  lm_.phase = StepPhase::memcopy;
  return true;
}

bool SteppedMigration::copy_round() {
  if (lm_.phase != StepPhase::memcopy || guest_.dirty().count() == 0 || !reachable() ||
      lm_.rounds >= max_copy_rounds_) {
    return false;
  }
  precopy_->round();
  ++lm_.rounds;
  return true;
}

bool SteppedMigration::guest_write(std::size_t page) {
  const bool before_suspend = lm_.phase >= StepPhase::setup && lm_.phase <= StepPhase::final_copied;
  if (!before_suspend || !in_.vm(v_).executes_on(lm_.source) || page >= guest_.memory().pages()) {
    return false;
  }
  const auto now = page_versions::read(guest_.memory().page(page), v_, page).value_or(0);
  page_versions::write(guest_.memory().page(page), v_, page, static_cast<std::uint8_t>(now + 1));
  if (logging()) guest_.dirty().mark(page);
  return true;
}

bool SteppedMigration::stop_io() {
  if (lm_.phase != StepPhase::memcopy || lm_.rounds == 0) return false;
  const bool converged = guest_.dirty().count() == 0;
  const bool x86_gives_up = source_arch() == cluster::Arch::x86 && lm_.rounds >= max_copy_rounds_;
  if (!converged && !x86_gives_up) return false;
  steps_->stop_io();
  lm_.phase = StepPhase::io_stopped;
  return true;
}

bool SteppedMigration::final_copy() {
  if (lm_.phase != StepPhase::io_stopped || !reachable()) return false;
  if (mutated(Mutation::skip_final_copy)) {
    guest_.dirty().clear_all();
  } else {
    precopy_->round();
  }
  lm_.phase = StepPhase::final_copied;
  return true;
}

bool SteppedMigration::suspend() {
  if (lm_.phase != StepPhase::final_copied || mutated(Mutation::resume_before_suspend)) {
    return false;
  }
  steps_->suspend_on_source();
  lm_.phase = StepPhase::suspended;
  return true;
}

bool SteppedMigration::hand_over() {
  const bool ready =
      lm_.phase == StepPhase::suspended ||
      (mutated(Mutation::resume_before_suspend) && lm_.phase == StepPhase::final_copied);
  if (!ready || !reachable()) return false;
  precopy_->final_copy();
  channel_->request({Control::cpu_state, 0, steps_->registers()});
  lm_.phase = StepPhase::handed_over;
  return true;
}

bool SteppedMigration::resume(bool fail) {
  if (lm_.phase != StepPhase::handed_over || !in_.cluster_manager().su_running(lm_.target)) {
    return false;
  }
  if (fail) {
    // The target reports the failure to the source, which needs the network.
    if (!reachable()) return false;
    runtime_->inject({false, true});
    if (!channel_->request({Control::resume, 0, {}}).ok) roll_back(RollbackCause::resume_failed);
    return true;
  }
  // The commit point: the definition's owner on the CRD, written by the
  // target's side. Without a path to the CRD the target waits.
  if (!in_.cluster_manager().su_reaches_crd(lm_.target)) return false;
  const auto digest = runtime_->handle({Control::digest, 0, {}});
  const auto expected = guest_.memory().digest();
  if (!digest.ok || digest.data.size() != 16 ||
      std::memcmp(digest.data.data(), expected.data(), 16) != 0) {
    // The target's memory is not the guest's: resuming would lose writes.
    roll_back(RollbackCause::resume_failed);
    return true;
  }
  if (!steps_->commit_owner_on_crd()) return false;
  if (!channel_->request({Control::resume, 0, {}}).ok) {
    roll_back(RollbackCause::resume_failed);
    return true;
  }
  steps_->resumed_on_target();
  steps_->commit();  // from here on nothing is rolled back
  lm_.phase = StepPhase::committed;
  return true;
}

bool SteppedMigration::cleanup() {
  if (lm_.phase != StepPhase::committed) return false;
  const bool source_up = in_.cluster_manager().su_running(lm_.source);
  const bool confirmed = reachable();
  if (source_up && !confirmed) {
    // Cut off from the target, the source learns of the commit from the CRD.
    auto& cm = in_.cluster_manager();
    if (!cm.su_reaches_crd(lm_.source) ||
        !cm.with_crd_from(cm.server_of_su(lm_.source), [&] { return in_.definition_owner(v_); })) {
      return false;
    }
  }
  steps_->clean_up_source(confirmed);
  adopt_target_memory();
  lm_.rounds = 0;
  const bool warning = steps_->devices_left_detached();
  end(warning ? "$TW" : "$T");
  steps_->audit_command(warning ? "OK with warning" : "OK");
  return true;
}

void SteppedMigration::adopt_target_memory() {
  // The guest runs from the memory the target built; the source's copy is
  // freed. The driver keeps one Guest per VM, so the target's bytes become
  // that Guest's memory and the target's runtime lets go of them.
  if (const auto* memory = runtime_ ? runtime_->memory() : nullptr) {
    std::memcpy(guest_.memory().data(), memory->data(), guest_.memory().bytes());
  }
  if (runtime_) runtime_->handle({Control::release, 0, {}});
  precopy_.reset();
  guest_.dirty().clear_all();
}

bool SteppedMigration::abort() {
  const bool abortable = lm_.phase >= StepPhase::accepted && lm_.phase <= StepPhase::suspended;
  const bool in_doubt = lm_.phase == StepPhase::handed_over;
  if ((!abortable && !in_doubt) || reachable() || !in_.cluster_manager().su_running(lm_.source)) {
    return false;
  }
  if (in_doubt) {
    // The target may have committed: only the CRD can tell, and the abort
    // is recorded there before the source resumes the guest.
    auto& cm = in_.cluster_manager();
    if (!cm.su_reaches_crd(lm_.source)) return false;
    const bool recorded = cm.with_crd_from(cm.server_of_su(lm_.source), [&] {
      return in_.definition_owner(v_) == lm_.source &&
             in_.crd().write_text("vm/" + in_.vm(v_).name + "/lm-aborted", "by source");
    });
    if (!recorded) return false;
  }
  const bool target_up = in_.cluster_manager().su_running(lm_.target);
  roll_back(target_up ? RollbackCause::network : RollbackCause::target_lost);
  return true;
}

bool SteppedMigration::abort_nonconvergence() {
  if (lm_.phase != StepPhase::memcopy || guest_.dirty().count() == 0 ||
      lm_.rounds < max_copy_rounds_ || source_arch() != cluster::Arch::s390) {
    return false;
  }
  roll_back(RollbackCause::nonconvergence);
  return true;
}

void SteppedMigration::lose_unit(RollbackCause cause) {
  if (active() && lm_.phase != StepPhase::committed) roll_back(cause);
}

void SteppedMigration::roll_back(RollbackCause cause) {
  lm_.abort_phase = lm_.phase;
  lm_.cause = cause;
  auto& vm = in_.vm(v_);
  const auto jv_before = vm.monjv;
  steps_->roll_back(cause_text(cause), cause == RollbackCause::nonconvergence);
  vm.lm_source.reset();  // also for an abort before the setup registered undos
  vm.lm_target.reset();
  if (cause == RollbackCause::source_lost) {
    // Nobody is left on the source to tell the guest: its JV keeps what it said.
    vm.monjv = jv_before;
  } else {
    // The guest goes on being monitored on its source, also when the LM
    // ended before its setup began and its JV still said $T from an earlier LM.
    vm.monjv.set_status("$R");
    vm.monjv.set_migration_state("");
  }
  precopy_.reset();
  guest_.dirty().clear_all();
  lm_.rounds = 0;
  end("$AE");
  steps_->audit_command(std::string("failure: ") + cause_text(cause));
}

std::vector<bool> SteppedMigration::dirty_pages() const {
  std::vector<bool> out(guest_.memory().pages(), false);
  if (!active() || !logging()) return out;
  for (std::size_t p = 0; p < out.size(); ++p) out[p] = guest_.dirty().test(p);
  return out;
}

const GuestMemory* SteppedMigration::target_memory() const {
  return runtime_ ? runtime_->memory() : nullptr;
}

std::vector<bool> SteppedMigration::target_devices() const {
  const bool holds = lm_.phase >= StepPhase::memcopy && lm_.phase <= StepPhase::committed;
  if (!holds) return std::vector<bool>(in_.vm_spec(v_).devices.size(), false);
  return assigned_;
}

}  // namespace lmc::ref
