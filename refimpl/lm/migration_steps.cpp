#include "refimpl/lm/migration_steps.hpp"

#include <fmt/core.h>

#include <optional>
#include <utility>

#include "refimpl/lm/messages.hpp"
#include "refimpl/lm/mutation.hpp"

namespace lmc::ref {

MigrationSteps::MigrationSteps(Installation& installation, int vm, int source, int target)
    : in_(installation), v_(vm), source_(source), target_(target) {}

std::string MigrationSteps::vm_id() const {
  return cluster::vm_id(in_.vm(v_).index, in_.vm(v_).name);
}

std::string MigrationSteps::command() const {
  return fmt::format("MIGRATE-VM VM-ID={},SERVER-UNIT-NAME={}", vm_id(), target_name());
}

void MigrationSteps::audit_command(const std::string& result) {
  in_.audit(source_name(), command(), result);
}

void MigrationSteps::event(int su, const std::string& what) {
  in_.cluster_manager().add_event(
      Weight::notice, in_.su(su).name(),
      fmt::format("VM '{}' on Server Unit '{}' {}", in_.vm(v_).name, in_.su(su).name(), what));
}

void MigrationSteps::reject(const std::vector<cluster::Conflict>& conflicts) {
  for (const auto& conflict : conflicts) {
    in_.say(Console::source, source_name(),
            cluster::rejected_line(vm_id(), target_name(), conflict));
  }
  in_.say(Console::source, source_name(), cluster::not_possible_line(vm_id(), target_name()));
}

void MigrationSteps::on_undo(std::function<void()> undo) {
  undo_.push_back(std::move(undo));
}

void MigrationSteps::announce_start() {
  vm().lm_source = source_;
  vm().lm_target = target_;
  // A guest that migrated before has a terminated JV ($T): the new LM
  // monitors it again ($R, MIGR-OUT), and so does the source after a rollback.
  vm().monjv.set_status("$R");
  vm().monjv.set_migration_state("MIGR-OUT");
  on_undo([this] {
    vm().lm_source.reset();
    vm().lm_target.reset();
    vm().monjv.set_migration_state("");
  });
  in_.say(Console::source, source_name(), messages::started(vm_id(), target_name()));
  in_.say(Console::guest, vm().name, messages::reconfiguration_started());
  // MSCF failure detection is locked for the LM (WP §4.4) and unlocked on
  // either ending.
  in_.say(Console::guest, vm().name, messages::recovery_start(true));
  on_undo([this] { in_.say(Console::guest, vm().name, messages::recovery_start(false)); });
}

void MigrationSteps::detach_devices() {
  const auto arch = in_.su(source_).spec().arch;
  for (std::size_t d = 0; d < spec().devices.size(); ++d) {
    if (!detached_for_lm(spec().devices[d], arch) || !vm().attached[d]) continue;
    vm().attached[d] = false;
    detached_.push_back(d);
    on_undo([this, d] {
      if (!mutated(Mutation::no_reattach_on_abort)) vm().attached[d] = true;
    });
  }
}

// The reservation checks again what the request checked (memory, name,
// index, definition slot, devices): between the two, an activation on the
// target may have taken some of it.
bool MigrationSteps::reserve_on_target() {
  auto& unit = in_.su(target_);
  if (in_.definitions_on(target_, v_) >= unit.spec().max_vm_definitions ||
      in_.name_used_on(target_, vm().name, v_)) {
    return false;
  }
  const auto index =
      spec().index > 0 ? std::optional<int>(spec().index) : unit.lowest_free_index(v_);
  if (!index) return false;
  Holding holding{v_, vm().name, vm().memory, *index, {}};
  assigned_on_target_.clear();
  const auto arch = in_.su(source_).spec().arch;
  for (std::size_t d = 0; d < spec().devices.size(); ++d) {
    const auto& device = spec().devices[d];
    if (detached_for_lm(device, arch)) continue;
    if (!unit.generates(device.id)) return false;
    assigned_on_target_.push_back(d);
    holding.devices.push_back({device.id, device.usage == cluster::Usage::exclusive});
  }
  if (!unit.take(holding)) return false;
  target_index_ = *index;
  on_undo([this] {
    if (!mutated(Mutation::keep_target_reservation)) in_.su(target_).give_back(v_);
  });
  return true;
}

void MigrationSteps::announce_target() {
  const std::string id = cluster::vm_id(target_index_, vm().name);
  if (x86()) {
    in_.say(Console::target, target_name(), messages::x86_created(id));
  } else {
    in_.say(Console::target, target_name(), messages::target_started(id, source_name()));
    in_.say(Console::target, target_name(), messages::target_created(id));
  }
  for (const auto d : assigned_on_target_) {
    in_.say(Console::target, target_name(),
            messages::device_assigned(spec().devices[d].id, id, x86()));
  }
  in_.audit(target_name(), fmt::format("CREATE-VM VM-ID={} (live migration)", id), "OK");
}

void MigrationSteps::stop_io() {
  // Guest I/O requests queue from here until the resume; nothing to undo but
  // to let them run again on the source.
  on_undo([] {});
}

void MigrationSteps::suspend_on_source() {
  const auto executing = vm().executing;
  vm().executing &= static_cast<std::uint8_t>(~(1u << source_));
  on_undo([this, executing] { vm().executing = executing; });
  if (x86()) {
    in_.say(Console::guest, vm().name, messages::hal_suspend());
  } else {
    in_.say(Console::source, source_name(), messages::suspended(vm_id(), target_name()));
  }
  event(source_, "paused");
}

std::vector<std::byte> MigrationSteps::registers() const {
  // The register state is not modelled beyond its existence: a fixed-size
  // block that must arrive before the resume.
  std::vector<std::byte> block(256);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<std::byte>(i ^ v_);
  return block;
}

bool MigrationSteps::commit_owner_on_crd() {
  // The owner and the migration history go to the CRD at the commit point
  // and nowhere else in the LM: the model writes the CRD only here, and an
  // extra write elsewhere would make a different set of mirrors stale. The
  // target's monitor writes them, over its own server's paths.
  auto& cm = in_.cluster_manager();
  const int server = cm.server_of_su(target_);
  const auto history_key = "vm/" + vm().name + "/history";
  std::optional<std::string> history;
  const bool written = cm.with_crd_from(server, [&] {
    if (!in_.write_definition(v_, target_)) return false;
    history = in_.crd().read_text(history_key);
    in_.crd().write_text(history_key,
                         fmt::format("count={} last={}", vm().live_mig_count + 1, target_name()));
    return true;
  });
  if (!written) return false;
  on_undo([this, server, history_key, history] {
    in_.cluster_manager().with_crd_from(server, [&] {
      in_.write_definition(v_, source_);
      if (history) {
        in_.crd().write_text(history_key, *history);
      } else {
        in_.crd().erase(history_key);
      }
    });
  });
  return true;
}

void MigrationSteps::resumed_on_target() {
  // Only a guest that ran goes on running; an INIT_ONLY or DOWN one only moves.
  const auto state = vm().state;
  if (state == cluster::VmState::running || state == cluster::VmState::wait) {
    vm().executing |= static_cast<std::uint8_t>(1u << target_);
  }
  vm().su = target_;  // committed: the definition belongs to the target (CRD)
  const std::string id = cluster::vm_id(target_index_, vm().name);
  in_.say(Console::guest, vm().name,
          messages::reconfiguration_finished(source_name(), target_name()));
  if (x86()) {
    in_.say(Console::guest, vm().name, messages::hal_resume());
  } else {
    in_.say(Console::target, target_name(), messages::target_resumed(id, source_name()));
  }
  for (const auto& line : spec().network_segments) {
    in_.say(Console::guest, vm().name, messages::line_active(line));
  }
  in_.say(Console::guest, vm().name, messages::recovery_start(false));
  event(target_, "created");
}

void MigrationSteps::commit() {
  undo_.clear();
}

std::vector<std::string> MigrationSteps::clean_up_source(bool target_confirmed) {
  std::vector<std::string> warnings;
  const std::string old_id = vm_id();
  const std::string new_id = cluster::vm_id(target_index_, vm().name);
  if (!target_confirmed) {
    warnings.push_back(
        "the target did not confirm the end of the LM (the link broke after the "
        "commit); the guest runs on " +
        target_name());
  } else if (!x86()) {
    in_.say(Console::target, target_name(), messages::target_completed(new_id, source_name()));
  }
  for (const auto d : assigned_on_target_) {
    in_.say(Console::source, source_name(),
            messages::device_removed(spec().devices[d].id, old_id, x86()));
  }
  in_.su(source_).give_back(v_);
  in_.say(Console::source, source_name(),
          x86() ? messages::x86_terminated(old_id) : messages::terminated(old_id));
  if (x86()) event(source_, "deactivated");
  event(source_, "deleted");
  in_.audit(source_name(), fmt::format("DELETE-VM VM-ID={} (live migration)", old_id), "OK");
  // The VM now belongs to the target: PAV aliases are attached again there
  // (possibly other ones), tapes and local disks stay detached (WP §4.4).
  const auto arch = in_.su(source_).spec().arch;
  std::vector<DeviceUse> held;
  for (std::size_t d = 0; d < spec().devices.size(); ++d) {
    const auto& device = spec().devices[d];
    vm().attached[d] =
        !detached_for_lm(device, arch) || device.kind == cluster::DeviceKind::pav_alias;
    if (vm().attached[d]) held.push_back({device.id, device.usage == cluster::Usage::exclusive});
  }
  in_.su(target_).set_devices(v_, std::move(held));
  vm().index = target_index_;
  vm().lm_source.reset();
  vm().lm_target.reset();
  vm().live_mig_count += 1;
  vm().history.push_back({in_.clock().now(), target_name(), target_index_});
  vm().monjv.set_migration_state("");
  vm().monjv.set_status("$T");  // monitoring ends with the migration (JV)
  for (const auto d : detached_) {
    if (spec().devices[d].kind == cluster::DeviceKind::pav_alias) continue;
    warnings.push_back(
        fmt::format("device {} stays detached: tapes and locally emulated disks "
                    "do not move with the VM",
                    spec().devices[d].id));
  }
  in_.say(Console::source, source_name(), messages::completed(old_id, target_name()));
  if (x86() && target_confirmed) {
    in_.say(Console::target, target_name(), messages::guest_ready(new_id));
  }
  return warnings;
}

bool MigrationSteps::devices_left_detached() const {
  for (const auto d : detached_) {
    if (spec().devices[d].kind != cluster::DeviceKind::pav_alias) return true;
  }
  return false;
}

void MigrationSteps::roll_back(const std::string& cause, bool nonconvergence) {
  in_.say(Console::source, source_name(),
          nonconvergence ? messages::not_converging()
                         : messages::aborted(vm_id(), target_name(), cause));
  while (!undo_.empty()) {
    auto undo = std::move(undo_.back());
    undo_.pop_back();
    undo();
  }
}

void MigrationSteps::cut_isl_links() {
  for (int link = 0; link < in_.config().isl_links; ++link) in_.cluster_manager().isl_down(link);
  in_.cluster_manager().heartbeat();
}

void MigrationSteps::fail_every_configuration_disk() {
  for (int mirror = 0; mirror < static_cast<int>(in_.crd().status().size()); ++mirror) {
    in_.crd().fail(mirror);
  }
  in_.cluster_manager().heartbeat();
}

void MigrationSteps::fail_one_configuration_disk() {
  in_.crd().fail(0);
  in_.cluster_manager().heartbeat();
}

}  // namespace lmc::ref
