// The Cluster Manager: heartbeat events, cluster status (M3, M4), the CM
// lease and its takeover (M2, I8, CH-3), who reaches the CRD (C4, CH-2), and
// that status returns to NORMAL once faults heal (L2).

#include <random>

#include "refimpl/cluster/cluster_manager.hpp"
#include "tests/refimpl/cluster/cluster_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::TempDir;

/// A preset's cluster with its CRD in a temporary directory.
struct Cluster {
  explicit Cluster(const std::string& preset)
      : config(testing::cluster_preset(preset)),
        dir(preset),
        clock(Clock::virtual_time()),
        crd(dir.path(), crd_mirror_names(config)),
        cm(config, clock, crd) {}

  /// The events since `from`, as "WEIGHT unit: text".
  std::vector<std::string> events(std::size_t from = 0) const {
    std::vector<std::string> out;
    for (std::size_t e = from; e < cm.events().size(); ++e) {
      const auto& event = cm.events()[e];
      out.push_back(to_string(event.weight) + " " + event.unit + ": " + event.text);
    }
    return out;
  }

  cluster::Config config;
  TempDir dir;
  Clock clock;
  Crd crd;
  ClusterManager cm;
};

TEST_CASE("CM: a running cluster is NORMAL and a quiet heartbeat reports nothing", "[cm]") {
  Cluster c("default");
  CHECK(c.cm.active_mu() == 0);
  CHECK(c.crd.read_text("cm/lease") == "abgwhite");
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
  c.cm.heartbeat();
  CHECK(c.cm.events().empty());
  CHECK(c.cm.servers_connected());
  CHECK(c.cm.mcnpr_reachable(0, 1));
}

TEST_CASE("CM: a redundant MU off is a WARNING, and NORMAL again when it is back", "[cm]") {
  Cluster c("default");
  c.clock.pass(5);
  c.cm.power_off_mu(1);
  CHECK(c.cm.management_status() == ClusterStatus::normal);  // not seen before the next round
  c.cm.heartbeat();
  CHECK(c.cm.heartbeat_of_mu(1) == Heartbeat::not_accessible);
  CHECK(c.cm.management_status() == ClusterStatus::warning);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::warning);  // SU /390 needs its MUs
  CHECK(c.events() ==
        std::vector<std::string>{
            "WARNING abgwhite: Network heartbeat of unit 'abgblack' changed from 'NORMAL' to "
            "'NOT_ACCESSIBLE'",
            "WARNING abgwhite: Cluster state of 'Management Cluster' changed from 'NORMAL' to "
            "'WARNING'",
            "WARNING abgwhite: Cluster state of 'SUC1' changed from 'NORMAL' to 'WARNING'"});
  CHECK(c.cm.events()[0].component == "Cluster");
  CHECK(c.cm.events()[0].time == 5.0);
  // A write while abgblack is off leaves its internal disk behind.
  REQUIRE(c.crd.write_text("vm/X/definition", "owner=ABGSU701"));
  CHECK(c.crd.status(3).stale);

  const auto mark = c.cm.events().size();
  c.cm.power_on_mu(1);
  c.cm.heartbeat();
  CHECK_FALSE(c.crd.status(3).stale);  // the CM resynchronised it
  CHECK(c.crd.verify().empty());
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
  CHECK(c.events(mark) ==
        std::vector<std::string>{
            "NOTICE abgwhite: Network heartbeat of unit 'abgblack' changed from 'NOT_ACCESSIBLE' "
            "to 'NORMAL'",
            "NOTICE abgwhite: Cluster state of 'Management Cluster' changed from 'WARNING' to "
            "'NORMAL'",
            "NOTICE abgwhite: Cluster state of 'SUC1' changed from 'WARNING' to 'NORMAL'"});
}

TEST_CASE("CM: an SU of an SU cluster off is an ERROR of that cluster", "[cm]") {
  Cluster c("default");
  c.cm.power_off_su(1);
  CHECK_FALSE(c.cm.mcnpr_reachable(0, 1));
  c.cm.heartbeat();
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::error);
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  CHECK(c.events() ==
        std::vector<std::string>{
            "WARNING abgwhite: Network heartbeat of unit 'ABGSU702' changed from 'NORMAL' to "
            "'NOT_ACCESSIBLE'",
            "ERROR abgwhite: Cluster state of 'SUC1' changed from 'NORMAL' to 'ERROR'"});
  c.cm.power_on_su(1);
  c.cm.heartbeat();
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
  CHECK(c.cm.events().back().weight == Weight::notice);
}

