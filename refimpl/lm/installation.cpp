#include "refimpl/lm/installation.hpp"

#include <fmt/core.h>

#include <bit>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace lmc::ref {

bool detached_for_lm(const cluster::Device& device, cluster::Arch source_arch) {
  using cluster::DeviceKind;
  return device.kind == DeviceKind::tape || device.kind == DeviceKind::emulated_local_disk ||
         (device.kind == DeviceKind::pav_alias && source_arch == cluster::Arch::s390);
}

namespace {

/// The catalog ID of the monitor system's home pubset (JV bytes 9-12): the
/// configuration does not name pubsets, so the SU's last four characters.
std::string monjv_catid(const std::string& su_name) {
  return su_name.size() > 4 ? su_name.substr(su_name.size() - 4) : su_name;
}

}  // namespace

Installation::Installation(cluster::Config config, Clock& clock,
                           std::filesystem::path crd_directory, std::string user, CrdReuse reuse)
    : config_(std::move(config)), clock_(&clock), user_(std::move(user)) {
  const bool from_crd = open_crd(crd_directory, reuse);
  for (int s = 0; s < static_cast<int>(config_.sus.size()); ++s) {
    sus_.emplace_back(config_.sus[static_cast<std::size_t>(s)], s);
  }
  // The definitions are on every mirror before the cluster runs (the
  // model's initial CRD is consistent): written before the Cluster Manager
  // decides which mirrors its viewpoint reaches, which without ISL-E is not
  // every one (found by the differential property on two servers without
  // ISL-E).
  place_vms(from_crd);
  cm_ = std::make_unique<ClusterManager>(config_, clock, *crd_);
  for (const auto& note : crd_notes_) cm_->add_event(Weight::warning, "CRD", note);
}

// VM2000 gives fixed indexes first and then, in configuration order, each
// *ANY VM the lowest index still free: placing a *ANY VM first could take an
// index a later fixed-index VM needs (found by the verdict issue on
// examples/plan/order-matters.json).
void Installation::place_vms(bool from_crd) {
  vms_.reserve(config_.vms.size());
  std::vector<std::optional<std::pair<int, int>>> stored(config_.vms.size());
  for (std::size_t v = 0; v < config_.vms.size(); ++v) {
    const auto& spec = config_.vms[v];
    VmRecord record(
        GuestMonJv(monjv_catid(su(spec.su).name()), 1, monitoring_start(), spec.name, 0));
    record.monjv.set_guest_state("RUN");
    record.config_index = static_cast<int>(v);
    record.name = spec.name;
    record.su = spec.su;
    record.memory = spec.memory;
    record.state = spec.state;
    record.monitor_system = spec.monitor_system;
    record.attached.assign(spec.devices.size(), true);
    vms_.push_back(std::move(record));
    if (from_crd) stored[v] = stored_definition(static_cast<int>(v));
  }
  // An earlier run's definitions first: their indexes are taken already.
  for (int v = 0; v < vm_count(); ++v) {
    if (stored[v]) place_vm(v, stored[v]->first, stored[v]->second);
  }
  for (const bool fixed : {true, false}) {
    for (int v = 0; v < vm_count(); ++v) {
      const auto& spec = vm_spec(v);
      if (stored[v] || (spec.index > 0) != fixed) continue;
      if (spec.state == cluster::VmState::defined_only) {
        place_vm(v, spec.su, 0);  // a bare definition holds no resources and no index
      } else {
        place_vm(v, spec.su, fixed ? spec.index : su(spec.su).lowest_free_index().value_or(0));
      }
    }
  }
}

void Installation::place_vm(int v, int owner, int index) {
  auto& record = vm(v);
  const auto& spec = vm_spec(v);
  auto& unit = su(owner);
  record.su = owner;
  record.index = index;
  // A running guest executes, also while it waits (WAIT); INIT_ONLY, DOWN
  // and DEFINED_ONLY do not.
  const bool executes =
      spec.state == cluster::VmState::running || spec.state == cluster::VmState::wait;
  record.executing = executes ? static_cast<std::uint8_t>(1u << owner) : 0;
  record.monjv = GuestMonJv(monjv_catid(unit.name()), 1, monitoring_start(), spec.name, index);
  record.monjv.set_guest_state("RUN");
  if (spec.state != cluster::VmState::defined_only) {
    Holding holding{v, spec.name, spec.memory, index, {}};
    for (const auto& device : spec.devices) {
      holding.devices.push_back({device.id, device.usage == cluster::Usage::exclusive});
    }
    if (index == 0 || !unit.take(holding)) {
      throw std::runtime_error(fmt::format("VM {} does not fit on {} (memory, index or devices)",
                                           spec.name, unit.name()));
    }
  }
  write_definition(v, owner);
}

std::string Installation::monitoring_start() const {
  // A virtual clock has no calendar: its runs start at a fixed moment so that
  // the MONJV record is the same on every run.
  if (clock_->is_virtual()) return "2026-01-01000000";
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y-%m-%d%H%M%S", &utc);
  return text;
}

int Installation::su_by_name(const std::string& name) const {
  for (int s = 0; s < su_count(); ++s) {
    if (su(s).name() == name) return s;
  }
  return -1;
}

int Installation::vm_by_name(const std::string& name) const {
  for (int v = 0; v < vm_count(); ++v) {
    if (vm(v).name == name) return v;
  }
  return -1;
}

int VmRecord::executing_on() const {
  if (executing == 0 || (executing & (executing - 1)) != 0) return -1;
  return std::countr_zero(executing);
}

int Installation::definitions_on(int su_id, int except) const {
  int count = 0;
  for (int w = 0; w < vm_count(); ++w) {
    const bool reserved_here = vm(w).su != su_id && su(su_id).holds(w);
    count += w != except && (vm(w).su == su_id || reserved_here);
  }
  return count;
}

bool Installation::name_used_on(int su_id, const std::string& name, int except) const {
  for (int w = 0; w < vm_count(); ++w) {
    const bool here = vm(w).su == su_id || su(su_id).holds(w);
    if (w != except && here && vm(w).name == name) return true;
  }
  return false;
}

bool Installation::lm_running_from(int source) const {
  for (const auto& record : vms_) {
    if (record.lm_source == source) return true;
  }
  return false;
}

void Installation::say(Console console, const std::string& unit, std::string text) {
  console_.add(clock_->now(), console, unit, std::move(text));
}

void Installation::audit(const std::string& unit, const std::string& action,
                         const std::string& result) {
  audit_.push_back({clock_->now(), user_, unit, action, result});
}

std::string Installation::definition_key(int v) const {
  const auto& spec = vm_spec(v);
  return fmt::format("vm/{}@{}/definition", spec.name, config_.sus[spec.su].name);
}

bool Installation::write_definition(int v, int owner_su) {
  const auto& record = vm(v);
  return crd_->write_text(definition_key(v),
                          fmt::format("owner={} index={}", su(owner_su).name(), record.index));
}

std::optional<int> Installation::definition_owner(int v) const {
  const auto text = crd_->read_text(definition_key(v));
  if (!text || text->rfind("owner=", 0) != 0) return std::nullopt;
  const auto name = text->substr(6, text->find(' ') - 6);
  const int id = su_by_name(name);
  if (id < 0) return std::nullopt;
  return id;
}

}  // namespace lmc::ref
