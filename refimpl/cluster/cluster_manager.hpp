#pragma once
// The Cluster Manager (shared/domain.md H3, M2-M4): the hardware it watches
// (power of MUs and SUs, ISL-E links, SU clusters switched on or off), the
// network heartbeat, the cluster status and the event log. The CM role is a
// lease on the CRD (spec/cluster/choices.md CH-3): one MU holds it; when the
// holder is down or cut off from the CRD the lease expires and the
// lowest-index running MU that reaches the CRD takes it over.
//
// The reference implementation runs the whole cluster in one process, so the
// CRD is used from one place: the server of the active CM (or, without one,
// of the lowest running MU). Internal configuration disks are reachable from
// there while their unit runs and the servers are connected (CH-1).
//
// One thread drives it (faults, heartbeat, events); the CRD has its own lock.

#include <optional>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "refimpl/cluster/cluster_status.hpp"
#include "refimpl/cluster/crd.hpp"
#include "refimpl/core/clock.hpp"

namespace lmc::ref {

/// One entry of the event log (M4), as SE Manager shows it.
struct Event {
  double time = 0;
  Weight weight = Weight::notice;
  std::string unit;  ///< the unit that reports it: for CM events the CM's MU
  std::string component = "Sys-Mgmt";
  std::string text;
};

class ClusterManager {
 public:
  /// Every unit and link starts up. The MU named by the CRD's lease record
  /// takes the role back if there is one; otherwise the lowest MU takes it.
  ClusterManager(const cluster::Config& config, Clock& clock, Crd& crd);

  // Faults and repairs of the hardware. They take effect at once; the
  // heartbeat reports them in its next round.
  void power_off_mu(int mu);
  void power_on_mu(int mu);
  void power_off_su(int su);
  void power_on_su(int su);
  void isl_down(int link);
  void isl_up(int link);
  /// U4: the administrator switches an SU cluster on or off; its status
  /// changes (and is reported) at once.
  void set_su_cluster_active(int cluster, bool active);

  bool mu_running(int mu) const;
  bool su_running(int su) const;
  bool isl_link_up(int link) const;
  bool su_cluster_active(int cluster) const;
  /// MCNPR spans both servers while some ISL-E link is up (H2, H4).
  bool servers_connected() const;
  /// The LM memory path: both SUs run and MCNPR connects their servers.
  bool mcnpr_reachable(int su_a, int su_b) const;
  /// C4/CH-2: an SU x86 directly, an SU /390 through a running MU of its own
  /// server; either way an up-to-date mirror must be reachable from there.
  bool su_reaches_crd(int su) const;
  bool mu_reaches_crd(int mu) const;

  /// Runs `use` with the CRD reached as a unit on `server` reaches it: an
  /// SU's monitor reads and writes the CRD over its own server's paths
  /// (CH-2), so in a partition each side writes the mirrors it reaches and
  /// marks the others stale. The CM's own view is restored afterwards.
  template <class Use>
  auto with_crd_from(int server, Use&& use) {
    struct Restore {
      ClusterManager* cm;
      ~Restore() { cm->update_crd_reach(); }
    } restore{this};
    reach_crd_from(server);
    return use();
  }
  int server_of_mu(int mu) const;
  int server_of_su(int su) const;

  // The two lease steps of a heartbeat round on their own (the conformance
  // driver takes them one at a time, as the model does).
  /// The lease runs out: its holder is down or cut off from the CRD.
  /// False when there is no lease or its holder still reaches the CRD.
  bool expire_lease_now();
  /// `mu` takes the free lease, as the lowest running MU that reaches the
  /// CRD. False when the lease is held, `mu` is not that MU, or the CRD
  /// takes no write.
  bool take_over_as(int mu);

  /// One round of the active CM: lease expiry and takeover, resync of stale
  /// mirrors it can reach, heartbeat of every unit, status; each change
  /// becomes an event. Without any MU able to act as CM nothing is polled
  /// and the statuses stay as last seen.
  void heartbeat();

  std::optional<int> active_mu() const { return active_; }
  std::optional<int> lease_holder() const { return lease_; }

  /// What the last heartbeat round saw (NORMAL before the first).
  Heartbeat heartbeat_of_mu(int mu) const;
  Heartbeat heartbeat_of_su(int su) const;
  ClusterStatus management_status() const { return published_management_; }
  ClusterStatus su_cluster_status(int cluster) const;

  /// Each running SU that reaches the CRD writes its monitor system's
  /// liveness record with the current time (C3).
  void renew_liveness();
  /// D3: no liveness record of the SU within `timeout` seconds.
  bool liveness_expired(int su, double timeout) const;

  /// The LM engine's VM events (paused, created, deleted), component Sys-Mgmt.
  void add_event(Weight weight, std::string unit, std::string text);
  const std::vector<Event>& events() const { return events_; }

 private:
  bool connected(int server_a, int server_b) const;
  bool mirror_reachable_from(int server, int mirror) const;
  bool crd_available_from(int server) const;
  int crd_viewpoint() const;
  void update_crd_reach();
  void reach_crd_from(int server);
  void expire_lease();
  void take_over(bool announce = true);
  void resync_mirrors();
  HeartbeatView look() const;
  void observe();
  void publish_statuses();
  void cluster_event(Weight weight, std::string text);
  std::string reporter() const;

  cluster::Config config_;
  Clock* clock_;
  Crd* crd_;
  std::vector<CrdMirrorHost> mirrors_;
  std::vector<bool> mu_up_, su_up_, isl_up_, cluster_active_;
  std::optional<int> active_;  ///< the MU running the CM software with the lease
  std::optional<int> lease_;   ///< the lease's holder, until it expires
  HeartbeatView view_;
  ClusterStatus published_management_ = ClusterStatus::normal;
  std::vector<ClusterStatus> published_clusters_;
  std::vector<Event> events_;
};

}  // namespace lmc::ref