TEST_CASE("CM: an SU cluster switched off is INACTIVE at once, whatever its SUs do", "[cm]") {
  Cluster c("default");
  c.cm.set_su_cluster_active(0, false);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::inactive);
  CHECK(c.events() == std::vector<std::string>{"NOTICE abgwhite: Cluster state of 'SUC1' changed "
                                               "from 'NORMAL' to 'INACTIVE'"});
  c.cm.power_off_su(0);
  c.cm.heartbeat();
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::inactive);
  c.cm.power_on_su(0);
  c.cm.heartbeat();
  c.cm.set_su_cluster_active(0, true);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
}

TEST_CASE("CM: the ISL-E links decide MCNPR between the servers", "[cm]") {
  Cluster c("default");
  c.cm.isl_down(0);
  c.cm.heartbeat();
  CHECK(c.cm.servers_connected());
  CHECK(c.cm.mcnpr_reachable(0, 1));
  CHECK(c.cm.management_status() == ClusterStatus::warning);  // redundancy lost (H4)
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::warning);
  c.cm.isl_down(1);
  c.cm.heartbeat();
  CHECK_FALSE(c.cm.servers_connected());
  CHECK_FALSE(c.cm.mcnpr_reachable(0, 1));
  CHECK(c.cm.heartbeat_of_mu(2) == Heartbeat::not_accessible);
  CHECK(c.cm.heartbeat_of_su(1) == Heartbeat::not_accessible);
  CHECK(c.cm.management_status() == ClusterStatus::error);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::error);
  // The other server's internal disks are out of reach: a write leaves them behind.
  REQUIRE(c.crd.write_text("k", "v"));
  CHECK(c.crd.status(4).stale);
  CHECK(c.crd.status(5).stale);
  c.cm.isl_up(0);
  c.cm.isl_up(1);
  c.cm.heartbeat();
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
  CHECK(c.crd.verify().empty());
}

TEST_CASE("CM: when the active MU goes off the lowest running MU takes the lease", "[cm]") {
  Cluster c("default");
  c.cm.power_off_mu(0);
  CHECK_FALSE(c.cm.active_mu());  // the CM software died with its MU
  CHECK(c.cm.lease_holder() == 0);
  c.cm.heartbeat();
  REQUIRE(c.cm.active_mu() == 1);
  CHECK(c.crd.read_text("cm/lease") == "abgblack");
  const auto events = c.events();
  REQUIRE_FALSE(events.empty());
  CHECK(events.front() == "WARNING abgblack: Cluster Manager moved to 'abgblack'");
  CHECK(events[1] ==
        "WARNING abgblack: Network heartbeat of unit 'abgwhite' changed from 'NORMAL' to "
        "'NOT_ACCESSIBLE'");
  // The old holder comes back: the lease is not its own any more.
  c.cm.power_on_mu(0);
  c.cm.heartbeat();
  CHECK(c.cm.active_mu() == 1);
  CHECK(c.cm.management_status() == ClusterStatus::normal);
}

TEST_CASE("CM: a CM that restarts before its lease expired takes the role back", "[cm]") {
  Cluster c("default");
  c.cm.power_off_mu(0);
  c.cm.power_on_mu(0);
  CHECK(c.cm.active_mu() == 0);
  c.cm.heartbeat();
  CHECK(c.cm.active_mu() == 0);
  CHECK(c.cm.events().empty());
}

TEST_CASE("CM: an MU cut off from the CRD cannot hold the role", "[cm]") {
  Cluster c("default");
  // Every disk abgwhite could reach fails except the internal disks of server 2,
  // which it reaches only over ISL-E.
  c.crd.fail(0);
  c.crd.fail(1);
  c.crd.fail(2);
  c.crd.fail(3);
  c.cm.isl_down(0);
  c.cm.isl_down(1);
  CHECK_FALSE(c.cm.mu_reaches_crd(0));
  CHECK(c.cm.mu_reaches_crd(2));
  c.cm.heartbeat();
  CHECK(c.cm.active_mu() == 2);  // abgred, the lowest MU that reaches the CRD
  CHECK(c.crd.read_text("cm/lease") == "abgred");
}

