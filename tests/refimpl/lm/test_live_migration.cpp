// The LM engine on the presets: the seed's message order, memory equality
// after every successful LM, and a full rollback on every abort path.

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "tests/refimpl/lm/lm_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::ClusterSnapshot;
using testing::LmRun;

/// The message IDs with runs of the same ID (one line per device or LAN
/// line) folded into one.
std::vector<std::string> folded_ids(const ConsoleLog& log) {
  auto ids = log.ids();
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

WorkloadSpec busy_guest(double rate = 20000) {
  WorkloadSpec spec;
  spec.dirty_pages_per_second = rate;
  spec.seed = 7;
  return spec;
}

TEST_CASE("An LM between SU /390 succeeds with the seed's console messages in order", "[lm]") {
  LmRun run("default", 1024, busy_guest());
  const auto result = run.migrate();
  // Its tape stays detached: the LM ends $TW (O1, as the model says).
  REQUIRE(result.status == "$TW");
  CHECK(result.statuses == std::vector<std::string>{"$S", "$R", "$TW"});
  // WP §4.6.1, messages 1 to 15.
  CHECK(folded_ids(run.installation.console()) ==
        std::vector<std::string>{"VMS2450", "ETMDR01", "MCS1002", "VMS2430", "VMS3050", "VMS4005",
                                 "VMS2452", "ETMDR03", "VMS2432", "BCA05EC", "MCS1002", "VMS2431",
                                 "VMS4009", "VMS4024", "VMS2451"});
  CHECK(run.target_memory_equals_source());
  CHECK(result.digest_matched);
  CHECK(run.runtime.resumed());
  const auto& vm = run.installation.vm(run.vm);
  CHECK(vm.su == run.target);
  CHECK(vm.executing_on() == run.target);
  CHECK(vm.live_mig_count == 1);
  CHECK(vm.history.size() == 1);
  CHECK(run.installation.definition_owner(run.vm) == run.target);
  CHECK(vm.monjv.field(1, 3) == "$T ");
  CHECK(vm.monjv.field(87, 94) == "        ");
  const auto& events = run.installation.cluster_manager().events();
  const auto vm_events = std::count_if(events.begin(), events.end(), [](const Event& e) {
    return e.text.rfind("VM 'VM12PROD'", 0) == 0;
  });
  CHECK(vm_events == 3);  // paused, created, deleted (WP §4.6.3)
  CHECK(result.downtime_seconds > 0);
  CHECK(result.rounds.size() >= 2);
}

TEST_CASE("An LM between SU x86 prints HAL0331/HAL0332 and four events", "[lm]") {
  LmRun run("x86-local", 1024, busy_guest());
  const auto result = run.migrate();
  // Its tape stays detached: the LM ends $TW (O1, as the model says).
  REQUIRE(result.status == "$TW");
  // WP §4.6.2: no VMS2452 and no VMS2432; VMS6020, VMS6021, VMS2050 instead.
  CHECK(folded_ids(run.installation.console()) ==
        std::vector<std::string>{"VMS2450", "ETMDR01", "MCS1002", "VMS6020", "VMS4005", "HAL0331",
                                 "ETMDR03", "HAL0332", "BCA05EC", "MCS1002", "VMS4009", "VMS6021",
                                 "VMS2451", "VMS2050"});
  CHECK(run.target_memory_equals_source());
  const auto& events = run.installation.cluster_manager().events();
  CHECK(std::count_if(events.begin(), events.end(),
                      [](const Event& e) { return e.text.rfind("VM 'VM03PROD'", 0) == 0; }) == 4);
}

struct AbortCase {
  const char* preset;
  Fault fault;
};

TEST_CASE("Every fault before the commit ends in $AE with a full rollback", "[lm][rollback]") {
  const std::vector<AbortCase> cases = {
      {"default", {FaultKind::link, LmPhase::setup}},
      {"default", {FaultKind::link, LmPhase::copy}},
      {"default", {FaultKind::link, LmPhase::switchover}},
      {"default", {FaultKind::allocation, LmPhase::setup}},
      {"default", {FaultKind::resume, LmPhase::switchover}},
      {"default", {FaultKind::crd, LmPhase::setup}},
      {"default", {FaultKind::crd, LmPhase::copy}},
      {"default", {FaultKind::crd, LmPhase::switchover}},
      {"x86-local", {FaultKind::allocation, LmPhase::setup}},
      {"x86-local", {FaultKind::resume, LmPhase::switchover}},
      {"x86-local", {FaultKind::crd, LmPhase::switchover}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.preset << " " << c.fault.text()) {
      // An idle guest: the source's memory must stay byte-identical.
      const TargetFaults target_faults{c.fault.kind == FaultKind::allocation,
                                       c.fault.kind == FaultKind::resume};
      LmRun run(c.preset, 512, WorkloadSpec{}, target_faults);
      const std::vector<std::byte> before(run.guest.memory().data(),
                                          run.guest.memory().data() + run.guest.memory().bytes());
      const auto snapshot = ClusterSnapshot::take(run.installation, run.vm, run.target);
      MigrationOptions options;
      options.faults = {c.fault};
      const auto result = run.migrate(options);
      CHECK(result.status == "$AE");
      CHECK(result.statuses == std::vector<std::string>{"$S", "$R", "$AE"});
      if (c.fault.kind == FaultKind::crd) {
        // The CRD cannot be read while every disk is down; once they are back
        // it must still name the source (no write got through).
        for (int m = 0; m < static_cast<int>(run.installation.crd().status().size()); ++m) {
          run.installation.crd().repair(m);
        }
        CHECK(run.installation.crd().available());
      }
      CHECK(ClusterSnapshot::take(run.installation, run.vm, run.target) == snapshot);
      CHECK(std::memcmp(before.data(), run.guest.memory().data(), before.size()) == 0);
      CHECK(run.runtime.memory() == nullptr);  // the target holds nothing of it
      CHECK_FALSE(run.runtime.resumed());
      CHECK(run.installation.console().ids().back() == "MCS1002");  // MSCF unlocked again
    }
  }
}

TEST_CASE("SU /390 aborts with VMS2425 when memory does not converge; SU x86 throttles",
          "[lm][rollback]") {
  MigrationOptions slow;
  slow.link_bits_per_second = 1e8;  // 100 Mbit/s: ~3000 pages/s against 20000 written
  SECTION("SU /390") {
    LmRun run("default", 2048, busy_guest());
    const auto snapshot = ClusterSnapshot::take(run.installation, run.vm, run.target);
    const auto result = run.migrate(slow);
    CHECK(result.status == "$AE");
    const auto ids = run.installation.console().ids();
    CHECK(std::find(ids.begin(), ids.end(), "VMS2425") != ids.end());
    CHECK(ClusterSnapshot::take(run.installation, run.vm, run.target) == snapshot);
    CHECK(run.runtime.memory() == nullptr);
  }
  SECTION("SU x86") {
    LmRun run("x86-local", 2048, busy_guest());
    const auto result = run.migrate(slow);
    CHECK(result.status == "$TW");
    CHECK(run.target_memory_equals_source());
    CHECK(std::any_of(result.rounds.begin(), result.rounds.end(),
                      [](const RoundReport& r) { return r.throttle < 1; }));
  }
}

TEST_CASE("Faults after the commit end in $TW with the guest on the target", "[lm]") {
  for (const auto kind : {FaultKind::link, FaultKind::crd}) {
    DYNAMIC_SECTION(to_string(kind) << "@cleanup") {
      LmRun run("default", 512, busy_guest());
      MigrationOptions options;
      options.faults = {{kind, LmPhase::cleanup}};
      const auto result = run.migrate(options);
      CHECK(result.status == "$TW");
      CHECK_FALSE(result.warnings.empty());
      CHECK(run.installation.vm(run.vm).executing_on() == run.target);
      CHECK(run.target_memory_equals_source());
    }
  }
}

TEST_CASE("One configuration disk failing does not stop the LM: the mirrors carry on", "[lm]") {
  LmRun run("default", 512, busy_guest());
  MigrationOptions options;
  options.faults = {{FaultKind::disk, LmPhase::copy}};
  const auto result = run.migrate(options);
  // $TW for the tape left detached, not for the failed disk.
  CHECK(result.status == "$TW");
  CHECK(run.installation.definition_owner(run.vm) == run.target);
  const auto mirrors = run.installation.crd().status();
  CHECK(std::count_if(mirrors.begin(), mirrors.end(),
                      [](const MirrorStatus& m) { return m.stale; }) == 1);
  CHECK(run.installation.crd().verify().empty());
}

TEST_CASE("A request that breaks a prerequisite is rejected with every conflict ($AF)", "[lm]") {
  auto config = testing::preset("default");
  config.sus[1].exclusively_used = {"4683"};
  config.sus[1].shutdown_initiated = true;
  const auto dir = testing::fresh_directory("reject");
  auto clock = Clock::virtual_time();
  Installation in(config, clock, dir);
  TargetRuntime runtime;
  InProcessChannel channel(runtime, 1);
  Guest guest(64, WorkloadSpec{});
  const auto snapshot = ClusterSnapshot::take(in, 0, 1);
  LiveMigration lm(in, 0, 1, guest, channel, {});
  const auto result = lm.run();
  CHECK(result.status == "$AF");
  REQUIRE(result.conflicts.size() == 2);
  CHECK(result.conflicts[0].cause() == "VMS2437,4683");
  CHECK(result.conflicts[1].rule_id() == "P18");
  CHECK(in.console().ids() == std::vector<std::string>{"VMS2404", "VMS2404", "VMS2461"});
  CHECK(ClusterSnapshot::take(in, 0, 1) == snapshot);
  CHECK(runtime.memory() == nullptr);
  std::filesystem::remove_all(dir);
}

TEST_CASE("The guest's MONJV follows the JV layout", "[lm][monjv]") {
  GuestMonJv jv("U701", 1, "2026-01-01000000", "VM12PROD", 12);
  jv.set_guest_state("RUN");
  jv.set_migration_state("MIGR-OUT");
  CHECK(jv.field(1, 3) == "$R ");
  CHECK(jv.field(4, 4) == "0");
  CHECK(jv.field(9, 12) == "U701");
  CHECK(jv.field(17, 17) == "V");
  CHECK(jv.field(18, 20) == "001");
  CHECK(jv.field(21, 36) == "2026-01-01000000");
  CHECK(jv.field(71, 78) == "VM12PROD");
  CHECK(jv.field(79, 81) == "012");
  CHECK(jv.field(82, 86) == "RUN  ");
  CHECK(jv.field(87, 94) == "MIGR-OUT");
  const auto dir = testing::fresh_directory("monjv");
  std::filesystem::create_directories(dir);
  const auto path = dir / "jv";
  {
    std::ofstream user(path, std::ios::binary);
    user << std::string(128, 'x') << std::string(128, 'u');  // a user part to keep
  }
  std::string error;
  REQUIRE(jv.write(path, error));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() == 256);
  CHECK(bytes.substr(0, 3) == "$R ");
  CHECK(bytes.substr(86, 8) == "MIGR-OUT");
  CHECK(bytes.substr(128) == std::string(128, 'u'));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lmc::ref

namespace lmc::ref {
namespace {

TEST_CASE("A cut ISL-E shows in the Cluster Manager's heartbeat and status", "[lm]") {
  testing::LmRun run("default", 256);
  MigrationOptions options;
  options.faults = {{FaultKind::link, LmPhase::copy}};
  CHECK(run.migrate(options).status == "$AE");
  const auto& cm = run.installation.cluster_manager();
  CHECK(cm.su_cluster_status(0) == ClusterStatus::error);  // M3: LM impossible
  CHECK(cm.heartbeat_of_su(run.target) == Heartbeat::not_accessible);
  const auto& events = cm.events();
  CHECK(std::any_of(events.begin(), events.end(), [](const Event& e) {
    return e.weight == Weight::error && e.text.find("'SUC1'") != std::string::npos;
  }));
}

}  // namespace
TEST_CASE("Two SUs of one server keep migrating when the ISL-E links go down", "[lm]") {
  // MCNPR between them does not run over the ISL-E links (x86-local: both
  // SUs on one server), so the LM completes, as in the model.
  for (const auto phase : {LmPhase::copy, LmPhase::switchover}) {
    DYNAMIC_SECTION("link@" << to_string(phase)) {
      LmRun run("x86-local", 512, WorkloadSpec{});
      MigrationOptions options;
      options.faults = {{FaultKind::link, phase}};
      const auto result = run.migrate(options);
      CHECK((result.status == "$T" || result.status == "$TW"));
      CHECK(run.installation.vm(run.vm).executing_on() == run.target);
      CHECK(run.target_memory_equals_source());
    }
  }
}

}  // namespace lmc::ref
