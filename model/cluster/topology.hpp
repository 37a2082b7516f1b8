#pragma once
// Static facts derived once from a Config: the mirror set of the CRD, who
// reaches what over MCNPR, device classes. Kept apart from the actions so
// that the rules of reachability are written once.

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "model/cluster/state.hpp"

namespace lmc::cluster {

/// A configuration disk: external (on FC storage) or internal to a unit.
struct Mirror {
  enum class Host : std::uint8_t { external, mu, su } host = Host::external;
  int unit = -1;  ///< the MU or SU it is internal to
  int server = -1;
};

class Topology {
 public:
  explicit Topology(const Config& config);

  const Config& config() const { return *config_; }
  const std::vector<Mirror>& mirrors() const { return mirrors_; }
  int server_count() const { return static_cast<int>(config_->servers.size()); }

  /// MCNPR connects two servers while an ISL-E link is up (H2, H4).
  bool servers_connected(const State& s, int a, int b) const { return a == b || s.isl_up != 0; }
  /// The MUs / SUs that a unit on `server` can talk to over MCNPR, up or not.
  std::uint8_t mus_connected_to(const State& s, int server) const {
    return s.isl_up != 0 ? all_mus_ : mus_on_server_[server];
  }
  std::uint8_t sus_connected_to(const State& s, int server) const {
    return s.isl_up != 0 ? all_sus_ : sus_on_server_[server];
  }
  /// The MU an SU /390 reaches the CRD through: the lowest running MU of its
  /// own server (C4, spec choice); kNone if there is none.
  std::uint8_t crd_proxy_of_su(const State& s, int su) const;
  /// The mirrors a unit on `server` (an MU, or an SU x86 directly) reaches,
  /// one bit each: external ones over FC, internal ones while their unit is
  /// up and connected, none that failed. The CRD rules are evaluated on
  /// every transition, so this is a few table lookups rather than a loop
  /// over the mirrors.
  std::uint16_t reachable_mirrors(const State& s, int server) const {
    std::uint16_t up = external_mirrors_ | mirrors_of_mus_[s.mu_up & kUnitMask] |
                       mirrors_of_sus_[s.su_up & kUnitMask];
    if (s.isl_up == 0) up &= mirrors_without_isl_[server];
    return static_cast<std::uint16_t>(up & ~s.mirror_failed);
  }
  /// Can a unit on `server` reach mirror m?
  bool reaches_mirror(const State& s, int server, int m) const {
    return (reachable_mirrors(s, server) >> m & 1) != 0;
  }
  /// The lowest reachable mirror that is not marked stale, or -1.
  int readable_mirror(const State& s, int server) const {
    const unsigned readable = reachable_mirrors(s, server) & ~unsigned{s.mirror_stale} & 0xFFFFu;
    return readable == 0 ? -1 : std::countr_zero(readable);
  }
  /// The CRD is available to a unit while it reaches an up-to-date mirror.
  bool crd_available_from(const State& s, int server) const {
    return (reachable_mirrors(s, server) & ~s.mirror_stale) != 0;
  }
  /// For an SU: its path to the CRD (x86 directly, /390 through its proxy).
  bool su_reaches_crd(const State& s, int su) const;
  /// The SU x86 / MU `unit` of kind MU is up and reachable from `server`.
  bool su_reachable(const State& s, int from_su, int to_su) const;

  std::uint8_t all_pages() const { return static_cast<std::uint8_t>((1u << pages_) - 1); }
  int pages() const { return pages_; }
  /// Devices a guest detaches before an LM (WP §4.4): tapes, emulated local
  /// disks and, on SU /390, PAV aliases.
  std::uint8_t detached_at_setup(int vm, int source) const;
  std::uint8_t devices_of_kind(int vm, DeviceKind kind) const;
  std::uint8_t all_devices(int vm) const;

 private:
  static constexpr unsigned kUnitMask = (1u << std::max(kMaxMus, kMaxSus)) - 1;
  void build_masks();

  const Config* config_;
  std::vector<Mirror> mirrors_;
  int pages_;
  std::uint8_t all_mus_ = 0;
  std::uint8_t all_sus_ = 0;
  /// Per server: its MUs and SUs.
  std::vector<std::uint8_t> mus_on_server_;
  std::vector<std::uint8_t> sus_on_server_;
  /// The external mirrors; per set of running MUs (SUs), the mirrors
  /// internal to them; per server, the mirrors it reaches without ISL-E.
  std::uint16_t external_mirrors_ = 0;
  std::array<std::uint16_t, kUnitMask + 1> mirrors_of_mus_{};
  std::array<std::uint16_t, kUnitMask + 1> mirrors_of_sus_{};
  std::vector<std::uint16_t> mirrors_without_isl_;
};

}  // namespace lmc::cluster