TEST_CASE("CM: an SU /390 reaches the CRD only through an MU of its own server", "[cm]") {
  Cluster c("default");
  CHECK(c.cm.su_reaches_crd(0));
  c.cm.power_off_mu(0);
  CHECK(c.cm.su_reaches_crd(0));
  c.cm.power_off_mu(1);
  CHECK_FALSE(c.cm.su_reaches_crd(0));  // the other server's MUs do not help (CH-2)
  CHECK(c.cm.su_reaches_crd(1));
  c.cm.power_off_su(1);
  CHECK_FALSE(c.cm.su_reaches_crd(1));

  Cluster x86("x86-local");
  x86.cm.power_off_mu(0);
  CHECK(x86.cm.su_reaches_crd(0));  // an SU x86 reaches the disks itself
  for (int m = 0; m < x86.crd.mirror_count(); ++m) x86.crd.fail(m);
  CHECK_FALSE(x86.cm.su_reaches_crd(0));
}

TEST_CASE("CM: liveness records expire when an SU cannot write them", "[cm]") {
  Cluster c("default");
  c.cm.renew_liveness();
  CHECK_FALSE(c.cm.liveness_expired(0, 5));
  c.clock.pass(10);
  CHECK(c.cm.liveness_expired(0, 5));
  c.cm.renew_liveness();
  CHECK_FALSE(c.cm.liveness_expired(0, 5));
  c.cm.power_off_mu(0);
  c.cm.power_off_mu(1);
  c.clock.pass(10);
  c.cm.renew_liveness();
  CHECK(c.cm.liveness_expired(0, 5));  // cut off from the CRD (D3's hazard)
  CHECK_FALSE(c.cm.liveness_expired(1, 5));
}

TEST_CASE("CM: a failed configuration disk is a WARNING until repaired and resynced", "[cm]") {
  Cluster c("x86-native");
  c.crd.fail(0);
  REQUIRE(c.crd.write_text("k", "v"));
  c.cm.heartbeat();
  CHECK(c.cm.management_status() == ClusterStatus::warning);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::warning);
  c.crd.repair(0);
  c.cm.heartbeat();
  CHECK_FALSE(c.crd.status(0).stale);
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  CHECK(c.cm.su_cluster_status(0) == ClusterStatus::normal);
}

/// Random faults, then everything healed: a CM is back and the status is
/// NORMAL (L2), and at every step at most one MU, a running one that holds
/// the lease on the CRD, is CM (I8).
void faults_then_heal(const std::string& preset, unsigned seed) {
  Cluster c(preset);
  std::mt19937 random(seed);
  const int mus = static_cast<int>(c.config.mus.size());
  const int sus = static_cast<int>(c.config.sus.size());
  const int links = c.config.isl_links;
  const int mirrors = c.crd.mirror_count();
  for (int step = 0; step < 60; ++step) {
    const int unit = static_cast<int>(random() % 8);
    switch (random() % 9) {
      case 0:
        c.cm.power_off_mu(unit % mus);
        break;
      case 1:
        c.cm.power_on_mu(unit % mus);
        break;
      case 2:
        c.cm.power_off_su(unit % sus);
        break;
      case 3:
        c.cm.power_on_su(unit % sus);
        break;
      case 4:
        if (links > 0) c.cm.isl_down(unit % links);
        break;
      case 5:
        if (links > 0) c.cm.isl_up(unit % links);
        break;
      case 6:
        c.crd.fail(unit % mirrors);
        break;
      case 7:
        c.crd.repair(unit % mirrors);
        break;
      default:
        (void)c.crd.write_text("step", std::to_string(step));
        break;
    }
    c.cm.heartbeat();
    if (const auto cm = c.cm.active_mu()) {
      CHECK(c.cm.mu_running(*cm));
      CHECK(c.cm.lease_holder() == cm);
      CHECK(c.crd.read_text("cm/lease") == c.config.mus[static_cast<std::size_t>(*cm)].name);
    }
  }
  for (int m = 0; m < mus; ++m) c.cm.power_on_mu(m);
  for (int s = 0; s < sus; ++s) c.cm.power_on_su(s);
  for (int l = 0; l < links; ++l) c.cm.isl_up(l);
  for (int m = 0; m < mirrors; ++m) c.crd.repair(m);
  c.cm.heartbeat();
  REQUIRE(c.cm.active_mu());
  CHECK(c.cm.management_status() == ClusterStatus::normal);
  for (int k = 0; k < static_cast<int>(c.config.su_clusters.size()); ++k) {
    CHECK(c.cm.su_cluster_status(k) == ClusterStatus::normal);
  }
  CHECK(c.crd.verify().empty());
}

TEST_CASE("CM: after any faults, healing brings back a CM and NORMAL status", "[cm]") {
  for (const auto* preset : {"default", "x86-local", "x86-native"}) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
      INFO(preset << " seed " << seed);
      faults_then_heal(preset, seed);
    }
  }
}

}  // namespace
}  // namespace lmc::ref
