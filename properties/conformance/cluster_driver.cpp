#include "properties/conformance/cluster_driver.hpp"

#include <unistd.h>

#include <atomic>
#include <string>

#include "refimpl/lm/definitions.hpp"
#include "refimpl/lm/page_versions.hpp"

namespace lmc::ref {
namespace {

using cluster::Kind;

std::filesystem::path fresh_directory() {
  static std::atomic<int> counter{0};
  auto path = std::filesystem::temp_directory_path() /
              ("lmc-conformance-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(path);
  return path;
}

}  // namespace

ClusterDriver::ClusterDriver(const cluster::Config& config)
    : directory_(fresh_directory()), clock_(Clock::virtual_time()) {
  try {
    installation_ = std::make_unique<Installation>(config, clock_, directory_);
  } catch (...) {
    // The destructor does not run for a constructor that throws: the CRD's
    // directory would be left behind (found by the fuzzer).
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
    throw;
  }
  pages_ = config.scope.pages_per_vm;
  for (int v = 0; v < installation_->vm_count(); ++v) {
    auto guest = std::make_unique<Guest>(static_cast<std::size_t>(pages_), WorkloadSpec{});
    for (std::size_t p = 0; p < guest->memory().pages(); ++p) {
      page_versions::write(guest->memory().page(p), v, p, 0);
    }
    lms_.push_back(std::make_unique<SteppedMigration>(*installation_, v, *guest,
                                                      config.scope.max_copy_rounds));
    guests_.push_back(std::move(guest));
  }
}

ClusterDriver::~ClusterDriver() {
  lms_.clear();
  guests_.clear();
  installation_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

bool ClusterDriver::implements(Kind kind) {
  switch (kind) {
    case Kind::cm_observe:
    case Kind::liveness_timeout:
    case Kind::liveness_renew:
    case Kind::recover_definition:
    case Kind::count:
      return false;
    default:
      return true;
  }
}

bool ClusterDriver::unit_exists(const cluster::Action& a) const {
  const auto& c = config();
  const int u = a.unit;
  switch (a.kind) {
    case Kind::mu_crash:
    case Kind::mu_restart:
    case Kind::cm_takeover:
      return u < static_cast<int>(c.mus.size());
    case Kind::cm_lease_expire:
      return true;
    case Kind::su_crash:
    case Kind::su_restart:
      return u < static_cast<int>(c.sus.size());
    case Kind::isl_down:
    case Kind::isl_repair:
      return u < c.isl_links;
    case Kind::disk_fail:
    case Kind::disk_repair:
    case Kind::disk_resync:
      return u < installation_->crd().mirror_count();
    default:  // a VM
      return u < vm_count() && (a.kind != Kind::guest_write || a.page < pages_);
  }
}

bool ClusterDriver::apply(const cluster::Action& action) {
  if (!implements(action.kind) || !unit_exists(action)) return false;
  if (action.kind >= Kind::lm_request) return apply_lm(action);
  return apply_hardware(action);
}

bool ClusterDriver::apply_hardware(const cluster::Action& a) {
  auto& cm = installation_->cluster_manager();
  auto& crd = installation_->crd();
  const int u = a.unit;
  switch (a.kind) {
    case Kind::mu_crash:
      if (!cm.mu_running(u)) return false;
      cm.power_off_mu(u);
      return true;
    case Kind::mu_restart:
      if (cm.mu_running(u)) return false;
      cm.power_on_mu(u);
      return true;
    case Kind::su_crash:
      return crash_su(u);
    case Kind::su_restart:
      if (cm.su_running(u)) return false;
      cm.power_on_su(u);
      return true;
    case Kind::isl_down:
      if (!cm.isl_link_up(u)) return false;
      cm.isl_down(u);
      return true;
    case Kind::isl_repair:
      if (cm.isl_link_up(u)) return false;
      cm.isl_up(u);
      return true;
    case Kind::disk_fail:
      if (u >= crd.mirror_count() || crd.status(u).failed) return false;
      crd.fail(u);
      return true;
    case Kind::disk_repair:
      if (u >= crd.mirror_count() || !crd.status(u).failed) return false;
      crd.repair(u);
      return true;
    case Kind::disk_resync:
      return u < crd.mirror_count() && cm.active_mu() && crd.resync(u);
    case Kind::cm_lease_expire:
      return cm.expire_lease_now();
    case Kind::cm_takeover:
      return cm.take_over_as(u);
    case Kind::reserve_fails:
      return lm(u).reserve(/*fail_allocation=*/true);
    case Kind::resume_fails:
      return lm(u).resume(/*fail=*/true);
    default:
      return false;
  }
}

bool ClusterDriver::crash_su(int su) {
  auto& cm = installation_->cluster_manager();
  if (!cm.su_running(su)) return false;
  cm.power_off_su(su);
  for (int v = 0; v < vm_count(); ++v) {
    const auto& record = lm(v).record();
    if (lm(v).active() && record.phase != StepPhase::committed) {
      if (record.source == su) lm(v).lose_unit(RollbackCause::source_lost);
      if (record.target == su) lm(v).lose_unit(RollbackCause::target_lost);
    }
  }
  for (int v = 0; v < vm_count(); ++v) {
    auto& vm = installation_->vm(v);
    vm.executing &= static_cast<std::uint8_t>(~(1u << su));  // its guests are gone
    installation_->su(su).give_back(v);
    if (vm.su == su) vm.state = cluster::VmState::defined_only;
  }
  return true;
}

bool ClusterDriver::apply_lm(const cluster::Action& a) {
  auto& m = lm(a.unit);
  switch (a.kind) {
    case Kind::lm_request:
      return m.request();
    case Kind::lm_start:
      return m.start();
    case Kind::reserve_target:
      return m.reserve(false);
    case Kind::copy_round:
      return m.copy_round();
    case Kind::guest_write:
      return m.guest_write(a.page);
    case Kind::stop_io:
      return m.stop_io();
    case Kind::final_copy:
      return m.final_copy();
    case Kind::suspend:
      return m.suspend();
    case Kind::hand_over:
      return m.hand_over();
    case Kind::resume:
      return m.resume(false);
    case Kind::cleanup:
      return m.cleanup();
    case Kind::abort:
      return m.abort();
    case Kind::abort_nonconvergence:
      return m.abort_nonconvergence();
    case Kind::migrate_definition:
      return migrate_vm_definition(*installation_, a.unit);
    case Kind::activate_vm:
      return activate_vm_definition(*installation_, a.unit);
    case Kind::start_vm:
      return start_vm(*installation_, a.unit);
    default:
      return false;
  }
}

}  // namespace lmc::ref
