// The LM with the target's data plane in another process, over TCP on
// loopback: memory arrives byte for byte, and a killed target leaves the
// source running and whole.

#include <fstream>
#include <iterator>

#include "refimpl/transport/target_process.hpp"
#include "refimpl/transport/tcp_channel.hpp"
#include "tests/refimpl/lm/lm_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::ClusterSnapshot;

struct TcpRun {
  explicit TcpRun(TargetFaults faults = {}, int streams = 2)
      : process(spawn_target_process(streams, faults)),
        channel(TcpChannel::connect(process.port, streams)),
        crd_dir(testing::fresh_directory("tcp")),
        clock(Clock::virtual_time()),
        installation(testing::preset("default"), clock, crd_dir),
        guest(768, [] {
          WorkloadSpec spec;
          spec.dirty_pages_per_second = 20000;
          spec.seed = 3;
          return spec;
        }()) {}
  ~TcpRun() {
    if (process.pid >= 0) kill_target_process(process);
    std::error_code ignored;
    std::filesystem::remove_all(crd_dir, ignored);
  }

  MigrationResult migrate(MigrationOptions options) {
    options.transfer.streams = 2;
    options.transfer.checksum = true;
    options.kill_target = [this] { kill_target_process(process); };
    LiveMigration lm(installation, 0, 1, guest, *channel, std::move(options));
    return lm.run();
  }

  TargetProcess process;
  std::unique_ptr<TcpChannel> channel;
  std::filesystem::path crd_dir;
  Clock clock;
  Installation installation;
  Guest guest;
};

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("An LM to a target process over TCP moves the memory byte for byte", "[lm][tcp]") {
  TcpRun run;
  const auto result = run.migrate({});
  // Its tape stays detached: the LM ends $TW (O1, as the model says).
  REQUIRE(result.status == "$TW");
  CHECK(result.digest_matched);
  const auto dump = run.crd_dir / "target-memory.bin";
  const auto path = dump.string();
  REQUIRE(run.channel
              ->request({Control::dump, 0,
                         std::vector<std::byte>(
                             reinterpret_cast<const std::byte*>(path.data()),
                             reinterpret_cast<const std::byte*>(path.data()) + path.size())})
              .ok);
  const auto bytes = read_all(dump);
  REQUIRE(bytes.size() == run.guest.memory().bytes());
  CHECK(std::memcmp(bytes.data(), run.guest.memory().data(), bytes.size()) == 0);
  run.channel->request({Control::shutdown, 0, {}});
  CHECK(wait_target_process(run.process) == 0);
  run.process.pid = -1;
}

TEST_CASE("A killed target process leaves the source running and whole", "[lm][tcp][rollback]") {
  for (const auto phase : {LmPhase::setup, LmPhase::copy, LmPhase::switchover}) {
    DYNAMIC_SECTION("kill@" << to_string(phase)) {
      TcpRun run;
      // The guest is idle so that its memory must not change at all.
      run.guest.workload().set_throttle(1e-9);
      const std::vector<std::byte> before(run.guest.memory().data(),
                                          run.guest.memory().data() + run.guest.memory().bytes());
      const auto snapshot = ClusterSnapshot::take(run.installation, 0, 1);
      MigrationOptions options;
      options.faults = {{FaultKind::kill, phase}};
      const auto result = run.migrate(options);
      CHECK(result.status == "$AE");
      CHECK(ClusterSnapshot::take(run.installation, 0, 1) == snapshot);
      CHECK(run.installation.vm(0).executing_on() == 0);
      CHECK(std::memcmp(before.data(), run.guest.memory().data(), before.size()) == 0);
      run.process.pid = -1;  // already reaped by kill_target_process
    }
  }
}

}  // namespace
}  // namespace lmc::ref
