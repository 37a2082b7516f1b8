#include "model/cluster/topology.hpp"

namespace lmc::cluster {

Topology::Topology(const Config& config) : config_(&config), pages_(config.scope.pages_per_vm) {
  for (int d = 0; d < config.external_disks; ++d)
    mirrors_.push_back({Mirror::Host::external, -1, -1});
  for (int m = 0; m < static_cast<int>(config.mus.size()); ++m) {
    mirrors_.push_back({Mirror::Host::mu, m, config.mus[m].server});
  }
  for (int su = 0; su < static_cast<int>(config.sus.size()); ++su) {
    if (config.sus[su].arch == Arch::x86 && config.cluster_of(su)) {
      mirrors_.push_back({Mirror::Host::su, su, config.sus[su].server});
    }
  }
}

bool Topology::servers_connected(const State& s, int a, int b) const {
  return a == b || s.isl_up != 0;
}

std::uint8_t Topology::crd_proxy_of_su(const State& s, int su) const {
  const int server = config_->sus[su].server;
  for (int m = 0; m < static_cast<int>(config_->mus.size()); ++m) {
    if (config_->mus[m].server == server && (s.mu_up >> m & 1)) return static_cast<std::uint8_t>(m);
  }
  return kNone;
}

bool Topology::reaches_mirror(const State& s, int server, int m) const {
  if (s.mirror_failed >> m & 1) return false;
  const auto& mirror = mirrors_[m];
  switch (mirror.host) {
    case Mirror::Host::external:
      return true;  // FC reaches every MU and clustered SU x86, not through ISL-E
    case Mirror::Host::mu:
      return (s.mu_up >> mirror.unit & 1) && servers_connected(s, server, mirror.server);
    case Mirror::Host::su:
      return (s.su_up >> mirror.unit & 1) && servers_connected(s, server, mirror.server);
  }
  return false;
}

int Topology::readable_mirror(const State& s, int server) const {
  for (int m = 0; m < static_cast<int>(mirrors_.size()); ++m) {
    if (!(s.mirror_stale >> m & 1) && reaches_mirror(s, server, m)) return m;
  }
  return -1;
}

bool Topology::crd_available_from(const State& s, int server) const {
  return readable_mirror(s, server) >= 0;
}

bool Topology::su_reaches_crd(const State& s, int su) const {
  if (!(s.su_up >> su & 1)) return false;
  if (config_->sus[su].arch == Arch::s390 && crd_proxy_of_su(s, su) == kNone) return false;
  return crd_available_from(s, config_->sus[su].server);
}

bool Topology::su_reachable(const State& s, int from_su, int to_su) const {
  return (s.su_up >> to_su & 1) &&
         servers_connected(s, config_->sus[from_su].server, config_->sus[to_su].server);
}

std::uint8_t Topology::devices_of_kind(int vm, DeviceKind kind) const {
  std::uint8_t mask = 0;
  const auto& devices = config_->vms[vm].devices;
  for (int d = 0; d < static_cast<int>(devices.size()); ++d) {
    if (devices[d].kind == kind) mask |= static_cast<std::uint8_t>(1u << d);
  }
  return mask;
}

std::uint8_t Topology::all_devices(int vm) const {
  return static_cast<std::uint8_t>((1u << config_->vms[vm].devices.size()) - 1);
}

std::uint8_t Topology::detached_at_setup(int vm, int source) const {
  std::uint8_t mask =
      devices_of_kind(vm, DeviceKind::tape) | devices_of_kind(vm, DeviceKind::emulated_local_disk);
  if (config_->sus[source].arch == Arch::s390) mask |= devices_of_kind(vm, DeviceKind::pav_alias);
  return mask;
}

}  // namespace lmc::cluster
