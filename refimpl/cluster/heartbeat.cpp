// The Cluster Manager's heartbeat round (H3, M3, M4): it polls every unit over
// MCNPR from its own server, recomputes the cluster status, and reports each
// change as an event with a weight, in the order SE Manager shows them
// (heartbeats, then the management cluster, then the SU clusters).

#include <fmt/core.h>

#include "refimpl/cluster/cluster_manager.hpp"

namespace lmc::ref {
namespace {

std::size_t index(int i) {
  return static_cast<std::size_t>(i);
}

std::string heartbeat_change(const std::string& unit, bool was, bool now) {
  const auto name = [](bool up) {
    return to_string(up ? Heartbeat::normal : Heartbeat::not_accessible);
  };
  return fmt::format("Network heartbeat of unit '{}' changed from '{}' to '{}'", unit, name(was),
                     name(now));
}

}  // namespace

void ClusterManager::heartbeat() {
  update_crd_reach();
  expire_lease();
  if (!active_) take_over();
  if (!active_) return;  // no MU can act as CM: nobody polls
  update_crd_reach();
  resync_mirrors();
  observe();
  publish_statuses();
}

void ClusterManager::resync_mirrors() {
  // The CM brings back every stale mirror it can reach (CH-1); a failed disk
  // waits for its repair.
  for (int m = 0; m < crd_->mirror_count(); ++m) {
    const auto mirror = crd_->status(m);
    if (mirror.stale && mirror.accessible) crd_->resync(m);
  }
}

HeartbeatView ClusterManager::look() const {
  const int server = server_of_mu(*active_);
  HeartbeatView view;
  for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
    view.mu.push_back(mu_up_[index(m)] && connected(server, server_of_mu(m)));
  }
  for (int s = 0; s < static_cast<int>(config_.sus.size()); ++s) {
    view.su.push_back(su_up_[index(s)] && connected(server, server_of_su(s)));
  }
  view.isl = isl_up_;  // the CM sees its own server's Net Unit ports
  for (int m = 0; m < crd_->mirror_count(); ++m) {
    const auto mirror = crd_->status(m);
    view.crd_degraded = view.crd_degraded || mirror.failed || mirror.stale;
  }
  return view;
}

void ClusterManager::observe() {
  const auto now = look();
  for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
    const bool was = view_.mu[index(m)];
    if (was != now.mu[index(m)]) {
      cluster_event(was ? Weight::warning : Weight::notice,
                    heartbeat_change(config_.mus[index(m)].name, was, !was));
    }
  }
  for (int s = 0; s < static_cast<int>(config_.sus.size()); ++s) {
    const bool was = view_.su[index(s)];
    if (was != now.su[index(s)]) {
      cluster_event(was ? Weight::warning : Weight::notice,
                    heartbeat_change(config_.sus[index(s)].name, was, !was));
    }
  }
  view_ = now;
}

void ClusterManager::publish_statuses() {
  const auto management = ref::management_status(config_, view_);
  if (management != published_management_) {
    cluster_event(weight_of(management),
                  fmt::format("Cluster state of 'Management Cluster' changed from '{}' to '{}'",
                              to_string(published_management_), to_string(management)));
    published_management_ = management;
  }
  for (int k = 0; k < static_cast<int>(config_.su_clusters.size()); ++k) {
    const auto status = ref::su_cluster_status(config_, view_, k, cluster_active_[index(k)]);
    auto& published = published_clusters_[index(k)];
    if (status == published) continue;
    cluster_event(weight_of(status), fmt::format("Cluster state of '{}' changed from '{}' to '{}'",
                                                 config_.su_clusters[index(k)].name,
                                                 to_string(published), to_string(status)));
    published = status;
  }
}

void ClusterManager::cluster_event(Weight weight, std::string text) {
  events_.push_back({clock_->now(), weight, reporter(), "Cluster", std::move(text)});
}

std::string ClusterManager::reporter() const {
  if (active_) return config_.mus[index(*active_)].name;
  for (int m = 0; m < static_cast<int>(config_.mus.size()); ++m) {
    if (mu_up_[index(m)]) return config_.mus[index(m)].name;
  }
  return {};
}

Heartbeat ClusterManager::heartbeat_of_mu(int mu) const {
  return view_.mu.at(index(mu)) ? Heartbeat::normal : Heartbeat::not_accessible;
}

Heartbeat ClusterManager::heartbeat_of_su(int su) const {
  return view_.su.at(index(su)) ? Heartbeat::normal : Heartbeat::not_accessible;
}

ClusterStatus ClusterManager::su_cluster_status(int cluster) const {
  return published_clusters_.at(index(cluster));
}

}  // namespace lmc::ref
