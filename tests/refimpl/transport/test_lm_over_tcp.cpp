// The LM over TCP in real time: the guest writes on its own thread while
// pages are on their way to the target process, so a frame's payload may
// change between the sender's read and the kernel's copy. Every transport
// setting (streams, codec, delta) must still end $T with the target's memory
// equal to the source's, and a frame the target rejects must be reported as
// what it is, not as a broken network.

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "refimpl/transport/target_process.hpp"
#include "refimpl/transport/tcp_channel.hpp"
#include "tests/refimpl/lm/lm_fixture.hpp"

namespace lmc::ref {
namespace {

/// 64 MiB: enough frames in flight that a race between the guest and the
/// sender shows in every run (before the fix, each LM without a codec ended
/// $AE). ThreadSanitizer looks for data races, not for this one, and runs
/// about 10x slower: 16 MiB keeps CI's TSan step short.
#if defined(__SANITIZE_THREAD__)
constexpr std::size_t kGuestPages = 4096;
#else
constexpr std::size_t kGuestPages = 16384;
#endif

WorkloadSpec busy_guest() {
  WorkloadSpec spec;
  spec.dirty_pages_per_second = 40000;
  spec.seed = 11;
  return spec;
}

/// x86-native: its VM has no tape or local disk, so a completed LM is $T.
struct RealTimeTcpRun {
  explicit RealTimeTcpRun(int streams)
      : process(spawn_target_process(streams)),
        channel(TcpChannel::connect(process.port, streams)),
        crd_dir(testing::fresh_directory("tcp-real-time")),
        clock(Clock::real_time()),
        installation(testing::preset("x86-native"), clock, crd_dir),
        guest(kGuestPages, busy_guest()) {}
  ~RealTimeTcpRun() {
    if (process.pid >= 0) kill_target_process(process);
    std::error_code ignored;
    std::filesystem::remove_all(crd_dir, ignored);
  }

  MigrationResult migrate(TargetChannel& wire, TransferOptions transfer) {
    MigrationOptions options;
    options.transfer = transfer;
    options.transfer.checksum = true;  // as lmc migrate --transport tcp
    const int target = *installation.config().partner_of(installation.vm(0).su);
    LiveMigration lm(installation, 0, target, guest, wire, std::move(options));
    return lm.run();
  }

  /// The target's memory, read back through a dump file.
  std::string target_memory() {
    const auto path = (crd_dir / "target-memory.bin").string();
    const auto* bytes = reinterpret_cast<const std::byte*>(path.data());
    REQUIRE(channel->request({Control::dump, 0, {bytes, bytes + path.size()}}).ok);
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  bool target_equals_source() {
    const auto bytes = target_memory();
    const auto& memory = guest.memory();
    return bytes.size() == memory.bytes() &&
           std::memcmp(bytes.data(), memory.data(), bytes.size()) == 0;
  }

  TargetProcess process;
  std::unique_ptr<TcpChannel> channel;
  std::filesystem::path crd_dir;
  Clock clock;
  Installation installation;
  Guest guest;
};

struct Setting {
  const char* name;
  Codec codec;
  bool delta;
};

TEST_CASE("An LM over TCP in real time with a writing guest ends $T, memory byte for byte",
          "[lm][tcp][real-time]") {
  const Setting settings[] = {{"none", Codec::none, false},
                              {"lz4", Codec::lz4, false},
                              {"zstd", Codec::zstd, false},
                              {"delta", Codec::none, true}};
  for (const int streams : {1, 2, 4}) {
    for (const auto& setting : settings) {
      DYNAMIC_SECTION("streams " << streams << ", " << setting.name) {
        RealTimeTcpRun run(streams);
        TransferOptions transfer;
        transfer.streams = streams;
        transfer.codec = setting.codec;
        transfer.delta = setting.delta;
        const auto result = run.migrate(*run.channel, transfer);
        INFO("abort cause: " << result.abort_cause);
        REQUIRE(result.status == "$T");
        CHECK(result.digest_matched);
        CHECK(run.guest.workload().writes() > 0);  // the guest did write during the copy
        CHECK(run.target_equals_source());
        REQUIRE(run.channel->request({Control::shutdown, 0, {}}).ok);
        CHECK(wait_target_process(run.process) == 0);
      }
    }
  }
}

/// Passes everything on to a TCP channel but spoils the checksum of one page
/// frame: a frame corrupted on its way, as the target sees it.
class CorruptingChannel : public TargetChannel {
 public:
  CorruptingChannel(TargetChannel& inner, int frame) : inner_(inner), victim_(frame) {}
  int streams() const override { return inner_.streams(); }
  bool needs_stable_payload() const override { return inner_.needs_stable_payload(); }
  void send(const FrameHeader& header, std::span<const std::byte> payload) override {
    FrameHeader h = header;
    if (!payload.empty() && frames_.fetch_add(1) == victim_) h.checksum ^= 0x5A5A;
    inner_.send(h, payload);
  }
  Reply request(const ControlRequest& request) override { return inner_.request(request); }

 private:
  TargetChannel& inner_;
  int victim_;
  std::atomic<int> frames_{0};
};

TEST_CASE("Over TCP, a rejected frame aborts the LM as a checksum mismatch, not a broken link",
          "[lm][tcp][real-time]") {
  for (const int streams : {1, 2}) {
    DYNAMIC_SECTION("streams " << streams) {
      RealTimeTcpRun run(streams);
      CorruptingChannel corrupting(*run.channel, 3);
      TransferOptions transfer;
      transfer.streams = streams;
      const auto result = run.migrate(corrupting, transfer);
      CHECK(result.status == "$AE");
      INFO("abort cause: " << result.abort_cause);
      CHECK_THAT(result.abort_cause, Catch::Contains("the target rejected a frame") &&
                                         Catch::Contains("checksum mismatch"));
      CHECK_THAT(result.abort_cause, !Catch::Contains("network") && !Catch::Contains("pipe"));
      CHECK(run.installation.vm(0).executing_on() == run.installation.vm(0).su);  // rolled back
      CHECK(wait_target_process(run.process) == 2);
    }
  }
}

}  // namespace
}  // namespace lmc::ref
