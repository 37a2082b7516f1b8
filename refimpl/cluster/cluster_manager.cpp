// The Cluster Manager: the hardware it watches, the lease on the CRD, and who
// reaches what (C4, H2, CH-2, CH-3). The heartbeat round is in heartbeat.cpp.

#include "refimpl/cluster/cluster_manager.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace lmc::ref {
namespace {

constexpr const char* kLeaseKey = "cm/lease";

std::size_t index(int i) {
  return static_cast<std::size_t>(i);
}

}  // namespace

ClusterManager::ClusterManager(const cluster::Config& config, Clock& clock, Crd& crd)
    : config_(config),
      clock_(&clock),
      crd_(&crd),
      mirrors_(crd_mirror_hosts(config)),
      mu_up_(config.mus.size(), true),
      su_up_(config.sus.size(), true),
      isl_up_(index(config.isl_links), true) {
  for (const auto& cluster : config.su_clusters) cluster_active_.push_back(cluster.active);
  view_ = {mu_up_, su_up_, isl_up_, false};
  for (int m = 0; m < crd_->mirror_count(); ++m) {
    const auto mirror = crd_->status(m);
    view_.crd_degraded = view_.crd_degraded || mirror.failed || mirror.stale;
  }
  // A lease left on the CRD by an earlier run is taken back by its holder.
  if (const auto holder = crd_->read_text(kLeaseKey)) {
    for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
      if (config_.mus[index(m)].name == *holder && mu_reaches_crd(m)) active_ = lease_ = m;
    }
  }
  if (!active_ && !config_.mus.empty()) {
    // The first MU takes the role and writes its lease at the start, before
    // the CM's viewpoint decides which mirrors it reaches: the cluster starts
    // with a consistent CRD, the lease on every mirror (as the model's initial
    // state has it), also where, without ISL-E, the other server's MUs are out
    // of reach (found by the differential property). The start is no change,
    // so no event.
    if (crd_->write_text(kLeaseKey, config_.mus.front().name)) active_ = lease_ = 0;
  }
  update_crd_reach();
  published_management_ = ref::management_status(config_, view_);
  for (int k = 0; k < static_cast<int>(config_.su_clusters.size()); ++k) {
    published_clusters_.push_back(
        ref::su_cluster_status(config_, view_, k, cluster_active_[index(k)]));
  }
}

int ClusterManager::server_of_mu(int mu) const {
  return config_.mus.at(index(mu)).server;
}
int ClusterManager::server_of_su(int su) const {
  return config_.sus.at(index(su)).server;
}

bool ClusterManager::mu_running(int mu) const {
  return mu_up_.at(index(mu));
}
bool ClusterManager::su_running(int su) const {
  return su_up_.at(index(su));
}
bool ClusterManager::isl_link_up(int link) const {
  return isl_up_.at(index(link));
}
bool ClusterManager::su_cluster_active(int cluster) const {
  return cluster_active_.at(index(cluster));
}

bool ClusterManager::servers_connected() const {
  return config_.servers.size() < 2 || std::count(isl_up_.begin(), isl_up_.end(), true) > 0;
}

bool ClusterManager::connected(int server_a, int server_b) const {
  return server_a == server_b || servers_connected();
}

bool ClusterManager::mcnpr_reachable(int su_a, int su_b) const {
  return su_running(su_a) && su_running(su_b) && connected(server_of_su(su_a), server_of_su(su_b));
}

bool ClusterManager::mirror_reachable_from(int server, int mirror) const {
  if (crd_->status(mirror).failed) return false;
  const auto& host = mirrors_.at(index(mirror));
  switch (host.kind) {
    case CrdMirrorHost::Kind::external:
      return true;  // FC storage: every MU and clustered SU x86, independent of ISL-E
    case CrdMirrorHost::Kind::mu:
      return mu_running(host.unit) && connected(server, host.server);
    case CrdMirrorHost::Kind::su:
      return su_running(host.unit) && connected(server, host.server);
  }
  return false;
}

bool ClusterManager::crd_available_from(int server) const {
  const int count = std::min(crd_->mirror_count(), static_cast<int>(mirrors_.size()));
  for (int m = 0; m < count; ++m) {
    if (mirror_reachable_from(server, m) && !crd_->status(m).stale) return true;
  }
  return false;
}

bool ClusterManager::mu_reaches_crd(int mu) const {
  return mu_running(mu) && crd_available_from(server_of_mu(mu));
}

bool ClusterManager::su_reaches_crd(int su) const {
  if (!su_running(su)) return false;
  const int server = server_of_su(su);
  if (config_.sus[index(su)].arch == cluster::Arch::s390) {
    // REWAS needs a running MU of the SU's own server (CH-2).
    bool proxy = false;
    for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
      proxy = proxy || (mu_up_[index(m)] && server_of_mu(m) == server);
    }
    if (!proxy) return false;
  }
  return crd_available_from(server);
}

