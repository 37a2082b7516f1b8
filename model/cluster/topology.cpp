#include "model/cluster/topology.hpp"

#include <bit>

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
  build_masks();
}

void Topology::build_masks() {
  const auto& c = *config_;
  const auto servers = c.servers.size();
  mus_on_server_.assign(servers, 0);
  sus_on_server_.assign(servers, 0);
  for (int m = 0; m < static_cast<int>(c.mus.size()); ++m) {
    all_mus_ |= static_cast<std::uint8_t>(1u << m);
    mus_on_server_[c.mus[m].server] |= static_cast<std::uint8_t>(1u << m);
  }
  for (int su = 0; su < static_cast<int>(c.sus.size()); ++su) {
    all_sus_ |= static_cast<std::uint8_t>(1u << su);
    sus_on_server_[c.sus[su].server] |= static_cast<std::uint8_t>(1u << su);
  }
  mirrors_without_isl_.assign(servers, 0);
  for (int d = 0; d < static_cast<int>(mirrors_.size()); ++d) {
    const auto& mirror = mirrors_[d];
    const auto bit = static_cast<std::uint16_t>(1u << d);
    if (mirror.host == Mirror::Host::external) {
      external_mirrors_ |= bit;
      for (auto& mask : mirrors_without_isl_) mask |= bit;  // FC, not ISL-E
      continue;
    }
    mirrors_without_isl_[mirror.server] |= bit;
    auto& by_units = mirror.host == Mirror::Host::mu ? mirrors_of_mus_ : mirrors_of_sus_;
    for (unsigned up = 0; up < by_units.size(); ++up) {
      if (up >> mirror.unit & 1) by_units[up] |= bit;
    }
  }
}

std::uint8_t Topology::crd_proxy_of_su(const State& s, int su) const {
  const unsigned running = s.mu_up & mus_on_server_[config_->sus[su].server];
  return running == 0 ? kNone : static_cast<std::uint8_t>(std::countr_zero(running));
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
  std::uint8_t mask = 0;
  const auto& devices = config_->vms[vm].devices;
  for (int d = 0; d < static_cast<int>(devices.size()); ++d) {
    if (cluster::detached_at_setup(devices[d], config_->sus[source].arch)) {
      mask |= static_cast<std::uint8_t>(1u << d);
    }
  }
  return mask;
}

}  // namespace lmc::cluster
