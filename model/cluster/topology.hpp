#pragma once
// Static facts derived once from a Config: the mirror set of the CRD, who
// reaches what over MCNPR, device classes. Kept apart from the actions so
// that the rules of reachability are written once.

#include <cstdint>
#include <vector>

#include "model/cluster/config.hpp"
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
  bool servers_connected(const State& s, int a, int b) const;
  /// The MU an SU /390 reaches the CRD through: the lowest running MU of its
  /// own server (C4, spec choice); kNone if there is none.
  std::uint8_t crd_proxy_of_su(const State& s, int su) const;
  /// Can a unit on `server` (an MU, or an SU x86 directly) reach mirror m?
  bool reaches_mirror(const State& s, int server, int m) const;
  /// The lowest reachable mirror that is not marked stale, or -1.
  int readable_mirror(const State& s, int server) const;
  /// The CRD is available to a unit while it reaches an up-to-date mirror.
  bool crd_available_from(const State& s, int server) const;
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
  const Config* config_;
  std::vector<Mirror> mirrors_;
  int pages_;
};

}  // namespace lmc::cluster