int ClusterManager::crd_viewpoint() const {
  if (active_) return server_of_mu(*active_);
  for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
    if (mu_reaches_crd(m)) return server_of_mu(m);
  }
  for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
    if (mu_up_[index(m)]) return server_of_mu(m);
  }
  return 0;
}

void ClusterManager::update_crd_reach() {
  reach_crd_from(crd_viewpoint());
}

void ClusterManager::reach_crd_from(int server) {
  const int count = std::min(crd_->mirror_count(), static_cast<int>(mirrors_.size()));
  for (int m = 0; m < count; ++m) {
    const auto& host = mirrors_[index(m)];
    bool reachable = true;  // an external disk: FC from every unit
    if (host.kind != CrdMirrorHost::Kind::external) {
      const bool up =
          host.kind == CrdMirrorHost::Kind::mu ? mu_running(host.unit) : su_running(host.unit);
      reachable = up && connected(server, host.server);
    }
    crd_->set_reachable(m, reachable);
  }
}

void ClusterManager::power_off_mu(int mu) {
  mu_up_.at(index(mu)) = false;
  if (active_ == mu) active_.reset();  // the CM software dies with its MU; the lease stays
  update_crd_reach();
}

void ClusterManager::power_on_mu(int mu) {
  mu_up_.at(index(mu)) = true;
  // A CM that comes back while its lease still stands takes the role up again
  // (CH-3: otherwise the lease would never expire and no MU would be CM).
  if (!active_ && lease_ == mu && mu_reaches_crd(mu)) active_ = mu;
  update_crd_reach();
}

void ClusterManager::power_off_su(int su) {
  su_up_.at(index(su)) = false;
  update_crd_reach();
}

void ClusterManager::power_on_su(int su) {
  su_up_.at(index(su)) = true;
  update_crd_reach();
}

void ClusterManager::isl_down(int link) {
  isl_up_.at(index(link)) = false;
  update_crd_reach();
}

void ClusterManager::isl_up(int link) {
  isl_up_.at(index(link)) = true;
  update_crd_reach();
}

void ClusterManager::set_su_cluster_active(int cluster, bool active) {
  cluster_active_.at(index(cluster)) = active;
  config_.su_clusters[index(cluster)].active = active;
  publish_statuses();
}

void ClusterManager::expire_lease() {
  if (!lease_) return;
  // Perfect failure detection, as in the model (CH-9): the lease runs out
  // exactly when its holder is down or cut off from the CRD; a holder cut
  // off steps down.
  if (mu_reaches_crd(*lease_)) return;
  if (active_ == lease_) active_.reset();
  lease_.reset();
}

bool ClusterManager::expire_lease_now() {
  if (!lease_ || mu_reaches_crd(*lease_)) return false;
  expire_lease();
  return true;
}

bool ClusterManager::take_over_as(int mu) {
  if (lease_ || active_ || !mu_running(mu)) return false;
  for (int m = 0; m < mu; ++m) {
    if (mu_reaches_crd(m)) return false;  // a lower MU is first in line
  }
  if (!mu_reaches_crd(mu)) return false;
  take_over();
  return active_ == mu;
}

void ClusterManager::take_over(bool announce) {
  if (lease_) {
    // The holder runs and reaches the CRD but lost the role (it restarted
    // while the CRD was out of reach): the lease is still its own.
    active_ = lease_;
    update_crd_reach();
    return;
  }
  std::optional<int> candidate;
  for (int m = 0; m < static_cast<int>(config_.mus.size()) && !candidate; ++m) {
    if (mu_reaches_crd(m)) candidate = m;
  }
  if (!candidate) return;
  update_crd_reach();  // the candidate's server is where the CRD is used from now
  const auto& name = config_.mus[index(*candidate)].name;
  (void)crd_->read_text(kLeaseKey);  // an expired lease is simply overwritten
  if (!crd_->write_text(kLeaseKey, name)) return;
  active_ = lease_ = candidate;
  if (announce) cluster_event(Weight::warning, fmt::format("Cluster Manager moved to '{}'", name));
}

void ClusterManager::renew_liveness() {
  for (int su = 0; su < static_cast<int>(config_.sus.size()); ++su) {
    if (su_reaches_crd(su)) crd_->write_liveness(config_.sus[index(su)].name, clock_->now());
  }
}

bool ClusterManager::liveness_expired(int su, double timeout) const {
  const auto last = crd_->liveness(config_.sus.at(index(su)).name);
  return !last || clock_->now() - *last > timeout;
}

void ClusterManager::add_event(Weight weight, std::string unit, std::string text) {
  events_.push_back({clock_->now(), weight, std::move(unit), "Sys-Mgmt", std::move(text)});
}

}  // namespace lmc::ref
